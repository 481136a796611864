import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import VERBS, main

GONGKAI = Path(sys.executable).parent / "gongkai"


def test_help_lists_every_verb_in_chinese_and_english(capsys):
    assert main(["--help"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("用法 usage: gongkai <命令 verb> [参数 args…]\n")
    for verb, (_, zh, en) in VERBS.items():
        assert f"  {verb:<10}{zh}  / {en}\n" in out


def test_unknown_verb_exits_2_with_a_chinese_message(capsys):
    assert main(["publish-everything"]) == 2

    assert capsys.readouterr().err.startswith(
        "gongkai: 未知命令“publish-everything” / unknown verb 'publish-everything'\n"
    )


@pytest.mark.parametrize(
    "verb",
    ["serve", "setup", "demo", "workdays", "audit", "org", "applications", "report", "bench"],
)
def test_each_verb_has_its_own_help(verb):
    result = subprocess.run([GONGKAI, verb, "--help"], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: gongkai {verb}")


def test_a_verb_before_setup_asks_for_setup_instead_of_a_traceback(tmp_path):
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("GONGKAI_DATABASE_URL", None)

    result = subprocess.run(
        [GONGKAI, "audit", "verify"], capture_output=True, text=True, env=env, check=False
    )

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "gongkai: 数据库尚未初始化，请先运行“gongkai setup” / "
        "the database is not set up yet: run 'gongkai setup' first\n"
    )
