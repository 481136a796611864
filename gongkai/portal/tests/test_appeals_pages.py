"""The desk for 行政复议, 行政诉讼 and 投诉举报: list, register, close (LIT-1, LIT-2)."""

import re
from datetime import date

import pytest

from gongkai.applications import appeals
from gongkai.applications.enums import AppealKind, AppealOutcome
from gongkai.applications.models import Appeal
from gongkai.applications.tests import conftest as applications
from gongkai.applications.tests.conftest import at
from gongkai.audit.models import Entry

calendar = applications.calendar
submit = applications.submit


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2021, 6, 1, 10), tick=False)


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="id_([\w-]+)_error">(.*?)</p>', html))


def listed(html: str) -> list[str]:
    return re.findall(r'<a href="/desk/appeals/(\d+)/" data-testid="appeal-link">', html)


def register(org, kind=AppealKind.RECONSIDERATION, case_number="", **overrides) -> Appeal:
    return appeals.register_appeal(
        kind=kind,
        org=org,
        body=overrides.pop("body", "绵阳市人民政府"),
        filed_on=overrides.pop("filed_on", date(2021, 5, 6)),
        case_number=case_number,
        by=None,
        **overrides,
    )


def test_appeals_list_requires_staff(client, applicant):
    client.force_login(applicant)

    assert client.get("/desk/appeals/").status_code == 403
    assert client.get("/desk/appeals/new/").status_code == 403


def test_appeals_list_shows_the_staff_members_subtree_only(
    client, dept, other_dept, dept_staff, other_dept_staff, city_office
):
    ours = register(dept, case_number="绵府复〔2021〕1号")
    theirs = register(other_dept, case_number="绵府复〔2021〕2号")

    client.force_login(dept_staff)
    mine = listed(client.get("/desk/appeals/").content.decode())
    client.force_login(other_dept_staff)
    other = listed(client.get("/desk/appeals/").content.decode())
    client.force_login(city_office)
    everyone = listed(client.get("/desk/appeals/").content.decode())

    assert mine == [str(ours.pk)]
    assert other == [str(theirs.pk)]
    assert everyone == [str(theirs.pk), str(ours.pk)]


def test_appeal_detail_is_not_found_for_another_department(client, dept, other_dept_staff):
    appeal = register(dept)
    client.force_login(other_dept_staff)

    assert client.get(f"/desk/appeals/{appeal.pk}/").status_code == 404
    response = client.post(
        f"/desk/appeals/{appeal.pk}/close/", {"detail": "revoked", "closed_on": "2021-05-30"}
    )
    assert response.status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).outcome == AppealOutcome.PENDING


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["complaint", "closed", "lawsuit"]),
        ("?kind=litigation", ["closed", "lawsuit"]),
        ("?kind=complaint", ["complaint"]),
        ("?outcome=corrected", ["closed"]),
        ("?kind=litigation&outcome=pending", ["lawsuit"]),
    ],
)
def test_appeals_list_filters(client, dept, dept_staff, query, expected):
    cases = {
        "lawsuit": register(dept, AppealKind.LITIGATION, filed_on=date(2021, 5, 1)),
        "closed": register(dept, AppealKind.LITIGATION, filed_on=date(2021, 5, 2)),
        "complaint": register(dept, AppealKind.COMPLAINT, filed_on=date(2021, 5, 3)),
    }
    appeals.close_appeal(
        cases["closed"], outcome=AppealOutcome.CORRECTED, closed_on=date(2021, 5, 20), by=None
    )
    client.force_login(dept_staff)

    html = client.get(f"/desk/appeals/{query}").content.decode()

    assert listed(html) == [str(cases[name].pk) for name in expected]


@pytest.mark.parametrize("count", [1, 3])
def test_appeals_list_costs_the_same_queries_for_one_or_three(
    client, dept, dept_staff, django_assert_num_queries, count
):
    for n in range(count):
        register(dept, case_number=f"（2021）川07行初{n}号", kind=AppealKind.LITIGATION)
    client.force_login(dept_staff)

    # session, user, the user's org subtree, count, page
    with django_assert_num_queries(5):
        client.get("/desk/appeals/")


def test_appeal_register_then_close_writes_two_audit_entries(client, submit, dept, dept_staff):
    app = submit().application
    client.force_login(dept_staff)

    registered = client.post(
        "/desk/appeals/new/",
        {
            "kind": "reconsideration",
            "org": dept.pk,
            "body": "绵阳市人民政府",
            "case_number": "绵府复〔2021〕7号",
            "filed_on": "2021-05-06",
            "application": app.number,
        },
    )
    appeal = Appeal.objects.get()
    closed = client.post(
        f"/desk/appeals/{appeal.pk}/close/", {"detail": "revoked", "closed_on": "2021-05-30"}
    )

    appeal.refresh_from_db()
    assert (registered.status_code, registered["Location"]) == (302, f"/desk/appeals/{appeal.pk}/")
    assert (closed.status_code, closed["Location"]) == (302, f"/desk/appeals/{appeal.pk}/")
    assert (appeal.kind, appeal.org, appeal.application, appeal.case_number) == (
        AppealKind.RECONSIDERATION,
        dept,
        app,
        "绵府复〔2021〕7号",
    )
    assert (appeal.outcome, appeal.outcome_detail, appeal.closed_on) == (
        AppealOutcome.CORRECTED,
        "撤销",
        date(2021, 5, 30),
    )
    entries = Entry.objects.filter(object_type="applications.appeal", object_id=str(appeal.pk))
    assert list(entries.order_by("seq").values_list("action", "actor")) == [
        ("applications.register_appeal", "dept_staff"),
        ("applications.close_appeal", "dept_staff"),
    ]
    html = client.get(f"/desk/appeals/{appeal.pk}/").content.decode()
    assert '<dd data-testid="appeal-outcome">结果纠正（撤销）</dd>' in html
    assert 'data-testid="close-form"' not in html


def test_appeal_register_refuses_an_application_the_user_cannot_see(
    client, submit, other_dept, other_dept_staff
):
    app = submit().application  # at 自然资源和规划局
    client.force_login(other_dept_staff)

    response = client.post(
        "/desk/appeals/new/",
        {
            "kind": "complaint",
            "org": other_dept.pk,
            "body": "绵阳市人民政府办公室",
            "filed_on": "2021-05-06",
            "application": app.number,
        },
    )

    assert field_errors(response.content.decode()) == {
        "application": "未找到该申请编号，或不在您可查看的范围内。"
    }
    assert not Appeal.objects.exists()


def test_appeal_register_refuses_an_org_outside_the_subtree(client, dept, other_dept_staff):
    client.force_login(other_dept_staff)

    response = client.post(
        "/desk/appeals/new/",
        {"kind": "complaint", "org": dept.pk, "body": "市政府办", "filed_on": "2021-05-06"},
    )

    assert response.status_code == 200
    assert list(field_errors(response.content.decode())) == ["org"]
    assert not Appeal.objects.exists()


def test_appeal_register_shows_the_services_messages(client, dept, dept_staff):
    client.force_login(dept_staff)

    response = client.post(
        "/desk/appeals/new/",
        {
            "kind": "complaint",
            "org": dept.pk,
            "body": "市政府办",
            "filed_on": "2021-05-06",
            "after_reconsideration": "on",
        },
    )

    assert field_errors(response.content.decode()) == {
        "after_reconsideration": "只有行政诉讼才分“未经复议直接起诉”和“复议后起诉”"
    }


def test_appeal_close_offers_only_the_details_of_its_kind(client, dept, dept_staff):
    appeal = register(dept, AppealKind.COMPLAINT)
    client.force_login(dept_staff)

    html = client.get(f"/desk/appeals/{appeal.pk}/").content.decode()

    select = re.search(r'<select name="detail".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', select) == [
        "revoked",
        "partly_revoked",
        "varied",
        "confirmed_unlawful",
        "ordered_to_act",
        "terminated",
        "withdrawn",
        "settled",
    ]


def test_appeal_close_refuses_a_date_before_filing(client, dept, dept_staff):
    appeal = register(dept)
    client.force_login(dept_staff)

    response = client.post(
        f"/desk/appeals/{appeal.pk}/close/", {"detail": "maintained", "closed_on": "2021-05-01"}
    )

    assert field_errors(response.content.decode()) == {
        "closed_on": "审结日期不能早于收案日期（2021-05-06）"
    }
    assert Appeal.objects.get(pk=appeal.pk).outcome == AppealOutcome.PENDING


def test_workbench_links_to_the_appeals_desk(client, dept_staff):
    client.force_login(dept_staff)

    html = client.get("/workbench/").content.decode()

    assert '<a class="small-link" href="/desk/appeals/" data-testid="workbench-appeals">' in html


def test_appeal_admin_is_read_only(admin_client, dept):
    appeal = register(dept)

    assert admin_client.get("/admin/applications/appeal/add/").status_code == 403
    assert admin_client.post(f"/admin/applications/appeal/{appeal.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/applications/appeal/{appeal.pk}/change/").status_code == 200
