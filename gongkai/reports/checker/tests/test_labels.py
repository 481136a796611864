import pytest

from gongkai.reports.checker.extract import T3_NUMBER_ROWS
from gongkai.reports.checker.labels import best_match, label_key


@pytest.mark.parametrize(
    ("printed", "key"),
    (
        ("1.属于国家秘密", "三(三)1"),
        ("1、属于国家秘密", "三(三)1"),  # 、 for .
        ("1.属于国家泌密", "三(三)1"),  # a wrong character
        ("(一)予以公开", "三(一)"),  # half-width brackets
        ("一、本年新收政府信息公开申请数", "一"),  # a character missing
        ("（二）部分公开（区分处理的，只计这", "三(二)"),  # the first line of a wrapped label
        ("3.危及三安全一稳定", "三(三)3"),  # quotes dropped
        ("（六）其他处理", "三(六)"),
        ("3.其他", "三(六)3"),
    ),
)
def test_best_match_finds_the_national_row(printed, key):
    assert best_match([printed], T3_NUMBER_ROWS)[0] == key


def test_best_match_prefers_the_last_cell_of_a_merged_label():
    cells = [
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ]

    assert best_match(cells, T3_NUMBER_ROWS)[0] == "三(六)1"


@pytest.mark.parametrize(
    ("printed", "key"),
    (
        ("１、属于国家秘密：", "1.属于国家秘密"),
        ("3.危及 “三安全一稳定”", "3.危及三安全一稳定"),
        ("（七）总计", "(七)总计"),
    ),
)
def test_label_key_normalizes_what_offices_vary(printed, key):
    assert label_key(printed) == key
