"""The staff dashboard in Chromium: SVG charts render under the CSP (no inline styles)."""

import os
from datetime import date

import pytest

from gongkai.monitor.demo import build_demo
from gongkai.orgs.demo import build_demo_city
from gongkai.orgs.enums import Role
from gongkai.orgs.models import Org, User

pytestmark = pytest.mark.browser


def test_office_sees_all_72_sites_and_charts_without_csp_violations(live_server, page, calendar):
    city = build_demo_city()
    build_demo(city=city, year=2026, today=date(2026, 3, 2), profile="", say=lambda _: None)
    User.objects.create_user(
        username="office",
        password="Gongkai-test-2026",
        org=Org.objects.get(pk=city.pk),
        role=Role.OFFICE_ADMIN,
    )
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")
    page.goto(live_server.url + "/desk/monitor/")
    assert page.locator("[data-testid=site-list] tbody tr").count() == 72
    assert page.locator("svg.chart").count() == 2
    bar = page.locator("svg.chart rect.bar").first
    assert bar.evaluate("el => getComputedStyle(el).fill") != "rgb(0, 0, 0)"  # CSS applied
    page.locator("[data-testid=site-list] a").nth(4).click()
    assert page.locator("[data-testid=score]").inner_text() == "不合格（单项否决）"
    assert page.locator("svg.chart").count() == 1
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/monitor-site.png", full_page=True)
        page.goto(live_server.url + "/desk/monitor/")
        page.screenshot(path=f"{shots}/monitor-dashboard.png", full_page=True)
    assert violations == []
