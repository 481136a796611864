from datetime import date
from pathlib import Path

import pytest

from gongkai.workdays.sources import (
    Arrangement,
    CalendarImportError,
    diff_days,
    package_notices,
    parse_notice,
)
from gongkai.workdays.tests.vectors import HOLIDAY, MAKEUP

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-2027.txt"


def test_parse_notice_reads_the_example_file():
    notice = parse_notice(EXAMPLE.read_text(encoding="utf-8"), default_source="x.txt")

    assert notice.year == 2027
    assert notice.source == "虚构示例（非真实通知）example-2027.txt"
    assert len(notice.days) == 35
    assert notice.days[date(2027, 2, 5)] == Arrangement(HOLIDAY, "春节", 20)
    assert notice.days[date(2027, 2, 20)] == Arrangement(MAKEUP, "春节", 20)


def test_parse_notice_accepts_full_dates_ranges_and_separators():
    text = """
        # 元旦从上一年12月开始：12月的日期写完整年份
        年份：2027
        元旦 放假 2026-12-31～01-02、 上班 2026-12-27
        春节 放假 2-6至2-8，02-10
    """

    notice = parse_notice(text, default_source="notice.txt")

    assert notice.source == "notice.txt"
    assert sorted(notice.days) == [
        date(2026, 12, 27),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
        date(2027, 2, 10),
    ]
    assert notice.days[date(2026, 12, 27)] == Arrangement(MAKEUP, "元旦", 4)


@pytest.mark.parametrize(
    ("text", "problems"),
    (
        ("年份 2027\n春节 放假 2028-01-02", ["第2行：日期 2028-01-02 不在 2027 年内"]),
        ("年份 2027\n元旦 放假 2026-11-30", ["第2行：日期 2026-11-30 不在 2027 年内"]),
        ("年份 2027\n春节 放假 02-14\n春节 上班 02-14",
         ["第3行：日期 2027-02-14 既放假又上班（另见第2行）"]),
        ("年份 2027\n春节 放假 02-13~02-14 上班 02-14", ["第2行：日期 2027-02-14 既放假又上班"]),
        ("年份 2027\n春节 放假 02-06\n春节 放假 02-06",
         ["第3行：日期 2027-02-06 重复（另见第2行）"]),
        ("年份 2027\n春节 休息 02-14",
         ["第2行：无法识别“春节 休息 02-14”：节日名称后应为“放假”或“上班”"]),
        ("年份 2027\n放假 02-14", ["第2行：缺少节日名称：“放假 02-14”"]),
        ("年份 2027\n春节 放假 02-30", ["第2行：无法识别的日期“02-30”"]),
        ("年份 2027\n春节 放假 02-10~02-06", ["第2行：区间“02-10~02-06”的结束日早于开始日"]),
        ("年份 2027\n春节 放假 上班 02-14", ["第2行：“放假”后没有日期"]),
        ("年份 2027\n春节 上班 02-15", ["第2行：2027-02-15（星期一）不是周末，不能安排为调休上班"]),
        ("春节 放假 02-14", ["第1行：第一项须为“年份 YYYY”"]),
        ("# 空\n", ["缺少“年份 YYYY”一行"]),
        ("年份 2027\n", ["没有任何放假或上班安排"]),
        ("年份 二〇二七\n春节 放假 02-06", ["第1行：无法识别的年份“二〇二七”"]),
        ("年份 2027\n年份 2028\n春节 放假 02-06", ["第2行：“年份”只能写一次"]),
        ("年份 2027\n春节 放假 02-30 上班 02-15\n国庆节 放假 2028-01-02\n乱写",
         ["第2行：无法识别的日期“02-30”",
          "第2行：2027-02-15（星期一）不是周末，不能安排为调休上班",
          "第3行：日期 2028-01-02 不在 2027 年内",
          "第4行：无法识别“乱写”：节日名称后应为“放假”或“上班”"]),
    ),
)  # fmt: skip
def test_parse_notice_lists_every_problem_with_its_line(text, problems):
    with pytest.raises(CalendarImportError) as error:
        parse_notice(text)

    assert error.value.problems == problems
    assert str(error.value) == "日历数据有误，未导入任何内容：\n" + "\n".join(problems)


def test_package_notices_put_december_yuandan_in_next_years_notice():
    notices = {notice.year: notice for notice in package_notices([2018, 2019])}

    assert date(2018, 12, 31) in notices[2019].days
    assert date(2018, 12, 29) in notices[2019].days
    assert max(notices[2018].days) == date(2018, 10, 7)
    assert notices[2019].days[date(2018, 12, 29)] == Arrangement(MAKEUP, "元旦")
    assert notices[2019].source == "chinesecalendar 1.11.0"


def test_package_notices_cover_2004_to_2026():
    assert [notice.year for notice in package_notices()] == list(range(2004, 2027))


A = date(2027, 2, 5)
B = date(2027, 2, 6)
C = date(2027, 2, 14)


@pytest.mark.parametrize(
    ("stored", "wanted", "replace", "diff"),
    (
        ({}, {A: Arrangement(HOLIDAY, "春节")}, True, ([A], [], [])),
        ({A: (HOLIDAY, "春节")}, {A: Arrangement(HOLIDAY, "春节")}, True, ([], [], [])),
        ({A: (HOLIDAY, "春节")}, {A: Arrangement(HOLIDAY, "新春")}, True, ([], [A], [])),
        ({A: (HOLIDAY, "春节"), C: (MAKEUP, "春节")}, {B: Arrangement(HOLIDAY, "春节")}, True,
         ([B], [], [A, C])),
        ({A: (HOLIDAY, "春节"), C: (MAKEUP, "春节")}, {B: Arrangement(HOLIDAY, "春节")}, False,
         ([B], [], [])),  # a patch never removes
    ),
)  # fmt: skip
def test_diff_days_finds_added_changed_removed(stored, wanted, replace, diff):
    assert diff_days(stored, wanted, replace=replace) == diff
