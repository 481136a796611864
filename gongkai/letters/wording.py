"""Editable wording of notices and replies, and the sandbox that fills it.

Offices edit the wording as plain text with placeholders such as ``{{申请人}}``. Filling is
string replacement of whitelisted names and nothing else: no template engine ever sees staff
text, nothing in it is evaluated, and a value is inserted as text, never expanded again.

The default wording follows the 2019 regulations (《中华人民共和国政府信息公开条例》, 2019
revision; RULES.zh.md REQ-9, REQ-10, REQ-12, REQ-17, REQ-27, FEE-6, FEE-8).

Kinds and what they are for:

=======================  ====================================================
``receipt``              政府信息公开申请登记回执
``correction``           补正告知书 (REQ-10)
``extension``            延期答复告知书 (REQ-9)
``consultation``         征求意见书, addressed to the third party (REQ-12)
``fee``                  收费通知书 (FEE-6, FEE-8)
``reply_grant``          答复书: 予以公开 / 已主动公开
``reply_partial``        答复书: 部分公开
``reply_deny``           答复书: 不予公开
``reply_unable``         答复书: 无法提供
``reply_not_processed``  答复书: 不予处理
``reply_other``          答复书: 其他处理 (逾期不补正、逾期未缴费、行政查询事项 …)
=======================  ====================================================

Every reply ends with ``{{救济告知}}``, the remedies sentence the caller computes
(``applications.rules.remedy_notice``, LIT-3/LIT-4). In replies, ``{{决定内容}}`` is the
sentence that differs by decision: ``DECISION_TEXT`` holds a default one per decision code,
itself wording to fill (with the same placeholders) before it is passed as a value.
"""

import re
from collections.abc import Collection, Mapping
from typing import NamedTuple


class Wording(NamedTuple):
    title: str  # "\n" breaks a two-line title
    paragraphs: tuple[str, ...]


# --- The sandbox --------------------------------------------------------------------------

# A placeholder is {{name}}; spaces inside the braces are allowed, braces are not.
PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
FULL_WIDTH = re.compile(r"[｛{][｛{]([^{}｛｝]*)[｝}][｝}]")


class MissingValue(KeyError):
    """An allowed placeholder appears in the text but the caller gave no value for it."""


def fill(text: str, values: Mapping[str, str], *, allowed: Collection[str]) -> str:
    """Replace each allowed ``{{name}}`` in ``text`` with ``values[name]``, as plain text.

    Placeholders that are not allowed stay as they are (``placeholder_errors`` reports them
    when the wording is saved). Replacement is one pass over the original text, so a value
    that itself contains ``{{...}}`` is inserted literally. Raises ``MissingValue`` when an
    allowed placeholder has no value: a letter must never go out with a raw placeholder.
    """

    def replace(match: re.Match[str]) -> str:
        name = match[1].strip()
        if name not in allowed:
            return match[0]
        if name not in values:
            raise MissingValue(name)
        return str(values[name])

    return PLACEHOLDER.sub(replace, text)


def placeholders(text: str) -> list[str]:
    """The names of the well-formed placeholders in ``text``, in order, each once."""
    return list(dict.fromkeys(m[1].strip() for m in PLACEHOLDER.finditer(text)))


def placeholder_errors(text: str, allowed: Collection[str]) -> list[str]:
    """What is wrong with the placeholders of ``text``, in Chinese; [] when nothing is."""
    errors = []
    for match in TEMPLATE_TAG.finditer(text):
        errors.append(f"不支持模板标签“{match[0]}”，只能使用{{{{占位符}}}}")
    rest = TEMPLATE_TAG.sub("", text)
    for match in FULL_WIDTH.finditer(rest):
        if "｛" in match[0] or "｝" in match[0]:
            errors.append(f"“{match[0]}”中的花括号须为半角：{{{{{match[1].strip()}}}}}")
    rest = FULL_WIDTH.sub(lambda m: m[0] if "{{" in m[0] and "}}" in m[0] else "", rest)
    for name in placeholders(rest):
        if not name:
            errors.append("有空的占位符“{{}}”")
        elif name not in allowed:
            errors.append(f"未知的占位符“{{{{{name}}}}}”")
    rest = PLACEHOLDER.sub("", rest)
    for brace in ("{", "}"):
        if brace in rest:
            errors.append(f"有不成对的花括号“{brace}”")
    return errors


def compose(
    wording: Wording, values: Mapping[str, str], *, allowed: Collection[str]
) -> tuple[str, tuple[str, ...]]:
    """Fill the title and paragraphs of a wording; paragraphs left empty are dropped."""
    title = fill(wording.title, values, allowed=allowed)
    paragraphs = tuple(fill(p, values, allowed=allowed).strip() for p in wording.paragraphs)
    return title, tuple(p for p in paragraphs if p)


# --- Placeholders each kind may use -------------------------------------------------------

COMMON = frozenset({"申请人", "机关", "申请编号", "收到日期", "申请内容"})
REPLY = COMMON | {"决定内容", "法律依据", "不予公开理由", "获取方式", "负责机关", "救济告知"}

ALLOWED: dict[str, frozenset[str]] = {
    "receipt": COMMON | {"答复期限"},
    "correction": COMMON | {"补正事项", "补正期限"},
    "extension": COMMON | {"延长天数", "延期理由", "新期限"},
    # Sent to the third party: the applicant's name is deliberately not available, the
    # third party needs to know what is asked for, not who asked.
    "consultation": (COMMON - {"申请人"}) | {"第三方", "意见期限"},
    "fee": COMMON | {"收费金额", "收费标准", "收费依据", "缴费期限", "缴费方式"},
    "reply_grant": REPLY,
    "reply_partial": REPLY,
    "reply_deny": REPLY,
    "reply_unable": REPLY,
    "reply_not_processed": REPLY,
    "reply_other": REPLY,
}

# --- Default wording ----------------------------------------------------------------------

REGULATIONS = "《中华人民共和国政府信息公开条例》"
RECEIVED = (
    "本机关于{{收到日期}}收到你（单位）提出的政府信息公开申请（申请编号：{{申请编号}}），"
    "申请获取“{{申请内容}}”。"
)
REPLY_OPENING = RECEIVED + "经审查，现答复如下："

DEFAULT_WORDING: dict[str, Wording] = {
    "receipt": Wording(
        "{{机关}}\n政府信息公开申请登记回执",
        (
            RECEIVED + "现予登记。",
            f"本机关将依照{REGULATIONS}的规定办理，并于{{{{答复期限}}}}前作出答复。"
            "需要补正申请内容、征求第三方或者其他机关意见、延长答复期限的，本机关将另行书面告知；"
            "依法征求第三方和其他机关意见所需时间不计算在答复期限内。",
            "请妥善保存本回执。查询办理进度时，请提供申请编号。",
        ),
    ),
    "correction": Wording(
        "{{机关}}\n政府信息公开申请补正告知书",
        (
            RECEIVED + "经审查，你（单位）的申请内容不明确，本机关无法据此确定所申请的政府信息。"
            f"根据{REGULATIONS}第三十条的规定，现一次性告知你（单位）需要补正的事项如下：",
            "{{补正事项}}",
            "请你（单位）于{{补正期限}}前，按照上述事项对申请作出补正，并提交本机关。"
            "补正时，请尽量写明所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。"
            "对补正事项有疑问的，可以通过本告知书所列联系方式咨询，本机关将给予指导和释明。",
            "答复期限自本机关收到补正后的申请之日起计算。"
            "你（单位）无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            "特此告知。",
        ),
    ),
    "extension": Wording(
        "{{机关}}\n政府信息公开申请延期答复告知书",
        (
            RECEIVED + "因{{延期理由}}，本机关不能在规定期限内作出答复。"
            "经本机关政府信息公开工作机构负责人同意，"
            f"根据{REGULATIONS}第三十三条第二款的规定，答复期限延长{{{{延长天数}}}}个工作日，"
            "本机关将于{{新期限}}前作出答复。",
            "特此告知。",
        ),
    ),
    "consultation": Wording(
        "{{机关}}\n政府信息公开征求意见书",
        (
            "本机关于{{收到日期}}收到一件政府信息公开申请（申请编号：{{申请编号}}），"
            "申请获取“{{申请内容}}”。经审查，该政府信息可能涉及你（单位）的商业秘密、个人隐私"
            "或者其他合法权益，公开后可能对你（单位）的合法权益造成损害。"
            f"根据{REGULATIONS}第三十二条的规定，现书面征求你（单位）的意见。",
            "请你（单位）自收到本征求意见书之日起15个工作日内，即于{{意见期限}}前，"
            "以书面形式向本机关提出是否同意公开的意见；不同意公开的，请说明理由，"
            "并提供相关证明材料。",
            "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。"
            "你（单位）不同意公开且有合理理由的，本机关不予公开；"
            "本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
            "并将决定公开的政府信息内容和理由书面告知你（单位）。",
            "特此函告。",
        ),
    ),
    "fee": Wording(
        "{{机关}}\n政府信息公开信息处理费收费通知书",
        (
            RECEIVED + "经审查，你（单位）申请公开政府信息的数量、频次明显超过合理范围，"
            "根据{{收费依据}}的规定，本机关决定收取信息处理费。",
            "收费标准：{{收费标准}}。应缴金额：人民币{{收费金额}}元。缴费方式：{{缴费方式}}。",
            "请你（单位）自收到本通知书次日起20个工作日内（即{{缴费期限}}前）缴纳。"
            "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            "你（单位）对收取信息处理费的决定有异议的，不能单独就该决定申请行政复议或者提起"
            "行政诉讼；可以在缴费期满后，就本机关不再处理你（单位）申请的行为依法申请行政复议"
            "或者提起行政诉讼。",
            "特此通知。",
        ),
    ),
    "reply_grant": Wording(
        "{{机关}}\n政府信息公开申请答复书",
        (REPLY_OPENING, "{{决定内容}}", "{{获取方式}}", "{{救济告知}}"),
    ),
    "reply_partial": Wording(
        "{{机关}}\n政府信息公开申请答复书",
        (
            REPLY_OPENING,
            "{{决定内容}}",
            "对可以公开的部分，本机关予以提供。{{获取方式}}",
            "对不予公开的部分，根据{{法律依据}}的规定不予公开，理由是：{{不予公开理由}}",
            "{{救济告知}}",
        ),
    ),
    "reply_deny": Wording(
        "{{机关}}\n政府信息公开申请答复书",
        (
            REPLY_OPENING,
            "{{决定内容}}",
            "{{不予公开理由}}",
            "根据{{法律依据}}的规定，本机关决定对你（单位）所申请的政府信息不予公开。",
            "{{救济告知}}",
        ),
    ),
    "reply_unable": Wording(
        "{{机关}}\n政府信息公开申请答复书",
        (REPLY_OPENING, "{{决定内容}}", "{{救济告知}}"),
    ),
    "reply_not_processed": Wording(
        "{{机关}}\n政府信息公开申请答复书",
        (REPLY_OPENING, "{{决定内容}}", "{{获取方式}}", "{{救济告知}}"),
    ),
    "reply_other": Wording(
        "{{机关}}\n政府信息公开申请答复书",
        (REPLY_OPENING, "{{决定内容}}", "{{获取方式}}", "{{救济告知}}"),
    ),
}

# --- Replies: which wording, and the sentence that differs by decision (REQ-17) -----------

# Keys are the values of ``applications.enums.Decision``.
DECISION_KIND: dict[str, str] = {
    "already_public": "reply_grant",
    "grant": "reply_grant",
    "partial": "reply_partial",
    "deny_state_secret": "reply_deny",
    "deny_law_prohibits": "reply_deny",
    "deny_security_stability": "reply_deny",
    "deny_third_party": "reply_deny",
    "deny_internal_affairs": "reply_deny",
    "deny_process_info": "reply_deny",
    "deny_enforcement_file": "reply_deny",
    "special_access_route": "reply_other",
    "not_held": "reply_unable",
    "not_responsible": "reply_unable",
    "needs_creation": "reply_unable",
    "still_unclear": "reply_unable",
    "petition": "reply_not_processed",
    "repeated": "reply_not_processed",
    "publication": "reply_not_processed",
    "excessive": "reply_not_processed",
    "confirm_or_reissue": "reply_not_processed",
    "abandoned_no_correction": "reply_other",
    "abandoned_no_payment": "reply_other",
    "other": "reply_other",
}

_ARTICLE = "根据" + REGULATIONS + "第{}的规定，"

# Default {{决定内容}} per decision code; "other" (撤回 and the like) has none: staff write it.
# "not_responsible" names the responsible body in {{负责机关}} (name and contact details, 36-5);
# when it is not known, use "not_responsible_unknown" instead.
DECISION_TEXT: dict[str, str] = {
    "already_public": "你（单位）所申请的政府信息，本机关已经主动公开。"
    + _ARTICLE.format("三十六条第（一）项")
    + "现将获取该政府信息的方式和途径告知如下：",
    "grant": "你（单位）所申请的政府信息属于公开范围。"
    + _ARTICLE.format("三十六条第（二）项")
    + "本机关予以公开，获取方式如下：",
    "partial": "你（单位）所申请的政府信息中含有不应当公开的内容，但能够作区分处理。"
    + _ARTICLE.format("三十七条")
    + "本机关向你（单位）提供可以公开的内容，并对不予公开的内容说明理由。",
    "deny_state_secret": "经审查，你（单位）所申请的政府信息属于依法确定的国家秘密。",
    "deny_law_prohibits": "经审查，你（单位）所申请的政府信息属于法律、行政法规禁止公开的政府信息。",
    "deny_security_stability": "经审查，你（单位）所申请的政府信息公开后可能危及国家安全、"
    "公共安全、经济安全、社会稳定。",
    "deny_third_party": "经审查，你（单位）所申请的政府信息涉及商业秘密、个人隐私等，"
    "公开会对第三方合法权益造成损害。",
    "deny_internal_affairs": "经审查，你（单位）所申请的政府信息属于本机关的内部事务信息。",
    "deny_process_info": "经审查，你（单位）所申请的政府信息属于本机关在履行行政管理职能过程中"
    "形成的过程性信息。",
    "deny_enforcement_file": "经审查，你（单位）所申请的政府信息属于行政执法案卷信息。",
    "special_access_route": "经审查，你（单位）所申请的信息属于法律、行政法规对获取有特别规定的"
    "信息。"
    + _ARTICLE.format("三十六条第（七）项")
    + "请你（单位）依照有关法律、行政法规的规定办理。",
    "not_held": "经检索，本机关未制作、获取你（单位）所申请的政府信息。"
    + _ARTICLE.format("三十六条第（四）项")
    + "告知你（单位）该政府信息不存在。",
    "not_responsible": "经审查，你（单位）所申请的政府信息不属于本机关负责公开。"
    + _ARTICLE.format("三十六条第（五）项")
    + "告知你（单位）该政府信息的负责公开机关为{{负责机关}}，你（单位）可以向其提出申请。",
    "not_responsible_unknown": "经审查，你（单位）所申请的政府信息不属于本机关负责公开。"
    + _ARTICLE.format("三十六条第（五）项")
    + "特此告知。",
    "needs_creation": "经审查，本机关没有你（单位）所申请的现成信息，提供该信息需要对现有政府信息"
    "进行加工、分析。" + _ARTICLE.format("三十八条") + "本机关不予提供。",
    "still_unclear": "本机关已告知你（单位）补正申请内容，补正后申请内容仍不明确，"
    "本机关无法确定你（单位）所申请的政府信息。" + _ARTICLE.format("三十条") + "本机关无法提供。",
    "petition": "经审查，你（单位）以政府信息公开申请的形式进行信访、投诉、举报等活动。"
    + _ARTICLE.format("三十九条第一款")
    + "本机关不作为政府信息公开申请处理，你（单位）可以通过信访、投诉、举报等相应渠道提出。",
    "repeated": "经审查，本机关已就你（单位）此前提出的相同内容的政府信息公开申请作出答复，"
    "你（单位）重复申请公开相同政府信息。"
    + _ARTICLE.format("三十六条第（六）项")
    + "本机关不予重复处理。",
    "publication": "经审查，你（单位）要求本机关提供政府公报、报刊、书籍等公开出版物。"
    + _ARTICLE.format("三十九条第二款")
    + "你（单位）可以通过以下途径获取：",
    "excessive": "你（单位）申请公开政府信息的数量、频次明显超过合理范围，本机关已要求你（单位）"
    "说明理由，本机关认为所说明的理由不合理。" + _ARTICLE.format("三十五条") + "本机关不予处理。",
    "confirm_or_reissue": "经审查，你（单位）要求本机关确认或者重新出具已经获取的信息，"
    "该请求不属于政府信息公开申请，本机关不予处理。",
    "abandoned_no_correction": "本机关已书面告知你（单位）补正申请内容，你（单位）无正当理由"
    "逾期未补正。" + _ARTICLE.format("三十条") + "视为放弃申请，本机关不再处理该政府信息公开申请。",
    "abandoned_no_payment": "本机关已向你（单位）发出收费通知，你（单位）逾期未缴纳信息处理费，"
    "视为放弃申请，本机关不再处理该政府信息公开申请。",
}
