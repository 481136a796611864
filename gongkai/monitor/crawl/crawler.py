"""The site crawler (issue 6 §2): polite, bounded, asynchronous.

One :class:`Crawler` crawls one site: it follows in-site links breadth-first, checks every
link it meets once (pages with GET, images/attachments/external links with HEAD and a GET
fallback; external links are never followed), reads the dates of column list pages and
records traps instead of falling into them. All HTTP goes through :func:`fetch.fetch`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib import robotparser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .fetch import (
    RefusedAddress,
    Response,
    address_allowed,
    check_literal_host,
    fetch,
    make_session,
)
from .parse import Page, link_kind, normalize_url, parse_page
from .result import ColumnObservation, CrawlResult, LinkCheck, Probe, Trap

PROBE_FAILURE_SECONDS = 15.0  # MON-4/8: a homepage not open within 15 s is a failure


@dataclass
class Budget:
    """Bounds of one crawl. The defaults are polite enough for a real government site;
    :meth:`fast` is for local farms and tests."""

    max_pages: int = 500  # pages fetched and parsed per run
    max_links: int = 5000  # distinct URLs checked per run
    max_depth: int = 5
    per_host_concurrency: int = 2
    requests_per_second: float | None = 3.0  # per host; None = unthrottled
    timeout: float = 15.0  # whole response, redirects and body included
    max_bytes: int = 5_000_000
    max_url_length: int = 1024
    max_per_template: int = 30  # calendar-like URLs sharing one shape
    check_external: bool = True
    respect_robots: bool = True

    @classmethod
    def fast(cls, **overrides) -> Budget:
        values = dict(
            max_pages=100_000,
            max_links=1_000_000,
            max_depth=50,
            per_host_concurrency=16,
            requests_per_second=None,
            timeout=2.0,
        )
        values.update(overrides)
        return cls(**values)


class Cache:
    """ETag / Last-Modified of pages seen before, with what was read from them, so that a
    ``304 Not Modified`` needs no body. Plain JSON-able data: the caller may persist it."""

    def __init__(self, entries: dict | None = None):
        self.entries: dict[str, dict] = dict(entries or {})

    def headers_for(self, url: str) -> dict[str, str]:
        entry = self.entries.get(url)
        if not entry:
            return {}
        headers = {}
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def page(self, url: str) -> Page | None:
        entry = self.entries.get(url)
        return Page.from_dict(entry["page"]) if entry and entry.get("page") else None

    def store(self, url: str, response: Response, page: Page) -> None:
        etag = response.headers.get("etag", "")
        modified = response.headers.get("last-modified", "")
        if etag or modified:
            self.entries[url] = {"etag": etag, "last_modified": modified, "page": page.to_dict()}

    def to_json(self) -> dict:
        return self.entries

    @classmethod
    def from_json(cls, data: dict | None) -> Cache:
        return cls(data)


class HostGate:
    """Per-host concurrency and request-rate limit."""

    def __init__(self, concurrency: int, rps: float | None):
        self.sem = asyncio.Semaphore(max(1, concurrency))
        self.interval = 1.0 / rps if rps else 0.0
        self.next_at = 0.0

    async def __aenter__(self):
        await self.sem.acquire()
        if self.interval:
            now = time.monotonic()
            start = max(now, self.next_at)
            self.next_at = start + self.interval
            if start > now:
                await asyncio.sleep(start - now)
        return self

    async def __aexit__(self, *exc):
        self.sem.release()


_SESSION_KEYS = re.compile(
    r"^(jsessionid|phpsessid|aspsessionid\w*|sessionid|session_id|sid|cfid|cftoken)$", re.I
)
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.I)
_CALENDAR_KEYS = re.compile(r"^(year|month|day|date|ym|ymd|cal|calendar|rq|riqi|time|week)$", re.I)
_CALENDAR_PATH = re.compile(r"calendar|rili|/\d{4}-\d{1,2}(-\d{1,2})?/?$", re.I)
_DIGITS = re.compile(r"\d+")


def strip_session(url: str) -> str:
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _SESSION_KEYS.match(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _template(url: str) -> tuple[str, bool]:
    """URL shape with numbers blanked, and whether it looks like a calendar."""
    parts = urlsplit(url)
    keys = sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    calendar = any(_CALENDAR_KEYS.match(k) for k in keys) or bool(_CALENDAR_PATH.search(parts.path))
    return _DIGITS.sub("#", parts.path) + "?" + "&".join(keys), calendar


_ERROR_PAGE = re.compile(r"(?:^|/)(?:404|50[0-9]|error|notfound|not_found)(?:[./_-]|$)", re.I)
_FAILURE_ERRORS = {"timeout", "dns", "refused", "refused_private", "redirect_loop", "truncated",
                   "disconnected"}  # fmt: skip


class Crawler:
    def __init__(self, site_url, *, allow_private, budget, columns, cache, today):
        self.site_url = normalize_url(site_url)
        self.netloc = urlsplit(self.site_url).netloc
        self.allow_private = allow_private
        self.budget = budget
        self.registry_columns = [normalize_url(c) for c in columns] if columns else None
        self.column_set = set(self.registry_columns or ())
        self.cache = cache
        self.today = today
        self.result = CrawlResult(site_url=self.site_url, started=_now(), finished=_now())
        self.checks: dict[str, LinkCheck] = {}
        self.pages: dict[str, Page] = {}
        self.gates: dict[str, HostGate] = {}
        self.templates: Counter = Counter()
        self.trap_kinds: set[tuple[str, str]] = set()
        self.tasks: set[asyncio.Task] = set()
        self.robots: robotparser.RobotFileParser | None = None
        self.session = None

    # -- bookkeeping ---------------------------------------------------------------------

    def trap(self, kind: str, url: str, detail: str = "", *, once_per_kind: bool = False) -> None:
        key = (kind, "" if once_per_kind else url)
        if key in self.trap_kinds:
            return
        self.trap_kinds.add(key)
        self.result.traps.append(Trap(kind=kind, url=url, detail=detail))

    def gate(self, url: str) -> HostGate:
        host = urlsplit(url).netloc
        if host not in self.gates:
            if host == self.netloc:
                self.gates[host] = HostGate(
                    self.budget.per_host_concurrency, self.budget.requests_per_second
                )
            else:  # external hosts: checked only, a little gentler
                self.gates[host] = HostGate(
                    min(4, self.budget.per_host_concurrency), self.budget.requests_per_second
                )
        return self.gates[host]

    async def get(self, url: str, *, method="GET", headers=None, read_body=True) -> Response:
        async with self.gate(url):
            return await fetch(
                self.session,
                url,
                method=method,
                timeout=self.budget.timeout,
                max_bytes=self.budget.max_bytes,
                headers=headers,
                allow_private=self.allow_private,
                read_body=read_body,
            )

    # -- the crawl -------------------------------------------------------------------------

    async def run(self) -> CrawlResult:
        refused = await self.refusal()
        if refused:
            self.result.refused = refused
            self.result.finished = _now()
            return self.result
        self.session = make_session(allow_private=self.allow_private)
        try:
            if self.budget.respect_robots:
                await self.load_robots()
            self.discover(self.site_url, "a", found_on="", depth=0)
            for column in self.registry_columns or []:
                self.discover(column, "a", found_on=self.site_url, depth=1)
            while self.tasks:
                await asyncio.gather(*list(self.tasks))
        finally:
            await self.session.close()
        self.result.links = list(self.checks.values())
        self.result.columns = self.observe_columns()
        self.result.finished = _now()
        return self.result

    async def refusal(self) -> str:
        try:
            check_literal_host(self.site_url, allow_private=self.allow_private)
            host = urlsplit(self.site_url).hostname or ""
            try:
                ipaddress.ip_address(host)
                return ""
            except ValueError:
                pass
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except socket.gaierror:
                return ""  # the homepage probe will record the DNS failure
            for info in infos:
                address = info[4][0]
                if not address_allowed(address, allow_private=self.allow_private):
                    raise RefusedAddress(host, address)
        except RefusedAddress as exc:
            return str(exc)
        return ""

    async def load_robots(self) -> None:
        response = await self.get(f"{urlsplit(self.site_url).scheme}://{self.netloc}/robots.txt")
        if response.status != 200 or response.error:
            return
        parser = robotparser.RobotFileParser()
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        self.robots = parser
        delay = parser.crawl_delay("Gongkai-Monitor")
        if delay and self.budget.requests_per_second:
            rate = min(self.budget.requests_per_second, 1.0 / float(delay))
            self.gates[self.netloc] = HostGate(self.budget.per_host_concurrency, rate)

    def discover(self, url: str, tag: str, *, found_on: str, depth: int) -> None:
        if ";" in url or "?" in url:
            clean = strip_session(url)
            if clean != url:
                self.trap("session_id", url, "会话标识已从网址中去除", once_per_kind=True)
                url = clean
        existing = self.checks.get(url)
        if existing is not None:
            if found_on and found_on not in existing.referrers and len(existing.referrers) < 20:
                existing.referrers.append(found_on)
            return
        kind = link_kind(url, tag, site_netloc=self.netloc)
        if kind == "external" and not self.budget.check_external:
            return
        if kind != "external":
            if self.is_trap(url):
                return
            if self.robots is not None and depth > 0 and url not in (self.registry_columns or ()):
                if not self.robots.can_fetch("Gongkai-Monitor", url):
                    self.trap("robots", url, "robots.txt 不允许抓取", once_per_kind=True)
                    return
        if len(self.checks) >= self.budget.max_links:
            self.trap(
                "budget", url, f"超过每次检查的链接上限 {self.budget.max_links}", once_per_kind=True
            )
            return
        check = LinkCheck(url=url, found_on=found_on, kind=kind, status=None)
        check.referrers = [found_on] if found_on else []
        self.checks[url] = check
        task = asyncio.create_task(self.visit(check, depth))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def is_trap(self, url: str) -> bool:
        if len(url) > self.budget.max_url_length:
            self.trap("infinite_path", url, "网址过长")
            return True
        segments = [s for s in urlsplit(url).path.split("/") if s]
        if segments and max(Counter(segments).values()) >= 4:
            self.trap("infinite_path", url, "路径段重复")
            return True
        shape, calendar = _template(url)
        if calendar or urlsplit(url).query:
            self.templates[shape] += 1
            limit = self.budget.max_per_template * (1 if calendar else 20)
            if self.templates[shape] > limit:
                self.trap("calendar" if calendar else "infinite_space", url, shape)
                return True
        return False

    async def visit(self, check: LinkCheck, depth: int) -> None:
        try:
            if check.kind == "page":
                await self.visit_page(check, depth)
            else:
                await self.check_link(check)
        except Exception as exc:  # one bad URL must never end the crawl
            check.error = check.error or f"crawler:{type(exc).__name__}"

    async def check_link(self, check: LinkCheck) -> None:
        response = await self.get(check.url, method="HEAD")
        if response.error in {"refused_private", "dns", "redirect_loop"}:
            self.record(check, response)
            return
        if response.error or (response.status or 0) >= 400:
            # Many servers answer HEAD wrongly (405, 403, 404, resets): ask again with GET.
            response = await self.get(check.url, read_body=False)
        self.record(check, response)

    def record(self, check: LinkCheck, response: Response) -> None:
        check.status = None if response.error in _FAILURE_ERRORS else response.status
        check.error = response.error
        check.latency_ms = response.latency_ms
        check.final_url = response.final_url
        if response.error == "redirect_loop":
            self.trap("redirect_loop", check.url, " → ".join(response.redirects[:5]))
        elif response.error == "timeout":
            self.trap("slow", check.url, f"超过 {self.budget.timeout:g} 秒未完成")
        elif response.error == "truncated":
            self.trap("truncated", check.url, "响应未按声明长度完整返回")
        elif response.redirects and _ERROR_PAGE.search(urlsplit(response.final_url).path):
            # MON-6: a link that redirects to an error page is broken, whatever the status.
            check.status = None
            check.error = "error_page"

    async def visit_page(self, check: LinkCheck, depth: int) -> None:
        is_home = check.url == self.site_url
        parse = depth <= self.budget.max_depth
        if parse and self.result.pages_fetched >= self.budget.max_pages:
            self.trap(
                "budget",
                check.url,
                f"超过每次检查的页面上限 {self.budget.max_pages}",
                once_per_kind=True,
            )
            parse = False
        if not parse:
            await self.check_link(check)
            return
        self.result.pages_fetched += 1
        headers = self.cache.headers_for(check.url) if self.cache else {}
        response = await self.get(check.url, headers=headers)
        self.record(check, response)
        if is_home:
            self.result.homepage = _probe_from(response)
        page = None
        if response.status == 304 and self.cache:
            page = self.cache.page(check.url)
            check.status = 200 if page is not None else 304
        if response.error == "too_large":
            self.trap("too_large", check.url, f"页面超过 {self.budget.max_bytes} 字节，已截断")
        if page is None:
            if response.status is None or response.status >= 400 or not response.body:
                return
            if (response.error and response.error != "too_large") or check.error == "error_page":
                return
            final_netloc = urlsplit(response.final_url).netloc
            if is_home and final_netloc != self.netloc:
                # x.gov.cn → www.x.gov.cn: the site lives where its homepage landed.
                self.trap("homepage_moved", check.url, response.final_url)
                self.netloc = final_netloc
            elif final_netloc != self.netloc:
                return  # redirected off-site: checked, not crawled
            if not _looks_html(response):
                return
            page = parse_page(
                response.body,
                response.final_url,
                content_type_header=response.headers.get("content-type", ""),
                today=self.today,
                want_nav=is_home,
                # list entries matter on candidate column pages only (navigation targets or
                # registry columns); a cached page keeps them for the next run.
                want_entries=depth <= 1 or check.url in self.column_set,
            )
            if page.bad_charset:
                self.trap("bad_charset", check.url, page.bad_charset)
            if self.cache is not None:
                self.cache.store(check.url, response, page)
        if depth <= 1 or check.url in self.column_set:
            self.pages[check.url] = page  # kept for the column observations only
        if is_home:
            self.result.nav = list(dict.fromkeys(page.nav))
        for url, tag in page.links:
            self.discover(url, tag, found_on=check.url, depth=depth + 1)

    # -- columns -----------------------------------------------------------------------------

    def observe_columns(self) -> list[ColumnObservation]:
        names = {url: text for text, url in self.result.nav}
        if self.registry_columns is not None:
            candidates = self.registry_columns
            detected = False
        else:
            candidates = [
                url
                for _text, url in self.result.nav
                if urlsplit(url).netloc == self.netloc and url != self.site_url
            ]
            candidates = list(dict.fromkeys(candidates))
            detected = True
        out = []
        for url in candidates:
            check = self.checks.get(url)
            page = self.pages.get(url)
            if detected and page is not None:
                dated = [d for d in page.entries if d is not None]
                if not dated and not (page.empty_marker and not page.entries):
                    continue  # a navigation target that is no list page (about us, map …)
            observation = ColumnObservation(
                url=url, name=names.get(url, page.title if page else "")
            )
            if check is not None:
                observation.status = check.status
                observation.error = check.error
            if page is not None:
                observation.entries = len(page.entries)
                observation.dates = list(page.entries)
                dated = [d for d in page.entries if d is not None]
                observation.newest = max(dated) if dated else None
            elif detected:
                continue
            out.append(observation)
        return out


def _looks_html(response: Response) -> bool:
    ctype = response.content_type
    if ctype in {"text/html", "application/xhtml+xml"}:
        return True
    if not ctype:
        return response.body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    return False


def _probe_from(response: Response) -> Probe:
    ok = (
        response.status is not None
        and response.status < 400
        and response.error in {"", "too_large"}
        and (response.latency_ms or 0) < PROBE_FAILURE_SECONDS * 1000
    )
    return Probe(
        at=_now(),
        ok=ok,
        status=None if response.error in _FAILURE_ERRORS else response.status,
        latency_ms=response.latency_ms,
        error=response.error,
    )


def _now() -> datetime:
    return datetime.now(UTC)


async def acrawl_site(
    url: str,
    *,
    allow_private: bool = False,
    budget: Budget | None = None,
    columns: list[str] | None = None,
    cache: Cache | None = None,
    today: date | None = None,
) -> CrawlResult:
    """Crawl one site. Never raises for what a site does; a refused address comes back as
    ``CrawlResult.refused`` (a Chinese message) with nothing fetched."""
    crawler = Crawler(
        url,
        allow_private=allow_private,
        budget=budget or Budget(),
        columns=columns,
        cache=cache,
        today=today or _now().date(),
    )
    return await crawler.run()


def run_coroutine(coroutine_function, *args, **kwargs):
    """Run a coroutine to its end from sync code, also when this thread already runs an event
    loop (an async caller; Playwright's sync API in tests): then in a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_function(*args, **kwargs))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function(*args, **kwargs))).result()


def crawl_site(url: str, **kwargs) -> CrawlResult:
    return run_coroutine(acrawl_site, url, **kwargs)


async def aprobe(
    url: str, *, allow_private: bool = False, timeout: float = PROBE_FAILURE_SECONDS
) -> Probe:
    """One availability probe of a homepage (MON-4): failure when no answer below 400
    within ``timeout`` seconds (15 s by the national indicators)."""
    crawler = Crawler(
        url,
        allow_private=allow_private,
        budget=Budget(),
        columns=None,
        cache=None,
        today=_now().date(),
    )
    refused = await crawler.refusal()
    if refused:
        return Probe(at=_now(), ok=False, status=None, latency_ms=None, error="refused_private")
    async with make_session(allow_private=allow_private) as session:
        response = await fetch(
            session,
            crawler.site_url,
            timeout=timeout,
            max_bytes=2_000_000,
            allow_private=allow_private,
        )
    return _probe_from(response)


def probe(url: str, **kwargs) -> Probe:
    return run_coroutine(aprobe, url, **kwargs)
