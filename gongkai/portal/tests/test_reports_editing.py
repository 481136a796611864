"""Staff editing of a report on /desk/reports/: narrative, one cell, new revision, and the
external figures page (/desk/reports/figures/) with its XLSX template and import."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from gongkai.applications.enums import Channel
from gongkai.applications.tests.conftest import at, person
from gongkai.audit.models import Entry
from gongkai.reports import services
from gongkai.reports.models import ExternalFigure, Report, ReportStatus
from gongkai.workdays.services import load_from_package

PROBLEMS = "五、存在的主要问题及改进情况"


@pytest.fixture
def calendar(db):
    load_from_package(years=range(2020, 2027))


@pytest.fixture
def applications(calendar, dept):
    """Three applications received by 自然资源和规划局 in 2021."""
    from gongkai.applications import services as app_services

    return [
        app_services.submit(
            person(), org=dept, channel=Channel.IN_PERSON, arrived_at=at(2021, 3, day, 10)
        ).application
        for day in (1, 2, 3)
    ]


def draft(org, year=2021):
    return services.create_draft(org, year, style="2021", scope="self", by=None)


def publish(report):
    for finding in services.blocking(report):
        services.accept_finding(report, services.finding_key(finding), reason="测试", by=None)
    services.review(report, by=None)
    return services.publish(report, by=None, today=date(report.year + 1, 1, 20))


def xlsx(*rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "外部数据"
    sheet.append(["机关", "年度", "指标代码", "指标名称", "数值", "单位", "来源说明"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "figures.xlsx"
    return out


# --- Narrative ----------------------------------------------------------------------------------


def test_narrative_is_saved_as_paragraphs_and_shown_in_the_report(
    client, dept, dept_staff, applications
):
    report = draft(dept)
    client.force_login(dept_staff)

    response = client.post(
        f"/desk/reports/{report.pk}/narrative/",
        {"section": PROBLEMS, "text": "一是公开内容不够全面。\r\n\r\n二是解读形式\r\n较为单一。"},
    )

    report.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/reports/{report.pk}/#narrative"
    assert report.narrative == {PROBLEMS: ["一是公开内容不够全面。", "二是解读形式 较为单一。"]}
    page = client.get(f"/desk/reports/{report.pk}/")
    body = str(page.context["body"])
    assert "一是公开内容不够全面。" in body
    assert "二是解读形式 较为单一。" in body
    assert "一是公开内容不够全面。\n\n二是解读形式 较为单一。</textarea>" in page.text


def test_narrative_page_offers_the_sections_and_2021_subheadings_with_generated_text(
    client, dept, dept_staff, applications
):
    report = draft(dept)
    client.force_login(dept_staff)

    page = client.get(f"/desk/reports/{report.pk}/")

    keys = [block["key"] for block in page.context["narrative"]]
    assert keys == [
        "一、总体情况",
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        PROBLEMS,
        "六、其他需要报告的事项",
    ]
    requests = next(b for b in page.context["narrative"] if b["key"] == "（二）依申请公开")
    assert requests["generated"] == [
        "本年本机关新收政府信息公开申请3件，上年结转0件，本年度办理完结0件，结转下年度继续办理3件。"
    ]
    assert requests["form"].initial["text"] == ""


def test_narrative_for_a_subheading_goes_under_that_subheading(
    client, dept, dept_staff, applications
):
    report = draft(dept)
    client.force_login(dept_staff)

    client.post(
        f"/desk/reports/{report.pk}/narrative/",
        {"section": "（五）监督保障", "text": "本年度开展培训两次。"},
    )

    report.refresh_from_db()
    overview = services.data_of(report).sections[0].paragraphs
    assert overview[-2:] == ["（五）监督保障", "本年度开展培训两次。"]
    page = client.get(f"/desk/reports/{report.pk}/")
    block = next(b for b in page.context["narrative"] if b["key"] == "（五）监督保障")
    assert block["generated"] == []


def test_narrative_for_an_unknown_section_is_refused_with_the_reason(
    client, dept, dept_staff, applications
):
    report = draft(dept)
    client.force_login(dept_staff)

    response = client.post(
        f"/desk/reports/{report.pk}/narrative/", {"section": "七、附则", "text": "正文"}
    )

    assert response.status_code == 400
    assert "“七、附则”不是本格式的章节" in response.text
    assert Report.objects.get(pk=report.pk).narrative == {}


def test_narrative_copied_from_last_years_report_is_flagged(client, dept, dept_staff, calendar):
    last_year = draft(dept, 2020)
    services.set_narrative(last_year, PROBLEMS, ["公开意识有待加强。"], by=None)
    publish(last_year)
    report = draft(dept, 2021)
    client.force_login(dept_staff)

    client.post(
        f"/desk/reports/{report.pk}/narrative/",
        {"section": PROBLEMS, "text": "公开意识有待加强。\n\n新的一段。"},
    )
    page = client.get(f"/desk/reports/{report.pk}/")

    assert page.context["copied"] == ["公开意识有待加强。"]
    assert 'data-testid="copied"' in page.text
    assert page.text.count('data-testid="copied-paragraph"') == 1


# --- One cell -----------------------------------------------------------------------------------


def test_edit_cell_with_a_reason_is_saved_and_the_broken_identity_is_listed(
    client, dept, dept_staff, applications
):
    report = draft(dept)
    client.force_login(dept_staff)
    assert [f for f in services.findings(report) if f.table == "表三"] == []

    response = client.post(
        f"/desk/reports/{report.pk}/cell/",
        {"table": "t3", "row": "t3:一", "column": "person", "value": "5", "reason": "补录纸质申请"},
    )

    report.refresh_from_db()
    assert response.status_code == 302
    assert services.data_of(report).tables.t3["一"]["person"] == 5
    assert [(e["table"], e["row"], e["column"], e["new"], e["reason"]) for e in report.edits] == [
        ("t3", "一", "person", 5, "补录纸质申请")
    ]
    page = client.get(f"/desk/reports/{report.pk}/")
    broken = [row["f"] for row in page.context["findings"] if row["f"].table == "表三"]
    assert [(f.rule, f.severity, f.column, f.stated, f.expected) for f in broken] == [
        ("RPT-15", "error", "总计", "3", "5"),
        ("RPT-17", "error", "自然人", "3", "5"),
    ]
    assert 'data-rule="RPT-15"' in page.text
    assert 'data-testid="edits"' in page.text


def test_edit_cell_without_a_reason_is_refused(client, dept, dept_staff, applications):
    report = draft(dept)
    client.force_login(dept_staff)

    response = client.post(
        f"/desk/reports/{report.pk}/cell/",
        {"table": "t3", "row": "t3:一", "column": "person", "value": "5", "reason": ""},
    )

    assert response.status_code == 400
    assert Report.objects.get(pk=report.pk).edits == []


def test_edit_cell_refuses_a_row_of_another_table(client, dept, dept_staff, applications):
    report = draft(dept)
    client.force_login(dept_staff)

    response = client.post(
        f"/desk/reports/{report.pk}/cell/",
        {"table": "t4", "row": "t3:一", "column": "total", "value": "5", "reason": "试"},
    )

    assert response.status_code == 400
    assert "所选行不属于所选的表" in response.text
    assert Report.objects.get(pk=report.pk).edits == []


def test_cell_pickers_offer_only_the_reports_tables(client, dept, dept_staff, applications):
    report = draft(dept)
    client.force_login(dept_staff)

    form = client.get(f"/desk/reports/{report.pk}/").context["cell_form"]

    assert [key for key, _ in form.fields["table"].choices][:3] == ["t2", "t3", "t4"]
    t3_rows = dict(form.fields["row"].choices)["表三"]
    assert ("t3:三(七)", "（七）总计") in t3_rows
    assert "t3:三(三)" not in dict(t3_rows)  # a heading row holds no numbers


# --- New revision -------------------------------------------------------------------------------


def test_new_revision_button_makes_a_draft_and_leaves_the_published_one_frozen(
    client, dept, dept_staff, applications
):
    first = publish(draft(dept))
    client.force_login(dept_staff)
    page = client.get(f"/desk/reports/{first.pk}/")

    response = client.post(f"/desk/reports/{first.pk}/revise/")

    second = Report.objects.get(revision=2)
    assert 'data-testid="new-revision"' in page.text
    assert response["Location"] == f"/desk/reports/{second.pk}/"
    assert second.status == ReportStatus.DRAFT
    assert Report.objects.get(pk=first.pk).status == ReportStatus.PUBLISHED
    assert Report.objects.get(pk=first.pk).data == first.data
    assert 'data-testid="new-revision"' not in client.get(f"/desk/reports/{first.pk}/").text


def test_new_revision_button_is_not_on_a_draft(client, dept, dept_staff, applications):
    report = draft(dept)
    client.force_login(dept_staff)

    page = client.get(f"/desk/reports/{report.pk}/")
    response = client.post(f"/desk/reports/{report.pk}/revise/", follow=True)

    assert 'data-testid="new-revision"' not in page.text
    assert "第1版尚未发布，请直接修改该版" in response.text
    assert Report.objects.count() == 1


# --- External figures ---------------------------------------------------------------------------


def test_desk_list_links_to_the_figures_page(client, dept_staff):
    client.force_login(dept_staff)

    assert 'href="/desk/reports/figures/"' in client.get("/desk/reports/").text


def test_figures_page_lists_every_figure_for_the_users_org(client, dept, dept_staff):
    from gongkai.reports.external import FIGURES

    client.force_login(dept_staff)

    page = client.get("/desk/reports/figures/?year=2021")

    assert page.context["org"] == dept
    assert [row["key"] for row in page.context["rows"]] == list(FIGURES)
    assert "行政事业性收费·本年收费金额" in page.text


def test_set_figure_stores_it_with_its_source_and_an_audit_entry(client, dept, dept_staff):
    client.force_login(dept_staff)

    response = client.post(
        f"/desk/reports/figures/set/?org={dept.pk}&year=2021",
        {
            "org": dept.pk,
            "year": 2021,
            "key": "t2.fees.amount",
            "value": "２０.37",
            "source": "市财政局非税收入系统",
        },
    )

    assert response["Location"] == f"/desk/reports/figures/?org={dept.pk}&year=2021"
    figure = ExternalFigure.objects.get()
    assert (figure.org, figure.year, figure.key, figure.value, figure.source) == (
        dept,
        2021,
        "t2.fees.amount",
        Decimal("20.37"),
        "市财政局非税收入系统",
    )
    entry = Entry.objects.get(action="reports.set_figure")
    assert (entry.actor, entry.summary["new"], entry.summary["source"]) == (
        "dept_staff",
        "20.37",
        "市财政局非税收入系统",
    )
    page = client.get(response["Location"])
    assert 'data-testid="value-t2.fees.amount">20.37<' in page.text


def test_set_figure_without_a_source_is_refused(client, dept, dept_staff):
    client.force_login(dept_staff)

    response = client.post(
        "/desk/reports/figures/set/",
        {"org": dept.pk, "year": 2021, "key": "t2.fees.amount", "value": "1", "source": " "},
    )

    assert response.status_code == 400
    assert ExternalFigure.objects.count() == 0


def test_set_figure_with_a_fraction_of_a_whole_unit_says_why(client, dept, dept_staff):
    client.force_login(dept_staff)

    response = client.post(
        "/desk/reports/figures/set/",
        {
            "org": dept.pk,
            "year": 2021,
            "key": "t2.licensing.decisions",
            "value": "1.5",
            "source": "行权平台",
        },
    )

    assert response.status_code == 400
    assert "单位为“件”的数值应为整数" in response.text
    assert ExternalFigure.objects.count() == 0


def test_import_of_a_bad_xlsx_names_the_line_and_writes_nothing(client, dept, dept_staff):
    client.force_login(dept_staff)
    file = xlsx(
        [dept.name, 2021, "t2.fees.amount", None, 12, "万元", "财政系统"],
        [dept.name, 2021, "t2.penalty.decisions", None, "十二", "件", "执法平台"],
    )

    response = client.post(f"/desk/reports/figures/import/?org={dept.pk}&year=2021", {"file": file})

    assert response.status_code == 400
    assert response.context["import_errors"] == ["第3行：数值“十二”不是数字"]
    assert "第3行：数值“十二”不是数字" in response.text
    assert ExternalFigure.objects.count() == 0


def test_import_of_a_good_xlsx_stores_every_row(client, dept, dept_staff):
    client.force_login(dept_staff)
    file = xlsx(
        [dept.name, 2021, "t2.fees.amount", None, 12, "万元", "财政系统"],
        [dept.name, 2021, "t2.penalty.decisions", None, 7, "件", "执法平台"],
    )

    response = client.post(f"/desk/reports/figures/import/?org={dept.pk}&year=2021", {"file": file})

    assert response["Location"] == f"/desk/reports/figures/?org={dept.pk}&year=2021"
    assert sorted(ExternalFigure.objects.values_list("key", "value")) == [
        ("t2.fees.amount", Decimal("12")),
        ("t2.penalty.decisions", Decimal("7")),
    ]


def test_template_download_is_an_xlsx_for_the_chosen_org_and_year(client, dept, dept_staff):
    client.force_login(dept_staff)

    response = client.get(f"/desk/reports/figures/template/?org={dept.pk}&year=2021")

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["外部数据"].iter_rows(values_only=True))
    assert rows[0] == ("机关", "年度", "指标代码", "指标名称", "数值", "单位", "来源说明")
    assert rows[1] == (dept.name, 2021, "t2.rules.made", "规章·本年制发件数", None, "件", None)


# --- Who must not see ---------------------------------------------------------------------------


def test_other_department_cannot_see_or_set_another_orgs_figures(
    client, dept, other_dept, other_dept_staff
):
    from gongkai.reports.external import set_figure

    set_figure(dept, 2021, "t2.fees.amount", 9, source="财政系统", by=None)
    client.force_login(other_dept_staff)

    page = client.get(f"/desk/reports/figures/?org={dept.pk}&year=2021")
    template = client.get(f"/desk/reports/figures/template/?org={dept.pk}&year=2021")
    own = client.get("/desk/reports/figures/?year=2021")
    posted = client.post(
        "/desk/reports/figures/set/",
        {"org": dept.pk, "year": 2021, "key": "t2.fees.amount", "value": "1", "source": "x"},
    )

    assert (page.status_code, template.status_code, posted.status_code) == (404, 404, 400)
    assert own.context["org"] == other_dept
    assert [row["figure"] for row in own.context["rows"] if row["figure"]] == []
    assert list(ExternalFigure.objects.values_list("value", flat=True)) == [Decimal("9")]


def test_other_department_cannot_import_figures_of_another_org(
    client, dept, other_dept, other_dept_staff
):
    client.force_login(other_dept_staff)
    file = xlsx(
        [other_dept.name, 2021, "t2.fees.amount", None, 3, "万元", "财政系统"],
        [dept.name, 2021, "t2.fees.amount", None, 12, "万元", "财政系统"],
    )

    response = client.post("/desk/reports/figures/import/", {"file": file})

    assert response.status_code == 400
    assert response.context["import_errors"] == [
        "第3行：无权填报机关“绵阳市自然资源和规划局”的数据（仅限本机关及下级机关）"
    ]
    assert ExternalFigure.objects.count() == 0
    assert Entry.objects.filter(action__startswith="reports.").count() == 0


def test_other_department_cannot_edit_another_orgs_report(
    client, dept, other_dept_staff, applications
):
    report = draft(dept)
    client.force_login(other_dept_staff)

    narrative = client.post(
        f"/desk/reports/{report.pk}/narrative/", {"section": PROBLEMS, "text": "x"}
    )
    cell = client.post(
        f"/desk/reports/{report.pk}/cell/",
        {"table": "t3", "row": "t3:一", "column": "person", "value": "5", "reason": "x"},
    )
    revise = client.post(f"/desk/reports/{report.pk}/revise/")

    assert (narrative.status_code, cell.status_code, revise.status_code) == (404, 404, 404)
    report.refresh_from_db()
    assert (report.narrative, report.edits) == ({}, [])


@pytest.mark.parametrize(
    "url",
    ["/desk/reports/figures/", "/desk/reports/figures/template/"],
)
def test_figures_pages_refuse_a_citizen(client, applicant, url):
    client.force_login(applicant)

    assert client.get(url).status_code == 403
