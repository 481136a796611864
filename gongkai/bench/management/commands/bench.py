import json
from dataclasses import asdict

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gongkai.bench import intake
from gongkai.bench import report as report_bench
from gongkai.monitor import bench as monitor_bench
from gongkai.orgs import services as org_services
from gongkai.orgs.enums import Kind, Level
from gongkai.orgs.models import Org
from gongkai.search import bench as search_bench
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
        scale = sub.add_parser(
            "report",
            help=(
                "省级规模数据（批量生成）上生成年度报告的耗时，对照一次聚合 SQL 扫描"
                " / annual-report builds on a province-scale generated data set vs one SQL scan"
            ),
        )
        self._scale_arguments(scale)
        scale.add_argument(
            "--database",
            choices=["sqlite", "postgres", "both"],
            default="both",
            help="临时 SQLite、临时 PostgreSQL 或两者 / throwaway SQLite, PostgreSQL or both",
        )
        scale.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="输出一个 JSON 对象 / one JSON object",
        )
        child = sub.add_parser(
            "report-run",
            help=(
                "在当前配置的数据库上迁移、生成、测量（report 在临时数据库上调用）"
                " / migrate, generate, measure on the configured database (called by report)"
            ),
        )
        self._scale_arguments(child)
        child.add_argument("--quiet", action="store_true")
        sub.add_parser(
            "prepare",
            help=(
                "迁移、载入日历、建立受理机关并打印其 id（intake 在服务器数据库上调用）"
                " / migrate, load the calendar, create the receiving org, print its id"
            ),
        )

        # Benchmarks kept beside the module they measure: each adds its own arguments.
        search_bench.add_arguments(
            sub.add_parser(
                "search",
                help="全文检索：建索引速率、查询延迟，对照 LIKE 扫描 / full-text search vs LIKE",
            )
        )
        monitor_bench.add_arguments(
            sub.add_parser(
                "monitor",
                help="网站巡检：本地站群，对照 LinkChecker / crawl a local site farm vs LinkChecker",
            )
        )

    @staticmethod
    def _scale_arguments(parser):
        defaults = report_bench.Options()
        parser.add_argument("--orgs", type=int, default=defaults.orgs, help="机关数 / orgs")
        parser.add_argument(
            "--applications",
            type=int,
            default=defaults.applications,
            help="申请件数 / applications",
        )
        parser.add_argument(
            "--published",
            type=int,
            default=defaults.published,
            help=report_bench.PUBLISHED_HELP,
        )
        parser.add_argument("--year", type=int, default=defaults.year, help="报告年度 / year")
        parser.add_argument(
            "--budget",
            type=float,
            default=defaults.budget,
            help="逐个机关生成的时间上限（秒），超出则抽样外推 / seconds before sampling",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed, help="随机种子 / seed")

    def handle(self, *args, verb, **options):
        getattr(self, f"do_{verb.replace('-', '_')}")(**options)

    @staticmethod
    def _scale_options(options) -> report_bench.Options:
        scale = report_bench.Options(
            **{
                k: options[k]
                for k in ("orgs", "applications", "published", "year", "budget", "seed")
            }
        )
        if scale.orgs < 3 or scale.applications < 1 or scale.published < 0 or scale.budget <= 0:
            raise CommandError("--orgs ≥ 3，--applications ≥ 1，--published ≥ 0，--budget > 0")
        return scale

    def do_search(self, **options):
        search_bench.run(options, stdout=self.stdout, stderr=self.stderr)

    def do_monitor(self, **options):
        monitor_bench.run(options, stdout=self.stdout, stderr=self.stderr)

    def do_report(self, *, database, as_json, **options):
        scale = self._scale_options(options)
        databases = ["sqlite", "postgres"] if database == "both" else [database]
        say = (lambda text: None) if as_json else (lambda text: self.stderr.write(f"==> {text}"))
        try:
            runs = report_bench.run_all(scale, databases, say=say, quiet=as_json)
        except report_bench.BenchError as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps({"runs": runs}, ensure_ascii=False))
        else:
            self.stdout.write(report_bench.table(runs))

    def do_report_run(self, *, quiet, **options):
        scale = self._scale_options(options)
        try:
            result = report_bench.run_here(scale, report_bench.child_say(quiet))
        except report_bench.BenchError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))

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
