import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.workdays import services
from gongkai.workdays.models import CalendarYear
from gongkai.workdays.tests.test_sources import EXAMPLE
from gongkai.workdays.tests.vectors import ADD

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> CommandError:
    with pytest.raises(CommandError) as error:
        run(*args)
    return error.value


@pytest.fixture
def loaded(db):
    return services.load_from_package()


@pytest.mark.parametrize(("vector", "start", "n", "due"), ADD)
def test_add_prints_the_due_date_of_each_t_cal_vector(loaded, vector, start, n, due):
    assert run("add", str(start), str(n)) == f"{due}\n"


@pytest.mark.parametrize(
    ("day", "line"),
    (
        ("2018-01-31", "2018-01-31（星期三）：工作日"),  # T-CAL-7
        ("2018-03-31", "2018-03-31（星期六）：休息日，周末"),
        ("2020-01-31", "2020-01-31（星期五）：休息日，节假日（春节）"),
        ("2022-01-31", "2022-01-31（星期一）：休息日，节假日（春节）"),
        ("2017-02-04", "2017-02-04（星期六）：工作日，调休上班（春节）"),  # T-CAL-3
    ),
)
def test_check_says_workday_or_rest_day_and_why(loaded, day, line):
    assert run("check", day) == f"{line}\n"


def test_check_follows_the_cal_1_setting(loaded, settings):
    settings.GONGKAI_COUNT_MAKEUP_WORKDAYS = False

    assert run("check", "2017-02-04") == "2017-02-04（星期六）：休息日，调休上班（春节），不计\n"


@pytest.mark.parametrize(
    ("pauses", "due"),
    (
        ((), "2021-03-29"),  # T-CAL-8
        (("2021-03-05~2021-03-19",), "2021-04-13"),
        (("2021-03-05~",), "期限待定（暂停尚未结束）"),
    ),
)
def test_add_with_pauses_t_cal_8(loaded, pauses, due):
    options = [arg for pause in pauses for arg in ("--pause", pause)]

    assert run("add", "2021-03-01", "20", *options) == f"{due}\n"


def test_count_t_cal_8_pause_length(loaded):
    assert run("count", "2021-03-05", "2021-03-19") == "10\n"


def test_add_explain_prints_the_trace_then_the_date(loaded):
    lines = run("add", "2017-01-20", "7", "--explain").splitlines()

    assert lines[0] == "收到日 2017-01-20（星期五）当日不计，自次日起计 7 个工作日（CAL-5）"
    assert lines[2] == "2017-01-22 星期日 调休上班（春节） 第1个工作日"
    assert lines[-2:] == ["期限届满日：2017-02-04（星期六）", "2017-02-04"]
    assert len(lines) == 18


def test_add_into_a_year_without_data_exits_1_cal_3(db):
    services.load_from_package([2017])

    error = refused("add", "2017-12-20", "15")  # T-CAL-6

    assert error.returncode == 1
    assert str(error) == (
        "2018年的节假日数据尚未录入，期限待定（2017-12-25 可能受2018年元旦放假安排影响）"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    (
        (("add", "2019-02-30", "20"),
         "日期格式应为 YYYY-MM-DD：“2019-02-30” / expected YYYY-MM-DD"),
        (("add", "2019/09/27", "20"),
         "日期格式应为 YYYY-MM-DD：“2019/09/27” / expected YYYY-MM-DD"),
        (("add", "2019-09-27", "-1"),
         "工作日数应为不小于0的整数：“-1” / expected a whole number ≥ 0"),
        (("add", "2019-09-27", "二十"),
         "工作日数应为不小于0的整数：“二十” / expected a whole number ≥ 0"),
        (("add", "2021-03-01", "20", "--pause", "2021-03-05"),
         "暂停区间应为 开始日~结束日（结束日可空）：“2021-03-05” / expected BEGIN~[END]"),
        (("add", "2021-03-01", "20", "--pause", "2021-03-19~2021-03-05"),
         "暂停结束日早于开始日：“2021-03-19~2021-03-05”"),
        (("count", "2019-10-01", "2019-09-01"), "结束日 2019-09-01 早于开始日 2019-10-01"),
        (("check", "明天"), "日期格式应为 YYYY-MM-DD：“明天” / expected YYYY-MM-DD"),
        (("import", "/nonexistent/2027.txt"), "找不到文件：/nonexistent/2027.txt"),
    ),
)  # fmt: skip
def test_bad_input_exits_2_with_one_chinese_line(loaded, args, message):
    error = refused(*args)

    assert (error.returncode, str(error)) == (2, message)


def test_load_then_load_again(db):
    first = run("load", "--year", "2017", "--year", "2018")
    again = run("load", "--year", "2017")

    assert first == "新增年份：2017、2018\n日期：新增58，修改0，删除0；受影响年份：2017、2018\n"
    assert again == "没有变化。\n已有、未覆盖：2017（需要时加 --overwrite）\n"


def test_import_and_patch(db):
    services.load_from_package([2026])
    patch = Path(__file__).with_name("patch.txt")

    imported = run("import", str(EXAMPLE))
    patched = run("import", str(patch), "--patch")

    assert imported == "新增年份：2027\n日期：新增35，修改0，删除0；受影响年份：2026、2027\n"
    assert patched == "更新年份：2027\n日期：新增2，修改0，删除0；受影响年份：2027\n"
    assert CalendarYear.objects.get(year=2027).days.count() == 37


def test_import_refuses_a_bad_file_and_exits_1(db, tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text("年份 2027\n春节 放假 2028-01-02\n", encoding="utf-8")

    error = refused("import", str(path))

    assert error.returncode == 1
    assert str(error) == "日历数据有误，未导入任何内容：\n第2行：日期 2028-01-02 不在 2027 年内"
    assert CalendarYear.objects.count() == 0


def test_years_lists_loaded_years_with_source(db):
    services.load_from_package([2016, 2017])

    lines = run("years").splitlines()

    assert [line.split("\t")[:2] + line.split("\t")[3:] for line in lines] == [
        ["2016", "30天", "chinesecalendar 1.11.0"],
        ["2017", "29天", "chinesecalendar 1.11.0"],
    ]


def test_console_script_prints_the_t_cal_5_date(tmp_path):
    """The real ``gongkai`` entry point, on a fresh database of its own."""
    gongkai = Path(sys.executable).with_name("gongkai")
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("GONGKAI_DATABASE_URL", None)
    for args in (["manage", "migrate", "-v0"], ["workdays", "load"]):
        subprocess.run([gongkai, *args], env=env, check=True, capture_output=True)

    done = subprocess.run(
        [gongkai, "workdays", "add", "2019-09-27", "20"], env=env, capture_output=True, text=True
    )
    bad = subprocess.run(
        [gongkai, "workdays", "add", "2019-09-27", "-1"], env=env, capture_output=True, text=True
    )

    assert (done.returncode, done.stdout) == (0, "2019-10-30\n")
    assert bad.returncode == 2
    assert "工作日数应为不小于0的整数" in bad.stderr
