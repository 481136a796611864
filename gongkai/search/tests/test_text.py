import string

import pytest

from gongkai.search import text as tx

P = {c: chr(0xFDD0 + i) for i, c in enumerate(string.punctuation)}  # ASCII punctuation in tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("拆迁补偿", ["拆", "拆迁", "迁补", "补偿", "偿"]),
        ("拆迁，补偿", ["拆", "拆迁", "迁，", "，补", "补偿", "偿"]),
        ("拆迁 补偿", ["拆", "拆迁", "迁", "补", "补偿", "偿"]),
        (
            "绵府发〔2017〕12号",
            [
                "绵",
                "绵府",
                "府发",
                "发〔",
                "〔2",
                "20",
                "01",
                "17",
                "7〕",
                "〕1",
                "12",
                "2号",
                "号",
            ],
        ),
        ("PM2.5", ["p", "pm", "m2", "2" + P["."], P["."] + "5", "5"]),
        ("ＡＢ１号", ["a", "ab", "b1", "1号", "号"]),
        ("a_b", ["a", "a" + P["_"], P["_"] + "b", "b"]),
        ("a\x01b\ufdd0c", ["a", "a", "b", "b", "c", "c"]),
        ("号", ["号", "号"]),
        ("", []),
        ("，。 ！", ["，", "，。", "。", "！", "！"]),
    ],
)
def test_tokens_are_run_bigrams_closed_by_a_unigram_punctuation_inside_runs(text, tokens):
    assert tx.tokens(text) == tokens


@pytest.mark.parametrize(
    ("query", "terms", "ignored"),
    [
        ("拆迁", [("拆迁", ("拆迁",), False)], []),
        ("社会保障卡", [("社会保障卡", ("社会", "会保", "保障", "障卡"), False)], []),
        ("拆迁 低保", [("拆迁", ("拆迁",), False), ("低保", ("低保",), False)], []),
        ("拆迁， 拆迁", [("拆迁", ("拆迁",), False)], []),
        ('"社会  保障"', [("社会 保障", ("社会", "会", "保", "保障"), True)], []),
        ("12号", [("12号", ("12", "2号"), False)], []),
        ("〔2017〕1号", [("2017〕1号", ("20", "01", "17", "7〕", "〕1", "1号"), False)], []),
        ("2017〕1", [("2017〕1", ("20", "01", "17", "7〕", "〕1"), False)], []),
        (
            "a-b-cd",
            [("a-b-cd", ("a" + P["-"], P["-"] + "b", "b" + P["-"], P["-"] + "c", "cd"), False)],
            [],
        ),
        (
            "0816-2222222",
            [("0816-2222222", ("08", "81", "16", "6" + P["-"], P["-"] + "2", *["22"] * 6), False)],
            [],
        ),
        ('"ab c"', [("ab c", ("ab", "b", "c"), True)], []),
        ("a. .b", [], ["a.", ".b"]),
        ("号 拆 a", [], ["号", "拆", "a"]),
        ("AND OR", [("and", ("an", "nd"), False), ("or", ("or",), False)], []),
        ('" ( ) * NEAR(', [("near", ("ne", "ea", "ar"), False)], ['"', "(", ")", "*"]),
        ("", [], []),
    ],
)
def test_parse(query, terms, ignored):
    parsed, skipped = tx.parse(query)
    assert [(t.text, t.tokens, t.verify) for t in parsed] == terms
    assert skipped == ignored


def test_normalize_keeps_length_and_folds_width_and_case():
    assert tx.normalize("ＰＭ２.５与Ab，İ") == "pm2.5与ab，İ"


def test_highlight_escapes_and_marks():
    terms, _ = tx.parse("拆迁 <b>")
    assert tx.highlight("<b>拆迁</b>&拆迁", terms) == (
        "&lt;b&gt;<mark>拆迁</mark>&lt;/b&gt;&amp;<mark>拆迁</mark>"
    )


def test_highlight_marks_overlapping_matches_once():
    terms, _ = tx.parse("拆迁 迁补偿")
    assert tx.highlight("房屋拆迁补偿", terms) == "房屋<mark>拆迁补偿</mark>"


def test_snippet_is_a_window_around_the_first_match():
    terms, _ = tx.parse("低保")
    body = "甲" * 200 + "低保" + "乙" * 200
    html = tx.snippet(body, terms, width=40)
    assert html == "…" + "甲" * 10 + "<mark>低保</mark>" + "乙" * 28 + "…"


def test_snippet_without_match_is_the_beginning():
    assert tx.snippet("<p>" + "甲" * 10, [], width=5) == "&lt;p&gt;甲甲…"


def test_token_text_is_the_character_table():
    import random

    rng = random.Random(5)
    alphabet = [*string.printable, "\x00", "\x01", "\x1c", "\x7f", "\xa0", "\u3000", "\u2028"]
    alphabet += ["\ufdd0", "\ufdef", "\ufdf0", "拆", "迁", "〔", "，", "é", "𠀀", "\ue001"]
    for _ in range(2000):
        s = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
        assert tx.token_text(s).split() == s.translate(tx._token_chars()).split(), repr(s)
