"""The issue's "Done when", in Debian's Chromium: a citizen writes to the 市长信箱 on a phone;
staff accept, route, answer, review, send and publish it; the citizen reads the reply and
rates it; the published Q&A is masked and the figures count the letter.

The story happens on 2026-03-02 (``browser_clock``), a Monday with holiday data around it.
"""

import os

import pytest

from gongkai.interaction.models import Letter
from gongkai.interaction.tests.test_pages import solve

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot(page, name):
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def signed_in(browser, url, username):
    page = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.goto(url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")
    return page


def act(page, action, text=None, selects=None):
    page.click(f"[data-testid=action-{action}] > summary")
    if text is not None:
        page.fill(f"#t-{action}", text)
    for selector, value in (selects or {}).items():
        page.select_option(selector, value)
    page.click(f"[data-testid=do-{action}]")
    return page.locator(".messages li").inner_text()


def test_citizen_writes_staff_answer_and_publish_citizen_rates_figures_count(
    browser_clock, live_server, browser, mailbox, city_office, dept, dept_staff
):
    url = live_server.url
    citizen = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    ).new_page()

    # The citizen writes on a phone; a wrong answer to the question is sent back.
    citizen.goto(url + "/mailbox/")
    citizen.click(f"[data-testid=write-{mailbox.pk}]")
    assert citizen.locator("[data-testid=mailbox-name]").inner_text() == "市长信箱"
    citizen.select_option("#id_category", "consult")
    citizen.fill("#id_subject", "关于小区停车位的咨询")
    citizen.fill(
        "#id_content", "我叫王五，身份证号510703199001011237，请问临园路小区停车位何时开放？"
    )
    citizen.fill("#id_writer_name", "王五")
    citizen.fill("#id_contact", "13912345678")
    citizen.check("#id_may_publish")
    citizen.fill("#id_answer", "999")
    citizen.click("[data-testid=submit]")
    assert (
        citizen.locator("#id_answer_error").inner_text() == "验证问题回答不正确，请用阿拉伯数字作答"
    )
    assert citizen.locator("#id_subject").input_value() == "关于小区停车位的咨询"
    citizen.fill("#id_answer", solve(citizen.locator("[data-testid=question]").inner_text()))
    screenshot(citizen, "mailbox-write-phone")
    citizen.click("[data-testid=submit]")
    number = citizen.locator("[data-testid=number]").inner_text()
    code = citizen.locator("[data-testid=code]").inner_text()
    screenshot(citizen, "mailbox-receipt-phone")
    assert Letter.objects.get().number == number

    # The city office accepts it and routes it to 自然资源和规划局's handler.
    office = signed_in(browser, url, "city_office")
    office.goto(url + "/desk/mailbox/?view=pending")
    office.click(f"text={number}")
    assert office.locator("[data-testid=contact]").inner_text() == "139****5678"
    assert act(office, "accept") == "已办理。"
    message = act(
        office,
        "transfer",
        selects={"[data-testid=to-org]": str(dept.pk), "#handler": str(dept_staff.pk)},
    )
    assert message == "已办理。"
    assert office.locator("[data-testid=letter-status]").inner_text() == "转办中"

    # The department signs for it and drafts the reply.
    handler = signed_in(browser, url, "dept_staff")
    handler.goto(url + f"/desk/mailbox/{number}/")
    act(handler, "take")
    act(handler, "draft", text="王五您好：小区停车位将于4月1日开放。")
    assert handler.locator("[data-testid=letter-status]").inner_text() == "待审核"

    # The office reviews, sends and publishes.
    office.reload()
    act(office, "approve")
    act(office, "send")
    act(office, "publish")
    assert office.locator("[data-testid=letter-status]").inner_text() == "已公开"
    screenshot(office, "mailbox-desk-letter")

    # The citizen reads the reply and rates it.
    citizen.goto(url + "/mailbox/status/")
    citizen.fill("#id_number", number)
    citizen.fill("#id_code", code)
    citizen.click("[data-testid=lookup]")
    assert (
        citizen.locator("[data-testid=reply]").inner_text()
        == "王五您好：小区停车位将于4月1日开放。"
    )
    citizen.check("[data-testid=rate-form] input[value=satisfied]")
    citizen.click("[data-testid=rate-submit]")
    assert citizen.locator("[data-testid=rating]").inner_text() == "满意"

    # The published Q&A hides the writer's data.
    citizen.goto(url + "/mailbox/qa/")
    citizen.click("[data-testid=qa-list] a")
    question = citizen.locator("[data-testid=question]").inner_text()
    assert question == "我叫王*，身份证号5107**********1237，请问临园路小区停车位何时开放？"
    screenshot(citizen, "mailbox-qa-phone")

    # The figures count it.
    office.goto(url + "/desk/mailbox/figures/?year=2026")
    cells = office.locator("[data-testid=total] td").all_inner_texts()
    assert cells == ["合计", "1", "1", "1", "100.0%", "1", "0.0", "0", "—", "1/0/0"]
