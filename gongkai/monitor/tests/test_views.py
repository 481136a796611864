"""The staff desk: dashboard, site page, DOCX notice, XLSX export, spot checks; subtree only."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from gongkai.monitor import services
from gongkai.monitor.crawl.result import ColumnObservation, CrawlResult, LinkCheck
from gongkai.monitor.models import SpotCheck

POINT = date(2017, 12, 29)


@pytest.fixture
def judged(dept_site, other_site):
    at = datetime(2017, 12, 29, 2, tzinfo=UTC)
    for site, newest in ((dept_site, date(2017, 10, 1)), (other_site, POINT)):
        result = CrawlResult(
            site_url=site.url,
            started=at,
            finished=at,
            columns=[
                ColumnObservation(
                    url=site.url + "gzdt/",
                    name="工作动态",
                    entries=1,
                    dates=[newest],
                    newest=newest,
                )
            ],
            links=[LinkCheck(url=site.url + "x", found_on=site.url, kind="page", status=404)],
        )
        services.store_run(site, result, today=POINT)
    return dept_site


def test_dashboard_shows_only_the_staff_subtree_with_svg_charts(client, judged, dept_staff):
    client.force_login(dept_staff)
    response = client.get("/desk/monitor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert judged.name in html
    assert "绵阳市教育和体育局网站" not in html
    assert html.count("<svg") == 2
    assert "style=" not in html.split("<main")[1] and "<script" not in html


def test_site_page_and_rectification_notice(client, judged, dept_staff, other_dept_staff):
    client.force_login(other_dept_staff)
    assert client.get(f"/desk/monitor/sites/{judged.pk}/").status_code == 404
    client.force_login(dept_staff)
    page = client.get(f"/desk/monitor/sites/{judged.pk}/").content.decode()
    assert "不合格（单项否决）" in page and "MON-9" in page
    response = client.get(f"/desk/monitor/sites/{judged.pk}/notice.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "政府网站整改通知书"
    assert texts[1] == "绵阳市自然资源和规划局："
    assert "单项否决（MON-9），判定为不合格" in texts[2]
    fonts = doc.paragraphs[0].runs[0]._r.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "Noto Serif CJK SC"
    )


def test_supervisor_export_has_one_row_per_visible_site(client, judged, city_office):
    client.force_login(city_office)
    response = client.get("/desk/monitor/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("网站名称", "首页网址", "主办单位")
    assert sorted((r[0], r[8]) for r in rows[1:]) == [
        ("绵阳市教育和体育局网站", None),  # empty cell
        ("绵阳市自然资源和规划局网站", "MON-9"),
    ]


def test_false_positive_from_the_site_page(client, judged, dept_staff):
    client.force_login(dept_staff)
    finding = judged.runs.get().findings.get(rule="MON-9")
    response = client.post(
        f"/desk/monitor/findings/{finding.pk}/false-positive/", {"reason": "栏目已停更并归档"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.dismissed is True


def test_only_the_office_draws_spot_checks(client, judged, city_office, dept_staff):
    client.force_login(dept_staff)
    assert (
        client.post("/desk/monitor/spot-checks/", {"quarter": "2017Q4", "share": "0.3"}).status_code
        == 403
    )
    client.force_login(city_office)
    response = client.post("/desk/monitor/spot-checks/", {"quarter": "2017Q4", "share": "0.5"})
    assert response.status_code == 302
    assert len(SpotCheck.objects.get().site_ids) == 1


def test_public_form_rejects_missing_fields_and_files_a_ticket(client, calendar, dept_site):
    response = client.post("/jiucuo/", {"site": dept_site.pk})
    assert response.status_code == 200
    response = client.post(
        "/jiucuo/",
        {
            "site": dept_site.pk,
            "page_url": "http://zrzyj.my.gov.cn/a",
            "category": "broken",
            "description": "打不开",
        },
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_staff_confirm_a_proposed_column_and_change_a_site_status(client, judged, dept_staff, dept):
    from gongkai.orgs.enums import Role
    from gongkai.orgs.models import User

    column = judged.columns.create(name="专题专栏", url=judged.url + "zt/", kind="OTHER")
    data = {
        f"c{column.pk}-kind": "NEWS",
        f"c{column.pk}-level": "2",
        f"c{column.pk}-historical": "on",
    }
    client.force_login(dept_staff)  # a handler may not
    assert client.post(f"/desk/monitor/columns/{column.pk}/confirm/", data).status_code == 403
    head = User.objects.create_user(username="head", password="x", org=dept, role=Role.DEPT_ADMIN)
    client.force_login(head)
    assert client.post(f"/desk/monitor/columns/{column.pk}/confirm/", data).status_code == 302
    column.refresh_from_db()
    assert (column.kind, column.level, column.historical, column.confirmed) == (
        "NEWS",
        2,
        True,
        True,
    )
    client.post(
        f"/desk/monitor/sites/{judged.pk}/status/", {"status": "rectifying", "on": "2018-01-05"}
    )
    judged.refresh_from_db()
    assert (judged.status, str(judged.status_date)) == ("rectifying", "2018-01-05")


def test_public_filing_is_rate_limited(client, calendar, dept_site, settings):
    # A cache of this process only: the file cache under var/ is shared with other test runs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    data = {
        "site": dept_site.pk,
        "page_url": "http://zrzyj.my.gov.cn/a",
        "category": "broken",
        "description": "打不开",
    }
    codes = [client.post("/jiucuo/", data).status_code for _ in range(11)]
    assert codes == [302] * 10 + [200]


def test_indicator_set_from_the_setting(settings, tmp_path):
    from gongkai.monitor.indicators import configured, load

    assert configured().id == "MON_2019"
    settings.GONGKAI_MONITOR_INDICATORS = "MON_2015"
    assert configured().id == "MON_2015"
    custom = tmp_path / "local.yaml"
    shipped = Path(load("MON_2015").source).read_text(encoding="utf-8")
    custom.write_text(
        shipped.replace("id: MON_2015", "id: LOCAL").replace("stale_count: 5", "stale_count: 3"),
        encoding="utf-8",
    )
    settings.GONGKAI_MONITOR_INDICATORS = str(custom)
    assert (configured().id, configured().stale_count) == ("LOCAL", 3)


def test_office_records_a_repost_and_sees_it_listed_late(client, city_site, city_office):
    client.force_login(city_office)
    response = client.post(
        "/desk/monitor/reposts/",
        {
            "site": city_site.pk,
            "title": "国务院关于加强政务公开的通知",
            "source_url": "http://www.gov.cn/zhengce/1",
            "published_at": "2017-06-01 10:00",
            "reposted_at": "2017-06-02 10:01",
            "url": "http://www.my.gov.cn/gwy/1",
        },
    )
    assert response.status_code == 302
    page = client.get("/desk/monitor/reposts/").content.decode()
    assert "国务院关于加强政务公开的通知" in page
