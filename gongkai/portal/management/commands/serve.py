import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网站（gunicorn）/ start the web server (gunicorn)"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.GONGKAI_BIND, help="地址:端口 / host:port")
        parser.add_argument("--workers", type=int, default=settings.GONGKAI_WORKERS)

    def handle(self, *args, bind, workers, **options):
        self.stdout.write(f"公开 Gongkai 正在启动：http://{bind}/  （Ctrl+C 停止 / to stop）")
        self.stdout.flush()
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "gongkai.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, args)
