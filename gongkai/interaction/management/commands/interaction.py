from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.interaction import hotline, queries
from gongkai.interaction.figures import report_figures
from gongkai.interaction.models import Letter
from gongkai.orgs.models import Org
from gongkai.orgs.queries import subtree
from gongkai.reports.external import FIGURES


class Command(BaseCommand):
    help = "互动交流：导入市长公开电话记录、统计、超期信件 / interaction"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser(
            "import-hotline", help="导入12345/市长公开电话导出文件（CSV/XLSX，全部成功或全部不写）"
        )
        imp.add_argument("file")
        imp.add_argument("--mapping", help="已保存的列对应方案名称")
        imp.add_argument("--org", help="所属机关名称（默认：最上级机关）")
        fig = sub.add_parser("figures", help="年度统计（信箱、公开电话、建议提案）")
        fig.add_argument("--year", type=int, required=True)
        fig.add_argument("--org", help="机关名称（含下级；默认全部）")
        ovd = sub.add_parser("overdue", help="列出超期未受理、未答复的信件")
        ovd.add_argument("--org", help="机关名称（含下级；默认全部）")

    def handle(self, *args, verb, **options):
        getattr(self, "do_" + verb.replace("-", "_"))(**options)

    def _org(self, name: str | None) -> Org | None:
        if not name:
            return None
        org = Org.objects.filter(name=name).first() or Org.objects.filter(short_name=name).first()
        if org is None:
            raise CommandError(f"机关“{name}”不存在")
        return org

    def _orgs(self, name):
        org = self._org(name)
        return subtree(org) if org else Org.objects.all()

    def do_import_hotline(self, *, file, mapping, org, **_):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件“{file}”不存在")
        target = self._org(org) or Org.objects.filter(parent=None).order_by("sort", "pk").first()
        if target is None:
            raise CommandError("尚无机关，请先导入机构")
        columns = None
        if mapping:
            columns = hotline.mapping_columns(mapping)
            if columns is None:
                raise CommandError(f"列对应方案“{mapping}”不存在")
        try:
            result = hotline.import_file(target, path.name, path.read_bytes(), columns=columns)
        except hotline.ImportFailed as failed:
            for message in failed.errors:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共{len(failed.errors)}个问题，未写入任何数据") from None
        self.stdout.write(f"导入完成：{result.rows}条（其中替换{result.replaced}条）。")

    def do_figures(self, *, year, org, **_):
        orgs = self._orgs(org)
        mail = queries.figures(orgs, year)
        rate = f"{mail.reply_rate}%" if mail.reply_rate is not None else "—"
        self.stdout.write(
            f"{year}年 信箱：收到{mail.received}件，有效{mail.valid}件，答复{mail.replied}件，"
            f"答复率{rate}，公开{mail.published}件，超期{mail.overdue}件，"
            f"最久未答复{mail.oldest_unanswered or '—'}"
        )
        for key, value in report_figures(orgs, year).items():
            label, unit = FIGURES[key]
            self.stdout.write(f"{key}\t{label}\t{value}{unit}")

    def do_overdue(self, *, org, **_):
        orgs = self._orgs(org)
        letters = queries.overdue(
            timezone.localdate(),
            Letter.objects.filter(mailbox__org__in=orgs).select_related("mailbox"),
        ).order_by("received_at", "pk")
        count = 0
        for letter in letters:
            due = letter.reply_due if letter.status != "pending" else letter.accept_due
            self.stdout.write(
                f"{letter.number}\t{letter.mailbox.name}\t{letter.get_status_display()}\t期限{due}"
            )
            count += 1
        self.stdout.write(f"共{count}件超期。")
