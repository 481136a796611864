"""Rows → tables 二, 三 and 四 (RPT-8…RPT-10, RPT-13, RPT-14, RPT-19).

Rows are matched to the national labels by similarity, so a typo or a label wrapped over
several lines of a PDF still finds its row; the label that matched is kept. Cells are
taken by position: by index in a grid, by their place in the line in laid-out text (a
blank cell there is only a gap, so its column is found from the rows that are full).

What cannot be read is named: a missing row, a row with the wrong number of cells, a cell
that is not a number (``None`` in the tables, never 0). Blanks and dashes count as 0 with
an RPT-19 warning.
"""

import re
from dataclasses import dataclass, field
from itertools import combinations
from statistics import median

from gongkai.reports.checker.labels import T2_2019, T2_HEADS, T2_UNKEPT, best_match, label_key
from gongkai.reports.checker.numbers import normalize, parse_cell
from gongkai.reports.checker.readers import Document, Row, Token
from gongkai.reports.tables import (
    T2_2021,
    T3_COLUMNS,
    T4_COLUMNS,
    T4_GROUPS,
    Finding,
    Number,
    Style,
    Tables,
    t3_rows,
)

T3_THRESHOLD = 0.75
T2_THRESHOLD = 0.75
T3_NUMBER_ROWS = {
    key: label for key, label, _, numbers in t3_rows(Style.F2021) + t3_rows(Style.F2019) if numbers
}
T3_SUBROWS_OF_SIX = ("三(六)1", "三(六)2", "三(六)3")
_NOISE = re.compile(
    r"^[-—–―~_\s]*(第\s*)?\d{1,4}\s*页?\s*([/／]\s*\d+\s*|共\s*\d+\s*页\s*)?[-—–―~_\s]*$"
    r"|^共\s*\d+\s*页\s*第\s*\d+\s*页$"
)


def filled(row: Row) -> int:
    """How many of the row's cells hold something (a grid's empty cells do not)."""
    return sum(1 for cell in row.cells if cell.text.strip())


def is_noise(row: Row) -> bool:
    """A page number or an empty line: never part of a table."""
    return not row.text.strip() or bool(_NOISE.match(normalize(row.text)))


@dataclass
class Match:
    key: str
    row: Row
    index: int
    matched: str  # the printed label that matched
    blank: bool = False  # printed with no cells at all


@dataclass
class Extraction:
    tables: Tables
    found: list[str] = field(default_factory=list)  # "表二", "表三", "表四"
    t2_style: Style | None = None
    six_layout: Style | None = None  # （六）其他处理 as sub-rows (2021) or one row (2019)
    findings: list[Finding] = field(default_factory=list)
    unreadable: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # indices of rows read as table rows
    printed: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, row) → label


# --- matching rows to labels --------------------------------------------------------------------


def _next_fragments(rows: list[Row], index: int, limit: int = 2) -> list[str]:
    """Label-only lines right below a text row: the rest of a wrapped label."""
    out = []
    for row in rows[index + 1 : index + 1 + limit]:
        if row.grid or filled(row) or not row.labels or is_noise(row):
            break
        out.append(row.labels[-1])
    return out


def own_labels(row: Row) -> list[str]:
    """The row's labels and, for each, what follows a single space in it: pdftotext may
    set two columns' words only one space apart (``（三） 4.保护第三方合法权益``)."""
    out = []
    for label in row.labels:
        words = label.split()
        out += [" ".join(words[i:]) for i in range(len(words))]
    return out


def _candidates(rows: list[Row], index: int, pending: list[str]) -> list[str]:
    """Ways to read the label of row ``index``, least likely first (later wins ties)."""
    row = rows[index]
    if row.grid:
        return own_labels(row)
    base = row.labels[-1] if row.labels else ""
    after = _next_fragments(rows, index)
    out = ["".join(row.labels)] if len(row.labels) > 1 else []
    for k in (3, 2, 1):
        if len(pending) >= k:
            out.append("".join(pending[-k:]) + base)
    for k in (1, 2):
        if len(after) >= k:
            out.append(base + "".join(after[:k]))
    if pending and after:
        out.append(pending[-1] + after[0])
        out.append(pending[-1] + base + after[0])
    if base:
        out += own_labels(Row([base], [], "", ""))[::-1]
    return [c for c in out if c]


def match_rows(
    rows: list[Row], start: int, stop: int, labels: dict[str, str], threshold: float
) -> tuple[dict[str, Match], list[int]]:
    """Match the rows with cells in ``rows[start:stop]``; return matches and unmatched rows."""
    matches: dict[str, Match] = {}
    unmatched: list[int] = []
    pending: list[str] = []
    for index in range(start, stop):
        row = rows[index]
        if is_noise(row):
            continue
        if not filled(row):  # a heading, a wrapped label, or a grid row left all blank
            if not row.grid:
                pending.extend(row.labels)
            continue
        candidates = _candidates(rows, index, pending)
        pending = []
        found = best_match(candidates, labels)
        if found and found[0] in matches:
            found = best_match(candidates, labels, exclude=set(matches))
        if found and found[1] >= threshold:
            matches[found[0]] = Match(found[0], row, index, found[2])
        else:
            unmatched.append(index)
    return matches, unmatched


def rescue_orphans(
    rows: list[Row],
    unmatched: list[int],
    labels: dict[str, str],
    matches: dict[str, Match],
    threshold: float,
) -> None:
    """A row of numbers without a label whose label a page break pushed further down.

    ``pdftotext`` prints such a row's numbers at the foot of one page and its label below
    the repeated header of the next; the label is looked for among the label-only lines
    before the next row of numbers, against the rows still missing.
    """
    for index in list(unmatched):
        row = rows[index]
        missing = {key: label for key, label in labels.items() if key not in matches}
        if row.labels or row.grid or not missing:
            continue
        fragments = []
        for later in rows[index + 1 : index + 25]:
            if is_noise(later):
                continue
            if filled(later):
                break
            fragments.extend(later.labels)
        candidates = [
            "".join(fragments[i : i + k]) for k in (1, 2, 3) for i in range(len(fragments))
        ]
        found = best_match(candidates, missing)
        if found and found[1] >= threshold:
            matches[found[0]] = Match(found[0], row, index, found[2])
            unmatched.remove(index)


def match_blank_rows(
    rows: list[Row], start: int, stop: int, labels: dict[str, str], matches: dict[str, Match]
) -> None:
    """A row whose cells are all blank prints as its label alone."""
    for key, label in labels.items():
        if key in matches:
            continue
        for index in range(start, stop):
            row = rows[index]
            if filled(row) or not row.labels:
                continue
            text = row.labels[-1]
            if label_key(text) == label_key(label):
                matches[key] = Match(key, row, index, text, blank=True)
                break


# --- placing cells in columns -------------------------------------------------------------------


def anchors_of(matches: list[Match], n: int) -> dict[int, list[float]]:
    """Per page, column centres relative to the first column, from laid-out rows that are
    full (a table continued on the next page may be laid out wider). Key -1: any page."""
    pages: dict[int, list[list[Token]]] = {}
    for m in matches:
        if not m.row.grid and len(m.row.cells) == n:
            pages.setdefault(m.row.page, []).append(m.row.cells)
    anchors = {
        page: [median(cells[i].center - cells[0].center for cells in full) for i in range(n)]
        for page, full in pages.items()
    }
    if anchors:
        anchors[-1] = next(iter(anchors.values()))
    return anchors


def place(row: Row, n: int, pages: dict[int, list[float]]) -> list[Token] | None:
    """The row's ``n`` cells, blanks as empty tokens; None when they cannot be placed."""
    cells = list(row.cells)
    anchors = pages.get(row.page, pages.get(-1))
    if row.grid:
        while len(cells) > n and not cells[-1].text.strip():
            cells.pop()
        while len(cells) > n and not cells[0].text.strip():
            cells.pop(0)
        return cells if len(cells) == n else None
    if len(cells) == n:
        return cells
    if len(cells) > n or not cells or anchors is None:
        return None
    costs = []
    for columns in combinations(range(n), len(cells)):
        shifts = [cell.center - anchors[c] for cell, c in zip(cells, columns, strict=True)]
        costs.append((max(shifts) - min(shifts), columns))
    costs.sort()
    best, columns = costs[0]
    if best > 2.5 or (len(costs) > 1 and costs[1][0] - best < 1.5):
        return None
    placed = [Token("")] * n
    for cell, c in zip(cells, columns, strict=True):
        placed[c] = cell
    return placed


def _short(text: str, width: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


class _Reader:
    """Collects the values of one table with the findings about its cells."""

    def __init__(self, ex: Extraction, table: str, rule: str):
        self.ex, self.table, self.rule = ex, table, rule

    def error(self, message: str, row: str = "", match: Match | None = None) -> None:
        quote = f"{match.row.where}：{_short(match.row.text)}" if match else ""
        self.ex.findings.append(
            Finding(self.rule, "error", message, table=self.table, row=row, quote=quote)
        )

    def label(self, match: Match, label: str) -> None:
        """Record the printed label; warn when it is not the national wording (RPT-8/9
        print labels verbatim). A PDF's wrapped label is not a different wording."""
        self.ex.printed[self.table, match.key] = match.matched
        printed, national = label_key(match.matched), label_key(label)
        if match.matched in own_labels(match.row) and not national.startswith(printed):
            self.ex.findings.append(
                Finding(
                    self.rule,
                    "warning",
                    "行标签与国家格式的文字不一致，按最接近的标准行读取",
                    table=self.table,
                    row=label,
                    stated=match.matched,
                    expected=label,
                    quote=f"{match.row.where}：{_short(match.row.text)}",
                )
            )

    def values(
        self, match: Match, label: str, cells: list[Token], columns: list[tuple[str, str]]
    ) -> dict[str, Number]:
        out: dict[str, Number] = {}
        for token, (col, col_label) in zip(cells, columns, strict=True):
            cell = parse_cell(token.text)
            where = f"{match.row.where}：{_short(match.row.text)}"
            if cell.status == "blank":
                shown = f"“{cell.text}”" if cell.text else "空白"
                self.ex.findings.append(
                    Finding(
                        "RPT-19",
                        "warning",
                        f"单元格为{shown}，按0计；应填0",
                        table=self.table,
                        row=label,
                        column=col_label,
                        stated=cell.text or "空白",
                        expected="0",
                        quote=where,
                    )
                )
            elif cell.status == "unreadable":
                self.ex.unreadable[self.table, match.key, col] = (cell.text, where)
            out[col] = cell.value
        return out


# --- the three tables ---------------------------------------------------------------------------


def _first_t3_row(rows: list[Row]) -> int | None:
    for index, row in enumerate(rows):
        if filled(row) >= 3 and row.labels:
            found = best_match(list(row.labels), T3_NUMBER_ROWS)
            if found and found[1] >= 0.8:
                return index
    return None


def _back_up(rows: list[Row], first: int) -> int:
    """Table 三 may begin a few lines above its first clearly labelled row: a PDF can print
    the numbers of 一、本年新收… on a line of their own, its label wrapped around them."""
    start = first
    while start > 0 and first - start < 4:
        above = rows[start - 1]
        if above.labels and filled(above) and not is_noise(above):
            break  # a labelled row of numbers: the end of table 二
        start -= 1
    return start


def _t4_start(rows: list[Row], start: int) -> tuple[int, int] | None:
    """(header row, data row) of table 四: a 行政复议 header, then a row of many numbers."""
    for index in range(start, len(rows)):
        if "行政复议" not in rows[index].label and "行政复议" not in rows[index].text:
            continue
        for data in range(index + 1, min(index + 16, len(rows))):
            if filled(rows[data]) >= 5:
                return index, data
    return None


def read_t3(doc: Document, ex: Extraction, start: int, stop: int) -> None:
    rows = doc.rows
    matches, unmatched = match_rows(rows, start, stop, T3_NUMBER_ROWS, T3_THRESHOLD)
    if any(key in matches for key in T3_SUBROWS_OF_SIX):
        ex.six_layout = Style.F2021
    elif "三(六)" in matches:
        ex.six_layout = Style.F2019
    layout = ex.six_layout or Style.F2021
    ex.tables.style = layout
    rule = "RPT-9" if layout == Style.F2021 else "RPT-14"
    reader = _Reader(ex, "表三", rule)
    if layout == Style.F2021 and "三(六)" in matches:
        extra = matches.pop("三(六)")
        reader.error("（六）其他处理分了子项又印了合计行，合计行未计入", "（六）其他处理", extra)
    expected = {key: label for key, label, _, numbers in t3_rows(layout) if numbers}
    for key in list(matches):
        if key not in expected:
            matches.pop(key)
    rescue_orphans(rows, unmatched, expected, matches, T3_THRESHOLD)
    match_blank_rows(rows, start, stop, expected, matches)
    if matches:
        first, last = min(m.index for m in matches.values()), max(m.index for m in matches.values())
        for index in unmatched:
            if first < index < last:
                found = Match("", rows[index], index, rows[index].label)
                reader.error("表三中有一行对不上任何标准行，未计入", rows[index].label, found)
    columns = list(T3_COLUMNS)
    anchors = anchors_of(list(matches.values()), len(columns))
    for key, label in expected.items():
        match = matches.get(key)
        if match is None:
            reader.error(f"表三缺少“{label}”一行", label)
            continue
        ex.used.add(match.index)
        reader.label(match, label)
        cells = [Token("")] * len(columns) if match.blank else place(match.row, 7, anchors)
        if cells is None:
            reader.error(
                f"“{label}”一行读到{len(match.row.cells)}个数，应有7个，无法确定各数所在的列",
                label,
                match,
            )
            continue
        ex.tables.t3[key] = reader.values(match, label, cells, columns)


def _t2_style(rows: list[Row], start: int, stop: int) -> Style | None:
    text = label_key("".join(row.text for row in rows[start:stop]))
    hits = {style: sum(label_key(head) in text for head in T2_HEADS[style]) for style in T2_HEADS}
    if hits["2021"] == hits["2019"]:
        return None
    return Style.F2021 if hits["2021"] > hits["2019"] else Style.F2019


def read_t2(doc: Document, ex: Extraction, start: int, stop: int, style: Style | None) -> None:
    rows = doc.rows
    layouts = {Style.F2021: T2_2021, Style.F2019: T2_2019}
    tried = {}
    for option in [style] if style else [Style.F2021, Style.F2019]:
        labels = {key: label for _, key, label, _ in layouts[option]}
        tried[option] = match_rows(rows, start, stop, labels, T2_THRESHOLD)[0]
        match_blank_rows(rows, start, stop, labels, tried[option])
    style = style or max(tried, key=lambda option: len(tried[option]))
    matches = tried[style]
    if not matches:
        return
    ex.t2_style = style
    reader = _Reader(ex, "表二", "RPT-8" if style == Style.F2021 else "RPT-13")
    layout = layouts[style]
    widths = {len(columns) for _, _, _, columns in layout}
    anchors = {
        n: anchors_of([m for k, m in matches.items() if len(_columns(layout, k)) == n], n)
        for n in widths
    }
    for _, key, label, columns in layout:
        match = matches.get(key)
        if match is None:
            reader.error(f"表二缺少“{label}”一行", label)
            continue
        ex.used.add(match.index)
        reader.label(match, label)
        n = len(columns)
        cells = [Token("")] * n if match.blank else place(match.row, n, anchors[n])
        if cells is None and n == 1 and match.row.cells:
            cells = match.row.cells[:1]  # one figure; what follows is a merged cell's repeat
        if cells is None:
            reader.error(
                f"“{label}”一行读到{len(match.row.cells)}个数，应有{n}个，无法确定各数所在的列",
                label,
                match,
            )
            continue
        values = reader.values(match, label, cells, list(columns))
        ex.tables.t2[key] = {col: v for col, v in values.items() if col not in T2_UNKEPT}


def _columns(layout, key: str) -> tuple[tuple[str, str], ...]:
    return next(columns for _, k, _, columns in layout if k == key)


def read_t4(doc: Document, ex: Extraction, header: int, data: int) -> None:
    row = doc.rows[data]
    reader = _Reader(ex, "表四", "RPT-10")
    match = Match("", row, data, "")
    ex.used.add(data)
    cells = place(row, 15, {})
    if cells is None:
        reader.error(
            f"表四数据行读到{len(row.cells)}个数，应有15个，无法确定空白格所在的列", "", match
        )
        return
    for g, (group, group_label) in enumerate(T4_GROUPS):
        match = Match(group, row, data, "")
        ex.tables.t4[group] = reader.values(
            match, group_label, cells[5 * g : 5 * g + 5], list(T4_COLUMNS)
        )


def extract(doc: Document) -> Extraction:
    rows = doc.rows
    ex = Extraction(Tables(style=Style.F2021))
    t3_start = _first_t3_row(rows)
    t4 = _t4_start(rows, t3_start if t3_start is not None else 0)
    end = t4[0] if t4 else len(rows)
    if t3_start is not None:
        read_t3(doc, ex, _back_up(rows, t3_start), end)
        ex.found.append("表三")
    t2_stop = t3_start if t3_start is not None else end
    t2_start = next((i for i in range(t2_stop) if "第二十条第" in label_key(rows[i].text)), None)
    if t2_start is None:  # no 第二十条 row: from the section heading, if there is one
        t2_start = next(
            (i for i in reversed(range(t2_stop)) if "主动公开政府信息情况" in rows[i].text), None
        )
    if t2_start is not None:
        style = _t2_style(rows, t2_start, t2_stop)
        read_t2(doc, ex, t2_start, t2_stop, style)
        if ex.t2_style:
            ex.found.append("表二")
    if t4:
        read_t4(doc, ex, *t4)
        ex.found.append("表四")
    ex.found.sort(key="表二表三表四".index)
    return ex
