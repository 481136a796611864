"""What one crawl of one site observed (issue 6 §2). Plain data: the crawler fills it, the
rules (``gongkai.monitor.rules``) judge it, the models store it. No judgement in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class LinkCheck:
    url: str
    found_on: str  # the page the link was met on
    kind: str  # "page" | "image" | "attachment" | "external" | "other"
    status: int | None  # final HTTP status; None when no response (see error)
    error: str = (
        ""  # "timeout", "dns", "refused", "too_large", "redirect_loop", "refused_private" …
    )
    latency_ms: float | None = None
    final_url: str = ""
    referrers: list[str] = field(default_factory=list)  # pages linking here (first 20)


@dataclass
class ColumnObservation:
    """One column (栏目) list page: the dates of its entries as read from the page."""

    url: str
    name: str = ""
    entries: int = 0  # list entries seen
    dates: list[date | None] = field(default_factory=list)  # per entry; None = no date found
    newest: date | None = None
    status: int | None = None
    error: str = ""


@dataclass
class Probe:
    """One homepage availability probe (MON-4/8: ≥ 15 s counts as a failure)."""

    at: datetime
    ok: bool
    status: int | None
    latency_ms: float | None
    error: str = ""


@dataclass
class Trap:
    kind: str  # "calendar", "session_id", "redirect_loop", "budget", "too_large", "slow", "bad_charset" …
    url: str
    detail: str = ""


@dataclass
class CrawlResult:
    site_url: str
    started: datetime
    finished: datetime
    pages_fetched: int = 0
    homepage: Probe | None = None
    nav: list[tuple[str, str]] = field(default_factory=list)  # homepage navigation (text, url)
    links: list[LinkCheck] = field(default_factory=list)  # every link checked, broken or not
    columns: list[ColumnObservation] = field(default_factory=list)
    traps: list[Trap] = field(default_factory=list)
    refused: str = ""  # non-empty when the site was not crawled at all (private address …)

    @property
    def broken_links(self) -> list[LinkCheck]:
        return [link for link in self.links if link.status is None or link.status >= 400]
