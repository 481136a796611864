"""Demo data: the demo city's 72 websites (MON-1 seed), a few columns each, one judged run per
site, and 网民纠错 tickets (profile "mianyang-2017": the seed's 50 closed in 2017)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from gongkai.monitor import services
from gongkai.monitor.crawl.result import ColumnObservation, CrawlResult, LinkCheck, Probe
from gongkai.monitor.enums import ColumnKind
from gongkai.monitor.models import Column, Site, Ticket

COLUMNS = (
    ("工作动态", "gzdt/", ColumnKind.NEWS),
    ("通知公告", "tzgg/", ColumnKind.NOTICE_POLICY),
    ("政策文件", "zcwj/", ColumnKind.NOTICE_POLICY),
    ("人事信息", "rsxx/", ColumnKind.PERSONNEL_PLAN),
    ("在线咨询", "zxzx/", ColumnKind.CONSULT),
)
SEED_CLOSED = 50  # seed: 全年共审核办结50件


def _workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _columns(site: Site) -> None:
    if site.columns.exists():
        return
    for name, path, kind in COLUMNS:
        Column.objects.create(
            site=site, name=name, url=site.url + path, kind=kind, homepage=True, confirmed=True
        )


def _synthetic_crawl(site: Site, index: int, today: date) -> CrawlResult:
    """What a crawl might have seen: most sites fresh, every 9th stale (MON-9/10)."""
    at = datetime.combine(today, time(2, 0), tzinfo=UTC)
    stale = index % 9 == 4
    observations = []
    for n, column in enumerate(site.columns.order_by("pk")):
        age = {ColumnKind.NEWS: 3, ColumnKind.NOTICE_POLICY: 40, ColumnKind.PERSONNEL_PLAN: 200}
        days = age.get(column.kind, 20) + (400 if stale else 0) + n
        newest = today - timedelta(days=days)
        observations.append(
            ColumnObservation(
                url=column.url, name=column.name, entries=20, dates=[newest] * 20, newest=newest
            )
        )
    links = []
    if index % 5 == 0:
        links.append(
            LinkCheck(url=site.url + "old/page.html", found_on=site.url, kind="page", status=404)
        )
    return CrawlResult(
        site_url=site.url,
        started=at,
        finished=at + timedelta(minutes=3),
        pages_fetched=60 + index,
        homepage=Probe(at=at, ok=True, status=200, latency_ms=300.0 + index),
        columns=observations,
        links=links,
    )


def _ticket(code: str, site: Site, received: date, replied: date | None) -> None:
    if Ticket.objects.filter(code=code).exists():
        return
    ticket = services.file_ticket(
        site=site,
        page_url=site.url + "tzgg/",
        category="typo",
        description="页面存在错别字，请核实更正。",
        contact="",
        today=received,
        code=code,
    )
    if replied is None:
        return
    for action in ("assign", "fix", "review"):
        ticket = services.advance(ticket, action, actor=None, text="已更正。", today=replied)
    services.advance(ticket, "reply", actor=None, text="感谢您的纠错，已更正。", today=replied)


REPOSTS = (  # MON-19: State Council items and the hours each portal took to repost them
    ("国务院关于印发“十三五”国家信息化规划的通知", "http://www.gov.cn/zhengce/demo-1", (2, 30)),
    ("国务院办公厅关于推进政务公开工作的意见", "http://www.gov.cn/zhengce/demo-2", (5, None)),
)


def _reposts(sites: list[Site], today: date) -> None:
    portals = [s for s in sites if s.site_type == "portal"][:4]
    published = datetime.combine(today - timedelta(days=3), time(1, 0), tzinfo=UTC)
    for title, url, (fast, slow) in REPOSTS:
        for n, site in enumerate(portals):
            if site.reposts.filter(source_url=url).exists():
                continue
            hours = fast if n % 2 == 0 else slow
            services.record_repost(
                site=site,
                title=title,
                source_url=url,
                published_at=published,
                reposted_at=published + timedelta(hours=hours) if hours is not None else None,
                url=site.url + "gwy/" if hours is not None else "",
            )


@transaction.atomic
def build_demo(*, city, year: int, today: date, profile: str = "", say=print) -> None:
    sites = services.sync_sites(city)
    say(f"网站监测：新登记网站 {len(sites)} 个")
    all_sites = list(Site.objects.filter(org__path__startswith=city.path).order_by("org__path"))
    for index, site in enumerate(all_sites):
        _columns(site)
        if not site.runs.exists():
            services.store_run(site, _synthetic_crawl(site, index, today), today=today)
    say(f"网站监测：{len(all_sites)} 个网站均有栏目与一次检查记录")
    if not all_sites:
        return
    if profile == "mianyang-2017":
        for i in range(SEED_CLOSED):
            received = _workday(date(2017, 1, 3) + timedelta(days=7 * i))
            site = all_sites[i % len(all_sites)]
            _ticket(f"MY2017{i:04d}", site, received, _workday(received + timedelta(days=1)))
        say(f"网站监测：2017年网民纠错办结 {SEED_CLOSED} 件")
    _reposts(all_sites, today)
    for i in range(3):  # open tickets of the current year
        _ticket(f"DM{year}{i:04d}", all_sites[(i * 7) % len(all_sites)], today, None)
