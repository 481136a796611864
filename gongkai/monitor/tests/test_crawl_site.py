"""The crawler against a real aiohttp server on 127.0.0.1 (issue 6 §2 and "Bad input")."""

import asyncio
from datetime import date

import pytest
from aiohttp import web

from gongkai.monitor.crawl import Budget, Cache, crawl_site
from gongkai.monitor.crawl.testing import serve

TODAY = date(2017, 3, 20)
BUDGET = Budget.fast(timeout=1.0, max_bytes=1_000_000, max_per_template=10)


def html(body: str, *, head: str = '<meta charset="utf-8">') -> str:
    return f"<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


def external_app() -> web.Application:
    app = web.Application()

    async def ok(request):
        return web.Response(text="ok")

    async def head_not_allowed(request):
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(text="ok")

    app.router.add_route("*", "/ok", ok)
    app.router.add_route("*", "/nohead", head_not_allowed)
    return app


def site_app(external: str) -> web.Application:
    app = web.Application()
    routes = web.RouteTableDef()
    pages = {
        "/": html(
            '<div class="nav"><a href="/news/">要闻动态</a><a href="/notice/">通知公告</a>'
            '<a href="/blank/">人事信息</a><a href="/about.html">关于我们</a></div>'
            '<a href="/missing.html">缺失</a> <a href="/error">出错</a>'
            '<img src="/img/ok.png"><img src="/img/missing.png">'
            '<a href="/files/a.pdf">附件</a> <a href="/files/gone.doc">附件2</a>'
            f'<a href="{external}/ok">外链</a> <a href="{external}/gone">坏外链</a>'
            f'<a href="{external}/nohead">HEAD不行</a>'
            '<a href="/loop1">循环</a> <a href="/slow">慢</a> <a href="/big">大</a>'
            '<a href="/gbk.html">GBK</a> <a href="/gbkheader.html">GBK2</a>'
            '<a href="/badcharset.html">坏字符集</a> <a href="/malformed.html">坏HTML</a>'
            '<a href="/calendar?year=2017&month=1">日历</a>'
            '<a href="/s;jsessionid=ABC123?x=1">会话</a> <a href="mailto:a@b.c">信</a>'
            '<a href="javascript:void(0)">js</a> <a href="#top">top</a>'
            '<a href="/to-private">内网</a> <a href="/truncated">截断</a>'
            '<a href="/spiral/">螺旋</a> <a href="/moved.html">已迁移</a>'
        ),
        "/news/": html(
            '<ul class="list"><li><a href="/news/1.html">甲</a><span>[03-15]</span></li>'
            '<li><a href="/news/2.html">乙</a><span>2017年3月1日</span></li>'
            '<li><a href="/news/3.html">丙</a></li></ul>'
        ),
        "/notice/": html(
            '<table><tr><td><a href="/notice/1.html">通知一</a></td><td>16-12-30</td></tr>'
            '<tr><td><a href="/notice/2.html">通知二</a></td><td>2016.11.02</td></tr></table>'
        ),
        "/blank/": html('<ul class="list"></ul><p>暂无信息</p>'),
        "/about.html": html("<p>本网站由某市人民政府主办。</p>"),
        "/news/1.html": html("<p>正文</p>"),
        "/news/2.html": html("<p>正文</p>"),
        "/news/3.html": html("<p>正文</p>"),
        "/notice/1.html": html("<p>正文</p>"),
        "/notice/2.html": html("<p>正文</p>"),
        "/s": html('<a href="/s2;jsessionid=XYZ">再会话</a>'),
        "/s2": html("<p>会话页</p>"),
    }

    async def page(request):
        text = pages.get(request.path)
        if text is None:
            raise web.HTTPNotFound()
        return web.Response(text=text, content_type="text/html")

    for path in pages:
        app.router.add_get(path, page)

    @routes.get("/img/ok.png")
    async def image(request):
        return web.Response(body=b"\x89PNG....", content_type="image/png")

    @routes.get("/files/a.pdf")
    async def pdf(request):
        return web.Response(body=b"%PDF-1.4", content_type="application/pdf")

    @routes.get("/error")
    async def error(request):
        return web.Response(status=503, text="down")

    @routes.get("/loop1")
    async def loop1(request):
        raise web.HTTPFound("/loop2")

    @routes.get("/loop2")
    async def loop2(request):
        raise web.HTTPFound("/loop1")

    @routes.get("/truncated")
    async def truncated(request):
        # Promise 100,000 bytes, send a few, hang up.
        request.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>"
        )
        request.transport.close()
        return web.Response()

    @routes.get(r"/spiral/{tail:.*}")
    async def spiral(request):
        # A relative link that nests forever: /spiral/, /spiral/spiral/, …
        return web.Response(text=html('<a href="spiral/">更深</a>'), content_type="text/html")

    @routes.get("/moved.html")
    async def moved(request):
        raise web.HTTPFound("/404.html")

    @routes.get("/404.html")
    async def soft_404(request):
        return web.Response(text=html("<p>页面不存在</p>"), content_type="text/html")

    @routes.get("/to-private")
    async def to_private(request):
        raise web.HTTPFound("http://10.1.2.3/secret")

    @routes.get("/slow")
    async def slow(request):
        # A hostile server that trickles one byte every 0.2 s: only a total deadline stops it.
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(100):
            await response.write(b" ")
            await asyncio.sleep(0.2)
        return response

    @routes.get("/big")
    async def big(request):
        return web.Response(
            body=b"<html><body>" + b"<p>x</p>" * 1_300_000 + b'<a href="/after-cap">x</a>',
            content_type="text/html",
        )

    @routes.get("/gbk.html")
    async def gbk(request):
        body = html(
            "<p>政府信息公开</p><a href='/news/1.html'>链</a>", head='<meta charset="gb2312">'
        )
        return web.Response(body=body.encode("gb18030"), content_type="text/html")

    @routes.get("/gbkheader.html")
    async def gbk_header(request):
        # GB2312 declared in the header, but with 镕 (only in GBK/GB18030): decode as GB18030.
        body = html("<p>朱镕基</p>", head="")
        return web.Response(
            body=body.encode("gb18030"), headers={"Content-Type": "text/html; charset=gb2312"}
        )

    @routes.get("/badcharset.html")
    async def bad_charset(request):
        body = html("<p>公开</p>", head='<meta charset="no-such-charset">')
        return web.Response(body=body.encode("utf-8"), content_type="text/html")

    @routes.get("/malformed.html")
    async def malformed(request):
        body = b"<html><body><div><ul><li><a href='/news/2.html'>x</a><li><p>unclosed <table><tr"
        return web.Response(body=body, content_type="text/html")

    @routes.get("/calendar")
    async def calendar(request):
        month = int(request.query["month"])
        year = int(request.query["year"])
        nxt = (year + month // 12, month % 12 + 1)
        return web.Response(
            text=html(f'<a href="/calendar?year={nxt[0]}&month={nxt[1]}">下月</a>'),
            content_type="text/html",
        )

    app.add_routes(routes)
    return app


@pytest.fixture(scope="module")
def crawled():
    with serve(external_app()) as external, serve(site_app(external)) as site:
        result = crawl_site(site + "/", allow_private=True, budget=BUDGET, today=TODAY)
        yield site, external, result


def by_url(result, base):
    return {link.url.removeprefix(base): link for link in result.links}


def test_crawl_homepage_probe_is_ok(crawled):
    _site, _, result = crawled

    assert result.homepage.ok is True
    assert result.homepage.status == 200
    assert result.refused == ""


@pytest.mark.parametrize(
    ("path", "kind", "status", "error"),
    (
        ("/missing.html", "page", 404, ""),
        ("/error", "page", 503, ""),
        ("/img/ok.png", "image", 200, ""),
        ("/img/missing.png", "image", 404, ""),
        ("/files/a.pdf", "attachment", 200, ""),
        ("/files/gone.doc", "attachment", 404, ""),
        ("/loop1", "page", None, "redirect_loop"),
        ("/slow", "page", None, "timeout"),
        ("/big", "page", 200, "too_large"),
        ("/to-private", "page", None, "refused_private"),
        ("/truncated", "page", None, "truncated"),
        ("/moved.html", "page", None, "error_page"),  # MON-6: redirected to an error page
    ),
)
def test_crawl_checks_every_in_site_link(crawled, path, kind, status, error):
    site, _, result = crawled

    link = by_url(result, site)[path]

    assert (link.kind, link.status, link.error) == (kind, status, error)
    assert link.found_on == site + "/"


@pytest.mark.parametrize(
    ("path", "status"),
    (
        ("/ok", 200),
        ("/gone", 404),
        ("/nohead", 200),  # HEAD answered 405, the GET fallback succeeds
    ),
)
def test_crawl_checks_external_links_without_following_them(crawled, path, status):
    _site, external, result = crawled

    link = by_url(result, external)[path]

    assert (link.kind, link.status) == ("external", status)


def test_crawl_broken_links_are_exactly_the_injected_ones(crawled):
    site, external, result = crawled

    broken = sorted(
        link.url.replace(site, "S").replace(external, "E") for link in result.broken_links
    )

    assert broken == [
        "E/gone",
        "S/error",
        "S/files/gone.doc",
        "S/img/missing.png",
        "S/loop1",
        "S/missing.html",
        "S/moved.html",
        "S/slow",
        "S/to-private",
        "S/truncated",
    ]


def test_crawl_records_traps(crawled):
    site, _, result = crawled

    kinds = {(trap.kind, trap.url.removeprefix(site)) for trap in result.traps}

    assert ("redirect_loop", "/loop1") in kinds
    assert ("slow", "/slow") in kinds
    assert ("too_large", "/big") in kinds
    assert ("bad_charset", "/badcharset.html") in kinds
    assert ("infinite_path", "/spiral/spiral/spiral/spiral/") in kinds
    assert "session_id" in {kind for kind, _ in kinds}
    assert "calendar" in {kind for kind, _ in kinds}


def test_crawl_stops_endless_calendar(crawled):
    _site, _, result = crawled

    calendar_pages = [link for link in result.links if "/calendar" in link.url]

    assert len(calendar_pages) == BUDGET.max_per_template


def test_crawl_strips_session_ids(crawled):
    site, _, result = crawled

    urls = set(by_url(result, site))

    assert {"/s?x=1", "/s2"} <= urls
    assert not any("jsessionid" in url for url in urls)


def test_crawl_reads_columns_from_navigation(crawled):
    site, _, result = crawled

    columns = {c.url.removeprefix(site): c for c in result.columns}

    assert sorted(columns) == ["/blank/", "/news/", "/notice/"]  # not the about page
    assert columns["/news/"].dates == [date(2017, 3, 15), date(2017, 3, 1), None]
    assert columns["/news/"].newest == date(2017, 3, 15)
    assert columns["/news/"].name == "要闻动态"
    assert columns["/notice/"].dates == [date(2016, 12, 30), date(2016, 11, 2)]
    assert (columns["/blank/"].entries, columns["/blank/"].newest) == (0, None)


def test_crawl_follows_links_of_gbk_and_malformed_pages(crawled):
    site, _, result = crawled

    news2 = by_url(result, site)["/news/2.html"]

    assert site + "/malformed.html" in news2.referrers
    assert site + "/gbk.html" in by_url(result, site)["/news/1.html"].referrers


def test_crawl_refuses_loopback_unless_allowed():
    with serve(external_app()) as external:
        result = crawl_site(external + "/ok", budget=BUDGET)

    assert result.refused == "拒绝访问内网或保留地址：127.0.0.1"
    assert result.links == []


def test_crawl_with_registry_columns_and_conditional_cache():
    app = web.Application()
    etag = '"v1"'
    seen = []

    async def column(request):
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            text=html('<ul><li><a href="/c/1.html">一</a> 2017/3/5</li></ul>'),
            content_type="text/html",
            headers={"ETag": etag},
        )

    async def other(request):
        return web.Response(text=html("<p>首页</p>"), content_type="text/html")

    app.router.add_get("/c/", column)
    app.router.add_get("/{tail:.*}", other)
    cache = Cache()
    with serve(app) as site:
        first = crawl_site(
            site + "/",
            allow_private=True,
            budget=BUDGET,
            columns=[site + "/c/"],
            cache=cache,
            today=TODAY,
        )
        second = crawl_site(
            site + "/",
            allow_private=True,
            budget=BUDGET,
            columns=[site + "/c/"],
            cache=Cache.from_json(cache.to_json()),
            today=TODAY,
        )

    assert seen == [None, etag]
    assert [c.dates for c in first.columns] == [[date(2017, 3, 5)]]
    assert [c.dates for c in second.columns] == [[date(2017, 3, 5)]]


def counting_app(*, pages: int, robots: str = "", delay: float = 0.0):
    """A site of ``pages`` linked pages that records what was asked and how many requests
    were in flight at once."""
    app = web.Application()
    state = {"inflight": 0, "max_inflight": 0, "paths": []}

    async def robots_txt(request):
        if not robots:
            raise web.HTTPNotFound()
        return web.Response(text=robots)

    async def page(request):
        state["paths"].append(request.path)
        state["inflight"] += 1
        state["max_inflight"] = max(state["max_inflight"], state["inflight"])
        try:
            await asyncio.sleep(delay)
        finally:
            state["inflight"] -= 1
        links = "".join(f'<a href="/p{i}.html">{i}</a>' for i in range(pages))
        links += '<a href="/private/secret.html">内部</a>'
        return web.Response(text=html(links), content_type="text/html")

    app.router.add_get("/robots.txt", robots_txt)
    app.router.add_get("/{tail:.*}", page)
    return app, state


def test_crawl_keeps_per_host_concurrency():
    app, state = counting_app(pages=20, delay=0.05)
    with serve(app) as site:
        crawl_site(site + "/", allow_private=True, budget=Budget.fast(per_host_concurrency=2))

    assert state["max_inflight"] == 2
    assert len(state["paths"]) == 22  # homepage, 20 pages, /private/secret.html


def test_crawl_obeys_robots_txt():
    app, state = counting_app(pages=3, robots="User-agent: *\nDisallow: /private/\n")
    with serve(app) as site:
        result = crawl_site(site + "/", allow_private=True, budget=BUDGET)

    assert "/private/secret.html" not in state["paths"]
    assert [(t.kind, t.url) for t in result.traps] == [("robots", site + "/private/secret.html")]


def test_crawl_stops_at_page_budget():
    app, _state = counting_app(pages=30)
    with serve(app) as site:
        result = crawl_site(site + "/", allow_private=True, budget=Budget.fast(max_pages=5))

    assert result.pages_fetched == 5
    assert "budget" in {t.kind for t in result.traps}
    assert len(result.links) == 32  # every link is still checked, the rest without parsing


def test_crawl_follows_the_homepage_to_its_new_host():
    # http://127.0.0.1:PORT/ redirects to http://localhost:PORT/index.html (another host name).
    app = web.Application()

    async def root(request):
        if request.host.startswith("127.0.0.1"):
            raise web.HTTPMovedPermanently(f"http://localhost:{request.url.port}/index.html")
        return web.Response(text=html('<a href="/a.html">甲</a>'), content_type="text/html")

    async def page_a(request):
        return web.Response(text=html("<p>甲</p>"), content_type="text/html")

    app.router.add_get("/", root)
    app.router.add_get("/index.html", root)
    app.router.add_get("/a.html", page_a)
    with serve(app) as site:
        result = crawl_site(site + "/", allow_private=True, budget=BUDGET)

    port = site.rsplit(":", 1)[1]
    assert result.homepage.status == 200
    assert [(link.url, link.kind, link.status) for link in result.links] == [
        (site + "/", "page", 200),
        (f"http://localhost:{port}/a.html", "page", 200),
    ]
