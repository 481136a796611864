"""The 双随机 story in Chromium: draw → verify on the public page → results → publish."""

import os

import pytest

pytestmark = pytest.mark.browser


def _shot(page, name):
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def test_draw_verify_enter_result_and_publish(
    live_server, page, browser_clock, item, registry, dept_staff, browser
):
    from gongkai.workdays.services import load_from_package

    load_from_package(years=range(2025, 2027))
    page.goto(live_server.url + "/login/?next=/desk/inspections/")
    page.fill("#id_username", "dept_staff")
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")
    assert page.url == live_server.url + "/desk/inspections/"

    page.click("[data-testid=new-draw]")
    page.select_option("#id_item", label=str(item))
    page.fill("#id_sample_size", "2001")
    page.fill("#id_public_random", "2026030 开奖号 7 1 9")
    page.click("[data-testid=run-draw]")
    assert "抽取数量2001大于名录中的检查对象数2000" in page.inner_text("[data-testid=draw-error]")

    page.fill("#id_sample_size", "30")
    page.click("[data-testid=run-draw]")
    assert "/desk/inspections/draws/" in page.url
    assert page.locator("[data-testid=assignments] tbody tr").count() == 30

    page.click("[data-testid=public-page]")
    assert page.inner_text("[data-testid=public-random]") == "2026030 开奖号 7 1 9"
    assert "与记录一致" in page.inner_text("[data-testid=verdict]")
    assert len(page.inner_text("[data-testid=seed]")) == 64
    page.go_back()

    first = page.locator("[data-testid=result-form]").first
    first.locator("select").select_option("rectify")
    first.locator("input[type=date]").fill("2026-03-02")
    first.locator("textarea").fill("消防通道堵塞，已责令整改")
    first.locator("[data-testid=enter-result]").click()
    assert "检查结果已录入" in page.inner_text(".messages")
    assert "2026-03-30" in page.inner_text("[data-testid=publish] >> xpath=..")
    _shot(page, "inspections-desk-draw")
    page.click("[data-testid=publish]")
    assert "检查结果已在门户公示" in page.inner_text(".messages")

    page.goto(live_server.url + "/inspections/results/")
    assert "消防通道堵塞，已责令整改" in page.inner_text("[data-testid=result-list]")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(live_server.url + "/inspections/draws/")
    phone.locator("[data-testid=draw-list] a").first.click()
    phone.wait_for_url("**/inspections/draws/*/")
    phone.wait_for_load_state("load")  # styles applied before measuring the layout
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(phone, "inspections-draw-phone")
    _shot(page, "inspections-results")
