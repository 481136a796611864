"""The report's tables as grids of merged cells, laid out once for HTML, DOCX and XLSX.

A ``Grid`` lists, row by row, the cells that *start* in that row with their row and column
spans — the shape of an HTML table. DOCX and XLSX merge the same rectangles, so the three
formats cannot disagree about where a label or a number sits (STYLE habit 10).

Layouts follow the national format (RPT-8/9/10): table 三 has three label columns, a heading
such as “三、本年度办理结果” or “（三）不予公开” spans the rows of its items, and the note on the
balance sits in the top-left cell over the three header rows.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai.reports import tables as t
from gongkai.reports.tables import AnnualReport, Number, Style

# RPT-9, RPT-10: header words of the national tables that are not column labels themselves.
T3_HEAD = "申请人情况"
T3_ORG_HEAD = "法人或其他组织"
T2_CONTENT_HEAD = "信息内容"
FIGURES_TITLE = "统计数据"
FIGURES_HEAD = ("项目", "数值", "单位")
MISSING = "（缺）"  # a cell that could not be read: shown, never printed as 0 (RPT-19)


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str  # "note", "head", "section", "label", "number"
    row: int  # position of the top-left corner in the full grid, 0-based
    col: int
    rowspan: int = 1
    colspan: int = 1
    value: Number = None  # numbers only; None with kind "number" is a missing cell
    level: int = 0  # labels: indent level of table 三
    key: str = ""  # numbers: "row:column" in the ``Tables`` keys, e.g. "三(七):total"


@dataclass(frozen=True)
class Grid:
    key: str  # "t2", "t3", "t4", "figures"
    title: str
    columns: int
    header_rows: int
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def column_range(self) -> range:
        return range(self.columns)

    @property
    def head(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows[self.header_rows :]

    def cells(self):
        for row in self.rows:
            yield from row


def number_text(value: Number) -> str:
    """A cell as printed: integers as they are (0 too), amounts without exponent."""
    if value is None:
        return MISSING
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class _Builder:
    def __init__(self, key: str, title: str, columns: int):
        self.key, self.title, self.columns = key, title, columns
        self.rows: list[list[Cell]] = []
        self.header_rows = 0

    def row(self, *cells: tuple, header: bool = False) -> None:
        """Append a row; each cell is (text, kind, col, rowspan, colspan[, extra fields])."""
        index = len(self.rows)
        self.rows.append(
            [
                Cell(text, kind, index, col, rowspan, colspan, **(extra[0] if extra else {}))
                for text, kind, col, rowspan, colspan, *extra in cells
            ]
        )
        if header:
            self.header_rows = index + 1

    def grid(self) -> Grid:
        return Grid(
            self.key, self.title, self.columns, self.header_rows, tuple(map(tuple, self.rows))
        )


def _num(value: Number, col: int, key: str, colspan: int = 1) -> tuple:
    return (number_text(value), "number", col, 1, colspan, {"value": value, "key": key})


# --- Table 二 ------------------------------------------------------------------------------


def t2_layout(style: Style):
    """(section, row key, label, columns) rows of table 二: RPT-8, or RPT-13 for 2019."""
    if style == Style.F2021:
        return t.T2_2021
    if hasattr(t, "T2_2019"):
        return t.T2_2019
    # RPT-13's layout lives in ``statistics`` until ``tables`` takes it.
    from gongkai.reports.statistics import T2_2019

    return T2_2019


def table_two(report: AnnualReport) -> Grid:
    data = report.tables.t2
    layout = t2_layout(report.style)
    width = 1 + max((len(cols) for *_, cols in layout), default=1)
    b = _Builder("t2", t.SECTIONS_2021[1], width)
    section = columns = None
    for part, key, label, cols in layout:
        if part != section and part:
            b.row((part, "section", 0, 1, width))
        if part != section or cols != columns:
            heads = [(T2_CONTENT_HEAD, "head", 0, 1, 1)]
            heads += [
                (text, "head", 1 + i, 1, _span(i, len(cols), width))
                for i, (_, text) in enumerate(cols)
            ]
            b.row(*heads)
        section, columns = part, cols
        values = data.get(key, {})
        b.row(
            (label, "label", 0, 1, 1),
            *(
                _num(values.get(col), 1 + i, f"{key}:{col}", _span(i, len(cols), width))
                for i, (col, _) in enumerate(cols)
            ),
        )
    return b.grid()


def _span(index: int, count: int, width: int) -> int:
    """The last of ``count`` data columns stretches to the table's right edge."""
    return width - count if index == count - 1 else 1


# --- Table 三 ------------------------------------------------------------------------------

T3_LABEL_COLUMNS = 3


def table_three(report: AnnualReport) -> Grid:
    rows = t.t3_rows(report.style)
    data = report.tables.t3
    parts = [label for key, label in t.T3_COLUMNS if key not in ("person", "total")]
    width = T3_LABEL_COLUMNS + len(t.T3_COLUMNS)
    first = T3_LABEL_COLUMNS
    b = _Builder("t3", t.SECTIONS_2021[2], width)
    b.row(
        (t.T3_NOTE, "note", 0, 3, T3_LABEL_COLUMNS),
        (T3_HEAD, "head", first, 1, len(t.T3_COLUMNS)),
        header=True,
    )
    b.row(
        (dict(t.T3_COLUMNS)["person"], "head", first, 2, 1),
        (T3_ORG_HEAD, "head", first + 1, 1, len(parts)),
        (dict(t.T3_COLUMNS)["total"], "head", width - 1, 2, 1),
        header=True,
    )
    b.row(*((label, "head", first + 1 + i, 1, 1) for i, label in enumerate(parts)), header=True)

    # A heading row (no numbers) spans the rows of everything below it at deeper levels,
    # in its own column; it is printed in the row of its first item.
    waiting: list[tuple[str, int, int]] = []  # headings not yet placed: (label, level, rows)
    for index, (key, label, level, numbers) in enumerate(rows):
        if not numbers:
            covered = 0
            for _, _, deeper, has_numbers in rows[index + 1 :]:
                if deeper <= level:
                    break
                covered += has_numbers
            waiting.append((label, level, covered))
            continue
        cells = [(text, "label", lvl, span, 1, {"level": lvl}) for text, lvl, span in waiting]
        waiting = []
        cells.append((label, "label", level, 1, T3_LABEL_COLUMNS - level, {"level": level}))
        values = data.get(key, {})
        cells += [
            _num(values.get(col), first + i, f"{key}:{col}")
            for i, (col, _) in enumerate(t.T3_COLUMNS)
        ]
        b.row(*cells)
    return b.grid()


# --- Table 四 ------------------------------------------------------------------------------


def table_four(report: AnnualReport) -> Grid:
    data = report.tables.t4
    n = len(t.T4_COLUMNS)
    (_, recon), *suits = t.T4_GROUPS
    litigation = suits[0][1].split("·")[0]  # “行政诉讼·未经复议直接起诉” → 行政诉讼
    b = _Builder("t4", t.SECTIONS_2021[3], n * len(t.T4_GROUPS))
    b.row((recon, "head", 0, 1, n), (litigation, "head", n, 1, n * len(suits)), header=True)
    b.row(
        *((label, "head", i, 2, 1) for i, (_, label) in enumerate(t.T4_COLUMNS)),
        *((label.split("·")[-1], "head", n * (1 + g), 1, n) for g, (_, label) in enumerate(suits)),
        header=True,
    )
    b.row(
        *(
            (label, "head", n * (1 + g) + i, 1, 1)
            for g in range(len(suits))
            for i, (_, label) in enumerate(t.T4_COLUMNS)
        ),
        header=True,
    )
    b.row(
        *(
            _num(data.get(group, {}).get(col), n * g + i, f"{group}:{col}")
            for g, (group, _) in enumerate(t.T4_GROUPS)
            for i, (col, _) in enumerate(t.T4_COLUMNS)
        )
    )
    return b.grid()


# --- Figures (the legacy report's statistics, the summary sheet) -----------------------------


def figures(report: AnnualReport, *, title: str = FIGURES_TITLE) -> Grid:
    b = _Builder("figures", title, 3)
    b.row(*((text, "head", i, 1, 1) for i, text in enumerate(FIGURES_HEAD)), header=True)
    for figure in report.figures:
        b.row(
            (figure.label, "label", 0, 1, 1),
            _num(figure.value, 1, figure.key),
            (figure.unit, "label", 2, 1, 1),
        )
    return b.grid()


# --- Which grid goes with which section ------------------------------------------------------

_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)、")


def national_tables(report: AnnualReport) -> dict[str, Grid]:
    """Section numeral → its table: 二 → 表二, 三 → 表三, 四 → 表四; none for legacy reports."""
    if report.style == Style.LEGACY:
        return {}
    return {"二": table_two(report), "三": table_three(report), "四": table_four(report)}


def numeral(title: str) -> str:
    """“三、收到和处理…” → “三”; "" for a title without a leading numeral."""
    match = _NUMERAL.match(title.strip())
    return match.group(1) if match else ""


# --- Where a finding points, in the words of the tables -------------------------------------


def _t2_labels() -> tuple[dict[str, str], dict[str, str]]:
    rows, columns = {}, {}
    for layout in (t2_layout(Style.F2021), t2_layout(Style.F2019)):
        for _, key, label, cols in layout:
            rows.setdefault(key, label)
            columns.update((k, v) for k, v in cols if k not in columns)
    return rows, columns


def where(finding: t.Finding) -> str:
    """“表二 · 行政事业性收费 · 本年收费金额（单位：万元）” for a finding on ``fees``/``amount``.

    Findings name cells by key or by label depending on the check; keys become labels,
    anything else (a label already, a quoted sentence's section) stays as it is.
    """
    t2_rows, t2_columns = _t2_labels()
    labels = {
        "表二": (t2_rows, t2_columns),
        "表三": (
            {key: label for key, label, _, _ in t.T3_ROWS_2021 + t.T3_ROWS_2019},
            dict(t.T3_COLUMNS),
        ),
        "表四": (dict(t.T4_GROUPS), dict(t.T4_COLUMNS)),
    }
    rows, columns = labels.get(finding.table, ({}, {}))
    parts = (
        finding.table,
        rows.get(finding.row, finding.row),
        columns.get(finding.column, finding.column),
    )
    return " · ".join(part for part in parts if part)
