"""MON-18 end to end: a citizen files a 网民纠错 on a phone, staff answer within 3 working days."""

import os
import re

import pytest

from gongkai.monitor.models import Ticket

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_citizen_reports_an_error_on_a_phone_and_staff_reply_in_time(
    live_server, browser, browser_clock, calendar, dept_site, city_office, dept_staff
):
    phone = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    citizen = phone.new_page()
    citizen.goto(live_server.url + "/")
    citizen.click("[data-testid=nav-jiucuo]")
    assert citizen.url == live_server.url + "/jiucuo/"
    # The form fits the phone: no horizontal scrolling (measured once the stylesheet is in).
    citizen.wait_for_load_state("load")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    citizen.click("[data-testid=jiucuo-submit]")  # empty: errors, nothing filed
    assert citizen.locator(".field-error").count() == 3
    assert Ticket.objects.count() == 0

    citizen.select_option("#id_site", label=dept_site.name)
    citizen.fill("#id_page_url", "http://zrzyj.my.gov.cn/tzgg/2026/0301.html")
    citizen.select_option("#id_category", "typo")
    citizen.fill("#id_description", "通知标题中“规划局”误写为“规化局”。")
    citizen.fill("#id_contact", "13800001234")
    citizen.click("[data-testid=jiucuo-submit]")

    code = citizen.locator("[data-testid=code]").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{10}", code)
    assert citizen.locator("[data-testid=status]").inner_text() == "已收到"
    assert citizen.locator("[data-testid=due]").inner_text() == "2026-03-05"  # 3 working days
    assert "138****1234" in citizen.content()
    ticket = Ticket.objects.get(code=code)
    assert ticket.org == dept_site.org
    assert "13800001234" not in ticket.contact_enc  # encrypted at rest
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        citizen.screenshot(path=f"{shots}/jiucuo-phone.png", full_page=True)

    # Staff: the city office assigns it, the department fixes it, the office reviews and replies.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = desk.new_page()

    def sign_in(username):
        staff.context.clear_cookies()
        staff.goto(live_server.url + "/login/")
        staff.fill("#id_username", username)
        staff.fill("#id_password", "Gongkai-test-2026")
        staff.click("[data-testid=login-submit]")

    sign_in("city_office")
    staff.goto(live_server.url + "/desk/monitor/jiucuo/")
    assert "138****1234" in staff.locator("[data-testid=ticket-list]").inner_text()
    staff.click(f"text={code}")
    staff.click("[data-testid=act-assign]")
    assert staff.locator("[data-testid=status]").inner_text() == "已转办"

    sign_in("dept_staff")
    staff.goto(live_server.url + f"/desk/monitor/jiucuo/{code}/")
    staff.fill("[data-testid=text-fix]", "已更正标题错字。")
    staff.click("[data-testid=act-fix]")
    assert staff.locator("[data-testid=status]").inner_text() == "已改正"
    assert staff.locator("[data-testid=act-review]").count() == 0  # a handler cannot review

    sign_in("city_office")
    staff.goto(live_server.url + f"/desk/monitor/jiucuo/{code}/")
    staff.click("[data-testid=act-review]")
    staff.fill("[data-testid=text-reply]", "感谢您的纠错，错字已更正。")
    staff.click("[data-testid=act-reply]")
    assert staff.locator("[data-testid=status]").inner_text() == "已答复"
    assert staff.locator("[data-testid=replied-on]").inner_text() == "2026-03-02 · 按时"

    citizen.goto(live_server.url + "/jiucuo/status/")
    citizen.fill("#id_code", code.lower())
    citizen.click("[data-testid=lookup-submit]")
    assert citizen.locator("[data-testid=status]").inner_text() == "已答复"
    assert "错字已更正" in citizen.locator("[data-testid=reply]").inner_text()
    ticket.refresh_from_db()
    assert ticket.replied_on <= ticket.due_on
    phone.close()
    desk.close()
