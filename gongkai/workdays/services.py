"""Every change of the working-day calendar goes through here (CAL-2).

Each change runs in one transaction: check everything, write only what differs, append one
audit entry, then — after commit — send ``signals.calendar_changed`` once with the years
whose answers may have moved. Writing data equal to what is stored changes nothing: no
write, no audit entry, no signal.
"""

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.workdays.enums import DayKind
from gongkai.workdays.models import CalendarYear, Revision, SpecialDay
from gongkai.workdays.rules import WorkCalendar
from gongkai.workdays.signals import calendar_changed
from gongkai.workdays.sources import (
    Arrangement,
    CalendarImportError,
    Notice,
    at_line,
    diff_days,
    notice_problems,
    package_notices,
    package_source,
    parse_notice,
)

# (revision token, calendar) of the last load in this process.
_cached: tuple[str, WorkCalendar] | None = None

NO_SOURCE = "（未注明来源）"


@dataclass(frozen=True)
class CalendarChange:
    """What one service call changed. ``years`` is what ``calendar_changed`` was sent with."""

    years: frozenset[int] = frozenset()
    created: tuple[int, ...] = ()  # notice years that did not exist before
    updated: tuple[int, ...] = ()  # existing notice years whose days or source changed
    deleted: tuple[int, ...] = ()
    skipped: tuple[int, ...] = ()  # load_from_package: already in the database, left alone
    added: int = 0
    changed: int = 0
    removed: int = 0
    dates: tuple[date, ...] = field(default=(), repr=False)  # every date added, changed, removed

    @property
    def is_empty(self) -> bool:
        return not (self.created or self.updated or self.deleted)


def load_calendar(*, count_makeup_workdays: bool | None = None) -> WorkCalendar:
    """The calendar in the database, cached in this process until the next committed change.

    ``count_makeup_workdays`` defaults to ``settings.GONGKAI_COUNT_MAKEUP_WORKDAYS`` (CAL-1).
    Costs one small query when the cache is fresh.
    """
    global _cached
    token = Revision.objects.filter(pk=1).values_list("token", flat=True).first() or ""
    if _cached is None or _cached[0] != token:
        days = SpecialDay.objects.values_list("date", "kind", "name")
        years = CalendarYear.objects.values_list("year", flat=True)
        _cached = (token, WorkCalendar.from_days(days, years))
    calendar = _cached[1]
    if count_makeup_workdays is None:
        count_makeup_workdays = settings.GONGKAI_COUNT_MAKEUP_WORKDAYS
    if calendar.count_makeup_workdays == count_makeup_workdays:
        return calendar
    return dataclasses.replace(calendar, count_makeup_workdays=count_makeup_workdays)


def load_from_package(
    years: Iterable[int] | None = None, *, actor=None, overwrite: bool = False
) -> CalendarChange:
    """Import chinesecalendar's years (all of 2004–2026 when ``years`` is None).

    Years already in the database are left alone (reported as ``skipped``) unless
    ``overwrite``: an imported notice or an office correction must survive ``gongkai setup``.
    Raises ``CalendarImportError`` for a requested year the package does not have.
    """
    notices = package_notices(years)
    missing = sorted(set(years or ()) - {notice.year for notice in notices})
    if missing:
        source = package_source()
        raise CalendarImportError([f"{source} 没有 {year} 年的数据" for year in missing])
    skipped = ()
    if not overwrite:
        existing = set(CalendarYear.objects.values_list("year", flat=True))
        skipped = tuple(notice.year for notice in notices if notice.year in existing)
        notices = [notice for notice in notices if notice.year not in existing]
    change = _apply(notices, replace=True, action="workdays.load", actor=actor)
    return dataclasses.replace(change, skipped=skipped)


def import_notice(source: str | Path, *, actor=None, replace: bool = True) -> CalendarChange:
    """Import one year from a notice file (a ``Path``) or its text (a ``str``).

    The format is described in ``gongkai.workdays.sources``. ``replace=True`` makes the
    year exactly what the file says; ``replace=False`` (patch mode, CAL-2) adds or changes
    the listed days of a year already loaded and keeps the rest. All or nothing: any
    problem raises ``CalendarImportError`` naming each line, and nothing is written.
    """
    if isinstance(source, Path):
        try:
            text = source.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CalendarImportError([f"{source.name} 不是 UTF-8 编码的文本"]) from None
        default_source = source.name
    else:
        text, default_source = source, NO_SOURCE
    notice = parse_notice(text, default_source=default_source)
    action = "workdays.import" if replace else "workdays.patch"
    return _apply([notice], replace=replace, action=action, actor=actor)


def edit_year(
    year: int,
    *,
    source: str,
    days: Mapping[date, tuple[DayKind, str]],
    actor=None,
) -> CalendarChange:
    """Make notice ``year`` say exactly ``days`` ({date: (kind, name)}); used by the admin."""
    arrangements = {day: Arrangement(DayKind(kind), name) for day, (kind, name) in days.items()}
    notice = Notice(year, source or NO_SOURCE, arrangements)
    return _apply([notice], replace=True, action="workdays.edit", actor=actor)


def delete_years(years: Iterable[int], *, actor=None) -> CalendarChange:
    """Remove notices and their days; those years become unknown again (CAL-3)."""
    with transaction.atomic():
        revision = _lock()
        rows = list(CalendarYear.objects.filter(year__in=list(years)).prefetch_related("days"))
        if not rows:
            return CalendarChange()
        dates = sorted(day.date for row in rows for day in row.days.all())
        deleted = tuple(sorted(row.year for row in rows))
        CalendarYear.objects.filter(pk__in=[row.pk for row in rows]).delete()
        known = set(CalendarYear.objects.values_list("year", flat=True))
        change = CalendarChange(
            years=_affected(dates, deleted, known),
            deleted=deleted,
            removed=len(dates),
            dates=tuple(dates),
        )
        _commit(revision, "workdays.delete", actor, change, obj=None)
    return change


def _lock() -> Revision:
    """Serialize calendar changes: every one locks the revision row first."""
    revision, _ = Revision.objects.select_for_update().get_or_create(pk=1)
    return revision


def _affected(dates: Iterable[date], years: Iterable[int], known: set[int]) -> frozenset[int]:
    """Years whose answers may move: those of the dates, each notice year added or removed,
    and the year before it when loaded (its last days depend on the next 元旦, CAL-3)."""
    affected = {day.year for day in dates}
    for year in years:
        affected.add(year)
        if year - 1 in known:
            affected.add(year - 1)
    return frozenset(affected)


def _conflicts(notices: list[Notice], rows: dict[int, CalendarYear], replace: bool) -> list[str]:
    """Problems only the database can reveal: patching a missing year, a date of another notice."""
    problems = []
    for notice in notices:
        problems += notice_problems(notice)
        if not replace and notice.year not in rows:
            problems.append(
                at_line(
                    notice.year_line,
                    f"{notice.year}年尚未录入，不能以补丁方式导入；请先导入整年通知",
                )
            )
    owners = dict(
        SpecialDay.objects.filter(
            date__in=[day for notice in notices for day in notice.days]
        ).values_list("date", "year__year")
    )
    in_call = {notice.year for notice in notices}
    claimed: dict[date, int] = {}
    for notice in notices:
        for day, arr in sorted(notice.days.items()):
            owner = claimed.get(day, owners.get(day))
            # A replaced notice in this same call gives its old dates up.
            if owner is not None and owner != notice.year and not (replace and owner in in_call):
                problems.append(at_line(arr.line, f"日期 {day} 已由{owner}年的通知安排"))
            claimed[day] = notice.year
    return problems


def _patched_source(old: str, new: str) -> str:
    if not new or new == NO_SOURCE or new in old:
        return old
    return f"{old}；{new}"[:300]


def _apply(notices: list[Notice], *, replace: bool, action: str, actor) -> CalendarChange:
    """Write each notice (whole year, or patch); raise ``CalendarImportError`` before any write."""
    if not notices:
        return CalendarChange()
    with transaction.atomic():
        revision = _lock()
        rows = {
            row.year: row for row in CalendarYear.objects.filter(year__in=[n.year for n in notices])
        }
        problems = _conflicts(notices, rows, replace)
        if problems:
            raise CalendarImportError(problems)
        known_before = set(CalendarYear.objects.values_list("year", flat=True))
        now = timezone.now()
        current = {day.date: day for day in SpecialDay.objects.filter(year__in=rows.values())}
        created, updated, touched = [], [], []
        to_add, to_change, to_remove = [], [], []
        for notice in notices:
            row = rows.get(notice.year)
            mine = {d: day for d, day in current.items() if row and day.year_id == row.pk}
            if row is None:
                row = rows[notice.year] = CalendarYear(year=notice.year, loaded_at=now)
                created.append(notice.year)
            stored = {d: (day.kind, day.name) for d, day in mine.items()}
            added, changed, removed = diff_days(stored, notice.days, replace=replace)
            source = notice.source if replace else _patched_source(row.source, notice.source)
            if row.pk and not (added or changed or removed) and source == row.source:
                continue
            if row.pk:
                updated.append(notice.year)
            row.source, row.loaded_at = source, now
            row.save()
            for d in changed:
                mine[d].kind, mine[d].name = notice.days[d].kind, notice.days[d].name
            to_add += [
                SpecialDay(date=d, year=row, kind=notice.days[d].kind, name=notice.days[d].name)
                for d in added
            ]
            to_change += [mine[d] for d in changed]
            to_remove += [mine[d] for d in removed]
            touched += [*added, *changed, *removed]
        if not (created or updated):
            return CalendarChange()
        SpecialDay.objects.filter(pk__in=[day.pk for day in to_remove]).delete()
        SpecialDay.objects.bulk_update(to_change, ["kind", "name"])
        SpecialDay.objects.bulk_create(to_add)
        dates = tuple(sorted(set(touched)))
        change = CalendarChange(
            years=_affected(dates, created, known_before),
            created=tuple(created),
            updated=tuple(updated),
            added=len(to_add),
            changed=len(to_change),
            removed=len(to_remove),
            dates=dates,
        )
        only = rows[notices[0].year] if len(notices) == 1 else None
        _commit(revision, action, actor, change, obj=only)
    return change


def _commit(revision: Revision, action: str, actor, change: CalendarChange, *, obj) -> None:
    """Bump the cache token, audit, and queue the one notification for after commit."""
    revision.token = uuid.uuid4().hex
    revision.save(update_fields=["token"])
    summary = {
        field.name: getattr(change, field.name)
        for field in dataclasses.fields(change)
        if field.name not in {"years", "dates", "skipped"}
    }
    summary["years"] = sorted(change.years)
    if len(change.dates) <= 40:  # a full year's load would only bury the entry
        summary["dates"] = list(change.dates)
    record(action, actor=actor, obj=obj, summary=summary)
    if change.years:
        years = change.years
        transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, years=years))
