import pytest

from gongkai.applications.enums import Decision
from gongkai.letters.wording import (
    ALLOWED,
    DECISION_KIND,
    DECISION_TEXT,
    DEFAULT_WORDING,
    MissingValue,
    Wording,
    compose,
    fill,
    placeholder_errors,
    placeholders,
)

NAMES = frozenset({"申请人", "收到日期"})
VALUES = {"申请人": "张三", "收到日期": "2026年3月2日"}


@pytest.mark.parametrize(
    ("text", "filled"),
    (
        ("{{申请人}}：", "张三："),
        ("你于{{收到日期}}提出，{{申请人}}签收。", "你于2026年3月2日提出，张三签收。"),
        ("{{ 申请人 }}", "张三"),  # spaces inside the braces are allowed
        ("没有占位符。", "没有占位符。"),
        # Not whitelisted: left exactly as written, never looked up or evaluated.
        ("{{机关}}", "{{机关}}"),
        ("{{__import__('os').system('id')}}", "{{__import__('os').system('id')}}"),
        ("{{ 申请人|safe }}", "{{ 申请人|safe }}"),
        ("{{申请人.__class__}}", "{{申请人.__class__}}"),
        ("{% load static %}{% now 'Y' %}", "{% load static %}{% now 'Y' %}"),
        ("{申请人}、｛｛申请人｝｝", "{申请人}、｛｛申请人｝｝"),
        ("{{{申请人}}}", "{张三}"),
        ("${申请人} %(申请人)s {0}", "${申请人} %(申请人)s {0}"),
    ),
)
def test_fill_replaces_only_whitelisted_placeholders(text, filled):
    assert fill(text, VALUES, allowed=NAMES) == filled


@pytest.mark.parametrize(
    "value",
    (
        "{{收到日期}}",
        "{{申请人}}",
        "{% debug %}",
        "<script>alert(1)</script>",
        "\\1 \\g<0>",  # backreferences mean nothing in a value
    ),
)
def test_fill_inserts_values_literally_without_expanding_them(value):
    assert fill("申请人：{{申请人}}", {**VALUES, "申请人": value}, allowed=NAMES) == (
        f"申请人：{value}"
    )


def test_fill_refuses_an_allowed_placeholder_without_a_value():
    with pytest.raises(MissingValue) as raised:
        fill("{{申请人}}于{{收到日期}}", {"申请人": "张三"}, allowed=NAMES)

    assert raised.value.args == ("收到日期",)


def test_fill_ignores_values_that_are_not_allowed():
    assert fill("{{机关}}", {"机关": "本机关"}, allowed=NAMES) == "{{机关}}"


@pytest.mark.parametrize(
    ("text", "errors"),
    (
        ("{{申请人}}于{{ 收到日期 }}提出。", []),
        ("没有占位符。", []),
        ("{{申请人名字}}", ["未知的占位符“{{申请人名字}}”"]),
        ("{{__import__('os')}}", ["未知的占位符“{{__import__('os')}}”"]),
        ("{{ 申请人|safe }}", ["未知的占位符“{{申请人|safe}}”"]),
        ("{{机关}}{{机关}}", ["未知的占位符“{{机关}}”"]),  # reported once
        ("{{}}", ["有空的占位符“{{}}”"]),
        ("{{申请人}", ["有不成对的花括号“{”", "有不成对的花括号“}”"]),
        ("申请人}}", ["有不成对的花括号“}”"]),
        ("{申请人}", ["有不成对的花括号“{”", "有不成对的花括号“}”"]),
        ("{{{申请人}}}", ["有不成对的花括号“{”", "有不成对的花括号“}”"]),
        ("{% load static %}", ["不支持模板标签“{% load static %}”，只能使用{{占位符}}"]),
        ("{# 注释 #}", ["不支持模板标签“{# 注释 #}”，只能使用{{占位符}}"]),
        ("｛｛申请人｝｝", ["“｛｛申请人｝｝”中的花括号须为半角：{{申请人}}"]),
        ("{{申请人｝｝", ["“{{申请人｝｝”中的花括号须为半角：{{申请人}}"]),
    ),
)
def test_placeholder_errors_explains_each_problem(text, errors):
    assert placeholder_errors(text, NAMES) == errors


def test_compose_fills_title_and_drops_paragraphs_left_empty():
    wording = Wording("{{申请人}}\n告知书", ("收到：{{收到日期}}", "{{申请人}}", "  "))

    result = compose(wording, {**VALUES, "申请人": ""}, allowed=NAMES)

    assert result == ("\n告知书", ("收到：2026年3月2日",))


def test_allowed_lists_every_kind_of_default_wording():
    assert (
        sorted(ALLOWED)
        == sorted(DEFAULT_WORDING)
        == [
            "consultation",
            "correction",
            "extension",
            "fee",
            "receipt",
            "reply_deny",
            "reply_grant",
            "reply_not_processed",
            "reply_other",
            "reply_partial",
            "reply_unable",
        ]
    )


@pytest.mark.parametrize("kind", sorted(DEFAULT_WORDING))
def test_default_wording_uses_only_its_allowed_placeholders(kind):
    title, paragraphs = DEFAULT_WORDING[kind]

    assert [placeholder_errors(text, ALLOWED[kind]) for text in (title, *paragraphs)] == [
        [] for _ in (title, *paragraphs)
    ]


@pytest.mark.parametrize("kind", sorted(DEFAULT_WORDING))
def test_default_wording_fills_completely_with_every_allowed_value(kind):
    values = {name: f"〈{name}〉" for name in ALLOWED[kind]}

    title, paragraphs = compose(DEFAULT_WORDING[kind], values, allowed=ALLOWED[kind])

    assert [text for text in (title, *paragraphs) if "{" in text or "}" in text] == []


@pytest.mark.parametrize("kind", sorted(k for k in DEFAULT_WORDING if k.startswith("reply_")))
def test_reply_wording_names_the_receipt_date_and_ends_with_remedies(kind):
    title, paragraphs = DEFAULT_WORDING[kind]

    assert (title, "{{收到日期}}" in paragraphs[0], paragraphs[-1]) == (
        "{{机关}}\n政府信息公开申请答复书",
        True,
        "{{救济告知}}",
    )


def test_consultation_cannot_name_the_applicant_to_the_third_party():
    assert ("申请人" in ALLOWED["consultation"], "第三方" in ALLOWED["consultation"]) == (
        False,
        True,
    )


@pytest.mark.parametrize(
    ("kind", "phrases"),
    (
        (
            "correction",
            ("一次性告知", "{{补正事项}}", "{{补正期限}}", "指导和释明", "视为放弃申请"),
        ),
        ("extension", ("工作机构负责人同意", "{{延长天数}}个工作日", "{{新期限}}")),
        ("consultation", ("15个工作日内", "{{意见期限}}", "合理理由", "公共利益")),
        (
            "fee",
            (
                "{{收费依据}}",
                "{{收费标准}}",
                "{{收费金额}}",
                "{{缴费方式}}",
                "次日起20个工作日内",
                "视为放弃申请",
                "不能单独",
            ),
        ),
    ),
)
def test_notice_wording_carries_the_elements_the_rules_require(kind, phrases):
    text = "".join(DEFAULT_WORDING[kind].paragraphs)

    assert [p for p in phrases if p not in text] == []


def test_decision_kind_covers_every_decision():
    assert sorted(DECISION_KIND) == sorted(d.value for d in Decision)


def test_decision_text_covers_every_decision_staff_do_not_write_themselves():
    assert sorted(DECISION_TEXT) == sorted(
        (set(DECISION_KIND) - {"other"}) | {"not_responsible_unknown"}
    )


@pytest.mark.parametrize("code", sorted(DECISION_TEXT))
def test_decision_text_uses_only_placeholders_of_its_reply(code):
    kind = DECISION_KIND.get(code.removesuffix("_unknown"))

    assert placeholder_errors(DECISION_TEXT[code], ALLOWED[kind]) == []


def test_decision_text_for_another_body_names_it():
    assert placeholders(DECISION_TEXT["not_responsible"]) == ["负责机关"]
