from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongkai.workdays.services import load_from_package


class Command(BaseCommand):
    help = (
        "建库迁移、收集静态文件并载入工作日历（可重复执行）"
        " / migrate, collect static files, load the calendar (idempotent)"
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        load_from_package()
        self.stdout.write("数据库与工作日历已就绪。/ Database and calendar ready.")
