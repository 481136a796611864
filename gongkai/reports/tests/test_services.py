"""The report lifecycle: draft → reviewed → published, edits, findings, revisions, visibility."""

from datetime import date

import pytest

from gongkai.applications.enums import ApplicantKind, Decision
from gongkai.audit.models import Entry
from gongkai.reports import external, queries, serialize, services
from gongkai.reports.models import Report, ReportStatus
from gongkai.reports.services import PublishBlocked, ReportRefused
from gongkai.reports.tables import Scope, Style
from gongkai.reports.tests import test_statistics as records

calendar, clerk, make = records.calendar, records.clerk, records.make

TABLE_TWO = (
    "t2.rules.made",
    "t2.rules.repealed",
    "t2.rules.in_force",
    "t2.normative.made",
    "t2.normative.repealed",
    "t2.normative.in_force",
    "t2.licensing.decisions",
    "t2.penalty.decisions",
    "t2.coercion.decisions",
    "t2.fees.amount",
)
WRITTEN = {
    "一、总体情况": ["本年度，本机关认真贯彻落实《条例》。"],
    "五、存在的主要问题及改进情况": ["主动公开的及时性有待提高。"],
}
TODAY = date(2022, 1, 20)


def enter_table_two(org, year, by):
    for n, key in enumerate(TABLE_TWO):
        external.set_figure(org, year, key, n, source="本机关业务系统", by=by)


@pytest.fixture
def few(dept, clerk):
    """2021: two people and a company apply; two are answered, one is carried over."""
    make(dept, received=date(2021, 3, 1), closed=date(2021, 3, 10), by=clerk)
    make(
        dept,
        received=date(2021, 4, 1),
        closed=date(2021, 4, 12),
        outcome=Decision.NOT_HELD,
        kind=ApplicantKind.COMMERCIAL,
        by=clerk,
    )
    make(dept, received=date(2021, 12, 30), by=clerk)


@pytest.fixture
def draft(few, dept, clerk):
    enter_table_two(dept, 2021, clerk)
    report = services.create_draft(dept, 2021, style=Style.F2021, scope=Scope.SELF, by=clerk)
    for section, paragraphs in WRITTEN.items():
        report = services.set_narrative(report, section, paragraphs, by=clerk)
    return report


def actions(report) -> list[str]:
    return list(
        Entry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_create_draft_stores_the_report_built_from_records(draft, dept):
    data = services.data_of(draft)

    assert (draft.status, draft.revision, draft.rounding) == (ReportStatus.DRAFT, 1, "half_up")
    assert [data.tables.t3[row]["total"] for row in ("一", "三(七)", "四")] == [3, 2, 1]
    assert data.sections[4].paragraphs == ["主动公开的及时性有待提高。"]
    assert services.findings(draft) == []
    assert actions(draft) == [
        "reports.create_draft",
        "reports.set_narrative",
        "reports.set_narrative",
    ]


def test_create_draft_twice_is_refused(draft, dept, clerk):
    with pytest.raises(ReportRefused, match="已存在"):
        services.create_draft(dept, 2021, style=Style.F2021, scope=Scope.SELF, by=clerk)


def test_publish_freezes_the_report_when_records_change(draft, dept, clerk):
    report = services.review(draft, by=clerk)
    report = services.publish(report, by=clerk, today=TODAY)
    frozen = dict(report.data)

    make(dept, received=date(2021, 6, 1), closed=date(2021, 6, 10), by=clerk)
    report.refresh_from_db()

    assert report.data == frozen
    assert services.data_of(report).published_on == "2022-01-20"
    assert services.data_of(report).tables.t3["一"]["total"] == 3
    for change in (
        lambda: services.refresh(report, by=clerk),
        lambda: services.edit_cell(report, "t3", "一", "person", 1, by=clerk, reason="改"),
        lambda: services.set_narrative(report, "五、存在的主要问题及改进情况", ["改"], by=clerk),
    ):
        with pytest.raises(ReportRefused, match="已于2022-01-20发布"):
            change()


def test_new_revision_is_rebuilt_from_records_and_keeps_the_history(draft, dept, clerk):
    published = services.publish(services.review(draft, by=clerk), by=clerk, today=TODAY)
    make(dept, received=date(2021, 6, 1), closed=date(2021, 6, 10), by=clerk)

    revision = services.new_revision(published, by=clerk)

    assert (revision.revision, revision.status, revision.narrative) == (
        2,
        ReportStatus.DRAFT,
        published.narrative,
    )
    assert services.data_of(revision).tables.t3["一"]["total"] == 4
    assert list(queries.revisions(revision)) == [revision, published]
    with pytest.raises(ReportRefused, match="第2版尚未发布"):
        services.new_revision(published, by=clerk)


def test_publish_is_blocked_until_a_broken_identity_is_accepted_with_a_reason(draft, clerk):
    report = services.edit_cell(draft, "t3", "一", "person", 3, by=clerk, reason="补录一件纸质申请")
    report = services.review(report, by=clerk)

    with pytest.raises(PublishBlocked) as blocked:
        services.publish(report, by=clerk, today=TODAY)
    rules = sorted(f.rule for f in blocked.value.findings)
    with pytest.raises(ReportRefused, match="须说明理由"):
        services.accept_finding(
            report, services.finding_key(blocked.value.findings[0]), reason=" ", by=clerk
        )
    for finding in blocked.value.findings:
        services.accept_finding(
            report, services.finding_key(finding), reason="纸质台账核实无误", by=clerk
        )
    report = services.publish(report, by=clerk, today=TODAY)

    assert rules == ["RPT-15", "RPT-17"]
    assert report.status == ReportStatus.PUBLISHED
    assert report.acceptances.count() == 2
    assert actions(report)[-5:] == [
        "reports.edit_cell",
        "reports.review",
        "reports.accept_finding",
        "reports.accept_finding",
        "reports.publish",
    ]


def test_accepting_a_finding_that_is_not_there_is_refused(draft, clerk):
    with pytest.raises(ReportRefused, match="没有编号为“abc”的问题"):
        services.accept_finding(draft, "abc", reason="无", by=clerk)


def test_missing_table_two_figures_block_publishing(few, dept, clerk):
    report = services.create_draft(dept, 2021, style=Style.F2021, scope=Scope.SELF, by=clerk)
    report = services.review(report, by=clerk)

    with pytest.raises(PublishBlocked) as blocked:
        services.publish(report, by=clerk, today=TODAY)

    assert {(f.rule, f.table) for f in blocked.value.findings} == {("RPT-19", "表二")}
    assert len(blocked.value.findings) == 10


def test_edit_cell_is_logged_and_rewrites_the_summary(draft, clerk):
    report = services.edit_cell(draft, "t3", "三(一)", "total", 2, by=clerk, reason="核对台账")
    entry = Entry.objects.filter(action="reports.edit_cell").get()

    assert report.edits[0] | {"at": ""} == {
        "table": "t3",
        "row": "三(一)",
        "column": "total",
        "old": 1,
        "new": 2,
        "reason": "核对台账",
        "by": "clerk",
        "at": "",
    }
    assert (entry.summary["old"], entry.summary["new"], entry.actor) == (1, 2, "clerk")
    assert "予以公开2件，占100.0%" in services.data_of(report).sections[2].paragraphs[0]


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "reason", "message"),
    (
        ("t9", "一", "person", 1, "理由", "未知的表"),
        ("t3", "一", "person", 1, " ", "须说明理由"),
        ("t3", "九", "person", 1, "理由", "表三中没有“九”行"),
        ("t3", "一", "person", "1.5", "理由", "只能填整数"),
        ("t3", "一", "person", "许多", "理由", "不是数字"),
        ("figures", "applications.channel.fax.share", "value", 1, "理由", "由其他数据计算得出"),
    ),
)
def test_edit_cell_refuses_what_it_cannot_do(
    draft, clerk, table, row, column, value, reason, message
):
    with pytest.raises(ReportRefused, match=message):
        services.edit_cell(draft, table, row, column, value, by=clerk, reason=reason)


def test_editing_a_reviewed_report_returns_it_to_draft(draft, clerk):
    report = services.review(draft, by=clerk)

    report = services.set_narrative(report, "六、其他需要报告的事项", ["无。"], by=clerk)

    assert (report.status, report.reviewed_by) == (ReportStatus.DRAFT, None)
    assert services.data_of(report).sections[5].paragraphs[-1] == "无。"


def test_set_narrative_refuses_a_section_of_another_format(draft, clerk):
    with pytest.raises(ReportRefused, match="不是本格式的章节"):
        services.set_narrative(draft, "四、政府信息公开收费及减免情况", ["无"], by=clerk)


def test_review_and_publish_follow_the_order(draft, clerk):
    with pytest.raises(ReportRefused, match="须先审核"):
        services.publish(draft, by=clerk, today=TODAY)
    report = services.review(draft, by=clerk)
    with pytest.raises(ReportRefused, match="只有草稿可以审核"):
        services.review(report, by=clerk)


def test_refresh_rebuilds_and_drops_edits(draft, dept, clerk):
    report = services.edit_cell(draft, "t3", "一", "person", 3, by=clerk, reason="试")
    make(dept, received=date(2021, 6, 1), by=clerk)

    report = services.refresh(report, by=clerk)

    assert services.data_of(report).tables.t3["一"]["person"] == 3  # now a real third
    assert services.data_of(report).tables.t3["一"]["total"] == 4
    assert report.edits == []
    assert Entry.objects.filter(action="reports.refresh").get().summary["dropped_edits"] == 1


# --- Across years ----------------------------------------------------------------------------------


@pytest.fixture
def last_year(few, dept, clerk):
    """The 2020 report, published, with a paragraph staff wrote."""
    enter_table_two(dept, 2020, clerk)
    report = services.create_draft(dept, 2020, style=Style.F2021, scope=Scope.SELF, by=clerk)
    report = services.set_narrative(
        report, "五、存在的主要问题及改进情况", ["队伍建设有待加强。", "平台功能需完善。"], by=clerk
    )
    report = services.set_narrative(report, "一、总体情况", ["综述。"], by=clerk)
    return services.publish(services.review(report, by=clerk), by=clerk, today=date(2021, 1, 25))


def test_copied_paragraphs_are_those_repeated_from_last_year_rpt_12(last_year, draft, clerk):
    report = services.set_narrative(
        draft,
        "五、存在的主要问题及改进情况",
        ["队伍建设 有待加强。", "今年的新问题。"],
        by=clerk,
    )

    assert services.copied_paragraphs(report) == ["队伍建设 有待加强。"]


def test_carried_in_that_differs_from_last_year_is_a_warning_rpt_20(last_year, draft, clerk):
    report = services.edit_cell(draft, "t3", "二", "person", 3, by=clerk, reason="试")

    warnings = [f for f in services.findings(report) if f.rule == "RPT-20" and f.table == "表三"]

    assert [(f.severity, f.column, f.stated, f.expected) for f in warnings] == [
        ("warning", "自然人", "3", "0")
    ]


# --- Visibility ----------------------------------------------------------------------------------------


def test_visible_to_is_the_org_subtree(draft, city_office, dept_staff, other_dept_staff, applicant):
    assert list(queries.visible_to(city_office)) == [draft]
    assert list(queries.visible_to(dept_staff)) == [draft]
    assert list(queries.visible_to(other_dept_staff)) == []
    assert list(queries.visible_to(applicant)) == []


def test_the_public_sees_published_revisions_only(draft, dept, clerk):
    assert list(queries.published()) == []

    report = services.publish(services.review(draft, by=clerk), by=clerk, today=TODAY)

    assert list(queries.published()) == [report]
    assert queries.current_published(dept, 2021, scope=Scope.SELF) == report
    assert Report.objects.get().data == serialize.to_json(services.data_of(report))
