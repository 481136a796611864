"""The order of a rendered report: which table and which charts follow which section.

Tables 二, 三, 四 follow the paragraphs of the section with the same numeral (RPT-6); the
charts follow table 三. A legacy report (RPT-23) ends with its figures as “统计数据”. A table
or chart whose section is missing from the report is still printed, at the end, under its own
heading — never dropped.
"""

from dataclasses import dataclass, field
from datetime import date

from gongkai.letters.content import chinese_date
from gongkai.reports.render import charts as c
from gongkai.reports.render import grid as g
from gongkai.reports.tables import AnnualReport, Style

# Measures shared by the HTML/PDF and DOCX layouts.
HEADING_FONT = "Noto Sans CJK SC"  # 一级标题 in 黑体; Noto Sans CJK stands in for it
TABLE_PT = 9  # 小五号: the ten columns of table 三 across the 156 mm type area
CHART_MM = 150


@dataclass
class Part:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    grids: list[g.Grid] = field(default_factory=list)
    charts: list[c.Chart] = field(default_factory=list)


def outline(report: AnnualReport) -> list[Part]:
    tables = g.national_tables(report)
    pending = {chart.key: chart for chart in c.charts(report)}
    parts = []
    for section in report.sections:
        part = Part(section.title, list(section.paragraphs))
        numeral = g.numeral(section.title)
        if numeral in tables:
            part.grids.append(tables.pop(numeral))
        for key, chart in list(pending.items()):
            if chart.section == numeral:
                part.charts.append(pending.pop(key))
        parts.append(part)
    for grid in tables.values():
        parts.append(Part(grid.title, grids=[grid]))
    if pending:
        parts.append(Part("图表", charts=list(pending.values())))
    if report.style == Style.LEGACY and report.figures:
        parts.append(Part(g.FIGURES_TITLE, grids=[g.figures(report)]))
    return parts


def date_text(report: AnnualReport) -> str:
    """The date under the issuer: the publication date, blank for an unpublished draft."""
    if not report.published_on:
        return ""
    return chinese_date(date.fromisoformat(report.published_on))
