"""A report as XLSX, for the supervisor's roll-up: one sheet per national table, and “概要”.

Each table sheet has a title row, then the table exactly as ``grid`` lays it out — merged
header cells, labels verbatim, numbers as numbers (a missing cell stays empty, never 0) — so
every org's 表三 has the same cell at the same address (D5 is 一、本年新收 · 自然人).
“概要” holds who, which year, which format, and every figure with its unit, key and source.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.reports.render import grid as g
from gongkai.reports.render.outline import date_text
from gongkai.reports.tables import AnnualReport

SHEET_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
SUMMARY = "概要"
TITLE_ROWS = 1  # the grid starts under one title row
COLUMN_WIDTHS = {  # in characters of the default font
    "t2": (28, 16, 16, 16),
    "t3": (8, 8, 44, *(10,) * 7),
    "t4": (9,) * 15,
}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


def _sheet(book: Workbook, name: str, grid: g.Grid, title: str) -> None:
    sheet = book.create_sheet(name)
    sheet.cell(1, 1, title).font = BOLD
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
    top = TITLE_ROWS + 1
    for cell in grid.cells():
        row, col = top + cell.row, 1 + cell.col
        if cell.kind == "number":
            target = sheet.cell(row, col, cell.value)  # None stays an empty cell
        else:
            target = sheet.cell(row, col, cell.text)
        left = cell.kind in ("label", "note", "section")
        target.alignment = Alignment(
            horizontal="left" if left else "center", vertical="center", wrap_text=True
        )
        if cell.kind in ("section",):
            target.font = BOLD
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                sheet.cell(r, c).border = BOX
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + cell.rowspan - 1,
                end_column=col + cell.colspan - 1,
            )
    for i, width in enumerate(COLUMN_WIDTHS.get(grid.key, ()), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    if grid.key == "t3":
        sheet.freeze_panes = sheet.cell(top + grid.header_rows, 1 + g.T3_LABEL_COLUMNS)


def _summary(book: Workbook, report: AnnualReport) -> None:
    sheet = book.create_sheet(SUMMARY)
    sheet.append(["报告", report.title])
    sheet.append(["机关", report.org_name])
    sheet.append(["年度", report.year])
    sheet.append(["格式", str(report.style)])
    sheet.append(["口径", str(report.scope)])
    sheet.append(["发布日期", date_text(report) or "未发布"])
    sheet.append([])
    sheet.append([*g.FIGURES_HEAD, "键", "来源"])
    header = sheet.max_row
    for figure in report.figures:
        sheet.append([figure.label, figure.value, figure.unit, figure.key, figure.source])
    for cell in sheet[header]:
        cell.font = BOLD
    for row in sheet.iter_rows(max_row=6, max_col=1):
        row[0].font = BOLD
    for letter, width in zip("ABCDE", (40, 16, 8, 36, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def render(report: AnnualReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _summary(book, report)
    for grid in g.national_tables(report).values():
        title = f"{report.org_name} {report.year}年度 · {grid.title}"
        _sheet(book, SHEET_NAMES[grid.key], grid, title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
