"""``gongkai lists import FILE --org … --kind … --year …`` (PUB-9)."""

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.lists.enums import Status
from gongkai.lists.models import ListVersion
from gongkai.lists.tests.conftest import csv_bytes, xlsx_bytes


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("lists", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_lists_import_and_publish(tmp_path, city):
    path = tmp_path / "收费.xlsx"
    path.write_bytes(
        xlsx_bytes(("项目名称", "收费标准"), ("不动产登记费", "每件80元"), ("土地复垦费", ""))
    )

    out, _ = run(
        "import",
        str(path),
        "--org",
        "绵阳市",
        "--kind",
        "行政事业性收费目录清单",
        "--year",
        "2017",
        "--publish",
    )

    assert out == "已导入绵阳市人民政府 2017年行政事业性收费目录清单：2条（替换0条）\n已发布\n"
    version = ListVersion.objects.get()
    assert (version.status, version.kind, version.complete) == (Status.PUBLISHED, "fee_admin", True)


def test_lists_import_partial_stays_draft(tmp_path, city):
    path = tmp_path / "权责.csv"
    path.write_bytes(csv_bytes("事项名称,事项类别,变更类型", "临时用地审批,行政许可,取消"))

    run(
        "import",
        str(path),
        "--org",
        "绵阳市人民政府",
        "--kind",
        "power",
        "--year",
        "2017",
        "--partial",
    )

    version = ListVersion.objects.get()
    assert (version.status, version.complete) == (Status.DRAFT, False)


def test_lists_import_prints_line_numbered_errors(tmp_path, city):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes("事项名称,变更类型", "甲,保留", "乙,作废", ",保留"))
    err = io.StringIO()

    with pytest.raises(CommandError, match="导入失败：2处错误，未导入任何条目"):
        call_command(
            "lists",
            "import",
            str(path),
            "--org",
            "绵阳市",
            "--kind",
            "certificate",
            "--year",
            "2017",
            stderr=err,
        )

    assert (
        err.getvalue()
        == "第3行：变更类型“作废”应为保留、新增、取消、合并或下放\n第4行：未填事项名称\n"
    )
    assert ListVersion.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    (
        (["--org", "绵阳市", "--kind", "清单", "--year", "2017"], "未知的清单“清单”"),
        (
            ["--org", "无此机关", "--kind", "power", "--year", "2017"],
            "机关“无此机关”不存在或简称不唯一",
        ),
    ),
)
def test_lists_import_refuses_unknown_kind_or_org(tmp_path, city, args, message):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes("事项名称", "甲"))

    with pytest.raises(CommandError, match=message):
        run("import", str(path), *args)
