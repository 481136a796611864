"""A report as HTML: the fragment the portal shows, and a standalone document for download
and for the PDF.

The standalone document carries its stylesheet in one ``<style>`` element (a downloaded file
refers to nothing outside itself); the portal page shows the same fragment under its own
stylesheet, ``portal/reports.css``, because its Content-Security-Policy allows no inline
styles. Charts are inline SVG with presentation attributes only.

The print layout follows the letters (GB/T 9704 margins, 2号 title, 3号 body in Noto Serif
CJK SC) and takes its measures from ``gongkai.letters.render``.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from gongkai.letters.render import (
    BODY_PT,
    CELL_PT,
    FONTS,
    LINE_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    SMALL_PT,
    TITLE_LINE_PT,
    TITLE_PT,
    Fonts,
    signature_indents,
)
from gongkai.reports.render import charts
from gongkai.reports.render.outline import CHART_MM, HEADING_FONT, TABLE_PT, date_text, outline
from gongkai.reports.tables import AnnualReport


def print_css(fonts: Fonts = FONTS, *, issuer_em: float = 0, date_em: float = 0) -> str:
    body = f'"{fonts.body}", "{fonts.fallback}", serif'
    title = f'"{fonts.title}", "{fonts.fallback}", serif'
    heading = f'"{HEADING_FONT}", "{fonts.fallback}", sans-serif'
    return f"""
@page {{
  size: A4;
  margin: {MARGIN_TOP_MM}mm {MARGIN_RIGHT_MM}mm {MARGIN_BOTTOM_MM}mm {MARGIN_LEFT_MM}mm;
  @bottom-center {{
    content: "— " counter(page) " —"; font-family: {body}; font-size: {SMALL_PT}pt;
    letter-spacing: 0; white-space: nowrap; vertical-align: top; padding-top: 7mm;
  }}
}}
html {{
  font-family: {body}; font-size: {BODY_PT}pt; line-height: {LINE_PT}pt; color: #000;
  letter-spacing: {CELL_PT - BODY_PT:.2f}pt;
}}
body {{ margin: 0; }}
p {{ margin: 0; }}
h1 {{
  font-family: {title}; font-size: {TITLE_PT}pt; font-weight: bold; line-height: {TITLE_LINE_PT}pt;
  text-align: center; margin: 0 0 {LINE_PT}pt;
}}
h2 {{
  font-family: {heading}; font-size: {BODY_PT}pt; font-weight: normal; margin: 0;
  text-indent: {2 * CELL_PT:.2f}pt; break-after: avoid;
}}
.body {{ text-indent: {2 * CELL_PT:.2f}pt; text-align: justify; }}
table.report-table {{
  width: 100%; border-collapse: collapse; table-layout: fixed; margin: {LINE_PT / 2}pt 0;
  font-size: {TABLE_PT}pt; line-height: 1.35; letter-spacing: 0; break-inside: avoid;
}}
.report-table th, .report-table td {{
  border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: middle; text-align: center;
  font-weight: normal;
}}
.report-table th.label {{ text-align: left; }}
.report-table th.section {{ text-align: left; font-weight: bold; }}
.report-table th.note {{ text-align: left; }}
.report-table td.num {{ font-variant-numeric: tabular-nums; }}
table.t2 col.c0 {{ width: 34%; }}
table.t3 col.c0, table.t3 col.c1 {{ width: 8%; }}
table.t3 col.c2 {{ width: 29%; }}
table.t4 {{ font-size: 8pt; }}
table.figures col.c0 {{ width: 64%; }}
figure.report-chart {{ margin: {LINE_PT / 2}pt 0; text-align: center; break-inside: avoid; }}
figure.report-chart svg {{ width: {CHART_MM}mm; height: auto; }}
.signature {{
  text-align: right; margin-top: {2 * LINE_PT}pt;
  /* GB/T 9704 7.3.5: never alone on a page without body text above it. */
  break-inside: avoid; break-before: avoid;
}}
.signature p {{ white-space: nowrap; }}
.issuer {{ padding-right: {issuer_em * CELL_PT:.1f}pt; }}
.date {{ padding-right: {date_em * CELL_PT:.1f}pt; }}
@media screen {{
  html {{ background: #e8e8e8; }}
  body {{
    box-sizing: border-box; width: {PAGE_WIDTH_MM}mm; min-height: {PAGE_HEIGHT_MM}mm;
    margin: 1em auto; background: #fff; box-shadow: 0 0 4px #999;
    padding: {MARGIN_TOP_MM}mm {MARGIN_RIGHT_MM}mm {MARGIN_BOTTOM_MM}mm {MARGIN_LEFT_MM}mm;
  }}
}}
"""


def context(report: AnnualReport) -> dict:
    parts = outline(report)
    for part in parts:
        # Each chart's SVG is built by ``charts.svg`` with every text escaped.
        part.charts = [mark_safe(charts.svg(chart)) for chart in part.charts]
    return {"report": report, "parts": parts, "date_text": date_text(report)}


def fragment(report: AnnualReport) -> SafeString:
    """The report as an ``<article>`` for a page that brings its own stylesheet."""
    return mark_safe(render_to_string("reports/_report.html", context(report)))


def document(report: AnnualReport, *, fonts: Fonts = FONTS) -> str:
    """A complete HTML document with the print stylesheet, as downloaded and as printed."""
    when = date_text(report)
    issuer_em, date_em = signature_indents(report.issuer.strip(), when) if when else (0, 0)
    css = print_css(fonts, issuer_em=issuer_em, date_em=date_em)
    return render_to_string("reports/document.html", context(report) | {"css": mark_safe(css)})


def render(report: AnnualReport) -> bytes:
    return document(report).encode()
