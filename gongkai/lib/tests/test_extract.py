"""Text extraction for the SEC-4 scan: real files built in the test, one per format."""

import io
import zipfile

import docx
import openpyxl
import pytest
from weasyprint import HTML

from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.scan import scan_file

ID = "510102199003071234"


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于张三的答复")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "手机"
    table.cell(0, 1).text = "13812345678"
    table.cell(1, 0).text = "身份证号"
    table.cell(1, 1).text = ID
    document.add_paragraph("此复。")
    document.sections[0].footer.is_linked_to_previous = False
    document.sections[0].footer.paragraphs[0].text = "内部资料"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "电话"])
    sheet.append(["张三", ID, 13812345678])
    sheet.append([None, None, None])
    sheet.append(["合计", 1.0, 2.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_pdf() -> bytes:
    return HTML(string=f"<p>联系人电话13812345678</p><p>身份证{ID}</p>").write_pdf()


def make_ofd() -> bytes:
    page = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">'
        '<ofd:TextObject ID="2"><ofd:TextCode X="0" Y="0">{0}</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="3"><ofd:TextCode X="0" Y="9">{1}</ofd:TextCode>'
        '<ofd:TextCode X="40" Y="9">{2}</ofd:TextCode></ofd:TextObject>'
        "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        archive.writestr(
            "Doc_0/Pages/Page_10/Content.xml", page.format("第二页", "电话", "13812345678")
        )
        archive.writestr("Doc_0/Pages/Page_2/Content.xml", page.format("第一页", "身份证", ID))
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "make", "text"),
    (
        (
            "a.docx",
            make_docx,
            f"关于张三的答复\n手机\t13812345678\n身份证号\t{ID}\n此复。\n内部资料",
        ),
        ("a.xlsx", make_xlsx, f"姓名\t身份证号\t电话\n张三\t{ID}\t13812345678\n合计\t1\t2.5"),
        ("a.pdf", make_pdf, f"联系人电话13812345678\n身份证{ID}"),
        ("a.ofd", make_ofd, f"第一页\n身份证{ID}\n第二页\n电话13812345678"),
        ("a.txt", lambda: "电话13812345678".encode("gb18030"), "电话13812345678"),
        ("a.TXT", lambda: "\ufeff电话".encode(), "电话"),
        (
            "a.html",
            lambda: (
                "<html><head><style>p{}</style><script>var a=1</script></head>"
                "<body><p>电话<b>13812345678</b></p>\n<p>完</p></body></html>".encode()
            ),
            "电话13812345678\n完",
        ),
        ("scan.png", lambda: b"\x89PNG\r\n\x1a\n", ""),
        ("scan.JPG", lambda: b"\xff\xd8\xff", ""),
    ),
)
def test_extract_text_reads_each_format(filename, make, text):
    assert extract_text(filename, make()) == text


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    (
        ("a.docx", b"not a zip", "无法读取文件“a.docx”：文件已损坏或不是 .docx 格式"),
        ("a.pdf", b"%PDF-1.4 garbage", "无法读取文件“a.pdf”：文件已损坏或不是 .pdf 格式"),
        ("a.xlsx", b"", "无法读取文件“a.xlsx”：文件已损坏或不是 .xlsx 格式"),
        ("a.doc", b"\xd0\xcf\x11\xe0", "不支持旧版 .doc 格式，请另存为 .docx 或 .xlsx 后再上传"),
        ("a.exe", b"MZ", "不支持的文件类型：a.exe"),
        ("noext", b"abc", "不支持的文件类型：noext"),
    ),
)
def test_extract_text_fails_in_chinese(filename, data, message):
    with pytest.raises(ExtractionFailed) as failure:
        extract_text(filename, data)

    assert str(failure.value) == message


def test_extract_text_refuses_an_ofd_without_pages():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<OFD/>")

    with pytest.raises(ExtractionFailed, match="OFD文件中没有找到页面内容"):
        extract_text("a.ofd", out.getvalue())


def test_scan_file_finds_data_in_a_docx_table_and_footer():
    findings = scan_file("a.docx", make_docx())

    assert [(f.kind, f.masked) for f in findings] == [
        ("mobile", "138****5678"),
        ("id_number", "5101**********1234"),
        ("marking", "内部资料"),
    ]
