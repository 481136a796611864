"""Arithmetic of annual reports: identities, percentages, sums (RPT-15…RPT-20, RPT-24, RPT-25).

Pure functions over ``tables.Tables`` and plain numbers; the same checks run on a report
Gongkai built and on one parsed from someone else's web page.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from gongkai.reports.tables import (
    T3_COLUMNS,
    T3_PARTS,
    T4_COLUMNS,
    T4_GROUPS,
    Finding,
    Number,
    Tables,
    t3_result_rows,
    t3_rows,
)

ROUNDING = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN}
T3_LABEL = {key: label for key, label, _, _ in t3_rows("2021")} | {
    key: label for key, label, _, _ in t3_rows("2019")
}
COLUMN_LABEL = dict(T3_COLUMNS)
T4_GROUP_LABEL = dict(T4_GROUPS)
T4_COLUMN_LABEL = dict(T4_COLUMNS)


def percentage(
    numerator: int | Decimal, denominator: int | Decimal, *, mode: str = "half_up", places: int = 1
) -> Decimal:
    """RPT-25: ``numerator / denominator × 100`` rounded to ``places`` decimals by ``mode``."""
    if denominator == 0:
        raise ZeroDivisionError("分母为0，无法计算比率")
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING[mode])


def check_percentage(
    stated: Decimal,
    numerator: int | Decimal,
    denominator: int | Decimal,
    *,
    mode: str = "half_up",
    quote: str = "",
) -> Finding | None:
    """RPT-25: a stated rate against the rate of its own numerator and denominator."""
    places = max(0, -stated.as_tuple().exponent)
    expected = percentage(numerator, denominator, mode=mode, places=places)
    if expected == stated:
        return None
    return Finding(
        rule="RPT-25",
        severity="error",
        message=f"比率与分子分母不符：{numerator}/{denominator}={expected}%，文中为{stated}%",
        stated=f"{stated}%",
        expected=f"{expected}%",
        quote=quote,
    )


def check_sum(
    stated: Number, parts: list[Number], *, rule: str = "RPT-24", quote: str = "", where: str = ""
) -> Finding | None:
    """A stated total against the sum of its stated parts (RPT-24, narrative sums)."""
    if stated is None or any(p is None for p in parts):
        return None
    expected = sum(parts)
    if expected == stated:
        return None
    return Finding(
        rule=rule,
        severity="error",
        message=f"分项和不等于总数：{'+'.join(str(p) for p in parts)}={expected}，文中总数为{stated}",
        row=where,
        stated=str(stated),
        expected=str(expected),
        quote=quote,
    )


def _cell(t: dict, row: str, col: str) -> Number:
    return t.get(row, {}).get(col)


def check_domain(tables: Tables) -> list[Finding]:
    """RPT-19: counts are non-negative whole numbers; an unreadable cell is named, never 0."""
    findings = []
    for table, data in (("表二", tables.t2), ("表三", tables.t3), ("表四", tables.t4)):
        for row, cells in data.items():
            for col, value in cells.items():
                where = {"table": table, "row": row, "column": col}
                if value is None:
                    findings.append(
                        Finding("RPT-19", "error", "单元格无法读取（不按0处理）", **where)
                    )
                elif value < 0 or (table != "表二" and value != int(value)):
                    findings.append(
                        Finding("RPT-19", "error", "件数应为非负整数", stated=str(value), **where)
                    )
    return findings


def check_t3(tables: Tables) -> list[Finding]:
    """RPT-15 (row totals), RPT-16 (（七）总计), RPT-17 (一+二 = 三(七)+四) on table 三."""
    t3, findings = tables.t3, []
    if not t3:
        return findings
    for row in t3:
        parts = [_cell(t3, row, c) for c in T3_PARTS]
        total = _cell(t3, row, "total")
        if total is not None and all(p is not None for p in parts) and sum(parts) != total:
            findings.append(
                Finding(
                    "RPT-15",
                    "error",
                    "总计列不等于各类申请人之和",
                    table="表三",
                    row=T3_LABEL.get(row, row),
                    column="总计",
                    stated=str(total),
                    expected=str(sum(parts)),
                )
            )
    for col, col_label in T3_COLUMNS:
        results = [_cell(t3, row, col) for row in t3_result_rows(tables.style)]
        total = _cell(t3, "三(七)", col)
        if total is not None and all(v is not None for v in results) and sum(results) != total:
            findings.append(
                Finding(
                    "RPT-16",
                    "error",
                    "（七）总计不等于各办理结果之和",
                    table="表三",
                    row="（七）总计",
                    column=col_label,
                    stated=str(total),
                    expected=str(sum(results)),
                )
            )
        left = [_cell(t3, "一", col), _cell(t3, "二", col)]
        right = [total, _cell(t3, "四", col)]
        if all(v is not None for v in left + right) and sum(left) != sum(right):
            findings.append(
                Finding(
                    "RPT-17",
                    "error",
                    "第一项加第二项之和不等于第三项加第四项之和",
                    table="表三",
                    row="一+二 / 三(七)+四",
                    column=col_label,
                    stated=str(sum(right)),
                    expected=str(sum(left)),
                )
            )
    return findings


def check_t4(tables: Tables) -> list[Finding]:
    """RPT-18: each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    findings = []
    for group, cells in tables.t4.items():
        parts = [cells.get(c) for c, _ in T4_COLUMNS if c != "total"]
        total = cells.get("total")
        if total is not None and all(p is not None for p in parts) and sum(parts) != total:
            findings.append(
                Finding(
                    "RPT-18",
                    "error",
                    "总计不等于各结果之和",
                    table="表四",
                    row=T4_GROUP_LABEL.get(group, group),
                    column="总计",
                    stated=str(total),
                    expected=str(sum(parts)),
                )
            )
    return findings


def check_cross_year(current: Tables, previous: Tables) -> list[Finding]:
    """RPT-20 (warnings): this year's 上年结转 equals last year's 结转下年度, column by column."""
    findings = []
    for col, col_label in T3_COLUMNS:
        carried_in, carried_out = _cell(current.t3, "二", col), _cell(previous.t3, "四", col)
        if carried_in is not None and carried_out is not None and carried_in != carried_out:
            findings.append(
                Finding(
                    "RPT-20",
                    "warning",
                    "上年结转与上年报告的结转下年度不符",
                    table="表三",
                    row="二、上年结转政府信息公开申请数量",
                    column=col_label,
                    stated=str(carried_in),
                    expected=str(carried_out),
                )
            )
    for row in ("rules", "normative"):
        now, before = current.t2.get(row, {}), previous.t2.get(row, {})
        values = [before.get("in_force"), now.get("made"), now.get("repealed"), now.get("in_force")]
        if all(v is not None for v in values):
            expected = values[0] + values[1] - values[2]
            if expected != values[3]:
                findings.append(
                    Finding(
                        "RPT-20",
                        "warning",
                        "现行有效件数与上年现行有效加本年制发减本年废止不符（修订、失效可致合理差异）",
                        table="表二",
                        row=row,
                        column="现行有效件数",
                        stated=str(values[3]),
                        expected=str(expected),
                    )
                )
    return findings


def validate(tables: Tables, previous: Tables | None = None) -> list[Finding]:
    """Every table check of RPT-15…RPT-20, in the order a reader meets the tables."""
    findings = check_domain(tables) + check_t3(tables) + check_t4(tables)
    if previous is not None:
        findings += check_cross_year(tables, previous)
    return findings
