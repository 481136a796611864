"""Annual-report figures from the published public lists (PUB-9, RPT-13).

Keys of ``reports.external.FIGURES`` produced here, each only when the versions behind it
exist (so an entered figure is not overridden by a zero from an empty register):

- ``t2_2019.licensing|penalty|coercion.prev_items``: entries in force on the published,
  complete 权责清单 versions of year Y−1 of ``orgs`` whose 事项类别 is 行政许可 / 行政处罚 /
  行政强制; ``….change``: the same count for year Y minus that (negative when shorter).
  ``change`` needs versions in both years.
- ``t2_2019.fees.prev_items`` / ``.change``: the same over the 行政事业性收费目录清单.
- ``inspection.items``: entries in force on the published 随机抽查事项清单 of year Y. (The
  inspections app keeps its own register and reports the same key; the lead chooses.)

Only orgs that published a complete version for both years enter ``change``, so an org that
starts keeping its list here does not look like a jump.
"""

from decimal import Decimal

from gongkai.lists.enums import ListKind, Status
from gongkai.lists.models import ListEntry
from gongkai.lists.rules import IN_FORCE

POWER_ROWS = {"licensing": "行政许可", "penalty": "行政处罚", "coercion": "行政强制"}


def _counts(orgs, kind: str, year: int, category: str | None = None) -> dict[int, int]:
    """org id → entries in force, for every org with a published complete version."""
    entries = ListEntry.objects.filter(
        version__org__in=orgs,
        version__kind=kind,
        version__year=year,
        version__status=Status.PUBLISHED,
        version__complete=True,
    )
    out: dict[int, int] = {}
    for org_id, change, entry_category in entries.values_list(
        "version__org_id", "change", "category"
    ):
        counted = change in IN_FORCE and (category is None or entry_category == category)
        out[org_id] = out.get(org_id, 0) + int(counted)
    return out


def _prev_and_change(out: dict, prefix: str, before: dict, now: dict) -> None:
    if before:
        out[f"{prefix}.prev_items"] = Decimal(sum(before.values()))
    both = before.keys() & now.keys()
    if both:
        out[f"{prefix}.change"] = Decimal(sum(now[o] - before[o] for o in both))


def report_figures(orgs, year: int, *, root=None) -> dict[str, Decimal]:
    orgs = list(orgs)
    out: dict[str, Decimal] = {}
    for row, category in POWER_ROWS.items():
        before = _counts(orgs, ListKind.POWER, year - 1, category)
        now = _counts(orgs, ListKind.POWER, year, category)
        _prev_and_change(out, f"t2_2019.{row}", before, now)
    before = _counts(orgs, ListKind.FEE_ADMIN, year - 1)
    now = _counts(orgs, ListKind.FEE_ADMIN, year)
    _prev_and_change(out, "t2_2019.fees", before, now)
    inspections = _counts(orgs, ListKind.INSPECTION, year)
    if inspections:
        out["inspection.items"] = Decimal(sum(inspections.values()))
    return out
