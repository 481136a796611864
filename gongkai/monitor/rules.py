"""Judging what a crawl observed: veto items, deductions, staleness (RULES.zh.md MON-3…22).

Pure functions over plain values: no ORM, no clock, no settings. ``evaluate_crawl`` works on a
standalone crawl too (``gongkai monitor check URL``): columns whose kind is not registered are
classified by their name (MON-3) and, failing that, judged as 通知公告/政策文件类 with a
6-month period — the strictest default that is still sensible — and each such column says so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from gongkai.monitor.crawl.result import ColumnObservation, CrawlResult, Probe
from gongkai.monitor.enums import ColumnKind, FindingKind, SiteFlag
from gongkai.monitor.indicators import IndicatorSet, Period

LOCAL = ZoneInfo("Asia/Shanghai")  # GEN-5

# ---------------------------------------------------------------------------------------------
# Column kinds from names (MON-3). Order matters: the first pattern that matches wins.
# ---------------------------------------------------------------------------------------------

NAME_PATTERNS: tuple[tuple[str, str], ...] = (
    (ColumnKind.PETITION, r"信访"),
    (ColumnKind.DISCIPLINE, r"纪检|纪委|监察|廉政"),
    (ColumnKind.INTERVIEW, r"访谈|直播|在线交流"),
    (ColumnKind.SURVEY, r"征集|调查|民意|意见"),
    (ColumnKind.CONSULT, r"信箱|咨询|留言|问政|建言|书记|市长|县长|区长|局长"),
    (ColumnKind.PERSONNEL_PLAN, r"人事|任免|招考|招聘|规划|计划|总结"),
    (ColumnKind.NOTICE_POLICY, r"通知|公告|公示|政策|文件|法规|规章|解读"),
    (ColumnKind.NEWS, r"要闻|动态|新闻|进展|资讯|工作信息|政务信息|图片|热点|头条"),
    (ColumnKind.SERVICE, r"办事|服务|审批|指南|下载|表格|查询"),
)
HISTORICAL_PATTERN = r"历史|回顾|已结束|专题"


def classify_column(name: str) -> str:
    """MON-3: propose a ColumnKind from a column's name; OTHER when nothing matches."""
    for kind, pattern in NAME_PATTERNS:
        if re.search(pattern, name or ""):
            return str(kind)
    return str(ColumnKind.OTHER)


def looks_historical(name: str) -> bool:
    """Topic (专题) columns are proposed as historical; staff confirm (MON-3)."""
    return bool(re.search(HISTORICAL_PATTERN, name or ""))


def propose_columns(nav: Iterable[tuple[str, str]]) -> list[dict]:
    """MON-3: columns proposed from a homepage's navigation (text, url); staff confirm them."""
    seen: set[str] = set()
    proposals = []
    for text, url in nav:
        text = (text or "").strip()
        if not text or not url or url in seen or text in {"首页", "网站首页", "返回首页"}:
            continue
        seen.add(url)
        proposals.append(
            {
                "name": text[:100],
                "url": url,
                "kind": classify_column(text),
                "historical": looks_historical(text),
                "homepage": True,
                "level": 1,
            }
        )
    return proposals


# ---------------------------------------------------------------------------------------------
# Date arithmetic
# ---------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Calendar months, the day clamped to the month's end (3个月 = 自然月, MON-12)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_start(today: date, period: Period) -> date:
    """The first day still inside ``period`` before ``today`` (inclusive, GEN-5)."""
    return add_months(today, -(period.years * 12 + period.months)) - timedelta(days=period.days)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class Finding:
    rule: str  # "MON-8" …
    kind: str  # FindingKind
    url: str
    detail: str
    evidence: dict = field(default_factory=dict)
    points: Decimal = Decimal(0)  # deductions only
    key: str = ""  # stable identity across runs (false positives are matched on it)
    dismissed: bool = False  # staff marked this key a false positive: kept, not counted

    def __post_init__(self) -> None:
        if not self.key:
            self.key = f"{self.rule}|{self.evidence.get('item', '')}|{self.url}"


@dataclass
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    veto: list[str] = field(default_factory=list)  # rule ids, in order of first appearance
    score: float | None = None  # None when vetoed (MON-8…: 不再评其余指标) or not crawled
    stale_columns: list[dict] = field(default_factory=list)
    blank_columns: list[dict] = field(default_factory=list)
    availability: dict = field(default_factory=dict)
    flag: str = ""  # SiteFlag (MON-22)
    indicators: str = ""
    measures: dict = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    dismissed_keys: frozenset[str] = frozenset()

    @property
    def passed(self) -> bool | None:
        if self.veto:
            return False
        return None if self.score is None else self.score >= 60

    def add(self, finding: Finding) -> None:
        finding.dismissed = finding.key in self.dismissed_keys
        self.findings.append(finding)
        if finding.dismissed:
            return
        if finding.kind == FindingKind.VETO and finding.rule not in self.veto:
            self.veto.append(finding.rule)


# ---------------------------------------------------------------------------------------------
# MON-8 availability
# ---------------------------------------------------------------------------------------------


def _local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(LOCAL).date()


def probe_failed(probe: Probe, *, slow_seconds: float = 15.0) -> bool:
    """MON-4: failure = no answer, an HTTP error, or ≥ 15 s to open."""
    if not probe.ok or probe.status is None or probe.status >= 400:
        return True
    return probe.latency_ms is not None and probe.latency_ms >= slow_seconds * 1000


def availability(probes: Sequence[Probe], *, today: date, indicators: IndicatorSet) -> dict:
    """MON-8: share of failed probes in the week up to ``today``; veto when ≥ 5% (inclusive).

    ``sufficient`` says whether the window holds ≥ 20 probes a day on average; a shorter
    series is reported but never vetoes (a standalone check has a single probe)."""
    first = today - timedelta(days=indicators.window_days - 1)
    window = [p for p in probes if first <= _local_date(p.at) <= today]
    failed = [p for p in window if probe_failed(p, slow_seconds=indicators.slow_seconds)]
    total = len(window)
    ratio = Fraction(len(failed), total) if total else None
    sufficient = total >= indicators.window_days * indicators.min_probes_per_day
    threshold = Fraction(indicators.unavailable_ratio)
    return {
        "from": first.isoformat(),
        "to": today.isoformat(),
        "total": total,
        "failed": len(failed),
        "ratio": float(ratio) if ratio is not None else None,
        "percent": f"{float(ratio) * 100:.2f}%" if ratio is not None else "",
        "sufficient": sufficient,
        "veto": bool(sufficient and ratio is not None and ratio >= threshold),
        "first_failures": [
            {
                "at": p.at.isoformat(),
                "status": p.status,
                "error": p.error,
                "latency_ms": p.latency_ms,
            }
            for p in failed[:10]
        ],
    }


# ---------------------------------------------------------------------------------------------
# MON-9 / MON-10 columns
# ---------------------------------------------------------------------------------------------


@dataclass
class ColumnView:
    """A column as judged: what was observed plus what the registry says (or assumes)."""

    url: str
    name: str
    kind: str
    level: int
    homepage: bool
    historical: bool
    period: Period | None
    observation: ColumnObservation
    assumed: str = ""  # why the kind/period was assumed, for standalone checks

    @property
    def unreachable(self) -> bool:
        obs = self.observation
        return bool(obs.error) or (obs.status is not None and obs.status >= 400)

    @property
    def blank(self) -> bool:
        """MON-10 (3): never provided any information."""
        return not self.unreachable and self.observation.entries == 0

    def newest(self, today: date) -> date | None:
        """MON-5: the newest dated entry; undated entries count as no update; future dates ignored."""
        dated = [d for d in self.observation.dates if d is not None and d <= today]
        if dated:
            return max(dated)
        newest = self.observation.newest
        return newest if newest is not None and newest <= today else None

    def as_dict(self, today: date) -> dict:
        newest = self.newest(today)
        return {
            "url": self.url,
            "name": self.name,
            "kind": self.kind,
            "level": self.level,
            "homepage": self.homepage,
            "period": self.period.label() if self.period else "",
            "newest": newest.isoformat() if newest else None,
            "entries": self.observation.entries,
            "undated": sum(1 for d in self.observation.dates if d is None),
            "assumed": self.assumed,
        }


def column_views(
    columns: Iterable[ColumnObservation],
    *,
    column_kinds: Mapping[str, Mapping] | None,
    indicators: IndicatorSet,
) -> list[ColumnView]:
    """Join observations with the registry (``column_kinds``: url → {kind, level, homepage,
    historical, period_days}); unregistered columns get a name-based kind (MON-3)."""
    views = []
    for obs in columns:
        registered = (column_kinds or {}).get(obs.url)
        assumed = ""
        if registered:
            kind = registered.get("kind") or ColumnKind.OTHER
            level = int(registered.get("level") or 1)
            homepage = bool(registered.get("homepage", level == 1))
            historical = bool(registered.get("historical", False))
            days = registered.get("period_days")
        else:
            kind = classify_column(obs.name)
            level, homepage, historical, days = 1, True, False, None
            if kind == ColumnKind.OTHER:
                kind = ColumnKind.NOTICE_POLICY
                assumed = "栏目未登记且名称无法识别类别，按通知公告、政策文件类（6个月）从严判定"
            else:
                assumed = "栏目未登记，类别按名称推定"
        period = Period(days=int(days)) if days else indicators.periods.get(str(kind))
        views.append(
            ColumnView(
                url=obs.url,
                name=obs.name or registered.get("name", "") if registered else obs.name,
                kind=str(kind),
                level=level,
                homepage=homepage,
                historical=historical,
                period=period,
                observation=obs,
                assumed=assumed,
            )
        )
    return views


def is_stale(view: ColumnView, *, today: date) -> bool:
    """Not updated within its period before the monitoring point (MON-5: undated = stale)."""
    if view.period is None or view.historical:
        return False
    newest = view.newest(today)
    return newest is None or newest < period_start(today, view.period)


# ---------------------------------------------------------------------------------------------
# MON-12 mailbox
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    received: date
    answered: date | None = None


def mailbox_overdue(
    letters: Iterable[Letter], *, today: date, indicators: IndicatorSet
) -> list[dict]:
    """MON-12: valid letters that waited more than 3 calendar months for a reply within the
    year before the monitoring point. Answered letters count when received in the window;
    a letter still unanswered counts whatever its age (its silence lasts into the window)."""
    window_start = add_months(today, -12 * indicators.mailbox_window_years)
    late = []
    for letter in letters:
        if letter.received > today:
            continue
        answered = letter.answered if letter.answered and letter.answered <= today else None
        if answered is not None and letter.received < window_start:
            continue
        limit = add_months(letter.received, indicators.mailbox_months)
        waited_until = answered or today
        if waited_until > limit:
            late.append(
                {
                    "received": letter.received.isoformat(),
                    "answered": answered.isoformat() if answered else None,
                    "limit": limit.isoformat(),
                    "days": (waited_until - letter.received).days,
                }
            )
    return late


def _letters(mailbox) -> list[Letter]:
    if mailbox is None:
        return []
    if isinstance(mailbox, date):
        return [Letter(received=mailbox)]
    return [m if isinstance(m, Letter) else Letter(*m) for m in mailbox]


# ---------------------------------------------------------------------------------------------
# Deductions (MON-15…17)
# ---------------------------------------------------------------------------------------------


def apply_deductions(measures: Mapping, indicators: IndicatorSet) -> list[tuple]:
    """(deduction, value, points) for every configured deduction that costs points."""
    out = []
    for rule in indicators.deductions:
        value = measures.get(rule.measure)
        if value is None:
            continue
        amount = Decimal(str(value))
        if rule.at_least is not None:
            points = rule.points if amount >= rule.at_least else Decimal(0)
        elif rule.below is not None:
            points = rule.points if amount < rule.below else Decimal(0)
        elif rule.per_item:
            points = rule.per_item * amount
        else:
            points = rule.points if amount else Decimal(0)
        points = min(points, rule.max) if rule.max else points
        if points > 0:
            out.append((rule, value, points))
    return out


# ---------------------------------------------------------------------------------------------
# The evaluation
# ---------------------------------------------------------------------------------------------


def evaluate_crawl(
    result: CrawlResult,
    *,
    today: date,
    indicators: IndicatorSet | None = None,
    probes: Sequence[Probe] | None = None,
    column_kinds: Mapping[str, Mapping] | None = None,
    mailbox=None,
    consult_required: bool | None = None,
    sleeping_before: bool = False,
    has_services: bool = True,
    dismissed: Iterable[str] = (),
) -> Evaluation:
    """Judge one crawl at the monitoring point ``today`` (MON-5).

    ``probes``: the availability probes of the week (default: the crawl's homepage probe);
    ``column_kinds``: registry facts per column URL; ``mailbox``: the date the oldest valid
    unanswered letter was received, or an iterable of ``Letter``/(received, answered);
    ``sleeping_before``: the previous period was SLEEPING (MON-22 ZOMBIE);
    ``dismissed``: finding keys staff marked as false positives (kept, but not counted).
    """
    if indicators is None:
        from gongkai.monitor.indicators import load

        indicators = load()
    ev = Evaluation(indicators=indicators.id, dismissed_keys=frozenset(dismissed))
    site = result.site_url

    if result.refused:
        ev.add(
            Finding(
                "MON-6",
                FindingKind.NOTICE,
                site,
                f"未采集：{result.refused}",
                {"refused": result.refused},
            )
        )
        return ev

    # MON-8 -------------------------------------------------------------------------------
    series = list(probes) if probes is not None else [p for p in [result.homepage] if p]
    ev.availability = availability(series, today=today, indicators=indicators)
    av = ev.availability
    if av["veto"]:
        ev.add(
            Finding(
                "MON-8",
                FindingKind.VETO,
                site,
                f"监测{indicators.window_days}天共访问{av['total']}次，失败{av['failed']}次，"
                f"占{av['percent']}，达到否决线{Decimal(indicators.unavailable_ratio) * 100:g}%",
                {"item": "availability", **av},
            )
        )
    elif av["total"] and not av["sufficient"] and av["failed"]:
        ev.add(
            Finding(
                "MON-8",
                FindingKind.NOTICE,
                site,
                f"首页访问失败{av['failed']}/{av['total']}次（样本不足一周，不作否决判定）",
                {"item": "availability", **av},
            )
        )

    # MON-9 / MON-10 ------------------------------------------------------------------------
    views = column_views(result.columns, column_kinds=column_kinds, indicators=indicators)
    for view in views:
        if view.assumed and view.assumed not in ev.assumptions:
            ev.assumptions.append(view.assumed)
        if view.unreachable:
            ev.add(
                Finding(
                    "MON-6",
                    FindingKind.NOTICE,
                    view.url,
                    f"栏目“{view.name}”无法打开（{view.observation.status or view.observation.error}）",
                    {
                        "item": "column",
                        "status": view.observation.status,
                        "error": view.observation.error,
                    },
                )
            )
        future = [d for d in view.observation.dates if d is not None and d > today]
        if future:
            ev.add(
                Finding(
                    "MON-11",
                    FindingKind.NOTICE,
                    view.url,
                    f"栏目“{view.name}”有{len(future)}条信息的发布日期晚于监测时间点，需人工核查",
                    {"item": "future_date", "dates": sorted({d.isoformat() for d in future})},
                )
            )

    judged = [v for v in views if not v.historical and not v.unreachable]
    homepage = [v for v in judged if v.homepage] or judged
    fresh_from = today - timedelta(days=indicators.homepage_stale_days)
    if homepage:
        newest = max((v.newest(today) for v in homepage if v.newest(today)), default=None)
        if newest is None or newest < fresh_from:
            ev.add(
                Finding(
                    "MON-9",
                    FindingKind.VETO,
                    site,
                    f"首页栏目{indicators.homepage_stale_days}天内无信息更新（最新信息日期："
                    f"{newest.isoformat() if newest else '无'}）",
                    {
                        "item": "homepage",
                        "newest": newest.isoformat() if newest else None,
                        "since": fresh_from.isoformat(),
                        "columns": [v.url for v in homepage],
                    },
                )
            )
    elif not result.columns:
        ev.add(
            Finding(
                "MON-9",
                FindingKind.NOTICE,
                site,
                "未识别到栏目列表页，无法判定首页更新情况",
                {"item": "homepage"},
            )
        )

    blank = [v for v in judged if v.blank]
    stale = [v for v in judged if not v.blank and is_stale(v, today=today)]
    ev.blank_columns = [v.as_dict(today) for v in blank]
    ev.stale_columns = [v.as_dict(today) for v in stale]

    def counts_in_item_1(view: ColumnView) -> bool:
        if view.kind == ColumnKind.NEWS:
            return True
        if view.kind == ColumnKind.NOTICE_POLICY:
            return view.level == 1 or not indicators.notice_policy_level1_only
        return False

    # Blank news/policy columns are "not updated" too (MON-5), so they count in item 1.
    item_1 = [v for v in stale + blank if counts_in_item_1(v) and v.period is not None]
    overdue = blank + stale  # MON-10 (2): blank + too-rarely-updated columns
    for count, threshold, item, text in (
        (
            len(item_1),
            indicators.stale_count,
            "stale",
            "动态要闻类（2周）与通知公告、政策文件类（6个月）未更新栏目累计",
        ),
        (len(overdue), indicators.overdue_count, "overdue", "应更新但长期未更新的栏目"),
        (len(blank), indicators.blank_count, "blank", "空白栏目"),
    ):
        if count >= threshold:
            columns = {"stale": item_1, "overdue": overdue, "blank": blank}[item]
            ev.add(
                Finding(
                    "MON-10",
                    FindingKind.VETO,
                    site,
                    f"{text}{count}个，达到否决线{threshold}个",
                    {
                        "item": item,
                        "count": count,
                        "threshold": threshold,
                        "columns": [v.as_dict(today) for v in columns],
                    },
                )
            )

    # MON-12 --------------------------------------------------------------------------------
    letters = _letters(mailbox)
    late = mailbox_overdue(letters, today=today, indicators=indicators)
    if late:
        ev.add(
            Finding(
                "MON-12",
                FindingKind.VETO,
                site,
                f"监测时间点前1年内有{len(late)}件有效留言超过{indicators.mailbox_months}个月未回应"
                f"（最早{late[0]['received']}收到）",
                {"item": "mailbox", "late": late[:20], "count": len(late)},
            )
        )

    # Measures and deductions (MON-15…17) ---------------------------------------------------
    homepage_url = result.site_url
    broken = result.broken_links
    year_ago = add_months(today, -12)
    consult = [v for v in views if v.kind == ColumnKind.CONSULT]

    def inactive(kind: str) -> int | None:
        cols = [v for v in judged if v.kind == kind]
        if not cols:
            return None
        newest = max((v.newest(today) for v in cols if v.newest(today)), default=None)
        return int(newest is None or newest < year_ago)

    ev.measures = {
        "availability_ratio": av["ratio"] if av["sufficient"] else None,
        "broken_links_homepage": sum(1 for link in broken if link.found_on == homepage_url),
        "broken_links_other": sum(1 for link in broken if link.found_on != homepage_url),
        "broken_attachments": sum(1 for link in broken if link.kind == "attachment"),
        "homepage_updates_2w": sum(
            1 for v in homepage for d in v.observation.dates if d and fresh_from <= d <= today
        )
        if homepage
        else None,
        "stale_personnel_plan": sum(1 for v in stale if v.kind == ColumnKind.PERSONNEL_PLAN),
        "no_consult_column": int(not consult)
        if consult_required or (consult_required is None and column_kinds)
        else None,
        "survey_inactive": inactive(ColumnKind.SURVEY),
        "interview_inactive": inactive(ColumnKind.INTERVIEW),
    }
    for link in broken:
        where = "首页" if link.found_on == homepage_url else "其他页面"
        ev.add(
            Finding(
                "MON-6",
                FindingKind.NOTICE,
                link.url,
                f"{where}链接无法访问（{link.status or link.error}）",
                {
                    "item": "link",
                    "found_on": link.found_on,
                    "status": link.status,
                    "error": link.error,
                    "link_kind": link.kind,
                    "latency_ms": link.latency_ms,
                },
            )
        )
    total = Decimal(0)
    for rule, value, points in apply_deductions(ev.measures, indicators):
        finding = Finding(
            "MON-16" if indicators.id == "MON_2015" else "MON-17",
            FindingKind.DEDUCTION,
            site,
            f"{rule.indicator}：测量值 {value}，扣{points:g}分",
            {"item": rule.id, "measure": rule.measure, "value": value},
            points=points,
        )
        ev.add(finding)
        if not finding.dismissed:
            total += points
    if not ev.veto:
        score = max(Decimal(0), indicators.full_mark - total)
        if not has_services:  # MON-15: 75-point scale, × 4/3
            score = min(indicators.full_mark, score * Decimal(4) / Decimal(3))
        ev.score = float(round(score, 2))

    # MON-22 --------------------------------------------------------------------------------
    sleeping = any(rule in ev.veto for rule in ("MON-9", "MON-10"))
    if "MON-8" in ev.veto or (sleeping and sleeping_before):
        ev.flag = SiteFlag.ZOMBIE
    elif sleeping:
        ev.flag = SiteFlag.SLEEPING
    return ev


def evaluation_as_dict(ev: Evaluation) -> dict:
    """JSON-ready form (for ``gongkai monitor check --json`` and stored runs)."""
    return {
        "indicators": ev.indicators,
        "veto": ev.veto,
        "score": ev.score,
        "passed": ev.passed,
        "flag": str(ev.flag),
        "availability": ev.availability,
        "stale_columns": ev.stale_columns,
        "blank_columns": ev.blank_columns,
        "measures": ev.measures,
        "assumptions": ev.assumptions,
        "findings": [
            {
                "rule": f.rule,
                "kind": str(f.kind),
                "url": f.url,
                "detail": f.detail,
                "points": float(f.points),
                "evidence": f.evidence,
                "key": f.key,
                "dismissed": f.dismissed,
            }
            for f in ev.findings
        ],
    }
