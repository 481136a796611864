from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Max
from django.utils import timezone

from gongkai.applications.demo import build_demo_applications
from gongkai.catalog.demo import build_demo as catalog_demo
from gongkai.inspections.demo import build_demo as inspections_demo
from gongkai.interaction.demo import build_demo as interaction_demo
from gongkai.lists.demo import build_demo as lists_demo
from gongkai.monitor.demo import build_demo as monitor_demo
from gongkai.orgs.demo import build_demo_city, demo_staff
from gongkai.orgs.queries import subtree
from gongkai.workdays.models import CalendarYear

PROFILES = ("default", "mianyang-2017")
SEED_YEAR, SEED_TODAY = 2017, date(2018, 3, 1)  # the seed report was written early in 2018

# Each module's demo: build_demo(*, city, year, today, profile, say), idempotent.
MODULE_DEMOS = (lists_demo, interaction_demo, inspections_demo, monitor_demo)


class Command(BaseCommand):
    help = "载入演示城市（绵阳市，可重复执行）/ load the demo city (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--profile",
            choices=PROFILES,
            default="default",
            help="default：演示城市及本年度的申请；mianyang-2017：复现种子年报的2017年数据"
            " / default: the demo city and this year's applications; mianyang-2017: the seed year",
        )
        parser.add_argument("--applications", type=int, default=200, help="本年度演示申请件数")
        parser.add_argument(
            "--catalog-items",
            type=int,
            default=None,
            help="主动公开演示信息条数（默认30000；mianyang-2017为种子的327899条，约需6分钟）"
            " / demo catalog items (default 30000; the seed's 327899 for mianyang-2017)",
        )

    def modules(self, city, year: int, today: date, profile: str, catalog_items) -> None:
        say = _say(self.stdout)
        catalog_demo(
            city=city, year=year, today=today, profile=profile, say=say, count=catalog_items
        )
        for build_demo in MODULE_DEMOS:
            build_demo(city=city, year=year, today=today, profile=profile, say=say)

    def handle(self, *args, profile, applications, catalog_items, **options):
        city = build_demo_city()
        staff = demo_staff(password=settings.GONGKAI_DEMO_PASSWORD)
        self.stdout.write(f"演示城市：{city.name}，共{subtree(city).count()}个机关。")
        if profile == "mianyang-2017":
            from gongkai.reports.legacy_demo import run_profile

            # The modules first: the seed year's report draft is built from their records.
            self.modules(city, SEED_YEAR, SEED_TODAY, profile, catalog_items)
            run_profile(profile, self.stdout)
        else:
            year, today = demo_year(timezone.localdate())
            self.stdout.write(f"正在生成{year}年的演示申请（首次约需半分钟）……")
            self.stdout.flush()
            made = build_demo_applications(year=year, count=applications, today=today)
            self.stdout.write(f"新增演示申请{made}件。" if made else "演示申请已存在，未重复生成。")
            self.modules(city, year, today, "", catalog_items)
        self.stdout.write(f"网址 URL：{settings.SITE_URL}/")
        self.stdout.write(
            f"工作人员登录 staff logins（密码 password：{settings.GONGKAI_DEMO_PASSWORD}）："
        )
        for user in staff:
            self.stdout.write(f"  {user.username:<14}{user.get_role_display()} · {user.org.name}")


def _say(stdout):
    def say(text: str) -> None:
        stdout.write(text)
        stdout.flush()

    return say


def demo_year(today: date) -> tuple[int, date]:
    """This year, or the last year with holiday data when this year's notice is not loaded.

    Deadlines must not reach a year without data (CAL-3), so the demo stays a month clear of
    the end of the last known year.
    """
    latest = CalendarYear.objects.aggregate(latest=Max("year"))["latest"] or today.year
    if today.year <= latest - 1 or (today.year == latest and today.month < 12):
        return today.year, today
    return latest, min(today, date(latest, 11, 30))
