from decimal import Decimal

import pytest

from gongkai.reports import rules
from gongkai.reports.tables import T3_COLUMNS, Finding, Style, Tables, t3_rows


def table3(cells: dict[str, dict[str, int]], style=Style.F2021) -> Tables:
    """A full table 三 with zeros, the given cells set, and the 总计 column summed."""
    t3 = {}
    for key, _, _, numbers in t3_rows(style):
        if numbers:
            row = {col: cells.get(key, {}).get(col, 0) for col, _ in T3_COLUMNS if col != "total"}
            t3[key] = row | {"total": sum(row.values())}
    return Tables(style=style, t3=t3)


# T-RPT-1: 自然人 新收10 结转2; 商业企业 新收3 …
T_RPT_1 = {
    "一": {"person": 10, "commercial": 3},
    "二": {"person": 2},
    "三(一)": {"person": 5, "commercial": 2},
    "三(二)": {"person": 1},
    "三(三)4": {"person": 1},
    "三(四)1": {"person": 2},
    "三(五)2": {"person": 1},
    "三(六)1": {"person": 1},
    "三(七)": {"person": 11, "commercial": 2},
    "四": {"person": 1, "commercial": 1},
}


def test_t_rpt_1_a_consistent_table_three_passes():
    tables = table3(T_RPT_1)

    assert tables.t3["三(七)"]["total"] == 13
    assert tables.t3["一"]["total"] + tables.t3["二"]["total"] == 15 == 13 + 2
    assert rules.validate(tables) == []


def test_rpt_17_names_the_column_where_the_balance_breaks():
    tables = table3(T_RPT_1 | {"四": {"person": 2, "commercial": 1}})

    assert rules.validate(tables) == [
        Finding(
            "RPT-17",
            "error",
            "第一项加第二项之和不等于第三项加第四项之和",
            table="表三",
            row="一+二 / 三(七)+四",
            column="自然人",
            stated="13",
            expected="12",
        ),
        Finding(
            "RPT-17",
            "error",
            "第一项加第二项之和不等于第三项加第四项之和",
            table="表三",
            row="一+二 / 三(七)+四",
            column="总计",
            stated="16",
            expected="15",
        ),
    ]


def test_rpt_15_and_16_catch_a_hand_edited_cell():
    tables = table3(T_RPT_1)
    tables.t3["三(一)"]["person"] = 6

    assert [(f.rule, f.row, f.column) for f in rules.validate(tables)] == [
        ("RPT-15", "（一）予以公开", "总计"),
        ("RPT-16", "（七）总计", "自然人"),
    ]


def test_rpt_19_names_an_unreadable_cell_instead_of_reading_zero():
    tables = table3(T_RPT_1)
    tables.t3["三(一)"]["research"] = None

    assert rules.check_domain(tables) == [
        Finding(
            "RPT-19",
            "error",
            "单元格无法读取（不按0处理）",
            table="表三",
            row="三(一)",
            column="research",
        )
    ]


def test_rpt_16_in_the_2019_format_counts_other_handling_as_one_row():
    tables = table3(
        {
            "一": {"person": 3},
            "三(一)": {"person": 1},
            "三(六)": {"person": 2},
            "三(七)": {"person": 3},
        },
        Style.F2019,
    )

    assert rules.validate(tables) == []


def test_rpt_18_table_four_total():
    tables = Tables(
        style=Style.F2021,
        t4={
            "reconsideration": {
                "maintained": 26,
                "corrected": 2,
                "other": 23,
                "pending": 0,
                "total": 52,
            }
        },
    )

    assert [(f.rule, f.stated, f.expected) for f in rules.check_t4(tables)] == [
        ("RPT-18", "52", "51")
    ]


@pytest.mark.parametrize(
    ("numerator", "denominator", "half_up", "down"),
    [(8545, 8858, "96.5", "96.4"), (122, 456, "26.8", "26.7"), (3, 456, "0.7", "0.6")],
)
def test_t_rpt_2_percentage_in_both_rounding_modes(numerator, denominator, half_up, down):
    assert rules.percentage(numerator, denominator, mode="half_up") == Decimal(half_up)
    assert rules.percentage(numerator, denominator, mode="down") == Decimal(down)


def test_t_rpt_3_seed_inconsistencies_are_found():
    assert rules.check_sum(3848, [1113, 768, 1925]).expected == "3806"
    assert rules.check_percentage(Decimal("6.28"), 3709, 57816).expected == "6.42%"
    assert rules.check_sum(456, [272, 122, 59, 3]) is None
    assert rules.check_sum(51, [26, 2, 23]) is None
    assert rules.check_percentage(Decimal("96.4"), 8545, 8858, mode="down") is None
    assert rules.check_percentage(Decimal("96.4"), 8545, 8858, mode="half_up").expected == "96.5%"


def test_rpt_20_carried_over_must_match_last_year():
    this_year, last_year = table3({"二": {"person": 2}}), table3({"四": {"person": 3}})

    findings = rules.check_cross_year(this_year, last_year)

    assert [(f.rule, f.severity, f.column, f.stated, f.expected) for f in findings] == [
        ("RPT-20", "warning", "自然人", "2", "3"),
        ("RPT-20", "warning", "总计", "2", "3"),
    ]
