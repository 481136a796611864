from django.core.management.base import BaseCommand, CommandError

from gongkai.audit import services
from gongkai.audit.models import Entry


class Command(BaseCommand):
    help = (
        "审计日志：校验哈希链、查看最近记录 / Audit log: verify the hash chain, list recent entries"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="校验哈希链 / verify the hash chain")
        tail = sub.add_parser("tail", help="最近的记录 / most recent entries")
        tail.add_argument("-n", type=int, default=20)

    def handle(self, *args, verb, **options):
        if verb == "verify":
            broken = services.verify()
            if broken:
                raise CommandError(f"审计日志校验失败：{broken.reason}")
            count = Entry.objects.count()
            self.stdout.write(f"审计日志完整：共{count}条记录，哈希链校验通过。")
        else:
            for entry in Entry.objects.order_by("-seq")[: options["n"]]:
                at = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
                self.stdout.write(
                    f"#{entry.seq}\t{at}\t{entry.actor}\t{entry.action}\t"
                    f"{entry.object_type}:{entry.object_id}\t{entry.summary}"
                )
