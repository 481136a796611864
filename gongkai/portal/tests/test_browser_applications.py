"""The issue's "Done when", in Debian's Chromium: a citizen applies online; staff handle it
through 补正, an extension and a 部分公开 decision; the citizen sees each status and
downloads the reply letter.

The story happens on 2026-03-02 (``browser_clock``), a date with holiday data on both
sides, so the deadlines are real dates whatever day the suite runs.
"""

import os

import pytest

from gongkai.applications.tests import conftest as applications

pytestmark = pytest.mark.browser

calendar = applications.calendar
office_head = applications.office_head
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


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


def act(page, action, fields=None, selects=None):
    """Open one action's form on the detail page, fill it, submit; return the message."""
    page.click(f"[data-testid=action-{action}] > summary")
    for name, value in (fields or {}).items():
        page.fill(f"[name='{action}-{name}']", value)
    for name, value in (selects or {}).items():
        page.select_option(f"[name='{action}-{name}']", value)
    page.click(f"[data-testid=do-{action}]")
    return page.locator(".messages li").inner_text()


def stage(page):
    return page.locator("[data-testid=stage]").inner_text()


def test_online_application_through_correction_extension_and_partial_disclosure(
    browser_clock, live_server, browser, calendar, dept, dept_staff, office_head
):
    url = live_server.url
    citizen = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    ).new_page()

    # The citizen applies on a phone; a first try without the phone number is sent back.
    citizen.goto(url + "/apply/")
    citizen.click("[data-testid=apply-submit]")
    assert citizen.locator("#id_phone_error").inner_text() == "请填写联系电话"
    screenshot(citizen, "apply-form-errors-phone")
    citizen.fill(".select-filter", "自然资源")
    assert citizen.locator("#id_org").input_value() == str(dept.pk)
    assert citizen.locator("[data-kind=org]").is_hidden()
    citizen.fill("#id_applicant_name", "张三")
    citizen.fill("#id_id_number", applications.ID_NUMBER)
    citizen.fill("#id_phone", "13800001234")
    citizen.fill("#id_email", "zhangsan@example.com")
    citizen.fill("#id_description", "请公开本村2020年征地补偿安置方案")
    citizen.check("#id_form_wanted_1")  # 电子
    citizen.check("#id_delivery_3")  # 网上获取
    citizen.set_input_files(
        "#id_attachments", [{"name": "身份证明.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    screenshot(citizen, "apply-form-phone")
    citizen.click("[data-testid=apply-submit]")

    assert citizen.url == url + "/apply/receipt/"
    number = citizen.locator("[data-testid=number]").inner_text()
    code = citizen.locator("[data-testid=code]").inner_text()
    assert stage(citizen) == "待确认收到"
    assert "请妥善保存查询码。" in citizen.locator("[data-testid=receipt]").inner_text()
    screenshot(citizen, "apply-receipt-phone")

    # The department head confirms receipt and assigns a handler.
    head = signed_in(browser, url, "dept_head")
    head.goto(url + "/desk/applications/?view=pending")
    head.click(f"text={number}")
    assert act(head, "confirm") == "已确认收到。"
    assert stage(head) == "办理中"
    assert act(head, "assign", selects={"handler": str(dept_staff.pk)}) == "已分办。"

    # The handler asks for a correction.
    handler = signed_in(browser, url, "dept_staff")
    handler.goto(f"{url}/desk/applications/{number}/")
    message = act(handler, "request_correction", fields={"items": "请写明所涉村组名称"})
    assert message == "已告知补正。"
    assert stage(handler) == "待补正"

    # The citizen checks the status with number and code.
    citizen.goto(url + "/apply/status/")
    citizen.fill("#id_number", number)
    citizen.fill("#id_code", code)
    citizen.click("[data-testid=status-submit]")
    assert stage(citizen) == "待补正"
    assert "请写明所涉村组名称" in citizen.locator("[data-testid=correction]").inner_text()

    # The correction arrives; the head extends; the handler decides 部分公开 and delivers.
    assert act(handler, "receive_correction") == "已收到补正。"
    assert stage(handler) == "办理中"
    head.reload()
    message = act(
        head,
        "extend",
        fields={
            "reason": "涉及档案检索，需要调阅",
            "approved_by": "李主任",
            "notified_via": "电子邮件",
        },
    )
    assert message == "已延期答复。"
    handler.reload()
    handler.click("[data-testid=action-decide] > summary")
    assert handler.locator("[data-withheld]").is_hidden()
    handler.select_option("[name=decide-decision]", "partial")
    handler.fill("[name=decide-text]", "提供安置方案全文")
    handler.fill("[name=decide-withheld-0-what]", "被安置人身份证号码")
    handler.select_option("[name=decide-withheld-0-ground]", "deny_third_party")
    handler.fill("[name=decide-withheld-0-basis]", "《条例》第十五条")
    handler.click("[data-testid=action-decide] summary")  # close, to reopen for the picture
    handler.click("[data-testid=action-decide] summary")
    screenshot(handler, "desk-detail")
    handler.click("[data-testid=do-decide]")
    assert handler.locator(".messages li").inner_text() == "已作出决定。"
    assert stage(handler) == "已决定待送达"
    assert act(handler, "deliver") == "已送达答复。"
    assert stage(handler) == "已答复"
    assert handler.locator("[data-testid=outcome]").inner_text() == "部分公开"
    screenshot(handler, "desk-detail-replied")
    handler.set_viewport_size(PHONE)
    screenshot(handler, "desk-detail-replied-phone")
    head.goto(url + "/desk/applications/")
    screenshot(head, "desk-list")
    head.goto(url + "/workbench/")
    screenshot(head, "workbench")

    # The citizen sees the reply and downloads the letter.
    citizen.reload()
    assert stage(citizen) == "已答复"
    assert citizen.locator("[data-testid=outcome]").inner_text() == "部分公开"
    screenshot(citizen, "apply-status-phone")
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        with citizen.expect_download() as download:
            citizen.locator(f"[data-testid=letter-{fmt}]").last.click()
        assert download.value.suggested_filename == f"{number}-reply_partial.{fmt}"
        with open(download.value.path(), "rb") as letter:
            assert letter.read(len(magic)) == magic
