"""Annual-report figures recorded by the inspections app (FIGURES keys of reports.external)."""

from collections.abc import Iterable
from decimal import Decimal

from gongkai.inspections.models import InspectionItem
from gongkai.inspections.queries import items_in_year
from gongkai.orgs.models import Org


def report_figures(orgs: Iterable[Org], year: int, *, root: Org) -> dict[str, Decimal]:
    """``inspection.items``: items of ``orgs`` on the 随机抽查事项清单 during ``year`` (RND-1).

    Nothing is returned when these orgs keep no item list here at all, so an entered
    figure is not overridden by an empty register.
    """
    orgs = list(orgs)
    if not InspectionItem.objects.filter(org__in=orgs).exists():
        return {}
    return {"inspection.items": Decimal(items_in_year(orgs, year).count())}
