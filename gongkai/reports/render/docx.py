"""A report as DOCX in the official layout (GB/T 9704 page, measures from the letters).

标题 2号 bold centred; 一级标题 in 黑体 (Noto Sans CJK SC); 正文 3号 in Noto Serif CJK SC, the
仿宋 stand-in, two characters indented; tables with borders and the national merged headers,
from the same ``grid`` as the HTML; charts as PNG (Word cannot hold SVG) with alt text;
落款 and date at the end. Every run names its East-Asian font (``w:eastAsia``) — without it
Word falls back to a Latin font for Chinese.
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.letters.render import (
    BODY_PT,
    FONTS,
    LINE_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    TEXT_WIDTH_MM,
    TITLE_LINE_PT,
    TITLE_PT,
    Fonts,
    _page_number_footer,
    _paragraph,
    _set_fonts,
    signature_indents,
)
from gongkai.reports.render import charts
from gongkai.reports.render.grid import Grid
from gongkai.reports.render.outline import CHART_MM, HEADING_FONT, TABLE_PT, date_text, outline
from gongkai.reports.tables import AnnualReport

TABLE_LINE_PT = 12
CELL_MARGIN_TWIPS = 45  # 0.8 mm

# Column widths in mm, summing to the 156 mm type area.
_T3_NUMBER_MM = (TEXT_WIDTH_MM - 13 - 13 - 45) / 7
WIDTHS_MM = {
    "t2": (53.0, *(3 * ((TEXT_WIDTH_MM - 53) / 3,))),
    "t3": (13.0, 13.0, 45.0, *(7 * (_T3_NUMBER_MM,))),
    "t4": tuple(15 * (TEXT_WIDTH_MM / 15,)),
    "figures": (100.0, 30.0, TEXT_WIDTH_MM - 130),
}


def _document(fonts: Fonts) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - 7 - 6)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(normal.element, fonts.body, fonts.body)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    # No automatic extra space between Chinese and digits: 2021年 is set solid in 公文.
    ppr = normal.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        flag = OxmlElement(name)
        flag.set(qn("w:val"), "0")
        ppr.insert_element_before(flag, "w:spacing", "w:ind", "w:jc", "w:rPr")
    _page_number_footer(section, fonts)
    return doc


def _table(doc, grid: Grid, fonts: Fonts) -> None:
    table = doc.add_table(rows=len(grid.rows), cols=grid.columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Narrow cell margins (0.8 mm): “（三）” must fit the 13 mm heading columns of table 三.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    widths = WIDTHS_MM.get(grid.key) or (TEXT_WIDTH_MM / grid.columns,) * grid.columns
    # ``table.cell()`` walks the whole table each call; take every cell once, before any
    # merge. Grid cells never overlap, so no merge touches a cell an earlier one removed.
    flat = table._cells
    at = [flat[r * grid.columns : (r + 1) * grid.columns] for r in range(len(grid.rows))]
    for i, column in enumerate(table.columns):
        column.width = Mm(widths[i])
        for row in at:
            row[i].width = Mm(widths[i])
    for index, row in enumerate(table.rows):
        if index < grid.header_rows:
            # Repeat the header on every page the table runs onto.
            flag = OxmlElement("w:tblHeader")
            row._tr.get_or_add_trPr().append(flag)
    for cell in grid.cells():
        target = at[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(at[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1])
        target.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        for paragraph in list(target.paragraphs):
            paragraph._p.getparent().remove(paragraph._p)
        align = (
            WD_ALIGN_PARAGRAPH.LEFT
            if cell.kind in ("label", "note", "section")
            else (WD_ALIGN_PARAGRAPH.CENTER)
        )
        _paragraph(
            target,
            cell.text,
            font=fonts.body,
            size=TABLE_PT,
            bold=cell.kind == "section",
            align=align,
            line_pt=TABLE_LINE_PT,
        )


def _chart(doc, chart: charts.Chart) -> None:
    doc.add_picture(io.BytesIO(charts.png(chart)), width=Mm(CHART_MM))
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.space_before = Pt(LINE_PT / 2)
    for properties in picture._p.xpath(".//wp:docPr"):
        properties.set("title", chart.title)
        properties.set("descr", chart.description())


def render(report: AnnualReport, *, fonts: Fonts = FONTS) -> bytes:
    doc = _document(fonts)
    _paragraph(
        doc,
        report.title,
        font=fonts.title,
        size=TITLE_PT,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=TITLE_LINE_PT,
    )
    space = LINE_PT  # one empty line under the title
    for text in report.preamble:
        _paragraph(
            doc,
            text,
            font=fonts.body,
            indent_chars=2,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            space_before_pt=space,
        )
        space = 0
    for part in outline(report):
        heading = _paragraph(
            doc, part.title, font=HEADING_FONT, indent_chars=2, space_before_pt=space
        )
        heading.paragraph_format.keep_with_next = True
        space = 0
        for text in part.paragraphs:
            _paragraph(doc, text, font=fonts.body, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        for grid in part.grids:
            _table(doc, grid, fonts)
            _paragraph(doc, "", font=fonts.body, line_pt=LINE_PT // 2)
        for chart in part.charts:
            _chart(doc, chart)

    # 落款: the issuer centred over the date, the date four characters from the right margin;
    # GB/T 9704 7.3.5: never alone on a page, so the last lines above stay with it.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    when = date_text(report)
    issuer = report.issuer.strip()
    issuer_em, date_em = signature_indents(issuer, when) if when else (0.0, 0.0)
    lines = [(issuer, issuer_em, 2 * LINE_PT)] if issuer else []
    if when:
        lines.append((when, date_em, 0 if issuer else 2 * LINE_PT))
    for text, indent, before in lines:
        line = _paragraph(
            doc,
            text,
            font=fonts.body,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            right_indent_em=indent,
            space_before_pt=before,
        )
        line.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
