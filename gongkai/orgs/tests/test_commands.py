from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.orgs import services
from gongkai.orgs.models import Org

YAML = """\
- name: 绵阳市人民政府
  level: city
  kind: government
  children:
    - name: 绵阳市统计局
      level: city
      kind: department
"""


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("org", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("name", "text", "extra"),
    (
        ("orgs.yaml", YAML, []),
        (
            "orgs.csv",
            "name,level,kind,parent\n绵阳市人民政府,市级,人民政府,\n绵阳市统计局,市级,部门,绵阳市人民政府\n",
            [],
        ),
        ("orgs.txt", YAML, ["--format", "yaml"]),
    ),
)
def test_org_import_guesses_the_format_from_the_extension(db, tmp_path, name, text, extra):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    out, _ = _run("import", str(path), *extra)

    assert out == "导入完成：新建2个，更新0个机关。\n"
    assert list(Org.objects.values_list("name", "depth")) == [
        ("绵阳市人民政府", 0),
        ("绵阳市统计局", 1),
    ]


def test_org_import_prints_every_problem_and_writes_nothing(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        YAML.replace("kind: department", "kind: 部委") + "- name: 绵阳市\n  level: city\n",
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("org", "import", str(path), stderr=err)

    assert str(exc.value) == "导入失败：共2个问题，未写入任何数据"
    assert err.getvalue() == (
        "第7行：类型“部委”无效，应为government/人民政府、department/部门、office/派出机构\n"
        "第8行：缺少类型（kind），应为government/人民政府、department/部门、office/派出机构\n"
    )
    assert Org.objects.count() == 0


def test_org_import_wants_a_format_it_cannot_guess(db, tmp_path):
    path = tmp_path / "orgs.txt"
    path.write_text(YAML, encoding="utf-8")

    with pytest.raises(CommandError) as exc:
        _run("import", str(path))

    assert (
        str(exc.value)
        == f"无法从文件名“{path}”判断格式，请用 --format yaml|csv / cannot guess the format"
    )


def test_org_export_writes_stdout_or_a_file(db, tmp_path):
    services.import_orgs(YAML)

    out, _ = _run("export")
    _run("export", "-o", str(tmp_path / "orgs.csv"))

    assert out == services.export_yaml()
    assert (tmp_path / "orgs.csv").read_text(encoding="utf-8") == services.export_csv()


def test_org_tree_indents_by_depth(db):
    services.import_orgs(YAML)

    out, _ = _run("tree")

    assert out == "绵阳市人民政府（人民政府）\n  绵阳市统计局（部门）\n"
