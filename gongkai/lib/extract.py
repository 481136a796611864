"""Plain text out of an uploaded file, for the sensitive-data scan (SEC-4) and search.

``extract_text(filename, data)`` chooses the reader by the file's extension:
.txt/.csv/.md (UTF-8, else GB 18030, else what charset-normalizer guesses), .html/.htm
(tags, scripts and styles stripped), .pdf (pypdf, page by page), .docx (python-docx:
paragraphs and tables in document order, then headers and footers), .xlsx (openpyxl: each
row's cells joined by tabs), .ofd (a zip of XML pages: the text of every ``TextCode``).
Images give "" (there is no OCR: a scanned page cannot be checked and the reviewer must
read it). Anything that cannot be read raises ``ExtractionFailed`` with a Chinese message.
"""

import io
import logging
import re
import zipfile

IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp"}
TEXT_EXTENSIONS = {"txt", "csv", "md"}
# A zip (DOCX, XLSX, OFD) that unpacks to more than this is refused, not read.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class ExtractionFailed(Exception):
    """The file could not be read; ``str(error)`` is a Chinese message for the user."""


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionFailed("无法识别文本文件的字符编码")
    return str(best)


def _html_text(data: bytes) -> str:
    import lxml.html

    # Decode ourselves: lxml takes bytes without a <meta charset> for Latin-1.
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_text(data))
    try:
        root = lxml.html.document_fromstring(markup)
    except Exception as error:
        raise ExtractionFailed("无法读取HTML文件") from error
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    text = root.text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    # pypdf logs every repair of a damaged file; the caller gets one Chinese message instead.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionFailed("PDF文件已加密，无法读取其中的文字")
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    finally:
        logger.setLevel(level)


def _check_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise ExtractionFailed("文件解压后过大，拒绝读取")
    return archive


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []

    def block(container, element):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, container).text)
        elif tag == "tbl":
            for row in Table(element, container).rows:
                lines.append("\t".join(cell.text for cell in row.cells))

    for element in document.element.body.iterchildren():
        block(document, element)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                for element in part._element.iterchildren():
                    block(part, element)
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    _check_zip(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell(value) for value in row if value is not None]
                if cells:
                    lines.append("\t".join(cells))
    finally:
        book.close()
    return "\n".join(lines)


def _page_number(name: str) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", name))


def _ofd_text(data: bytes) -> str:
    from lxml import etree

    archive = _check_zip(data)
    pages = sorted(
        (n for n in archive.namelist() if re.search(r"Pages/[^/]+/Content\.xml$", n)),
        key=_page_number,
    )
    if not pages:
        raise ExtractionFailed("OFD文件中没有找到页面内容")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    lines = []
    for name in pages:
        root = etree.fromstring(archive.read(name), parser)
        for node in root.iter("{*}TextObject"):
            lines.append("".join(code.text or "" for code in node.iter("{*}TextCode")))
    return "\n".join(lines)


READERS = {
    "html": _html_text,
    "htm": _html_text,
    "pdf": _pdf_text,
    "docx": _docx_text,
    "xlsx": _xlsx_text,
    "ofd": _ofd_text,
}


def extract_text(filename: str, data: bytes) -> str:
    kind = extension(filename)
    if kind in IMAGE_EXTENSIONS:
        return ""
    if kind in TEXT_EXTENSIONS:
        return decode_text(data)
    if kind in ("doc", "xls", "wps"):
        raise ExtractionFailed(f"不支持旧版 .{kind} 格式，请另存为 .docx 或 .xlsx 后再上传")
    reader = READERS.get(kind)
    if reader is None:
        raise ExtractionFailed(f"不支持的文件类型：{filename}")
    try:
        return reader(data)
    except ExtractionFailed:
        raise
    except Exception as error:
        raise ExtractionFailed(
            f"无法读取文件“{filename}”：文件已损坏或不是 .{kind} 格式"
        ) from error
