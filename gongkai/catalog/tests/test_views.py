"""Public pages, feeds, sitemap, desk scope, XSS, visits and the catalog tree (issue 5 §2, §5, §6)."""

import json
from datetime import date

import pytest

from gongkai.catalog import services, tree
from gongkai.catalog.enums import Legacy
from gongkai.catalog.models import CatalogNode, Visit, VisitorDay
from gongkai.catalog.rules import sanitize
from gongkai.catalog.tests.conftest import fields

XSS = [
    ("<script>alert(1)</script><p>正文</p>", "<p>正文</p>"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ('<a href="javascript:alert(1)">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<a href="JaVaScRiPt:alert(1)">点我</a>', '<a rel="noopener noreferrer">点我</a>'),
    ('<p onclick="alert(1)" style="color:red">文字</p>', "<p>文字</p>"),
    ("<svg onload=alert(1)><p>x</p>", "<p>x</p>"),
    ('<iframe src="https://evil.example"></iframe>', ""),
    (
        '<a href="https://www.gov.cn/">国务院</a>',
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">国务院</a>',
    ),
    ("<style>body{display:none}</style>表格", "表格"),
]


@pytest.mark.parametrize(("payload", "clean"), XSS)
def test_bodies_are_sanitized(payload, clean):
    assert sanitize(payload) == clean


def test_xss_never_reaches_the_public_page(published, client):
    item = published(
        body_html='<p onmouseover="alert(1)">正文</p><script>alert(2)</script><a href="javascript:x()">链接</a>'
    )
    html = client.get(f"/xxgk/item/{item.pk}/").content.decode()
    assert "alert" not in html and "javascript:" not in html
    assert (
        '<div class="body" data-testid="item-body"><p>正文</p><a rel="noopener noreferrer">链接</a></div>'
        in html
    )


def test_item_page_shows_the_header_block(published, client):
    item = published()
    html = client.get(f"/xxgk/item/{item.pk}/").content.decode()
    for label, value in [
        ("索引号", item.index_no),
        ("发布机构", "绵阳市自然资源和规划局"),
        ("文号", "绵自然资规〔2026〕1号"),
        ("成文日期", "2026-02-24"),
        ("发布日期", "2026-03-02"),
        ("目录分类", "政策文件"),
    ]:
        assert label in html and value in html


def test_only_active_published_items_are_public(published, draft, client):
    hidden = published(number="H1", attribute="on_request")
    unpublished = draft(number="D1")
    assert client.get(f"/xxgk/item/{hidden.pk}/").status_code == 404
    assert client.get(f"/xxgk/item/{unpublished.pk}/").status_code == 404


def test_search_page_filters_facets_and_sort(published, client, dept):
    first = published(number="A1", title="房屋征收补偿标准", today=date(2026, 3, 2))
    second = published(
        number="A2", title="征收工作动态", legacy_category="news", today=date(2026, 3, 9)
    )
    page = client.get("/xxgk/search/", {"q": "征收", "sort": "date"})
    html = page.content.decode()
    assert page.context["result"].total == 2
    assert [item.pk for _, item in page.context["rows"]] == [second.pk, first.pk]
    assert "<mark>征收</mark>" in html
    assert sorted(page.context["facets"]["category"]) == [
        ("?q=%E5%BE%81%E6%94%B6&category=news&sort=date", "工作动态信息", 1),
        ("?q=%E5%BE%81%E6%94%B6&category=normative&sort=date", "规范性文件信息", 1),
    ]
    filtered = client.get("/xxgk/search/", {"q": "征收", "category": "news"})
    assert [item.pk for _, item in filtered.context["rows"]] == [second.pk]
    one_char = client.get("/xxgk/search/", {"q": "征"})
    assert one_char.context["error"] == "请至少输入两个字"


def test_feeds_rss_atom_json_per_org_and_category(published, client, dept, other_dept):
    item = published()
    rss = client.get("/feeds/xxgk/rss/", {"org": dept.pk}).content.decode()
    assert f"<title>{item.title}</title>" in rss and f"/xxgk/item/{item.pk}/" in rss
    atom = client.get("/feeds/xxgk/atom/", {"category": "normative"}).content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in atom and item.title in atom
    assert item.title not in client.get("/feeds/xxgk/rss/", {"org": other_dept.pk}).content.decode()
    assert item.title not in client.get("/feeds/xxgk/rss/", {"category": "news"}).content.decode()
    feed = json.loads(client.get("/feeds/xxgk/json/").content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [(e["title"], e["_gongkai"]["number"]) for e in feed["items"]] == [
        (item.title, "绵自然资规〔2026〕1号")
    ]
    assert client.get("/feeds/xxgk/rss/", {"category": "bogus"}).status_code == 404


def test_sitemap_lists_items(published, client):
    item = published()
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/xxgk/item/{item.pk}/</loc><lastmod>2026-03-02</lastmod>" in xml


def test_a_sitemap_too_big_for_one_file_becomes_an_index(published, client, monkeypatch):
    import re

    from gongkai.catalog import feeds
    from gongkai.orgs.models import Org

    items = [published(number=f"A{i}", title=f"征收补偿{i}") for i in range(3)]
    monkeypatch.setattr(feeds, "SITEMAP_URLS", 2)

    index = client.get("/sitemap.xml").content.decode()

    assert "<sitemapindex" in index
    files = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    assert files == ["/sitemap-pages.xml", "/sitemap-1.xml", "/sitemap-2.xml"]
    found = []
    for name in files:
        found += re.findall(
            r"<loc>http://testserver([^<]+)</loc>", client.get(name).content.decode()
        )
    assert sorted(found) == sorted(
        ["/xxgk/"]
        + [f"/xxgk/org/{pk}/" for pk in Org.objects.values_list("pk", flat=True)]
        + [f"/xxgk/item/{item.pk}/" for item in items]
    )
    assert client.get("/sitemap-3.xml").status_code == 404
    assert client.get("/sitemap-x.xml").status_code == 404


def test_visits_are_counted_without_addresses(published, client):
    item = published()
    client.get(f"/xxgk/item/{item.pk}/", REMOTE_ADDR="10.1.2.3")
    client.get(f"/xxgk/item/{item.pk}/", REMOTE_ADDR="10.1.2.3")
    client.get(f"/xxgk/item/{item.pk}/", REMOTE_ADDR="10.9.9.9")
    visit = Visit.objects.get(item=item)
    assert (visit.column, visit.views, visit.visitors) == ("xxgk", 3, 2)
    digests = list(VisitorDay.objects.values_list("digest", flat=True))
    assert len(digests) == 2 and not any("10." in d for d in digests)


def test_desk_shows_only_the_staff_subtree(draft, client, other_dept_staff, dept_staff):
    item = draft()
    client.force_login(other_dept_staff)
    assert client.get(f"/desk/catalog/{item.pk}/").status_code == 404
    assert item.title not in client.get("/desk/catalog/").content.decode()
    client.force_login(dept_staff)
    assert client.get(f"/desk/catalog/{item.pk}/").status_code == 200


def test_desk_form_names_the_bad_field(client, dept_staff, leaf):
    client.force_login(dept_staff)
    response = client.post(
        "/desk/catalog/new/", {**fields(node=leaf.pk), "formed_on": "2026-02-30"}
    )
    assert response.status_code == 400
    assert "成文日期：日期不存在：“2026-02-30”" in response.content.decode()


def test_citizen_gets_no_desk(client, applicant):
    client.force_login(applicant)
    assert client.get("/desk/catalog/").status_code == 403


CATALOG_CSV = """序号,公开事项,,公开内容（要素）,公开依据,公开时限,公开主体,公开渠道和载体,公开对象,公开方式,公开层级
,一级事项,二级事项,,,,,,,,
1,征地补偿,征收土地公告,公告内容,《土地管理法》,信息形成或者变更之日起20个工作日内,县自然资源局,政府网站,全社会,主动,县级
2,,安置补偿方案,方案内容,《土地管理法实施条例》,实时公开,县自然资源局,政府网站,全社会,主动,县级
3,重大建设项目,批准结果,批复,,及时公开,县发改局,政府网站,全社会,主动,县级
"""


def test_cat1_catalog_imports_from_the_national_layout(dept, published):
    counts = tree.import_catalog(dept, "catalog.csv", CATALOG_CSV.encode())
    assert counts == {1: 2, 2: 3}
    node = CatalogNode.objects.get(name="征收土地公告")
    assert (
        node.level,
        node.parent.name,
        node.time_limit_kind,
        node.time_limit_n,
        node.audience,
    ) == (2, "征地补偿", "workdays_from_formation", 20, "全社会")
    assert CatalogNode.objects.get(name="安置补偿方案").time_limit_kind == "realtime"
    assert tree.import_catalog(dept, "catalog.csv", CATALOG_CSV.encode()) == {}


def test_cat2_counts_per_node_and_level(dept, published, leaf):
    published(number="A1")
    published(number="A2")
    from gongkai.catalog import queries

    rows = [(r["node"].name, r["depth"], r["count"], r["leaf"]) for r in queries.node_rows(dept)]
    assert rows == [("法定主动公开内容", 0, 2, False), ("政策文件", 1, 2, True)]
    assert queries.level_counts(dept) == [
        {"level": 1, "nodes": 1, "items": 0},
        {"level": 2, "nodes": 1, "items": 2},
    ]


def test_withdrawn_item_leaves_feeds(published, reviewer, client):
    item = published()
    services.withdraw(item, actor=reviewer, reason="有误")
    assert item.title not in client.get("/feeds/xxgk/rss/").content.decode()


def test_english_site_lists_translated_items(published, client):
    item = published(title_en="Measures on Housing Expropriation", summary_en="Compensation rules.")
    published(number="A2", title="只有中文")
    html = client.get("/xxgk/en/").content.decode()
    assert "Measures on Housing Expropriation" in html and "只有中文" not in html
    assert list(item.distributions.values_list("channel", flat=True).order_by("channel")) == [
        "english",
        "website",
    ]


def test_desk_records_channels_and_provincial_answers(published, client, reviewer):
    item = published()
    client.force_login(reviewer)
    client.post(
        f"/desk/catalog/{item.pk}/distribute/",
        {"channel": "wechat", "kind": "policy", "on": "2026-03-03"},
    )
    client.post(f"/desk/catalog/{item.pk}/provincial/", {"on": "2026-03-04"})
    sub = item.submissions.get()
    client.post(
        f"/desk/catalog/{item.pk}/provincial/",
        {"submission": sub.pk, "adopted": "yes", "on": "2026-03-06"},
    )
    sub.refresh_from_db()
    assert (sub.adopted, sub.decided_on) == (True, date(2026, 3, 6))
    assert list(item.distributions.values_list("channel", "kind").order_by("channel")) == [
        ("website", ""),
        ("wechat", "policy"),
    ]


def test_browse_by_org_node_category_and_date(published, client, dept, other_dept, leaf):
    march = published(number="A1", today=date(2026, 3, 2))
    april = published(number="A2", legacy_category="news", today=date(2026, 4, 7))

    def pks(url, **params):
        return [i.pk for i in client.get(url, params).context["page"].object_list]

    assert pks(f"/xxgk/org/{dept.pk}/") == [april.pk, march.pk]
    assert pks(f"/xxgk/org/{other_dept.pk}/") == []
    assert pks(f"/xxgk/org/{dept.pk}/", node=leaf.pk) == [april.pk, march.pk]
    assert pks("/xxgk/all/", category="news") == [april.pk]
    assert pks("/xxgk/all/", **{"from": "2026-03-01", "to": "2026-03-31"}) == [march.pk]


def test_items_not_actively_disclosed_are_not_searchable(published, client):
    published(number="H1", attribute="on_request", title="依申请公开的拆迁档案")
    assert client.get("/xxgk/search/", {"q": "拆迁档案"}).context["result"].total == 0


def test_cat1_catalog_imports_from_xlsx_with_three_levels(dept):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "一级事项", "二级事项", "三级事项", "公开内容（要素）", "公开时限"])
    sheet.append([1, "财政预决算", "部门预算", "预算报表", "收支总表", "批复后20日内"])
    sheet.append([2, None, None, "预算说明", "说明", "及时公开"])
    sheet.append([3, None, "部门决算", "决算报表", "收支总表", "实时"])
    data = io.BytesIO()
    book.save(data)
    assert tree.import_catalog(dept, "目录.xlsx", data.getvalue()) == {1: 1, 2: 2, 3: 3}
    node = CatalogNode.objects.get(name="预算说明")
    assert (node.parent.name, node.parent.parent.name, node.level, node.time_limit_kind) == (
        "部门预算",
        "财政预决算",
        3,
        "promptly",
    )
    assert CatalogNode.objects.get(name="预算报表").time_limit_kind == "custom"


def test_desk_referral_then_review(draft, dept_staff, reviewer, client, calendar):
    item = draft()
    services.submit(item, actor=dept_staff)
    client.force_login(reviewer)
    client.post(f"/desk/catalog/{item.pk}/review/", {"conclusion": "refer", "reason": "报保密局"})
    item.refresh_from_db()
    assert item.status == "referred"
    page = client.get(f"/desk/catalog/{item.pk}/").content.decode()
    assert 'data-testid="referral-yes"' in page and 'data-testid="review-form"' not in page
    client.post(f"/desk/catalog/{item.pk}/referral/", {"publishable": "yes", "reason": "可以公开"})
    client.post(f"/desk/catalog/{item.pk}/review/", {"conclusion": "publishable"})
    item.refresh_from_db()
    assert item.status == "published"
    listing = client.get("/desk/catalog/", {"mine_to_review": "1"}).content.decode()
    assert item.title not in listing


def test_desk_lists_late_publications(published, client, dept_staff):
    late = published(number="L1", formed_on="2026-02-24", today=date(2026, 3, 24))
    published(number="L2", formed_on="2026-02-24", today=date(2026, 3, 23))
    client.force_login(dept_staff)
    page = client.get("/desk/catalog/", {"late": "1"})
    assert [i.pk for i in page.context["page"].object_list] == [late.pk]


def test_pub5_guide_names_categories_catalog_and_office(client, dept, leaf):
    dept.office_phone = "0816-2530560"
    dept.office_address = "绵阳市绵兴东路98号"
    dept.save()
    html = client.get(f"/xxgk/org/{dept.pk}/guide/").content.decode()
    for text in (
        "信息分类与编排体系",
        "政策文件",
        "工作动态信息",
        "0816-2530560",
        "绵阳市绵兴东路98号",
        "依申请公开",
    ):
        assert text in html


def test_catalog_file_without_the_national_header_is_refused(dept):
    with pytest.raises(tree.CatalogImportError, match="找不到表头"):
        tree.import_catalog(dept, "x.csv", "名称,内容\n甲,乙\n".encode())
    assert not CatalogNode.objects.exists()


def test_office_admin_drafts_for_an_org_below(client, city_office, dept):
    client.force_login(city_office)
    response = client.post("/desk/catalog/new/", {**fields(), "org": dept.pk})
    assert response.status_code == 302
    from gongkai.catalog.models import Item

    assert Item.objects.get().org == dept


def test_handler_cannot_draft_for_another_org(client, dept_staff, other_dept, leaf):
    client.force_login(dept_staff)
    client.post("/desk/catalog/new/", {**fields(node=leaf.pk), "org": other_dept.pk})
    from gongkai.catalog.models import Item

    assert Item.objects.get().org == leaf.org


def test_a_result_above_the_facet_limit_lists_the_filters_without_counts(
    published, client, dept, monkeypatch
):
    from gongkai.catalog import views

    published(number="A1", title="房屋征收补偿标准")
    published(number="A2", title="征收工作动态", legacy_category="news")
    counted = client.get("/xxgk/search/", {"q": "征收"})
    assert [n for _, _, n in counted.context["facets"]["category"]] == [1, 1]
    monkeypatch.setattr(views, "FACET_LIMIT", 1)

    page = client.get("/xxgk/search/", {"q": "征收"})

    assert page.context["result"].total == 2  # still counted exactly
    assert len(page.context["rows"]) == 2
    facets = page.context["facets"]
    assert [label for _, label, _ in facets["category"]] == [str(x) for x in Legacy.labels]
    assert {n for name in facets for _, _, n in facets[name]} == {None}
    assert dept.name in [label for _, label, _ in facets["org"]]
    assert 'data-testid="facets-uncounted"' in page.content.decode()
    city = dept.parent
    narrowed = client.get("/xxgk/search/", {"q": "征收", "org": city.pk})
    labels = [label for _, label, _ in narrowed.context["facets"]["org"]]
    assert labels == [o.name for o in city.children.order_by("depth", "sort", "pk")]
    assert dept.name in labels and city.name not in labels
