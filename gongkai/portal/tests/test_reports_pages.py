"""Annual reports on the portal: the public list and pages, downloads, the staff desk."""

import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.applications.enums import Channel
from gongkai.applications.tests.conftest import at, person
from gongkai.reports import queries, services
from gongkai.reports.models import Acceptance, Report, ReportStatus
from gongkai.workdays.services import load_from_package


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


def draft(org, year=2021, *, by=None, scope="self", style="2021"):
    return services.create_draft(org, year, style=style, scope=scope, by=by)


def published(org, year=2021, *, by=None, scope="self"):
    report = draft(org, year, by=by, scope=scope)
    for finding in services.blocking(report):
        services.accept_finding(report, services.finding_key(finding), reason="测试", by=by)
    services.review(report, by=by)
    return services.publish(report, by=by, today=date(2022, 1, 20))


def login(client, user):
    client.force_login(user)


# --- Public -------------------------------------------------------------------------------


def test_public_list_shows_only_published_reports(client, dept, other_dept, applications):
    shown = published(dept)
    draft(other_dept)

    response = client.get("/reports/")

    assert list(response.context["reports"]) == [shown]
    assert response.context["reports"][0].report_title == (
        "绵阳市自然资源和规划局2021年政府信息公开工作年度报告"
    )
    assert "绵阳市自然资源和规划局2021年" in response.text
    assert "绵阳市教育和体育局" not in response.text


def test_public_list_shows_the_latest_revision_only(client, dept, applications):
    first = published(dept)
    second = services.new_revision(first, by=None)
    services.review(second, by=None)
    for finding in services.blocking(second):
        services.accept_finding(second, services.finding_key(finding), reason="测试", by=None)
    second = services.publish(second, by=None, today=date(2022, 2, 1))

    response = client.get("/reports/")

    assert list(response.context["reports"]) == [second]
    assert "第2版" in response.text


def test_public_list_filters_by_year(client, dept, applications):
    report = published(dept)

    assert list(client.get("/reports/?year=2021").context["reports"]) == [report]
    assert list(client.get("/reports/?year=2020").context["reports"]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_public_list_query_count_does_not_grow_with_reports(client, city, count, calendar):
    from gongkai.orgs import services as org_services
    from gongkai.orgs.enums import Kind, Level

    for i in range(count):
        org = org_services.create_org(
            name=f"绵阳市测试局{i}", level=Level.CITY, kind=Kind.DEPARTMENT, parent=city
        )
        published(org)

    with CaptureQueriesContext(connection) as queries_run:
        response = client.get("/reports/")

    assert len(response.context["reports"]) == count
    assert len(queries_run) == 2  # the years for the filter; the reports with their orgs


def test_public_report_page_shows_the_report_and_its_downloads(client, dept, applications):
    report = published(dept)

    response = client.get(f"/reports/{report.pk}/")

    assert "已发布（第1版）" in response.text
    assert "一、本年新收政府信息公开申请数量" in response.text
    assert 'data-cell="一:total">3<' in response.text
    for fmt in ("docx", "xlsx", "pdf", "json"):
        assert f'href="/reports/{report.pk}/{fmt}/"' in response.text
    assert "reports.css" in response.text


def test_public_report_page_of_a_draft_is_not_found(client, dept, applications):
    report = draft(dept)

    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/docx/").status_code == 404


def test_public_download_gives_the_xlsx_with_the_frozen_numbers(client, dept, applications):
    report = published(dept)

    response = client.get(f"/reports/{report.pk}/xlsx/")

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert book["表三"]["J5"].value == 3  # 一、本年新收 · 总计


def test_public_download_of_an_unknown_format_is_not_found(client, dept, applications):
    report = published(dept)

    assert client.get(f"/reports/{report.pk}/exe/").status_code == 404


# --- Staff: who may see ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/desk/reports/",
        "/desk/reports/new/",
        "/desk/reports/{pk}/",
        "/desk/reports/{pk}/download/docx/",
    ],
)
def test_desk_pages_send_anonymous_visitors_to_login(client, dept, applications, url):
    report = draft(dept)

    response = client.get(url.format(pk=report.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_desk_pages_refuse_a_citizen(client, dept, applicant, applications):
    report = draft(dept)
    login(client, applicant)

    assert client.get("/desk/reports/").status_code == 403
    assert client.get(f"/desk/reports/{report.pk}/").status_code == 403


def test_staff_of_another_department_cannot_see_or_act_on_the_report(
    client, dept, other_dept_staff, applications
):
    report = draft(dept)
    login(client, other_dept_staff)

    listing = client.get("/desk/reports/")
    page = client.get(f"/desk/reports/{report.pk}/")
    act = client.post(f"/desk/reports/{report.pk}/act/review/")

    assert list(listing.context["reports"]) == []
    assert page.status_code == 404
    assert act.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_new_report_form_offers_only_the_users_subtree(client, dept, other_dept, dept_staff):
    login(client, dept_staff)

    form = client.get("/desk/reports/new/").context["form"]

    assert list(form.fields["org"].queryset) == [dept]


def test_new_report_refuses_an_org_outside_the_subtree(
    client, dept, other_dept, dept_staff, applications
):
    login(client, dept_staff)

    response = client.post(
        "/desk/reports/new/", {"org": other_dept.pk, "year": 2021, "style": "2021", "scope": "self"}
    )

    assert response.status_code == 200
    assert "org" in response.context["form"].errors
    assert not Report.objects.exists()


# --- Staff: the lifecycle ---------------------------------------------------------------------


def test_staff_creates_a_draft_and_sees_it_with_its_findings(
    client, dept, dept_staff, applications
):
    login(client, dept_staff)

    response = client.post(
        "/desk/reports/new/", {"org": dept.pk, "year": 2021, "style": "2021", "scope": "self"}
    )

    report = Report.objects.get()
    assert response["Location"] == f"/desk/reports/{report.pk}/"
    page = client.get(f"/desk/reports/{report.pk}/")
    assert (report.org, report.year, report.status, report.created_by) == (
        dept,
        2021,
        ReportStatus.DRAFT,
        dept_staff,
    )
    assert 'data-testid="review"' in page.text
    assert 'data-testid="findings"' in page.text
    assert 'data-cell="一:total">3<' in page.text


def test_creating_the_same_report_twice_says_why(client, dept, dept_staff, applications):
    draft(dept)
    login(client, dept_staff)

    response = client.post(
        "/desk/reports/new/", {"org": dept.pk, "year": 2021, "style": "2021", "scope": "self"}
    )

    assert response.status_code == 200
    assert "已存在" in response.text


def test_publish_is_blocked_while_an_error_is_not_accepted(client, dept, dept_staff, applications):
    report = draft(dept)
    report = services.edit_cell(report, "t3", "一", "person", 5, by=dept_staff, reason="试改")
    services.review(report, by=dept_staff)
    login(client, dept_staff)

    response = client.post(f"/desk/reports/{report.pk}/act/publish/")

    assert response.status_code == 409
    assert 'data-testid="publish-blocked"' in response.text
    assert "RPT-15" in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEWED


def test_an_accepted_error_lets_the_report_be_published(client, dept, dept_staff, applications):
    report = draft(dept)
    report = services.edit_cell(report, "t3", "一", "person", 5, by=dept_staff, reason="试改")
    login(client, dept_staff)
    keys = [services.finding_key(f) for f in services.blocking(report)]

    for key in keys:
        client.post(f"/desk/reports/{report.pk}/act/accept/", {"key": key, "reason": "经核实无误"})
    client.post(f"/desk/reports/{report.pk}/act/review/")
    response = client.post(f"/desk/reports/{report.pk}/act/publish/")

    report.refresh_from_db()
    assert response.status_code == 302
    assert report.status == ReportStatus.PUBLISHED
    assert set(Acceptance.objects.values_list("reason", flat=True)) == {"经核实无误"}


def test_accepting_without_a_reason_is_refused(client, dept, dept_staff, applications):
    report = draft(dept)
    report = services.edit_cell(report, "t3", "一", "person", 5, by=dept_staff, reason="试改")
    key = services.finding_key(services.blocking(report)[0])
    login(client, dept_staff)

    response = client.post(f"/desk/reports/{report.pk}/act/accept/", {"key": key, "reason": ""})

    assert response.status_code == 400
    assert not Acceptance.objects.exists()


def test_published_report_page_is_frozen_with_no_edit_controls(
    client, dept, dept_staff, applications
):
    report = published(dept, by=dept_staff)
    login(client, dept_staff)

    page = client.get(f"/desk/reports/{report.pk}/")

    assert "已发布（第1版）" in page.text
    assert 'data-testid="frozen-note"' in page.text
    for control in ("review", "publish", "refresh", "report-actions", "findings"):
        assert f'data-testid="{control}"' not in page.text
    assert "/act/" not in page.text


def test_a_later_application_does_not_change_the_published_report(
    client, dept, dept_staff, applications
):
    from gongkai.applications import services as app_services

    report = published(dept, by=dept_staff)

    app_services.submit(person(), org=dept, channel=Channel.IN_PERSON, arrived_at=at(2021, 6, 1, 9))
    page = client.get(f"/reports/{report.pk}/")

    assert 'data-cell="一:total">3<' in page.text
    assert queries.published().get().data == report.data


def test_unknown_action_is_not_found(client, dept, dept_staff, applications):
    report = draft(dept)
    login(client, dept_staff)

    assert client.post(f"/desk/reports/{report.pk}/act/delete/").status_code == 404
    assert client.get(f"/desk/reports/{report.pk}/act/review/").status_code == 405


def test_staff_may_download_a_draft(client, dept, dept_staff, applications):
    report = draft(dept)
    login(client, dept_staff)

    response = client.get(f"/desk/reports/{report.pk}/download/json/")

    assert b'"org_name": "' in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("style", "year", "marker"),
    (
        ("2021", 2021, 'data-table="t3"'),
        ("2019", 2020, ">本年新制作数量</th>"),  # RPT-13's table 二
        ("legacy", 2017, "<h2>统计数据</h2>"),
    ),
)
def test_staff_page_shows_a_report_of_every_style(
    client, dept, dept_staff, applications, style, year, marker
):
    report = draft(dept, year, style=style)
    client.force_login(dept_staff)

    page = client.get(f"/desk/reports/{report.pk}/")

    assert page.status_code == 200
    assert marker in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_desk_list_query_count_does_not_grow_with_reports(client, city_office, count, calendar):
    from gongkai.orgs import services as org_services
    from gongkai.orgs.enums import Kind, Level

    for i in range(count):
        org = org_services.create_org(
            name=f"绵阳市测试局{i}", level=Level.CITY, kind=Kind.DEPARTMENT, parent=city_office.org
        )
        draft(org)
    client.force_login(city_office)

    with CaptureQueriesContext(connection) as queries_run:
        response = client.get("/desk/reports/")

    assert len(response.context["reports"]) == count
    assert len(queries_run) == 4  # session, user, the user's org subtree … and the reports
