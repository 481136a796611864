"""The T-CAL test vectors of RULES.zh.md §11, and calendars built from chinesecalendar."""

from datetime import date

from gongkai.workdays.enums import DayKind
from gongkai.workdays.rules import WorkCalendar
from gongkai.workdays.sources import package_notices


def package_calendar(years=None, *, count_makeup_workdays=True) -> WorkCalendar:
    """A WorkCalendar straight from the chinesecalendar package, no database."""
    notices = package_notices(years)
    rows = [(d, arr.kind, arr.name) for notice in notices for d, arr in notice.days.items()]
    return WorkCalendar.from_days(
        rows, [notice.year for notice in notices], count_makeup_workdays=count_makeup_workdays
    )


# (vector, received, working days, due) — every vector that is one add_workdays call.
ADD = (
    ("T-CAL-1", date(2017, 1, 20), 15, date(2017, 2, 15)),
    ("T-CAL-2", date(2017, 1, 20), 30, date(2017, 3, 8)),
    ("T-CAL-3", date(2017, 1, 20), 7, date(2017, 2, 4)),
    ("T-CAL-4", date(2017, 9, 29), 15, date(2017, 10, 26)),
    ("T-CAL-4", date(2017, 9, 29), 20, date(2017, 11, 2)),
    ("T-CAL-4", date(2017, 9, 29), 30, date(2017, 11, 16)),
    ("T-CAL-5", date(2019, 5, 15), 20, date(2019, 6, 13)),
    ("T-CAL-5", date(2019, 5, 15), 40, date(2019, 7, 11)),
    ("T-CAL-5", date(2019, 9, 27), 20, date(2019, 10, 30)),
    ("T-CAL-6", date(2017, 12, 20), 15, date(2018, 1, 11)),
    ("T-CAL-9", date(2021, 3, 1), 7, date(2021, 3, 10)),
    ("T-CAL-9", date(2021, 3, 15), 20, date(2021, 4, 13)),
)


def vectors(name):
    return [row[1:] for row in ADD if row[0] == name]


# T-CAL-7: (date, working day?, day type, festival)
T_CAL_7 = (
    (date(2018, 1, 31), True, "workday", ""),
    (date(2018, 3, 31), False, "weekend", ""),
    (date(2020, 1, 31), False, "holiday", "春节"),  # 春节 extended by 国办发明电〔2020〕1号
    (date(2022, 1, 31), False, "holiday", "春节"),
)

# T-CAL-8: received 2021-03-01, +20; (pauses, due)
T_CAL_8 = (
    ((), date(2021, 3, 29)),
    (((date(2021, 3, 5), date(2021, 3, 19)),), date(2021, 4, 13)),
)


def days(spec: str, year: int) -> set[date]:
    """``"01-27 01-30..02-02"`` → the dates, as the tables of RULES.zh.md write them."""
    result = set()
    for token in spec.split():
        first, _, last = token.partition("..")
        start = date(year, *map(int, first.split("-")))
        end = date(year, *map(int, (last or first).split("-")))
        result |= {date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1)}
    return result


HOLIDAY, MAKEUP = DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY
