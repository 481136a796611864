"""Every change of state in website monitoring: registry, runs, false positives, leases,
netizen error reports (MON-18), reposts (MON-19) and spot-check draws (MON-20).

Each function runs in one transaction and writes its audit entry (``gongkai.audit``).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.lib.crypto import encrypt
from gongkai.lib.identity import mask_middle, mask_phone
from gongkai.monitor import rules
from gongkai.monitor.crawl.result import CrawlResult
from gongkai.monitor.crawl.result import Probe as ProbeResult
from gongkai.monitor.enums import ColumnKind, SiteFlag, SiteStatus, SiteType, TicketStatus
from gongkai.monitor.models import (
    Column,
    FalsePositive,
    Finding,
    Lease,
    Probe,
    Repost,
    Run,
    Site,
    SpotCheck,
    Ticket,
)
from gongkai.orgs.enums import Kind
from gongkai.orgs.models import Org

LEASE_TTL = timedelta(minutes=30)
TICKET_DAYS = 3  # MON-18: reply within 3 working days (辽宁; national rule from memory)
SPOT_CHECK_SHARE = Decimal("0.30")  # MON-20: at least 30% per quarter


class TransitionError(ValueError):
    """A ticket cannot move from its status to the one asked for."""


# --- registry (MON-1, MON-3) -----------------------------------------------------------------


def site_type_for(org: Org) -> str:
    return SiteType.PORTAL if org.kind == Kind.GOVERNMENT else SiteType.DEPARTMENT


@transaction.atomic
def register_site(*, org: Org, url: str, name: str = "", actor=None, **fields) -> Site:
    site = Site.objects.create(
        org=org,
        url=url,
        name=name or (org.name + ("门户网站" if org.kind == Kind.GOVERNMENT else "网站")),
        site_type=fields.pop("site_type", None) or site_type_for(org),
        **fields,
    )
    record("monitor.site.register", actor=actor, obj=site, summary={"url": url, "org": org.pk})
    return site


def sync_sites(root: Org, *, actor=None) -> list[Site]:
    """MON-1: a Site for every org under ``root`` that carries a website; returns new ones."""
    created = []
    known = set(Site.objects.values_list("url", flat=True))
    for org in Org.objects.filter(path__startswith=root.path).exclude(website=""):
        if org.website not in known:
            created.append(register_site(org=org, url=org.website, actor=actor))
    return created


@transaction.atomic
def set_site_status(site: Site, *, status: str, on: date, actor) -> Site:
    old = site.status
    site.status, site.status_date = status, on
    site.save(update_fields=["status", "status_date"])
    record(
        "monitor.site.status",
        actor=actor,
        obj=site,
        summary={"from": old, "to": status, "on": on},
    )
    return site


@transaction.atomic
def propose_columns(site: Site, nav, *, actor=None) -> list[Column]:
    """MON-3: unconfirmed columns from a homepage's navigation (``CrawlResult.nav``)."""
    known = set(site.columns.values_list("url", flat=True))
    created = [
        Column.objects.create(
            site=site,
            name=proposal["name"],
            url=proposal["url"],
            kind=proposal["kind"],
            level=proposal["level"],
            homepage=proposal["homepage"],
            historical=proposal["historical"],
        )
        for proposal in rules.propose_columns(nav)
        if proposal["url"] not in known
    ]
    if created:
        record(
            "monitor.column.propose",
            actor=actor,
            obj=site,
            summary={"columns": [c.url for c in created]},
        )
    return created


@transaction.atomic
def confirm_column(column: Column, *, actor, **changes) -> Column:
    """Staff confirm a proposed column, possibly changing kind, level, flags or period."""
    allowed = {"name", "kind", "level", "homepage", "historical", "period_days"}
    old = {name: getattr(column, name) for name in changes if name in allowed}
    for name, value in changes.items():
        if name in allowed:
            setattr(column, name, value)
    column.confirmed = True
    column.save()
    record(
        "monitor.column.confirm",
        actor=actor,
        obj=column,
        summary={"old": old, "new": {k: v for k, v in changes.items() if k in allowed}},
    )
    return column


# --- probes and runs (MON-4…17, MON-22) ------------------------------------------------------


def record_probe(site: Site, probe: ProbeResult) -> Probe:
    """Probes are measurements, not decisions: stored without an audit entry each."""
    return Probe.objects.create(
        site=site,
        at=probe.at,
        ok=probe.ok,
        status=probe.status,
        latency_ms=probe.latency_ms,
        error=probe.error[:40],
    )


def week_probes(site: Site, today: date) -> list[ProbeResult]:
    start = timezone.make_aware(datetime.combine(today - timedelta(days=7), datetime.min.time()))
    return [
        ProbeResult(at=p.at, ok=p.ok, status=p.status, latency_ms=p.latency_ms, error=p.error)
        for p in site.probes.filter(at__gte=start).order_by("at")
    ]


def column_kinds(site: Site) -> dict[str, dict]:
    return {
        c.url: {
            "name": c.name,
            "kind": c.kind,
            "level": c.level,
            "homepage": c.homepage,
            "historical": c.historical,
            "period_days": c.period_days,
        }
        for c in site.columns.all()
    }


def mailbox_fact(site: Site) -> date | None:
    """MON-12 / MBX-4: the oldest valid unanswered letter for sites with a 政务咨询 column."""
    if (
        site.site_type != SiteType.PORTAL
        and not site.columns.filter(kind=ColumnKind.CONSULT).exists()
    ):
        return None
    try:
        from gongkai.interaction.queries import oldest_unanswered_valid
    except ImportError:  # the interaction app is optional for monitoring
        return None
    orgs = (
        Org.objects.filter(path__startswith=site.org.path)
        if site.site_type == SiteType.PORTAL
        else Org.objects.filter(pk=site.org_id)
    )
    return oldest_unanswered_valid(orgs)


def evaluate(site: Site, result: CrawlResult, *, today: date, indicators=None):
    """The evaluation of a crawl of a registered site, with everything the registry knows."""
    from gongkai.monitor.indicators import configured

    previous = site.runs.filter(point__lt=today).order_by("-point", "-started").first()
    return rules.evaluate_crawl(
        result,
        today=today,
        indicators=indicators or configured(),
        probes=week_probes(site, today) or None,
        column_kinds=column_kinds(site),
        mailbox=mailbox_fact(site),
        consult_required=site.site_type == SiteType.PORTAL,
        sleeping_before=bool(previous and previous.flag in (SiteFlag.SLEEPING, SiteFlag.ZOMBIE)),
        has_services=site.has_services,
        dismissed=set(site.false_positives.values_list("key", flat=True)),
    )


@transaction.atomic
def store_run(
    site: Site, result: CrawlResult, *, today: date, worker: str = "", indicators=None
) -> Run:
    """Judge a crawl and keep the judgement with its evidence (MON-7)."""
    if result.homepage is not None:
        record_probe(site, result.homepage)
    if result.nav and not site.columns.exists():
        propose_columns(site, result.nav)
    ev = evaluate(site, result, today=today, indicators=indicators)
    run = Run.objects.create(
        site=site,
        started=result.started,
        finished=result.finished,
        point=today,
        indicators=ev.indicators,
        score=Decimal(str(ev.score)) if ev.score is not None else None,
        veto=ev.veto,
        flag=str(ev.flag),
        availability=ev.availability,
        stale_columns=ev.stale_columns,
        blank_columns=ev.blank_columns,
        measures=ev.measures,
        pages_fetched=result.pages_fetched,
        refused=result.refused[:200],
        worker=worker[:100],
    )
    Finding.objects.bulk_create(
        Finding(
            run=run,
            site=site,
            rule=f.rule,
            kind=str(f.kind),
            url=f.url[:1000],
            detail=f.detail,
            evidence={**f.evidence, "seen_at": result.finished.isoformat()},
            points=f.points,
            key=f.key[:600],
            dismissed=f.dismissed,
        )
        for f in ev.findings
    )
    record(
        "monitor.run",
        actor=None,
        obj=run,
        summary={"site": site.pk, "point": today, "veto": ev.veto, "score": ev.score},
    )
    return run


@transaction.atomic
def mark_false_positive(finding: Finding, *, reason: str, actor) -> FalsePositive:
    """Staff say a finding is wrong; the next run keeps it visible but does not count it."""
    if not reason.strip():
        raise ValueError("请填写误报理由")
    fp, _ = FalsePositive.objects.update_or_create(
        site=finding.site, key=finding.key, defaults={"reason": reason.strip(), "by": actor}
    )
    Finding.objects.filter(pk=finding.pk).update(dismissed=True)
    record(
        "monitor.finding.false_positive",
        actor=actor,
        obj=finding,
        summary={"rule": finding.rule, "key": finding.key, "reason": reason.strip()},
    )
    return fp


# --- leases: two workers never crawl the same site at once -----------------------------------


def claim(site_id: int, holder: str, *, now: datetime | None = None, ttl=LEASE_TTL) -> bool:
    """Take the site's lease when free or expired: one conditional UPDATE decides the race."""
    now = now or timezone.now()
    if not Lease.objects.filter(site_id=site_id).exists():
        try:
            with transaction.atomic():
                Lease.objects.create(site_id=site_id, holder="", expires=None)
        except IntegrityError:
            pass  # another claimer created it first; the UPDATE below still decides
    taken = (
        Lease.objects.filter(site_id=site_id)
        .filter(Q(holder="") | Q(expires__isnull=True) | Q(expires__lt=now))
        .update(holder=holder, expires=now + ttl)
    )
    return taken == 1


def release(site_id: int, holder: str) -> bool:
    return bool(
        Lease.objects.filter(site_id=site_id, holder=holder).update(holder="", expires=None)
    )


# --- 网民纠错 (MON-18) -------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def mask_contact(contact: str) -> str:
    contact = contact.strip()
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return mask_middle(local, keep_start=1, keep_end=0) + "@" + domain
    if contact.replace("-", "").isdigit():
        return mask_phone(contact)
    return mask_middle(contact, keep_start=1, keep_end=1)


def ticket_due(received: date) -> date | None:
    """MON-18: 3 working days after receipt; None (期限待定) when the calendar lacks the year."""
    from gongkai.workdays.rules import CalendarYearMissing, add_workdays
    from gongkai.workdays.services import load_calendar

    try:
        return add_workdays(received, TICKET_DAYS, load_calendar())
    except CalendarYearMissing:
        return None


@transaction.atomic
def file_ticket(
    *,
    site: Site,
    page_url: str,
    category: str,
    description: str,
    contact: str,
    today: date,
    code: str = "",
) -> Ticket:
    """A citizen reports an error; routed to the site's owner org, the clock starts."""
    code = code or "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    ticket = Ticket.objects.create(
        code=code,
        site=site,
        org=site.org,
        page_url=page_url,
        category=category,
        description=description,
        contact_enc=encrypt(contact.strip()),
        contact_masked=mask_contact(contact) if contact.strip() else "",
        received_on=today,
        due_on=ticket_due(today),
    )
    record(
        "monitor.ticket.file",
        actor=None,
        obj=ticket,
        summary={"site": site.pk, "org": site.org_id, "contact": ticket.contact_masked},
    )
    return ticket


NEXT = {
    "assign": ({TicketStatus.RECEIVED}, TicketStatus.ASSIGNED),
    "fix": ({TicketStatus.ASSIGNED}, TicketStatus.FIXED),
    "reject": ({TicketStatus.ASSIGNED}, TicketStatus.NOT_AN_ERROR),
    "review": ({TicketStatus.FIXED, TicketStatus.NOT_AN_ERROR}, TicketStatus.REVIEWED),
    "reply": ({TicketStatus.REVIEWED}, TicketStatus.REPLIED),
}


@transaction.atomic
def advance(ticket: Ticket, action: str, *, actor, text: str = "", today: date) -> Ticket:
    """received → assigned → fixed / not an error → reviewed → replied (MON-18)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    sources, target = NEXT[action]
    if ticket.status not in sources:
        raise TransitionError(f"当前状态“{ticket.get_status_display()}”不能执行此操作")
    old = ticket.status
    ticket.status = target
    fields = ["status"]
    if action in ("fix", "reject"):
        ticket.resolution = text
        fields.append("resolution")
    if action == "reply":
        if not text.strip():
            raise ValueError("请填写答复内容")
        ticket.reply, ticket.replied_on = text, today
        fields += ["reply", "replied_on"]
    ticket.save(update_fields=fields)
    record(
        f"monitor.ticket.{action}",
        actor=actor,
        obj=ticket,
        summary={"from": old, "to": target, "on": today},
    )
    return ticket


# --- reposting (MON-19) ----------------------------------------------------------------------


@transaction.atomic
def record_repost(
    *, site: Site, title: str, source_url: str, published_at, reposted_at=None, url="", actor=None
) -> Repost:
    repost, _ = Repost.objects.update_or_create(
        site=site,
        source_url=source_url,
        defaults={
            "title": title,
            "published_at": published_at,
            "reposted_at": reposted_at,
            "url": url,
        },
    )
    record("monitor.repost", actor=actor, obj=repost, summary={"source": source_url})
    return repost


# --- spot checks (MON-20) --------------------------------------------------------------------


def draw_sample(site_ids: list[int], *, share: Decimal, seed: str) -> list[int]:
    """Reproducible draw without replacement: the same ids, share and seed give the same list."""
    ordered = sorted(site_ids)
    size = min(
        len(ordered), int((Decimal(len(ordered)) * share).to_integral_value("ROUND_CEILING"))
    )
    return sorted(random.Random(seed).sample(ordered, size))


@transaction.atomic
def spot_check(
    *, root: Org, quarter: str, actor, share: Decimal = SPOT_CHECK_SHARE, public_random: str = ""
) -> SpotCheck:
    """MON-20 (after RND-7): freeze the input, derive and record the seed, then draw."""
    if share < SPOT_CHECK_SHARE:
        raise ValueError("抽查比例不得低于30%")
    ids = list(
        Site.objects.filter(org__path__startswith=root.path, status=SiteStatus.RUNNING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    input_hash = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
    nonce = public_random or secrets.token_hex(8)
    seed = hashlib.sha256(f"{quarter}|{root.pk}|{input_hash}|{nonce}".encode()).hexdigest()
    check = SpotCheck.objects.create(
        quarter=quarter,
        root=root,
        share=share,
        seed=seed,
        input_hash=input_hash,
        population=ids,
        site_ids=draw_sample(ids, share=share, seed=seed),
        by=actor.get_username() if actor else "system",
    )
    record(
        "monitor.spot_check",
        actor=actor,
        obj=check,
        summary={"quarter": quarter, "seed": seed, "input": input_hash, "sites": check.site_ids},
    )
    return check
