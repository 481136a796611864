"""Reusable reads for mailbox letters. Visibility has one door: ``visible_to(user)``."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.interaction import rules
from gongkai.interaction.enums import ProposalKind, Satisfaction, Status
from gongkai.interaction.models import HotlineCall, Letter, Proposal
from gongkai.orgs import queries as org_queries
from gongkai.orgs.models import Org

# MBX-3: a valid letter was accepted, and is neither a duplicate nor a test.
VALID = Q(valid=True, duplicate_of=None, is_test=False)
UNANSWERED = Q(replied_on=None)


def visible_to(user) -> QuerySet[Letter]:
    """Letters of mailboxes in the user's org subtree, or transferred to an org in it."""
    orgs = org_queries.visible_to(user)
    return Letter.objects.filter(Q(mailbox__org__in=orgs) | Q(assigned_org__in=orgs))


def overdue(on: date | None = None, letters: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    """Letters past their clock on ``on``: not accepted/refused in time, or valid and unanswered."""
    on = on or timezone.localdate()
    letters = Letter.objects.all() if letters is None else letters
    late_accept = Q(status=Status.PENDING, accept_due__lt=on)
    late_reply = VALID & UNANSWERED & Q(reply_due__lt=on)
    return letters.filter(late_accept | late_reply)


def oldest_unanswered_valid(orgs: Iterable[Org] | QuerySet[Org]) -> date | None:
    """MBX-4 / MON-12: the receipt date of the oldest valid letter still without a reply."""
    oldest = Letter.objects.filter(VALID & UNANSWERED, mailbox__org__in=orgs, held=False).aggregate(
        oldest=Min("received_at")
    )["oldest"]
    return timezone.localtime(oldest).date() if oldest else None


def published() -> QuerySet[Letter]:
    """Letters published as Q&A on the portal, newest first (only masked fields are shown)."""
    return Letter.objects.filter(status=rules.Status.PUBLISHED).order_by("-published_on", "-pk")


def figures(
    orgs: Iterable[Org] | QuerySet[Org],
    year: int,
    *,
    on: date | None = None,
    mode: str = "half_up",
    mailbox=None,
) -> rules.Figures:
    """MBX-1/MBX-4 for letters received in ``year`` by mailboxes of ``orgs``, in one query.

    ``overdue`` counts valid letters answered after their reply due date, or still
    unanswered past it on ``on``.
    """
    on = on or timezone.localdate()
    letters = Letter.objects.filter(mailbox__org__in=orgs, received_at__year=year)
    if mailbox is not None:
        letters = letters.filter(mailbox=mailbox)
    late = (Q(replied_on__gt=F("reply_due")) | (UNANSWERED & Q(reply_due__lt=on))) & VALID
    replied = VALID & Q(replied_on__isnull=False)
    counts = letters.aggregate(
        n_received=Count("pk", filter=Q(duplicate_of=None, is_test=False)),
        n_valid=Count("pk", filter=VALID),
        n_replied=Count("pk", filter=replied),
        n_published=Count("pk", filter=VALID & Q(published_on__isnull=False)),
        n_handled=Count("pk", filter=replied & Q(handling_workdays__isnull=False)),
        n_handling_total=Sum("handling_workdays", filter=replied),
        n_overdue=Count("pk", filter=late),
        n_oldest=Min("received_at", filter=VALID & UNANSWERED),
        **{
            f"s_{value}": Count("pk", filter=Q(satisfaction=value)) for value in Satisfaction.values
        },
    )
    oldest = counts["n_oldest"]
    return rules.figures(
        received=counts["n_received"],
        valid=counts["n_valid"],
        replied=counts["n_replied"],
        published=counts["n_published"],
        handling_workdays_total=counts["n_handling_total"] or 0,
        handled=counts["n_handled"],
        overdue=counts["n_overdue"],
        oldest_unanswered=timezone.localtime(oldest).date() if oldest else None,
        satisfaction={value: counts[f"s_{value}"] for value in Satisfaction.values},
        mode=mode,
    )


# --- Hotline (MBX-6) ----------------------------------------------------------------------

# Which ratings count as 满意 in 满意率 (满意回访数 ÷ 有效回访数). Design choice, configurable.
HOTLINE_SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASIC)


@dataclass(frozen=True)
class HotlineFigures:
    calls: int
    closed: int
    visited: int
    satisfied: int
    closed_rate: Decimal | None
    satisfaction_rate: Decimal | None


def hotline_figures(
    orgs: Iterable[Org] | QuerySet[Org], year: int, *, mode: str = "half_up"
) -> HotlineFigures:
    """MBX-6: 受理件数, 办结率 = 办结 ÷ 受理, 满意率 = 满意回访 ÷ 有效回访 (rated visits)."""
    counts = HotlineCall.objects.filter(org__in=orgs, received_on__year=year).aggregate(
        n_calls=Count("pk"),
        n_closed=Count("pk", filter=Q(closed=True)),
        n_visited=Count("pk", filter=Q(visited=True) & ~Q(satisfaction="")),
        n_satisfied=Count("pk", filter=Q(visited=True, satisfaction__in=HOTLINE_SATISFIED)),
    )
    calls, closed = counts["n_calls"], counts["n_closed"]
    visited, satisfied = counts["n_visited"], counts["n_satisfied"]
    return HotlineFigures(
        calls=calls,
        closed=closed,
        visited=visited,
        satisfied=satisfied,
        closed_rate=rules.percentage(closed, calls, mode=mode) if calls else None,
        satisfaction_rate=rules.percentage(satisfied, visited, mode=mode) if visited else None,
    )


def hotline_years(orgs) -> list[int]:
    return sorted(
        {d.year for d in HotlineCall.objects.filter(org__in=orgs).dates("received_on", "year")},
        reverse=True,
    )


# --- 人大建议 / 政协提案 (MBX-5) ----------------------------------------------------------------


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Proposals led by, or co-handled by, an org in the user's subtree."""
    orgs = org_queries.visible_to(user)
    return Proposal.objects.filter(Q(lead_org__in=orgs) | Q(co_orgs__in=orgs)).distinct()


@dataclass(frozen=True)
class ProposalFigures:
    kind: str
    handled: int
    closed: int
    closed_rate: Decimal | None


def proposal_figures(
    orgs: Iterable[Org] | QuerySet[Org], year: int, *, mode: str = "half_up"
) -> dict[str, ProposalFigures]:
    """MBX-5: per kind, proposals of ``year`` led by ``orgs`` and how many are closed."""
    out = {}
    for kind in ProposalKind.values:
        counts = Proposal.objects.filter(kind=kind, year=year, lead_org__in=orgs).aggregate(
            n_all=Count("pk"), n_closed=Count("pk", filter=Q(closed_on__isnull=False))
        )
        handled, closed = counts["n_all"], counts["n_closed"]
        out[kind] = ProposalFigures(
            kind=kind,
            handled=handled,
            closed=closed,
            closed_rate=rules.percentage(closed, handled, mode=mode) if handled else None,
        )
    return out


def by_handling_org(orgs, year: int, *, on: date | None = None) -> list[dict]:
    """MBX-1 per 承办单位: valid letters of ``year`` routed to each org, replied, overdue."""
    on = on or timezone.localdate()
    late = (Q(replied_on__gt=F("reply_due")) | (UNANSWERED & Q(reply_due__lt=on))) & VALID
    return list(
        Letter.objects.filter(VALID, mailbox__org__in=orgs, received_at__year=year)
        .exclude(assigned_org=None)
        .values("assigned_org__name")
        .annotate(
            n_letters=Count("pk"),
            n_replied=Count("pk", filter=Q(replied_on__isnull=False)),
            n_overdue=Count("pk", filter=late),
            n_days=Sum("handling_workdays"),
        )
        .order_by("assigned_org__path")
    )
