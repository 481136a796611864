"""A staff member's first minute, in Debian's Chromium."""

import os

import pytest

pytestmark = pytest.mark.browser


def test_staff_logs_in_sees_the_workbench_and_switches_language(live_server, page, dept_staff):
    page.goto(live_server.url + "/")
    assert page.locator("[data-testid=org-tree] h3").inner_text() == "绵阳市人民政府"

    page.click("[data-testid=nav-login]")
    page.fill("#id_username", "dept_staff")
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")

    assert page.url == live_server.url + "/workbench/"
    assert page.locator("[data-testid=workbench-title]").inner_text() == "工作台"
    assert page.locator(".who").inner_text() == "dept_staff · 绵阳市自然资源和规划局 · 承办人"

    page.click("[data-testid=lang-en]")
    assert page.url == live_server.url + "/workbench/"
    assert page.locator("[data-testid=workbench-title]").inner_text() == "Workbench"
    assert page.locator("html").get_attribute("lang") == "en"
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/workbench-en.png", full_page=True)

    page.click("[data-testid=lang-zh]")
    assert page.locator("[data-testid=workbench-title]").inner_text() == "工作台"
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    page.click("[data-testid=logout]")
    assert page.url == live_server.url + "/"
    assert page.locator("[data-testid=nav-login]").inner_text() == "登录 / 注册"
