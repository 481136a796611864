"""``gongkai lists import FILE --org 机关 --kind 清单 --year 年度 [--partial] [--publish]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.lists import rules, services
from gongkai.lists.enums import ListKind
from gongkai.orgs.models import Org


class Command(BaseCommand):
    help = "导入公开清单（CSV 或 XLSX，任何一行有错则全部不导入）"

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        imp = verbs.add_parser("import", help="导入一个机关一个年度的清单")
        imp.add_argument("file")
        imp.add_argument("--org", required=True, help="机关全称或唯一的简称")
        kinds = "、".join(f"{k.value}（{k.label}）" for k in ListKind)
        imp.add_argument("--kind", required=True, help=f"清单：{kinds}")
        imp.add_argument("--year", required=True, type=int)
        imp.add_argument("--partial", action="store_true", help="文件只列本年变更的条目")
        imp.add_argument("--publish", action="store_true", help="导入后立即发布")

    def handle(self, *args, **options):
        kind = rules.parse_kind(options["kind"])
        if kind is None:
            raise CommandError(f"未知的清单“{options['kind']}”")
        org = self._org(options["org"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法打开文件“{path}”：{error.strerror or error}") from error
        try:
            result = services.import_file(
                path.name,
                data,
                org=org,
                kind=kind,
                year=options["year"],
                by=None,
                complete=not options["partial"],
            )
        except services.ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError(f"导入失败：{len(failure.errors)}处错误，未导入任何条目") from None
        except services.AlreadyPublished as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已导入{result.version}：{result.entries}条（替换{result.replaced}条）")
        if options["publish"]:
            services.publish(result.version, by=None)
            self.stdout.write("已发布")

    def _org(self, name: str) -> Org:
        org = Org.objects.filter(name=name).first()
        if org is not None:
            return org
        by_short = list(Org.objects.filter(short_name=name)[:2])
        if len(by_short) == 1:
            return by_short[0]
        raise CommandError(f"机关“{name}”不存在或简称不唯一")
