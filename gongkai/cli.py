"""The ``gongkai`` console command: a thin front over Django's management commands.

Each verb names a management command; everything after the verb is passed through,
so ``gongkai workdays add 2019-09-27 20`` is ``manage.py workdays add 2019-09-27 20``.
"""

import os
import sys

# verb -> (management command, 中文说明, English help)
VERBS = {
    "serve": ("serve", "启动网站（默认 127.0.0.1:8000）", "start the web server"),
    "setup": (
        "setup",
        "建库迁移并载入工作日历（可重复执行）",
        "migrate and load the calendar (idempotent)",
    ),
    "demo": ("demo", "载入演示城市（可重复执行）", "load the demo city (idempotent)"),
    "workdays": ("workdays", "工作日计算、日历导入", "working-day arithmetic, calendar import"),
    "audit": ("audit", "审计日志校验与查看", "verify and read the audit log"),
    "org": ("org", "机关树导入导出（YAML/CSV）", "import and export the org tree (YAML/CSV)"),
    "applications": (
        "applications",
        "依申请公开：每日提醒、超期清单、演示数据",
        "applications: daily digest, overdue list, demo data",
    ),
    "report": ("report", "年度报告：生成、校验", "annual reports: build, check"),
    "catalog": (
        "catalog",
        "主动公开：目录、审查、敏感信息扫描、导入",
        "proactive disclosure: catalog, review, sensitive-data scan, import",
    ),
    "lists": ("lists", "公开清单：权责、收费、抽查、证明事项", "public lists (PUB-9)"),
    "monitor": (
        "monitor",
        "网站监测：巡检、单站检查、调度",
        "website monitoring: check a site, run the schedule",
    ),
    "interaction": (
        "interaction",
        "互动交流：信箱、热线导入、建议提案",
        "mailboxes, hotline import, deputies' suggestions",
    ),
    "inspections": (
        "inspections",
        "双随机一公开：名录导入、抽取、验证",
        "random inspections: registries, draws, verification",
    ),
    "bench": ("bench", "性能测试（打印数据，不是测试）", "benchmarks (print figures, not tests)"),
    "manage": (None, "任意 Django 管理命令", "any Django management command"),
}

USAGE = """\
用法 usage: gongkai <命令 verb> [参数 args…]

公开 Gongkai — 政府信息公开平台 / government information disclosure platform

命令 verbs:
{verbs}

每个命令的参数见 gongkai <命令> --help / see gongkai <verb> --help for its arguments.
"""


def usage() -> str:
    lines = [f"  {verb:<10}{zh}  / {en}" for verb, (_, zh, en) in VERBS.items()]
    return USAGE.format(verbs="\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(usage())
        return 0
    verb, rest = argv[0], argv[1:]
    if verb not in VERBS:
        sys.stderr.write(f"gongkai: 未知命令“{verb}” / unknown verb '{verb}'\n\n{usage()}")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    command = VERBS[verb][0]
    prog = ["gongkai"] if command is None else ["gongkai", command]
    try:
        execute_from_command_line([*prog, *rest])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except (OperationalError, ProgrammingError) as error:
        if "no such table" not in str(error) and "does not exist" not in str(error):
            raise
        sys.stderr.write(
            "gongkai: 数据库尚未初始化，请先运行“gongkai setup” / "
            "the database is not set up yet: run 'gongkai setup' first\n"
        )
        return 1
    except BrokenPipeError:
        # `gongkai org tree | head`: the reader left; say nothing more on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
