"""Pure rules of the catalog: dates, index numbers, sanitising, the publication clock.

Each function cites the rule of ``shared/domain/RULES.zh.md`` §5 it implements.
"""

import re
import string
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import nh3

from gongkai.workdays.rules import WorkCalendar, add_workdays

# --- Dates (IDX-4) ------------------------------------------------------------------------

DATE_RE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")


def parse_date(value) -> date | None:
    """A date from "2017-03-05", "2017/3/5", "2017年3月5日" or a date; None for blank.

    Raises ``ValueError`` (with a Chinese message) for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.date() if hasattr(value, "date") and callable(value.date) else value
    match = DATE_RE.match(str(value))
    if not match:
        raise ValueError(f"日期格式不正确：“{value}”，应为 YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"日期不存在：“{value}”") from None


def date_errors(
    *,
    formed_on: date | None,
    published_on: date | None = None,
    effective_on: date | None = None,
    repealed_on: date | None = None,
) -> dict[str, str]:
    """IDX-4: the dates of an item must follow each other. Field name → Chinese message."""
    errors: dict[str, str] = {}
    if formed_on is None:
        errors["formed_on"] = "成文日期必填"
        return errors
    if published_on and published_on < formed_on:
        errors["published_on"] = (
            f"发布日期 {published_on:%Y-%m-%d} 早于成文日期 {formed_on:%Y-%m-%d}"
        )
    if effective_on and effective_on < formed_on:
        errors["effective_on"] = (
            f"实施日期 {effective_on:%Y-%m-%d} 早于成文日期 {formed_on:%Y-%m-%d}"
        )
    if repealed_on and repealed_on < formed_on:
        errors["repealed_on"] = f"废止日期 {repealed_on:%Y-%m-%d} 早于成文日期 {formed_on:%Y-%m-%d}"
    return errors


# --- Index numbers (IDX-1..3) ---------------------------------------------------------------


def index_number(template: str, *, org_code: str, year: int, serial: int, **extra) -> str:
    """IDX-2/IDX-3: fill the configured template, e.g. "{org_code}/{year}-{serial:05d}".

    >>> index_number("{org_code}/{year}-{serial:05d}", org_code="000014349", year=2017, serial=110)
    '000014349/2017-00110'
    """
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    unknown = fields - {"org_code", "year", "serial", *extra}
    if unknown:
        raise ValueError(f"索引号模板含未知字段：{', '.join(sorted(unknown))}")
    return template.format(org_code=org_code, year=year, serial=serial, **extra)


def org_code(credit_code: str, pk: int) -> str:
    """IDX-2: the org's 18-character 统一社会信用代码, or a 9-digit stand-in from its id."""
    return credit_code or f"{pk:09d}"


# --- Publication clock (PUB-3) -------------------------------------------------------------


def publish_due(formed_on: date, days: int, cal: WorkCalendar) -> date:
    """PUB-3: the last day to publish — ``days`` working days after 成文日期."""
    return add_workdays(formed_on, days, cal)


def is_late(published_on: date, due: date | None) -> bool:
    """PUB-3: published after the due day → 超时公开. Unknown due day is never late."""
    return due is not None and published_on > due


# --- Bodies (sanitising) -------------------------------------------------------------------

TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol",
    "li", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "blockquote", "pre",
    "span", "div", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize(html: str) -> str:
    """Rich text without scripts, event handlers, styles or javascript: links (nh3)."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|br|div|li|tr|h\d|table|blockquote|pre|hr)\b[^>]*>", re.I)


def html_text(html: str) -> str:
    """Plain text of sanitized HTML, one block a line."""
    import html as html_lib

    text = _BLOCK.sub("\n", html or "")
    text = html_lib.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# --- Interpretation coverage (INT-6) ---------------------------------------------------------


def coverage(interpreted: int, total: int) -> Decimal | None:
    """INT-6: share of 规章/规范性文件 with an interpretation, percent, 1 decimal (RPT-25)."""
    if total == 0:
        return None
    return (Decimal(interpreted) * 100 / Decimal(total)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


# --- Standard catalog time limits (CAT-4) ------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    kind: str  # workdays_from_formation | realtime | promptly | custom
    n: int | None
    text: str


_WORKDAYS = re.compile(r"(\d+)\s*个?工作日")


def parse_time_limit(text: str) -> TimeLimit:
    """CAT-4: the structured value of a 公开时限 cell, keeping the original words."""
    text = (text or "").strip()
    if "实时" in text:
        return TimeLimit("realtime", None, text)
    match = _WORKDAYS.search(text)
    if match and ("形成" in text or "变更" in text):
        return TimeLimit("workdays_from_formation", int(match.group(1)), text)
    if "及时" in text:
        return TimeLimit("promptly", None, text)
    return TimeLimit("custom", int(match.group(1)) if match else None, text)
