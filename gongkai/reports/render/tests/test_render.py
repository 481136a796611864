"""Each format from one hand-made report, read back and compared cell by cell with the input."""

import io
import re
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from gongkai.reports import serialize
from gongkai.reports.render import RENDERERS, docx, grid, html, json, pdf, xlsx
from gongkai.reports.render.tests.samples import report_2021, report_legacy
from gongkai.reports.tables import (
    T3_COLUMNS,
    T3_NOTE,
    T4_COLUMNS,
    T4_GROUPS,
    Finding,
    Style,
    Tables,
    t3_rows,
)

T3_LABELS = [label for _, label, _, _ in t3_rows(Style.F2021)]
T3_DATA_ROWS = [(key, label) for key, label, _, numbers in t3_rows(Style.F2021) if numbers]
COLUMNS = [key for key, _ in T3_COLUMNS]


def expected_t3(report) -> dict[str, list[int]]:
    """label → the 7 numbers of that row, as the report holds them."""
    return {label: [report.tables.t3[key][col] for col in COLUMNS] for key, label in T3_DATA_ROWS}


class Cells(HTMLParser):
    """Collects the text of every ``data-cell`` and the first header cell of each table."""

    def __init__(self):
        super().__init__()
        self.cells, self.first_th, self._key, self._table = {}, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("data-table")
        elif tag == "th" and self._table not in self.first_th:
            self.first_th[self._table] = attrs | {"text": ""}
            self._key = ("th", self._table)
        elif tag == "td" and "data-cell" in attrs:
            self._key = ("td", attrs["data-cell"])
            self.cells[attrs["data-cell"]] = ""

    def handle_data(self, data):
        if self._key and self._key[0] == "td":
            self.cells[self._key[1]] += data
        elif self._key:
            self.first_th[self._key[1]]["text"] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._key = None


def parse(text: str) -> Cells:
    parser = Cells()
    parser.feed(text)
    return parser


# --- the registry ---------------------------------------------------------------------------


def test_renderers_cover_every_format_with_type_and_extension():
    assert {fmt: (ctype, ext) for fmt, (_, ctype, ext) in RENDERERS.items()} == {
        "json": ("application/json", ".json"),
        "html": ("text/html; charset=utf-8", ".html"),
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        "pdf": ("application/pdf", ".pdf"),
    }


# --- HTML -----------------------------------------------------------------------------------


def test_html_prints_every_table_three_label_verbatim_and_every_number():
    report = report_2021()

    text = html.render(report).decode()

    for label in T3_LABELS:
        assert f">{label}</th>" in text
    cells = parse(text).cells
    for key, _ in T3_DATA_ROWS:
        for col in COLUMNS:
            assert cells[f"{key}:{col}"] == str(report.tables.t3[key][col])
    assert cells["三(七):total"] == "13"
    assert cells["三(三)1:person"] == "0"  # zeros printed as 0, never blank


def test_html_puts_the_balance_note_in_the_merged_top_left_cell():
    tables = parse(html.render(report_2021()).decode()).first_th

    assert tables["t3"] == {"rowspan": "3", "colspan": "3", "class": "note", "scope": "col"} | {
        "text": T3_NOTE
    }


def test_html_merges_headings_over_their_items_as_the_national_table_does():
    text = html.render(report_2021()).decode()

    assert '<th rowspan="22" class="label level-0" scope="row">三、本年度办理结果</th>' in text
    assert '<th rowspan="8" class="label level-1" scope="row">（三）不予公开</th>' in text
    assert '<th colspan="2" class="label level-1" scope="row">（七）总计</th>' in text
    assert '<th colspan="3" class="label level-0" scope="row">四、结转下年度继续办理</th>' in text


def test_html_tables_two_and_four_hold_their_numbers():
    cells = parse(html.render(report_2021()).decode()).cells

    assert cells["normative:in_force"] == "27"
    assert cells["fees:amount"] == "12.3456"
    assert cells["reconsideration:total"] == "2"
    assert cells["after:total"] == "0"


def test_html_shows_a_missing_cell_as_missing_never_as_zero():
    report = report_2021()
    report.tables.t3["二"]["research"] = None

    cells = parse(html.render(report).decode()).cells

    assert cells["二:research"] == grid.MISSING


def test_html_escapes_the_text_of_the_report():
    report = report_2021(title="<script>alert(1)</script>年度报告")

    text = html.render(report).decode()

    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_html_draws_the_charts_after_table_three():
    text = html.render(report_2021()).decode()

    section = text.split("<h2>三、收到和处理政府信息公开申请情况</h2>")[1].split("<h2>")[0]
    assert [m for m in re.findall(r'data-chart="(\w+)"', section)] == [
        "channels",
        "outcomes",
        "trend",
    ]


def test_html_of_the_2019_trial_format_prints_other_handling_as_one_row():
    report = report_2021(style=Style.F2019)
    report.tables = Tables(style=Style.F2019, t3={"三(六)": {"total": 1}})

    text = html.render(report).decode()

    assert '<th colspan="2" class="label level-1" scope="row">（六）其他处理</th>' in text
    assert "3.其他" not in text
    assert ">本年新制作数量</th>" in text  # RPT-13 table 二


# --- DOCX -----------------------------------------------------------------------------------


def docx_table_three(doc) -> dict[str, list[int]]:
    table = doc.tables[1]
    rows = {}
    for row in table.rows[3:]:
        cells = row.cells  # merged cells repeat: the label is always in the third column
        rows[cells[2].text] = [int(c.text) for c in cells[3:]]
    return rows


def test_docx_table_three_cells_equal_the_input():
    report = report_2021()

    doc = Document(io.BytesIO(docx.render(report)))

    assert docx_table_three(doc) == expected_t3(report)
    assert doc.tables[1].rows[0].cells[0].text == T3_NOTE
    assert doc.tables[1].rows[0].cells[2].text == T3_NOTE  # merged over three columns


def test_docx_tables_two_and_four_hold_their_numbers():
    doc = Document(io.BytesIO(docx.render(report_2021())))

    t2 = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in doc.tables[0].rows}
    t4 = [c.text for c in doc.tables[2].rows[3].cells]
    assert t2["行政规范性文件"] == ["4", "1", "27"]
    assert t2["行政事业性收费"] == ["12.3456"] * 3  # one cell merged over three columns
    assert t4 == ["1", "0", "0", "1", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]
    assert [c.text for c in doc.tables[2].rows[2].cells][5:10] == [label for _, label in T4_COLUMNS]


def test_docx_names_the_east_asian_font_of_every_run():
    doc = Document(io.BytesIO(docx.render(report_2021())))

    runs = doc.element.body.iter(qn("w:r"))
    fonts = {
        r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for r in runs
        if r.find(qn("w:t")) is not None
    }
    normal = doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
    assert fonts == {"Noto Serif CJK SC", "Noto Sans CJK SC"}
    assert normal == "Noto Serif CJK SC"


def test_docx_sets_title_body_and_signature_in_the_official_layout():
    doc = Document(io.BytesIO(docx.render(report_2021())))

    title, *rest = [p for p in doc.paragraphs if p.text]
    assert title.text == "绵阳市自然资源和规划局2021年政府信息公开工作年度报告"
    assert (title.runs[0].font.size.pt, title.runs[0].font.bold, title.alignment) == (22, True, 1)
    assert rest[0].runs[0].font.size.pt == 16
    assert [p.text for p in rest[-2:]] == ["绵阳市自然资源和规划局", "2022年1月20日"]


def test_docx_embeds_the_charts_as_pictures_with_alt_text():
    doc = Document(io.BytesIO(docx.render(report_2021())))

    described = [p.get("descr") for p in doc.element.body.iter(qn("wp:docPr"))]
    assert len(doc.inline_shapes) == 3
    assert described[0] == "当面申请：6件；网络申请：5件；信函申请：2件"


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_table_three_sheet_holds_the_numbers_as_numbers():
    report = report_2021()

    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))

    sheet = book["表三"]
    rows = {}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        label = [v for v in row[:3] if v][-1]  # merged headings leave the cells left of it empty
        rows[label] = list(row[3:10])
    assert rows == expected_t3(report)
    assert all(type(v) is int for values in rows.values() for v in values)
    assert sheet["A2"].value == T3_NOTE
    assert sheet["D5"].value == 10  # 一、本年新收 · 自然人, the same address in every report
    assert {"A2:C4", "D2:J2", "A7:A28"} <= {str(r) for r in sheet.merged_cells.ranges}


def test_xlsx_has_one_sheet_per_table_and_a_summary():
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report_2021())))

    assert book.sheetnames == ["概要", "表二", "表三", "表四"]
    assert [c.value for c in book["表四"][5]] == [
        1, 0, 0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0
    ]  # fmt: skip
    assert book["表四"]["A2"].value == dict(T4_GROUPS)["reconsideration"]
    assert book["表二"]["B15"].value == 12.3456


def test_xlsx_leaves_a_missing_cell_empty():
    report = report_2021()
    report.tables.t3["一"]["person"] = None

    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))

    assert book["表三"]["D5"].value is None


# --- PDF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_2021(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf.render(report_2021()))
    return path


def test_pdf_is_a_pdf_whose_text_has_the_title_and_the_labels(pdf_2021):
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_2021), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert pdf_2021.read_bytes().startswith(b"%PDF")
    assert "绵阳市自然资源和规划局2021年政府信息公开" in text
    assert "4.保护第三方合法权益" in text
    assert "历年收到政府信息公开申请数量" in text  # chart text


def test_pdf_embeds_the_noto_cjk_fonts(pdf_2021):
    # Without a CJK font the page shows empty boxes while pdftotext still reads the text.
    fonts = subprocess.run(
        ["pdffonts", str(pdf_2021)], capture_output=True, text=True, check=True
    ).stdout

    assert "Noto-Serif-CJK-SC" in fonts
    assert "Noto-Sans-CJK-SC" in fonts


# --- JSON -----------------------------------------------------------------------------------


def test_json_reads_back_into_the_same_report():
    report = report_2021()

    text = json.render(report).decode()

    assert serialize.loads(text) == report
    assert "一、本年新收" not in text  # keys, not labels
    assert '"org_name": "绵阳市自然资源和规划局"' in text  # ensure_ascii=False
    assert '"amount": "12.3456"' in text


# --- Legacy ---------------------------------------------------------------------------------


def test_legacy_html_lists_its_sections_and_figures():
    report = report_legacy()

    text = html.render(report).decode()

    for section in report.sections:
        assert f"<h2>{section.title}</h2>" in text
    assert "<h2>统计数据</h2>" in text
    cells = parse(text).cells
    assert cells["proactive.total"] == "327899"
    assert cells["applications.channel.in_person"] == "272"
    assert 'data-table="t3"' not in text


def test_legacy_channel_chart_shows_the_seed_shares():
    svg = html.render(report_legacy()).decode()

    for share in ("59.6%", "26.8%", "12.9%", "0.7%"):
        assert share in svg


def test_legacy_docx_and_xlsx_list_the_figures():
    report = report_legacy()

    doc = Document(io.BytesIO(docx.render(report)))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))

    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["项目", "数值", "单位"]
    assert ["主动公开政府信息数", "327899", "条"] in rows
    assert book.sheetnames == ["概要"]
    figures = {row[3]: row[1] for row in book["概要"].iter_rows(min_row=9, values_only=True)}
    assert figures["applications.channel.fax"] == 3
    assert figures["fees.total"] == Decimal("0")


@pytest.mark.parametrize(
    ("finding", "text"),
    (
        (Finding("RPT-19", "error", "", table="表二", row="fees", column="amount"),
         "表二 · 行政事业性收费 · 本年收费金额（单位：万元）"),
        (Finding("RPT-19", "error", "", table="表三", row="三(三)1", column="person"),
         "表三 · 1.属于国家秘密 · 自然人"),
        (Finding("RPT-15", "error", "", table="表三", row="一、本年新收政府信息公开申请数量", column="总计"),
         "表三 · 一、本年新收政府信息公开申请数量 · 总计"),
        (Finding("RPT-18", "error", "", table="表四", row="direct", column="total"),
         "表四 · 行政诉讼·未经复议直接起诉 · 总计"),
        (Finding("RPT-11", "warning", "", row="一、总体情况"), "一、总体情况"),
    ),
)  # fmt: skip
def test_where_names_cells_by_their_labels(finding, text):
    assert grid.where(finding) == text
