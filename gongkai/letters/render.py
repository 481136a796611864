"""Letters to DOCX, PDF and HTML, laid out after GB/T 9704-2012 (党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt) bold
serif, centred; 文号 and body 3号 (16 pt), body lines ~29 pt apart (22 lines a page) with a
two-character first-line indent; issuer centred over the date, the date four characters from
the right margin; page numbers "— 1 —" in 4号 (14 pt).

Noto Serif CJK SC stands in for 方正小标宋 (title) and 仿宋 (body): it ships with Debian
(fonts-noto-cjk) and WeasyPrint embeds a subset of it in the PDF. The DOCX names the same
fonts; an office whose PCs have the official fonts can pass its own ``Fonts``.
"""

import html
import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from gongkai.letters.content import Letter

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26

TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
SMALL_PT = 14  # 4号: page numbers, table, 附注, 抄送
LINE_PT = 29  # 225 mm of type area / 22 lines
TITLE_LINE_PT = 35
DATE_RIGHT_EM = 4  # 成文日期右空四字
CHARS_PER_LINE = 28
# GB/T 9704 sets 28 characters in the 156 mm line; 16 pt characters need 158 mm, so they are
# drawn a little closer together. WeasyPrint justifies only at spaces, which Chinese text
# has none of: the character grid is what keeps most lines flush with the right margin.
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
TEXT_WIDTH_PT = TEXT_WIDTH_MM / 25.4 * 72
CELL_PT = math.floor(TEXT_WIDTH_PT / CHARS_PER_LINE * 100) / 100
SEAL_MM = 42  # diameter of a local government seal


@dataclass(frozen=True)
class Fonts:
    title: str = "Noto Serif CJK SC"
    body: str = "Noto Serif CJK SC"
    fallback: str = "Noto Sans CJK SC"


FONTS = Fonts()


# --- HTML (and PDF through WeasyPrint) ------------------------------------------------------


def _css(fonts: Fonts) -> str:
    body = f'"{fonts.body}", "{fonts.fallback}", serif'
    title = f'"{fonts.title}", "{fonts.fallback}", serif'
    return f"""
@page {{
  size: A4;
  margin: {MARGIN_TOP_MM}mm {MARGIN_RIGHT_MM}mm {MARGIN_BOTTOM_MM}mm {MARGIN_LEFT_MM}mm;
  @bottom-center {{
    content: "— " counter(page) " —";
    font-family: {body};
    font-size: {SMALL_PT}pt;
    letter-spacing: 0;
    white-space: nowrap;
    vertical-align: top;
    padding-top: 7mm;
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
.number {{ text-align: center; margin-bottom: {LINE_PT}pt; }}
.body {{ text-indent: {2 * CELL_PT:.2f}pt; text-align: justify; }}
table.items {{
  width: 100%; border-collapse: collapse; margin: {LINE_PT / 2}pt 0;
  break-before: avoid; break-inside: avoid;
  font-size: {SMALL_PT}pt; line-height: 22pt;
}}
table.items th, table.items td {{
  border: 0.75pt solid #000; padding: 3pt 8pt; vertical-align: middle; text-align: left;
}}
table.items th {{ width: 32%; font-weight: normal; text-align: center; }}
.signature {{
  position: relative; text-align: right; margin-top: {2 * LINE_PT}pt;
  /* GB/T 9704 7.3.5: no page may hold the seal and date without body text. */
  break-inside: avoid; break-before: avoid;
}}
.signature p {{ white-space: nowrap; }}
.seal {{
  position: absolute; width: {SEAL_MM}mm; height: {SEAL_MM}mm; opacity: 0.85;
  /* Centred on the date, a little above the middle of issuer and date (印章居中下压). */
  top: {LINE_PT * 0.85}pt; margin-top: -{SEAL_MM / 2}mm;
}}
.contact {{ font-size: {SMALL_PT}pt; text-indent: 2em; margin-top: {LINE_PT}pt; }}
.cc {{
  font-size: {SMALL_PT}pt; margin-top: {LINE_PT}pt; padding: 2pt 1em;
  border-top: 1pt solid #000; border-bottom: 1pt solid #000; break-inside: avoid;
}}
@media screen {{
  html {{ background: #e8e8e8; }}
  body {{
    box-sizing: border-box; width: {PAGE_WIDTH_MM}mm; min-height: {PAGE_HEIGHT_MM}mm;
    margin: 1em auto; background: #fff; box-shadow: 0 0 4px #999;
    padding: {MARGIN_TOP_MM}mm {MARGIN_RIGHT_MM}mm {MARGIN_BOTTOM_MM}mm {MARGIN_LEFT_MM}mm;
  }}
}}
"""


def _em_width(text: str) -> float:
    """Width in characters: full-width ones 1, others (Arabic digits, Latin) 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def signature_indents(issuer: str, when: str) -> tuple[float, float]:
    """Right indents, in characters, of the issuer and the date (GB/T 9704 7.3.5.1).

    The date stands four characters from the right margin; the issuer is centred over it,
    reaching further right when it is the longer of the two, but never past the margin.
    """
    centred = DATE_RIGHT_EM + (_em_width(when) - _em_width(issuer)) / 2
    return max(0.0, centred), float(DATE_RIGHT_EM)


def _seal_svg(text: str, fonts: Fonts) -> str:
    """A red seal outline: the text round the upper arc, a star in the middle."""
    chars = [c for c in text if not c.isspace()]
    count = len(chars)
    # The characters spread over up to 250° of the arc, 30° apart when there are few; long
    # names get smaller characters set closer to the ring, so that they never touch.
    span = min(250.0, 30.0 * max(count - 1, 0))
    step = math.radians(span / (count - 1)) if count > 1 else math.pi
    size = 27.0
    for _ in range(3):
        radius = 89 - 0.9 * size  # baseline; the tops of the characters stay inside the ring
        size = min(27.0, 0.85 * step * radius)
    glyphs = []
    for i, char in enumerate(chars):
        angle = -span / 2 + (span * i / (count - 1) if count > 1 else 0)
        glyphs.append(
            f'<text x="100" y="{100 - radius:.1f}" transform="rotate({angle:.2f} 100 100)">'
            f"{html.escape(char)}</text>"
        )
    points = []
    for k in range(10):  # a five-pointed star: outer and inner corners in turn
        r, a = (26 if k % 2 == 0 else 10), math.radians(36 * k)
        points.append(f"{100 + r * math.sin(a):.2f},{100 - r * math.cos(a):.2f}")
    return (
        '<svg class="seal" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">'
        '<circle cx="100" cy="100" r="95" fill="none" stroke="#d40000" stroke-width="5"/>'
        f'<polygon points="{" ".join(points)}" fill="#d40000"/>'
        f'<g fill="#d40000" font-family="{html.escape(fonts.body)}" font-weight="bold" '
        f'font-size="{size:.1f}" text-anchor="middle">{"".join(glyphs)}</g>'
        "</svg>"
    )


def render_html_text(letter: Letter, *, fonts: Fonts = FONTS, nonce: str = "") -> str:
    """The letter as one HTML document; every text value from the letter is escaped.

    All styling sits in one <style> element (no style attributes), so a page served under
    a strict Content-Security-Policy can allow it with ``nonce`` (django-csp:
    ``request.csp_nonce``).
    """
    e = html.escape
    issuer, when = letter.issuer.strip(), letter.date_text
    issuer_em, date_em = signature_indents(issuer, when)
    seal_right = (date_em + _em_width(when) / 2) * CELL_PT - SEAL_MM / 2 / 25.4 * 72
    css = _css(fonts) + (
        f".issuer {{ padding-right: {issuer_em * CELL_PT:.1f}pt; }}\n"
        f".date {{ padding-right: {date_em * CELL_PT:.1f}pt; }}\n"
        f".seal {{ right: {seal_right:.1f}pt; }}\n"
    )
    nonce_attr = f' nonce="{e(nonce)}"' if nonce else ""
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n',
        f"<title>{e(' '.join(letter.title_lines))}</title>\n",
        f'<meta name="author" content="{e(issuer)}">\n',
        f"<style{nonce_attr}>{css}</style>\n",
        "</head>\n<body>\n<article>\n",
        f"<h1>{'<br>'.join(e(line) for line in letter.title_lines)}</h1>\n",
    ]
    if letter.number.strip():
        parts.append(f'<p class="number">{e(letter.number.strip())}</p>\n')
    parts.append(f'<p class="addressee">{e(letter.salutation)}</p>\n')
    parts.extend(f'<p class="body">{e(block)}</p>\n' for block in letter.blocks)
    if letter.items:
        rows = "".join(
            f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in letter.items
        )
        parts.append(f'<table class="items">{rows}</table>\n')
    seal = _seal_svg(letter.seal, fonts) if letter.seal else ""
    parts.append(
        f'<div class="signature"><p class="issuer">{e(issuer)}</p>'
        f'<p class="date">{e(when)}</p>{seal}</div>\n'
    )
    if letter.contact_note:
        parts.append(f'<p class="contact">{e(letter.contact_note)}</p>\n')
    if letter.cc_line:
        parts.append(f'<p class="cc">{e(letter.cc_line)}</p>\n')
    parts.append("</article>\n</body>\n</html>\n")
    return "".join(parts)


def render_html(letter: Letter) -> bytes:
    return render_html_text(letter).encode()


def render_pdf(letter: Letter, *, fonts: Fonts = FONTS) -> bytes:
    # Imported here: WeasyPrint loads pango and fontconfig, which DOCX and HTML never need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The document refers to nothing outside itself; refuse file: and http: all the same.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=render_html_text(letter, fonts=fonts), url_fetcher=fetcher)
    return document.write_pdf()


# --- DOCX -----------------------------------------------------------------------------------


def _set_fonts(element, latin: str, east_asian: str) -> None:
    """Name the fonts of a run or style, East-Asian included (Word ignores it otherwise)."""
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(
    doc_or_cell,
    text: str,
    *,
    font: str,
    size: int = BODY_PT,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    indent_chars: int = 0,
    right_indent_em: float = 0,
    line_pt: int = LINE_PT,
    space_before_pt: float = 0,
) -> Paragraph:
    paragraph = doc_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = Pt(space_before_pt)
    fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = Pt(indent_chars * size)
        # Word measures firstLineChars in hundredths of a character, so the indent follows
        # the font size if the office changes it.
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(
            qn("w:firstLineChars"), str(indent_chars * 100)
        )
    if right_indent_em:
        fmt.right_indent = Pt(right_indent_em * size)
    if text:
        _run(paragraph, text, font=font, size=size, bold=bold)
    return paragraph


def _run(paragraph: Paragraph, text: str, *, font: str, size: int, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_fonts(run._r, font, font)
    return run


def _page_number_footer(section, fonts: Fonts) -> None:
    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", font=fonts.body, size=SMALL_PT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    number = OxmlElement("w:r")
    field.append(number)
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    number.append(placeholder)
    # Give the field's run the same look as the dashes.
    run = Run(number, paragraph)
    run.font.size = Pt(SMALL_PT)
    _set_fonts(number, fonts.body, fonts.body)
    _run(paragraph, " —", font=fonts.body, size=SMALL_PT)


def render_docx(letter: Letter, *, fonts: Fonts = FONTS) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    # The number's top edge sits 7 mm under the type area, as in GB/T 9704.
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - 7 - 6)
    section.header_distance = Mm(15)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(normal.element, fonts.body, fonts.body)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    # No automatic extra space between Chinese and Latin letters or digits: 2026年3月2日
    # is set solid in 公文.
    ppr = normal.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        flag = OxmlElement(name)
        flag.set(qn("w:val"), "0")
        ppr.insert_element_before(flag, "w:spacing", "w:ind", "w:jc", "w:rPr")

    for line in letter.title_lines:
        _paragraph(
            doc,
            line,
            font=fonts.title,
            size=TITLE_PT,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=TITLE_LINE_PT,
        )
    if letter.number.strip():
        _paragraph(
            doc,
            letter.number.strip(),
            font=fonts.body,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_before_pt=LINE_PT,
        )
    _paragraph(doc, letter.salutation, font=fonts.body, space_before_pt=LINE_PT)
    # GB/T 9704 7.3.5: no page may hold the issuer and date without body text, so the end
    # of the body, the table and the issuer are kept on one page.
    tail = []
    for block in letter.blocks:
        tail = [
            _paragraph(
                doc, block, font=fonts.body, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY
            )
        ]

    if letter.items:
        tail.append(_paragraph(doc, "", font=fonts.body, line_pt=LINE_PT // 2))
        table = doc.add_table(rows=0, cols=2)
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Mm(48), Mm(TEXT_WIDTH_MM - 48))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for label, value in letter.items:
            cells = table.add_row().cells
            for cell, width, text, align in (
                (cells[0], widths[0], label, WD_ALIGN_PARAGRAPH.CENTER),
                (cells[1], widths[1], value, WD_ALIGN_PARAGRAPH.LEFT),
            ):
                cell.width = width
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                tail.append(
                    _paragraph(cell, text, font=fonts.body, size=SMALL_PT, align=align, line_pt=22)
                )

    # Issuer centred over the date, the date four characters from the right margin.
    issuer, when = letter.issuer.strip(), letter.date_text
    issuer_em, date_em = signature_indents(issuer, when)
    for text, indent, space_before in ((issuer, issuer_em, 2 * LINE_PT), (when, date_em, 0)):
        tail.append(
            _paragraph(
                doc,
                text,
                font=fonts.body,
                align=WD_ALIGN_PARAGRAPH.RIGHT,
                right_indent_em=indent,
                space_before_pt=space_before,
            )
        )
    for paragraph in tail[:-1]:
        paragraph.paragraph_format.keep_with_next = True

    if letter.contact_note:
        _paragraph(
            doc,
            letter.contact_note,
            font=fonts.body,
            size=SMALL_PT,
            indent_chars=2,
            space_before_pt=LINE_PT,
        )
    if letter.cc_line:
        cc = _paragraph(
            doc, letter.cc_line, font=fonts.body, size=SMALL_PT, space_before_pt=LINE_PT
        )
        cc.paragraph_format.left_indent = Pt(SMALL_PT)
        _borders(cc, ("top", "bottom"))

    _page_number_footer(section, fonts)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _borders(paragraph: Paragraph, sides: tuple[str, ...]) -> None:
    """版记 rules: a line above and below 抄送."""
    pbdr = OxmlElement("w:pBdr")
    for side in sides:
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "8")  # eighths of a point
        border.set(qn("w:space"), "1")
        border.set(qn("w:color"), "000000")
        pbdr.append(border)
    # pPr children have a fixed order in the schema; Word rejects a misplaced pBdr.
    paragraph._p.get_or_add_pPr().insert_element_before(
        pbdr, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


# format → (render(letter) -> bytes, content type, file extension)
RENDERERS: dict[str, tuple[Callable[[Letter], bytes], str, str]] = {
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "pdf": (render_pdf, "application/pdf", ".pdf"),
    "html": (render_html, "text/html; charset=utf-8", ".html"),
}
