import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.orgs import services
from gongkai.orgs.queries import tree_rows

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}


def _format(given: str | None, path: str | None, default: str | None = None) -> str:
    if given:
        return given
    guessed = FORMATS.get(Path(path).suffix.lower()) if path and path != "-" else None
    if guessed or default:
        return guessed or default
    raise CommandError(
        f"无法从文件名“{path}”判断格式，请用 --format yaml|csv / cannot guess the format"
    )


class Command(BaseCommand):
    help = "机关树：导入、导出、查看 / Org tree: import, export, show"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser(
            "import",
            help="按名称新建或更新，全部成功或全部不写 / create or update by name, all or nothing",
        )
        imp.add_argument(
            "file", help="YAML 或 CSV 文件，- 为标准输入 / a YAML or CSV file, - for stdin"
        )
        imp.add_argument(
            "--format", choices=["yaml", "csv"], help="默认按扩展名 / default: from the extension"
        )
        exp = sub.add_parser("export", help="导出整个机关树 / export the whole tree")
        exp.add_argument("--format", choices=["yaml", "csv"], help="默认 yaml 或按 -o 的扩展名")
        exp.add_argument(
            "-o", "--output", help="输出文件，默认标准输出 / output file, default stdout"
        )
        sub.add_parser("tree", help="按层级缩进列出机关 / print the tree, indented")

    def handle(self, *args, verb, **options):
        getattr(self, f"do_{verb}")(**options)

    def do_import(self, *, file, format, **_):
        fmt = _format(format, file, "yaml" if file == "-" else None)
        text = sys.stdin.read() if file == "-" else _read(file)
        try:
            result = services.import_orgs(text, fmt=fmt)
        except services.OrgImportError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共{len(exc.messages)}个问题，未写入任何数据") from None
        self.stdout.write(f"导入完成：新建{result.created}个，更新{result.updated}个机关。")

    def do_export(self, *, format, output, **_):
        fmt = _format(format, output, "yaml")
        text = services.export_csv() if fmt == "csv" else services.export_yaml()
        if output and output != "-":
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def do_tree(self, **_):
        for org in tree_rows():
            self.stdout.write(f"{'  ' * org.depth}{org.name}（{org.get_kind_display()}）")


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取“{path}”：{exc}") from None
