"""Numeric claims of a report's narrative: totals and their parts, shares, rates (RPT-24, RPT-25).

Only claims whose arithmetic the sentence itself states are checked, so a checker never
guesses what a figure means:

- a total right before 其中 and the parts after it, in the same unit, up to the end of
  the parenthesis or sentence: "共受理…456件（其中：当面申请272件，占59.6%；…）",
  "发布…3848条。其中，…1113条，…768条，…1925条" (RPT-24, error);
- a part's share "占59.6%" against that part and that total (RPT-25);
- a rate "回复率96.4%" whose numerator is the last figure before it, in a clause naming
  the same thing ("回复来信8545件"), and whose denominator is the figure before that
  clause in the same unit ("共接收信件8858件") (RPT-25).

Not checked: approximate figures ("200余条", "149万件", "约", "以上"); a 其中 after an
enumeration ("建议32件、提案45件，其中…", which may be about both); growth rates
("增长率", against last year's figure); rates whose clause names something else
("提案713件，办结率为100%").
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from gongkai.reports import rules
from gongkai.reports.tables import Finding

UNITS = "人次|件次|件|条|项|家|个|次|份|期|篇|场|户|人|所|元|封|台|套"
_QUANTITY = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(余|多)?(万|亿)?({UNITS})")
_APPROX_BEFORE = ("约", "近", "超过", "逾", "不足", "将近", "大约")
_APPROX_AFTER = ("以上", "以下", "左右", "多", "余")
_CHANGES = frozenset(
    {"增长", "下降", "减少", "增加", "提高", "降低", "同比", "环比", "增幅", "降幅"}
)
_SENTENCE_END = "。!?"
_CLAUSE_END = ",;、:"
_RATE = re.compile(r"率(?:为|达到|达|是)?(\d+(?:\.\d+)?)%")
_SHARE = re.compile(
    r"[,;]?(?:占[^\d,;。()]{0,8}?|比例为|比重为)(\d+(?:\.\d+)?)%|\((\d+(?:\.\d+)?)%\)"
)
QUOTE_WIDTH = 200


@dataclass(frozen=True)
class Quantity:
    value: int | Decimal
    unit: str
    exact: bool
    start: int
    end: int


def clean(text: str) -> str:
    """NFKC, thousands separators and the spaces of web pages and PDFs removed."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return re.sub(r"\s+(?![A-Za-z0-9])|(?<![A-Za-z0-9])\s+", "", text)


def quantities(text: str) -> list[Quantity]:
    out = []
    for m in _QUANTITY.finditer(text):
        number, approx, multiplier, unit = m.groups()
        exact = (
            not approx
            and not (multiplier and unit != "元")
            and not text[: m.start()].endswith(_APPROX_BEFORE)
            and not text[m.end() :].startswith(_APPROX_AFTER)
        )
        value = Decimal(number) if "." in number else int(number)
        out.append(Quantity(value, (multiplier or "") + unit, exact, m.start(), m.end()))
    return out


def sentence_span(text: str, start: int, end: int) -> str:
    """The sentences that hold ``text[start:end]``, shortened to ``QUOTE_WIDTH``."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    quote = text[left:right]
    return quote if len(quote) <= QUOTE_WIDTH else quote[: QUOTE_WIDTH - 1] + "…"


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return len(text)


def _segment_end(text: str, start: int) -> int:
    """End of a 其中 list outside brackets: the sentence, a semicolon, the next 其中."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return i
        elif depth == 0 and (ch in _SENTENCE_END or ch == ";" or text.startswith("其中", i)):
            return i
    return len(text)


def _depth_at(text: str, start: int, position: int) -> int:
    depth = 0
    for ch in text[start:position]:
        depth += {"(": 1, ")": -1}.get(ch, 0)
    return depth


def sum_claims(text: str, *, mode: str = "half_up") -> list[Finding]:
    findings = []
    found = quantities(text)
    for m in re.finditer("其中", text):
        before = text[: m.start()]
        head = before.rstrip("。,:;( ")
        totals = [q for q in found if q.end == len(head)]
        if not totals or not totals[0].exact:
            continue
        total = totals[0]
        clause = max(head.rfind(c) for c in ",;:。!?(") + 1
        if any(q.unit == total.unit and clause <= q.start < total.start for q in found):
            continue  # "建议32件、提案45件，其中…": 其中 may be about both
        start = m.end()
        if before.endswith("("):
            stop = _closing(text, m.start() - 1)
        else:
            stop = _segment_end(text, start)
        parts = [
            q
            for q in found
            if start <= q.start and q.end <= stop and q.unit == total.unit
            if _depth_at(text, start, q.start) == 0
        ]
        if len(parts) < 2 or not all(q.exact for q in parts):
            continue  # one part is a subset, not a sum
        quote = sentence_span(text, total.start, stop)
        finding = rules.check_sum(total.value, [q.value for q in parts], quote=quote)
        if finding:
            findings.append(finding)
        for part in parts:
            share = _SHARE.match(text, part.end)
            if share:
                stated = Decimal(share.group(1) or share.group(2))
                if total.value:
                    finding = rules.check_percentage(
                        stated, part.value, total.value, mode=mode, quote=quote
                    )
                    if finding:
                        findings.append(finding)
    return findings


def rate_claims(text: str, *, mode: str = "half_up") -> list[Finding]:
    findings = []
    found = quantities(text)
    for m in _RATE.finditer(text):
        stem = text[m.start() - 2 : m.start()]
        if len(stem) < 2 or text[m.end() :].startswith(("以上", "以下", "左右")):
            continue
        if stem in _CHANGES:
            continue  # a growth rate is against last year, which the sentence rarely states
        sentence = max(text.rfind(c, 0, m.start()) for c in _SENTENCE_END) + 1
        before = [q for q in found if sentence <= q.start and q.end <= m.start()]
        if not before:
            continue
        numerator = before[-1]
        clause = max(text.rfind(c, sentence, numerator.start) for c in _CLAUSE_END) + 1
        clause = max(clause, sentence)
        if stem not in text[clause : numerator.end]:
            continue  # the rate is not about this figure
        earlier = [q for q in before if q.end <= clause and q.unit == numerator.unit]
        if not earlier:
            continue
        denominator = earlier[-1]
        if not (numerator.exact and denominator.exact):
            continue
        if not 0 < numerator.value <= denominator.value:
            continue
        finding = rules.check_percentage(
            Decimal(m.group(1)),
            numerator.value,
            denominator.value,
            mode=mode,
            quote=sentence_span(text, denominator.start, m.end()),
        )
        if finding:
            findings.append(finding)
    return findings


def narrative_claims(paragraphs: list[str], *, mode: str = "half_up") -> list[Finding]:
    """Every sum, share and rate finding of the narrative, in reading order."""
    findings = []
    for paragraph in paragraphs:
        text = clean(paragraph)
        found = sum_claims(text, mode=mode) + rate_claims(text, mode=mode)
        findings += sorted(found, key=lambda f: text.find(f.quote[:20]))
    return findings
