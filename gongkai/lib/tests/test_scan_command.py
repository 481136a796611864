"""``gongkai catalog scan FILE|- [--json]`` through ``scan_command.run`` (SEC-4)."""

import argparse
import io
import json

from gongkai.lib import scan_command
from gongkai.lib.tests.test_extract import ID, make_docx, make_pdf, make_xlsx


def run(*argv, stdin=""):
    parser = argparse.ArgumentParser()
    scan_command.add_arguments(parser)
    options = vars(parser.parse_args(argv))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = scan_command.run(options, stdout=stdout, stdin=io.StringIO(stdin), stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_scan_command_prints_json_for_a_docx(tmp_path):
    path = tmp_path / "答复.docx"
    path.write_bytes(make_docx())

    code, out, err = run(str(path), "--json")

    assert (code, err) == (1, "")
    assert json.loads(out) == [
        {"kind": "mobile", "start": 11, "end": 22, "masked": "138****5678"},
        {"kind": "id_number", "start": 28, "end": 46, "masked": "5101**********1234"},
        {"kind": "marking", "start": 51, "end": 55, "masked": "内部资料"},
    ]


def test_scan_command_prints_one_chinese_line_per_finding_for_a_pdf(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf())

    code, out, _ = run(str(path))

    assert code == 1
    assert out == "手机号码\t第6–16字\t138****5678\n居民身份证号码\t第21–38字\t5101**********1234\n"


def test_scan_command_reads_an_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(make_xlsx())

    code, out, _ = run(str(path), "--json")

    assert code == 1
    assert [row["kind"] for row in json.loads(out)] == ["id_number", "mobile"]


def test_scan_command_reads_stdin():
    code, out, _ = run("-", "--json", stdin=f"身份证{ID}")

    assert code == 1
    assert json.loads(out) == [
        {"kind": "id_number", "start": 3, "end": 21, "masked": "5101**********1234"}
    ]


def test_scan_command_exits_0_when_nothing_is_found():
    assert run("-", stdin="年度报告") == (0, "未发现个人信息或敏感信息。\n", "")
    assert run("-", "--json", stdin="年度报告") == (0, "[]\n", "")


def test_scan_command_exits_2_on_an_unreadable_file(tmp_path):
    broken = tmp_path / "a.docx"
    broken.write_bytes(b"not a zip")

    assert run(str(broken)) == (2, "", "无法读取文件“a.docx”：文件已损坏或不是 .docx 格式\n")
    missing = tmp_path / "missing.txt"
    assert run(str(missing)) == (2, "", f"无法打开文件“{missing}”：文件不存在\n")
    assert run(str(tmp_path)) == (2, "", f"无法打开文件“{tmp_path}”：这是一个目录\n")
