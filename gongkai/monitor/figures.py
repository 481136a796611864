"""Annual-report figures from the monitoring records (``reports.external.FIGURES`` keys).

A key is present only when there are records behind it, so a figure entered by hand is not
overwritten by a zero from an empty table.

- ``websites.*``: sites of ``orgs`` in operation at the end of ``year`` (running or under
  rectification, or closed/merged only after that year), by type and level (MON-1);
- ``corrections.closed``: 网民纠错 replied to during ``year`` (MON-18).
"""

from datetime import date
from decimal import Decimal

from django.db.models import Q

from gongkai.monitor.enums import SiteStatus, SiteType, TicketStatus
from gongkai.monitor.models import Site, Ticket
from gongkai.orgs.enums import Level


def sites_in_operation(orgs, year: int):
    end = date(year, 12, 31)
    live = Q(status__in=[SiteStatus.RUNNING, SiteStatus.RECTIFYING])
    closed_later = Q(status__in=[SiteStatus.CLOSED, SiteStatus.MERGED], status_date__gt=end)
    return Site.objects.filter(org__in=orgs).filter(live | closed_later)


def report_figures(orgs, year: int, *, root=None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    sites = sites_in_operation(orgs, year)
    if sites.exists():
        portals = sites.filter(site_type=SiteType.PORTAL)
        out["websites.total"] = Decimal(sites.count())
        out["websites.city_portal"] = Decimal(portals.filter(org__level=Level.CITY).count())
        out["websites.city_departments"] = Decimal(
            sites.exclude(site_type=SiteType.PORTAL).filter(org__level=Level.CITY).count()
        )
        out["websites.county_portals"] = Decimal(portals.filter(org__level=Level.COUNTY).count())
    closed = Ticket.objects.filter(
        org__in=orgs, status=TicketStatus.REPLIED, replied_on__year=year
    ).count()
    if closed:
        out["corrections.closed"] = Decimal(closed)
    return out
