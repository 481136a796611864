"""Which format a report follows (GEN-2): 2021 national, 2019 trial, or pre-2019 legacy.

The tables decide when there are tables: table 二's columns differ between 2019 and 2021
(RPT-8, RPT-13), and table 三's （六）其他处理 has sub-rows only in 2021 (RPT-14). A
report without tables is legacy when it has the legacy section headings (RPT-5) or is for
2018 or earlier. A report with neither is an unknown layout: each table not found is named.
"""

import re

from gongkai.reports.checker.extract import Extraction
from gongkai.reports.checker.labels import label_key
from gongkai.reports.checker.readers import Document
from gongkai.reports.tables import SECTIONS_2021, SECTIONS_LEGACY, Finding, Style

TABLE_TITLES = {
    "表二": "主动公开政府信息情况",
    "表三": "收到和处理政府信息公开申请情况",
    "表四": "政府信息公开行政复议、行政诉讼情况",
}
STYLE_NAMES = {
    Style.F2021: "2021年统一格式（国办公开办函〔2021〕30号）",
    Style.F2019: "2019年试行格式（国办公开办函〔2019〕60号）",
    Style.LEGACY: "2019年以前的旧格式（2007年条例第三十二条）",
}
_YEAR = re.compile(r"((?:19|20)\d{2})年度?[^。]{0,24}?政府信息公开(?:工作)?年度?报")


def report_year(doc: Document) -> int | None:
    """The year in the title, read from the first lines."""
    head = "".join(row.text.strip() for row in doc.rows[:12] if row.text.strip())
    found = _YEAR.search(label_key(head))
    return int(found.group(1)) if found else None


def _lines(doc: Document) -> list[str]:
    return [label_key(row.label) for row in doc.rows if not row.grid and row.labels]


def headings_found(doc: Document, headings: tuple[str, ...]) -> list[str]:
    """The headings printed as lines of their own (the number may be missing or retyped)."""
    lines = _lines(doc)
    found = []
    for heading in headings:
        body = label_key(heading.split("、", 1)[1])
        if any(body in line and len(line) <= len(body) + 8 for line in lines):
            found.append(heading)
    return found


def has_narrative(doc: Document) -> bool:
    return any("。" in row.text for row in doc.rows)


def detect(doc: Document, ex: Extraction) -> tuple[Style | None, list[Finding]]:
    """The format and the findings about the report's frame (RPT-6, RPT-9, RPT-22)."""
    year = report_year(doc)
    by_year = Style.F2019 if year and year <= 2020 else Style.F2021
    findings = []
    if ex.found:
        style = ex.t2_style or ex.six_layout or by_year
    else:
        legacy = [h for h in headings_found(doc, SECTIONS_LEGACY) if h not in SECTIONS_2021]
        if legacy or (year and year <= 2018):
            return Style.LEGACY, []
        if len(headings_found(doc, SECTIONS_2021)) < 3:
            missing = "、".join(f"{name}（{title}）" for name, title in TABLE_TITLES.items())
            message = (
                f"无法识别报告格式：未找到{missing}，"
                "也未找到2019年以前旧格式的章节（如“三、政府信息依申请公开情况”）"
            )
            return None, [Finding("RPT-22", "error", message)]
        style = by_year
    for name, title in TABLE_TITLES.items():
        if name not in ex.found:
            findings.append(Finding("RPT-22", "error", f"未找到{name}（{title}）", table=name))
    if style == Style.F2021 and ex.six_layout == Style.F2019:
        findings.append(
            Finding(
                "RPT-9",
                "warning",
                "2021年格式的（六）其他处理应分3个子项，此处印为一行；按一行核对（七）总计",
                table="表三",
                row="（六）其他处理",
            )
        )
    if has_narrative(doc):
        present = headings_found(doc, SECTIONS_2021)
        for heading in SECTIONS_2021:
            if heading not in present:
                findings.append(Finding("RPT-6", "warning", f"缺少章节标题“{heading}”"))
    return style, findings
