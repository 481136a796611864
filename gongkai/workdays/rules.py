"""Working-day arithmetic over plain values (CAL-1, CAL-3, CAL-5, CAL-7).

No ORM, no clock: the calendar is an argument. ``services.load_calendar()`` builds one
from the database; tests build them by hand or from the chinesecalendar package.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from gongkai.workdays.enums import DayKind, DayType

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# CAL-3 trap: the notice for year Y+1 (published in Nov/Dec of Y) arranges the 元旦 span,
# which can reach back into December of Y (2018-12-29 上班, 2018-12-30/31 放假;
# 2006-12-30/31 上班). So from this (month, day) on, a date of year Y is known only when
# Y+1 is loaded too. The earliest such date in 2004–2026 is 12-29; 12-25 leaves a margin.
YEAR_END = (12, 25)

Pause = tuple[date, date | None]


class CalendarYearMissing(Exception):
    """CAL-3: no holiday data for ``year``, so the deadline is pending (期限待定)."""

    def __init__(self, year: int, day: date | None = None):
        self.year = year
        self.day = day
        message = f"{year}年的节假日数据尚未录入，期限待定"
        if day is not None and day.year != year:
            message += f"（{day.isoformat()} 可能受{year}年元旦放假安排影响）"
        super().__init__(message)


def weekday_name(day: date) -> str:
    return WEEKDAYS[day.weekday()]


@dataclass(frozen=True)
class WorkCalendar:
    """The holiday and 调休 table for the years in ``known_years`` (CAL-1, CAL-2).

    ``holidays`` are 放假 dates (weekends inside a holiday span may be listed too);
    ``makeup_workdays`` are the 调休 weekend days the notice says are 上班; ``names``
    maps either kind of date to its festival (春节). A date outside ``known_years``
    raises ``CalendarYearMissing`` — there is no weekday guess (CAL-3).
    ``count_makeup_workdays=False`` treats 调休上班 days as rest days (CAL-1 is unverified).
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    known_years: frozenset[int] = frozenset()
    count_makeup_workdays: bool = True
    names: Mapping[date, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))
        object.__setattr__(self, "known_years", frozenset(self.known_years))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"日期既放假又上班：{', '.join(sorted(map(str, both)))}")

    @classmethod
    def from_days(
        cls,
        days: Iterable[tuple[date, str, str]],
        known_years: Iterable[int],
        *,
        count_makeup_workdays: bool = True,
    ) -> "WorkCalendar":
        """Build from ``(date, DayKind, name)`` rows, the shape the database stores."""
        rows = list(days)
        return cls(
            holidays=frozenset(d for d, kind, _ in rows if kind == DayKind.HOLIDAY),
            makeup_workdays=frozenset(d for d, kind, _ in rows if kind == DayKind.MAKEUP_WORKDAY),
            known_years=frozenset(known_years),
            count_makeup_workdays=count_makeup_workdays,
            names={d: name for d, _, name in rows if name},
        )

    def check_known(self, day: date) -> None:
        """Raise ``CalendarYearMissing`` unless the data that decides ``day`` is loaded (CAL-3)."""
        if day.year not in self.known_years:
            raise CalendarYearMissing(day.year, day)
        if (day.month, day.day) >= YEAR_END and day.year + 1 not in self.known_years:
            raise CalendarYearMissing(day.year + 1, day)

    def day_type(self, day: date) -> DayType:
        self.check_known(day)
        if day in self.holidays:
            return DayType.HOLIDAY
        if day in self.makeup_workdays:
            return DayType.MAKEUP_WORKDAY
        return DayType.WEEKEND if day.weekday() >= 5 else DayType.WORKDAY

    def is_workday(self, day: date) -> bool:
        """CAL-1: Monday–Friday not 放假, plus 调休上班 days when they are counted."""
        kind = self.day_type(day)
        return kind == DayType.WORKDAY or (
            kind == DayType.MAKEUP_WORKDAY and self.count_makeup_workdays
        )

    def is_rest_day(self, day: date) -> bool:
        return not self.is_workday(day)


@dataclass(frozen=True)
class Step:
    """One day of a count, as ``explain`` shows it to staff."""

    day: date
    kind: DayType
    name: str  # the festival for 放假 and 调休上班 days, else ""
    paused: bool  # inside a CAL-7 pause (begin, end]
    counted: bool
    count: int  # working days counted so far, this day included

    @property
    def weekday(self) -> str:
        return weekday_name(self.day)

    @property
    def label(self) -> str:
        """工作日, 周末, 节假日（春节）, 调休上班（春节）, 暂停中（工作日）…"""
        text = str(self.kind.label)
        if self.name:
            text += f"（{self.name}）"
        if self.kind == DayType.MAKEUP_WORKDAY and not self.counted and not self.paused:
            text += "，不计"
        return f"暂停中（{text}）" if self.paused else text


def describe(day: date, cal: WorkCalendar) -> Step:
    """One day on its own; ``counted`` says whether it is a working day (CAL-1)."""
    return Step(day, cal.day_type(day), cal.names.get(day, ""), False, cal.is_workday(day), 0)


def _check(n: int, pauses: Iterable[Pause]) -> list[Pause]:
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    pauses = list(pauses)
    for begin, end in pauses:
        if end is not None and end < begin:
            raise ValueError(f"暂停结束日 {end} 早于开始日 {begin}")
    return pauses


def _walk(start: date, n: int, cal: WorkCalendar, pauses: list[Pause]) -> Iterator[Step]:
    """Yield each day after ``start`` until the n-th counted one, or until an open pause."""
    open_from = min((begin for begin, end in pauses if end is None), default=None)
    count, day = 0, start
    while count < n:
        day += timedelta(days=1)
        if open_from is not None and day > open_from:
            return
        kind = cal.day_type(day)
        paused = any(begin < day and (end is None or day <= end) for begin, end in pauses)
        counted = cal.is_workday(day) and not paused
        count += counted
        yield Step(day, kind, cal.names.get(day, ""), paused, counted, count)


def deadline(start: date, n: int, cal: WorkCalendar, pauses: Iterable[Pause] = ()) -> date | None:
    """CAL-5 + CAL-7: the day the n-th working day after ``start`` is used up.

    Working days in each pause ``(begin, end]`` are not counted: the begin day still
    counts, the end day does not. Overlapping pauses are merged (a day is skipped once).
    An open pause (``end is None``) that begins before the deadline is reached means
    there is no deadline yet: return None. A pause that begins after the deadline
    changes nothing.
    """
    steps = list(_walk(start, n, cal, _check(n, pauses)))
    if n == 0:
        return start
    if steps and steps[-1].count == n:
        return steps[-1].day
    return None


def add_workdays(start: date, n: int, cal: WorkCalendar) -> date:
    """CAL-5: the n-th working day after ``start``; ``start`` itself never counts.

    ``n == 0`` returns ``start`` unchanged (nothing to count, no data needed).
    The result for n ≥ 1 is always a working day (CAL-6). Raises ``ValueError`` for
    n < 0 and ``CalendarYearMissing`` when the count reaches a year without data (CAL-3).
    """
    due = deadline(start, n, cal)
    assert due is not None  # only an open pause leaves the deadline pending
    return due


def count_workdays(start: date, end: date, cal: WorkCalendar) -> int:
    """Working days in ``(start, end]`` (CAL-5, CAL-7); 0 when ``end == start``."""
    if end < start:
        raise ValueError(f"结束日 {end} 早于开始日 {start}")
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(cal.is_workday(day) for day in days)


def explain(start: date, n: int, cal: WorkCalendar, pauses: Iterable[Pause] = ()) -> list[Step]:
    """Every day from the day after ``start`` to the deadline, with how it was counted.

    With an open pause the list stops at the pause's begin day (the deadline is pending).
    """
    return list(_walk(start, n, cal, _check(n, pauses)))


def render_explanation(
    start: date, n: int, steps: list[Step], pauses: Iterable[Pause] = ()
) -> list[str]:
    """``explain``'s steps as Chinese lines for staff, ending with the deadline."""
    lines = [f"收到日 {start}（{weekday_name(start)}）当日不计，自次日起计 {n} 个工作日（CAL-5）"]
    for begin, end in pauses:
        until = f"至 {end}" if end else "起，尚未结束"
        lines.append(f"暂停 {begin} {until}：开始日照常计算，其后至结束日（含）不计（CAL-7）")
    for step in steps:
        tally = f"第{step.count}个工作日" if step.counted else "不计"
        lines.append(f"{step.day} {step.weekday} {step.label} {tally}")
    if n == 0:
        lines.append(f"期限届满日：{start}（{weekday_name(start)}）")
    elif steps and steps[-1].count == n:
        due = steps[-1].day
        lines.append(f"期限届满日：{due}（{weekday_name(due)}）")
    else:
        lines.append("暂停尚未结束，期限待定（CAL-7）")
    return lines
