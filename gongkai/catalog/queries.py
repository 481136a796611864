"""Reads of the catalog: what the public may see, trees with counts, visits."""

import hashlib
import hmac
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet

from gongkai.catalog.enums import Attribute, Status
from gongkai.catalog.models import CatalogNode, Item, Visit, VisitorDay
from gongkai.orgs.models import Org


def public_items() -> QuerySet[Item]:
    """Published, actively disclosed items (PUB-6), newest first."""
    return Item.objects.filter(status=Status.PUBLISHED, attribute=Attribute.ACTIVE).select_related(
        "org"
    )


def in_subtree(qs: QuerySet[Item], org: Org) -> QuerySet[Item]:
    return qs.filter(org__path__startswith=org.path)


def node_rows(org: Org) -> list[dict]:
    """CAT-2: an org's catalog depth-first with direct item counts and subtree totals."""
    nodes = list(
        CatalogNode.objects.filter(org=org).annotate(
            direct=Count(
                "items",
                filter=Q(items__status=Status.PUBLISHED, items__attribute=Attribute.ACTIVE),
            )
        )
    )
    by_path = sorted(nodes, key=lambda n: [(int(p)) for p in n.path.strip("/").split("/") if p])
    totals = {n.pk: 0 for n in nodes}
    for n in nodes:
        for pk in (int(p) for p in n.path.strip("/").split("/") if p):
            if pk in totals:
                totals[pk] += n.direct
    leaf = {n.pk: True for n in nodes}
    for n in nodes:
        if n.parent_id:
            leaf[n.parent_id] = False
    return [
        {"node": n, "depth": n.level - 1, "count": totals[n.pk], "leaf": leaf[n.pk]}
        for n in by_path
    ]


def level_counts(org: Org) -> list[dict]:
    """CAT-2: nodes per level and the items filed directly under that level's nodes."""
    rows = node_rows(org)
    levels: dict[int, dict] = {}
    for row in rows:
        level = row["node"].level
        entry = levels.setdefault(level, {"level": level, "nodes": 0, "items": 0})
        entry["nodes"] += 1
        entry["items"] += row["node"].direct
    return [levels[k] for k in sorted(levels)]


def leaves(org: Org) -> list[CatalogNode]:
    return [row["node"] for row in node_rows(org) if row["leaf"]]


# --- Visits (no addresses in clear) ----------------------------------------------------------


def _visitor_digest(day: date, key: str) -> str:
    """A daily-salted hash: the same visitor is one 人次 a day and cannot be traced across days."""
    salt = hmac.new(settings.SECRET_KEY.encode(), f"visit:{day}".encode(), hashlib.sha256)
    return hmac.new(salt.digest(), key.encode(), hashlib.sha256).hexdigest()


def count_visit(*, day: date, column: str, item: Item | None, visitor_key: str) -> None:
    """One page view of a column (and item); a new visitor of the day also counts a 人次."""
    digest = _visitor_digest(day, visitor_key)
    new_visitor = False
    try:
        with transaction.atomic():
            VisitorDay.objects.create(day=day, column=column, digest=digest)
            new_visitor = True
    except IntegrityError:
        pass
    with transaction.atomic():
        visit, _ = Visit.objects.get_or_create(day=day, column=column, item=item)
        Visit.objects.filter(pk=visit.pk).update(
            views=F("views") + 1, visitors=F("visitors") + (1 if new_visitor else 0)
        )
    if new_visitor:
        # Hashes are needed only for today; drop older ones (once per new visitor, not per view).
        VisitorDay.objects.filter(day__lt=day - timedelta(days=1)).delete()


def interpretation_coverage(orgs, year: int) -> dict:
    """INT-6: 规章/行政规范性文件 published in ``year`` and how many have a published
    (or approved) interpretation; ``percent`` None when there were none (RPT-25 rounding);
    ``by_form``: the interpretations published in ``year`` by their form (INT-5)."""
    from gongkai.catalog.enums import DocKind
    from gongkai.catalog.rules import coverage

    policies = Item.objects.filter(
        org__in=orgs,
        kind__in=(DocKind.RULE, DocKind.NORMATIVE),
        status=Status.PUBLISHED,
        published_on__year=year,
    )
    total = policies.count()
    interpreted = (
        policies.filter(interpretations__status__in=(Status.PUBLISHED, Status.APPROVED))
        .distinct()
        .count()
    )
    forms = (
        Item.objects.filter(
            org__in=orgs,
            kind=DocKind.INTERPRETATION,
            status=Status.PUBLISHED,
            published_on__year=year,
        )
        .values("interpretation_form")
        .order_by()
        .annotate(n=Count("pk"))
    )
    by_form = sorted(
        ((row["interpretation_form"] or "未注明", row["n"]) for row in forms),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {
        "year": year,
        "total": total,
        "interpreted": interpreted,
        "percent": coverage(interpreted, total),
        "by_form": by_form,  # INT-5: published interpretations of the year by form
    }
