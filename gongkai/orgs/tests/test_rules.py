import pytest

from gongkai.orgs.rules import (
    Row,
    credit_code_error,
    credit_code_with_check,
    depths,
    org_code_with_check,
    postcode_error,
    tree_problems,
)


@pytest.mark.parametrize(
    "code",
    (
        "91350100M000100Y43",  # the example of GB 32100-2015
        "914403001922038216",  # 华为技术有限公司
        "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
        "91330100799655058B",  # 阿里巴巴（中国）有限公司
        "115107000070000115",  # demo 绵阳市人民政府 (synthetic)
    ),
)
def test_credit_code_error_accepts_valid_codes(code):
    assert credit_code_error(code) is None


@pytest.mark.parametrize(
    ("code", "error"),
    (
        ("", "统一社会信用代码应为18位，实为0位"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，实为17位"),
        ("91350100M000100Y433", "统一社会信用代码应为18位，实为19位"),
        ("91350100M000100I43", "统一社会信用代码第16位“I”不是合法字符"),
        ("91350100m000100Y43", "统一社会信用代码第9位“m”不是合法字符"),
        ("91350100M000100Ｙ43", "统一社会信用代码第16位“Ｙ”不是合法字符"),
        ("B1350100M000100Y43", "统一社会信用代码第1位登记管理部门代码“B”不存在"),
        ("94350100M000100Y43", "统一社会信用代码第2位机构类别代码“4”不适用于登记管理部门“工商”"),
        (
            "1A350100M000100Y43",
            "统一社会信用代码第2位机构类别代码“A”不适用于登记管理部门“机构编制”",
        ),
        ("913501A0M000100Y43", "统一社会信用代码第3–8位行政区划码“3501A0”应为6位数字"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误，应为3实为4"),
        ("914403001922038217", "统一社会信用代码校验位错误，应为6实为7"),
    ),
)
def test_credit_code_error_names_the_fault(code, error):
    assert credit_code_error(code) == error


@pytest.mark.parametrize(
    ("first17", "code"),
    (
        ("91350100M000100Y4", "91350100M000100Y43"),
        ("91440300708461136", "91440300708461136T"),
        ("11510700007000011", "115107000070000115"),
    ),
)
def test_credit_code_with_check_appends_check_character(first17, code):
    assert credit_code_with_check(first17) == code


@pytest.mark.parametrize("first17", ("9135010", "91350100M000100I4"))
def test_credit_code_with_check_refuses_bad_input(first17):
    with pytest.raises(ValueError):
        credit_code_with_check(first17)


@pytest.mark.parametrize(
    ("first8", "code"),
    (
        ("M000100Y", "M000100Y4"),  # body of the GB 32100 example
        ("19220382", "192203821"),  # 华为
        ("70846113", "708461136"),  # 腾讯
        ("71093123", "71093123X"),  # check 10 is written X
        ("00000000", "000000000"),  # check 11 is written 0
    ),
)
def test_org_code_with_check_appends_gb11714_check(first8, code):
    assert org_code_with_check(first8) == code


@pytest.mark.parametrize(
    ("code", "error"),
    (
        ("621000", None),
        ("62100", "邮编应为6位数字，实为“62100”"),
        ("６２１０００", "邮编应为6位数字，实为“６２１０００”"),
    ),
)
def test_postcode_error_wants_six_ascii_digits(code, error):
    assert postcode_error(code) == error


@pytest.mark.parametrize(
    ("rows", "known", "problems"),
    (
        ([Row(1, "市", ""), Row(2, "局", "市")], {}, []),
        ([Row(2, "局", "市")], {"市": ""}, []),  # parent already in the database
        ([Row(1, "市", ""), Row(5, "市", "")], {}, [(5, "机关名称“市”重复，第1行已有")]),
        ([Row(3, "局", "省")], {}, [(3, "上级机关“省”不存在")]),
        ([Row(3, "局", "局")], {}, [(3, "上级机关不能是自身")]),
        (
            [Row(1, "甲", "乙"), Row(2, "乙", "甲")],
            {},
            [(1, "上级关系成环：甲 → 乙 → 甲"), (2, "上级关系成环：乙 → 甲 → 乙")],
        ),
        (
            # the file moves 市 under 县, which the database has under 市
            [Row(7, "市", "县")],
            {"市": "", "县": "市"},
            [(7, "上级关系成环：市 → 县 → 市")],
        ),
        (
            [Row(1, "丙", "甲"), Row(2, "甲", "乙"), Row(3, "乙", "甲")],
            {},
            [
                (2, "上级关系成环：甲 → 乙 → 甲"),
                (3, "上级关系成环：乙 → 甲 → 乙"),
            ],
        ),  # 丙 hangs off the cycle but is not on it
    ),
)
def test_tree_problems_finds_duplicates_unknown_parents_and_cycles(rows, known, problems):
    assert tree_problems(rows, known) == problems


def test_depths_counts_from_the_root():
    parent_of = {"市": "", "县": "市", "镇": "县", "局": "市"}

    assert depths(parent_of, ["镇", "局", "市"]) == {"镇": 2, "局": 1, "市": 0}
