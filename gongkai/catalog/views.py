"""Public pages of 政府信息公开 (issue 5 §5): browse, item page, search, guide, issues."""

from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai import search
from gongkai.catalog import queries
from gongkai.catalog.enums import Legacy, SeriesKind, Status, Validity
from gongkai.catalog.models import Attachment, Issue, Item
from gongkai.orgs.models import Org
from gongkai.orgs.queries import tree_rows
from gongkai.search.api import Query

PAGE = 20


def _visit(request, column: str, item: Item | None = None) -> None:
    # The visitor key is used only to derive a daily-salted hash; it is never stored.
    key = request.META.get("REMOTE_ADDR", "") + "|" + request.META.get("HTTP_USER_AGENT", "")
    queries.count_visit(day=timezone.localdate(), column=column, item=item, visitor_key=key)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def index(request):
    _visit(request, "xxgk")
    items = queries.public_items()
    orgs = tree_rows()
    return render(
        request,
        "catalog/index.html",
        {
            "orgs": orgs,
            "latest": items[:PAGE],
            "categories": Legacy.choices,
        },
    )


@require_GET
def browse(request, org_pk: int | None = None):
    """Browse by org (its subtree), catalog node, category and year."""
    org = get_object_or_404(Org, pk=org_pk) if org_pk else None
    items = queries.public_items()
    if org:
        items = queries.in_subtree(items, org)
    node = _int(request.GET.get("node"))
    category = request.GET.get("category") or ""
    year = _int(request.GET.get("year"))
    if node:
        items = items.filter(node__path__startswith=_node_path(node))
    if category in Legacy.values:
        items = items.filter(legacy_category=category)
    if year:
        items = items.filter(published_on__year=year)
    since, until = _day(request.GET.get("from")), _day(request.GET.get("to"))
    if since:
        items = items.filter(published_on__gte=since)
    if until:
        items = items.filter(published_on__lte=until)
    _visit(request, "xxgk")
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/browse.html",
        {
            "org": org,
            "page": page,
            "nodes": queries.node_rows(org) if org else [],
            "categories": Legacy.choices,
            "category": category,
            "year": year,
            "node_id": node,
            "since": since,
            "until": until,
        },
    )


def _day(value):
    from gongkai.catalog.rules import parse_date

    try:
        return parse_date(value)
    except ValueError:
        return None


def _node_path(pk: int) -> str:
    from gongkai.catalog.models import CatalogNode

    node = CatalogNode.objects.filter(pk=pk).first()
    return node.path if node else "/none/"


@require_GET
def item_detail(request, pk: int):
    item = get_object_or_404(
        Item.objects.select_related("org", "node", "policy"),
        pk=pk,
        status__in=(Status.PUBLISHED, Status.WITHDRAWN),
        published_on__isnull=False,
    )
    if item.attribute != "active" and item.status == Status.PUBLISHED:
        raise Http404
    _visit(request, "xxgk", item)
    interpretations = item.interpretations.filter(status=Status.PUBLISHED).order_by("pk")
    return render(
        request,
        "catalog/item.html",
        {
            "item": item,
            "withdrawn": item.status == Status.WITHDRAWN,
            "repealed": item.validity == Validity.REPEALED,
            "interpretations": interpretations,
            "attachments": item.attachments.all() if item.status == Status.PUBLISHED else [],
        },
        status=410 if item.status == Status.WITHDRAWN else 200,
    )


@require_GET
def english(request):
    """The English site's list: items with an English title (the seed's 英文网站译文信息)."""
    _visit(request, "english")
    items = queries.public_items().exclude(title_en="")
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(request, "catalog/english.html", {"page": page})


@require_GET
def attachment(request, pk: int):
    att = get_object_or_404(
        Attachment, pk=pk, item__status=Status.PUBLISHED, item__attribute="active"
    )
    response = HttpResponse(
        bytes(att.data), content_type=att.content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(att.filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# Above this many matches the search page lists the filters without counts: counting every
# facet of a vague query reads each match (seconds at 1,000,000 items, README).
FACET_LIMIT = 20_000


def _uncounted_facets(link, org: Org | None) -> dict:
    """The filters of a result too large to count: the org's children (the city's
    departments when no org is chosen), every category and validity, the recent years."""
    children = Org.objects.filter(parent=org) if org else Org.objects.filter(depth__lte=1)
    this_year = timezone.localdate().year
    return {
        "org": [(link(org=o.pk), o.name, None) for o in children.order_by("depth", "sort", "pk")],
        "category": [(link(category=k), label, None) for k, label in Legacy.choices],
        "year": [(link(year=y), y, None) for y in range(this_year, this_year - 10, -1)],
        "validity": [(link(validity=k), label, None) for k, label in Validity.choices if k],
    }


@require_GET
def search_page(request):
    """Full-text search over titles, bodies and attachment text (via ``gongkai.search``)."""
    text = (request.GET.get("q") or "").strip()
    org = Org.objects.filter(pk=_int(request.GET.get("org"))).first()
    category = request.GET.get("category") or None
    year = _int(request.GET.get("year"))
    validity = request.GET.get("validity") or None
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    page = max(_int(request.GET.get("page")) or 1, 1)
    result, rows, error = None, [], ""
    if len(text) == 1:
        error = "请至少输入两个字"
    elif text:
        query = Query(
            text=text,
            org_path=org.path if org else None,
            category=category if category in Legacy.values else None,
            year=year,
            validity=validity if validity in Validity.values else None,
            sort=sort,
            offset=(page - 1) * PAGE,
            limit=PAGE,
            facets=False,
        )
        result = search.search(query)
        if 0 < result.total <= FACET_LIMIT:
            result.facets = search.search(replace(query, offset=0, limit=0, facets=True)).facets
        items = queries.public_items().in_bulk([hit.id for hit in result.hits])
        rows = [(hit, items[hit.id]) for hit in result.hits if hit.id in items]
    _visit(request, "search")
    params = {
        "q": text,
        "org": org.pk if org else "",
        "category": category or "",
        "year": year or "",
        "validity": validity or "",
        "sort": sort,
    }

    def link(**changes) -> str:
        merged = {**params, **changes}
        return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})

    facets = {}
    if result and result.total > FACET_LIMIT:
        facets = _uncounted_facets(link, org)
    elif result:
        got = result.facets
        names = dict(
            Org.objects.filter(pk__in=[_int(k) for k in got.get("org_id", {})]).values_list(
                "pk", "name"
            )
        )
        legacy, validities = dict(Legacy.choices), dict(Validity.choices)
        facets = {
            "org": [
                (link(org=k), names.get(_int(k), k), v) for k, v in got.get("org_id", {}).items()
            ],
            "category": [
                (link(category=k), legacy.get(k, k), v) for k, v in got.get("category", {}).items()
            ],
            "year": [
                (link(year=k), k, v) for k, v in sorted(got.get("year", {}).items(), reverse=True)
            ],
            "validity": [
                (link(validity=k), validities.get(k, k), v)
                for k, v in got.get("validity", {}).items()
                if k
            ],
        }
    pages = (result.total + PAGE - 1) // PAGE if result else 0
    return render(
        request,
        "catalog/search.html",
        {
            "q": text,
            "result": result,
            "rows": rows,
            "error": error,
            "facets": facets,
            "facet_limit": FACET_LIMIT,
            "sort": sort,
            "page": page,
            "pages": pages,
            "filters": {"org": org, "category": category, "year": year, "validity": validity},
            "by_date": link(sort="date"),
            "by_relevance": link(sort="relevance"),
            "prev_page": link(page=page - 1),
            "next_page": link(page=page + 1),
            "clear": link(org="", category="", year="", validity=""),
        },
    )


@require_GET
def guide(request, org_pk: int):
    """PUB-5: 政府信息公开指南 — classification, how to obtain, the office's contacts."""
    org = get_object_or_404(Org, pk=org_pk)
    _visit(request, "xxgk")
    return render(
        request,
        "catalog/guide.html",
        {"org": org, "nodes": queries.node_rows(org), "categories": Legacy.choices},
    )


@require_GET
def issues(request, series: str):
    if series not in SeriesKind.values:
        raise Http404
    _visit(request, series)
    rows = Issue.objects.filter(series=series).select_related("org")
    return render(
        request,
        "catalog/issues.html",
        {"series": series, "label": SeriesKind(series).label, "issues": rows[:200]},
    )


@require_GET
def issue_detail(request, pk: int):
    issue = get_object_or_404(Issue.objects.select_related("org"), pk=pk)
    _visit(request, issue.series)
    return render(
        request,
        "catalog/issue.html",
        {
            "issue": issue,
            "label": SeriesKind(issue.series).label,
            "items": issue.items.filter(status=Status.PUBLISHED),
        },
    )


@require_GET
def issue_pdf(request, pk: int):
    from gongkai.catalog.issues import render_pdf

    issue = get_object_or_404(Issue, pk=pk)
    response = HttpResponse(render_pdf(issue), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=issue-{issue.year}-{issue.number}.pdf"
    return response
