"""Reusable reads for mailbox letters. Visibility has one door: ``visible_to(user)``."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.interaction import rules
from gongkai.interaction.enums import Satisfaction, Status
from gongkai.interaction.models import Letter
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


def figures(
    orgs: Iterable[Org] | QuerySet[Org],
    year: int,
    *,
    on: date | None = None,
    mode: str = "half_up",
) -> rules.Figures:
    """MBX-1/MBX-4 for letters received in ``year`` by mailboxes of ``orgs``, in one query.

    ``overdue`` counts valid letters answered after their reply due date, or still
    unanswered past it on ``on``.
    """
    on = on or timezone.localdate()
    letters = Letter.objects.filter(mailbox__org__in=orgs, received_at__year=year)
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
