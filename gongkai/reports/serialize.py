"""An ``AnnualReport`` as JSON and back, exactly: how a report is frozen in ``Report.data``.

Numbers keep their kind: whole counts are JSON integers, decimals (shares, 万元) are strings
such as ``"59.6"`` so no float rounding creeps in, and an unreadable cell is ``null``.
``from_json(to_json(report)) == report`` for every report.
"""

import json
from decimal import Decimal

from gongkai.reports.tables import (
    AnnualReport,
    Figure,
    Number,
    Scope,
    Section,
    Style,
    Tables,
)

FORMAT = "gongkai-annual-report/1"


class SerializationError(ValueError):
    pass


def number_out(value: Number) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return str(value)


def number_in(value) -> Number:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SerializationError(f"不是数值：{value!r}")
    return value if isinstance(value, int) else Decimal(value)


def _table_out(table: dict[str, dict[str, Number]]) -> dict:
    return {row: {col: number_out(v) for col, v in cells.items()} for row, cells in table.items()}


def _table_in(table: dict) -> dict[str, dict[str, Number]]:
    return {row: {col: number_in(v) for col, v in cells.items()} for row, cells in table.items()}


def to_json(report: AnnualReport) -> dict:
    """A JSON-ready dict (``json.dumps`` takes it as is)."""
    return {
        "format": FORMAT,
        "org_name": report.org_name,
        "year": report.year,
        "style": str(report.style),
        "scope": str(report.scope),
        "title": report.title,
        "preamble": list(report.preamble),
        "sections": [{"title": s.title, "paragraphs": list(s.paragraphs)} for s in report.sections],
        "tables": {
            "style": str(report.tables.style),
            "t2": _table_out(report.tables.t2),
            "t3": _table_out(report.tables.t3),
            "t4": _table_out(report.tables.t4),
        },
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "value": number_out(f.value),
                "unit": f.unit,
                "source": f.source,
            }
            for f in report.figures
        ],
        "issuer": report.issuer,
        "published_on": report.published_on,
    }


def from_json(data: dict) -> AnnualReport:
    """The report ``to_json`` wrote. Raises ``SerializationError`` for anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SerializationError(f"不是{FORMAT}格式的报告数据")
    try:
        tables = data["tables"]
        return AnnualReport(
            org_name=data["org_name"],
            year=int(data["year"]),
            style=Style(data["style"]),
            scope=Scope(data["scope"]),
            title=data["title"],
            preamble=list(data["preamble"]),
            sections=[Section(s["title"], list(s["paragraphs"])) for s in data["sections"]],
            tables=Tables(
                style=Style(tables["style"]),
                t2=_table_in(tables["t2"]),
                t3=_table_in(tables["t3"]),
                t4=_table_in(tables["t4"]),
            ),
            figures=[
                Figure(f["key"], f["label"], number_in(f["value"]), f["unit"], f["source"])
                for f in data["figures"]
            ],
            issuer=data.get("issuer", ""),
            published_on=data.get("published_on", ""),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SerializationError(f"报告数据不完整：{error}") from error


def dumps(report: AnnualReport) -> str:
    """Readable JSON text (Chinese as is, indented), as ``gongkai report build --format json``."""
    return json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n"


def loads(text: str) -> AnnualReport:
    try:
        return from_json(json.loads(text))
    except json.JSONDecodeError as error:
        raise SerializationError(f"不是有效的JSON：{error}") from error
