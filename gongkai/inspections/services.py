"""Every change of state for 双随机一公开: imports, draws, results. Each writes the audit log."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.inspections import rules
from gongkai.inspections.enums import DrawStatus, Outcome, RiskLevel, Weighting
from gongkai.inspections.models import (
    Assignment,
    Draw,
    Entity,
    InspectionItem,
    InspectionResult,
    Inspector,
)
from gongkai.orgs.models import Org
from gongkai.orgs.queries import subtree
from gongkai.orgs.rules import credit_code_error
from gongkai.workdays.services import load_calendar

ENTITY_COLUMNS = {
    "名称": "name",
    "统一社会信用代码": "credit_code",
    "法定代表人": "legal_rep",
    "注册地址": "address",
    "行业": "industry",
    "区域": "area",
    "风险等级": "risk_level",
    "风险标记": "risk_marks",
}
INSPECTOR_COLUMNS = {
    "姓名": "name",
    "执法证号": "certificate",
    "执法证有效期至": "valid_until",
    "执法领域": "field",
    "所属机关": "org",
    "利害关系": "conflicts",
}
RISK_BY_LABEL = {str(level.label): level.value for level in RiskLevel} | {
    level.value: level.value for level in RiskLevel
}


class RegistryImportError(Exception):
    """An import that wrote nothing; ``messages`` are line-numbered Chinese messages."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


class DrawRefused(Exception):
    """A draw refused before anything was drawn (RND: empty inputs, sample too large…)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)


# --- reading CSV / XLSX ----------------------------------------------------------------


def _rows(source: str | Path, columns: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, {field: text}) for each non-empty data row; line 1 is the header."""
    path = Path(source)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        table = [
            ["" if cell is None else _cell_text(cell) for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        book.close()
    else:
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if not table:
        raise RegistryImportError(["文件为空"])
    header = [text.strip() for text in table[0]]
    missing = [name for name in columns if name not in header]
    if missing:
        raise RegistryImportError([f"第1行：缺少列“{'”“'.join(missing)}”"])
    index = {columns[name]: header.index(name) for name in columns}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        cells = list(cells) + [""] * (len(header) - len(cells))
        rows.append((number, {key: str(cells[i]).strip() for key, i in index.items()}))
    return rows


def _cell_text(cell) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _split_codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,，;；、]+", text) if code]


# --- registries ------------------------------------------------------------------------


def import_entities(source: str | Path, *, by=None) -> ImportResult:
    """RND-2: create or update entities by credit code, all or nothing."""
    rows = _rows(source, ENTITY_COLUMNS)
    errors, seen, clean = [], {}, []
    for number, row in rows:
        problems = []
        if not row["name"]:
            problems.append("名称为空")
        if error := credit_code_error(row["credit_code"]):
            problems.append(error)
        elif row["credit_code"] in seen:
            problems.append(f"统一社会信用代码与第{seen[row['credit_code']]}行重复")
        risk = RISK_BY_LABEL.get(row["risk_level"] or RiskLevel.LOW)
        if risk is None:
            problems.append(f"风险等级“{row['risk_level']}”应为低、中或高")
        if problems:
            errors.append(f"第{number}行：{'；'.join(problems)}")
            continue
        seen[row["credit_code"]] = number
        clean.append({**row, "risk_level": risk})
    if errors:
        raise RegistryImportError(errors)
    result = ImportResult()
    with transaction.atomic():
        existing = Entity.objects.in_bulk(
            [r["credit_code"] for r in clean], field_name="credit_code"
        )
        for row in clean:
            entity = existing.get(row["credit_code"])
            if entity is None:
                Entity.objects.create(**row)
                result.created += 1
                continue
            for key, value in row.items():
                setattr(entity, key, value)
            entity.save(update_fields=list(row))
            result.updated += 1
        record(
            "inspections.import_entities",
            actor=by,
            summary={
                "file": Path(source).name,
                "created": result.created,
                "updated": result.updated,
            },
        )
    return result


def import_inspectors(source: str | Path, *, by=None, today: date | None = None) -> ImportResult:
    """RND-3: create or update inspectors by certificate number, all or nothing.

    An expired certificate is imported (the person stays on record) but can never be
    drawn; the result says so, line by line.
    """
    today = today or timezone.localdate()
    rows = _rows(source, INSPECTOR_COLUMNS)
    orgs = {org.name: org for org in Org.objects.filter(name__in={r["org"] for _, r in rows})}
    errors, notes, seen, clean = [], [], {}, []
    for number, row in rows:
        problems = []
        if not row["name"]:
            problems.append("姓名为空")
        if not row["certificate"]:
            problems.append("执法证号为空")
        elif row["certificate"] in seen:
            problems.append(f"执法证号与第{seen[row['certificate']]}行重复")
        try:
            valid_until = date.fromisoformat(row["valid_until"])
        except ValueError:
            valid_until = None
            problems.append(f"执法证有效期“{row['valid_until']}”应为YYYY-MM-DD格式的日期")
        org = orgs.get(row["org"])
        if org is None:
            problems.append(f"所属机关“{row['org']}”不存在")
        conflicts = _split_codes(row["conflicts"])
        problems += [
            f"利害关系中{code}：{e}" for code in conflicts if (e := credit_code_error(code))
        ]
        if problems:
            errors.append(f"第{number}行：{'；'.join(problems)}")
            continue
        seen[row["certificate"]] = number
        if valid_until < today:
            notes.append(
                f"第{number}行：{row['name']}的执法证已于{valid_until.isoformat()}到期，"
                "已导入但标记为不可抽取"
            )
        clean.append({**row, "org": org, "valid_until": valid_until, "conflicts": conflicts})
    if errors:
        raise RegistryImportError(errors)
    result = ImportResult(notes=notes)
    with transaction.atomic():
        existing = Inspector.objects.in_bulk(
            [r["certificate"] for r in clean], field_name="certificate"
        )
        for row in clean:
            inspector = existing.get(row["certificate"])
            if inspector is None:
                Inspector.objects.create(**row)
                result.created += 1
                continue
            for key, value in row.items():
                setattr(inspector, key, value)
            inspector.save(update_fields=list(row))
            result.updated += 1
        record(
            "inspections.import_inspectors",
            actor=by,
            summary={
                "file": Path(source).name,
                "created": result.created,
                "updated": result.updated,
                "expired": len(notes),
            },
        )
    return result


# --- draws -----------------------------------------------------------------------------


def _entity_values(entity: Entity) -> dict:
    values = {key: getattr(entity, key) for key in rules.ENTITY_FIELDS}
    return values | {"org": entity.org_id}


def _inspector_values(inspector: Inspector) -> dict:
    values = {key: getattr(inspector, key) for key in rules.INSPECTOR_FIELDS}
    values["valid_until"] = inspector.valid_until.isoformat()
    return values | {"org": inspector.org_id, "conflicts": list(inspector.conflicts)}


def _item_values(item: InspectionItem) -> dict:
    return {
        "id": item.pk,
        "org": item.org_id,
        "name": item.name,
        "importance": item.importance,
        "legal_basis": item.legal_basis,
    }


def freeze_inputs(
    item: InspectionItem,
    *,
    sample_size: int,
    inspectors_per_entity: int,
    weighting: str = Weighting.UNIFORM,
    on: date | None = None,
) -> dict:
    """The registry as it stands now: active entities, active inspectors of the item's org subtree."""
    weights = rules.RISK_WEIGHTS if weighting == Weighting.RISK else rules.UNIFORM_WEIGHTS
    inspectors = Inspector.objects.filter(active=True, org__in=subtree(item.org))
    return rules.freeze(
        item=_item_values(item),
        entities=[_entity_values(e) for e in Entity.objects.filter(active=True)],
        inspectors=[_inspector_values(p) for p in inspectors],
        on=on or timezone.localdate(),
        sample_size=sample_size,
        inspectors_per_entity=inspectors_per_entity,
        weights=weights,
    )


def draw(
    item: InspectionItem,
    *,
    sample_size: int,
    inspectors_per_entity: int = 2,
    public_random: str,
    by,
    weighting: str = Weighting.UNIFORM,
    on: date | None = None,
) -> Draw:
    """RND-4…7: freeze and hash the inputs, derive the seed, draw, store, audit.

    Raises ``DrawRefused`` (nothing stored) for empty registries, a sample larger than
    the registry, fewer than 2 inspectors per entity, or an entity without enough
    eligible inspectors.
    """
    with transaction.atomic():
        inputs = freeze_inputs(
            item,
            sample_size=sample_size,
            inspectors_per_entity=inspectors_per_entity,
            weighting=weighting,
            on=on,
        )
        if reason := rules.refusal(inputs, public_random):
            raise DrawRefused(reason)
        inputs_hash = rules.inputs_hash(inputs)
        seed = rules.seed_of(inputs_hash, public_random)
        result = rules.run(inputs, seed)
        row = Draw.objects.create(
            item=item,
            org=item.org,
            created_by=by,
            sample_size=sample_size,
            inspectors_per_entity=inspectors_per_entity,
            weighting=weighting,
            public_random=public_random,
            inputs=inputs,
            inputs_hash=inputs_hash,
            seed=seed,
            algorithm=rules.ALGORITHM,
            result=result,
        )
        _store_assignments(row, result)
        record(
            "inspections.draw",
            actor=by,
            obj=row,
            summary={
                "item": item.name,
                "inputs_hash": inputs_hash,
                "public_random": public_random,
                "seed": seed,
                "entities": [r["credit_code"] for r in result["entities"]],
            },
        )
    return row


def _store_assignments(row: Draw, result: dict) -> None:
    entities = Entity.objects.in_bulk(
        [r["credit_code"] for r in result["entities"]], field_name="credit_code"
    )
    certificates = {c for r in result["entities"] for c in r["inspectors"]}
    inspectors = Inspector.objects.in_bulk(list(certificates), field_name="certificate")
    for position, picked in enumerate(result["entities"], start=1):
        assignment = Assignment.objects.create(
            draw=row,
            position=position,
            entity=entities[picked["credit_code"]],
            reserve=picked["reserve"],
        )
        assignment.inspectors.set([inspectors[c] for c in picked["inspectors"]])


@dataclass
class Verification:
    problems: list[str]  # the draw does not reproduce: exit 1
    changes: list[str]  # registry rows changed after the draw: reported, not a failure

    @property
    def ok(self) -> bool:
        return not self.problems


def check(row: Draw) -> Verification:
    """Re-run the draw from its frozen inputs and compare with everything stored."""
    problems = []
    computed = rules.inputs_hash(row.inputs)
    if computed != row.inputs_hash:
        problems.append(f"抽取批次{row.pk}：冻结输入的哈希{computed}与记录的{row.inputs_hash}不符")
    seed = rules.seed_of(row.inputs_hash, row.public_random)
    if seed != row.seed:
        problems.append(f"抽取批次{row.pk}：由输入哈希和公开随机数算得的种子与记录不符")
    if row.algorithm != rules.ALGORITHM:
        problems.append(f"抽取批次{row.pk}：算法版本{row.algorithm}无法复算")
    elif rules.run(row.inputs, seed) != row.result:
        problems.append(f"抽取批次{row.pk}：按冻结输入复算的结果与记录的结果不符")
    stored = [
        {
            "credit_code": a.entity.credit_code,
            "inspectors": sorted(p.certificate for p in a.inspectors.all()),
            "reserve": a.reserve,
        }
        for a in row.assignments.select_related("entity").prefetch_related("inspectors")
    ]
    expected = [{**r, "inspectors": sorted(r["inspectors"])} for r in row.result["entities"]]
    if stored != expected:
        problems.append(f"抽取批次{row.pk}：抽取结果明细与记录的结果不符")
    return Verification(problems=problems, changes=changes_since(row))


def verify(row: Draw) -> list[str]:
    """Every finding: mismatches first, then registry rows changed since the draw."""
    result = check(row)
    return result.problems + result.changes


def changes_since(row: Draw) -> list[str]:
    """Frozen registry rows that differ from the registry now, each named."""
    notes = []
    frozen = {e["credit_code"]: e for e in row.inputs["entities"]}
    current = {e.credit_code: e for e in Entity.objects.filter(credit_code__in=list(frozen))}
    for code, then in frozen.items():
        entity = current.get(code)
        if entity is None:
            notes.append(f"检查对象{code}（{then['name']}）抽取后已从名录删除")
            continue
        now = rules.freeze_entity(_entity_values(entity))
        fields = [key for key in then if then[key] != now[key]]
        if not entity.active:
            fields.append("active")
        if fields:
            notes.append(f"检查对象{code}（{then['name']}）抽取后已变更：{'、'.join(fields)}")
    frozen_people = {p["certificate"]: p for p in row.inputs["inspectors"]}
    people = Inspector.objects.filter(certificate__in=list(frozen_people))
    current_people = {p.certificate: p for p in people}
    for certificate, then in frozen_people.items():
        person = current_people.get(certificate)
        if person is None:
            notes.append(f"检查人员{certificate}（{then['name']}）抽取后已从名录删除")
            continue
        now = rules.freeze_inspector(_inspector_values(person))
        fields = [key for key in then if then[key] != now[key]]
        if fields:
            notes.append(
                f"检查人员{certificate}（{then['name']}）抽取后已变更：{'、'.join(fields)}"
            )
    return notes


def bundle(row: Draw) -> dict:
    """Everything needed to re-run the draw with ``verify_bundle.py`` and nothing else."""
    return {
        "draw": row.pk,
        "item": row.item.name,
        "org": row.org.name,
        "created_at": row.created_at.isoformat(),
        "algorithm": row.algorithm,
        "inputs": row.inputs,
        "inputs_hash": row.inputs_hash,
        "public_random": row.public_random,
        "seed": row.seed,
        "result": row.result,
    }


# --- results and publication (RND-8) ---------------------------------------------------


def enter_result(
    row: Draw,
    entity: Entity,
    *,
    outcome: str,
    finished_on: date,
    by,
    note: str = "",
    today: date | None = None,
) -> InspectionResult:
    """Record what the inspection of one drawn entity found; the publication clock starts."""
    if not row.assignments.filter(entity=entity).exists():
        raise ValueError(f"“{entity.name}”不在抽取批次{row.pk}的抽中名单中")
    due = rules.publication_due(finished_on, load_calendar())
    with transaction.atomic():
        result = InspectionResult.objects.create(
            draw=row,
            entity=entity,
            outcome=outcome,
            note=note,
            finished_on=finished_on,
            entered_on=today or timezone.localdate(),
            due=due,
        )
        record(
            "inspections.enter_result",
            actor=by,
            obj=result,
            summary={"draw": row.pk, "entity": entity.credit_code, "outcome": outcome},
        )
    return result


def publish_result(result: InspectionResult, *, by, on: date | None = None) -> InspectionResult:
    """Mark a result published; the draw closes when all its results are published."""
    if result.published_on is not None:
        raise ValueError("该检查结果已公示")
    with transaction.atomic():
        result.published_on = on or timezone.localdate()
        result.save(update_fields=["published_on"])
        row = result.draw
        if not row.results.filter(published_on=None).exists() and row.results.count() == (
            row.assignments.count()
        ):
            row.status = DrawStatus.CLOSED
            row.save(update_fields=["status"])
        record(
            "inspections.publish_result",
            actor=by,
            obj=result,
            summary={
                "published_on": result.published_on.isoformat(),
                "due": result.due.isoformat(),
            },
        )
    return result


@dataclass
class YearFigures:
    """RND-11: one department's figures for the annual report."""

    org: Org
    items: int
    draws: int
    entities_drawn: int
    problems_found: int
    published_on_time: int
    publication_counted: int  # published, or past the deadline unpublished

    @property
    def on_time_rate(self) -> Decimal | None:
        """Percent with one decimal, half up; None when nothing is counted yet."""
        if not self.publication_counted:
            return None
        rate = Decimal(100 * self.published_on_time) / Decimal(self.publication_counted)
        return rate.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


def year_figures(year: int, *, today: date | None = None) -> list[YearFigures]:
    """Per department with any draw in ``year`` (by draw time), in org tree order."""
    today = today or timezone.localdate()
    draws = Draw.objects.filter(created_at__year=year)
    figures = []
    for org in Org.objects.filter(pk__in=draws.values("org")):
        mine = draws.filter(org=org)
        results = InspectionResult.objects.filter(draw__in=mine)
        counted = results.exclude(published_on=None) | results.filter(
            published_on=None, due__lt=today
        )
        on_time = [r for r in results.exclude(published_on=None) if r.published_on <= r.due]
        figures.append(
            YearFigures(
                org=org,
                items=InspectionItem.objects.filter(org=org).count(),
                draws=mine.count(),
                entities_drawn=Assignment.objects.filter(draw__in=mine).count(),
                problems_found=results.exclude(outcome=Outcome.NONE).count(),
                published_on_time=len(on_time),
                publication_counted=counted.count(),
            )
        )
    return figures
