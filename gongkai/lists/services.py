"""Every change of state of the public lists: import a version, publish it (PUB-9).

Each goes through one function here, in one transaction, with its audit entry.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.lib.extract import ExtractionFailed, decode_text, extension
from gongkai.lists import rules
from gongkai.lists.enums import ListKind, Status
from gongkai.lists.models import ListEntry, ListVersion
from gongkai.orgs.models import Org

MAX_ROWS = 20000


class ImportFailed(Exception):
    """``errors`` lists every problem, each starting with its line number (第N行)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class AlreadyPublished(Exception):
    pass


@dataclass(frozen=True)
class ImportResult:
    version: ListVersion
    entries: int
    replaced: int


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a CSV or XLSX file; line 1 is the header."""
    kind = extension(filename)
    if kind == "csv":
        try:
            text = decode_text(data)
        except ExtractionFailed as error:
            raise ImportFailed([f"第1行：{error}"]) from error
        lines = list(csv.reader(io.StringIO(text)))
        return [(n, [_cell(v) for v in row]) for n, row in enumerate(lines, start=1)]
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
            raise ImportFailed(["第1行：无法读取XLSX文件，文件已损坏或不是 .xlsx 格式"]) from error
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            return [(n, [_cell(v) for v in row]) for n, row in enumerate(rows, start=1)]
        finally:
            book.close()
    raise ImportFailed([f"第1行：只能导入 .csv 或 .xlsx 文件，收到“{filename}”"])


# The columns of the import template, in order (``rules.HEADERS`` also takes other names).
TEMPLATE_COLUMNS = ["序号", "事项名称", "事项类别", "依据", "实施主体", "标准", "变更类型", "备注"]


def import_template(kind: str) -> bytes:
    """An XLSX import template for a list: the header row, the choices of 变更类型 (and of
    事项类别 for 权责清单) as drop-down lists, one example row to overwrite."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from gongkai.lists.enums import POWER_CATEGORIES, Change

    book = Workbook()
    sheet = book.active
    sheet.title = str(ListKind(kind).label)[:31]
    sheet.append(TEMPLATE_COLUMNS)
    category = POWER_CATEGORIES[0] if kind == ListKind.POWER else ""
    sheet.append([1, "（示例）事项名称", category, "《……条例》第×条", "市……局", "", "保留", ""])
    for column, width in zip("ABCDEFGH", (6, 36, 14, 36, 20, 24, 10, 20), strict=True):
        sheet.column_dimensions[column].width = width
    choices = {"G": [str(label) for label in Change.labels]}
    if kind == ListKind.POWER:
        choices["C"] = list(POWER_CATEGORIES)
    for column, values in choices.items():
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        rule.add(f"{column}2:{column}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse_rows(kind: str, rows: list[tuple[int, list[str]]]) -> list[dict[str, str]]:
    """Checked entries of an import, or ``ImportFailed`` naming every bad line."""
    if not rows or not any(rows[0][1]):
        raise ImportFailed(["第1行：文件为空，缺少表头"])
    header = rows[0][1]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        field = rules.HEADERS.get(name.strip())
        if field and field not in columns:
            columns[field] = index
    missing = ["事项名称"] if "name" not in columns else []
    if kind == ListKind.POWER and "category" not in columns:
        missing.append("事项类别")
    if missing:
        raise ImportFailed([f"第1行：缺少“{name}”列" for name in missing])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFailed([f"第{MAX_ROWS + 2}行：一次最多导入{MAX_ROWS}条"])
    errors: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    entries = []
    for line, cells in rows[1:]:
        if not any(cells):
            continue
        row = {field: cells[i] if i < len(cells) else "" for field, i in columns.items()}
        problems = rules.row_problems(kind, row)
        key = (row.get("name", ""), row.get("category", ""), row.get("department", ""))
        if row.get("name"):
            first = seen.setdefault(key, line)
            if first != line:
                problems.append(f"与第{first}行重复（同一事项名称、类别和实施主体）")
        if problems:
            errors.append(f"第{line}行：" + "；".join(problems))
            continue
        row.pop("seq", None)
        row["change"] = rules.parse_change(row.get("change", ""))
        entries.append(row)
    if errors:
        raise ImportFailed(errors)
    if not entries:
        raise ImportFailed(["第2行：文件中没有条目"])
    return entries


def save_version(
    org: Org,
    kind: str,
    year: int,
    entries: list[dict[str, str]],
    *,
    by,
    complete: bool = True,
    note: str = "",
    action: str = "lists.import",
) -> ImportResult:
    """Create the draft version of (org, kind, year) or replace a draft's entries; all or none.

    A published version is never overwritten (``AlreadyPublished``): publish a corrected
    list as next year's version, or ask an administrator.
    """
    with transaction.atomic():
        version, created = ListVersion.objects.select_for_update().get_or_create(
            org=org, kind=kind, year=year, defaults={"complete": complete, "note": note}
        )
        if version.status == Status.PUBLISHED:
            raise AlreadyPublished(f"{version}已发布，不能覆盖")
        replaced = 0 if created else version.entries.count()
        version.entries.all().delete()
        version.complete, version.note = complete, note
        version.save(update_fields=["complete", "note", "updated_at"])
        ListEntry.objects.bulk_create(
            ListEntry(version=version, seq=seq, **entry)
            for seq, entry in enumerate(entries, start=1)
        )
        record(
            action,
            actor=by,
            obj=version,
            summary={
                "org": org.name,
                "kind": kind,
                "year": year,
                "entries": len(entries),
                "replaced": replaced,
            },
        )
    return ImportResult(version, len(entries), replaced)


def import_file(
    filename: str, data: bytes, *, org: Org, kind: str, year: int, by, complete: bool = True
) -> ImportResult:
    """Import a CSV/XLSX list into the draft version of (org, kind, year): every row or none."""
    entries = parse_rows(kind, read_rows(filename, data))
    return save_version(org, kind, year, entries, by=by, complete=complete)


def publish(version: ListVersion, *, by, at=None) -> ListVersion:
    """Publish a draft version on the portal; audited as ``lists.publish``."""
    with transaction.atomic():
        version = ListVersion.objects.select_for_update().get(pk=version.pk)
        if version.status == Status.PUBLISHED:
            raise AlreadyPublished(f"{version}已发布")
        version.status = Status.PUBLISHED
        version.published_at = at or timezone.now()
        version.published_by = by if getattr(by, "is_authenticated", False) else None
        _save_state(version, "lists.publish", by, entries=version.entries.count())
    return version


def _save_state(version: ListVersion, action: str, by, **summary) -> None:
    """Save a change of a version's publication state, with its audit entry."""
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    about = {"org": version.org.name, "kind": version.kind, "year": version.year}
    record(action, actor=by, obj=version, summary={**about, **summary})


class WithdrawRefused(Exception):
    pass


def withdraw(version: ListVersion, *, by, reason: str) -> ListVersion:
    """Take a published version off the portal (撤回发布): it is a draft again, to be corrected
    or replaced by a new import and published anew; audited as ``lists.withdraw``."""
    reason = reason.strip()
    if not reason:
        raise WithdrawRefused("请填写撤回理由")
    with transaction.atomic():
        version = ListVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != Status.PUBLISHED:
            raise WithdrawRefused(f"{version}尚未发布，无需撤回")
        published_at = version.published_at
        version.status = Status.DRAFT
        version.published_at = None
        version.published_by = None
        _save_state(
            version,
            "lists.withdraw",
            by,
            reason=reason[:300],
            published_at=published_at.isoformat() if published_at else None,
        )
    return version
