"""Import of 12345/市长公开电话 exports (CSV or XLSX), all or nothing (MBX-6).

Columns are mapped once and remembered by name (``HotlineMapping``): field → the header of
the column that holds it. Without a saved mapping, headers are recognised from
``SYNONYMS``. Every problem is reported with the file's line number (the header is line 1),
in Chinese, and nothing is written unless every row is good. Re-importing a record with
the same 工单编号 replaces it (an export taken later carries later 办结/回访 results).
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import charset_normalizer
from django.db import connection, transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.interaction.enums import Satisfaction
from gongkai.interaction.models import HotlineCall, HotlineMapping
from gongkai.orgs.models import Org

FIELDS = {
    "number": "工单编号",
    "received_on": "受理日期",
    "closed": "是否办结",
    "satisfaction": "回访满意度",
    "category": "诉求类别",
    "visited": "是否回访",
}
REQUIRED = ("number", "received_on", "closed")
SYNONYMS = {
    "number": ("工单编号", "工单号", "编号", "受理编号", "流水号"),
    "received_on": ("受理日期", "受理时间", "来电时间", "来电日期", "登记时间"),
    "closed": ("是否办结", "办结状态", "办结", "办理状态"),
    "satisfaction": ("回访满意度", "满意度", "回访结果", "评价结果"),
    "category": ("诉求类别", "类别", "诉求类型", "问题分类"),
    "visited": ("是否回访", "回访状态", "已回访"),
}
TRUE = {"是", "已办结", "办结", "已完成", "完成", "1", "true", "y", "yes", "已回访"}
FALSE = {"否", "未办结", "办理中", "未完成", "0", "false", "n", "no", "", "未回访"}
RATINGS = {
    "满意": Satisfaction.SATISFIED,
    "非常满意": Satisfaction.SATISFIED,
    "基本满意": Satisfaction.BASIC,
    "比较满意": Satisfaction.BASIC,
    "不满意": Satisfaction.UNSATISFIED,
    "": "",
    "未回访": "",
    "无": "",
}
BATCH = 5000
MAX_ERRORS = 50


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("；".join(errors[:3]))


@dataclass(frozen=True)
class Imported:
    rows: int
    replaced: int
    batch: str


def read_table(name: str, data: bytes) -> list[list[str]]:
    """Rows of cells (as text, dates as YYYY-MM-DD) of a CSV or the first XLSX sheet."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ImportFailed(["无法读取该 XLSX 文件，请确认文件未损坏"]) from error
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    if not name.lower().endswith(".csv"):
        raise ImportFailed(["只能导入 CSV 或 XLSX 文件"])
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is None:
            raise ImportFailed(["无法识别文件编码，请另存为 UTF-8 编码的 CSV"])
        text = data.decode(best.encoding, errors="replace")
    return [row for row in csv.reader(io.StringIO(text))]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def guess_columns(header: list[str]) -> dict[str, str]:
    names = [h.strip() for h in header]
    out = {}
    for field, options in SYNONYMS.items():
        for option in options:
            if option in names:
                out[field] = option
                break
    return out


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")


def parse_date(text: str) -> date | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_rows(rows: list[list[str]], columns: dict[str, str]) -> list[dict]:
    """Records from a header row and data rows; ``ImportFailed`` with every problem found."""
    if not rows:
        raise ImportFailed(["文件是空的"])
    header = [str(h).strip() for h in rows[0]]
    errors = []
    position = {}
    for field in FIELDS:
        column = columns.get(field, "")
        if not column:
            if field in REQUIRED:
                errors.append(f"第1行：未指定“{FIELDS[field]}”对应的列")
            continue
        if column not in header:
            errors.append(f"第1行：找不到列“{column}”（{FIELDS[field]}）")
            continue
        position[field] = header.index(column)
    if errors:
        raise ImportFailed(errors)
    records, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in row):
            continue

        def get(field, row=row):
            i = position.get(field)
            return str(row[i]).strip() if i is not None and i < len(row) else ""

        problems = []
        number = get("number")
        if not number:
            problems.append("工单编号为空")
        elif len(number) > 40:
            problems.append("工单编号超过40个字符")
        elif number in seen:
            problems.append(f"工单编号“{number}”与第{seen[number]}行重复")
        received = parse_date(get("received_on"))
        if received is None:
            problems.append(f"受理日期“{get('received_on')}”无法识别，应为 2017-03-01 格式")
        closed_text = get("closed").lower()
        if closed_text not in TRUE | FALSE:
            problems.append(f"是否办结“{get('closed')}”无法识别，应为“是”或“否”")
        rating_text = get("satisfaction")
        if rating_text not in RATINGS:
            problems.append(f"满意度“{rating_text}”无法识别，应为满意、基本满意、不满意或留空")
        visited_text = get("visited").lower()
        if "visited" in position and visited_text not in TRUE | FALSE:
            problems.append(f"是否回访“{get('visited')}”无法识别，应为“是”或“否”")
        if problems:
            errors.extend(f"第{line}行：{p}" for p in problems)
            if len(errors) >= MAX_ERRORS:
                errors.append("错误过多，仅显示前面部分")
                break
            continue
        seen[number] = line
        rating = RATINGS[rating_text]
        records.append(
            {
                "number": number,
                "received_on": received,
                "closed": closed_text in TRUE,
                "satisfaction": rating,
                "visited": visited_text in TRUE if "visited" in position else bool(rating),
                "category": get("category")[:40],
            }
        )
    if errors:
        raise ImportFailed(errors)
    if not records:
        raise ImportFailed(["文件中没有数据行"])
    return records


def store(org: Org, records: Iterable[dict], *, by=None, source: str = "") -> Imported:
    """Write parsed records in one transaction, in batches; one audit entry."""
    records = list(records)
    batch = timezone.now().strftime("%Y%m%d%H%M%S")
    with transaction.atomic():
        numbers = [r["number"] for r in records]
        replaced = 0
        existing = HotlineCall.objects.filter(org=org).exists()
        for start in range(0, len(numbers) if existing else 0, BATCH):
            replaced += HotlineCall.objects.filter(
                org=org, number__in=numbers[start : start + BATCH]
            ).delete()[0]
        _insert(org, batch, records)
        record(
            "interaction.hotline_import",
            actor=by,
            obj=org,
            summary={"rows": len(records), "replaced": replaced, "source": source[:100]},
        )
    return Imported(len(records), replaced, batch)


COLUMNS = ("number", "received_on", "category", "closed", "visited", "satisfaction")


def _insert(org: Org, batch: str, records: list[dict]) -> None:
    """Plain ``executemany`` in batches: 200 000 rows in seconds, where model instances
    (and SQLite's 999-parameter statements) would take far longer."""
    table = connection.ops.quote_name(HotlineCall._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in ("org_id", "batch", *COLUMNS))
    marks = ", ".join(["%s"] * (2 + len(COLUMNS)))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(records), BATCH):
            cursor.executemany(
                sql,
                [(org.pk, batch, *(r[c] for c in COLUMNS)) for r in records[start : start + BATCH]],
            )


def import_file(
    org: Org, name: str, data: bytes, *, columns: dict[str, str] | None = None, by=None
) -> Imported:
    rows = read_table(name, data)
    columns = columns or guess_columns(rows[0] if rows else [])
    return store(org, parse_rows(rows, columns), by=by, source=name)


def mapping_columns(name: str) -> dict[str, str] | None:
    mapping = HotlineMapping.objects.filter(name=name).first()
    return dict(mapping.columns) if mapping else None


def save_mapping(name: str, columns: dict[str, str], *, by=None) -> HotlineMapping:
    columns = {k: v.strip() for k, v in columns.items() if k in FIELDS and v and v.strip()}
    with transaction.atomic():
        mapping, _ = HotlineMapping.objects.update_or_create(
            name=name.strip()[:50], defaults={"columns": columns}
        )
        record(
            "interaction.hotline_mapping",
            actor=by,
            obj=mapping,
            summary={"name": mapping.name, "fields": sorted(columns)},
        )
    return mapping
