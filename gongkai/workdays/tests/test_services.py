from datetime import date

import pytest
from django.db import transaction

from gongkai.audit.models import Entry
from gongkai.workdays import services
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.rules import CalendarYearMissing, add_workdays, deadline
from gongkai.workdays.signals import calendar_changed
from gongkai.workdays.sources import CalendarImportError
from gongkai.workdays.tests.test_sources import EXAMPLE
from gongkai.workdays.tests.vectors import (
    ADD,
    HOLIDAY,
    MAKEUP,
    T_CAL_7,
    T_CAL_8,
    package_calendar,
)

# Real commits: calendar_changed is sent by transaction.on_commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

ALL_YEARS = tuple(range(2004, 2027))
SMALL_2027 = "年份 2027\n来源 测试通知\n元旦 放假 01-01~01-03\n春节 放假 02-05~02-13 上班 02-14"


@pytest.fixture
def sent():
    """The ``years`` of every calendar_changed sent, in order."""
    received = []

    def receiver(sender, years, **kwargs):
        received.append(years)

    calendar_changed.connect(receiver)
    yield received
    calendar_changed.disconnect(receiver)


def state():
    return (
        list(CalendarYear.objects.values_list("year", "source", "loaded_at")),
        list(SpecialDay.objects.values_list("date", "year__year", "kind", "name")),
        Entry.objects.count(),
    )


def actions():
    return list(Entry.objects.values_list("action", "actor", "object_type"))


def test_load_from_package_loads_2004_to_2026(sent):
    change = services.load_from_package()

    assert change.created == ALL_YEARS
    assert (change.added, change.changed, change.removed) == (771, 0, 0)
    assert CalendarYear.objects.count() == 23
    assert sent == [frozenset(ALL_YEARS)]
    assert actions() == [("workdays.load", "system", "")]


def test_load_from_package_twice_changes_nothing(sent):
    services.load_from_package()
    before = state()

    again = services.load_from_package()
    overwritten = services.load_from_package(overwrite=True)

    assert again.is_empty and again.skipped == ALL_YEARS
    assert overwritten.is_empty and overwritten.skipped == ()
    assert state() == before
    assert len(sent) == 1


def test_load_from_package_keeps_imported_years_unless_overwrite(sent):
    services.import_notice("年份 2017\n来源 局部更正\n春节 放假 01-27", actor="office")

    kept = services.load_from_package([2016, 2017])
    restored = services.load_from_package([2017], overwrite=True)

    assert (kept.created, kept.skipped) == ((2016,), (2017,))
    assert (restored.updated, restored.added, restored.changed) == ((2017,), 28, 0)
    assert CalendarYear.objects.get(year=2017).source == "chinesecalendar 1.11.0"
    assert sent == [frozenset({2017}), frozenset({2016}), frozenset({2017})]


def test_load_from_package_refuses_a_year_it_lacks():
    with pytest.raises(CalendarImportError) as error:
        services.load_from_package([2026, 2027])

    assert error.value.problems == ["chinesecalendar 1.11.0 没有 2027 年的数据"]
    assert CalendarYear.objects.count() == 0


def test_load_calendar_equals_package_calendar():
    services.load_from_package()

    calendar = services.load_calendar()

    assert calendar == package_calendar()
    assert dict(calendar.names) == dict(package_calendar().names)


def test_load_calendar_answers_every_t_cal_vector():
    services.load_from_package()

    calendar = services.load_calendar()

    assert [add_workdays(start, n, calendar) for _, start, n, _ in ADD] == [d for *_, d in ADD]
    assert [calendar.is_workday(day) for day, *_ in T_CAL_7] == [w for _, w, *_ in T_CAL_7]
    assert [deadline(date(2021, 3, 1), 20, calendar, p) for p, _ in T_CAL_8] == [
        due for _, due in T_CAL_8
    ]


def test_load_calendar_follows_the_cal_1_setting(settings):
    services.load_from_package([2017, 2018])
    settings.GONGKAI_COUNT_MAKEUP_WORKDAYS = False

    calendar = services.load_calendar()

    assert add_workdays(date(2017, 1, 20), 7, calendar) == date(2017, 2, 7)  # T-CAL-3, flag off
    assert services.load_calendar(count_makeup_workdays=True).count_makeup_workdays is True


def test_load_calendar_is_cached_until_a_change(django_assert_num_queries):
    services.load_from_package([2026])
    first = services.load_calendar()

    with django_assert_num_queries(1):
        again = services.load_calendar()
    services.import_notice(SMALL_2027)
    after = services.load_calendar()

    assert again is first
    assert after.known_years == {2026, 2027}


def test_load_calendar_refuses_years_without_data_cal_3():
    services.load_from_package([2017])

    with pytest.raises(CalendarYearMissing) as missing:
        add_workdays(date(2017, 12, 20), 15, services.load_calendar())

    assert missing.value.year == 2018


def test_import_notice_reads_a_file(sent):
    services.load_from_package([2026])

    change = services.import_notice(EXAMPLE, actor="office")

    day = SpecialDay.objects.get(date=date(2027, 2, 14))
    assert (change.created, change.added) == ((2027,), 35)
    assert (day.year.year, day.kind, day.name) == (2027, MAKEUP, "春节")
    assert sent[-1] == frozenset({2026, 2027})
    assert actions()[-1] == ("workdays.import", "office", "workdays.calendaryear")
    assert add_workdays(date(2027, 2, 4), 1, services.load_calendar()) == date(2027, 2, 14)


def test_import_notice_keeps_december_yuandan_days_with_next_years_notice(sent):
    services.load_from_package([2026])

    services.import_notice("年份 2027\n元旦 放假 2026-12-31~01-02 上班 2026-12-27")

    calendar = services.load_calendar()
    assert SpecialDay.objects.get(date=date(2026, 12, 31)).year.year == 2027
    assert add_workdays(date(2026, 12, 24), 2, calendar) == date(2026, 12, 27)
    assert calendar.is_workday(date(2026, 12, 31)) is False
    assert sent == [frozenset({2026}), frozenset({2026, 2027})]


def test_import_notice_twice_changes_nothing(sent):
    services.import_notice(SMALL_2027)
    before = state()

    change = services.import_notice(SMALL_2027)

    assert change.is_empty
    assert state() == before
    assert sent == [frozenset({2027})]


def test_import_notice_replaces_the_whole_year(sent):
    services.import_notice(SMALL_2027)

    change = services.import_notice("年份 2027\n来源 测试通知\n新年 放假 01-01~01-03")

    assert (change.updated, change.added, change.changed, change.removed) == ((2027,), 0, 3, 10)
    assert set(SpecialDay.objects.values_list("name", flat=True)) == {"新年"}
    assert sent == [frozenset({2027}), frozenset({2027})]
    assert [a for a, *_ in actions()] == ["workdays.import", "workdays.import"]


def test_import_notice_patch_keeps_the_other_days(sent):
    services.import_notice(SMALL_2027)

    change = services.import_notice(
        "年份 2027\n来源 国办发明电〔2027〕1号\n春节 放假 02-15~02-16", replace=False
    )

    assert (change.added, change.removed) == (2, 0)
    assert SpecialDay.objects.count() == 15
    assert CalendarYear.objects.get().source == "测试通知；国办发明电〔2027〕1号"
    assert actions()[-1][0] == "workdays.patch"


def test_import_notice_patch_needs_a_loaded_year():
    with pytest.raises(CalendarImportError) as error:
        services.import_notice("年份 2027\n春节 放假 02-15", replace=False)

    assert error.value.problems == ["第1行：2027年尚未录入，不能以补丁方式导入；请先导入整年通知"]


@pytest.mark.parametrize(
    ("text", "problem"),
    (
        ("年份 2027\n春节 放假 2028-01-02", "第2行：日期 2028-01-02 不在 2027 年内"),
        ("年份 2027\n春节 放假 02-14\n春节 上班 02-14",
         "第3行：日期 2027-02-14 既放假又上班（另见第2行）"),
        ("年份 2027\n春节 休息 02-14",
         "第2行：无法识别“春节 休息 02-14”：节日名称后应为“放假”或“上班”"),
        ("年份 2027\n春节 放假 02-30", "第2行：无法识别的日期“02-30”"),
        ("年份 2026\n元旦 放假 12-31", "第2行：日期 2026-12-31 已由2027年的通知安排"),
    ),
)  # fmt: skip
def test_import_notice_bad_input_changes_nothing(text, problem, sent):
    services.load_from_package([2026])
    services.import_notice("年份 2027\n来源 测试\n元旦 放假 2026-12-31~01-03")
    before, signals_before = state(), len(sent)

    with pytest.raises(CalendarImportError) as error:
        services.import_notice(text)

    assert error.value.problems == [problem]
    assert state() == before
    assert len(sent) == signals_before


def test_import_notice_refuses_a_file_not_in_utf8(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_bytes("年份 2027\n春节 放假 02-06".encode("gbk"))

    with pytest.raises(CalendarImportError) as error:
        services.import_notice(path)

    assert error.value.problems == ["2027.txt 不是 UTF-8 编码的文本"]


def test_calendar_changed_is_sent_only_after_commit(sent):
    with transaction.atomic():
        services.import_notice(SMALL_2027)
        services.load_from_package([2026])
        assert sent == []

    assert sent == [frozenset({2027}), frozenset({2026})]


def test_calendar_changed_is_not_sent_after_rollback(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.import_notice(SMALL_2027)
        raise RuntimeError

    assert (sent, CalendarYear.objects.count()) == ([], 0)


def test_edit_year_writes_one_change(sent):
    services.import_notice(SMALL_2027)
    days = {d.date: (d.kind, d.name) for d in SpecialDay.objects.all()}
    days[date(2027, 2, 14)] = (HOLIDAY, "春节")
    days[date(2027, 2, 20)] = (MAKEUP, "春节")

    change = services.edit_year(2027, source="测试通知", days=days, actor="office")

    assert (change.added, change.changed, change.dates) == (
        1,
        1,
        (date(2027, 2, 14), date(2027, 2, 20)),
    )
    assert sent == [frozenset({2027}), frozenset({2027})]
    assert actions()[-1] == ("workdays.edit", "office", "workdays.calendaryear")
    assert Entry.objects.last().summary["dates"] == ["2027-02-14", "2027-02-20"]


def test_delete_years_makes_the_year_unknown_again(sent):
    services.load_from_package([2026])
    services.import_notice(SMALL_2027)

    change = services.delete_years([2027], actor="office")

    assert (change.deleted, change.removed) == ((2027,), 13)
    assert sent[-1] == frozenset({2026, 2027})
    assert actions()[-1] == ("workdays.delete", "office", "")
    with pytest.raises(CalendarYearMissing):
        services.load_calendar().is_workday(date(2027, 3, 1))


def test_delete_years_of_nothing_changes_nothing(sent):
    assert services.delete_years([2030]).is_empty
    assert (sent, Entry.objects.count()) == ([], 0)
