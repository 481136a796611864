from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from gongkai.applications import digest
from gongkai.orgs.models import Org


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"日期“{text}”格式不正确，应为 YYYY-MM-DD / expected YYYY-MM-DD"
        ) from None


def _org(name: str) -> Org:
    orgs = list(Org.objects.filter(Q(name=name) | Q(short_name=name))[:2])
    if not orgs:
        raise CommandError(f"找不到机关“{name}” / no org named '{name}'")
    if len(orgs) > 1:
        raise CommandError(f"“{name}”对应多个机关，请写全称 / '{name}' is ambiguous")
    return orgs[0]


class Command(BaseCommand):
    help = "依申请公开：待办提醒、超期清单、演示数据 / Applications: digests, overdue lists, demo"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        dig = sub.add_parser(
            "digest",
            help="给每位承办人发一封待办提醒邮件 / one reminder mail per handler",
        )
        dig.add_argument("--date", help="按此日期计算，默认今天 / as of YYYY-MM-DD, default today")
        over = sub.add_parser("overdue", help="列出已超期的申请 / list overdue applications")
        over.add_argument("--org", help="机关名称或简称，含下级 / an org and its subtree")
        over.add_argument("--date", help="按此日期计算，默认今天 / as of YYYY-MM-DD")
        demo = sub.add_parser(
            "demo",
            help="为演示城市生成一年的申请（可重复执行）/ a year of demo applications (idempotent)",
        )
        demo.add_argument("--year", type=int, help="默认今年 / default: this year")
        demo.add_argument("--count", type=int, default=300)
        demo.add_argument("--seed", type=int, default=42)
        demo.add_argument("--date", help="不晚于此日期，默认今天 / nothing after YYYY-MM-DD")

    def handle(self, *args, verb, **options):
        today = _date(options["date"]) if options.get("date") else timezone.localdate()
        getattr(self, f"do_{verb}")(today=today, **options)

    def do_digest(self, *, today, **_):
        plan = digest.plan_digests(today)
        sent = digest.send_plan(plan, today=today)
        self.stdout.write(f"已发送{sent}封待办提醒，涉及{plan.applications}件申请。")
        if plan.skipped:
            self.stderr.write(
                f"{len(plan.skipped)}名承办人没有电子邮箱或账号已停用，未发送：{'、'.join(plan.skipped)}"
            )

    def do_overdue(self, *, today, org, **_):
        lines = digest.overdue_lines(_org(org) if org else None, today)
        for line in lines:
            self.stdout.write(
                f"{line.number}\t{line.org}\t{line.handler or '未分办'}\t"
                f"答复期限{line.due}\t{line.status}\t{line.description}"
            )
        self.stdout.write(f"截至{today}，共{len(lines)}件申请已超期。")

    def do_demo(self, *, today, year, count, seed, **_):
        from gongkai.applications.demo import build_demo_applications

        year = year or today.year
        created = build_demo_applications(year=year, count=count, seed=seed, today=today)
        if created:
            self.stdout.write(f"已为演示城市生成{year}年的{created}件申请。")
        else:
            self.stdout.write(f"演示城市已有{year}年的演示申请，未作改动。")
