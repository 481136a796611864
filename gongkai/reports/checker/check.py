"""A published report → its findings: frame, tables, narrative, previous year.

Rule ids: RPT-6 (section headings, warning), RPT-8/9/10 and RPT-13/14 (a table's rows as
printed), RPT-15…RPT-19 (``rules.validate``; RPT-19 also warns about blanks and dashes
counted as 0), RPT-20 (``--previous``, warnings), RPT-21 (narrative figure vs the table
cell it paraphrases), RPT-22 (a table or the whole layout that cannot be found, a file
that cannot be read), RPT-24 (a total vs its parts in the narrative: an error, from
``rules.check_sum``, though RULES grades the legacy table's identities as warnings), RPT-25
(a stated percentage vs its numerator and denominator).
"""

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from gongkai.reports import rules
from gongkai.reports.checker import claims
from gongkai.reports.checker.detect import detect
from gongkai.reports.checker.extract import Extraction, extract
from gongkai.reports.checker.labels import T2_2019
from gongkai.reports.checker.readers import Document, ReadError, read
from gongkai.reports.tables import (
    T2_2021,
    T3_COLUMNS,
    T4_COLUMNS,
    T4_GROUPS,
    Finding,
    Style,
    Tables,
    t3_rows,
)

T3_LABELS = {key: label for key, label, _, _ in t3_rows(Style.F2021) + t3_rows(Style.F2019)}
T3_COLUMN_LABELS = dict(T3_COLUMNS)
T4_LABELS = dict(T4_GROUPS)
T4_COLUMN_LABELS = dict(T4_COLUMNS)


@dataclass
class Result:
    kind: str = ""  # how the file was read: "text", "html", ...
    style: Style | None = None
    findings: list[Finding] = field(default_factory=list)
    tables: Tables | None = None

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


# --- narrative ----------------------------------------------------------------------------------


def paragraphs(doc: Document, ex: Extraction) -> list[str]:
    """The narrative: lines that are not table rows, wrapped lines joined again."""
    out: list[str] = []
    joining = False
    for index, row in enumerate(doc.rows):
        text = row.text.strip()
        if index in ex.used or not text or (row.grid and row.cells):
            joining = False
            continue
        if row.grid and len(row.labels) > 1:
            joining = False
            continue
        if joining and out:
            out[-1] += text
        else:
            out.append(text)
        # A PDF wraps a paragraph at the page width; a line that stops short or ends a
        # sentence ends its paragraph.
        joining = not row.grid and len(text) >= 20 and text[-1] not in "。！？；：!?;:"
    return out


# (pattern, the rows whose 总计 it paraphrases: one tuple per layout); RPT-21
_SIX = (("三(六)1", "三(六)2", "三(六)3"), ("三(六)",))
T3_CLAIMS = (
    (
        r"新收(?:到)?(?:的)?(?:各类)?(?:政府信息公开)?申请(?:数量)?(?:共计|共|合计|为)?(\d+)件",
        (("一",),),
    ),
    (r"上年结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共计|共|为)?(\d+)件", (("二",),)),
    (r"(?<!不)予以公开(?:的)?(?:申请)?(\d+)件", (("三(一)",),)),
    (r"部分公开(?:的)?(?:申请)?(\d+)件", (("三(二)",),)),
    (r"不予公开(?:的)?(?:申请)?(\d+)件", (tuple(f"三(三){i}" for i in range(1, 9)),)),
    (r"无法提供(?:的)?(?:申请)?(\d+)件", (tuple(f"三(四){i}" for i in range(1, 4)),)),
    (r"不予处理(?:的)?(?:申请)?(\d+)件", (tuple(f"三(五){i}" for i in range(1, 6)),)),
    (r"其他处理(?:的)?(?:申请)?(\d+)件", _SIX),
    (r"结转下一?年度?(?:继续办理)?(?:的)?(?:申请)?(\d+)件", (("四",),)),
)
T4_CLAIMS = (
    (r"行政复议(?:案件|申请)?(?:共计|共)?(\d+)件", (("reconsideration",),)),
    (r"行政诉讼(?:案件)?(?:共计|共)?(\d+)件", (("direct", "after"),)),
)


def _total(rows: dict, layouts: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], object]:
    """The rows of the first layout the table has, and the sum of their 总计 (None when a
    row or a cell is missing: a claim is never checked against part of a sum)."""
    for keys in layouts:
        if all(key in rows for key in keys):
            values = [rows[key].get("total") for key in keys]
            return keys, None if any(v is None for v in values) else sum(values)
    return (), None


def table_claims(texts: list[str], tables: Tables) -> list[Finding]:
    """RPT-21: a narrative figure against the table cell it paraphrases."""
    findings = []
    checks = [(p, keys, "表三", tables.t3) for p, keys in T3_CLAIMS]
    checks += [(p, keys, "表四", tables.t4) for p, keys in T4_CLAIMS]
    for paragraph in texts:
        text = claims.clean(paragraph)
        for pattern, layouts, table, rows in checks:
            keys, expected = _total(rows, layouts)
            if expected is None:
                continue
            for m in re.finditer(pattern, text):
                stated = int(m.group(1))
                if stated == expected:
                    continue
                if table == "表三":
                    row, column = T3_LABELS[keys[0]] if len(keys) == 1 else _parent(keys[0]), "总计"
                else:
                    row, column = "、".join(T4_LABELS[k] for k in keys), "总计"
                findings.append(
                    Finding(
                        "RPT-21",
                        "error",
                        f"正文与{table}不符：文中为{stated}件，{table}为{expected}件",
                        table=table,
                        row=row,
                        column=column,
                        stated=str(stated),
                        expected=str(expected),
                        quote=claims.sentence_span(text, m.start(), m.end()),
                    )
                )
    return findings


def _parent(key: str) -> str:
    return T3_LABELS[key[:4]]


# --- tables -------------------------------------------------------------------------------------


def _t2_labels(style: Style | None) -> tuple[dict, dict]:
    layout = T2_2019 if style == Style.F2019 else T2_2021
    rows = {key: label for _, key, label, _ in layout}
    columns = {(key, col): text for _, key, _, cols in layout for col, text in cols}
    return rows, columns


def labelled(finding: Finding, ex: Extraction) -> Finding:
    """``rules`` names some rows and columns by key; a reader wants the printed labels, and
    the text of a cell that could not be read."""
    table, row, column = finding.table, finding.row, finding.column
    raw = ex.unreadable.get((table, row, column))
    if raw and finding.rule == "RPT-19":
        finding = replace(finding, stated=raw[0], quote=raw[1])
    if table == "表三":
        row, column = T3_LABELS.get(row, row), T3_COLUMN_LABELS.get(column, column)
    elif table == "表四":
        row, column = T4_LABELS.get(row, row), T4_COLUMN_LABELS.get(column, column)
    elif table == "表二":
        rows, columns = _t2_labels(ex.t2_style)
        row, column = rows.get(row, row), columns.get((row, column), column)
    return replace(finding, row=row, column=column)


# --- the whole report ---------------------------------------------------------------------------


def check_document(
    doc: Document, *, previous: Document | None = None, rounding: str = "half_up"
) -> Result:
    ex = extract(doc)
    style, frame = detect(doc, ex)
    result = Result(doc.kind, style, list(frame))
    if style is None:
        return result
    result.tables = ex.tables if ex.found else None
    previous_tables = None
    if previous is not None:
        before = extract(previous) if ex.found else None
        if before and before.found:
            previous_tables = before.tables
        else:
            which = "上年报告" if ex.found else "本报告"
            result.findings.append(
                Finding("RPT-20", "warning", f"{which}中未找到表格，未做跨年度核对")
            )
    result.findings += ex.findings
    if ex.found:
        checked = rules.validate(ex.tables, previous_tables)
        result.findings += [labelled(f, ex) for f in checked]
    texts = paragraphs(doc, ex)
    result.findings += claims.narrative_claims(texts, mode=rounding)
    if ex.found:
        result.findings += table_claims(texts, ex.tables)
    return result


def check_file(
    path: str | Path, *, previous: str | Path | None = None, rounding: str = "half_up"
) -> Result:
    try:
        doc = read(path)
    except ReadError as exc:
        return Result(findings=[Finding("RPT-22", "error", str(exc))])
    before, unread = None, []
    if previous:
        try:
            before = read(previous)
        except ReadError as exc:
            unread = [Finding("RPT-20", "warning", f"上年报告无法读取，未做跨年度核对：{exc}")]
    result = check_document(doc, previous=before, rounding=rounding)
    result.findings[:0] = unread
    return result
