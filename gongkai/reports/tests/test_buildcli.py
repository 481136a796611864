"""``gongkai report build``: options, Chinese usage errors (exit 2), output to screen or file."""

import argparse
import io
import json

import pytest

from gongkai.reports import buildcli
from gongkai.reports.tables import Style


def parse(*argv: str) -> dict:
    parser = argparse.ArgumentParser()
    buildcli.add_arguments(parser)
    return vars(parser.parse_args(argv))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = buildcli.handle(parse(*argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_build_prints_json_by_default(dept):
    code, out, err = run("--org", "绵阳市自然资源和规划局", "--year", "2021", "--scope", "self")
    data = json.loads(out)

    assert (code, err) == (0, "提示：报告有10处数据不一致，发布前请核对（gongkai report check）。")
    assert (data["title"], data["style"], data["scope"]) == (
        "绵阳市自然资源和规划局2021年政府信息公开工作年度报告",
        "2021",
        "self",
    )


def test_build_finds_an_org_by_its_unique_short_name(city, dept):
    code, out, _ = run("--org", "绵阳市", "--year", "2017")

    assert code == 0
    assert json.loads(out)["title"] == "绵阳市2017年政府信息公开工作年度报告"


def test_build_writes_a_file_with_o(dept, tmp_path):
    target = tmp_path / "report.html"

    code, out, _ = run(
        "--org", "绵阳市自然资源和规划局", "--year", "2021", "--format", "html", "-o", str(target)
    )

    assert code == 0
    assert out.startswith(f"已生成 {target}：绵阳市自然资源和规划局2021年政府信息公开工作年度报告")
    assert "绵阳市自然资源和规划局2021年政府信息公开工作年度报告" in target.read_text("utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    (
        (("--org", "绵阳市自然资源局", "--year", "2021"), "您是否要找：绵阳市自然资源和规划局"),
        (("--org", "北京市", "--year", "2021"), "错误：没有名为“北京市”的机关"),
        (("--org", "绵阳市", "--year", "17"), "年度“17”无效，应为2008年以后的四位数字"),
        (("--org", "绵阳市", "--year", "2021", "--format", "doc"), "未知的输出格式“doc”"),
        (("--org", "绵阳市", "--year", "2021", "--style", "2018"), "未知的报告格式“2018”"),
        (("--org", "绵阳市", "--year", "2021", "--scope", "all"), "未知的口径“all”"),
        (("--org", "绵阳市", "--year", "2021", "--rounding", "up"), "未知的百分比取舍方式“up”"),
        (("--org", "绵阳市", "--year", "2021", "--format", "pdf"), "请用 -o 指定输出文件"),
    ),
)
def test_usage_errors_say_what_is_wrong_in_chinese_and_exit_2(dept, argv, message):
    code, out, err = run(*argv)

    assert (code, out) == (2, "")
    assert message in err


@pytest.mark.parametrize(
    ("year", "style"),
    (
        (2008, Style.LEGACY),
        (2018, Style.LEGACY),
        (2019, Style.F2019),
        (2020, Style.F2019),
        (2021, Style.F2021),
    ),
)
def test_default_style_is_the_format_of_the_year(year, style):
    assert buildcli.default_style(year) == style
