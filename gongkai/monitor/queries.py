"""Reusable reads for monitoring. Visibility has one door: the staff member's org subtree."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from gongkai.monitor.enums import TicketStatus
from gongkai.monitor.models import Repost, Run, Site, Ticket
from gongkai.orgs.queries import visible_to as visible_orgs

OPEN = ~Q(status=TicketStatus.REPLIED)


def sites_visible_to(user) -> QuerySet[Site]:
    return Site.objects.filter(org__in=visible_orgs(user)).select_related("org")


def tickets_visible_to(user) -> QuerySet[Ticket]:
    return Ticket.objects.filter(org__in=visible_orgs(user)).select_related("site", "org")


def overdue_tickets(tickets: QuerySet[Ticket], *, on: date) -> QuerySet[Ticket]:
    """MON-18: not replied and past the 3-working-day clock."""
    return tickets.filter(OPEN, due_on__lt=on)


def latest_runs(sites) -> dict[int, Run]:
    """The newest run of each site (one query)."""
    latest: dict[int, Run] = {}
    for run in Run.objects.filter(site__in=sites).order_by("site_id", "-point", "-started"):
        latest.setdefault(run.site_id, run)
    return latest


def late_reposts(sites, *, now, hours: int = 24) -> list[Repost]:
    """MON-19: reposted more than 24 hours after the original, or not yet and already late."""
    from datetime import timedelta

    late = []
    for repost in Repost.objects.filter(site__in=sites).select_related("site"):
        limit = repost.published_at + timedelta(hours=hours)
        if (repost.reposted_at or now) > limit:
            late.append(repost)
    return late


def yearly_ticket_figures(tickets: QuerySet[Ticket]) -> list[dict]:
    """MON-18: per year, tickets received, replied (办结) and replied on time."""
    from collections import defaultdict

    years: dict[int, dict] = defaultdict(lambda: {"received": 0, "closed": 0, "on_time": 0})
    for received, replied, due in tickets.values_list("received_on", "replied_on", "due_on"):
        years[received.year]["received"] += 1
        if replied is not None:
            years[replied.year]["closed"] += 1
            if due is not None and replied <= due:
                years[replied.year]["on_time"] += 1
    return [{"year": year, **years[year]} for year in sorted(years, reverse=True)]
