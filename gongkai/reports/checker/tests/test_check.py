"""Whole reports: every format of the clean synthetic report, and each real-world defect."""

from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.reports.checker.check import check_document, check_file
from gongkai.reports.checker.extract import extract
from gongkai.reports.checker.readers import read_html, read_text
from gongkai.reports.checker.tests import synthetic
from gongkai.reports.tables import Finding, Style

SAMPLES = Path(__file__).parent / "samples"
PDFTOTEXT = (SAMPLES / "2021_pdftotext.txt").read_text(encoding="utf-8")
HTML = (SAMPLES / "2021.html").read_text(encoding="utf-8")

T2 = {
    "rules": {"made": 2, "repealed": 1, "in_force": 35},
    "normative": {"made": 18, "repealed": 6, "in_force": 142},
    "licensing": {"decisions": 1236},
    "penalty": {"decisions": 356},
    "coercion": {"decisions": 41},
    "fees": {"amount": Decimal("152.36")},
}
T4 = {
    "reconsideration": {"maintained": 3, "corrected": 1, "other": 0, "pending": 2, "total": 6},
    "direct": {"maintained": 2, "corrected": 1, "other": 1, "pending": 0, "total": 4},
    "after": {"maintained": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
}


def t3_rows(tables) -> dict[str, tuple]:
    return {key: tuple(cells.values()) for key, cells in tables.t3.items()}


@pytest.fixture
def sample(tmp_path):
    """The path of a rendering of the synthetic 2021 report; DOCX and XLSX built here."""

    def path(name: str) -> Path:
        if name == "docx":
            (tmp_path / "r.docx").write_bytes(synthetic.report_docx())
            return tmp_path / "r.docx"
        if name == "xlsx":
            (tmp_path / "r.xlsx").write_bytes(synthetic.report_xlsx())
            return tmp_path / "r.xlsx"
        return SAMPLES / name

    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    (("2021_pdftotext.txt", "text"), ("2021.html", "html"), ("docx", "docx"), ("xlsx", "xlsx")),
)
def test_check_file_reads_a_clean_2021_report_in_every_format(sample, name, kind):
    result = check_file(sample(name))

    assert (result.kind, result.style, result.findings) == (kind, Style.F2021, [])
    assert t3_rows(result.tables) == synthetic.T3
    assert (result.tables.t2, result.tables.t4) == (T2, T4)


def test_check_file_reads_a_2019_trial_report_copied_from_a_web_page():
    result = check_file(SAMPLES / "2020_trial_webcopy.txt")

    assert (result.style, result.tables.style, result.findings) == (Style.F2019, Style.F2019, [])
    assert t3_rows(result.tables) == synthetic.TRIAL_T3
    assert result.tables.t2 == {
        "rules": {"made": 1, "published": 1, "total": 33},
        "normative": {"made": 15, "published": 15, "total": 130},
        "licensing": {"previous": 152, "decisions": 1108},  # 本年增/减 not kept: may be < 0
        "other_services": {"previous": 40, "decisions": 265},
        "penalty": {"previous": 1320, "decisions": 298},
        "coercion": {"previous": 36, "decisions": 37},
        "fees": {"previous": 28},
        "procurement": {"projects": 86, "amount": Decimal("3265.4")},
    }


def test_extract_follows_table_three_across_a_page_break():
    """pdftotext prints 三(六)2's numbers above the page footer and its label below the
    repeated header of the next page."""
    doc = read_text(PDFTOTEXT)

    ex = extract(doc)

    pages = {row.page for row in doc.rows if row.labels[-1:] == ["（七）总计"]}
    assert pages == {2}
    assert [row.where for row in doc.rows if row.text.strip() == "—2—"] == ["第136行"]
    assert (
        ex.printed["表三", "三(六)2"]
        == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    assert ex.tables.t3["三(六)2"]["total"] == 1
    assert t3_rows(ex.tables) == synthetic.T3


def _warning(rule, message, row, column, stated, quote, expected="0"):
    return Finding(rule, "warning", message, "表三", row, column, stated, expected, quote)


SECRET = "1.属于国家秘密"
SECRET_ROW = "1.属于国家秘密         1       0    0     0     0   0    1"


@pytest.mark.parametrize(
    ("old", "new", "findings"),
    (
        ("268      31   2", "２６８      ３１   ２", []),  # full-width digits
        ("1236", "1,236", []),  # thousands separator
        ("1236", "1，236", []),  # full-width comma
        ("1.属于国家秘密", "1、属于国家秘密", []),  # 、 for .
        ("（三）不       4.保护", "（三）不 4.保护", []),  # two columns one space apart
        (
            "         一、本年新收政府信息公开申请数量              268",
            "         一、本年新收政府信息公开申\n                                              268",
            [],  # the first row's label wrapped around its numbers
        ),
        (
            SECRET_ROW,
            "1.属于国家秘密         1       —    /     0     0   0    1",
            [
                _warning(
                    "RPT-19",
                    "单元格为“—”，按0计；应填0",
                    SECRET,
                    "商业企业",
                    "—",
                    "第96行：1.属于国家秘密 1 — / 0 0 0 1",
                ),
                _warning(
                    "RPT-19",
                    "单元格为“/”，按0计；应填0",
                    SECRET,
                    "科研机构",
                    "/",
                    "第96行：1.属于国家秘密 1 — / 0 0 0 1",
                ),
            ],
        ),
        (
            SECRET_ROW,
            "1.属于国家秘密         1            0     0     0   0    1",  # a gap in pdftotext
            [
                _warning(
                    "RPT-19",
                    "单元格为空白，按0计；应填0",
                    SECRET,
                    "商业企业",
                    "空白",
                    "第96行：1.属于国家秘密 1 0 0 0 0 1",
                )
            ],
        ),
        (
            SECRET_ROW,
            "1.属于国家秘密         1       0    0     0     0        1",
            [
                _warning(
                    "RPT-19",
                    "单元格为空白，按0计；应填0",
                    SECRET,
                    "其他",
                    "空白",
                    "第96行：1.属于国家秘密 1 0 0 0 0 1",
                )
            ],
        ),
        (
            "1.属于国家秘密",
            "1.属于国家泌密",  # a typo: matched, recorded, and named
            [
                Finding(
                    "RPT-9",
                    "warning",
                    "行标签与国家格式的文字不一致，按最接近的标准行读取",
                    "表三",
                    SECRET,
                    stated="1.属于国家泌密",
                    expected=SECRET,
                    quote="第96行：1.属于国家泌密 1 0 0 0 0 0 1",
                )
            ],
        ),
        (
            "三、收到和处理政府信息公开申请情况\n",
            "",
            [Finding("RPT-6", "warning", "缺少章节标题“三、收到和处理政府信息公开申请情况”")],
        ),
        (
            "46      5",
            "46      S",  # a cell that cannot be read: named, never 0
            [
                Finding(
                    "RPT-19",
                    "error",
                    "单元格无法读取（不按0处理）",
                    "表三",
                    "1.本机关不掌握相关政府信息",
                    "商业企业",
                    stated="S",
                    quote="第111行：1.本机关不掌握相关政府信息 46 S 1 0 2 0 54",
                )
            ],
        ),
        (
            "                    7.属于行政执法案卷          6       0    0     0     0   0   6\n",
            "",
            [
                Finding(
                    "RPT-9",
                    "error",
                    "表三缺少“7.属于行政执法案卷”一行",
                    "表三",
                    "7.属于行政执法案卷",
                )
            ],
        ),
    ),
)
def test_check_document_handles_real_world_defects_of_pdftotext_layout(old, new, findings):
    assert PDFTOTEXT.count(old) == 1
    doc = read_text(PDFTOTEXT.replace(old, new))

    result = check_document(doc)

    assert (result.style, result.findings) == (Style.F2021, findings)


def test_check_document_reads_defects_of_an_html_grid():
    page = HTML.replace("<td>0</td>", "<td></td>", 1).replace("<td>46</td>", "<td>４６</td>")

    result = check_document(read_html(page))

    assert result.findings == [
        _warning(
            "RPT-19",
            "单元格为空白，按0计；应填0",
            "二、上年结转政府信息公开申请数量",
            "科研机构",
            "空白",
            "第2个表格第5行：二、上年结转政府信息公开申请数量 | 11 | 2 | | 0 | 1 | 0 | 14",
        )
    ]
    assert result.tables.t3["三(四)1"]["person"] == 46


def test_check_document_reads_six_as_one_row_in_a_2021_report():
    result = check_document(read_html(synthetic.report_html(six_one_row=True)))

    assert (result.style, result.tables.style) == (Style.F2021, Style.F2019)
    assert result.tables.t3["三(六)"] == {
        "person": 30,
        "commercial": 2,
        "research": 0,
        "public_interest": 0,
        "legal_service": 0,
        "other_org": 1,
        "total": 33,
    }
    assert result.findings == [
        Finding(
            "RPT-9",
            "warning",
            "2021年格式的（六）其他处理应分3个子项，此处印为一行；按一行核对（七）总计",
            table="表三",
            row="（六）其他处理",
        )
    ]


def test_check_document_names_a_table_it_cannot_find():
    page = HTML[: HTML.rindex("<table")] + HTML[HTML.rindex("</table>") + len("</table>") :]

    result = check_document(read_html(page))

    assert result.findings == [
        Finding("RPT-22", "error", "未找到表四（政府信息公开行政复议、行政诉讼情况）", table="表四")
    ]
    assert result.failed


@pytest.mark.parametrize(
    ("old", "new", "row", "stated", "expected"),
    (
        (
            "新收政府信息公开申请311件",
            "新收政府信息公开申请312件",
            "一、本年新收政府信息公开申请数量",
            "312",
            "311",
        ),
        ("无法提供73件", "无法提供72件", "（四）无法提供", "72", "73"),
        ("予以公开99件", "予以公开98件", "（一）予以公开", "98", "99"),
    ),
)
def test_check_document_compares_the_narrative_with_table_three(old, new, row, stated, expected):
    page = HTML.replace(old, new)

    findings = [f for f in check_document(read_html(page)).findings if f.rule == "RPT-21"]

    assert [(f.table, f.row, f.column, f.stated, f.expected) for f in findings] == [
        ("表三", row, "总计", stated, expected)
    ]


def test_check_file_warns_when_carried_over_figures_differ_from_last_year():
    result = check_file(SAMPLES / "2021_pdftotext.txt", previous=SAMPLES / "2020_trial_webcopy.txt")

    carried = "二、上年结转政府信息公开申请数量"
    message = "上年结转与上年报告的结转下年度不符"
    assert result.findings == [
        Finding("RPT-20", "warning", message, "表三", carried, "其他", "0", "1"),
        Finding("RPT-20", "warning", message, "表三", carried, "总计", "14", "15"),
    ]
    assert not result.failed


def test_check_file_reads_a_pdf_through_pdftotext(tmp_path):
    from weasyprint import CSS, HTML

    from gongkai.reports.checker.tests.make_samples import PRINT_CSS

    pdf = tmp_path / "r.pdf"
    HTML(string=synthetic.report_html()).write_pdf(pdf, stylesheets=[CSS(string=PRINT_CSS)])

    result = check_file(pdf)

    assert (result.kind, result.style, result.findings) == ("pdf", Style.F2021, [])
    assert t3_rows(result.tables) == synthetic.T3


def test_check_document_reads_a_page_laid_out_in_tables():
    """Many government sites put the whole article inside layout tables."""
    body = HTML[HTML.index("<body>") + 6 : HTML.index("</body>")]
    page = (
        f"<html><body><table><tr><td>导航</td><td><div>{body}</div></td></tr></table></body></html>"
    )

    result = check_document(read_html(page))

    assert (result.style, result.findings) == (Style.F2021, [])
    assert t3_rows(result.tables) == synthetic.T3


@pytest.mark.parametrize(
    ("current", "previous", "message"),
    (
        ("2021_pdftotext.txt", "seed_mianyang_2017.txt", "上年报告中未找到表格，未做跨年度核对"),
        ("seed_mianyang_2017.txt", "2021_pdftotext.txt", "本报告中未找到表格，未做跨年度核对"),
    ),
)
def test_check_file_says_when_it_cannot_compare_years(current, previous, message):
    result = check_file(SAMPLES / current, previous=SAMPLES / previous)

    assert [f for f in result.findings if f.rule == "RPT-20"] == [
        Finding("RPT-20", "warning", message)
    ]
