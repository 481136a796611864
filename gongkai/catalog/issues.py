"""Serial publications (issue 5 §7): 政府公报 and 政务要情 as numbered issues, and their PDF.

The PDF is laid out like ``gongkai.letters``: A4, Noto Serif CJK (fonts-noto-cjk) standing in
for the official fonts, WeasyPrint fetching nothing from outside the document.
"""

import html
from datetime import date

from django.db import transaction

from gongkai.audit.services import record
from gongkai.catalog.enums import SeriesKind, Status
from gongkai.catalog.models import Issue, Item
from gongkai.catalog.services import ItemInvalid
from gongkai.letters.render import FONTS


def create_issue(
    *, org, series: str, year: int, number: int, published_on: date, items=(), title="", actor=None
) -> Issue:
    """Add issue ``number`` of ``year``; numbers are unique per org, series and year."""
    if series not in SeriesKind.values:
        raise ItemInvalid({"series": "刊物类别不正确"})
    if number < 1:
        raise ItemInvalid({"number": "期号须为正整数"})
    if published_on.year != year:
        raise ItemInvalid({"published_on": f"出刊日期 {published_on:%Y-%m-%d} 不在 {year} 年"})
    if Issue.objects.filter(org=org, series=series, year=year, number=number).exists():
        raise ItemInvalid({"number": f"{year}年第{number}期已存在"})
    items = list(items)
    if any(item.status != Status.PUBLISHED for item in items):
        raise ItemInvalid({"items": "只能收录已发布的信息"})
    with transaction.atomic():
        issue = Issue.objects.create(
            org=org, series=series, year=year, number=number, published_on=published_on, title=title
        )
        issue.items.set(items)
        record(
            "catalog.issue", actor=actor, obj=issue, summary={"series": series, "items": len(items)}
        )
    return issue


def render_html(issue: Issue) -> str:
    label = SeriesKind(issue.series).label
    body = "".join(
        f'<section class="item"><h2>{html.escape(item.title)}</h2>'
        f'<p class="meta">{html.escape(item.number)}　{html.escape(item.org.name)}　'
        f"{item.published_on:%Y年%m月%d日}</p><div>{item.body_html}</div></section>"
        for item in issue.items.filter(status=Status.PUBLISHED).select_related("org").order_by("pk")
    )
    contents = "".join(
        f"<li>{html.escape(item.title)}</li>"
        for item in issue.items.filter(status=Status.PUBLISHED).order_by("pk")
    )
    font = f'"{FONTS.body}", "{FONTS.fallback}", serif'
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 30mm 26mm 30mm 28mm; @bottom-center {{ content: "— " counter(page) " —"; font-family: {font}; }} }}
body {{ font-family: {font}; font-size: 14pt; line-height: 1.7; }}
h1 {{ text-align: center; color: #c00; font-size: 30pt; margin: 0; }}
.no {{ text-align: center; border-bottom: 2pt solid #c00; padding-bottom: 4mm; }}
h2 {{ font-size: 16pt; text-align: center; }} .meta {{ text-align: center; font-size: 12pt; }}
.item {{ page-break-before: always; }}
</style></head><body>
<h1>{html.escape(issue.org.name)}{label}</h1>
<p class="no">{issue.year}年第{issue.number}期（总第{issue.number}期）　{issue.published_on:%Y年%m月%d日}</p>
<h2>目　录</h2><ol>{contents}</ol>{body}</body></html>"""


def render_pdf(issue: Issue) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=render_html(issue), url_fetcher=fetcher).write_pdf()


def items_of(issue: Issue) -> list[Item]:
    return list(issue.items.filter(status=Status.PUBLISHED).order_by("pk"))
