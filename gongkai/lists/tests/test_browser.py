"""PUB-9 in Chromium: a 公开办 uploads and publishes a list; a visitor on a phone finds it."""

import pytest

from gongkai.lists.enums import ListKind
from gongkai.lists.tests.conftest import csv_bytes, make_version

pytestmark = pytest.mark.browser


def test_office_publishes_a_list_and_a_phone_user_searches_it(
    live_server, page, browser, city, city_office, tmp_path
):
    make_version(city, ListKind.FEE_ADMIN, 2016, ["retained"] * 3)
    upload = tmp_path / "收费目录.csv"
    upload.write_bytes(
        csv_bytes(
            "项目名称,依据,收费标准,变更类型",
            "不动产登记费,《不动产登记暂行条例》,住宅类每件80元,保留",
            "土地复垦费,《土地复垦条例》,按标准,保留",
            "房屋登记费,国家发展改革委文件,每件80元,取消",
        )
    )
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "city_office")
    page.fill("#id_password", "Gongkai-test-2026")
    page.click("[data-testid=login-submit]")

    page.goto(live_server.url + "/desk/lists/")
    page.click("[data-testid=upload]")
    page.select_option("#id_org", label="绵阳市人民政府")
    page.select_option("#id_kind", "fee_admin")
    page.fill("#id_year", "2017")
    page.set_input_files("#id_file", str(upload))
    page.click("[data-testid=submit]")
    assert page.locator("[data-testid=status]").inner_text() == "草稿"
    page.click("[data-testid=publish]")
    assert page.locator("[data-testid=status]").inner_text() == "已发布"

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    visitor = phone.new_page()
    visitor.goto(live_server.url + "/")
    visitor.click("[data-testid=nav-lists]")
    visitor.select_option("#id_kind", "fee_admin")
    visitor.select_option("#id_year", "2017")
    visitor.click("[data-testid=list-filter] button")
    visitor.click("[data-testid=versions] a")
    assert (
        visitor.locator("[data-testid=yoy]").inner_text() == "保留2项，比2016年减少1项；其中取消1项"
    )
    visitor.fill("[data-testid=entry-q]", "登记")
    visitor.press("[data-testid=entry-q]", "Enter")
    names = visitor.locator("[data-testid=entries] tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["不动产登记费", "房屋登记费"]
    phone.close()
