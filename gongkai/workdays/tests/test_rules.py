from datetime import date, timedelta
from random import Random

import pytest

from gongkai.workdays.enums import DayType
from gongkai.workdays.rules import (
    CalendarYearMissing,
    WorkCalendar,
    add_workdays,
    count_workdays,
    deadline,
    describe,
    explain,
    render_explanation,
)
from gongkai.workdays.tests.vectors import T_CAL_7, T_CAL_8, days, package_calendar, vectors

CAL = package_calendar()
ONLY_2017 = package_calendar({2017})
NO_MAKEUP = package_calendar(count_makeup_workdays=False)


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-1"))
def test_add_workdays_t_cal_1_reply_within_15_days_2007(received, n, due):
    assert add_workdays(received, n, CAL) == due


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-2"))
def test_add_workdays_t_cal_2_extended_reply_2007(received, n, due):
    assert add_workdays(received, n, CAL) == due


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-3"))
def test_add_workdays_t_cal_3_ends_on_makeup_saturday(received, n, due):
    assert add_workdays(received, n, CAL) == due
    assert due.weekday() == 5


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-4"))
def test_add_workdays_t_cal_4_across_national_day(received, n, due):
    assert add_workdays(received, n, CAL) == due


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-5"))
def test_add_workdays_t_cal_5_reply_within_20_days_2019(received, n, due):
    assert add_workdays(received, n, CAL) == due


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-6"))
def test_add_workdays_t_cal_6_into_next_year(received, n, due):
    assert add_workdays(received, n, CAL) == due


def test_add_workdays_t_cal_6_refuses_a_year_without_data():
    with pytest.raises(CalendarYearMissing) as missing:
        add_workdays(date(2017, 12, 20), 15, ONLY_2017)

    assert missing.value.year == 2018
    assert str(missing.value) == (
        "2018年的节假日数据尚未录入，期限待定（2017-12-25 可能受2018年元旦放假安排影响）"
    )


@pytest.mark.parametrize(("day", "workday", "kind", "name"), T_CAL_7)
def test_is_workday_t_cal_7_report_publication_dates(day, workday, kind, name):
    assert CAL.is_workday(day) is workday
    assert CAL.day_type(day) == kind
    assert CAL.names.get(day, "") == name


@pytest.mark.parametrize(("pauses", "due"), T_CAL_8)
def test_deadline_t_cal_8_third_party_pause(pauses, due):
    assert deadline(date(2021, 3, 1), 20, CAL, pauses) == due


def test_count_workdays_t_cal_8_pause_is_ten_working_days():
    assert count_workdays(date(2021, 3, 5), date(2021, 3, 19), CAL) == 10


@pytest.mark.parametrize(("received", "n", "due"), vectors("T-CAL-9"))
def test_add_workdays_t_cal_9_correction_notice_and_restart(received, n, due):
    assert add_workdays(received, n, CAL) == due


@pytest.mark.parametrize(
    ("received", "n", "due"),
    (
        (date(2017, 1, 20), 7, date(2017, 2, 7)),  # T-CAL-3: 01-22 and 02-04 no longer count
        (date(2017, 1, 20), 15, date(2017, 2, 17)),  # T-CAL-1 likewise
        (date(2019, 9, 27), 20, date(2019, 11, 1)),  # T-CAL-5: 09-29 and 10-12 skipped
    ),
)
def test_add_workdays_without_makeup_days_cal_1_flag_off(received, n, due):
    assert add_workdays(received, n, NO_MAKEUP) == due


def test_is_workday_counts_makeup_day_only_with_cal_1_flag():
    assert CAL.is_workday(date(2017, 2, 4)) is True
    assert NO_MAKEUP.is_workday(date(2017, 2, 4)) is False


# CAL-8: the 2017 notice, row by row: (festival, 放假, 调休上班)
CAL_8 = (
    ("元旦", "01-01..01-02", ""),
    ("春节", "01-27..02-02", "01-22 02-04"),
    ("清明节", "04-02..04-04", "04-01"),
    ("劳动节", "05-01", ""),
    ("端午节", "05-28..05-30", "05-27"),
    ("国庆节", "10-01..10-03 10-05..10-08", "09-30"),
    ("中秋节", "10-04", ""),  # 中秋 falls inside 国庆 in 2017
)


@pytest.mark.parametrize(("name", "holidays", "makeup"), CAL_8)
def test_package_data_matches_cal_8_table_of_2017(name, holidays, makeup):
    named = {day for day, festival in CAL.names.items() if festival == name and day.year == 2017}

    assert named & CAL.holidays == days(holidays, 2017)
    assert named & CAL.makeup_workdays == days(makeup, 2017)


def test_package_data_of_2017_has_nothing_beyond_cal_8():
    in_2017 = {d for d in CAL.holidays | CAL.makeup_workdays if d.year == 2017}

    assert in_2017 == set().union(*(days(h, 2017) | days(m, 2017) for _, h, m in CAL_8))


# CAL-9: weekday holidays and 调休上班 days, 2016–2026, as RULES.zh.md lists them.
CAL_9 = (
    (2016, "01-01 02-08..02-12 04-04 05-02 06-09 06-10 09-15 09-16 10-03..10-07",
     "02-06 02-14 06-12 09-18 10-08 10-09"),
    (2017, "01-02 01-27 01-30..02-02 04-03 04-04 05-01 05-29 05-30 10-02..10-06",
     "01-22 02-04 04-01 05-27 09-30"),
    (2018, "01-01 02-15 02-16 02-19..02-21 04-05 04-06 04-30 05-01 06-18 09-24 10-01..10-05 12-31",
     "02-11 02-24 04-08 04-28 09-29 09-30 12-29"),
    (2019, "01-01 02-04..02-08 04-05 05-01..05-03 06-07 09-13 10-01..10-04 10-07",
     "02-02 02-03 04-28 05-05 09-29 10-12"),
    (2020, "01-01 01-24 01-27..01-31 04-06 05-01 05-04 05-05 06-25 06-26 10-01 10-02 10-05..10-08",
     "01-19 04-26 05-09 06-28 09-27 10-10"),
    (2021, "01-01 02-11 02-12 02-15..02-17 04-05 05-03..05-05 06-14 09-20 09-21 10-01 10-04..10-07",
     "02-07 02-20 04-25 05-08 09-18 09-26 10-09"),
    (2022, "01-03 01-31..02-04 04-04 04-05 05-02..05-04 06-03 09-12 10-03..10-07",
     "01-29 01-30 04-02 04-24 05-07 10-08 10-09"),
    (2023, "01-02 01-23..01-27 04-05 05-01..05-03 06-22 06-23 09-29 10-02..10-06",
     "01-28 01-29 04-23 05-06 06-25 10-07 10-08"),
    (2024, "01-01 02-12..02-16 04-04 04-05 05-01..05-03 06-10 09-16 09-17 10-01..10-04 10-07",
     "02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12"),
    (2025, "01-01 01-28..01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 10-01..10-03 10-06..10-08",
     "01-26 02-08 04-27 09-28 10-11"),
    (2026, "01-01 01-02 02-16..02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25 "
           "10-01 10-02 10-05..10-07",
     "01-04 02-14 02-28 05-09 09-20 10-10"),
)  # fmt: skip


@pytest.mark.parametrize(("year", "weekday_holidays", "makeup"), CAL_9)
def test_package_data_matches_cal_9_table(year, weekday_holidays, makeup):
    holidays = {d for d in CAL.holidays if d.year == year and d.weekday() < 5}
    makeups = {d for d in CAL.makeup_workdays if d.year == year}

    assert holidays == days(weekday_holidays, year)
    assert makeups == days(makeup, year)


@pytest.mark.parametrize(
    ("day", "year"),
    (
        (date(2018, 1, 2), 2018),  # a year without data: no weekday guess (CAL-3)
        (date(2016, 6, 1), 2016),
        (date(2017, 12, 25), 2018),  # year end waits for next year's 元旦 arrangement
        (date(2017, 12, 31), 2018),
    ),
)
def test_is_workday_raises_calendar_year_missing_cal_3(day, year):
    with pytest.raises(CalendarYearMissing) as missing:
        ONLY_2017.is_workday(day)

    assert missing.value.year == year


def test_calendar_year_missing_message_names_the_year():
    assert str(CalendarYearMissing(2027)) == "2027年的节假日数据尚未录入，期限待定"


def test_is_workday_answers_december_before_year_end():
    assert ONLY_2017.is_workday(date(2017, 12, 22)) is True
    assert ONLY_2017.is_workday(date(2017, 12, 23)) is False


def test_year_end_knows_next_years_yuandan_span():
    assert CAL.day_type(date(2018, 12, 29)) == DayType.MAKEUP_WORKDAY  # from the 2019 notice
    assert CAL.day_type(date(2018, 12, 31)) == DayType.HOLIDAY
    assert CAL.names[date(2018, 12, 31)] == "元旦"


@pytest.mark.parametrize(
    ("start", "n", "due"),
    (
        (date(2017, 1, 20), 0, date(2017, 1, 20)),  # n == 0: start, nothing counted
        (date(2030, 1, 1), 0, date(2030, 1, 1)),  # ... even without data for that year
        (date(2017, 1, 27), 1, date(2017, 2, 3)),  # start on a holiday: its type is irrelevant
        (date(2017, 1, 21), 1, date(2017, 1, 22)),  # start on a weekend, next is 调休上班
        (date(2017, 1, 26), 1, date(2017, 2, 3)),
    ),
)
def test_add_workdays_counts_from_the_day_after_start_cal_5(start, n, due):
    assert add_workdays(start, n, CAL) == due


def test_add_workdays_rejects_negative_count():
    with pytest.raises(ValueError, match="工作日数不能为负数"):
        add_workdays(date(2017, 1, 20), -1, CAL)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    (
        (date(2017, 1, 20), date(2017, 1, 20), 0),
        (date(2017, 1, 20), date(2017, 2, 4), 7),  # T-CAL-3
        (date(2017, 1, 26), date(2017, 2, 2), 0),  # all of 春节
        (date(2021, 3, 1), date(2021, 3, 29), 20),  # T-CAL-8 without the pause
    ),
)
def test_count_workdays_counts_half_open_interval(start, end, count):
    assert count_workdays(start, end, CAL) == count


def test_count_workdays_rejects_end_before_start():
    with pytest.raises(ValueError, match="早于开始日"):
        count_workdays(date(2017, 2, 1), date(2017, 1, 1), CAL)


R = date(2021, 3, 1)  # received; +20 is 2021-03-29 without pauses


@pytest.mark.parametrize(
    ("pauses", "due"),
    (
        (((date(2021, 3, 5), date(2021, 3, 5)),), date(2021, 3, 29)),  # (b, b] is empty
        (((date(2021, 3, 5), date(2021, 3, 8)),), date(2021, 3, 30)),  # only 03-08 skipped
        (((date(2021, 3, 5), date(2021, 3, 19)), (date(2021, 3, 10), date(2021, 3, 12))),
         date(2021, 4, 13)),  # overlap is skipped once
        (((date(2021, 2, 1), date(2021, 3, 3)),), date(2021, 3, 31)),  # begun before receipt
        (((date(2021, 3, 29), date(2021, 4, 20)),), date(2021, 3, 29)),  # begun on the due day
        (((date(2021, 3, 30), None),), date(2021, 3, 29)),  # open, but after the due day
        (((date(2021, 3, 5), None),), None),  # open: no deadline yet
    ),
)  # fmt: skip
def test_deadline_skips_working_days_in_pauses_cal_7(pauses, due):
    assert deadline(R, 20, CAL, pauses) == due


def test_deadline_rejects_pause_ending_before_it_begins():
    with pytest.raises(ValueError, match="早于开始日"):
        deadline(R, 20, CAL, [(date(2021, 3, 5), date(2021, 3, 1))])


def test_work_calendar_rejects_a_date_both_holiday_and_makeup():
    with pytest.raises(ValueError, match="既放假又上班"):
        WorkCalendar({date(2027, 2, 14)}, {date(2027, 2, 14)}, {2027})


def test_explain_lists_each_day_with_its_kind_t_cal_3():
    steps = explain(date(2017, 1, 20), 7, CAL)

    assert [(s.day.day, s.label, s.count) for s in steps] == [
        (21, "周末", 0),
        (22, "调休上班（春节）", 1),
        (23, "工作日", 2),
        (24, "工作日", 3),
        (25, "工作日", 4),
        (26, "工作日", 5),
        (27, "节假日（春节）", 5),
        (28, "节假日（春节）", 5),
        (29, "节假日（春节）", 5),
        (30, "节假日（春节）", 5),
        (31, "节假日（春节）", 5),
        (1, "节假日（春节）", 5),
        (2, "节假日（春节）", 5),
        (3, "工作日", 6),
        (4, "调休上班（春节）", 7),
    ]


def test_explain_marks_paused_and_uncounted_makeup_days():
    paused = explain(R, 5, CAL, [(date(2021, 3, 4), date(2021, 3, 5))])
    uncounted = explain(date(2017, 2, 3), 1, NO_MAKEUP)

    assert [s.label for s in paused][2:5] == ["工作日", "暂停中（工作日）", "周末"]
    assert [s.label for s in uncounted][:2] == ["调休上班（春节），不计", "周末"]


def test_render_explanation_reads_as_chinese_lines():
    start = date(2017, 1, 26)

    lines = render_explanation(start, 1, explain(start, 1, CAL))

    assert lines == [
        "收到日 2017-01-26（星期四）当日不计，自次日起计 1 个工作日（CAL-5）",
        "2017-01-27 星期五 节假日（春节） 不计",
        "2017-01-28 星期六 节假日（春节） 不计",
        "2017-01-29 星期日 节假日（春节） 不计",
        "2017-01-30 星期一 节假日（春节） 不计",
        "2017-01-31 星期二 节假日（春节） 不计",
        "2017-02-01 星期三 节假日（春节） 不计",
        "2017-02-02 星期四 节假日（春节） 不计",
        "2017-02-03 星期五 工作日 第1个工作日",
        "期限届满日：2017-02-03（星期五）",
    ]


def test_render_explanation_of_open_pause_says_pending():
    pauses = [(date(2021, 3, 2), None)]

    lines = render_explanation(R, 20, explain(R, 20, CAL, pauses), pauses)

    assert lines == [
        "收到日 2021-03-01（星期一）当日不计，自次日起计 20 个工作日（CAL-5）",
        "暂停 2021-03-02 起，尚未结束：开始日照常计算，其后至结束日（含）不计（CAL-7）",
        "2021-03-02 星期二 工作日 第1个工作日",
        "暂停尚未结束，期限待定（CAL-7）",
    ]


def test_describe_gives_check_answer():
    step = describe(date(2020, 1, 31), CAL)

    assert (step.weekday, step.counted, step.label) == ("星期五", False, "节假日（春节）")


def test_add_and_count_agree_on_random_dates():
    """Property: the n-th working day is a working day, and exactly n lie in (start, due]."""
    rng = Random(42)
    for _ in range(300):
        start = date(2004, 1, 1) + timedelta(days=rng.randrange(365 * 22))
        n = rng.randrange(0, 60)

        due = add_workdays(start, n, CAL)

        assert count_workdays(start, due, CAL) == n
        assert n == 0 or CAL.is_workday(due)
        assert n == 0 or count_workdays(start, due - timedelta(days=1), CAL) == n - 1
