"""Fuzzy matching of printed labels to the national labels, and the 2019 table 二 layout.

Offices retype the labels: ``1、`` for ``1.``, half-width brackets, a wrong character, a
label wrapped over two lines of a PDF. ``similarity`` compares labels with all of that
normalized away; a wrapped first line scores on the label's prefix.
"""

import re
from difflib import SequenceMatcher

from gongkai.reports.checker.numbers import normalize

_QUOTES = re.compile(r"[\s“”\"'‘’「」『』]")


def label_key(text: str) -> str:
    text = _QUOTES.sub("", normalize(text))
    text = re.sub(r"^(\d+)[、,.]", r"\1.", text)
    return text.rstrip(":")


def similarity(text: str, label: str) -> float:
    a, b = label_key(text), label_key(label)
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    if 6 <= len(a) < len(b):  # the first line of a label wrapped in a narrow cell
        prefix = SequenceMatcher(None, a, b[: len(a)], autojunk=False).ratio()
        ratio = max(ratio, 0.9 * prefix)
    return ratio


def best_match(
    candidates: list[str],
    labels: dict[str, str],
    *,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> tuple[str, float, str] | None:
    """The (key, score, candidate) that fits best; later candidates win ties."""
    best = None
    for priority, candidate in enumerate(candidates):
        for key, label in labels.items():
            if key in exclude:
                continue
            score = similarity(candidate, label)
            if best is None or (score, priority) > (best[1], best[3]):
                best = (key, score, candidate, priority)
    return best[:3] if best else None


# RPT-13 (2019 trial format) table 二: (section, row key, label, columns). The 本年增/减
# column is read but not kept: it may be negative, which RPT-19 would call an error.
T2_2019: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "第二十条第（一）项",
        "rules",
        "规章",
        (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量")),
    ),
    (
        "第二十条第（一）项",
        "normative",
        "规范性文件",
        (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量")),
    ),
    *(
        (
            section,
            key,
            label,
            (
                ("previous", "上一年项目数量"),
                ("change", "本年增/减"),
                ("decisions", "处理决定数量"),
            ),
        )
        for section, key, label in (
            ("第二十条第（五）项", "licensing", "行政许可"),
            ("第二十条第（五）项", "other_services", "其他对外管理服务事项"),
            ("第二十条第（六）项", "penalty", "行政处罚"),
            ("第二十条第（六）项", "coercion", "行政强制"),
        )
    ),
    (
        "第二十条第（八）项",
        "fees",
        "行政事业性收费",
        (("previous", "上一年项目数量"), ("change", "本年增/减")),
    ),
    (
        "第二十条第（九）项",
        "procurement",
        "政府集中采购",
        (("projects", "采购项目数量"), ("amount", "采购总金额")),
    ),
)
T2_UNKEPT = frozenset({"change"})

T2_HEADS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额"),
}
