"""``gongkai report build|check``: a thin front; each verb lives in its own module."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "年度报告：生成、校验 / annual reports: build, check"

    def add_arguments(self, parser):
        from gongkai.reports import buildcli
        from gongkai.reports.checker import cli as checkcli

        sub = parser.add_subparsers(dest="verb", required=True)
        buildcli.add_arguments(
            sub.add_parser("build", help="由记录生成年度报告 / build a report from the records")
        )
        checkcli.add_arguments(
            sub.add_parser("check", help="校验任何人发布的年度报告 / check a published report")
        )

    def handle(self, *args, verb, **options):
        from gongkai.reports import buildcli
        from gongkai.reports.checker import cli as checkcli

        module = {"build": buildcli, "check": checkcli}[verb]
        code = module.handle(options, self.stdout, self.stderr)
        if code:
            raise SystemExit(code)
