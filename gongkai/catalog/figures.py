"""Annual-report figures from the catalog's records (``reports.external.FIGURES`` keys).

A key is present only when the year has records behind it, so a figure entered by hand is not
overwritten by a zero from an empty table. Items count while published (a withdrawn item no
longer counts); all dates are the items' own dates (GEN-6).

- ``published.*``: actively disclosed items published in the year, by PUB-8 category, and
  their total (the categories add up to it by construction);
- ``t2.rules.*`` / ``t2.normative.*`` (RPT_F2021 表二 第二十条第（一）项): made (成文日期 in the
  year), repealed (废止日期 in the year), in force at the year's end;
- ``t2_2019.*`` (RPT_F2019): newly made, newly published, total public at the year's end;
- ``english.items``, ``newmedia.*``: distributions on the English site and on 微信/微博
  (each post counts, so an item on both counts twice), by the seed's three kinds;
- ``provincial.submitted`` / ``provincial.adopted``: upward submissions of the year;
- ``gazette.issues`` / ``bulletins.issues``: numbered issues of the year;
- ``portal.visits`` (万次, page views) and ``portal.disclosure_visits`` (万人次, daily distinct
  visitors of the 政府信息公开 column) — counted for the portal's owner (a root org), or, for
  an org below it, only the views of its own items.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from gongkai.catalog.enums import Attribute, Channel, DocKind, Legacy, SeriesKind, Status, Validity
from gongkai.catalog.models import Distribution, Issue, Item, ProvincialSubmission, Visit

TEN_THOUSAND = Decimal(10000)
LEGACY_KEYS = {
    Legacy.OVERVIEW: "published.overview",
    Legacy.PLANS: "published.plans",
    Legacy.NORMATIVE: "published.normative",
    Legacy.NEWS: "published.news",
    Legacy.PERSONNEL: "published.personnel",
    Legacy.FINANCE: "published.finance",
    Legacy.ENFORCEMENT: "published.enforcement",
    Legacy.OTHER: "published.other",
}
NEWMEDIA_KEYS = {
    "activities": "newmedia.activities",
    "policy": "newmedia.policy",
    "progress": "newmedia.progress",
}


def wan(count: int) -> Decimal:
    """A count in 万 with two decimals (RPT-25 half-up): 7 400 000 → 740.00."""
    return (Decimal(count) / TEN_THOUSAND).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _t2(items, year: int) -> dict[str, dict[str, int]]:
    """Table 二 counts per document kind (规章, 规范性文件) in one grouped query."""
    end = date(year, 12, 31)
    public = Q(published_on__lte=end)
    in_force = (
        public
        & Q(formed_on__lte=end)
        & ~Q(validity=Validity.INVALID)
        & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
    )
    rows = (
        items.filter(kind__in=(DocKind.RULE, DocKind.NORMATIVE))
        .values("kind")
        .order_by()
        .annotate(
            made=Count("pk", filter=Q(formed_on__year=year)),
            repealed=Count("pk", filter=Q(repealed_on__year=year)),
            in_force=Count("pk", filter=in_force),
            new_published=Count("pk", filter=Q(published_on__year=year)),
            total_public=Count("pk", filter=public),
        )
    )
    return {row.pop("kind"): row for row in rows}


def report_figures(orgs, year: int, *, root=None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    published = Item.objects.filter(org__in=orgs, status=Status.PUBLISHED)
    active = published.filter(attribute=Attribute.ACTIVE, published_on__year=year)
    by_legacy = dict(active.values_list("legacy_category").order_by().annotate(n=Count("pk")))
    if by_legacy:
        out["published.total"] = Decimal(sum(by_legacy.values()))
        for value, key in LEGACY_KEYS.items():
            out[key] = Decimal(by_legacy.get(value, 0))

    by_kind = _t2(published, year)
    for kind, name in ((DocKind.RULE, "rules"), (DocKind.NORMATIVE, "normative")):
        t2 = by_kind.get(kind, {})
        if any(t2.values()):
            out[f"t2.{name}.made"] = Decimal(t2["made"])
            out[f"t2.{name}.repealed"] = Decimal(t2["repealed"])
            out[f"t2.{name}.in_force"] = Decimal(t2["in_force"])
            out[f"t2_2019.{name}.new_made"] = Decimal(t2["made"])
            out[f"t2_2019.{name}.new_published"] = Decimal(t2["new_published"])
            out[f"t2_2019.{name}.total_public"] = Decimal(t2["total_public"])

    dists = Distribution.objects.filter(item__org__in=orgs, on__year=year)
    if english := dists.filter(channel=Channel.ENGLISH).count():
        out["english.items"] = Decimal(english)
    media = dists.filter(channel__in=(Channel.WECHAT, Channel.WEIBO))
    if posts := media.count():
        out["newmedia.posts"] = Decimal(posts)
        kinds = dict(media.values_list("kind").order_by().annotate(n=Count("pk")))
        for kind, key in NEWMEDIA_KEYS.items():
            out[key] = Decimal(kinds.get(kind, 0))

    subs = ProvincialSubmission.objects.filter(item__org__in=orgs, submitted_on__year=year)
    if submitted := subs.count():
        out["provincial.submitted"] = Decimal(submitted)
        out["provincial.adopted"] = Decimal(subs.filter(adopted=True).count())

    issues = Issue.objects.filter(org__in=orgs, year=year)
    for series, key in (
        (SeriesKind.GAZETTE, "gazette.issues"),
        (SeriesKind.BULLETIN, "bulletins.issues"),
    ):
        if n := issues.filter(series=series).count():
            out[key] = Decimal(n)

    visits = Visit.objects.filter(day__year=year)
    if root is not None and root.parent_id is not None:
        visits = visits.filter(item__org__in=orgs)
    totals = visits.aggregate(views=Sum("views"), visitors=Sum("visitors", filter=Q(column="xxgk")))
    if totals["views"]:
        out["portal.visits"] = wan(totals["views"])
    if totals["visitors"]:
        out["portal.disclosure_visits"] = wan(totals["visitors"])
    return out
