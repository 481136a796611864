"""Every change of state for 双随机一公开: imports, draws, results. Each writes the audit log."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.inspections import rules, verify_bundle
from gongkai.inspections.enums import DrawStatus, Importance, Outcome, RiskLevel, Weighting
from gongkai.inspections.models import (
    Assignment,
    Batch,
    Draw,
    Entity,
    InspectionItem,
    InspectionResult,
    Inspector,
    Plan,
    Recusal,
    RegistryChange,
)
from gongkai.orgs.models import Org
from gongkai.orgs.rules import credit_code_error
from gongkai.workdays.rules import CalendarYearMissing
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
    "规模": "size",
}
OPTIONAL_COLUMNS = frozenset({"规模"})
INSPECTOR_COLUMNS = {
    "姓名": "name",
    "执法证号": "certificate",
    "执法证有效期至": "valid_until",
    "执法领域": "field",
    "所属机关": "org",
    "利害关系": "conflicts",
}
ITEM_COLUMNS = {
    "实施机关": "org",
    "抽查事项": "name",
    "法律依据": "legal_basis",
    "检查对象": "object_type",
    "检查方式": "method",
    "事项类别": "importance",
    "抽查比例": "ratio",
    "抽查频次": "frequency",
}
IMPORTANCE_BY_LABEL = {
    "重点": Importance.KEY,
    "重点检查事项": Importance.KEY,
    "key": Importance.KEY,
    "一般": Importance.GENERAL,
    "一般检查事项": Importance.GENERAL,
    "general": Importance.GENERAL,
    "": Importance.GENERAL,
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
    missing = [name for name in columns if name not in header and name not in OPTIONAL_COLUMNS]
    if missing:
        raise RegistryImportError([f"第1行：缺少列“{'”“'.join(missing)}”"])
    index = {columns[name]: header.index(name) for name in columns if name in header}
    absent = {columns[name]: "" for name in columns if name not in header}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        cells = list(cells) + [""] * (len(header) - len(cells))
        values = {key: str(cells[i]).strip() for key, i in index.items()}
        rows.append((number, absent | values))
    return rows


def _cell_text(cell) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _split_codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,，;；、]+", text) if code]


# --- the item list (RND-1) -------------------------------------------------------------


def import_items(
    source: str | Path, *, by=None, listed_on: date | None = None, allowed=None
) -> ImportResult:
    """RND-1: create or update the 随机抽查事项清单 by (实施机关, 抽查事项), all or nothing.

    Ratio is a percentage (“5”, “5%”) or empty (重点事项 have no upper limit).
    """
    rows = _rows(source, ITEM_COLUMNS)
    orgs = {org.name: org for org in Org.objects.filter(name__in={r["org"] for _, r in rows})}
    orgs |= {
        org.short_name: org
        for org in Org.objects.filter(short_name__in={r["org"] for _, r in rows})
        if org.short_name
    }
    errors, seen, clean = [], {}, []
    for number, row in rows:
        problems = []
        org = orgs.get(row["org"])
        if org is None:
            problems.append(f"实施机关“{row['org']}”不存在")
        elif allowed is not None and org not in allowed:
            problems.append(f"实施机关“{row['org']}”不在您的管理范围内")
        if not row["name"]:
            problems.append("抽查事项为空")
        elif (row["org"], row["name"]) in seen:
            problems.append(f"与第{seen[(row['org'], row['name'])]}行重复")
        else:
            seen[(row["org"], row["name"])] = number
        importance = IMPORTANCE_BY_LABEL.get(row["importance"])
        if importance is None:
            problems.append(f"事项类别“{row['importance']}”应为重点或一般")
        ratio = None
        if text := row["ratio"].rstrip("%％").strip():
            try:
                ratio = Decimal(text)
            except ArithmeticError:
                ratio = Decimal(-1)
            if not Decimal(0) < ratio <= Decimal(100):
                problems.append(f"抽查比例“{row['ratio']}”应为0到100之间的百分数")
        if problems:
            errors.append(f"第{number}行：{'；'.join(problems)}")
            continue
        clean.append({**row, "org": org, "importance": importance, "ratio": ratio})
    if errors:
        raise RegistryImportError(errors)
    result = ImportResult()
    with transaction.atomic():
        for row in clean:
            item = InspectionItem.objects.filter(org=row["org"], name=row["name"]).first()
            if item is None:
                InspectionItem.objects.create(**row, listed_on=listed_on)
                result.created += 1
                continue
            changed = [key for key, value in row.items() if getattr(item, key) != value]
            if item.withdrawn_on is not None:
                item.withdrawn_on = None
                changed.append("withdrawn_on")
            for key in changed:
                setattr(item, key, row.get(key))
            if changed:
                item.save(update_fields=changed)
                result.updated += 1
        _record_import("inspections.import_items", source, result, by=by)
    return result


def _record_import(action: str, source, result: ImportResult, *, by, **more) -> None:
    """The audit entry of a registry import: the file's name and what it created or updated."""
    summary = {"file": Path(source).name, "created": result.created, "updated": result.updated}
    record(action, actor=by, summary={**summary, **more})


def withdraw_item(item: InspectionItem, *, on: date, by) -> InspectionItem:
    """RND-1: take an item off the list (the law changed); past draws keep pointing at it."""
    with transaction.atomic():
        item.withdrawn_on = on
        item.save(update_fields=["withdrawn_on"])
        record("inspections.withdraw_item", actor=by, obj=item, summary={"on": on.isoformat()})
    return item


# --- registries ------------------------------------------------------------------------


def _upsert(model, key: str, rows: list[dict], result: ImportResult, *, by, source: str) -> None:
    """Create or update registry rows by their natural ``key``, keeping history (RND-2/3)."""
    existing = model.objects.in_bulk([r[key] for r in rows], field_name=key)
    for row in rows:
        current = existing.get(row[key])
        if current is None:
            _remember(model.objects.create(**row), None, by=by, source=source)
            result.created += 1
        elif _update(current, row, by=by, source=source):
            result.updated += 1


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
        _upsert(Entity, "credit_code", clean, result, by=by, source=Path(source).name)
        _record_import("inspections.import_entities", source, result, by=by)
    return result


def import_inspectors(
    source: str | Path, *, by=None, today: date | None = None, allowed=None
) -> ImportResult:
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
        elif allowed is not None and org not in allowed:
            problems.append(f"所属机关“{row['org']}”不在您的管理范围内")
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
        _upsert(Inspector, "certificate", clean, result, by=by, source=Path(source).name)
        _record_import("inspections.import_inspectors", source, result, by=by, expired=len(notes))
    return result


ENTITY_HISTORY = (*rules.ENTITY_FIELDS, "size", "risk_marks", "active")
INSPECTOR_HISTORY = (*rules.INSPECTOR_FIELDS, "conflicts", "active")


def _snapshot(row: Entity | Inspector) -> dict:
    """The registry row as plain JSON values, for the history table."""
    names = ENTITY_HISTORY if isinstance(row, Entity) else INSPECTOR_HISTORY
    values = {}
    for name in names:
        value = getattr(row, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values | {"org": row.org_id}


def _remember(row: Entity | Inspector, before: dict | None, *, by, source: str) -> None:
    if isinstance(row, Entity):
        kind, key = RegistryChange.Kind.ENTITY, row.credit_code
    else:
        kind, key = RegistryChange.Kind.INSPECTOR, row.certificate
    RegistryChange.objects.create(
        kind=kind, key=key, before=before, after=_snapshot(row), changed_by=by, source=source
    )


def _update(row: Entity | Inspector, values: dict, *, by, source: str) -> bool:
    """Apply ``values``; save and keep the old values in the history only if anything differs."""
    before = _snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    if _snapshot(row) == before:
        return False
    row.save(update_fields=list(values))
    _remember(row, before, by=by, source=source)
    return True


def update_registry_row(row: Entity | Inspector, *, by, source: str = "", **values) -> bool:
    """RND-2/3: change one registry row (or take it off the register with ``active=False``).

    The old values go to the history table and the audit log; returns False when nothing
    changed.
    """
    with transaction.atomic():
        changed = _update(row, values, by=by, source=source or "手工变更")
        if changed:
            record(
                "inspections.update_registry",
                actor=by,
                obj=row,
                summary={"fields": sorted(values), "source": source},
            )
    return changed


def remember_created(row: Entity | Inspector, *, by, source: str) -> None:
    """The first version of a registry row created outside the importers (admin)."""
    with transaction.atomic():
        _remember(row, None, by=by, source=source)
        record("inspections.create_registry", actor=by, obj=row, summary={"source": source})


def history(key: str) -> list[RegistryChange]:
    """Every recorded version of one entity (credit code) or inspector (certificate)."""
    return list(RegistryChange.objects.filter(key=key).order_by("pk"))


# --- draws -----------------------------------------------------------------------------


def _entity_values(entity: Entity) -> dict:
    values = {key: getattr(entity, key) for key in rules.ENTITY_FIELDS}
    return values | {"org": entity.org_id}


def _inspector_values(inspector: Inspector) -> dict:
    values = {key: getattr(inspector, key) for key in rules.INSPECTOR_FIELDS}
    values["valid_until"] = inspector.valid_until.isoformat()
    return values | {"org": inspector.org_id, "conflicts": list(inspector.conflicts)}


def _item_values(item: InspectionItem, batch: Batch | None = None) -> dict:
    values = {
        "id": item.pk,
        "org": item.org_id,
        "name": item.name,
        "importance": item.importance,
        "legal_basis": item.legal_basis,
    }
    if batch is not None:  # RND-7: plan and batch ids go into the hash, hence the seed
        values |= {
            "plan": batch.plan_id,
            "batch": batch.pk,
            "scope": json.dumps(batch.scope, ensure_ascii=False, sort_keys=True),
            "joint_orgs": ",".join(str(pk) for pk in sorted(_joint_ids(batch))),
        }
    return values


SCOPE_FIELDS = ("industry", "area", "size", "risk_level")


def _joint_ids(batch: Batch) -> list[int]:
    return [org.pk for org in batch.joint_orgs.all()]


def scoped_entities(scope: dict | None) -> QuerySet[Entity]:
    """RND-4 定向抽查: active entities matching every condition of ``scope`` (field → values)."""
    entities = Entity.objects.filter(active=True)
    for name, wanted in (scope or {}).items():
        if name not in SCOPE_FIELDS:
            raise DrawRefused(f"抽取范围条件“{name}”无效，可用：{'、'.join(SCOPE_FIELDS)}")
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        if values:
            entities = entities.filter(**{f"{name}__in": values})
    return entities


def freeze_inputs(
    item: InspectionItem,
    *,
    sample_size: int,
    inspectors_per_entity: int,
    weighting: str = Weighting.UNIFORM,
    on: date | None = None,
    batch: Batch | None = None,
) -> dict:
    """The registry as it stands now: active entities (in the batch's scope), active
    inspectors of the item's org subtree and of the joint departments' subtrees (RND-10)."""
    weights = rules.RISK_WEIGHTS if weighting == Weighting.RISK else rules.UNIFORM_WEIGHTS
    orgs = Q(org__path__startswith=item.org.path)
    if batch is not None:
        for org in batch.joint_orgs.all():
            orgs |= Q(org__path__startswith=org.path)
    inspectors = Inspector.objects.filter(orgs, active=True).select_related("org")
    entities = scoped_entities(batch.scope if batch else None)
    return rules.freeze(
        item=_item_values(item, batch),
        entities=[_entity_values(e) for e in entities],
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
    batch: Batch | None = None,
) -> Draw:
    """RND-4…7: freeze and hash the inputs, derive the seed, draw, store, audit.

    Raises ``DrawRefused`` (nothing stored) for empty registries, a sample larger than
    the registry, fewer than 2 inspectors per entity, or an entity without enough
    eligible inspectors.
    """
    public_random = public_random.strip()
    with transaction.atomic():
        inputs = freeze_inputs(
            item,
            sample_size=sample_size,
            inspectors_per_entity=inspectors_per_entity,
            weighting=weighting,
            on=on,
            batch=batch,
        )
        if reason := rules.refusal(inputs, public_random):
            raise DrawRefused(reason)
        inputs_hash = rules.inputs_hash(inputs)
        seed = rules.seed_of(inputs_hash, public_random)
        record(
            "inspections.freeze",
            actor=by,
            summary={
                "item": item.name,
                "batch": batch.pk if batch else None,
                "entities": len(inputs["entities"]),
                "inspectors": len(inputs["inspectors"]),
                "inputs_hash": inputs_hash,
                "public_random": public_random,
                "seed": seed,
            },
        )
        result = rules.run(inputs, seed)
        row = Draw.objects.create(
            item=item,
            batch=batch,
            org=item.org,
            created_by=by,
            drawn_on=date.fromisoformat(inputs["params"]["on"]),
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


def batch_sample_size(batch: Batch) -> int:
    """RND-6: the batch's fixed sample size, or its ratio of the entities in scope, rounded up."""
    if batch.sample_size:
        return batch.sample_size
    if batch.ratio is None:
        raise DrawRefused("批次未设定抽取数量或比例")
    return rules.sample_for_ratio(scoped_entities(batch.scope).count(), batch.ratio)


def draw_batch(batch: Batch, *, public_random: str, by, on: date | None = None) -> Draw:
    """RND-9: draw one batch of an annual plan with the batch's scope, sample and joint orgs.

    A batch is drawn once: drawing again until a result pleases would defeat RND-7.
    """
    if batch.draws.exists():
        raise DrawRefused(f"批次“{batch.name}”已抽取，不能重复抽取")
    return draw(
        batch.item,
        sample_size=batch_sample_size(batch),
        inspectors_per_entity=batch.inspectors_per_entity,
        public_random=public_random,
        by=by,
        weighting=batch.weighting,
        on=on,
        batch=batch,
    )


# --- plans (RND-9/10) ------------------------------------------------------------------


def create_plan(org, *, year: int, title: str, by, filed_on: date | None = None) -> Plan:
    with transaction.atomic():
        plan = Plan.objects.create(org=org, year=year, title=title, filed_on=filed_on)
        record("inspections.create_plan", actor=by, obj=plan, summary={"year": year})
    return plan


def add_batch(
    plan: Plan,
    *,
    item: InspectionItem,
    name: str,
    starts_on: date,
    ends_on: date,
    by,
    sample_size: int | None = None,
    ratio: Decimal | None = None,
    scope: dict | None = None,
    weighting: str = Weighting.UNIFORM,
    inspectors_per_entity: int = 2,
    joint_orgs=(),
) -> Batch:
    """A batch of the plan; joint inspections name the other departments taking part."""
    if (sample_size is None) == (ratio is None):
        raise ValueError("抽取数量与抽取比例须且只能填写一项")
    if ends_on < starts_on:
        raise ValueError("结束日期早于开始日期")
    if ratio is not None and not (Decimal(0) < Decimal(ratio) <= Decimal(100)):
        raise ValueError("抽取比例应大于0且不超过100")
    if item.org_id != plan.org_id and not item.org.is_within(plan.org):
        raise ValueError("抽查事项不属于制定计划的机关")
    for name_ in scope or {}:
        if name_ not in SCOPE_FIELDS:
            raise ValueError(f"抽取范围条件“{name_}”无效")
    with transaction.atomic():
        batch = Batch.objects.create(
            plan=plan,
            item=item,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            sample_size=sample_size,
            ratio=ratio,
            scope=scope or {},
            weighting=weighting,
            inspectors_per_entity=inspectors_per_entity,
        )
        batch.joint_orgs.set(joint_orgs)
        record(
            "inspections.add_batch",
            actor=by,
            obj=batch,
            summary={
                "plan": plan.pk,
                "item": item.name,
                "joint_orgs": [org.name for org in joint_orgs],
            },
        )
    return batch


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
    """Re-run the draw from its frozen inputs and compare with everything stored.

    Stored inspectors must equal the draw result with the recorded recusals applied, and
    each replacement must be the next unused person of the reserve order (RND-5).
    """
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
    recusals = recusal_log(row)
    problems += [
        f"抽取批次{row.pk}：{p}" for p in verify_bundle.recusal_problems(row.result, recusals)
    ]
    try:
        expected_result = rules.after_recusals(row.result, recusals)
    except (KeyError, ValueError):
        expected_result = row.result
    stored = [
        {
            "credit_code": a.entity.credit_code,
            "inspectors": sorted(p.certificate for p in a.inspectors.all()),
            "reserve": a.reserve,
        }
        for a in row.assignments.select_related("entity").prefetch_related("inspectors")
    ]
    expected = [{**r, "inspectors": sorted(r["inspectors"])} for r in expected_result["entities"]]
    if stored != expected:
        problems.append(f"抽取批次{row.pk}：抽取结果明细与记录的结果不符")
    return Verification(problems=problems, changes=changes_since(row))


def recusal_log(row: Draw) -> list[tuple[str, str, str]]:
    """(credit code, recused certificate, replacement certificate) in the order recorded."""
    return [
        (r.assignment.entity.credit_code, r.certificate, r.replacement)
        for r in Recusal.objects.filter(assignment__draw=row)
        .select_related("assignment__entity")
        .order_by("pk")
    ]


class RecusalRefused(Exception):
    """A recusal that cannot be recorded (not assigned, reserve used up…)."""


def recuse(assignment: Assignment, certificate: str, *, reason: str, by) -> Recusal:
    """RND-5: an assigned inspector withdraws after the draw; the next reserve takes over.

    The replacement is fixed by the draw's reserve order, so anyone can check it.
    """
    if not reason.strip():
        raise RecusalRefused("须填写回避理由")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        current = [p.certificate for p in assignment.inspectors.all()]
        if certificate not in current:
            raise RecusalRefused(f"执法证号{certificate}不是该检查对象的检查人员")
        used = assignment.recusals.values_list("certificate", flat=True)
        picked = next(
            r
            for r in assignment.draw.result["entities"]
            if r["credit_code"] == assignment.entity.credit_code
        )
        replaced_by = rules.replacement(picked, current, used)
        if replaced_by is None:
            raise RecusalRefused("替补人员已用尽，请对该检查对象重新抽取检查人员")
        new = Inspector.objects.get(certificate=replaced_by)
        assignment.inspectors.remove(Inspector.objects.get(certificate=certificate))
        assignment.inspectors.add(new)
        recusal = Recusal.objects.create(
            assignment=assignment,
            certificate=certificate,
            replacement=replaced_by,
            reason=reason.strip(),
            recorded_by=by,
        )
        record(
            "inspections.recuse",
            actor=by,
            obj=assignment.draw,
            summary={
                "entity": assignment.entity.credit_code,
                "recused": certificate,
                "replacement": replaced_by,
                "reason": reason.strip(),
            },
        )
    return recusal


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
            notes.append(
                f"检查对象{code}（{then['name']}）抽取后已变更：{'、'.join(fields)}"
                + _changed_by(code, row)
            )
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
                + _changed_by(certificate, row)
            )
    return notes


def _changed_by(key: str, row: Draw) -> str:
    """“（最近变更：日期，来源，变更人）” from the registry history, or nothing."""
    last = (
        RegistryChange.objects.filter(key=key, changed_at__gte=row.created_at)
        .select_related("changed_by")
        .order_by("-pk")
        .first()
    )
    if last is None:
        return ""
    when = timezone.localtime(last.changed_at).date().isoformat()
    who = f"，{last.changed_by}" if last.changed_by else ""
    return f"（最近变更：{when}，{last.source or '未注明来源'}{who}）"


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
        "recusals": [list(r) for r in recusal_log(row)],
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
    if row.results.filter(entity=entity).exists():
        raise ValueError(f"“{entity.name}”的检查结果已录入")
    if outcome not in Outcome.values:
        raise ValueError(f"检查结果“{outcome}”无效")
    due = publication_due(finished_on)
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


def publish_days() -> int:
    """RND-8: GONGKAI_INSPECTION_PUBLISH_DAYS working days (default 20)."""
    return int(getattr(settings, "GONGKAI_INSPECTION_PUBLISH_DAYS", rules.PUBLISH_WITHIN_WORKDAYS))


def publication_due(finished_on: date) -> date | None:
    """The publication deadline, or None (期限待定) when the calendar year is not loaded."""
    try:
        return rules.publication_due(finished_on, load_calendar(), n=publish_days())
    except CalendarYearMissing:
        return None


def recompute_dues(years=None) -> int:
    """Recompute publication deadlines after the calendar changed (CAL-2): results that
    ended in ``years`` (or the year before: 20 working days cross new year), and every
    result still 期限待定. Returns how many deadlines moved."""
    results = InspectionResult.objects.all()
    if years is not None:
        touched = set(years) | {year - 1 for year in years}
        results = results.filter(Q(due=None) | Q(finished_on__year__in=touched))
    moved = []
    for result in results:
        due = publication_due(result.finished_on)
        if due != result.due:
            moved.append(result.pk)
            result.due = due
            result.save(update_fields=["due"])
    if moved:
        record("inspections.recompute_dues", actor=None, summary={"results": moved})
    return len(moved)


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
                "due": result.due.isoformat() if result.due else None,  # None: 期限待定
            },
        )
    return result
