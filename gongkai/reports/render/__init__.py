"""One report, many formats (STYLE habit 10).

``RENDERERS[fmt] = (render, content type, extension)`` where ``render(report: AnnualReport)
-> bytes``. Every format is drawn from the same ``AnnualReport``; tables go through ``grid``
and the section order through ``outline``, so HTML, DOCX, XLSX and PDF cannot disagree.
"""

from collections.abc import Callable

from gongkai.reports.render import docx, html, json, pdf, xlsx
from gongkai.reports.tables import AnnualReport

Renderer = tuple[Callable[[AnnualReport], bytes], str, str]

RENDERERS: dict[str, Renderer] = {
    "json": (json.render, "application/json", ".json"),
    "html": (html.render, "text/html; charset=utf-8", ".html"),
    "docx": (
        docx.render,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xlsx": (
        xlsx.render,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "pdf": (pdf.render, "application/pdf", ".pdf"),
}
