"""Where calendar data comes from: a notice text file, or the chinesecalendar package (CAL-2).

Pure: nothing here touches the database. ``services`` writes what these functions return.

The notice file format (UTF-8, one State Council notice = one year)::

    # 注释：# 之后的内容忽略；空行忽略。
    年份 2027                          # 必需，且须写在所有安排之前
    来源 国办发明电〔2026〕N号          # 可选；缺省时用文件名
    元旦 放假 2026-12-31~01-02 上班 2026-12-27
    春节 放假 02-06~02-13 上班 02-14 02-20
    清明节 放假 04-05

- An arrangement line is ``<节日名称> 放假 <日期或区间>… [上班 <日期>…]``; either part may
  be left out (``劳动节 上班 04-25`` is fine), but the name comes first.
- A date is ``MM-DD`` (in the 年份 year) or ``YYYY-MM-DD``. A range ``A~B`` includes both
  ends (``～`` and ``至`` also work). Dates and ranges are separated by spaces, ``、`` or ``，``.
- 放假 ranges include the weekend days inside them; 上班 days must be a Saturday or Sunday.
- 元旦 of year Y often starts in December of Y-1. Those days belong to the year-Y notice:
  write them in full (``2026-12-31``) in the year-Y file. They are stored with notice Y,
  count once Y-1 is loaded, and from ``rules.YEAR_END`` on, December of Y-1 is only
  answered once notice Y is loaded (CAL-3). No other date outside Y is accepted.
- Later adjustments (CAL-2, e.g. 2020's longer 春节) are a small file for the same 年份
  imported in patch mode (``import_notice(..., replace=False)`` / ``import --patch``):
  the listed days are added or changed and every other day of the year is kept.

Every problem is reported at once, each with its line number (``第3行：…``); a file with
any problem imports nothing.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.workdays.enums import DayKind
from gongkai.workdays.rules import weekday_name

KEYWORDS = {"放假": DayKind.HOLIDAY, "上班": DayKind.MAKEUP_WORKDAY}
SEPARATORS = re.compile(r"[\s、，,；;]+")
RANGE = re.compile(r"[~～至]")
SHORT_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})$")
FULL_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
HEADER = re.compile(r"^(年份|来源)[\s:：]*(.*)$")

# chinesecalendar's holiday names, in the words of the notices.
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class CalendarImportError(Exception):
    """The data cannot be imported; ``problems`` lists each reason, with its line number."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("日历数据有误，未导入任何内容：\n" + "\n".join(self.problems))


@dataclass(frozen=True)
class Arrangement:
    kind: DayKind
    name: str
    line: int = 0  # where the notice file says so; 0 when not from a file


@dataclass(frozen=True)
class Notice:
    """One year's notice: every date it arranges (CAL-2)."""

    year: int
    source: str
    days: Mapping[date, Arrangement]
    year_line: int = 0


def at_line(line: int, message: str) -> str:
    return f"第{line}行：{message}" if line else message


def notice_problems(notice: Notice) -> list[str]:
    """What no notice may say, whatever its origin (file, package, admin form)."""
    problems = []
    if not 2000 <= notice.year <= 2100:
        problems.append(at_line(notice.year_line, f"年份 {notice.year} 不合理"))
    for day, arr in sorted(notice.days.items()):
        if not belongs_to_notice(day, notice.year):
            problems.append(at_line(arr.line, f"日期 {day} 不在 {notice.year} 年内"))
        if arr.kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
            problems.append(
                at_line(arr.line, f"{day}（{weekday_name(day)}）不是周末，不能安排为调休上班")
            )
    return problems


def belongs_to_notice(day: date, year: int) -> bool:
    """A year-Y notice arranges days of Y, and December of Y-1 for the 元旦 span."""
    return day.year == year or (day.year == year - 1 and day.month == 12)


def _parse_date(token: str, year: int) -> date:
    if match := FULL_DATE.match(token):
        return date(*map(int, match.groups()))
    if match := SHORT_DATE.match(token):
        return date(year, *map(int, match.groups()))
    raise ValueError


def _parse_dates(token: str, year: int) -> list[date]:
    """One date or an inclusive range; ValueError with a Chinese message when unreadable."""
    ends = RANGE.split(token)
    try:
        parsed = [_parse_date(end, year) for end in ends]
    except ValueError:
        raise ValueError(f"无法识别的日期“{token}”") from None
    if len(parsed) == 1:
        return parsed
    if len(parsed) != 2:
        raise ValueError(f"无法识别的日期区间“{token}”")
    first, last = parsed
    if last < first:
        raise ValueError(f"区间“{token}”的结束日早于开始日")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def parse_notice(text: str, *, default_source: str = "") -> Notice:
    """Read the format above; raise ``CalendarImportError`` listing every problem."""
    problems: list[str] = []
    year, year_line, source = None, 0, default_source
    days: dict[date, Arrangement] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if header := HEADER.match(line):
            key, value = header.groups()
            if key == "来源":
                source = value.strip()
            elif year is not None:
                problems.append(at_line(number, "“年份”只能写一次"))
            elif not re.fullmatch(r"\d{4}", value.strip()):
                problems.append(at_line(number, f"无法识别的年份“{value.strip()}”"))
                year, year_line = 0, number
            else:
                year, year_line = int(value), number
            continue
        if year is None:
            problems.append(at_line(number, "第一项须为“年份 YYYY”"))
            year = 0
        if year:
            problems += _parse_arrangement(line, number, year, days)
    if year is None:
        problems.append("缺少“年份 YYYY”一行")
    elif year and not days and not problems:
        problems.append("没有任何放假或上班安排")
    notice = Notice(year or 0, source, days, year_line)
    if year:
        problems += notice_problems(notice)
    if problems:
        raise CalendarImportError(sorted(problems, key=_line_number))
    return notice


def _line_number(problem: str) -> int:
    match = re.match(r"第(\d+)行", problem)
    return int(match.group(1)) if match else 0


def _parse_arrangement(
    line: str, number: int, year: int, days: dict[date, Arrangement]
) -> list[str]:
    """Add one ``名称 放假 … 上班 …`` line to ``days``; return its problems."""
    name, *tokens = SEPARATORS.split(line)
    if name in KEYWORDS:
        return [at_line(number, f"缺少节日名称：“{line}”")]
    if not tokens or tokens[0] not in KEYWORDS:
        return [at_line(number, f"无法识别“{line}”：节日名称后应为“放假”或“上班”")]
    problems, kind, seen = [], None, {}
    for token in tokens:
        if token in KEYWORDS:
            if seen.get(kind) == 0:
                problems.append(at_line(number, f"“{kind_word(kind)}”后没有日期"))
            kind = KEYWORDS[token]
            seen[kind] = 0
            continue
        seen[kind] += 1
        try:
            dates = _parse_dates(token, year)
        except ValueError as error:
            problems.append(at_line(number, str(error)))
            continue
        for day in dates:
            if day in days:
                earlier = days[day]
                what = "重复" if earlier.kind == kind else "既放假又上班"
                where = "" if earlier.line == number else f"（另见第{earlier.line}行）"
                problems.append(at_line(number, f"日期 {day} {what}{where}"))
            else:
                days[day] = Arrangement(kind, name, number)
    if seen.get(kind) == 0:
        problems.append(at_line(number, f"“{kind_word(kind)}”后没有日期"))
    return problems


def kind_word(kind: DayKind | None) -> str:
    return next(word for word, value in KEYWORDS.items() if value == kind)


def diff_days(
    stored: Mapping[date, tuple[str, str]],
    wanted: Mapping[date, Arrangement],
    *,
    replace: bool,
) -> tuple[list[date], list[date], list[date]]:
    """(added, changed, removed) dates taking ``stored`` {date: (kind, name)} to ``wanted``.

    A patch (``replace=False``) never removes a date.
    """
    added = sorted(d for d in wanted if d not in stored)
    changed = sorted(
        d for d in wanted if d in stored and stored[d] != (wanted[d].kind, wanted[d].name)
    )
    removed = sorted(d for d in stored if d not in wanted) if replace else []
    return added, changed, removed


def package_notices(years: Iterable[int] | None = None) -> list[Notice]:
    """chinesecalendar's data as one notice per year (2004–2026 in 1.11.0).

    The package keys days by date; a December day named "New Year's Day" belongs to
    the next year's notice (the 元旦 span, e.g. 2018-12-30 is in the 2019 notice).
    """
    import chinese_calendar

    by_year: dict[int, dict[date, Arrangement]] = {}
    for table, kind in (
        (chinese_calendar.holidays, DayKind.HOLIDAY),
        (chinese_calendar.workdays, DayKind.MAKEUP_WORKDAY),
    ):
        for day, name in table.items():
            year = day.year + 1 if day.month == 12 and name == "New Year's Day" else day.year
            by_year.setdefault(year, {})[day] = Arrangement(kind, PACKAGE_NAMES.get(name, name))
    wanted = sorted(by_year) if years is None else sorted(set(years) & set(by_year))
    source = package_source()
    return [Notice(year, source, by_year[year]) for year in wanted]


def package_source() -> str:
    from importlib.metadata import version

    return f"chinesecalendar {version('chinesecalendar')}"
