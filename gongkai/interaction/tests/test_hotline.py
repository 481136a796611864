"""Hotline import (MBX-6): CSV/XLSX, remembered column mappings, all-or-nothing errors."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from gongkai.audit.models import Entry
from gongkai.interaction import hotline, queries
from gongkai.interaction.enums import Satisfaction
from gongkai.interaction.models import HotlineCall

CSV = (
    "工单编号,受理日期,是否办结,回访满意度,诉求类别\n"
    "A001,2017-01-03,是,满意,城市管理\n"
    "A002,2017/02/04 10:11:12,是,基本满意,交通\n"
    "A003,2017年3月5日,否,,教育\n"
    "A004,2017-04-06,已办结,不满意,教育\n"
)


def test_csv_import_and_the_year_figures(city):
    result = hotline.import_file(city, "calls.csv", CSV.encode("utf-8"))

    assert (result.rows, result.replaced) == (4, 0)
    assert list(
        HotlineCall.objects.order_by("number").values_list(
            "number", "received_on", "closed", "visited", "satisfaction"
        )
    ) == [
        ("A001", date(2017, 1, 3), True, True, Satisfaction.SATISFIED),
        ("A002", date(2017, 2, 4), True, True, Satisfaction.BASIC),
        ("A003", date(2017, 3, 5), False, False, ""),
        ("A004", date(2017, 4, 6), True, True, Satisfaction.UNSATISFIED),
    ]
    figures = queries.hotline_figures([city], 2017)
    # 办结率 3/4; 满意率 (满意 + 基本满意) / 有效回访 = 2/3
    assert (figures.calls, figures.closed_rate, figures.satisfaction_rate) == (
        4,
        Decimal("75.0"),
        Decimal("66.7"),
    )
    assert Entry.objects.get(action="interaction.hotline_import").summary == {
        "rows": 4,
        "replaced": 0,
        "source": "calls.csv",
    }


def test_gb18030_csv_and_reimport_replaces(city):
    hotline.import_file(city, "calls.csv", CSV.encode("gb18030"))
    again = CSV.replace("A003,2017年3月5日,否,,教育", "A003,2017年3月5日,是,满意,教育")

    result = hotline.import_file(city, "calls.csv", again.encode("gb18030"))

    assert (result.rows, result.replaced) == (4, 4)
    assert HotlineCall.objects.get(number="A003").closed is True


def test_errors_carry_line_numbers_and_nothing_is_written(city):
    bad = (
        "工单编号,受理日期,是否办结,回访满意度\n"
        "A001,2017-01-03,是,满意\n"
        ",2017-13-03,也许,很好\n"
        "A001,2017-01-05,否,\n"
    )
    with pytest.raises(hotline.ImportFailed) as failed:
        hotline.import_file(city, "calls.csv", bad.encode())

    assert failed.value.errors == [
        "第3行：工单编号为空",
        "第3行：受理日期“2017-13-03”无法识别，应为 2017-03-01 格式",
        "第3行：是否办结“也许”无法识别，应为“是”或“否”",
        "第3行：满意度“很好”无法识别，应为满意、基本满意、不满意或留空",
        "第4行：工单编号“A001”与第2行重复",
    ]
    assert HotlineCall.objects.count() == 0


def test_missing_column_is_reported_on_line_1(city):
    with pytest.raises(hotline.ImportFailed) as failed:
        hotline.import_file(city, "calls.csv", "编号,日期\nA1,2017-01-01\n".encode())

    assert failed.value.errors == [
        "第1行：未指定“受理日期”对应的列",
        "第1行：未指定“是否办结”对应的列",
    ]


def test_xlsx_with_a_saved_mapping(city, city_office):
    book = Workbook()
    sheet = book.active
    sheet.append(["单号", "来电", "状态", "评价", "回访"])
    sheet.append(["X1", date(2017, 5, 1), "已办结", "满意", "是"])
    sheet.append(["X2", date(2017, 5, 2), "办理中", "", "否"])
    data = io.BytesIO()
    book.save(data)
    columns = {
        "number": "单号",
        "received_on": "来电",
        "closed": "状态",
        "satisfaction": "评价",
        "visited": "回访",
    }
    hotline.save_mapping("12345系统", columns, by=city_office)

    result = hotline.import_file(
        city, "export.xlsx", data.getvalue(), columns=hotline.mapping_columns("12345系统")
    )

    assert result.rows == 2
    assert list(
        HotlineCall.objects.order_by("number").values_list("number", "closed", "visited")
    ) == [
        ("X1", True, True),
        ("X2", False, False),
    ]


def test_command_imports_and_prints_figures(city, tmp_path, capsys):
    path = tmp_path / "calls.csv"
    path.write_text(CSV, encoding="utf-8")

    call_command("interaction", "import-hotline", str(path))
    call_command("interaction", "figures", "--year", "2017")

    out = capsys.readouterr().out
    assert "导入完成：4条（其中替换0条）。" in out
    assert "hotline.calls\t市长公开电话受理\t0.00万件" in out
    assert "hotline.closed_rate\t市长公开电话办结率\t75.0%" in out


def test_command_fails_whole_on_a_bad_file(city, tmp_path, capsys):
    path = tmp_path / "calls.csv"
    path.write_text("工单编号,受理日期,是否办结\nA1,昨天,是\n", encoding="utf-8")

    with pytest.raises(CommandError) as failed:
        call_command("interaction", "import-hotline", str(path))

    assert str(failed.value) == "导入失败：共1个问题，未写入任何数据"
    assert "第2行：受理日期“昨天”无法识别" in capsys.readouterr().err
    assert HotlineCall.objects.count() == 0
