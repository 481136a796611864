"""``gongkai catalog scan FILE|- [--json]``: list the personal and sensitive data in a file.

The catalog command owns the verb and delegates here. Plain output is one Chinese line per
finding (label, 1-based character positions, masked preview); ``--json`` prints a list of
``{kind, start, end, masked}`` with 0-based, end-exclusive offsets. Exit status: 0 nothing
found, 1 findings, 2 the file could not be read (Chinese message on stderr).
"""

import json
import sys
from pathlib import Path

from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.scan import scan_text

EXIT_CLEAN, EXIT_FOUND, EXIT_UNREADABLE = 0, 1, 2


def add_arguments(parser) -> None:
    parser.add_argument(
        "file", help="要检查的文件（.txt .html .pdf .docx .xlsx .ofd），“-”读标准输入"
    )
    parser.add_argument(
        "--json", action="store_true", help="以JSON列表输出 {kind, start, end, masked}"
    )


def run(options: dict, *, stdout, stdin, stderr=None) -> int:
    stderr = stderr if stderr is not None else sys.stderr
    name = options["file"]
    try:
        if name == "-":
            text = stdin.read()
            if isinstance(text, bytes):
                text = extract_text("stdin.txt", text)
        else:
            path = Path(name)
            try:
                data = path.read_bytes()
            except FileNotFoundError as error:
                raise ExtractionFailed(f"无法打开文件“{name}”：文件不存在") from error
            except PermissionError as error:
                raise ExtractionFailed(f"无法打开文件“{name}”：没有读取权限") from error
            except IsADirectoryError as error:
                raise ExtractionFailed(f"无法打开文件“{name}”：这是一个目录") from error
            except OSError as error:
                raise ExtractionFailed(f"无法打开文件“{name}”：{error}") from error
            text = extract_text(path.name, data)
    except ExtractionFailed as error:
        stderr.write(f"{error}\n")
        return EXIT_UNREADABLE
    findings = scan_text(text)
    if options.get("json"):
        rows = [
            {"kind": f.kind, "start": f.start, "end": f.end, "masked": f.masked} for f in findings
        ]
        stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
    elif findings:
        for f in findings:
            stdout.write(f"{f.label}\t第{f.start + 1}–{f.end}字\t{f.masked}\n")
    else:
        stdout.write("未发现个人信息或敏感信息。\n")
    return EXIT_FOUND if findings else EXIT_CLEAN
