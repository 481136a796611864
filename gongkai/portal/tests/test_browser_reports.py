"""Issue 4's "Done when", in Debian's Chromium: a 2021-format report generated from the
records opens in the browser; staff review it, find publishing blocked by an open error,
accept it with a reason, publish, and see the report frozen — a later application does not
change the published numbers.
"""

import os
from datetime import date

import pytest

from gongkai.applications import services as app_services
from gongkai.applications.enums import Action, Channel, Decision
from gongkai.applications.tests.conftest import at, person
from gongkai.reports import external
from gongkai.workdays.services import load_from_package

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
TABLE_TWO = {  # every cell of table 二 but the fees, which stays open as an RPT-19 error
    "t2.rules.made": 0,
    "t2.rules.repealed": 0,
    "t2.rules.in_force": 3,
    "t2.normative.made": 4,
    "t2.normative.repealed": 1,
    "t2.normative.in_force": 27,
    "t2.licensing.decisions": 1520,
    "t2.penalty.decisions": 86,
    "t2.coercion.decisions": 0,
}


def screenshot(page, name):
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


@pytest.fixture
def records(db, dept, dept_staff):
    """Three applications received in 2021, one granted and delivered; table 二's figures."""
    load_from_package(years=range(2020, 2027))
    apps = [
        app_services.submit(
            person(), org=dept, channel=channel, arrived_at=at(2021, 3, day, 10)
        ).application
        for day, channel in (
            (1, Channel.IN_PERSON),
            (2, Channel.IN_PERSON),
            (3, Channel.POST_SIGNED),
        )
    ]
    first = apps[0]
    if first.received_on is None:
        first = app_services.act(
            first,
            Action.CONFIRM,
            by=dept_staff,
            today=date(2021, 3, 1),
            at=at(2021, 3, 1, 10),
            via="当面",
        )
    first = app_services.act(
        first,
        Action.DECIDE,
        by=dept_staff,
        today=date(2021, 3, 10),
        decision=Decision.GRANT,
        text="提供征地补偿安置方案",
    )
    app_services.act(
        first,
        Action.DELIVER,
        by=dept_staff,
        today=date(2021, 3, 11),
        delivered_on=date(2021, 3, 11),
    )
    for key, value in TABLE_TWO.items():
        external.set_figure(dept, 2021, key, value, source="市政务服务网统计", by=dept_staff)
    return apps


def cell(page, key):
    return page.locator(f"[data-cell='{key}']").first.inner_text()


def test_staff_publishes_a_2021_report_and_sees_it_frozen(
    live_server, browser, dept, dept_staff, records
):
    errors = []

    def console(message):
        # The blocked publish answers 409 Conflict on purpose; anything else is a fault.
        if message.type == "error" and "409 (Conflict)" not in message.text:
            errors.append(message.text)

    page = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.on("console", console)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "dept_staff")
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")

    # A draft for 2021, built from the records.
    page.goto(live_server.url + "/desk/reports/new/")
    page.select_option("#id_org", str(dept.pk))
    page.fill("#id_year", "2021")
    page.select_option("#id_style", "2021")
    page.select_option("#id_scope", "self")
    page.click("[data-testid=create-draft]")
    assert page.locator("[data-testid=report-status]").inner_text() == "草稿（第1版）"
    assert page.locator(".annual-report h1").inner_text() == (
        "绵阳市自然资源和规划局2021年政府信息公开工作年度报告"
    )
    assert (cell(page, "一:total"), cell(page, "三(一):total"), cell(page, "四:total")) == (
        "3",
        "1",
        "2",
    )
    assert (
        page.locator("table[data-table=t3] th.note").inner_text().startswith("（本列数据的勾稽关系")
    )
    assert page.locator("svg[data-chart=channels]").is_visible()
    screenshot(page, "report-draft")

    # Reviewed, then publishing is blocked by the empty fees cell until it is accepted.
    page.click("[data-testid=review]")
    assert page.locator("[data-testid=report-status]").inner_text() == "已审核（第1版）"
    page.click("[data-testid=publish]")
    blocked = page.locator("[data-testid=publish-blocked]")
    assert "RPT-19" in blocked.inner_text()
    assert "表二 · 行政事业性收费 · 本年收费金额（单位：万元）" in blocked.inner_text()
    screenshot(page, "report-blocked")
    while page.locator("details.accept").count():
        accept = page.locator("details.accept").first
        accept.locator("summary").click()
        accept.locator("textarea").fill("收费金额由财政部门提供，年报发布后补录")
        accept.locator("button").click()
        assert page.locator(".messages li").first.inner_text() == "已确认该问题并记录理由。"
    page.click("[data-testid=publish]")

    # Published and frozen: no controls left, the note says why.
    assert page.locator("[data-testid=report-status]").inner_text() == "已发布（第1版）"
    assert page.locator("[data-testid=frozen-note]").is_visible()
    for control in ("review", "publish", "refresh", "findings"):
        assert page.locator(f"[data-testid={control}]").count() == 0
    assert page.locator("form[action*='/act/']").count() == 0
    screenshot(page, "report-published")

    # A later application for 2021 changes the records, not the published report.
    app_services.submit(person(), org=dept, channel=Channel.IN_PERSON, arrived_at=at(2021, 6, 1, 9))
    page.reload()
    assert cell(page, "一:total") == "3"

    # The public sees it in the list and on its own page, with downloads.
    public = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    public.on("console", console)
    public.goto(live_server.url + "/reports/")
    screenshot(public, "reports-list")
    public.click("text=绵阳市自然资源和规划局2021年政府信息公开工作年度报告")
    assert public.locator("[data-testid=report-status]").inner_text() == "已发布（第1版）"
    assert cell(public, "一:total") == "3"
    assert public.locator("svg[data-chart=outcomes] text", has_text="予以公开").count() == 1
    with public.expect_download() as download:
        public.click("[data-testid=download-pdf]")
    assert download.value.suggested_filename.endswith("（第1版）.pdf")
    screenshot(public, "report-public")

    assert errors == []  # no Content-Security-Policy violations, no script errors
