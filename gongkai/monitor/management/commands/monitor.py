from django.core.management.base import BaseCommand, CommandError

from gongkai.monitor.schedule import Scheduler


class Command(BaseCommand):
    help = "网站监测：单站检查、登记网站、调度 / website monitoring: check, sync, run"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        check = sub.add_parser("check", help="检查一个网站（不入库）/ check one site, no database")
        try:
            from gongkai.monitor import check as check_module
        except ImportError:  # pragma: no cover - the crawl helper's module
            check_module = None
        if check_module is not None:
            check_module.add_arguments(check)
        run = sub.add_parser("run", help="按计划探测与采集 / run the schedule")
        run.add_argument("--once", action="store_true", help="只运行一轮 / a single pass")
        sync = sub.add_parser("sync", help="按机关网站字段登记网站 / register orgs' websites")
        sync.add_argument("--org", help="机关名称（含下级）/ an org and its subtree")

    def handle(self, *args, verb, **options):
        if verb == "check":
            from gongkai.monitor import check

            code = check.run(options, stdout=self.stdout, stderr=self.stderr)
            if code:
                raise SystemExit(code)
        elif verb == "run":
            scheduler = Scheduler()
            if options["once"]:
                probes, crawls = scheduler.tick(stdout=self.stdout)
                self.stdout.write(f"探测 {probes} 个网站，采集 {crawls} 个网站")
            else:
                self.stdout.write("网站监测调度已启动（Ctrl-C 停止）")
                scheduler.forever(stdout=self.stdout)
        elif verb == "sync":
            from django.db.models import Q

            from gongkai.monitor import services
            from gongkai.orgs.models import Org

            roots = Org.objects.filter(parent=None)
            if options.get("org"):
                roots = Org.objects.filter(Q(name=options["org"]) | Q(short_name=options["org"]))
                if not roots:
                    raise CommandError(f"找不到机关“{options['org']}”")
            created = [site for root in roots for site in services.sync_sites(root)]
            self.stdout.write(f"新登记网站 {len(created)} 个")
