"""PUB-9 rules: what counts, the year-over-year sentence, import row checks."""

import pytest

from gongkai.lists.enums import ListKind
from gongkai.lists.rules import YearOverYear, count_in_force, parse_change, row_problems


def yoy(count, prev_count, **changes):
    counts = {"retained": 0, "added": 0, "cancelled": 0, "merged": 0, "delegated": 0} | changes
    return YearOverYear(2017, count, 2016, prev_count, counts)


@pytest.mark.parametrize(
    ("figures", "sentence"),
    (
        # the seed's sentence: 保留32项，比2016年减少25项
        (yoy(32, 57, retained=32), "保留32项，比2016年减少25项"),
        (yoy(18, 20, retained=18), "保留18项，比2016年减少2项"),
        (
            yoy(7, 9, retained=6, added=1, cancelled=3),
            "保留7项，比2016年减少2项；其中新增1项，取消3项",
        ),
        (yoy(12, 10, retained=10, added=2), "保留12项，比2016年增加2项；其中新增2项"),
        (yoy(5, 5, retained=5), "保留5项，与2016年持平"),
        # no version of the year before: no comparison
        (yoy(222, None, retained=222), "保留222项"),
        (yoy(13, None, retained=13, cancelled=289), "保留13项；其中取消289项"),
        # a version listing only its changes (the seed's 权责清单)
        (yoy(None, None, cancelled=13, merged=10, delegated=5), "取消13项，合并10项，下放5项"),
        (yoy(None, 40, cancelled=1), "取消1项"),
        (yoy(None, None), "清单无条目"),
    ),
)
def test_summary_sentence_compares_with_the_year_before(figures, sentence):
    assert figures.sentence == sentence


@pytest.mark.parametrize(
    ("changes", "count"),
    (
        (["retained", "added", "cancelled", "merged", "delegated"], 2),
        (["retained"] * 32, 32),
        (["cancelled"] * 3, 0),
        ([], 0),
    ),
)
def test_count_in_force_counts_retained_and_added_only(changes, count):
    assert count_in_force(changes) == count


@pytest.mark.parametrize(
    ("text", "change"),
    (
        ("保留", "retained"),
        ("新增", "added"),
        ("取消", "cancelled"),
        ("合并", "merged"),
        ("下放", "delegated"),
        ("delegated", "delegated"),
        (" 取消 ", "cancelled"),
        ("", "retained"),
        ("删除", None),
    ),
)
def test_parse_change(text, change):
    assert parse_change(text) == change


@pytest.mark.parametrize(
    ("kind", "row", "problems"),
    (
        (ListKind.FEE_ADMIN, {"name": "不动产登记费", "change": ""}, []),
        (ListKind.FEE_ADMIN, {"name": "", "change": ""}, ["未填事项名称"]),
        (
            ListKind.FEE_ADMIN,
            {"name": "不动产登记费", "change": "删除"},
            ["变更类型“删除”应为保留、新增、取消、合并或下放"],
        ),
        (ListKind.POWER, {"name": "临时用地审批", "category": "行政许可", "change": "保留"}, []),
        (
            ListKind.POWER,
            {"name": "临时用地审批", "category": "许可", "change": "保留"},
            [
                "权责清单的事项类别“许可”，应为行政许可、行政处罚、行政强制、行政征收、行政给付、"
                "行政检查、行政确认、行政奖励、行政裁决、其他行政权力、公共服务之一"
            ],
        ),
        (ListKind.FEE_ADMIN, {"name": "费" * 201, "change": ""}, ["事项名称不能超过200字"]),
    ),
)
def test_row_problems(kind, row, problems):
    assert row_problems(kind, row) == problems
