import io
import shutil
import subprocess
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from gongkai.letters.content import Letter
from gongkai.letters.render import (
    RENDERERS,
    render_docx,
    render_html,
    render_html_text,
    render_pdf,
)

REPLY = Letter(
    title="绵阳市国土资源局\n政府信息公开申请答复书",
    number="绵国土公复〔2026〕12号",
    addressee="张三",
    paragraphs=(
        "本机关于2026年3月2日收到你（单位）提出的政府信息公开申请（申请编号：YSQ2026000123），"
        "申请获取“2025年涪城区集体土地征收补偿安置方案及批复文件”。经审查，现答复如下：",
        "你（单位）所申请的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（二）项的规定，本机关予以公开，获取方式如下：",
        "现随本答复书一并提供《绵阳市人民政府关于涪城区2025年第3批次集体土地征收补偿安置方案的"
        "批复》复印件1份（共6页）。",
        "如不服本答复，可以自收到本答复书之日起60日内向绵阳市人民政府申请行政复议，"
        "或者在6个月内依法向绵阳市涪城区人民法院提起行政诉讼。",
    ),
    items=(("申请编号", "YSQ2026000123"), ("收到申请日期", "2026年3月2日")),
    issuer="绵阳市国土资源局",
    issued_on=date(2026, 3, 20),
    contact="联系人：李四，电话：0816-2345678",
    cc="绵阳市人民政府办公室",
)


def first_positions(text: str, needles: list[str]) -> list[str]:
    """The needles found in text, ordered by where each first occurs."""
    found = [n for n in needles if n in text]
    return sorted(found, key=text.index)


# --- RENDERERS ----------------------------------------------------------------------------


def test_renderers_name_content_type_and_extension():
    assert {name: (ct, ext) for name, (_, ct, ext) in RENDERERS.items()} == {
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        "pdf": ("application/pdf", ".pdf"),
        "html": ("text/html; charset=utf-8", ".html"),
    }


# --- DOCX ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(render_docx(REPLY)))


def test_render_docx_writes_every_part_in_order(document):
    assert [p.text for p in document.paragraphs] == [
        "绵阳市国土资源局",
        "政府信息公开申请答复书",
        "绵国土公复〔2026〕12号",
        "张三：",
        *REPLY.paragraphs,
        "",  # space above the table
        "绵阳市国土资源局",
        "2026年3月20日",
        "（联系人：李四，电话：0816-2345678）",
        "抄送：绵阳市人民政府办公室。",
    ]


def test_render_docx_puts_items_in_a_two_column_table(document):
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == [
        ["申请编号", "YSQ2026000123"],
        ["收到申请日期", "2026年3月2日"],
    ]


def test_render_docx_sets_the_east_asian_font_on_every_run(document):
    section = document.sections[0]
    paragraphs = [
        *document.paragraphs,
        *(p for row in document.tables[0].rows for cell in row.cells for p in cell.paragraphs),
        *section.footer.paragraphs,
    ]
    runs = [r for p in paragraphs for r in p._p.iter(qn("w:r"))]

    assert {r.rPr.rFonts.get(qn("w:eastAsia")) for r in runs} == {"Noto Serif CJK SC"}


def test_render_docx_sets_the_east_asian_font_on_the_normal_style(document):
    rfonts = document.styles["Normal"].element.rPr.rFonts

    assert rfonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"


def test_render_docx_uses_a4_and_the_gb_t_9704_margins(document):
    s = document.sections[0]

    sizes = (s.page_width, s.page_height, s.top_margin, s.bottom_margin)
    sides = (s.left_margin, s.right_margin)
    assert tuple(round(x.mm, 1) for x in (*sizes, *sides)) == (210, 297, 37, 35, 28, 26)


def test_render_docx_sets_title_in_bold_22pt_centred(document):
    title = document.paragraphs[0]

    assert (title.alignment, title.runs[0].bold, title.runs[0].font.size.pt) == (
        WD_ALIGN_PARAGRAPH.CENTER,
        True,
        22,
    )


def test_render_docx_sets_body_in_16pt_indented_two_characters_on_29pt_lines(document):
    body = document.paragraphs[4]
    fmt = body.paragraph_format

    assert (
        body.runs[0].font.size.pt,
        fmt.first_line_indent.pt,
        fmt.line_spacing.pt,
        fmt._element.pPr.ind.get(qn("w:firstLineChars")),
    ) == (16, 32, 29, "200")


def test_render_docx_sets_the_addressee_flush_left(document):
    assert document.paragraphs[3].paragraph_format.first_line_indent is None


def test_render_docx_centres_the_issuer_over_the_date_four_characters_from_the_right(document):
    issuer, when = document.paragraphs[-4], document.paragraphs[-3]

    # 绵阳市国土资源局 is 8 characters, 2026年3月20日 6.5: the issuer reaches 0.75 further right.
    assert [(p.alignment, p.paragraph_format.right_indent.pt) for p in (issuer, when)] == [
        (WD_ALIGN_PARAGRAPH.RIGHT, 52),
        (WD_ALIGN_PARAGRAPH.RIGHT, 64),
    ]


def test_render_docx_keeps_the_last_paragraph_table_and_issuer_with_the_date(document):
    keep = [p.paragraph_format.keep_with_next for p in document.paragraphs]
    in_table = [
        p.paragraph_format.keep_with_next
        for row in document.tables[0].rows
        for cell in row.cells
        for p in cell.paragraphs
    ]

    assert (keep[6:11], in_table) == ([None, True, True, True, None], [True] * 4)


def test_render_docx_numbers_pages_with_dashes(document):
    footer = document.sections[0].footer.paragraphs[0]

    assert (
        footer.alignment,
        [r.text for r in footer.runs],
        footer._p.xpath("./w:fldSimple/@w:instr"),
    ) == (WD_ALIGN_PARAGRAPH.CENTER, ["— ", " —"], ["PAGE"])


# --- PDF ----------------------------------------------------------------------------------


def poppler(*args: str) -> str:
    assert shutil.which(args[0]), f"{args[0]} is missing: apt-get install poppler-utils"
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("letters") / "reply.pdf"
    path.write_bytes(render_pdf(REPLY))
    return path


def test_render_pdf_writes_a_pdf(pdf_path):
    assert pdf_path.read_bytes()[:5] == b"%PDF-"


def test_render_pdf_text_has_title_number_body_issuer_and_date_in_order(pdf_path):
    text = "".join(poppler("pdftotext", str(pdf_path), "-").split())
    needles = [
        "绵阳市国土资源局",
        "政府信息公开申请答复书",
        "绵国土公复〔2026〕12号",
        "张三：",
        "经审查，现答复如下：",
        "提起行政诉讼。",
        "收到申请日期",
        "绵阳市国土资源局2026年3月20日",
        "（联系人：李四，电话：0816-2345678）",
        "抄送：绵阳市人民政府办公室。",
    ]

    assert first_positions(text, needles) == needles


def test_render_pdf_embeds_the_cjk_fonts(pdf_path):
    # Without a CJK font WeasyPrint draws empty boxes while pdftotext still reads the text:
    # only the embedded fonts tell the two apart.
    rows = poppler("pdffonts", str(pdf_path)).splitlines()[2:]
    fonts = {row.split()[0].split("+", 1)[-1] for row in rows}

    assert fonts == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}


def test_render_pdf_numbers_pages_with_dashes(pdf_path):
    pages = poppler("pdftotext", str(pdf_path), "-").split("\f")[:-1]

    assert [page.strip().splitlines()[-1] for page in pages] == ["—1—", "—2—"][: len(pages)]


def test_render_pdf_never_leaves_issuer_and_date_alone_on_a_page(pdf_path):
    # This letter's body fills the first page: GB/T 9704 7.3.5 forbids a last page with
    # only the signature, so the last paragraph must come over with it.
    pages = poppler("pdftotext", str(pdf_path), "-").split("\f")[:-1]
    last = "".join(pages[-1].split())

    assert (len(pages), "2026年3月20日" in last, "提起行政诉讼" in last) == (2, True, True)


# --- HTML ---------------------------------------------------------------------------------


def test_render_html_escapes_every_text_value():
    evil = "<script>alert(1)</script>"
    letter = Letter(
        title=evil,
        number=evil,
        addressee=evil,
        paragraphs=(evil,),
        items=((evil, evil),),
        issuer=evil,
        issued_on=date(2026, 3, 20),
        seal_text=evil,
        contact=evil,
        cc=evil,
    )

    page = render_html(letter).decode()

    # Title and issuer appear twice (<title>/<h1>, <meta name="author">/signature), the table
    # row has two cells; the seal draws its text one character at a time, escaped too.
    assert (page.count("<script"), page.count("&lt;script&gt;alert(1)&lt;/script&gt;")) == (0, 11)


def test_render_html_is_a_complete_chinese_document():
    page = render_html(REPLY).decode()

    assert (
        page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">'),
        "<title>绵阳市国土资源局 政府信息公开申请答复书</title>" in page,
        '<p class="addressee">张三：</p>' in page,
    ) == (True, True, True)


def test_render_html_keeps_all_styling_in_one_style_element_for_csp():
    page = render_html_text(REPLY, nonce="r4nd0m")

    assert (page.count("<style"), page.count('<style nonce="r4nd0m">'), page.count("style=")) == (
        1,
        1,
        0,
    )
