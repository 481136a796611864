import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.inspections import queries, services
from gongkai.inspections.models import Draw


class Command(BaseCommand):
    help = "双随机一公开：名录导入、抽取验证、验证包 / random inspections"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        for verb, what in (
            ("import-items", "随机抽查事项清单"),
            ("import-entities", "检查对象"),
            ("import-inspectors", "执法检查人员"),
        ):
            imp = sub.add_parser(verb, help=f"导入{what}名录（CSV/XLSX，全部成功或全部不写）")
            imp.add_argument("file")
        ver = sub.add_parser("verify", help="按冻结输入复算抽取，不符时退出码为1")
        ver.add_argument("draw_id", nargs="?", type=int)
        ver.add_argument("--all", action="store_true", help="验证全部抽取批次")
        sub.add_parser("overdue", help="列出超过公示期限未公示或逾期公示的检查结果")
        bun = sub.add_parser("bundle", help="导出验证包（JSON），可用 verify_bundle.py 独立复算")
        bun.add_argument("draw_id", type=int)
        bun.add_argument("-o", "--output", required=True)

    def handle(self, *args, verb, **options):
        getattr(self, "do_" + verb.replace("-", "_"))(**options)

    def _import(self, importer, file):
        if not Path(file).exists():
            raise CommandError(f"文件“{file}”不存在")
        try:
            result = importer(file)
        except services.RegistryImportError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共{len(exc.messages)}个问题，未写入任何数据") from None
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(f"导入完成：新建{result.created}条，更新{result.updated}条。")

    def do_import_items(self, *, file, **_):
        self._import(services.import_items, file)

    def do_import_entities(self, *, file, **_):
        self._import(services.import_entities, file)

    def do_import_inspectors(self, *, file, **_):
        self._import(services.import_inspectors, file)

    def do_verify(self, *, draw_id, all, **_):
        if all == (draw_id is not None):
            raise CommandError("请给出一个抽取批次编号，或用 --all")
        draws = Draw.objects.order_by("pk") if all else Draw.objects.filter(pk=draw_id)
        if not all and not draws:
            raise CommandError(f"抽取批次{draw_id}不存在")
        failed = 0
        for row in draws:
            outcome = services.check(row)
            for problem in outcome.problems:
                self.stderr.write(problem)
            for change in outcome.changes:
                self.stdout.write(f"注意：{change}")
            if outcome.ok:
                self.stdout.write(f"抽取批次{row.pk}：复算一致")
            failed += not outcome.ok
        if failed:
            raise CommandError(f"{failed}个抽取批次验证不通过")

    def do_overdue(self, **_):
        rows = queries.overdue(on=timezone.localdate())
        for r in rows:
            state = f"逾期公示于{r.published_on.isoformat()}" if r.published_on else "未公示"
            self.stdout.write(
                f"{r.draw.org.name}\t{r.draw.item.name}\t{r.entity.name}\t"
                f"期限{r.due.isoformat()}\t{state}"
            )
        self.stdout.write(f"共{len(rows)}条")

    def do_bundle(self, *, draw_id, output, **_):
        row = Draw.objects.filter(pk=draw_id).first()
        if row is None:
            raise CommandError(f"抽取批次{draw_id}不存在")
        text = json.dumps(services.bundle(row), ensure_ascii=False, indent=1)
        Path(output).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"验证包已写入{output}")
