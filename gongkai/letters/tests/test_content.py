from datetime import date

import pytest

from gongkai.letters.content import Letter, chinese_date


def make_letter(**changes) -> Letter:
    fields = {
        "title": "绵阳市国土资源局\n政府信息公开申请答复书",
        "number": "绵国土公复〔2026〕12号",
        "addressee": "张三",
        "paragraphs": ("第一段。",),
        "issuer": "绵阳市国土资源局",
        "issued_on": date(2026, 3, 20),
    }
    return Letter(**{**fields, **changes})


@pytest.mark.parametrize(
    ("day", "text"),
    (
        (date(2026, 3, 2), "2026年3月2日"),  # no leading zeros
        (date(2026, 12, 31), "2026年12月31日"),
        (date(2019, 5, 15), "2019年5月15日"),
    ),
)
def test_chinese_date_uses_arabic_numerals_without_padding(day, text):
    assert chinese_date(day) == text


@pytest.mark.parametrize(
    ("addressee", "salutation"),
    (
        ("张三", "张三："),
        ("张三：", "张三："),  # the caller's colon is not doubled
        ("张三:", "张三："),  # a half-width one becomes full-width
        ("  四川某某律师事务所 ", "四川某某律师事务所："),
    ),
)
def test_salutation_ends_with_one_full_width_colon(addressee, salutation):
    assert make_letter(addressee=addressee).salutation == salutation


def test_blocks_split_lines_into_paragraphs_and_drop_blank_ones():
    letter = make_letter(paragraphs=("　　开头。", "1.第一项；\n\n2.第二项。", "  "))

    assert letter.blocks == ("开头。", "1.第一项；", "2.第二项。")


def test_title_lines_split_at_line_breaks():
    assert make_letter().title_lines == ("绵阳市国土资源局", "政府信息公开申请答复书")


@pytest.mark.parametrize(
    ("seal_text", "seal"),
    (
        (None, "绵阳市国土资源局"),  # defaults to the issuer
        ("绵阳市国土资源局政府信息公开专用章", "绵阳市国土资源局政府信息公开专用章"),
        ("", ""),  # no seal
    ),
)
def test_seal_defaults_to_the_issuer(seal_text, seal):
    assert make_letter(seal_text=seal_text).seal == seal


@pytest.mark.parametrize(
    ("contact", "note"),
    (
        ("", ""),
        ("联系人：李四，电话：0816-2345678", "（联系人：李四，电话：0816-2345678）"),
        ("（联系人：李四）", "（联系人：李四）"),  # already in parentheses
    ),
)
def test_contact_note_is_wrapped_in_full_width_parentheses(contact, note):
    assert make_letter(contact=contact).contact_note == note


@pytest.mark.parametrize(
    ("cc", "line"),
    (
        ("", ""),
        ("绵阳市人民政府办公室", "抄送：绵阳市人民政府办公室。"),
        ("抄送：市政府办公室，市司法局。", "抄送：市政府办公室，市司法局。"),
    ),
)
def test_cc_line_has_one_prefix_and_one_full_stop(cc, line):
    assert make_letter(cc=cc).cc_line == line
