"""The standard catalog (CAT-1…4): a tree of any depth per org, imported from XLSX/CSV.

The national layout (CAT-1): 序号；公开事项（一级事项、二级事项[、三级事项…]）；公开内容（要素）；
公开依据；公开时限；公开主体；公开渠道和载体；公开对象；公开方式；公开层级. The header row is
the one naming 一级事项; merged cells (blank level cells) carry the value from the row above.
"""

import csv
import io
import re

from django.db import transaction

from gongkai.audit.services import record
from gongkai.catalog.models import CatalogNode
from gongkai.catalog.rules import parse_time_limit
from gongkai.orgs.models import Org

LEVEL_RE = re.compile(r"^([一二三四五六七八九])级(事项|目录)$")
LEVELS = "一二三四五六七八九"
COLUMNS = {
    "公开内容": "content",
    "公开依据": "basis",
    "公开时限": "time_limit",
    "公开主体": "subject",
    "公开渠道": "channels",
    "公开对象": "audience",
    "公开方式": "mode",
    "公开层级": "tier",
}


class CatalogImportError(Exception):
    pass


def create_node(org: Org, name: str, parent: CatalogNode | None = None, **fields) -> CatalogNode:
    node, created = CatalogNode.objects.get_or_create(
        org=org,
        parent=parent,
        name=name,
        defaults={"level": parent.level + 1 if parent else 1, **fields},
    )
    if created or not node.path:
        node.path = (parent.path if parent else "/") + f"{node.pk}/"
        node.save(update_fields=["path"])
    elif fields:
        for key, value in fields.items():
            setattr(node, key, value)
        node.save()
    return node


def read_rows(filename: str, data: bytes) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    text = data.decode("utf-8-sig") if not data.startswith(b"\xff\xfe") else data.decode("utf-16")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _header(rows: list[list[str]]) -> tuple[int, dict[int, int], dict[int, str]]:
    for number, row in enumerate(rows[:5]):
        levels = {}
        for col, cell in enumerate(row):
            cell = re.sub(r"\s", "", cell)
            if m := LEVEL_RE.match(cell):
                levels[col] = LEVELS.index(m.group(1)) + 1
        if levels:
            fields = {}
            # A two-row header puts 公开内容… in the row above 一级事项/二级事项.
            for header_row in rows[max(number - 1, 0) : number + 1]:
                for col, cell in enumerate(header_row):
                    for prefix, field in COLUMNS.items():
                        if cell.replace(" ", "").startswith(prefix):
                            fields[col] = field
            return number, levels, fields
    raise CatalogImportError("找不到表头：应有“一级事项”“二级事项”等列（CAT-1）")


def import_catalog(org: Org, filename: str, data: bytes, *, actor=None) -> dict[int, int]:
    """Import one org's catalog; returns nodes per level. Running it again adds nothing."""
    rows = read_rows(filename, data)
    start, level_cols, field_cols = _header(rows)
    order = sorted(level_cols, key=level_cols.get)
    counts: dict[int, int] = {}
    carry: list[str] = [""] * len(order)
    with transaction.atomic():
        for row in rows[start + 1 :]:
            if not any(row):
                continue
            names = []
            for i, col in enumerate(order):
                value = row[col] if col < len(row) else ""
                if value:
                    carry[i] = value
                    carry[i + 1 :] = [""] * (len(order) - i - 1)
                names.append(carry[i])
            names = [n for n in names if n]
            if not names:
                continue
            parent = None
            for depth, name in enumerate(names, start=1):
                fields = {}
                if depth == len(names):
                    fields = {
                        field: row[col] for col, field in field_cols.items() if col < len(row)
                    }
                    if fields.get("time_limit"):
                        limit = parse_time_limit(fields["time_limit"])
                        fields["time_limit_kind"], fields["time_limit_n"] = limit.kind, limit.n
                existed = CatalogNode.objects.filter(org=org, parent=parent, name=name).exists()
                parent = create_node(org, name[:200], parent, **fields)
                if not existed:
                    counts[depth] = counts.get(depth, 0) + 1
        record("catalog.import_tree", actor=actor, obj=org, summary={"levels": counts})
    return counts
