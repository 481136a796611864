"""Pure rules of the public lists (PUB-9): what counts, the year-over-year sentence, row checks.

An entry whose change type is 保留 or 新增 is in force in its year; 取消, 合并 and 下放
entries record what left the list that year and are shown, but not counted.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.lists.enums import POWER_CATEGORIES, Change, ListKind

IN_FORCE = frozenset({Change.RETAINED, Change.ADDED})
# The order of the change counts in the sentence.
CHANGE_ORDER = (Change.ADDED, Change.CANCELLED, Change.MERGED, Change.DELEGATED)
LIMITS = {"name": 200, "category": 40, "department": 100, "standard": 300, "note": 300}


@dataclass(frozen=True)
class YearOverYear:
    year: int
    count: int | None  # None: the version lists only its changes
    prev_year: int
    prev_count: int | None  # None: no (complete, published) version of the year before
    changes: dict[str, int]

    @property
    def difference(self) -> int | None:
        """``M = count(Y−1) − count(Y)`` of PUB-9: positive when the list got shorter."""
        if self.count is None or self.prev_count is None:
            return None
        return self.prev_count - self.count

    @property
    def sentence(self) -> str:
        return summary_sentence(self)


def count_in_force(changes: Iterable[str]) -> int:
    return sum(1 for change in changes if change in IN_FORCE)


def change_counts(changes: Iterable[str]) -> dict[str, int]:
    counted = Counter(changes)
    return {change.value: counted[change.value] for change in Change}


def summary_sentence(figures: YearOverYear) -> str:
    """``保留32项，比2016年减少25项`` (PUB-9), then the entries that left or joined the list.

    A list that only records changes says just those: ``取消13项，合并10项，下放5项``.
    """
    parts = []
    if figures.count is not None:
        head = f"保留{figures.count}项"
        difference = figures.difference
        if difference is not None:
            if difference > 0:
                head += f"，比{figures.prev_year}年减少{difference}项"
            elif difference < 0:
                head += f"，比{figures.prev_year}年增加{-difference}项"
            else:
                head += f"，与{figures.prev_year}年持平"
        parts.append(head)
    moved = [
        f"{change.label}{figures.changes.get(change.value, 0)}项"
        for change in CHANGE_ORDER
        if figures.changes.get(change.value, 0)
    ]
    if moved:
        parts.append(("其中" if parts and figures.count is not None else "") + "，".join(moved))
    return "；".join(parts) if parts else "清单无条目"


def parse_change(text: str) -> str | None:
    """保留/新增/取消/合并/下放 (or the English value); blank means 保留. None if unknown."""
    text = text.strip()
    if not text:
        return Change.RETAINED.value
    for change in Change:
        if text in (change.value, str(change.label)):
            return change.value
    return None


def parse_kind(text: str) -> str | None:
    text = text.strip()
    for kind in ListKind:
        if text in (kind.value, str(kind.label)):
            return kind.value
    return None


def row_problems(kind: str, row: dict[str, str]) -> list[str]:
    """Chinese problems of one import row (already stripped strings); [] when it is good."""
    problems = []
    if not row.get("name"):
        problems.append("未填事项名称")
    if parse_change(row.get("change", "")) is None:
        problems.append(f"变更类型“{row['change']}”应为保留、新增、取消、合并或下放")
    category = row.get("category", "")
    if kind == ListKind.POWER and category not in POWER_CATEGORIES:
        shown = f"“{category}”" if category else "未填"
        problems.append(f"权责清单的事项类别{shown}，应为{'、'.join(POWER_CATEGORIES)}之一")
    for field, limit in LIMITS.items():
        if len(row.get(field, "")) > limit:
            problems.append(f"{FIELD_LABELS[field]}不能超过{limit}字")
    return problems


# Import columns: header → field. Alternative headers people write for the same column.
HEADERS = {
    "序号": "seq",
    "事项名称": "name",
    "名称": "name",
    "项目名称": "name",
    "事项类别": "category",
    "类别": "category",
    "依据": "basis",
    "设定依据": "basis",
    "实施依据": "basis",
    "实施主体": "department",
    "执收单位": "department",
    "标准": "standard",
    "收费标准": "standard",
    "变更类型": "change",
    "备注": "note",
}
FIELD_LABELS = {
    "seq": "序号",
    "name": "事项名称",
    "category": "事项类别",
    "basis": "依据",
    "department": "实施主体",
    "standard": "标准",
    "change": "变更类型",
    "note": "备注",
}
