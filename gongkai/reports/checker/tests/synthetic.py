"""A consistent, made-up 2021-format report (青川市临江区, 2021) and its renderings.

Every figure below agrees with every other (RPT-15…RPT-18, the narrative's sums, shares and
rates, and the narrative against the tables), so each rendering must check clean. The HTML,
DOCX and XLSX are built from these values with merged header cells laid out as in the
national template; ``samples/2021_pdftotext.txt`` is this HTML printed to PDF by WeasyPrint
and read back with ``pdftotext -layout`` (see ``make_samples.py``).
"""

import html
import io

from gongkai.reports.tables import SECTIONS_2021, T3_COLUMNS, T3_NOTE, T3_ROWS_2019, T3_ROWS_2021

TITLE = "青川市临江区人民政府2021年政府信息公开工作年度报告"

T2 = {
    "rules": (2, 1, 35),
    "normative": (18, 6, 142),
    "licensing": (1236,),
    "penalty": (356,),
    "coercion": (41,),
    "fees": ("152.36",),
}

# 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他. Rows not listed are zeros;
# （七）总计, 四 and the 总计 column follow from the rest (RPT-15…RPT-17).
_T3 = {
    "一": (268, 31, 2, 1, 6, 3),
    "二": (11, 2, 0, 0, 1, 0),
    "三(一)": (82, 12, 1, 1, 2, 1),
    "三(二)": (17, 4, 0, 0, 1, 0),
    "三(三)1": (1, 0, 0, 0, 0, 0),
    "三(三)2": (2, 0, 0, 0, 0, 0),
    "三(三)3": (3, 0, 0, 0, 0, 0),
    "三(三)4": (5, 2, 0, 0, 0, 0),
    "三(三)5": (4, 0, 0, 0, 0, 0),
    "三(三)6": (7, 1, 0, 0, 0, 0),
    "三(三)7": (6, 0, 0, 0, 0, 0),
    "三(三)8": (9, 0, 0, 0, 0, 0),
    "三(四)1": (46, 5, 1, 0, 2, 0),
    "三(四)2": (8, 1, 0, 0, 0, 0),
    "三(四)3": (10, 0, 0, 0, 0, 0),
    "三(五)1": (12, 0, 0, 0, 1, 0),
    "三(五)2": (13, 1, 0, 0, 0, 0),
    "三(五)3": (2, 0, 0, 0, 0, 0),
    "三(五)4": (1, 0, 0, 0, 0, 0),
    "三(五)5": (3, 0, 0, 0, 0, 0),
    "三(六)1": (14, 2, 0, 0, 0, 0),
    "三(六)2": (1, 0, 0, 0, 0, 0),
    "三(六)3": (15, 0, 0, 0, 0, 1),
}
_RESULTS = [key for key in _T3 if key.startswith("三(")]
_T3["三(七)"] = tuple(sum(_T3[key][c] for key in _RESULTS) for c in range(6))
_T3["四"] = tuple(_T3["一"][c] + _T3["二"][c] - _T3["三(七)"][c] for c in range(6))
T3 = {
    key: (*_T3.get(key, (0,) * 6), sum(_T3.get(key, (0,) * 6)))
    for key, _, _, numbers in T3_ROWS_2021
    if numbers
}

# 行政复议; 未经复议直接起诉; 复议后起诉 — each 维持, 纠正, 其他, 尚未审结, 总计.
T4 = (3, 1, 0, 2, 6, 2, 1, 1, 0, 4, 1, 0, 0, 1, 2)

NARRATIVE = {
    "一、总体情况": [
        "2021年，临江区人民政府深入贯彻《中华人民共和国政府信息公开条例》，"
        "围绕区委、区政府中心工作，推进政府信息公开工作。",
        "（一）主动公开。全年通过区政府门户网站主动公开政府信息5,216条（其中：政策文件312条，"
        "工作动态3,586条，人事信息206条，财政信息452条，其他信息660条）。",
        "（二）依申请公开。全年新收政府信息公开申请311件（其中：网上申请236件，占75.9%；"
        "信函申请47件，占15.1%；当面申请28件，占9.0%），上年结转14件。"
        "本年度办结300件，其中：予以公开99件，部分公开22件，不予公开40件，无法提供73件，"
        "不予处理33件，其他处理33件；结转下年度继续办理25件。",
        "（三）政府信息管理。全年共收到公众留言1,250件，答复1,238件，答复率99.0%。",
        "（四）平台建设。区政府门户网站改版上线政府信息公开专栏。",
        "（五）监督保障。全年发生政府信息公开行政复议6件、行政诉讼6件。",
    ],
    "二、主动公开政府信息情况": [],
    "三、收到和处理政府信息公开申请情况": [
        "本年度收到的申请主要涉及征地拆迁补偿、规划许可、政府采购和企业登记等事项，"
        "申请人以自然人为主，法人或其他组织的申请较上年有所增加。对申请内容不明确的，"
        "本机关一次性告知申请人补正；对本机关不掌握的信息，告知申请人可向有关机关申请。",
    ],
    "四、政府信息公开行政复议、行政诉讼情况": [],
    "五、存在的主要问题及改进情况": [
        "一是政策解读形式较为单一；二是基层政务公开标准化建设仍需加强。"
        "下一步，我区将丰富解读形式，推进基层政务公开标准目录落地。",
    ],
    "六、其他需要报告的事项": [
        "本机关2021年度未收取信息处理费。办理人大代表建议46件、政协委员提案58件，办结率100%。",
    ],
}
assert tuple(NARRATIVE) == SECTIONS_2021

T2_LAYOUT = (
    (
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "行政规范性文件"),
    ),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
T2_KEYS = {
    "规章": "rules",
    "行政规范性文件": "normative",
    "行政许可": "licensing",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政事业性收费": "fees",
}
T4_GROUP_HEADS = ("未经复议直接起诉", "复议后起诉")
T4_COLUMN_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# --- HTML ----------------------------------------------------------------------------------------


def _td(text, **attrs) -> str:
    spans = "".join(f' {name}="{value}"' for name, value in attrs.items())
    return f"<td{spans}>{html.escape(str(text))}</td>"


def table2_html() -> str:
    rows = []
    for section, columns, labels in T2_LAYOUT:
        rows.append(_td(section, colspan=4))
        span = 4 - len(columns)
        heads = [_td(c) for c in columns]
        if span > 1:
            heads[-1] = _td(columns[-1], colspan=span)
        rows.append(_td("信息内容") + "".join(heads))
        for label in labels:
            values = T2[T2_KEYS[label]]
            cells = [_td(v) for v in values]
            if span > 1:
                cells[-1] = _td(values[-1], colspan=span)
            rows.append(_td(label) + "".join(cells))
    return "<table border='1'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def table3_html(*, six_one_row: bool = False) -> str:
    """Table 三 as the template merges it; ``six_one_row`` prints （六）其他处理 as one row
    holding the sum of its sub-rows, as some 2021 reports kept doing from the 2019 form."""
    parts = [label for key, label in T3_COLUMNS if key not in ("person", "total")]
    rows = [
        _td(T3_NOTE, rowspan=3, colspan=3) + _td("申请人情况", colspan=7),
        _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5) + _td("总计", rowspan=2),
        "".join(_td(p) for p in parts),
    ]
    level1_span = {"三(三)": 8, "三(四)": 3, "三(五)": 5, "三(六)": 3}
    for key, label, level, numbers in T3_ROWS_2021:
        cells = "".join(_td(v) for v in T3[key]) if numbers else ""
        if six_one_row and key.startswith("三(六)"):
            if key == "三(六)":
                six = [sum(T3[f"三(六){i}"][c] for i in (1, 2, 3)) for c in range(7)]
                rows.append(_td(label, colspan=2) + "".join(_td(v) for v in six))
            continue
        if key == "三":
            pending = _td(label, rowspan=20 if six_one_row else 22)
            continue
        if level == 0:
            rows.append(_td(label, colspan=3) + cells)
        elif key in level1_span:
            pending += _td(label, rowspan=level1_span[key])
        elif level == 1:
            rows.append(pending + _td(label, colspan=2) + cells)
            pending = ""
        else:
            rows.append(pending + _td(label) + cells)
            pending = ""
    head = "".join(f"<tr>{r}</tr>" for r in rows[:3])  # repeated on each page when printed
    body = "".join(f"<tr>{r}</tr>" for r in rows[3:])
    return f"<table border='1'><thead>{head}</thead><tbody>{body}</tbody></table>"


def table4_html() -> str:
    rows = [
        _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10),
        "".join(_td(c, rowspan=2) for c in T4_COLUMN_LABELS)
        + "".join(_td(g, colspan=5) for g in T4_GROUP_HEADS),
        "".join(_td(c) for c in T4_COLUMN_LABELS * 2),
        "".join(_td(v) for v in T4),
    ]
    return "<table border='1'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


TABLE_HTML = {
    "二、主动公开政府信息情况": table2_html,
    "三、收到和处理政府信息公开申请情况": table3_html,
    "四、政府信息公开行政复议、行政诉讼情况": table4_html,
}


def report_html(*, six_one_row: bool = False) -> str:
    body = [f"<h1>{TITLE}</h1>"]
    body.append(
        "<p>本报告根据《中华人民共和国政府信息公开条例》第五十条规定编制。"
        "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。</p>"
    )
    for heading, paragraphs in NARRATIVE.items():
        body.append(f"<h2>{heading}</h2>")
        body.extend(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        if heading.startswith("三"):
            body.append(table3_html(six_one_row=six_one_row))
        elif heading in TABLE_HTML:
            body.append(TABLE_HTML[heading]())
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{TITLE}</title></head><body>{''.join(body)}</body></html>"
    )


# --- DOCX ----------------------------------------------------------------------------------------


def _docx_table(document, rows: int, cols: int, blocks) -> None:
    """A bordered table from ``(top, left, bottom, right, text)`` blocks, merged first and
    filled after (python-docx's ``table.cell`` walks the whole table on every call)."""
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    for top, left, bottom, right, _ in blocks:
        if (top, left) != (bottom, right):
            table.cell(top, left).merge(table.cell(bottom, right))
    grid = [row.cells for row in table.rows]
    for top, left, _, _, text in blocks:
        grid[top][left].text = str(text)


def report_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for heading, paragraphs in NARRATIVE.items():
        document.add_heading(heading, level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        if heading.startswith("二"):
            count = sum(2 + len(labels) for _, _, labels in T2_LAYOUT)
            _docx_table(document, count, 4, _table2_blocks())
        elif heading.startswith("三"):
            _docx_table(document, 3 + 25, 10, _table3_blocks())
        elif heading.startswith("四"):
            _docx_table(document, 4, 15, _table4_blocks())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table2_blocks() -> list:
    blocks, r = [], 0
    for section, columns, labels in T2_LAYOUT:
        blocks += [(r, 0, r, 3, section), (r + 1, 0, r + 1, 0, "信息内容")]
        for i, column in enumerate(columns):
            blocks.append((r + 1, 1 + i, r + 1, 3 if i == len(columns) - 1 else 1 + i, column))
        r += 2
        for label in labels:
            blocks.append((r, 0, r, 0, label))
            values = T2[T2_KEYS[label]]
            for i, value in enumerate(values):
                blocks.append((r, 1 + i, r, 3 if i == len(values) - 1 else 1 + i, value))
            r += 1
    return blocks


def _table3_blocks() -> list:
    blocks = [
        (0, 0, 2, 2, T3_NOTE),
        (0, 3, 0, 9, "申请人情况"),
        (1, 3, 2, 3, "自然人"),
        (1, 4, 1, 8, "法人或其他组织"),
        (1, 9, 2, 9, "总计"),
    ]
    blocks += [(2, 4 + i, 2, 4 + i, label) for i, (_, label) in enumerate(T3_COLUMNS[1:-1])]
    r = 3
    spans = {"三": (22, 0), "三(三)": (8, 1), "三(四)": (3, 1), "三(五)": (5, 1), "三(六)": (3, 1)}
    for key, label, level, _ in T3_ROWS_2021:
        if key in spans:
            height, col = spans[key]
            blocks.append((r, col, r + height - 1, col, label))
            continue
        blocks.append((r, level, r, 2, label))
        blocks += [(r, 3 + i, r, 3 + i, value) for i, value in enumerate(T3[key])]
        r += 1
    return blocks


def _table4_blocks() -> list:
    blocks = [(0, 0, 0, 4, "行政复议"), (0, 5, 0, 14, "行政诉讼")]
    blocks += [(1, i, 2, i, column) for i, column in enumerate(T4_COLUMN_LABELS)]
    blocks += [(1, 5, 1, 9, T4_GROUP_HEADS[0]), (1, 10, 1, 14, T4_GROUP_HEADS[1])]
    blocks += [(2, 5 + i, 2, 5 + i, c) for i, c in enumerate(T4_COLUMN_LABELS * 2)]
    blocks += [(3, i, 3, i, value) for i, value in enumerate(T4)]
    return blocks


# --- XLSX: one sheet per table, as supervisors collect them ------------------------------------


def report_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表二"
    r = 1
    for section, columns, labels in T2_LAYOUT:
        sheet.cell(r, 1, section)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        sheet.cell(r + 1, 1, "信息内容")
        for i, column in enumerate(columns):
            sheet.cell(r + 1, 2 + i, column)
        r += 2
        for label in labels:
            sheet.cell(r, 1, label)
            for i, value in enumerate(T2[T2_KEYS[label]]):
                sheet.cell(r, 2 + i, float(value) if isinstance(value, str) else value)
            r += 1
    sheet = book.create_sheet("表三")
    sheet.cell(1, 1, T3_NOTE)
    sheet.merge_cells("A1:C3")
    sheet.cell(1, 4, "申请人情况")
    sheet.merge_cells("D1:J1")
    sheet.cell(2, 4, "自然人")
    sheet.merge_cells("D2:D3")
    sheet.cell(2, 5, "法人或其他组织")
    sheet.merge_cells("E2:I2")
    sheet.cell(2, 10, "总计")
    sheet.merge_cells("J2:J3")
    for i, (_, label) in enumerate(T3_COLUMNS[1:-1]):
        sheet.cell(3, 5 + i, label)
    r = 4
    for key, label, level, numbers in T3_ROWS_2021:
        if not numbers:
            sheet.cell(r, 1 + level, label)  # a heading row of its own, as many offices print it
            r += 1
            continue
        sheet.cell(r, 1 + level, label)
        for i, value in enumerate(T3[key]):
            sheet.cell(r, 4 + i, value)
        r += 1
    sheet = book.create_sheet("表四")
    sheet.cell(1, 1, "行政复议")
    sheet.merge_cells("A1:E1")
    sheet.cell(1, 6, "行政诉讼")
    sheet.merge_cells("F1:O1")
    for i, column in enumerate(T4_COLUMN_LABELS):
        sheet.cell(2, 1 + i, column)
        sheet.merge_cells(start_row=2, start_column=1 + i, end_row=3, end_column=1 + i)
    sheet.cell(2, 6, T4_GROUP_HEADS[0])
    sheet.merge_cells("F2:J2")
    sheet.cell(2, 11, T4_GROUP_HEADS[1])
    sheet.merge_cells("K2:O2")
    for i, column in enumerate(T4_COLUMN_LABELS * 2):
        sheet.cell(3, 6 + i, column)
    for i, value in enumerate(T4):
        sheet.cell(4, 1 + i, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- 2020, the 2019 trial format, copied from a web page (cells tab-separated) --------------

TRIAL_TITLE = "青川市临江区人民政府2020年政府信息公开工作年度报告"
TRIAL_T2 = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
    ("规章", (1, 1, 33)),
    ("规范性文件", (15, 15, 130)),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量")),
    ("行政许可", (152, -3, 1108)),
    ("其他对外管理服务事项", (40, 2, 265)),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量")),
    ("行政处罚", (1320, 15, 298)),
    ("行政强制", (36, 0, 37)),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减")),
    ("行政事业性收费", (28, -2)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额")),
    ("政府集中采购", (86, "3265.4")),
)
_TRIAL_T3 = {
    "一": (250, 20, 1, 0, 4, 2),
    "二": (6, 1, 0, 0, 0, 0),
    "三(一)": (90, 10, 1, 0, 2, 1),
    "三(二)": (20, 3, 0, 0, 0, 0),
    "三(三)3": (2, 0, 0, 0, 0, 0),
    "三(三)4": (3, 1, 0, 0, 0, 0),
    "三(三)6": (5, 0, 0, 0, 0, 0),
    "三(三)8": (6, 0, 0, 0, 0, 0),
    "三(四)1": (60, 3, 0, 0, 1, 0),
    "三(四)2": (9, 0, 0, 0, 0, 0),
    "三(四)3": (8, 0, 0, 0, 0, 0),
    "三(五)1": (10, 0, 0, 0, 0, 0),
    "三(五)2": (11, 0, 0, 0, 0, 0),
    "三(五)5": (2, 0, 0, 0, 0, 0),
    "三(六)": (19, 2, 0, 0, 0, 0),
}
_TRIAL_RESULTS = [key for key in _TRIAL_T3 if key.startswith("三(")]
_TRIAL_T3["三(七)"] = tuple(sum(_TRIAL_T3[k][c] for k in _TRIAL_RESULTS) for c in range(6))
_TRIAL_T3["四"] = tuple(
    _TRIAL_T3["一"][c] + _TRIAL_T3["二"][c] - _TRIAL_T3["三(七)"][c] for c in range(6)
)
TRIAL_T3 = {
    key: (*_TRIAL_T3.get(key, (0,) * 6), sum(_TRIAL_T3.get(key, (0,) * 6)))
    for key, _, _, numbers in T3_ROWS_2019
    if numbers
}
TRIAL_T4 = (2, 0, 1, 1, 4, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0)


def trial_webcopy_text() -> str:
    """What a browser puts on the clipboard: one line a row, tabs between cells, a merged
    cell's text only in its first row."""
    t3 = TRIAL_T3
    lines = [TRIAL_TITLE, "", SECTIONS_2021[0], ""]
    lines.append(
        f"2020年，临江区全年新收政府信息公开申请{t3['一'][6]}件，上年结转{t3['二'][6]}件，"
        f"办结{t3['三(七)'][6]}件，结转下年度继续办理{t3['四'][6]}件。"
    )
    lines += ["", SECTIONS_2021[1], ""]
    for label, values in TRIAL_T2:
        if label.startswith("第二十条"):
            lines += [label, "\t".join(["信息内容", *values])]
        else:
            lines.append("\t".join([label, *map(str, values)]))
    lines += ["", SECTIONS_2021[2], ""]
    parts = "\t".join(label for key, label in T3_COLUMNS if key not in ("person", "total"))
    lines += [f"{T3_NOTE}\t申请人情况", "自然人\t法人或其他组织\t总计", parts]
    first_of = {"三(一)": "三、本年度办理结果", "三(三)1": "（三）不予公开"}
    first_of |= {"三(四)1": "（四）无法提供", "三(五)1": "（五）不予处理"}
    for key, label, _, numbers in T3_ROWS_2019:
        if not numbers:
            continue
        head = [first_of[key]] if key in first_of else []
        lines.append("\t".join([*head, label, *map(str, t3[key])]))
    lines += ["", SECTIONS_2021[3], ""]
    lines += ["行政复议\t行政诉讼", "\t".join([*T4_COLUMN_LABELS, *T4_GROUP_HEADS])]
    lines += ["\t".join(T4_COLUMN_LABELS * 2), "\t".join(map(str, TRIAL_T4))]
    lines += ["", SECTIONS_2021[4], "", "政策解读工作有待加强。", "", SECTIONS_2021[5], ""]
    lines.append("本机关2020年度未收取信息处理费。")
    return "\n".join(lines) + "\n"
