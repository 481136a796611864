"""Reading a published report into rows: text, HTML, DOCX, XLSX (and PDF through pdftotext).

Every format becomes one list of ``Row`` in reading order. A line of text is a row whose
label is its leading words and whose cells are the trailing words without Chinese in them,
with their character positions (``pdftotext -layout`` aligns columns by position, and a
blank cell is only a gap). A table row is a row whose cells are the grid's cells, merged
cells expanded (``copy`` marks the repeats), so a column is found by its index.
"""

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.reports.checker.numbers import has_cjk


class ReadError(Exception):
    """The file cannot be read at all; the message says why, in Chinese."""


@dataclass(frozen=True)
class Token:
    text: str
    start: int | None = None  # character column in a text line; None in a grid
    end: int | None = None

    @property
    def center(self) -> float:
        return ((self.start or 0) + (self.end or 0)) / 2


@dataclass
class Row:
    labels: list[str]  # label fragments or label cells, in order, repeats removed
    cells: list[Token]  # the data cells after the label
    where: str  # for humans: "第12行", "第2个表格第5行"
    text: str  # the row as printed
    page: int = 0  # text: page (form feeds); grid: table number
    grid: bool = False  # cells come from a table grid: a column is its index

    @property
    def label(self) -> str:
        return "".join(self.labels)


@dataclass
class Document:
    kind: str  # "text", "html", "docx", "xlsx", "pdf"
    rows: list[Row] = field(default_factory=list)


KIND_NAMES = {
    "text": "纯文本",
    "pdf": "PDF（经 pdftotext -layout）",
    "html": "HTML",
    "docx": "DOCX",
    "xlsx": "XLSX",
}


def read(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法打开文件：{path}（{exc.strerror}）") from exc
    return read_bytes(data, name=path.name)


def read_bytes(data: bytes, *, name: str = "") -> Document:
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise ReadError(f"文件已损坏，无法解压：{name}") from exc
        if "word/document.xml" in names:
            return read_docx(data)
        if "xl/workbook.xml" in names:
            return read_xlsx(data)
        raise ReadError(f"不认识的压缩文件（不是 DOCX 或 XLSX）：{name}")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("不支持旧版 DOC/XLS 文件，请另存为 DOCX 或 XLSX 后再校验")
    if data.startswith(b"%PDF"):
        return read_text(pdf_to_text(data), kind="pdf")
    text = decode(data)
    if re.search(r"<(html|body|table|p|div)\b", text[:20000], re.IGNORECASE):
        return read_html(text)
    return read_text(text)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    head = data[:4096].decode("ascii", errors="ignore")
    declared = re.search(r"charset=[\"']?([\w-]+)", head, re.IGNORECASE)
    for encoding in ([declared.group(1)] if declared else []) + ["gb18030"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def pdf_to_text(data: bytes) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ReadError("PDF 需先用 pdftotext -layout 转为文本（未找到 pdftotext）")
    done = subprocess.run(
        [exe, "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=False
    )
    if done.returncode != 0:
        raise ReadError("pdftotext 无法读取这个 PDF")
    return done.stdout.decode("utf-8", errors="replace")


# --- text ----------------------------------------------------------------------------------------


def line_row(line: str, *, where: str, page: int = 0) -> Row:
    """A line split into label words and trailing cells (words without Chinese)."""
    line = line.rstrip()  # the leading gap is part of the layout; labels stay as printed
    if "\t" in line:
        parts = [part.strip() for part in line.split("\t")]
        last = max((i for i, part in enumerate(parts) if has_cjk(part)), default=-1)
        labels = [part for part in parts[: last + 1] if part]
        return Row(labels, [Token(p) for p in parts[last + 1 :]], where, line, page, grid=True)
    words = [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    last = max((i for i, word in enumerate(words) if has_cjk(word.text)), default=-1)
    label = line[: words[last].end].strip() if last >= 0 else ""
    # Two or more spaces part label fragments from different columns of a laid-out table.
    labels = [part for part in re.split(r"\s{2,}", label) if part]
    return Row(labels, words[last + 1 :], where, line, page)


def read_text(text: str, *, kind: str = "text") -> Document:
    rows, page = [], 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        page += line.count("\f")
        rows.append(line_row(line.replace("\f", ""), where=f"第{number}行", page=page))
    return Document(kind, rows)


# --- grids (HTML, DOCX, XLSX) ------------------------------------------------------------------


def grid_row(cells: list[tuple[str, bool]], *, where: str, page: int) -> Row:
    """A table row from ``(text, copy)`` cells; ``copy`` marks a merged cell's repeat."""
    cells = [(text.strip(), copy) for text, copy in cells]
    last = max((i for i, (text, _) in enumerate(cells) if has_cjk(text)), default=-1)
    labels: list[str] = []
    for text, _ in cells[: last + 1]:
        if text and (not labels or labels[-1] != text):
            labels.append(text)
    data = [Token(text) for text, copy in cells[last + 1 :] if not copy]
    shown = " | ".join(text for text, copy in cells if not copy)
    return Row(labels, data, where, shown, page, grid=True)


_BLOCKS = frozenset(
    "address article aside blockquote body br center dd div dl dt figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody td tfoot "
    "th thead title tr ul".split()
)
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "iframe"})


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 500)
    except ValueError:
        return 1


def html_grid(table) -> list[list[tuple[str, bool]]]:
    """Expand rowspan/colspan: each merged cell's text repeats, marked as a copy."""
    grid, spans = [], {}  # spans: column -> [text, rows left]
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: dict[int, tuple[str, bool]] = {}
        for col, span in list(spans.items()):
            row[col] = (span[0], True)
            span[1] -= 1
            if span[1] == 0:
                del spans[col]
        col = 0
        for td in tr.xpath("./td|./th"):
            while col in row:
                col += 1
            text = re.sub(r"\s+", " ", "".join(td.itertext())).strip()
            rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
            for k in range(colspan):
                row[col + k] = (text, k > 0)
                if rowspan > 1:
                    spans[col + k] = [text, rowspan - 1]
            col += colspan
        if row:
            grid.append([row.get(i, ("", True)) for i in range(max(row) + 1)])
    return grid


def read_html(text: str) -> Document:
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    root = lxml.html.document_fromstring(text)
    doc, buffer, tables = Document("html"), [], [0]

    def flush():
        joined = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(buffer)).strip()
        buffer.clear()
        if joined:
            doc.rows.append(line_row(joined, where=f"第{len(doc.rows) + 1}段"))

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            buffer.append(el.tail or "")
            return
        if tag == "table" and not el.xpath(".//table"):
            flush()
            tables[0] += 1
            for number, cells in enumerate(html_grid(el), 1):
                where = f"第{tables[0]}个表格第{number}行"
                doc.rows.append(grid_row(cells, where=where, page=tables[0]))
            buffer.append(el.tail or "")
            return
        if tag == "pre":
            flush()
            for line in "".join(el.itertext()).splitlines():
                doc.rows.append(line_row(line, where=f"第{len(doc.rows) + 1}段"))
            buffer.append(el.tail or "")
            return
        block = tag in _BLOCKS
        if block:
            flush()
        buffer.append(el.text or "")
        for child in el:
            walk(child)
        if block:
            flush()
        buffer.append(el.tail or "")

    walk(root)
    flush()
    return doc


def read_docx(data: bytes) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    doc, tables = Document("docx"), 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text
            if text.strip():
                doc.rows.append(line_row(text, where=f"第{len(doc.rows) + 1}段"))
        elif child.tag == qn("w:tbl"):
            tables += 1
            above: list = []
            for number, row in enumerate(Table(child, document).rows, 1):
                cells = list(row.cells)
                grid = [("", True)] * row.grid_cols_before
                for i, cell in enumerate(cells):
                    # python-docx repeats a merged cell: across (gridSpan) and down (vMerge).
                    repeat = (i > 0 and cells[i - 1]._tc is cell._tc) or (
                        i < len(above) and above[i]._tc is cell._tc
                    )
                    grid.append((cell.text, repeat))
                above = cells
                where = f"第{tables}个表格第{number}行"
                doc.rows.append(grid_row(grid, where=where, page=tables))
    return doc


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> Document:
    try:
        import openpyxl
    except ImportError as exc:  # pinned in requirements.lock; named if an install lacks it
        raise ReadError("读取 XLSX 需要 openpyxl，请先安装") from exc

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    doc = Document("xlsx")
    for number, sheet in enumerate(book.worksheets, 1):
        merged = {}
        for cells in sheet.merged_cells.ranges:
            anchor = _xlsx_text(sheet.cell(cells.min_row, cells.min_col).value)
            for r in range(cells.min_row, cells.max_row + 1):
                for c in range(cells.min_col, cells.max_col + 1):
                    if (r, c) != (cells.min_row, cells.min_col):
                        merged[r, c] = anchor
        for r, values in enumerate(sheet.iter_rows(values_only=True), 1):
            grid = [
                (merged[r, c], True) if (r, c) in merged else (_xlsx_text(value), False)
                for c, value in enumerate(values, 1)
            ]
            if any(text for text, _ in grid):
                where = f"工作表“{sheet.title}”第{r}行"
                doc.rows.append(grid_row(grid, where=where, page=number))
    return doc
