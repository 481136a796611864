import io

import lxml.html
import pytest

from gongkai.reports.checker.readers import (
    ReadError,
    Token,
    html_grid,
    line_row,
    read_bytes,
    read_docx,
)


def test_html_grid_repeats_merged_cells_as_copies():
    table = lxml.html.fragment_fromstring(
        "<table>"
        "<tr><td rowspan='2' colspan='2'>说明</td><td colspan='2'>申请人情况</td></tr>"
        "<tr><td>自然人</td><td>总计</td></tr>"
        "<tr><td rowspan='2'>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td><td>5</td></tr>"
        "<tr><td>（二）部分公开</td><td>1</td><td>1</td></tr>"
        "</table>"
    )

    assert html_grid(table) == [
        [("说明", False), ("说明", True), ("申请人情况", False), ("申请人情况", True)],
        [("说明", True), ("说明", True), ("自然人", False), ("总计", False)],
        [("三、本年度办理结果", False), ("（一）予以公开", False), ("5", False), ("5", False)],
        [("三、本年度办理结果", True), ("（二）部分公开", False), ("1", False), ("1", False)],
    ]


@pytest.mark.parametrize(
    ("line", "labels", "cells"),
    (
        (
            "        （三）不       4.保护第三方合法权益          5       2",
            ["（三）不", "4.保护第三方合法权益"],
            [Token("5", 40, 41), Token("2", 48, 49)],
        ),
        (
            "                                        17      4",
            [],
            [Token("17", 40, 42), Token("4", 48, 49)],
        ),
        ("规章\t1\t\t33", ["规章"], [Token("1"), Token(""), Token("33")]),  # copied from a page
        ("行政许可   １，２３６", ["行政许可"], [Token("１，２３６", 7, 12)]),
        ("（七）总计　", ["（七）总计"], []),
    ),
)
def test_line_row_splits_labels_from_cells(line, labels, cells):
    row = line_row(line, where="第1行")

    assert (row.labels, row.cells) == (labels, cells)


def test_read_docx_marks_merged_cells_as_copies():
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "三、本年度办理结果"
    table.cell(0, 1).text, table.cell(0, 2).text = "（一）予以公开", "5"
    table.cell(1, 1).text, table.cell(1, 2).text = "（二）部分公开", "1"
    out = io.BytesIO()
    document.save(out)

    rows = read_docx(out.getvalue()).rows

    assert [(r.labels, r.cells) for r in rows] == [
        (["三、本年度办理结果", "（一）予以公开"], [Token("5")]),
        (["三、本年度办理结果", "（二）部分公开"], [Token("1")]),
    ]
    assert rows[1].text == "（二）部分公开 | 1"


@pytest.mark.parametrize(
    ("data", "message"),
    (
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "不支持旧版 DOC/XLS 文件，请另存为 DOCX 或 XLSX 后再校验",
        ),
        (b"PK\x03\x04broken", "文件已损坏，无法解压：r.docx"),
    ),
)
def test_read_bytes_names_what_it_cannot_read(data, message):
    with pytest.raises(ReadError) as raised:
        read_bytes(data, name="r.docx")

    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("data", "kind"),
    (
        ("<html><body><p>一、总体情况</p></body></html>".encode(), "html"),
        ("<p>一、总体情况</p>".encode("gb18030"), "html"),
        ("一、总体情况\n".encode("gb18030"), "text"),
        ("\ufeff一、总体情况\n".encode(), "text"),
    ),
)
def test_read_bytes_recognizes_html_and_text_in_either_encoding(data, kind):
    doc = read_bytes(data)

    assert (doc.kind, doc.rows[0].labels) == (kind, ["一、总体情况"])
