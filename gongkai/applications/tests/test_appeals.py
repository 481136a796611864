from datetime import date

import pytest

from gongkai.applications.appeals import (
    AppealInvalid,
    CaseFact,
    classify_detail,
    close_appeal,
    count_table_four,
    register_appeal,
    table_four,
)
from gongkai.applications.enums import AppealKind, AppealOutcome
from gongkai.applications.models import Appeal
from gongkai.audit.models import Entry
from gongkai.audit.services import verify
from gongkai.orgs.queries import subtree

R, L, C = AppealKind.RECONSIDERATION, AppealKind.LITIGATION, AppealKind.COMPLAINT
KEPT, FIXED, OTHER, OPEN = (
    AppealOutcome.MAINTAINED,
    AppealOutcome.CORRECTED,
    AppealOutcome.OTHER,
    AppealOutcome.PENDING,
)


def row(maintained=0, corrected=0, other=0, pending=0) -> dict[str, int]:
    return {
        "maintained": maintained,
        "corrected": corrected,
        "other": other,
        "pending": pending,
        "total": maintained + corrected + other + pending,
    }


@pytest.mark.parametrize(
    ("detail", "outcome"),
    (
        ("维持", KEPT),
        ("驳回诉讼请求", KEPT),
        ("撤销", FIXED),
        ("部分撤销", FIXED),
        ("变更", FIXED),
        ("确认违法", FIXED),
        ("责令履行/重新答复", FIXED),
        ("驳回复议申请", OTHER),
        ("终止", OTHER),
        ("撤回", OTHER),
        ("和解调解", OTHER),
        ("裁定驳回起诉", OTHER),
        ("revoked", FIXED),  # the code works as well as the label
        ("claim_dismissed", KEPT),
    ),
)
def test_classify_detail_follows_lit_2(detail, outcome):
    assert classify_detail(detail) == outcome


def test_classify_detail_refuses_what_it_does_not_know():
    with pytest.raises(ValueError, match="“不了了之”不是已知的复议、诉讼结果（LIT-2）"):
        classify_detail("不了了之")


def test_register_appeal_starts_pending_and_is_audited(submit, dept, office_head):
    app = submit().application

    appeal = register_appeal(
        kind=R,
        org=dept,
        body="绵阳市人民政府",
        filed_on=date(2021, 5, 10),
        application=app,
        case_number=" 绵府复〔2021〕3号 ",
        by=office_head,
    )

    assert (appeal.outcome, appeal.closed_on, appeal.case_number, appeal.application) == (
        OPEN,
        None,
        "绵府复〔2021〕3号",
        app,
    )
    entry = Entry.objects.get(action="applications.register_appeal")
    assert (entry.actor, entry.summary) == (
        "dept_head",
        {
            "kind": "reconsideration",
            "org": dept.pk,
            "filed_on": "2021-05-10",
            "application": app.number,
            "after_reconsideration": False,
            "case_number": "绵府复〔2021〕3号",
        },
    )


def test_register_appeal_accepts_the_government_above_as_co_defendant(submit, city, office_head):
    app = submit().application

    appeal = register_appeal(
        kind=L,
        org=city,
        body="绵阳市涪城区人民法院",
        filed_on=date(2021, 6, 1),
        application=app,
        after_reconsideration=True,
        by=office_head,
    )

    assert (appeal.org, appeal.after_reconsideration) == (city, True)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    (
        ({"body": " "}, {"body": "请填写复议机关、人民法院或受理投诉举报的机关"}),
        ({"kind": "appeal"}, {"kind": "类别应为行政复议、行政诉讼或投诉举报"}),
        (
            {"kind": R, "after_reconsideration": True},
            {"after_reconsideration": "只有行政诉讼才分“未经复议直接起诉”和“复议后起诉”"},
        ),
        (
            {"kind": C, "after_reconsideration": True},
            {"after_reconsideration": "只有行政诉讼才分“未经复议直接起诉”和“复议后起诉”"},
        ),
        (
            {"filed_on": date(2021, 2, 28)},
            {"filed_on": "收案日期不能早于原申请的到达日期（2021-03-01）"},
        ),
        (
            {"org": "other_dept"},
            {"org": "原申请由绵阳市自然资源和规划局办理，被申请人或被告应为该机关或其上级机关"},
        ),
    ),
)
def test_register_appeal_refuses_bad_input_in_chinese(
    submit, dept, other_dept, office_head, overrides, errors
):
    app = submit().application
    given = {
        "kind": L,
        "org": dept,
        "body": "绵阳市涪城区人民法院",
        "filed_on": date(2021, 5, 10),
        "application": app,
        **overrides,
    }
    if given["org"] == "other_dept":
        given["org"] = other_dept

    with pytest.raises(AppealInvalid) as invalid:
        register_appeal(**given, by=office_head)

    assert invalid.value.errors == errors
    assert (Appeal.objects.count(), Entry.objects.filter(action__contains="appeal").count()) == (
        0,
        0,
    )


def test_register_appeal_refuses_a_case_number_twice(dept, office_head):
    case = {"kind": L, "org": dept, "body": "绵阳市中级人民法院", "filed_on": date(2021, 5, 1)}
    register_appeal(**case, case_number="（2021）川07行初5号", by=office_head)

    with pytest.raises(AppealInvalid) as invalid:
        register_appeal(**case, case_number="（2021）川07行初5号", by=office_head)

    assert invalid.value.errors == {"case_number": "案号“（2021）川07行初5号”已登记"}


@pytest.fixture
def pending(dept, office_head):
    def pending_(kind=R, filed_on=date(2021, 5, 10)):
        return register_appeal(
            kind=kind, org=dept, body="绵阳市人民政府", filed_on=filed_on, by=office_head
        )

    return pending_


def test_close_appeal_records_outcome_label_and_audit(pending, office_head):
    appeal = close_appeal(
        pending(),
        outcome=FIXED,
        closed_on=date(2021, 7, 1),
        detail="ordered_to_act",
        by=office_head,
    )

    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.closed_on, appeal.outcome_detail) == (
        FIXED,
        date(2021, 7, 1),
        "责令履行/重新答复",
    )
    entry = Entry.objects.get(action="applications.close_appeal")
    assert entry.summary == {
        "outcome": "corrected",
        "closed_on": "2021-07-01",
        "detail": "ordered_to_act",
    }
    assert verify() is None


@pytest.mark.parametrize(
    ("kind", "outcome", "closed_on", "detail", "errors"),
    (
        (R, OPEN, date(2021, 7, 1), "", {"outcome": "审结结果应为结果维持、结果纠正或其他结果"}),
        (
            R,
            KEPT,
            date(2021, 5, 9),
            "维持",
            {"closed_on": "审结日期不能早于收案日期（2021-05-10）"},
        ),
        (
            R,
            KEPT,
            date(2021, 7, 1),
            "撤销",
            {"detail": "“撤销”属于“结果纠正”，与所选结果“结果维持”不符（LIT-2）"},
        ),
        (R, KEPT, date(2021, 7, 1), "驳回诉讼请求", {"detail": "“驳回诉讼请求”不适用于行政复议"}),
        (L, OTHER, date(2021, 7, 1), "驳回复议申请", {"detail": "“驳回复议申请”不适用于行政诉讼"}),
        (L, KEPT, date(2021, 7, 1), "判" * 201, {"detail": "结果说明不能超过200字"}),
    ),
)
def test_close_appeal_refuses_bad_input_in_chinese(
    pending, office_head, kind, outcome, closed_on, detail, errors
):
    appeal = pending(kind)

    with pytest.raises(AppealInvalid) as invalid:
        close_appeal(appeal, outcome=outcome, closed_on=closed_on, detail=detail, by=office_head)

    assert invalid.value.errors == errors
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.closed_on) == (OPEN, None)


def test_close_appeal_refuses_a_closed_case(pending, office_head):
    appeal = pending()
    close_appeal(appeal, outcome=KEPT, closed_on=date(2021, 7, 1), detail="维持", by=office_head)

    with pytest.raises(AppealInvalid) as invalid:
        close_appeal(appeal, outcome=FIXED, closed_on=date(2021, 8, 1), by=office_head)

    assert invalid.value.errors == {"outcome": "该案件已于2021-07-01审结，结果为“结果维持”"}


def test_close_appeal_keeps_free_text_detail(pending, office_head):
    appeal = close_appeal(
        pending(),
        outcome=OTHER,
        closed_on=date(2021, 7, 1),
        detail=" 申请人死亡，终结审查 ",
        by=office_head,
    )

    assert appeal.outcome_detail == "申请人死亡，终结审查"


def fact(kind, filed, closed=None, outcome=OPEN, after=False) -> CaseFact:
    return CaseFact(kind, after, filed, closed, outcome)


@pytest.mark.parametrize(
    ("facts", "basis", "reconsideration", "direct", "after"),
    (
        # filed and closed in the year
        ([fact(R, date(2017, 3, 1), date(2017, 5, 1), KEPT)], "filed", row(1), row(), row()),
        # closed after 12-31: still pending in this year's table
        (
            [fact(R, date(2017, 11, 1), date(2018, 1, 5), FIXED)],
            "filed",
            row(pending=1),
            row(),
            row(),
        ),
        # filed last year, closed this year: counted last year only (RPT-20) …
        ([fact(R, date(2016, 11, 1), date(2017, 2, 1), FIXED)], "filed", row(), row(), row()),
        # … or again with its result when counting the caseload
        (
            [fact(R, date(2016, 11, 1), date(2017, 2, 1), FIXED)],
            "caseload",
            row(corrected=1),
            row(),
            row(),
        ),
        # filed two years ago, closed last year: in no caseload of this year
        ([fact(R, date(2015, 11, 1), date(2016, 2, 1), FIXED)], "caseload", row(), row(), row()),
        # filed next year: never
        ([fact(L, date(2018, 1, 2))], "caseload", row(), row(), row()),
        # lawsuits split by reconsideration first; complaints are not in table 四
        (
            [
                fact(L, date(2017, 4, 1), date(2017, 9, 1), OTHER),
                fact(L, date(2017, 4, 1), None, OPEN, after=True),
                fact(C, date(2017, 4, 1), date(2017, 4, 9), KEPT),
            ],
            "filed",
            row(),
            row(other=1),
            row(pending=1),
        ),
    ),
)
def test_count_table_four_counts_each_case_once_by_its_state_at_year_end(
    facts, basis, reconsideration, direct, after
):
    assert count_table_four(facts, 2017, basis=basis) == {
        "reconsideration": reconsideration,
        "litigation_direct": direct,
        "litigation_after_reconsideration": after,
    }


def test_table_four_gives_the_seed_figures_for_2017(city, dept, other_dept, office_head):
    """Seed §五: 51 reconsiderations (26 / 2 / 23), 25 lawsuits (22 / 3)."""
    plan = [
        (R, False, "维持", 26),
        (R, False, "撤销", 1),
        (R, False, "确认违法", 1),
        (R, False, "驳回复议申请", 15),
        (R, False, "终止", 8),
        (L, False, "驳回诉讼请求", 18),
        (L, True, "驳回诉讼请求", 4),
        (L, False, "责令履行/重新答复", 2),
        (L, True, "撤销", 1),
    ]
    n = 0
    for kind, after, detail, count in plan:
        for _ in range(count):
            n += 1
            org = dept if n % 2 else other_dept
            appeal = register_appeal(
                kind=kind,
                org=org,
                body="绵阳市人民政府" if kind == R else "绵阳市涪城区人民法院",
                filed_on=date(2017, 1 + n % 10, 1 + n % 27),
                after_reconsideration=after,
                by=office_head,
            )
            close_appeal(
                appeal,
                outcome=classify_detail(detail),
                closed_on=date(2017, 12, 1 + n % 20),
                detail=detail,
                by=office_head,
            )
    register_appeal(kind=R, org=dept, body="绵阳市人民政府", filed_on=date(2018, 1, 3), by=None)

    table = table_four(subtree(city), 2017)

    assert table == {
        "reconsideration": row(maintained=26, corrected=2, other=23),
        "litigation_direct": row(maintained=18, corrected=2),
        "litigation_after_reconsideration": row(maintained=4, corrected=1),
    }
    assert table["reconsideration"]["total"] == 51
    assert (
        table["litigation_direct"]["total"] + table["litigation_after_reconsideration"]["total"]
        == 25
    )
    assert table_four(subtree(dept), 2017)["reconsideration"]["total"] == 26
