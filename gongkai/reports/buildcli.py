"""``gongkai report build``: one org's annual report from the records, in one format.

``gongkai report build --org 绵阳市人民政府 --year 2017 --style legacy --scope subtree
--format json -o report.json``. Usage errors (unknown org, bad year, unknown format …)
print a Chinese message and exit with status 2.
"""

import difflib
from pathlib import Path

from gongkai.orgs.models import Org
from gongkai.reports import builder, rules, serialize
from gongkai.reports.tables import Scope, Style

FORMATS = ("json", "html", "docx", "xlsx", "pdf")
TEXT_FORMATS = ("json", "html")
USAGE_ERROR = 2


class UsageError(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--org", required=True, help="机关名称（全称或唯一的简称）/ org name")
    parser.add_argument("--year", required=True, help="报告年度，如 2017 / report year")
    parser.add_argument(
        "--format", default="json", help=f"输出格式：{'|'.join(FORMATS)}（默认 json）"
    )
    parser.add_argument(
        "--style",
        default=None,
        help="报告格式：2021|2019|legacy（默认按年度：2018年及以前为legacy）",
    )
    parser.add_argument(
        "--scope", default="subtree", help="口径：self（本机关）|subtree（含下级，默认）"
    )
    parser.add_argument("--rounding", default=None, help="百分比取舍：half_up|down（默认按设置）")
    parser.add_argument(
        "-o", "--output", default=None, help="输出文件（json、html 可省略，写到屏幕）"
    )


def default_style(year: int) -> Style:
    """GEN-2: the format in force for the year's report."""
    if year <= 2018:
        return Style.LEGACY
    return Style.F2019 if year <= 2020 else Style.F2021


def find_org(name: str) -> Org:
    """By full name, else by a short name only one org has; else a message with close names."""
    name = name.strip()
    org = Org.objects.filter(name=name).first()
    if org:
        return org
    by_short = list(Org.objects.filter(short_name=name)[:5])
    if len(by_short) == 1:
        return by_short[0]
    if by_short:
        names = "、".join(o.name for o in by_short)
        raise UsageError(f"简称“{name}”对应多个机关：{names}，请用全称")
    names = list(Org.objects.values_list("name", flat=True))
    close = [n for n in names if name and name in n][:5]
    close += [n for n in difflib.get_close_matches(name, names, n=5, cutoff=0.5) if n not in close]
    hint = f"，您是否要找：{'、'.join(close[:5])}" if close else ""
    raise UsageError(f"没有名为“{name}”的机关{hint}")


def _options(options: dict) -> tuple[Org, int, str, Style, Scope, str | None]:
    text = str(options["year"]).strip()
    if not (text.isdigit() and len(text) == 4 and 2008 <= int(text) <= 2100):
        raise UsageError(f"年度“{text}”无效，应为2008年以后的四位数字，如2017")
    year = int(text)
    fmt = (options.get("format") or "json").strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"未知的输出格式“{fmt}”，可用：{'、'.join(FORMATS)}")
    try:
        style = Style(options["style"]) if options.get("style") else default_style(year)
    except ValueError:
        raise UsageError(f"未知的报告格式“{options['style']}”，可用：2021、2019、legacy") from None
    try:
        scope = Scope(options.get("scope") or "subtree")
    except ValueError:
        raise UsageError(f"未知的口径“{options['scope']}”，可用：self、subtree") from None
    rounding = options.get("rounding")
    if rounding and rounding not in rules.ROUNDING:
        raise UsageError(f"未知的百分比取舍方式“{rounding}”，可用：half_up、down")
    if fmt not in TEXT_FORMATS and not options.get("output"):
        raise UsageError(f"{fmt}是二进制格式，请用 -o 指定输出文件")
    return find_org(options["org"]), year, fmt, style, scope, rounding


def _renderer(fmt: str):
    """``render.RENDERERS[fmt][0]``, or JSON through ``serialize`` while the renderers are absent."""
    try:
        from gongkai.reports.render import RENDERERS
    except ImportError:
        if fmt != "json":
            raise UsageError(
                "尚未安装报告渲染模块（gongkai.reports.render），暂只能输出 json"
            ) from None
        return lambda report: serialize.dumps(report).encode()
    return RENDERERS[fmt][0]


def handle(options: dict, stdout, stderr) -> int:
    """Build and write the report; the exit status (0 done, 2 usage error)."""
    try:
        org, year, fmt, style, scope, rounding = _options(options)
        render = _renderer(fmt)
    except UsageError as error:
        stderr.write(f"错误：{error}")
        return USAGE_ERROR
    report = builder.build_annual_report(org, year, style=style, scope=scope, rounding=rounding)
    content = render(report)
    output = options.get("output")
    if output and output != "-":
        Path(output).write_bytes(content)
        stdout.write(f"已生成 {output}：{report.title}（{fmt}，{len(content)}字节）")
    else:
        stdout.write(content.decode("utf-8"))
    found = builder.narrative_findings(report, org, rounding=rounding) + rules.validate(
        report.tables
    )
    errors = [f for f in found if f.severity == "error"]
    if errors:
        stderr.write(
            f"提示：报告有{len(errors)}处数据不一致，发布前请核对（gongkai report check）。"
        )
    return 0
