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


# URLs in one sitemap file (the protocol allows 50,000); more items make /sitemap.xml an index.
SITEMAP_URLS = 45_000


def _xml(parts: list[str]):
    from django.http import HttpResponse

    return HttpResponse("\n".join(parts), content_type="application/xml")


def _url(base: str, path: str, day=None) -> str:
    from django.utils.html import escape

    lastmod = f"<lastmod>{day:%Y-%m-%d}</lastmod>" if day else ""
    return f"<url><loc>{escape(base + path)}</loc>{lastmod}</url>"


URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def _page_urls(base: str) -> list[str]:
    """The catalog's front page and every org's page."""
    return [_url(base, reverse("catalog:index"))] + [
        _url(base, reverse("catalog:org", args=[pk]))
        for pk in Org.objects.order_by("pk").values_list("pk", flat=True)
    ]


def _item_urls(base: str, rows) -> list[str]:
    return [_url(base, reverse("catalog:item", args=[pk]), day) for pk, day in rows]


def sitemap(request):
    """sitemap.xml of the catalog's public pages: one file while they fit, else a sitemap
    index of ``sitemap-pages.xml`` and ``sitemap-1.xml`` … (items by id, SITEMAP_URLS each)."""
    base = request.build_absolute_uri("/").rstrip("/")
    items = queries.public_items().order_by("pk").values_list("pk", "published_on")
    pages = _page_urls(base)
    total = items.count()
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if len(pages) + total <= SITEMAP_URLS:
        return _xml([head, URLSET, *pages, *_item_urls(base, items), "</urlset>"])
    parts = ["pages", *range(1, (total + SITEMAP_URLS - 1) // SITEMAP_URLS + 1)]
    return _xml(
        [
            head,
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            *(
                f"<sitemap><loc>{base}{reverse('catalog:sitemap_part', args=[part])}</loc></sitemap>"
                for part in parts
            ),
            "</sitemapindex>",
        ]
    )


def sitemap_part(request, part: str):
    """One file of the sitemap index: ``pages``, or the N-th slice of the items by id."""
    from django.http import Http404

    base = request.build_absolute_uri("/").rstrip("/")
    head = ['<?xml version="1.0" encoding="UTF-8"?>', URLSET]
    if part == "pages":
        return _xml([*head, *_page_urls(base), "</urlset>"])
    if not part.isdigit() or int(part) < 1:
        raise Http404
    start = (int(part) - 1) * SITEMAP_URLS
    items = queries.public_items().order_by("pk").values_list("pk", "published_on")
    rows = list(items[start : start + SITEMAP_URLS])
    if not rows:
        raise Http404
    return _xml([*head, *_item_urls(base, rows), "</urlset>"])
