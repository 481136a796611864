"""Bulk import of existing items from CSV/XLSX (issue 5 §9).

Two passes. The first reads the whole file and checks every row (line-numbered errors); a
file with any error imports nothing. The second writes batches, each in one transaction that
also advances ``ImportJob.done``, and indexes them for search: a run that stops half-way is
resumed by importing the same file again (same SHA-256), from the first row not yet written.

Columns (header row, Chinese names; order free): 索引号, 信息名称*, 发布机构*, 文号, 成文日期*,
发布日期*, 主题分类, 目录分类 ("一级/二级/…" path or a leaf name), 公开属性, 文件类型,
有效性, 实施日期, 废止日期, 信息类别, 内容概述, 正文. Choice columns take the code or the
Chinese label. A blank 索引号 is generated (IDX-2).
"""

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F

from gongkai import search
from gongkai.audit.services import record
from gongkai.catalog import rules
from gongkai.catalog.enums import Attribute, DocKind, JobStatus, Legacy, Status, Validity
from gongkai.catalog.models import CatalogNode, ImportJob, IndexSequence, Item
from gongkai.catalog.services import document
from gongkai.orgs.models import Org

COLUMNS = {
    "索引号": "index_no",
    "信息名称": "title",
    "发布机构": "org",
    "文号": "number",
    "成文日期": "formed_on",
    "发布日期": "published_on",
    "主题分类": "subject",
    "目录分类": "node",
    "公开属性": "attribute",
    "文件类型": "kind",
    "有效性": "validity",
    "实施日期": "effective_on",
    "废止日期": "repealed_on",
    "信息类别": "legacy_category",
    "内容概述": "summary",
    "正文": "body",
}
REQUIRED = ("title", "org", "formed_on", "published_on")
CHOICES = {
    "attribute": Attribute,
    "kind": DocKind,
    "validity": Validity,
    "legacy_category": Legacy,
}
BATCH = 2000
MAX_ERRORS = 1000


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} 处错误")


@dataclass
class Row:
    line: int
    values: dict


def _rows(filename: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else str(v).strip() for v in row]
        return
    text = data.decode("utf-8-sig")
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield number, [cell.strip() for cell in row]


def _choice(enum, value: str) -> str | None:
    if value in enum.values:
        return value
    for code, label in enum.choices:
        if value == str(label):
            return code
    return None


def read(filename: str, data: bytes, *, orgs, job: ImportJob | None = None) -> list[Row]:
    """Parse and check the whole file; raise ``ImportFailed`` with line-numbered errors."""
    errors: list[str] = []
    rows = _rows(filename, data)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ImportFailed(["文件为空"]) from None
    columns = {
        i: COLUMNS[h.replace(" ", "")]
        for i, h in enumerate(header)
        if h.replace(" ", "") in COLUMNS
    }
    missing = [
        name for name, key in COLUMNS.items() if key in REQUIRED and key not in columns.values()
    ]
    if missing:
        raise ImportFailed([f"第1行：缺少列 {'、'.join(missing)}"])
    org_by_name = {org.name: org for org in orgs}
    nodes: dict[tuple[int, str], int] = {}
    for node in CatalogNode.objects.filter(org__in=orgs).select_related("parent"):
        nodes.setdefault((node.org_id, node.name), node.pk)
    paths = _node_paths(orgs)
    out: list[Row] = []
    seen_numbers: dict[tuple[int, str], int] = {}
    seen_index: dict[str, int] = {}
    for line, cells in rows:
        if not any(cells):
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in columns.items()}
        problems = []
        for key in REQUIRED:
            if not values.get(key):
                problems.append(f"{_label(key)}必填")
        org = org_by_name.get(values.get("org", ""))
        if values.get("org") and org is None:
            problems.append(f"发布机构“{values['org']}”不存在或不在权限范围内")
        for key in ("formed_on", "published_on", "effective_on", "repealed_on"):
            try:
                values[key] = rules.parse_date(values.get(key))
            except ValueError as error:
                problems.append(f"{_label(key)}：{error}")
                values[key] = None
        if values["formed_on"]:
            problems += rules.date_errors(
                formed_on=values["formed_on"],
                published_on=values["published_on"],
                effective_on=values["effective_on"],
                repealed_on=values["repealed_on"],
            ).values()
        for key, enum in CHOICES.items():
            raw = values.get(key, "")
            if raw:
                code = _choice(enum, raw)
                if code is None:
                    problems.append(f"{_label(key)}“{raw}”不正确")
                values[key] = code or ""
        if org and values.get("node"):
            node_id = paths.get((org.pk, values["node"])) or nodes.get((org.pk, values["node"]))
            if node_id is None:
                problems.append(f"目录分类“{values['node']}”不存在")
            values["node"] = node_id
        else:
            values["node"] = None
        if org and values.get("number"):
            key = (org.pk, values["number"])
            if key in seen_numbers:
                problems.append(f"文号“{values['number']}”与第{seen_numbers[key]}行重复")
            seen_numbers.setdefault(key, line)
        if values.get("index_no"):
            if values["index_no"] in seen_index:
                problems.append(
                    f"索引号“{values['index_no']}”与第{seen_index[values['index_no']]}行重复"
                )
            seen_index.setdefault(values["index_no"], line)
        values["org"] = org
        if problems:
            errors.append(f"第{line}行：" + "；".join(problems))
            if len(errors) >= MAX_ERRORS:
                break
        out.append(Row(line, values))
    errors += _database_duplicates(out, job)
    if errors:
        raise ImportFailed(errors[:MAX_ERRORS])
    return out


def _label(key: str) -> str:
    return next(name for name, k in COLUMNS.items() if k == key)


def _node_paths(orgs) -> dict[tuple[int, str], int]:
    nodes = {n.pk: n for n in CatalogNode.objects.filter(org__in=orgs)}
    out = {}
    for node in nodes.values():
        names = [
            nodes[int(p)].name for p in node.path.strip("/").split("/") if p and int(p) in nodes
        ]
        out[(node.org_id, "/".join(names))] = node.pk
    return out


def _database_duplicates(rows: list[Row], job: ImportJob | None) -> list[str]:
    errors = []
    existing = Item.objects.all()
    if job is not None:
        existing = existing.exclude(import_job=job)
    index_nos = [r.values["index_no"] for r in rows if r.values.get("index_no")]
    taken = {}
    for start in range(0, len(index_nos), 5000):
        taken.update(
            existing.filter(index_no__in=index_nos[start : start + 5000]).values_list(
                "index_no", "title"
            )
        )
    by_org = defaultdict(list)
    for r in rows:
        if r.values.get("number") and r.values["org"]:
            by_org[r.values["org"].pk].append(r.values["number"])
    numbers = {}
    for org_id, nums in by_org.items():
        for start in range(0, len(nums), 5000):
            for number, title in existing.filter(
                org_id=org_id, number__in=nums[start : start + 5000]
            ).values_list("number", "title"):
                numbers[(org_id, number)] = title
    for r in rows:
        if (title := taken.get(r.values.get("index_no"))) is not None:
            errors.append(f"第{r.line}行：索引号“{r.values['index_no']}”已被信息“{title}”使用")
        org = r.values["org"]
        if org and (title := numbers.get((org.pk, r.values.get("number")))) is not None:
            errors.append(f"第{r.line}行：文号“{r.values['number']}”已被本机关信息“{title}”使用")
    return errors


def _allocate(org: Org, year: int, n: int) -> list[str]:
    template = settings.GONGKAI_INDEX_TEMPLATE
    code = rules.org_code(org.credit_code, org.pk)
    out: list[str] = []
    while len(out) < n:
        want = n - len(out)
        seq, _ = IndexSequence.objects.select_for_update().get_or_create(org=org, year=year)
        IndexSequence.objects.filter(pk=seq.pk).update(last=F("last") + want)
        seq.refresh_from_db(fields=["last"])
        candidates = [
            rules.index_number(template, org_code=code, year=year, serial=s)
            for s in range(seq.last - want + 1, seq.last + 1)
        ]
        taken = set(Item.objects.filter(index_no__in=candidates).values_list("index_no", flat=True))
        out += [c for c in candidates if c not in taken]
    return out


def _write(rows: list[Row], job: ImportJob, author) -> None:
    need = defaultdict(list)
    for r in rows:
        if not r.values.get("index_no"):
            need[(r.values["org"], r.values["formed_on"].year)].append(r)
    for (org, year), group in need.items():
        for r, number in zip(group, _allocate(org, year, len(group)), strict=True):
            r.values["index_no"] = number
    items = []
    for r in rows:
        v = r.values
        kind = v.get("kind") or DocKind.OTHER
        validity = v.get("validity") or ""
        if kind in (DocKind.RULE, DocKind.NORMATIVE) and not validity:
            validity = Validity.REPEALED if v.get("repealed_on") else Validity.VALID
        body = rules.sanitize(v.get("body", ""))
        items.append(
            Item(
                org=v["org"],
                node_id=v.get("node"),
                index_no=v["index_no"],
                title=v["title"][:300],
                number=v.get("number", "")[:100],
                formed_on=v["formed_on"],
                published_on=v["published_on"],
                subject=v.get("subject", "")[:100],
                attribute=v.get("attribute") or Attribute.ACTIVE,
                kind=kind,
                validity=validity,
                effective_on=v.get("effective_on"),
                repealed_on=v.get("repealed_on"),
                legacy_category=v.get("legacy_category") or Legacy.OTHER,
                summary=v.get("summary", ""),
                body_html=body,
                body_text=rules.html_text(body),
                status=Status.PUBLISHED,
                author=author,
                import_job=job,
            )
        )
    created = Item.objects.bulk_create(items, batch_size=500)
    if any(item.pk is None for item in created):  # backends that do not return keys
        created = list(
            Item.objects.filter(import_job=job, index_no__in=[i.index_no for i in items])
        )
    orgs = {item.org_id: item.org for item in items}
    for item in created:
        item.org = orgs[item.org_id]
    search.index([document(item, []) for item in created if item.attribute == Attribute.ACTIVE])


def run(
    filename: str,
    data: bytes,
    *,
    orgs,
    author,
    progress: Callable[[int, int], None] | None = None,
    job: ImportJob | None = None,
) -> ImportJob:
    """Import a file (or resume the unfinished job of the same file). Raises ``ImportFailed``."""
    digest = hashlib.sha256(data).hexdigest()
    orgs = list(orgs)
    if job is None:
        job = ImportJob.objects.filter(digest=digest, status=JobStatus.RUNNING).first()
    if job is None:
        job = ImportJob.objects.create(
            org=orgs[0], filename=filename[:200], digest=digest, created_by=author
        )
    try:
        rows = read(filename, data, orgs=orgs, job=job)
    except ImportFailed as failed:
        job.status, job.errors = JobStatus.FAILED, failed.errors
        job.data = None
        job.save()
        raise
    job.total = len(rows)
    job.save(update_fields=["total", "updated_at"])
    if progress:
        progress(job.done, job.total)
    for start in range(job.done, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        with transaction.atomic():
            _write(batch, job, author)
            job.done = start + len(batch)
            job.save(update_fields=["done", "updated_at"])
        if progress:
            progress(job.done, job.total)
    with transaction.atomic():
        job.status = JobStatus.DONE
        job.data = None
        job.save()
        record(
            "catalog.import", actor=author, obj=job, summary={"file": filename, "rows": job.total}
        )
    return job
