import json
from dataclasses import asdict

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gongkai.bench import intake
from gongkai.orgs import services as org_services
from gongkai.orgs.enums import Kind, Level
from gongkai.orgs.models import Org
from gongkai.workdays.services import load_from_package

BENCH_ORG = "性能测试市人民政府"


class Command(BaseCommand):
    help = "性能测试：打印数据，不是测试 / Benchmarks: print figures, not tests"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        run = sub.add_parser(
            "intake",
            help=(
                "并发网上提交申请（含 SIGKILL 重启一轮），核对每个已确认编号均已入库"
                " / concurrent online submissions, a SIGKILL run, every acknowledged number checked"
            ),
        )
        run.add_argument("--requests", type=int, default=2000, help="每轮请求数 / per run")
        run.add_argument("--clients", type=int, default=50, help="并发客户端 / concurrent clients")
        run.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        run.add_argument(
            "--database-url",
            default="",
            help=(
                "使用已有的 PostgreSQL（会写入测试数据），默认启动临时集群"
                " / an existing PostgreSQL to fill with test data; default: a throwaway cluster"
            ),
        )
        run.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="输出一个 JSON 对象 / one JSON object",
        )
        sub.add_parser(
            "prepare",
            help=(
                "迁移、载入日历、建立受理机关并打印其 id（intake 在服务器数据库上调用）"
                " / migrate, load the calendar, create the receiving org, print its id"
            ),
        )

    def handle(self, *args, verb, **options):
        getattr(self, f"do_{verb}")(**options)

    def do_intake(self, *, requests, clients, workers, database_url, as_json, **_):
        if requests < 1 or clients < 1 or workers < 1:
            raise CommandError("--requests、--clients、--workers 须为正整数")
        options = intake.Options(requests, clients, workers, database_url)
        say = (lambda text: None) if as_json else (lambda text: self.stderr.write(f"==> {text}"))
        try:
            runs = intake.run_all(options, say=say)
        except intake.BenchError as error:
            raise CommandError(str(error)) from error
        if as_json:
            config = asdict(options) | {"database_url": bool(database_url)}
            report = {"config": config, "runs": [asdict(r) for r in runs]}
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(intake.table(runs))

    def do_prepare(self, **_):
        call_command("migrate", interactive=False, verbosity=0)
        load_from_package()
        org = Org.objects.filter(name=BENCH_ORG).first() or org_services.create_org(
            name=BENCH_ORG, short_name="性能测试市", level=Level.CITY, kind=Kind.GOVERNMENT
        )
        self.stdout.write(f"受理机关 / receiving org: {org.pk}")
