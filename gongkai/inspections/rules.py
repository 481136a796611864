"""Pure rules for 双随机一公开 (RULES.zh.md §10): frozen inputs, refusals, the draw, deadlines.

The draw itself (hash, seed, stream, sampling) lives in ``verify_bundle.py`` so that the
standalone script anyone can download is the very code the platform runs.
"""

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from gongkai.inspections.verify_bundle import (
    ALGORITHM,
    eligible_for,
    inputs_hash,
    replacement,
    run,
    seed_of,
)
from gongkai.workdays.rules import WorkCalendar, add_workdays

__all__ = [
    "ALGORITHM",
    "PUBLISH_WITHIN_WORKDAYS",
    "RISK_WEIGHTS",
    "UNIFORM_WEIGHTS",
    "after_recusals",
    "freeze",
    "freeze_entity",
    "freeze_inspector",
    "inputs_hash",
    "publication_due",
    "refusal",
    "replacement",
    "run",
    "sample_for_ratio",
    "seed_of",
]

# RND-6: the published weight table for risk-weighted draws (integers: see verify_bundle).
RISK_WEIGHTS = {"low": 1, "medium": 2, "high": 4}
UNIFORM_WEIGHTS = {"low": 1, "medium": 1, "high": 1}

# RND-8: 总局 text says "20日", most local rules "20个工作日" (unverified, RULES §12 item 9).
# We default to working days from the day the inspection ended; callers may pass n.
PUBLISH_WITHIN_WORKDAYS = 20

ENTITY_FIELDS = ("credit_code", "name", "legal_rep", "address", "industry", "area", "risk_level")
INSPECTOR_FIELDS = ("certificate", "name", "field", "valid_until")


def freeze(
    *,
    item: dict,
    entities: Iterable[dict],
    inspectors: Iterable[dict],
    on: date,
    sample_size: int,
    inspectors_per_entity: int,
    weights: dict[str, int],
    reserve_inspectors: int = 3,
) -> dict:
    """The frozen inputs of a draw as plain JSON values, in canonical order.

    Entities carry ``ENTITY_FIELDS`` plus ``org`` (an org id or None); inspectors carry
    ``INSPECTOR_FIELDS`` plus ``org`` and ``conflicts`` (credit codes).
    """
    frozen_entities = sorted(map(freeze_entity, entities), key=lambda e: e["credit_code"])
    frozen_inspectors = sorted(map(freeze_inspector, inspectors), key=lambda p: p["certificate"])
    return {
        "algorithm": ALGORITHM,
        "item": {key: str(value) for key, value in item.items()},
        "entities": frozen_entities,
        "inspectors": frozen_inspectors,
        "params": {
            "on": on.isoformat(),
            "sample_size": sample_size,
            "inspectors_per_entity": inspectors_per_entity,
            "reserve_inspectors": reserve_inspectors,
            "weights": dict(weights),
        },
    }


def freeze_entity(values: dict) -> dict:
    return {**{f: str(values[f]) for f in ENTITY_FIELDS}, "org": values["org"]}


def freeze_inspector(values: dict) -> dict:
    return {
        **{f: str(values[f]) for f in INSPECTOR_FIELDS},
        "org": values["org"],
        "conflicts": sorted(set(values["conflicts"])),
    }


def refusal(inputs: dict, public_random: str) -> str | None:
    """Why a draw must not run (Chinese), or None. Checked before anything is drawn."""
    params = inputs["params"]
    entities, inspectors = inputs["entities"], inputs["inspectors"]
    size, per = params["sample_size"], params["inspectors_per_entity"]
    if not public_random.strip():
        return "抽取前须录入公开随机数（如当期彩票号码或现场摇号值）"
    if not entities:
        return "检查对象名录为空，不能抽取"
    if not inspectors:
        return "执法检查人员名录为空，不能抽取"
    if size < 1:
        return "抽取数量至少为1"
    if size > len(entities):
        return f"抽取数量{size}大于名录中的检查对象数{len(entities)}"
    if per < 2:
        return "每个检查对象至少随机选派2名检查人员（RND-5）"
    if any(params["weights"].get(e["risk_level"], 0) < 1 for e in entities):
        return "权重表须为每个风险等级给出正整数权重"
    for entity in entities:
        available = len(eligible_for(entity, inspectors, params["on"]))
        if available < per:
            return (
                f"检查对象“{entity['name']}”（{entity['credit_code']}）回避后仅有"
                f"{available}名可选派的检查人员，少于{per}名"
            )
    return None


def sample_for_ratio(count: int, ratio: Decimal) -> int:
    """RND-6: ``ratio`` percent of ``count`` entities, rounded up (at least 1 when any)."""
    if count < 1:
        return 0
    return max(1, math.ceil(Decimal(count) * Decimal(ratio) / Decimal(100)))


def after_recusals(result: dict, recusals: Iterable[tuple[str, str, str]]) -> dict:
    """The draw result with each (credit code, recused, replacement) applied in order."""
    rows = {
        r["credit_code"]: {**r, "inspectors": list(r["inspectors"])} for r in result["entities"]
    }
    for credit_code, recused, replaced_by in recusals:
        people = rows[credit_code]["inspectors"]
        people[people.index(recused)] = replaced_by
    return {"entities": [rows[r["credit_code"]] for r in result["entities"]]}


def publication_due(
    finished_on: date, calendar: WorkCalendar, *, n: int = PUBLISH_WITHIN_WORKDAYS
) -> date:
    """RND-8: the last day to publish a result, n working days after the inspection ended."""
    return add_workdays(finished_on, n, calendar)
