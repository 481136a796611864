"""A report as PDF: the standalone HTML document printed by WeasyPrint.

Fonts come from Debian's fonts-noto-cjk; without them WeasyPrint draws empty boxes while
pdftotext still extracts the text, so the tests look at the fonts embedded in the file.
"""

from gongkai.reports.render import html
from gongkai.reports.tables import AnnualReport


def render(report: AnnualReport) -> bytes:
    # Imported here: WeasyPrint loads pango and fontconfig, which the other formats never need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The document refers to nothing outside itself (charts are inline SVG); refuse file: and
    # http: all the same, so a crafted text can never make the server fetch anything.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html.document(report), url_fetcher=fetcher).write_pdf()
