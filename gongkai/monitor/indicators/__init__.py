"""Indicator sets (MON-15…17): veto thresholds and deduction points read from YAML.

Two sets ship with the app (``data/indicators/mon_2015.yaml``, ``mon_2019.yaml``); the setting
GONGKAI_MONITOR_INDICATORS may name another file (or one of the shipped ids) to use instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent / "data" / "indicators"  # package data
SHIPPED = {"MON_2015": HERE / "mon_2015.yaml", "MON_2019": HERE / "mon_2019.yaml"}
DEFAULT_ID = "MON_2019"


@dataclass(frozen=True)
class Period:
    days: int = 0
    months: int = 0
    years: int = 0

    def label(self) -> str:
        if self.years:
            return f"{self.years}年"
        if self.months:
            return f"{self.months}个月"
        if self.days % 7 == 0:
            return f"{self.days // 7}周"
        return f"{self.days}天"


@dataclass(frozen=True)
class Deduction:
    id: str
    indicator: str
    measure: str
    points: Decimal = Decimal(0)
    per_item: Decimal = Decimal(0)
    at_least: Decimal | None = None
    below: Decimal | None = None
    max: Decimal = Decimal(0)


@dataclass(frozen=True)
class IndicatorSet:
    id: str
    name: str
    window_days: int = 7
    min_probes_per_day: int = 20
    slow_seconds: float = 15.0
    unavailable_ratio: Decimal = Decimal("0.05")
    homepage_stale_days: int = 14
    periods: dict[str, Period] = field(default_factory=dict)
    notice_policy_level1_only: bool = False
    stale_count: int = 5
    overdue_count: int = 10
    blank_count: int = 5
    mailbox_months: int = 3
    mailbox_window_years: int = 1
    pass_mark: Decimal = Decimal(60)
    full_mark: Decimal = Decimal(100)
    deductions: tuple[Deduction, ...] = ()
    source: str = ""


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def parse(data: dict, *, source: str = "") -> IndicatorSet:
    veto = data.get("veto", {})
    availability = veto.get("availability", {})
    return IndicatorSet(
        id=data["id"],
        name=data.get("name", data["id"]),
        window_days=int(availability.get("window_days", 7)),
        min_probes_per_day=int(availability.get("min_probes_per_day", 20)),
        slow_seconds=float(availability.get("slow_seconds", 15)),
        unavailable_ratio=Decimal(str(availability.get("ratio", "0.05"))),
        homepage_stale_days=int(veto.get("homepage_stale_days", 14)),
        periods={kind: Period(**spec) for kind, spec in (veto.get("periods") or {}).items()},
        notice_policy_level1_only=bool(veto.get("notice_policy_level1_only", False)),
        stale_count=int(veto.get("stale_count", 5)),
        overdue_count=int(veto.get("overdue_count", 10)),
        blank_count=int(veto.get("blank_count", 5)),
        mailbox_months=int(veto.get("mailbox_months", 3)),
        mailbox_window_years=int(veto.get("mailbox_window_years", 1)),
        pass_mark=Decimal(str(data.get("pass_mark", 60))),
        full_mark=Decimal(str(data.get("full_mark", 100))),
        deductions=tuple(
            Deduction(
                id=row["id"],
                indicator=row.get("indicator", row["id"]),
                measure=row["measure"],
                points=Decimal(str(row.get("points", 0))),
                per_item=Decimal(str(row.get("per_item", 0))),
                at_least=_dec(row.get("at_least")),
                below=_dec(row.get("below")),
                max=Decimal(str(row.get("max", row.get("points", 0)))),
            )
            for row in data.get("deductions", [])
        ),
        source=source,
    )


@cache
def load(name_or_path: str = "") -> IndicatorSet:
    """The shipped set by id ("MON_2015", "MON_2019"), or a YAML file by path; "" = default."""
    path = SHIPPED.get(name_or_path or DEFAULT_ID) or Path(name_or_path)
    with open(path, encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle), source=str(path))


def configured() -> IndicatorSet:
    """The set named by GONGKAI_MONITOR_INDICATORS (default MON_2019)."""
    from django.conf import settings

    return load(getattr(settings, "GONGKAI_MONITOR_INDICATORS", "") or "")
