"""``gongkai report check FILE [--previous FILE] [--json] [--rounding half_up|down]``.

Prints one line per finding (severity, rule, where, stated vs expected, the sentence) or,
with ``--json``, a JSON list of findings; the format found goes first (to stderr with
``--json``). Exit status 1 when any finding is an error, 0 otherwise.
"""

import json

from gongkai.reports.checker.check import Result, check_file
from gongkai.reports.checker.detect import STYLE_NAMES
from gongkai.reports.checker.readers import KIND_NAMES
from gongkai.reports.rules import ROUNDING
from gongkai.reports.tables import Finding

SEVERITY = {"error": "错误", "warning": "警告"}
QUOTE_WIDTH = 48


def add_arguments(parser) -> None:
    parser.add_argument("file", help="年度报告：纯文本、HTML、DOCX、XLSX 或 PDF")
    parser.add_argument("--previous", help="上一年度的报告，用于跨年度核对（RPT-20）")
    parser.add_argument("--json", action="store_true", help="以 JSON 列表输出")
    parser.add_argument(
        "--rounding",
        choices=sorted(ROUNDING),
        default="half_up",
        help="百分比的取舍方式（RPT-25），默认四舍五入 half_up",
    )


def describe(result: Result) -> str:
    if not result.kind:
        return "未能读取"
    style = STYLE_NAMES[result.style] if result.style else "无法识别"
    return f"读取为{KIND_NAMES[result.kind]}；格式：{style}"


def shorten(text: str, width: int = QUOTE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def line(finding: Finding) -> str:
    where = "·".join(part for part in (finding.table, finding.row, finding.column) if part)
    out = f"{SEVERITY[finding.severity]} {finding.rule} {where or '正文'}：{finding.message}"
    if finding.stated or finding.expected:
        out += f"（文中 {finding.stated or '—'}，应为 {finding.expected or '—'}）"
    if finding.quote:
        out += f"「{shorten(finding.quote)}」"
    return out


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "未发现问题。"
    errors = sum(f.severity == "error" for f in findings)
    return f"共{len(findings)}条：错误{errors}条，警告{len(findings) - errors}条。"


def handle(options, stdout, stderr) -> int:
    result = check_file(
        options["file"], previous=options.get("previous"), rounding=options["rounding"]
    )
    header = f"{options['file']}：{describe(result)}\n"
    if options.get("json"):
        stderr.write(header)
        listed = [f.as_dict() for f in result.findings]
        stdout.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(header)
        for finding in result.findings:
            stdout.write(line(finding) + "\n")
        stdout.write(summary(result.findings) + "\n")
    return 1 if result.failed else 0
