"""Reusable reads for 双随机一公开: the public list, published results, overdue, figures."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from gongkai.inspections.enums import Outcome
from gongkai.inspections.models import (
    Assignment,
    Batch,
    Draw,
    InspectionItem,
    InspectionResult,
    Plan,
)
from gongkai.orgs.models import Org


def listed_items(on: date | None = None) -> QuerySet[InspectionItem]:
    """RND-1: the published item list; with ``on``, the items listed on that day."""
    items = InspectionItem.objects.select_related("org")
    if on is not None:
        items = items.filter(Q(listed_on=None) | Q(listed_on__lte=on)).filter(
            Q(withdrawn_on=None) | Q(withdrawn_on__gt=on)
        )
    return items.order_by("org__path", "name")


def items_in_year(orgs: Iterable[Org], year: int) -> QuerySet[InspectionItem]:
    """Items of ``orgs`` on the list at any time during ``year``."""
    return InspectionItem.objects.filter(org__in=list(orgs)).filter(
        Q(listed_on=None) | Q(listed_on__lte=date(year, 12, 31)),
        Q(withdrawn_on=None) | Q(withdrawn_on__gte=date(year, 1, 1)),
    )


def public_draws() -> QuerySet[Draw]:
    """Every draw is public once drawn (RND-7): anyone may verify it."""
    return Draw.objects.select_related("item", "org", "batch").order_by("-pk")


def draws_of(orgs: QuerySet[Org]) -> QuerySet[Draw]:
    """Draws of ``orgs`` and joint draws they take part in (RND-10)."""
    joint = Draw.objects.filter(batch__joint_orgs__in=orgs).values("pk")
    return public_draws().filter(Q(org__in=orgs) | Q(pk__in=joint))


def plans_of(orgs: QuerySet[Org]) -> QuerySet[Plan]:
    return Plan.objects.filter(org__in=orgs).select_related("org").prefetch_related("batches")


def batches_of(orgs: QuerySet[Org]) -> QuerySet[Batch]:
    return (
        Batch.objects.filter(plan__org__in=orgs)
        .select_related("plan", "item")
        .prefetch_related("joint_orgs")
    )


def published_results() -> QuerySet[InspectionResult]:
    """RND-8: results on the portal, newest first."""
    return (
        InspectionResult.objects.exclude(published_on=None)
        .select_related("entity", "draw__item", "draw__org")
        .order_by("-published_on", "pk")
    )


def unpublished(orgs: QuerySet[Org]) -> QuerySet[InspectionResult]:
    return (
        InspectionResult.objects.filter(published_on=None, draw__in=draws_of(orgs).values("pk"))
        .select_related("entity", "draw__item", "draw__org")
        .order_by("due", "pk")
    )


def overdue(orgs: QuerySet[Org] | None = None, *, on: date) -> QuerySet[InspectionResult]:
    """RND-8: results not published by their deadline; late publications are listed too."""
    results = InspectionResult.objects.select_related("entity", "draw__item", "draw__org")
    if orgs is not None:
        results = results.filter(draw__in=draws_of(orgs).values("pk"))
    late = Q(published_on=None, due__lt=on) | Q(published_on__gt=F("due"))
    return results.filter(late).order_by("due", "pk")


@dataclass
class YearFigures:
    """RND-11: one department's figures for the annual report."""

    org: Org
    items: int
    batches: int
    draws: int
    entities_drawn: int
    problems_found: int
    published_on_time: int
    publication_counted: int  # published, or past the deadline unpublished

    @property
    def on_time_rate(self) -> Decimal | None:
        """Percent with one decimal, half up; None when nothing is counted yet."""
        if not self.publication_counted:
            return None
        rate = Decimal(100 * self.published_on_time) / Decimal(self.publication_counted)
        return rate.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


def year_figures(year: int, *, today: date, orgs: QuerySet[Org] | None = None) -> list[YearFigures]:
    """Per department with any item, batch or draw in ``year``, in org tree order."""
    draws = Draw.objects.filter(drawn_on__year=year)
    batches = Batch.objects.filter(plan__year=year)
    items = InspectionItem.objects.all()
    if orgs is not None:
        draws, batches, items = (
            draws.filter(org__in=orgs),
            batches.filter(plan__org__in=orgs),
            items.filter(org__in=orgs),
        )
    org_ids = set(draws.values_list("org", flat=True)) | set(
        batches.values_list("plan__org", flat=True)
    )
    item_orgs = Org.objects.filter(pk__in=items.values("org"))
    org_ids |= set(items_in_year(item_orgs, year).values_list("org", flat=True))
    figures = []
    for org in Org.objects.filter(pk__in=org_ids).order_by("path"):
        mine = draws.filter(org=org)
        results = InspectionResult.objects.filter(draw__in=mine)
        published = results.exclude(published_on=None)
        late_unpublished = results.filter(published_on=None, due__lt=today).count()
        on_time = [r for r in published if r.due is not None and r.published_on <= r.due]
        figures.append(
            YearFigures(
                org=org,
                items=items_in_year([org], year).count(),
                batches=batches.filter(plan__org=org).count(),
                draws=mine.count(),
                entities_drawn=Assignment.objects.filter(draw__in=mine).count(),
                problems_found=results.exclude(outcome=Outcome.NONE).count(),
                published_on_time=len(on_time),
                publication_counted=published.count() + late_unpublished,
            )
        )
    return figures
