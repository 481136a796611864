"""gongkai catalog scan|import|scan-report|reindex — the catalog's command line (issue 5)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.catalog import importer, services
from gongkai.catalog.models import Item
from gongkai.lib import scan_command
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import subtree


class Command(BaseCommand):
    help = "主动公开：扫描个人信息、批量导入、已发布信息检查报告、重建检索索引"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        scan_command.add_arguments(sub.add_parser("scan", help="扫描文件中的个人和敏感信息"))
        imp = sub.add_parser("import", help="从 CSV/XLSX 批量导入已公开信息（可续传）")
        imp.add_argument("file")
        imp.add_argument("--org", help="只允许导入到该机关（名称）及其下级；默认全部机关")
        imp.add_argument("--user", help="记为起草人的用户名；默认第一个超级用户")
        report = sub.add_parser("scan-report", help="列出含个人或敏感信息的已发布信息")
        report.add_argument("--org", help="机关名称（含下级）")
        sub.add_parser("reindex", help="重建检索索引")

    def handle(self, *args, **options):
        verb = options["verb"]
        if verb == "scan":
            code = scan_command.run(
                options, stdout=self.stdout, stdin=sys.stdin, stderr=self.stderr
            )
            if code:
                sys.exit(code)
            return
        if verb == "import":
            return self._import(options)
        if verb == "scan-report":
            items = Item.objects.all()
            if options.get("org"):
                items = items.filter(org__in=subtree(self._org(options["org"])))
            rows = services.scan_report(items)
            for item, found in rows:
                kinds = "；".join(f"{f['where']}：{f['label']} {f['masked']}" for f in found)
                self.stdout.write(f"{item.index_no}\t{item.title}\t{kinds}")
            self.stderr.write(f"{len(rows)} 条已发布信息含个人或敏感信息")
            return
        if verb == "reindex":
            n = services.reindex()
            self.stdout.write(f"已索引 {n} 条")

    def _org(self, name: str) -> Org:
        org = Org.objects.filter(name=name).first()
        if org is None:
            raise CommandError(f"机关不存在：{name}")
        return org

    def _import(self, options):
        path = options["file"]
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"无法读取文件：{error}") from None
        orgs = subtree(self._org(options["org"])) if options.get("org") else Org.objects.all()
        if options.get("user"):
            author = User.objects.filter(username=options["user"]).first()
        else:
            author = User.objects.filter(is_superuser=True).order_by("pk").first()
        if author is None:
            raise CommandError("请用 --user 指定一个存在的用户作为起草人")
        err = self.stderr

        def progress(done, total):
            width = 30
            filled = width * done // total if total else width
            err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            err.flush()

        try:
            job = importer.run(path, data, orgs=orgs, author=author, progress=progress)
        except importer.ImportFailed as failed:
            for line in failed.errors:
                err.write(line)
            raise CommandError(f"导入失败，未导入任何数据（{len(failed.errors)} 处错误）") from None
        err.write("")
        self.stdout.write(f"已导入 {job.total} 条")
