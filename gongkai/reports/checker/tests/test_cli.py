"""``gongkai report check`` end to end: the seed (issue 4 §7), exit status, --json."""

import io
import json
import sys
import types
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.checker import cli

SAMPLES = Path(__file__).parent / "samples"
SEED = SAMPLES / "seed_mianyang_2017.txt"  # a copy of shared/seed/000_cad39cc556105118.txt

WECHAT = (
    "《绵阳政事》微信、微博全年发布政务资讯、服务信息3848条。其中,全市重大活动、政务工作类1113条,"
    "新政宣传、政策解读类768条,政府职能部门、各县市区、园区工作进展、经验交流类1925条。"
)
MAILBOX = (
    "书记市长信箱共接收信件8858件,回复来信8545件,回复率96.4%,未回复的信件主要需要进一步核实查证。"
)
PLATFORM = (
    "全市行权事项总数为57816项,行权事项网上运行3709项,网上运行率为6.28%,设置监察点位96万个,"
    "处置预警报警487次,行权平台共办件149万件,办结149万件,按时办结率99.99%。"
)
CHANNELS = (
    "全市各级各部门共受理依申请政府信息公开456件(其中:当面申请272件,占59.6%;"
    "网络在线填报申请122件,占26.8%;信函邮寄申请59件,占12.9%;传真申请3件,占0.7%)。"
)


def _finding(rule, message, stated, expected, quote):
    return {
        "rule": rule,
        "severity": "error",
        "message": message,
        "table": "",
        "row": "",
        "column": "",
        "stated": stated,
        "expected": expected,
        "quote": quote,
    }


RPT_26_SUM = _finding(
    "RPT-24", "分项和不等于总数：1113+768+1925=3806，文中总数为3848", "3848", "3806", WECHAT
)


def _rate(stated, numerator, denominator, expected, quote):
    message = f"比率与分子分母不符：{numerator}/{denominator}={expected}%，文中为{stated}%"
    return _finding("RPT-25", message, f"{stated}%", f"{expected}%", quote)


def run(*args: str) -> tuple[int, str, str]:
    """``cli.handle`` as the command calls it, with argparse's options."""
    import argparse

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = cli.handle(vars(parser.parse_args(args)), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("rounding", "findings"),
    (
        (
            "half_up",
            [
                RPT_26_SUM,
                _rate("96.4", 8545, 8858, "96.5", MAILBOX),  # 96.466… rounds half up to 96.5
                _rate("6.28", 3709, 57816, "6.42", PLATFORM),
            ],
        ),
        (
            "down",  # 96.4% is then right, and two shares of 456 are not (T-RPT-2)
            [
                RPT_26_SUM,
                _rate("6.28", 3709, 57816, "6.41", PLATFORM),
                _rate("26.8", 122, 456, "26.7", CHANNELS),
                _rate("0.7", 3, 456, "0.6", CHANNELS),
            ],
        ),
    ),
)
def test_check_reports_exactly_the_seeds_inconsistencies(rounding, findings):
    code, out, err = run(str(SEED), "--json", "--rounding", rounding)

    assert (code, json.loads(out)) == (1, findings)
    assert err == f"{SEED}：读取为纯文本；格式：2019年以前的旧格式（2007年条例第三十二条）\n"


def test_check_prints_one_chinese_line_per_finding():
    code, out, _ = run(str(SEED))

    assert code == 1
    assert out.splitlines() == [
        f"{SEED}：读取为纯文本；格式：2019年以前的旧格式（2007年条例第三十二条）",
        "错误 RPT-24 正文：分项和不等于总数：1113+768+1925=3806，文中总数为3848"
        "（文中 3848，应为 3806）「《绵阳政事》微信、微博全年发布政务资讯、服务信息3848条。"
        "其中,全市重大活动、政务工作类11…」",
        "错误 RPT-25 正文：比率与分子分母不符：8545/8858=96.5%，文中为96.4%"
        "（文中 96.4%，应为 96.5%）「书记市长信箱共接收信件8858件,回复来信8545件,回复率96.4%,"
        "未回复的信件主要需要进…」",
        "错误 RPT-25 正文：比率与分子分母不符：3709/57816=6.42%，文中为6.28%"
        "（文中 6.28%，应为 6.42%）「全市行权事项总数为57816项,行权事项网上运行3709项,"
        "网上运行率为6.28%,设置监察点…」",
        "共3条：错误3条，警告0条。",
    ]


def test_check_exits_zero_on_warnings_only():
    sample = SAMPLES / "2021_pdftotext.txt"

    code, out, _ = run(str(sample), "--previous", str(SAMPLES / "2020_trial_webcopy.txt"))

    assert code == 0
    assert out.splitlines()[1:] == [
        "警告 RPT-20 表三·二、上年结转政府信息公开申请数量·其他："
        "上年结转与上年报告的结转下年度不符（文中 0，应为 1）",
        "警告 RPT-20 表三·二、上年结转政府信息公开申请数量·总计："
        "上年结转与上年报告的结转下年度不符（文中 14，应为 15）",
        "共2条：错误0条，警告2条。",
    ]


def test_check_names_the_tables_of_an_unknown_layout(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text("关于做好春节期间值班工作的通知\n各科室：请于1月28日前报送值班表。\n")

    code, out, _ = run(str(notice))

    assert code == 1
    assert out.splitlines() == [
        f"{notice}：读取为纯文本；格式：无法识别",
        "错误 RPT-22 正文：无法识别报告格式：未找到表二（主动公开政府信息情况）、"
        "表三（收到和处理政府信息公开申请情况）、表四（政府信息公开行政复议、行政诉讼情况），"
        "也未找到2019年以前旧格式的章节（如“三、政府信息依申请公开情况”）",
        "共1条：错误1条，警告0条。",
    ]


def test_check_names_a_file_it_cannot_open(tmp_path):
    missing = tmp_path / "missing.docx"

    code, out, _ = run(str(missing), "--json")

    assert code == 1
    assert json.loads(out) == [
        {
            "rule": "RPT-22",
            "severity": "error",
            "message": f"无法打开文件：{missing}（No such file or directory）",
            "table": "",
            "row": "",
            "column": "",
            "stated": "",
            "expected": "",
            "quote": "",
        }
    ]


@pytest.fixture
def report_command(monkeypatch):
    """``report`` imports ``buildcli`` for its other verb; until that module lands, a
    stand-in with no arguments lets ``report check`` parse."""
    try:
        import gongkai.reports.buildcli  # noqa: F401
    except ImportError:
        stub = types.ModuleType("gongkai.reports.buildcli")
        stub.add_arguments = lambda parser: None
        stub.handle = lambda options, stdout, stderr: 0
        monkeypatch.setitem(sys.modules, "gongkai.reports.buildcli", stub)
        monkeypatch.setattr("gongkai.reports.buildcli", stub, raising=False)
    return call_command


def test_report_check_command_exits_one_on_the_seed(report_command):
    out = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        report_command("report", "check", str(SEED), "--json", stdout=out, stderr=io.StringIO())

    assert exited.value.code == 1
    assert [f["expected"] for f in json.loads(out.getvalue())] == ["3806", "96.5%", "6.42%"]


def test_report_check_command_passes_a_clean_report(report_command):
    out = io.StringIO()

    report_command("report", "check", str(SAMPLES / "2021.html"), stdout=out)

    assert out.getvalue().splitlines()[-1] == "未发现问题。"


def test_report_check_command_takes_the_rounding_mode(report_command):
    out = io.StringIO()

    with pytest.raises(SystemExit):
        report_command(
            "report",
            "check",
            str(SEED),
            "--json",
            "--rounding",
            "down",
            stdout=out,
            stderr=io.StringIO(),
        )

    assert [f["expected"] for f in json.loads(out.getvalue())] == ["3806", "6.41%", "26.7%", "0.6%"]
