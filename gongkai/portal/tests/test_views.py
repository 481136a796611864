from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.orgs import services as org_services
from gongkai.orgs.enums import Kind, Level


def test_home_shows_the_org_tree_in_chinese(client, dept, other_dept):
    county = org_services.create_org(
        name="盐亭县人民政府", level=Level.COUNTY, kind=Kind.GOVERNMENT, parent=dept.parent
    )
    org_services.create_org(
        name="盐亭县云溪镇人民政府",
        short_name="云溪镇",
        level=Level.TOWNSHIP,
        kind=Kind.GOVERNMENT,
        parent=county,
    )

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "机关导航" in html
    assert "本平台收录 5 个机关的政府信息公开工作。" in html
    for name in [
        "绵阳市人民政府",
        "市自然资源和规划局",
        "市教育和体育局",
        "盐亭县人民政府",
        "云溪镇",
    ]:
        assert name in html


def test_home_tree_costs_one_query_whatever_its_size(client, django_assert_num_queries, city):
    for n in range(3):
        org_services.create_org(
            name=f"部门{n}", level=Level.CITY, kind=Kind.DEPARTMENT, parent=city
        )

    with django_assert_num_queries(1):
        client.get("/")


def test_home_is_chinese_even_when_the_browser_asks_for_english(client, city):
    html = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()

    assert '<html lang="zh-CN">' in html
    assert "机关导航" in html


def test_home_in_english_after_switching_language(client, city):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Organizations" in html
    assert "中文" in html


def test_workbench_requires_login(client):
    response = client.get("/workbench/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/workbench/"


def test_workbench_shows_the_staff_members_scope(client, city_office, dept_staff, other_dept_staff):
    client.force_login(city_office)
    office_html = client.get("/workbench/").content.decode()
    client.force_login(dept_staff)
    dept_html = client.get("/workbench/").content.decode()

    assert "您可查看 3 个机关的数据。" in office_html
    assert "绵阳市人民政府 · 公开办管理员" in office_html
    assert "您可查看 1 个机关的数据。" in dept_html
    assert "绵阳市自然资源和规划局 · 承办人" in dept_html


def test_workbench_refuses_a_citizen(client, applicant):
    client.force_login(applicant)

    assert client.get("/workbench/").status_code == 403


def test_login_with_a_wrong_password_says_so_in_chinese(client, dept_staff):
    response = client.post("/login/", {"username": "dept_staff", "password": "wrong"})

    assert response.status_code == 200
    assert "用户名或密码不正确，请重新输入。" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_login_locks_after_repeated_failures(client, dept_staff):
    for _ in range(3):
        client.post("/login/", {"username": "dept_staff", "password": "wrong"})

    response = client.post("/login/", {"username": "dept_staff", "password": "Gongkai-test-2026"})

    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()


def test_login_then_workbench(client, dept_staff):
    response = client.post("/login/", {"username": "dept_staff", "password": "Gongkai-test-2026"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workbench")


def test_a_citizen_lands_on_their_own_applications_after_login(client, applicant):
    response = client.post("/login/", {"username": "applicant", "password": "Gongkai-test-2026"})

    assert (response.status_code, response["Location"]) == (302, "/apply/mine/")


def test_login_form_is_csrf_protected(dept_staff):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/login/", {"username": "dept_staff", "password": "Gongkai-test-2026"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_pages_carry_security_headers(client, db, header, value):
    assert client.get("/")[header] == value


def test_pages_carry_a_content_security_policy_without_inline_code(client, db):
    header = client.get("/")["Content-Security-Policy"]

    assert set(header.split("; ")) == {
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    }


def test_healthz_answers_from_the_database(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 2), (2026, date(2026, 3, 2))),
        (date(2026, 12, 20), (2026, date(2026, 11, 30))),
        (date(2028, 5, 1), (2026, date(2026, 11, 30))),
    ],
)
def test_demo_year_stays_inside_the_loaded_calendar(db, today, expected):
    from gongkai.portal.management.commands.demo import demo_year
    from gongkai.workdays.services import load_from_package

    load_from_package(years=[2025, 2026])

    assert demo_year(today) == expected
