from django.conf import settings
from django.core.management.base import BaseCommand

from gongkai.orgs.demo import build_demo_city, demo_staff
from gongkai.orgs.queries import subtree


class Command(BaseCommand):
    help = "载入演示城市（绵阳市，可重复执行）/ load the demo city (idempotent)"

    def handle(self, *args, **options):
        city = build_demo_city()
        staff = demo_staff(password=settings.GONGKAI_DEMO_PASSWORD)
        self.stdout.write(f"演示城市：{city.name}，共{subtree(city).count()}个机关。")
        self.stdout.write(f"网址 URL：{settings.SITE_URL}/")
        self.stdout.write(
            f"工作人员登录 staff logins（密码 password：{settings.GONGKAI_DEMO_PASSWORD}）："
        )
        for user in staff:
            self.stdout.write(f"  {user.username:<14}{user.get_role_display()} · {user.org.name}")
