"""RSS/Atom (Django's syndication framework) and JSON Feed per org and category; sitemap."""

from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.catalog import queries
from gongkai.catalog.enums import Legacy
from gongkai.orgs.models import Org

LIMIT = 50


def _scope(request):
    items = queries.public_items()
    org = None
    if org_id := request.GET.get("org"):
        org = Org.objects.filter(pk=org_id if org_id.isdigit() else 0).first()
        if org is None:
            raise Http404
        items = queries.in_subtree(items, org)
    category = request.GET.get("category") or ""
    if category:
        if category not in Legacy.values:
            raise Http404
        items = items.filter(legacy_category=category)
    return org, category, items.order_by("-published_on", "-pk")[:LIMIT]


class ItemsRss(Feed):
    description_template = None

    def get_object(self, request, *args, **kwargs):
        return _scope(request)

    def title(self, obj):
        org, category, _ = obj
        parts = [org.name if org else "政府信息公开"]
        if category:
            parts.append(str(Legacy(category).label))
        return " · ".join(parts)

    def link(self, obj):
        return reverse("catalog:index")

    def description(self, obj):
        return "主动公开的政府信息"

    def items(self, obj):
        return obj[2]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body_text[:200]

    def item_link(self, item):
        return reverse("catalog:item", args=[item.pk])

    def item_pubdate(self, item):
        from datetime import datetime, time
        from zoneinfo import ZoneInfo

        return datetime.combine(item.published_on, time(0), tzinfo=ZoneInfo("Asia/Shanghai"))

    def item_author_name(self, item):
        return item.org.name

    def item_categories(self, item):
        return [item.get_legacy_category_display()]


class ItemsAtom(ItemsRss):
    feed_type = Atom1Feed
    subtitle = "主动公开的政府信息"


def json_feed(request):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    org, _category, items = _scope(request)
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": org.name if org else "政府信息公开",
            "home_page_url": base + reverse("catalog:index"),
            "feed_url": request.build_absolute_uri(),
            "language": "zh-CN",
            "items": [
                {
                    "id": str(item.pk),
                    "url": base + reverse("catalog:item", args=[item.pk]),
                    "title": item.title,
                    "summary": item.summary,
                    "content_text": item.body_text,
                    "date_published": item.published_on.isoformat(),
                    "authors": [{"name": item.org.name}],
                    "tags": [item.get_legacy_category_display()],
                    "_gongkai": {"index_no": item.index_no, "number": item.number},
                }
                for item in items
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def sitemap(request):
    """sitemap.xml of the catalog's public pages (the newest 50,000 items)."""
    from django.http import HttpResponse
    from django.utils.html import escape

    base = request.build_absolute_uri("/").rstrip("/")
    rows = (
        queries.public_items()
        .order_by("-published_on", "-pk")
        .values_list("pk", "published_on")[:49000]
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    parts.append(f"<url><loc>{escape(base + reverse('catalog:index'))}</loc></url>")
    for org_pk in Org.objects.values_list("pk", flat=True):
        parts.append(
            f"<url><loc>{escape(base + reverse('catalog:org', args=[org_pk]))}</loc></url>"
        )
    for pk, day in rows:
        parts.append(
            f"<url><loc>{escape(base + reverse('catalog:item', args=[pk]))}</loc><lastmod>{day:%Y-%m-%d}</lastmod></url>"
        )
    parts.append("</urlset>")
    return HttpResponse("\n".join(parts), content_type="application/xml")
