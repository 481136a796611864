"""The issue's "done when" story, in Debian's Chromium (SEC-3, SEC-4, INT-5, feeds)."""

import os

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import Item
from gongkai.catalog.tests.conftest import ID_NUMBER

pytestmark = pytest.mark.browser


def login(page, base, username):
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")
    page.wait_for_url(base + "/workbench/")


def shot(page, name):
    if shots := os.environ.get("GONGKAI_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def logout(page):
    page.click("[data-testid=logout]")


def test_draft_scan_return_mask_publish_find_and_feed(
    live_server, page, browser, browser_clock, calendar, dept_staff, reviewer, leaf
):
    base = live_server.url
    # An author drafts a 规范性文件 with an ID number in it.
    login(page, base, "dept_staff")
    page.goto(base + "/desk/catalog/")
    page.click("[data-testid=new-item]")
    page.fill("#id_title", "绵阳市国有土地上房屋征收补偿办法")
    page.fill("#id_number", "绵自然资规〔2026〕3号")
    page.fill("#id_formed_on", "2026-02-27")
    page.select_option("#id_node", label="政策文件")
    page.select_option("#id_kind", value="normative")
    page.select_option("#id_legacy_category", value="normative")
    page.fill(
        "#id_body_html",
        f"<p>为规范拆迁补偿，经征收户张三（身份证号{ID_NUMBER}）反映，制定本办法。</p>",
    )
    page.click("[data-testid=save]")
    page.click("[data-testid=submit-review]")
    # The scan flags it with a masked preview.
    assert page.locator("[data-testid=status]").inner_text() == "待审查"
    assert page.locator("[data-testid=finding]").all_inner_texts() == [
        "正文\t居民身份证号码\t19–37\t5107**********1237"
    ]
    shot(page, "catalog-findings")
    policy = Item.objects.get(number="绵自然资规〔2026〕3号")
    # Its interpretation is drafted and approved alongside (INT-2).
    interp = services.save_draft(
        {
            "title": "《绵阳市国有土地上房屋征收补偿办法》政策解读",
            "formed_on": "2026-02-27",
            "kind": "interpretation",
            "policy": policy.pk,
            "node": leaf.pk,
            "body_html": "<p>一、制定背景……</p>",
        },
        actor=dept_staff,
    )
    services.submit(interp, actor=dept_staff)
    services.review(interp, reviewer=reviewer, conclusion="publishable")
    logout(page)

    # The reviewer sends it back.
    login(page, base, "dept_reviewer")
    page.goto(f"{base}/desk/catalog/{policy.pk}/")
    page.select_option("#id_conclusion", value="returned")
    page.fill("#id_reason", "请遮蔽身份证号")
    page.click("[data-testid=review-submit]")
    assert page.locator("[data-testid=status]").inner_text() == "已退回"
    logout(page)

    # The author masks it and submits again.
    login(page, base, "dept_staff")
    page.goto(f"{base}/desk/catalog/{policy.pk}/")
    assert page.locator("[data-testid=return-reason]").inner_text() == "退回理由：请遮蔽身份证号"
    page.click("[data-testid=edit]")
    page.fill("#id_body_html", "<p>为规范拆迁补偿，经征收户反映，制定本办法。</p>")
    page.click("[data-testid=save]")
    page.click("[data-testid=submit-review]")
    assert page.locator("[data-testid=no-findings]").is_visible()
    logout(page)

    # The reviewer publishes it.
    login(page, base, "dept_reviewer")
    page.goto(f"{base}/desk/catalog/{policy.pk}/")
    page.select_option("#id_conclusion", value="publishable")
    page.click("[data-testid=review-submit]")
    assert page.locator("[data-testid=status]").inner_text() == "已发布"
    index_no = page.locator("[data-testid=index-no]").inner_text()
    assert index_no == f"{policy.org.pk:09d}/2026-00001"
    logout(page)

    # A citizen finds it by a 2-character word and by its 文号.
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(base + "/xxgk/")
    citizen.fill("[data-testid=search-input]", "拆迁")
    citizen.click("[data-testid=search-submit]")
    assert citizen.locator("[data-testid=hits] .hit-title").all_inner_texts() == [
        "绵阳市国有土地上房屋征收补偿办法"
    ]
    assert citizen.locator("[data-testid=hits] mark").first.inner_text() == "拆迁"
    shot(citizen, "catalog-search")
    citizen.fill("[data-testid=search-input]", "绵自然资规〔2026〕3号")
    citizen.click("[data-testid=search-submit]")
    citizen.click("[data-testid=hits] .hit-title")
    assert citizen.locator("[data-testid=index-no]").inner_text() == index_no
    assert citizen.locator("[data-testid=number]").inner_text() == "绵自然资规〔2026〕3号"
    shot(citizen, "catalog-item")
    # ...sees its interpretation linked, and the interpretation links back.
    citizen.click("[data-testid=interpretations] a")
    assert citizen.locator("[data-testid=item-title]").inner_text() == (
        "《绵阳市国有土地上房屋征收补偿办法》政策解读"
    )
    citizen.click("[data-testid=policy-link] a")
    assert (
        citizen.locator("[data-testid=item-title]").inner_text()
        == "绵阳市国有土地上房屋征收补偿办法"
    )
    # The feed contains it.
    feed = citizen.request.get(base + "/feeds/xxgk/rss/").text()
    assert "<title>绵阳市国有土地上房屋征收补偿办法</title>" in feed
    citizen.context.close()


def test_pub_7_the_yearly_review_of_withheld_items(
    live_server, page, browser_clock, draft, reviewer
):
    """A reviewer finds the 不予公开 items due, keeps one on its basis and releases the other."""
    kept = draft(attribute="withheld", withheld_reason="涉及国家秘密")
    released = draft(
        title="2025年征地补偿资金使用情况", number="",
        attribute="withheld", withheld_reason="过程性信息",
    )  # fmt: skip
    base = live_server.url
    login(page, base, "dept_reviewer")
    page.goto(base + "/desk/catalog/")
    page.click("[data-testid=withheld-link]")
    assert page.locator("h1").inner_text() == "不予公开信息复核"
    assert page.locator("[data-testid=withheld-due]").inner_text() == "2 条到期待复核"
    row = page.locator(f"[data-testid=withheld-{kept.pk}]")
    row.locator("input[name=reason]").fill("仍属国家秘密，依保密法不予公开")
    row.locator("button[value='1']").click()
    assert page.locator(".messages li").inner_text() == "复核结果已记录"
    row = page.locator(f"[data-testid=withheld-{released.pk}]")
    row.locator("input[name=reason]").fill("资金已拨付完毕，可以公开")
    row.locator("button[value='0']").click()
    assert page.locator("[data-testid=withheld-due]").inner_text() == "0 条到期待复核"
    shot(page, "catalog-withheld-review")
    released.refresh_from_db()
    assert (released.attribute, released.status) == ("active", "draft")
    assert page.locator(f"[data-testid=withheld-{released.pk}]").count() == 0
