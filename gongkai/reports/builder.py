"""Compute once, render many: ``build_annual_report(org, year) -> AnnualReport`` (STYLE 10).

``build_annual_report`` queries the records once (``statistics.collect``) and hands plain
numbers to ``compose``, which writes the title, the preamble and every section: generated
summary paragraphs that state the figures in Chinese, then the paragraphs staff wrote.
``compose`` touches no database, so a report whose cells staff edited is recomposed from
its own numbers. ``narrative_findings`` checks the sums and rates the summaries state
(RPT-24, RPT-25) and the sections that still need a text (RPT-11).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from gongkai.orgs.enums import Kind
from gongkai.orgs.models import Org
from gongkai.reports import rules, statistics
from gongkai.reports.tables import (
    SECTIONS_2021,
    SECTIONS_LEGACY,
    T3_PARTS,
    AnnualReport,
    Figure,
    Finding,
    Number,
    Scope,
    Section,
    Style,
    Tables,
)

COMPUTED = "computed"  # Figure.source of a figure derived from others (shares, rates, sums)
SUBHEADINGS_2021 = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
)  # RPT-7
PUBLISHED_PARTS = (
    "published.overview",
    "published.plans",
    "published.normative",
    "published.news",
    "published.personnel",
    "published.finance",
    "published.enforcement",
    "published.other",
)
REPLY_PARTS = (
    "replies.already_public",
    "replies.granted",
    "replies.partial",
    "replies.denied",
    "replies.not_responsible",
    "replies.not_exist",
    "replies.amend",
    "replies.other_route",
    "replies.other",
)
DENIED_PARTS = (
    "replies.denied.state_secret",
    "replies.denied.third_party",
    "replies.denied.security",
    "replies.denied.other",
)
CLOSED_PARTS = (
    "applications.on_time",
    "applications.extended",
    "applications.overdue",
    "applications.untimed",
    "applications.not_replied",
)
APPEAL_PARTS = ("maintained", "corrected", "other", "pending")


def rounding_mode(rounding: str | None = None) -> str:
    """RPT-25: the office's rounding of percentages, ``half_up`` (default) or ``down``."""
    mode = rounding or getattr(settings, "GONGKAI_REPORT_ROUNDING", "half_up")
    if mode not in rules.ROUNDING:
        raise ValueError(f"百分比取舍方式应为 half_up 或 down，而不是“{mode}”")
    return mode


def narrative_keys(style: Style) -> tuple[str, ...]:
    """Where staff may write: each section, and in the national formats each RPT-7 subheading."""
    if style == Style.LEGACY:
        return SECTIONS_LEGACY
    return SECTIONS_2021 + SUBHEADINGS_2021


# --- Words ------------------------------------------------------------------------------------


def num(value: Number) -> str:
    """A figure as printed: ``456``, ``20.37``, ``59.6`` (no thousands separators, as the seed)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def place(org: Org, scope: Scope) -> str:
    """The name in the title: 绵阳市 for the city as a whole, the org's full name otherwise."""
    if scope == Scope.SUBTREE and org.kind == Kind.GOVERNMENT:
        return org.short_name or org.name.removesuffix("人民政府")
    return org.name


def subjects(org: Org, scope: Scope) -> tuple[str, str]:
    """Who the figures are about: (全市各级各部门, 全市) for a city subtree; 本机关 alone."""
    if scope == Scope.SELF:
        return "本机关", "本机关"
    if org.kind != Kind.GOVERNMENT:
        return "本机关及所属单位", "本机关及所属单位"
    name = place(org, scope)
    area = name[-1] if name[-1:] in "省市县区镇乡" else ""
    if not area:
        return "本级各部门", "本级"
    return f"全{area}各级各部门", f"全{area}"


@dataclass(frozen=True)
class Ctx:
    """What a sentence needs: the year, who, the figures by key, the rounding mode."""

    year: int
    subject: str
    short: str
    figures: dict[str, Figure]
    mode: str
    tables: Tables

    def v(self, key: str) -> Number:
        figure = self.figures.get(key)
        return figure.value if figure else None

    def has(self, *keys: str) -> bool:
        return all(self.v(key) is not None for key in keys)

    def pct(self, numerator: Number, denominator: Number) -> str | None:
        if numerator is None or not denominator:
            return None
        return num(rules.percentage(numerator, denominator, mode=self.mode))


def _parts(items: Iterable[tuple[str, Number]], unit: str, *, sep: str = "，") -> str:
    """“当面申请272件，网络…” for the non-zero items."""
    return sep.join(f"{label}{num(value)}{unit}" for label, value in items if value)


# --- Derived figures ----------------------------------------------------------------------------


def derive(figures: list[Figure], mode: str) -> list[Figure]:
    """The base figures followed by those computed from them (shares, rates, sums)."""
    base = [f for f in figures if f.source != COMPUTED]
    by_key = {f.key: f for f in base}
    out = list(base)

    def value(key: str) -> Number:
        return by_key[key].value if key in by_key else None

    def add(key: str, label: str, v: Number, unit: str) -> None:
        figure = Figure(key, label, v, unit, COMPUTED)
        by_key[key] = figure
        out.append(figure)

    total = value("applications.total")
    for key, label, _ in statistics.LEGACY_CHANNELS:
        count = value(f"applications.channel.{key}")
        if total and count is not None:
            share = rules.percentage(count, total, mode=mode)
            add(f"applications.channel.{key}.share", f"{label}占比", share, "%")
    if all(value(k) is not None for k in DENIED_PARTS):
        add("replies.denied", "不同意公开答复数", sum(value(k) for k in DENIED_PARTS), "件")
    if value("published.total") is None and any(value(k) is not None for k in PUBLISHED_PARTS):
        parts = [value(k) for k in PUBLISHED_PARTS if value(k) is not None]
        add("published.total", "主动公开政府信息数", sum(parts), "条")
    letters, replies = value("mailbox.letters"), value("mailbox.replies")
    if letters and replies is not None:
        rate = rules.percentage(replies, letters, mode=mode)
        add("mailbox.reply_rate", "书记市长信箱回复率", rate, "%")
    handled = [value(k) for k in ("npc.suggestions", "cppcc.proposals")]
    closed = [value(k) for k in ("npc.closed", "cppcc.closed")]
    if all(v is not None for v in handled + closed) and sum(handled):
        rate = rules.percentage(sum(closed), sum(handled), mode=mode)
        add("suggestions.closed_rate", "人大建议、政协提案办结率", rate, "%")
    return out


# --- Sentences shared by the formats -------------------------------------------------------------


def s_channels(c: Ctx) -> str | None:
    total = c.v("applications.total")
    if total is None:
        return None
    if total == 0:
        return f"{c.year}年{c.subject}未收到政府信息公开申请。"
    items = []
    for key, label, _ in statistics.LEGACY_CHANNELS:
        count = c.v(f"applications.channel.{key}")
        if count:
            share = c.v(f"applications.channel.{key}.share")
            items.append(
                f"{label}{num(count)}件" + (f"，占{num(share)}%" if share is not None else "")
            )
    return f"{c.subject}共受理依申请政府信息公开{num(total)}件（其中：{'；'.join(items)}）。"


def s_topics(c: Ctx, *, most: int = 3, then: int = 2) -> str | None:
    """“申请公开的内容多数涉及…，其次是…等事项” from the topic counts, most first."""
    topics = [
        (f.label, f.value)
        for f in c.figures.values()
        if f.key.startswith("applications.topic.") and f.key != "applications.topic.other"
    ]
    topics = [t for t in sorted(topics, key=lambda t: -(t[1] or 0)) if t[1]]
    if not topics:
        return None
    head = "、".join(name for name, _ in topics[:most])
    tail = "、".join(name for name, _ in topics[most : most + then])
    if not tail:
        return f"申请公开的内容多数涉及{head}等事项。"
    return f"申请公开的内容多数涉及{head}，其次是{tail}等事项。"


def s_closed(c: Ctx) -> str | None:
    closed = c.v("applications.closed")
    if not closed:
        return None
    parts = [
        ("按时办结", c.v("applications.on_time")),
        ("延期办结", c.v("applications.extended")),
        ("超期办结", c.v("applications.overdue")),
        ("期限待定", c.v("applications.untimed")),
        ("申请人撤回或视为放弃", c.v("applications.not_replied")),
    ]
    text = f"本年度办结{num(closed)}件，其中{_parts(parts, '件')}"
    carried = c.v("applications.carried_out")
    if carried:
        text += f"；结转下年度继续办理{num(carried)}件"
    return text + "。"


def s_replies(c: Ctx) -> str | None:
    if not c.v("applications.closed"):
        return None
    denied = _parts(
        (
            ("涉及国家秘密的", c.v("replies.denied.state_secret")),
            ("涉及商业秘密、个人隐私的", c.v("replies.denied.third_party")),
            ("危及国家安全、公共安全、经济安全和社会稳定的", c.v("replies.denied.security")),
            ("属于法律法规规定的其他情形的", c.v("replies.denied.other")),
        ),
        "件",
    )
    items = [
        ("属于已主动公开范围的", c.v("replies.already_public")),
        ("同意公开的", c.v("replies.granted")),
        ("同意部分公开的", c.v("replies.partial")),
        ("不同意公开的", c.v("replies.denied")),
        ("不属于本行政机关公开的", c.v("replies.not_responsible")),
        ("申请信息不存在的", c.v("replies.not_exist")),
        ("告知作出更改补充的", c.v("replies.amend")),
        ("告知通过其他途径办理的", c.v("replies.other_route")),
        ("其他情形", c.v("replies.other")),
    ]
    text = "，".join(
        f"{label}{num(value)}件" + (f"（其中{denied}）" if label == "不同意公开的" else "")
        for label, value in items
        if value
    )
    return f"答复情况：{text}。"


def s_websites(c: Ctx) -> str | None:
    if not c.has("websites.total"):
        return None
    parts = _parts(
        (
            ("市级门户网站", c.v("websites.city_portal")),
            ("市级部门网站", c.v("websites.city_departments")),
            ("县市区门户网站", c.v("websites.county_portals")),
        ),
        "家",
        sep="、",
    )
    return f"{c.short}政府网站{num(c.v('websites.total'))}家" + (
        f"（其中{parts}）。" if parts else "。"
    )


def s_newmedia(c: Ctx) -> str | None:
    if not c.has("newmedia.posts"):
        return None
    text = f"政务微信、微博全年发布政务资讯、服务信息{num(c.v('newmedia.posts'))}条。"
    parts = _parts(
        (
            ("重大活动、政务工作类", c.v("newmedia.activities")),
            ("新政宣传、政策解读类", c.v("newmedia.policy")),
            ("工作进展、经验交流类", c.v("newmedia.progress")),
        ),
        "条",
    )
    return text + (f"其中，{parts}。" if parts else "")


def s_english(c: Ctx) -> str | None:
    if not c.has("english.items"):
        return None
    return f"英文网站加载译文信息{num(c.v('english.items'))}条。"


def s_provincial(c: Ctx) -> str | None:
    text = ""
    if c.has("provincial.submitted"):
        text = f"全年共向省政府网站报送信息{num(c.v('provincial.submitted'))}条"
        if c.has("provincial.adopted"):
            text += f"，被省政府网站采用{num(c.v('provincial.adopted'))}条"
        text += "。"
    if c.has("corrections.closed"):
        text += f"审核办结网民纠错意见{num(c.v('corrections.closed'))}件。"
    return text or None


def s_mailbox(c: Ctx) -> str | None:
    if not c.has("mailbox.letters"):
        return None
    text = f"书记市长信箱共接收信件{num(c.v('mailbox.letters'))}件"
    if c.has("mailbox.replies"):
        text += f"，回复来信{num(c.v('mailbox.replies'))}件"
    if c.has("mailbox.reply_rate"):
        text += f"，回复率{num(c.v('mailbox.reply_rate'))}%"
    return text + "。"


def s_power(c: Ctx) -> str | None:
    if not c.has("power.items"):
        return None
    text = f"{c.short}行权事项总数为{num(c.v('power.items'))}项"
    if c.has("power.online"):
        text += f"，行权事项网上运行{num(c.v('power.online'))}项"
    if c.has("power.online_rate"):
        text += f"，网上运行率为{num(c.v('power.online_rate'))}%"
    return text + "。"


def s_claimed(c: Ctx) -> str | None:
    if not c.has("claimed.total"):
        return None
    parts = _parts(
        (
            ("行政许可", c.v("claimed.licensing")),
            ("行政处罚等9类行政权力", c.v("claimed.other_power")),
            ("公共服务", c.v("claimed.public_service")),
        ),
        "项",
    )
    return f"{c.short}共认领行政权力事项和公共服务事项{num(c.v('claimed.total'))}项" + (
        f"，其中{parts}。" if parts else "。"
    )


def s_inspection(c: Ctx) -> str | None:
    if not c.has("inspection.items"):
        return None
    return f"公布随机抽查事项清单{num(c.v('inspection.items'))}项。"


def s_published(c: Ctx) -> str | None:
    if not c.has("published.total"):
        return None
    parts = _parts(
        ((c.figures[k].label, c.v(k)) for k in PUBLISHED_PARTS if c.has(k)), "条", sep="；"
    )
    text = f"{c.year}年{c.subject}以网站为主要渠道主动公开政府信息{num(c.v('published.total'))}条"
    return text + (f"（其中：{parts}）。" if parts else "。")


def s_portal(c: Ctx) -> str | None:
    clauses = []
    if c.has("portal.visits"):
        clauses.append(f"政务网站全年访问量累计达{num(c.v('portal.visits'))}万次")
    if c.has("portal.disclosure_visits"):
        clauses.append(f"政务公开栏访问量累计达{num(c.v('portal.disclosure_visits'))}万人次")
    return "，".join(clauses) + "。" if clauses else None


def s_other_work(c: Ctx) -> str | None:
    """人大建议、政协提案、市长公开电话、政务要情、政府公报 — one paragraph, as the seed has it."""
    clauses = []
    if c.has("npc.suggestions", "cppcc.proposals"):
        text = (
            f"{c.year}年{c.short}办理人大建议{num(c.v('npc.suggestions'))}件、"
            f"政协提案{num(c.v('cppcc.proposals'))}件"
        )
        if c.has("suggestions.closed_rate"):
            text += f"，办结率为{num(c.v('suggestions.closed_rate'))}%"
        clauses.append(text)
    if c.has("hotline.calls"):
        text = f"市长公开电话受理{num(c.v('hotline.calls'))}万件"
        if c.has("hotline.closed_rate"):
            text += f"，办结率为{num(c.v('hotline.closed_rate'))}%"
        if c.has("hotline.satisfaction"):
            text += f"，满意率为{num(c.v('hotline.satisfaction'))}%"
        clauses.append(text)
    if c.has("bulletins.issues"):
        clauses.append(f"全年刊发政务要情{num(c.v('bulletins.issues'))}期")
    if c.has("gazette.issues"):
        clauses.append(f"编发政府公报{num(c.v('gazette.issues'))}期")
    return "；".join(clauses) + "。" if clauses else None


def s_fees_legacy(c: Ctx) -> str | None:
    fees = c.v("fees.collected")
    if fees is None:
        return None
    if not fees:
        return f"{c.year}年{c.short}政府信息公开无收费和减免。"
    return f"{c.year}年{c.short}依申请公开政府信息收取费用{num(fees)}元。"


def s_appeals_legacy(c: Ctx) -> str | None:
    r_total, l_total = c.v("reconsideration.total"), c.v("litigation.total")
    if r_total is None or l_total is None:
        return None
    if not r_total and not l_total:
        return f"{c.year}年{c.short}未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"
    r_labels = ("维持具体行政行为", "被依法纠错", "其他情形", "尚未审结")
    l_labels = ("维持具体行政行为和驳回原告诉讼请求", "被依法纠错", "其他情形", "尚未审结")
    text = ""
    if r_total:
        parts = _parts(
            zip(r_labels, (c.v(f"reconsideration.{p}") for p in APPEAL_PARTS), strict=True), "件"
        )
        text += f"{c.short}收到关于政府信息公开行政复议{num(r_total)}件，其中：{parts}。"
    else:
        text += f"{c.short}未收到关于政府信息公开的行政复议。"
    if l_total:
        parts = _parts(
            zip(l_labels, (c.v(f"litigation.{p}") for p in APPEAL_PARTS), strict=True), "件"
        )
        text += f"提起行政诉讼{num(l_total)}件，其中：{parts}。"
    else:
        text += "未发生因政府信息公开提起行政诉讼的情况。"
    return text


# --- Sentences of the national formats ----------------------------------------------------------


def _t3(c: Ctx, row: str, column: str = "total") -> int:
    return c.tables.t3.get(row, {}).get(column) or 0


def _t3_group(c: Ctx, prefix: str) -> int:
    return sum(
        cells.get("total") or 0 for row, cells in c.tables.t3.items() if row.startswith(prefix)
    )


def s_requests_brief(c: Ctx) -> str | None:
    if not c.tables.t3:
        return None
    return (
        f"本年{c.subject}新收政府信息公开申请{_t3(c, '一')}件，上年结转{_t3(c, '二')}件，"
        f"本年度办理完结{_t3(c, '三(七)')}件，结转下年度继续办理{_t3(c, '四')}件。"
    )


def s_requests(c: Ctx) -> str | None:
    if not c.tables.t3:
        return None
    new = _t3(c, "一")
    orgs = sum(_t3(c, "一", kind) for kind in T3_PARTS if kind != "person")
    text = (
        f"本年{c.subject}新收政府信息公开申请{new}件，其中自然人申请{_t3(c, '一', 'person')}件，"
        f"法人或其他组织申请{orgs}件；上年结转{_t3(c, '二')}件。"
    )
    done = _t3(c, "三(七)")
    if done:
        granted = _t3(c, "三(一)")
        results = [
            ("予以公开", granted),
            ("部分公开", _t3(c, "三(二)")),
            ("不予公开", _t3_group(c, "三(三)")),
            ("无法提供", _t3_group(c, "三(四)")),
            ("不予处理", _t3_group(c, "三(五)")),
            ("其他处理", _t3_group(c, "三(六)")),
        ]
        share = c.pct(granted, done)
        listed = "；".join(
            f"{label}{n}件" + (f"，占{share}%" if label == "予以公开" and share else "")
            for label, n in results
            if n
        )
        text += f"本年度办理结果{done}件：{listed}。"
    return text + f"结转下年度继续办理{_t3(c, '四')}件。"


T2_PHRASES = {
    "made": "本年制发{}件",
    "repealed": "本年废止{}件",
    "in_force": "现行有效{}件",
    "decisions": "本年处理决定{}件",
    "amount": "本年收费金额{}万元",
    "new_made": "本年新制作{}件",
    "new_published": "本年新公开{}件",
    "total_public": "对外公开总数{}件",
    "prev_items": "上一年项目{}项",
    "change": "本年增/减{}项",
    "count": "采购项目{}项",
    "procurement.amount": "采购总金额{}万元",
}


def s_table_two(c: Ctx) -> str | None:
    rows = []
    for _, row, label, columns in statistics.t2_layout(c.tables.style):
        cells = c.tables.t2.get(row, {})
        known = [
            T2_PHRASES.get(f"{row}.{col}", T2_PHRASES[col]).format(num(cells[col]))
            for col, _ in columns
            if cells.get(col) is not None
        ]
        if known:
            rows.append(label + "，".join(known))
    if not rows:
        return None
    return f"本年{c.subject}" + "；".join(rows) + "。"


def s_appeals(c: Ctx) -> str | None:
    t4 = c.tables.t4
    if not t4:
        return None
    r = t4.get("reconsideration", {})
    direct, after = t4.get("direct", {}), t4.get("after", {})
    lit = {col: (direct.get(col) or 0) + (after.get(col) or 0) for col in (*APPEAL_PARTS, "total")}
    if not r.get("total") and not lit["total"]:
        return f"本年{c.subject}未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    labels = ("结果维持", "结果纠正", "其他结果", "尚未审结")
    r_parts = _parts(zip(labels, (r.get(p) for p in APPEAL_PARTS), strict=True), "件", sep="、")
    l_parts = _parts(zip(labels, (lit[p] for p in APPEAL_PARTS), strict=True), "件", sep="、")
    text = f"本年{c.subject}因政府信息公开工作被申请行政复议{r.get('total') or 0}件"
    text += f"，其中{r_parts}；" if r_parts else "；"
    text += (
        f"被提起行政诉讼{lit['total']}件（未经复议直接起诉{direct.get('total') or 0}件、"
        f"复议后起诉{after.get('total') or 0}件）"
    )
    return text + (f"，其中{l_parts}。" if l_parts else "。")


def s_fees_2021(c: Ctx) -> str | None:
    fees = c.v("fees.collected")
    if fees is None:
        return None
    if not fees:
        return f"本年度{c.subject}未收取信息处理费。"
    return f"本年度{c.subject}收取信息处理费{num(fees)}元。"


def s_suggestions_2021(c: Ctx) -> str | None:
    if not c.has("npc.suggestions", "cppcc.proposals"):
        return None
    return (
        f"本年度办理人大代表建议{num(c.v('npc.suggestions'))}件、"
        f"政协提案{num(c.v('cppcc.proposals'))}件。"
    )


Sentence = Callable[[Ctx], str | None]

LEGACY: dict[str, tuple[Sentence, ...]] = {
    "一、概述": (
        s_english,
        s_newmedia,
        s_provincial,
        s_mailbox,
        s_websites,
        s_power,
        s_claimed,
        s_inspection,
    ),
    "二、主动公开政府信息情况": (s_published, s_portal, s_other_work),
    "三、政府信息依申请公开情况": (s_channels, s_topics, s_closed, s_replies),
    "四、政府信息公开收费及减免情况": (s_fees_legacy,),
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况": (s_appeals_legacy,),
    "六、存在的主要问题及整改措施": (),
}
NATIONAL: dict[str, tuple[Sentence, ...]] = {
    "二、主动公开政府信息情况": (s_published, s_table_two),
    "三、收到和处理政府信息公开申请情况": (s_requests, s_channels, s_topics),
    "四、政府信息公开行政复议、行政诉讼情况": (s_appeals,),
    "五、存在的主要问题及改进情况": (),
    "六、其他需要报告的事项": (s_fees_2021, s_suggestions_2021),
}
OVERVIEW_2021: dict[str, tuple[Sentence, ...]] = {
    "（一）主动公开": (s_published,),
    "（二）依申请公开": (s_requests_brief,),
    "（三）政府信息管理": (),
    "（四）政府信息公开平台建设": (s_websites, s_newmedia),
    "（五）监督保障": (),
}


def _say(c: Ctx, sentences: Iterable[Sentence]) -> list[str]:
    return [text for sentence in sentences if (text := sentence(c))]


def _written(narrative: dict[str, list[str]], key: str) -> list[str]:
    return [p.strip() for p in narrative.get(key, []) if p and p.strip()]


def _sections(c: Ctx, style: Style, narrative: dict[str, list[str]]) -> list[Section]:
    if style == Style.LEGACY:
        return [
            Section(title, _say(c, LEGACY[title]) + _written(narrative, title))
            for title in SECTIONS_LEGACY
        ]
    first = SECTIONS_2021[0]
    overview = _written(narrative, first)
    for heading in SUBHEADINGS_2021:
        overview += [heading, *_say(c, OVERVIEW_2021[heading]), *_written(narrative, heading)]
    return [Section(first, overview)] + [
        Section(title, _say(c, NATIONAL[title]) + _written(narrative, title))
        for title in SECTIONS_2021[1:]
    ]


# --- Title and preamble -------------------------------------------------------------------------


def title(org: Org, year: int, scope: Scope) -> str:
    return f"{place(org, scope)}{year}年政府信息公开工作年度报告"


def _contact(org: Org) -> str:
    office = org.office_name or org.name
    details = "，".join(
        f"{label}：{value}"
        for label, value in (
            ("地址", org.office_address),
            ("邮编", org.office_postcode),
            ("联系电话", org.office_phone),
        )
        if value
    )
    return office + (f"联系（{details}）" if details else "联系")


def preamble(org: Org, year: int, style: Style, scope: Scope) -> list[str]:
    """RPT-3 for the national formats; the seed's 依据…编制 sentence for the legacy one."""
    portal = f"{org.name}门户网站" + (f"（{org.website}）" if org.website else "")
    if style == Style.LEGACY:
        return [
            f"依据《中华人民共和国政府信息公开条例》的规定，编制{title(org, year, scope)}"
            f"（以下简称《年报》）。《年报》电子版通过{portal}等媒体全文公开，"
            f"如有疑问请与{_contact(org)}。"
        ]
    document = (
        "《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）"
        if style == Style.F2019
        else "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
    )
    return [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{document}要求编制。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"本报告电子版可在{portal}查阅。如对本报告有任何疑问，请与{_contact(org)}。"
    ]


# --- Building ------------------------------------------------------------------------------------


def compose(
    org: Org,
    year: int,
    *,
    style: Style,
    scope: Scope,
    tables: Tables,
    figures: list[Figure],
    narrative: dict[str, list[str]] | None = None,
    rounding: str | None = None,
    published_on: str = "",
) -> AnnualReport:
    """The report from its numbers and what staff wrote; no database access.

    ``figures`` may include derived ones from an earlier composition: they are recomputed.
    """
    style, scope, mode = Style(style), Scope(scope), rounding_mode(rounding)
    figures = derive(figures, mode)
    subject, short = subjects(org, scope)
    c = Ctx(year, subject, short, {f.key: f for f in figures}, mode, tables)
    return AnnualReport(
        org_name=org.name,
        year=year,
        style=style,
        scope=scope,
        title=title(org, year, scope),
        preamble=preamble(org, year, style, scope),
        sections=_sections(c, style, narrative or {}),
        tables=tables,
        figures=figures,
        issuer=org.name,
        published_on=published_on,
    )


def build_annual_report(
    org: Org,
    year: int,
    *,
    style: Style = Style.F2021,
    scope: Scope = Scope.SELF,
    rounding: str | None = None,
    narrative: dict[str, list[str]] | None = None,
) -> AnnualReport:
    """The annual report of ``org`` for ``year``, computed from the records as they are now.

    ``scope`` SELF counts the org alone, SUBTREE the org and everything below it (RPT-27).
    ``rounding`` is ``half_up`` or ``down`` (default ``settings.GONGKAI_REPORT_ROUNDING``).
    A fixed number of queries, whatever the number of records.
    """
    style, scope = Style(style), Scope(scope)
    stats = statistics.collect(statistics.scope_orgs(org, scope), year, root=org)
    return compose(
        org,
        year,
        style=style,
        scope=scope,
        tables=statistics.tables_for(stats, style),
        figures=statistics.figures_for(stats),
        narrative=narrative,
        rounding=rounding,
    )


# --- Checks of what the summaries state -----------------------------------------------------------

# (total, parts, sentence it is stated in)
SUMS: tuple[tuple[str, tuple[str, ...], Sentence], ...] = (
    (
        "applications.total",
        tuple(f"applications.channel.{key}" for key, _, _ in statistics.LEGACY_CHANNELS),
        s_channels,
    ),
    ("applications.closed", CLOSED_PARTS, s_closed),
    ("applications.closed", REPLY_PARTS, s_replies),
    ("published.total", PUBLISHED_PARTS, s_published),
    ("newmedia.posts", ("newmedia.activities", "newmedia.policy", "newmedia.progress"), s_newmedia),
    (
        "claimed.total",
        ("claimed.licensing", "claimed.other_power", "claimed.public_service"),
        s_claimed,
    ),
    (
        "websites.total",
        ("websites.city_portal", "websites.city_departments", "websites.county_portals"),
        s_websites,
    ),
    (
        "reconsideration.total",
        tuple(f"reconsideration.{p}" for p in APPEAL_PARTS),
        s_appeals_legacy,
    ),
    ("litigation.total", tuple(f"litigation.{p}" for p in APPEAL_PARTS), s_appeals_legacy),
)
# (stated rate, numerator, denominator, sentence)
RATES: tuple[tuple[str, str, str, Sentence], ...] = (
    ("power.online_rate", "power.online", "power.items", s_power),
    ("mailbox.reply_rate", "mailbox.replies", "mailbox.letters", s_mailbox),
)
REQUIRED_TEXT = {
    Style.LEGACY: ("一、概述", "六、存在的主要问题及整改措施"),
    Style.F2019: ("一、总体情况", "五、存在的主要问题及改进情况"),
    Style.F2021: ("一、总体情况", "五、存在的主要问题及改进情况"),
}


def narrative_findings(
    report: AnnualReport,
    org: Org,
    narrative: dict[str, list[str]] | None = None,
    *,
    rounding: str | None = None,
) -> list[Finding]:
    """RPT-24 sums and RPT-25 rates the summaries state, and sections still without text (RPT-11).

    A derived figure (a share, a reply rate) always agrees with its parts; what can
    disagree is a figure entered as stated elsewhere (3848 posts of 1113+768+1925, a 6.28%
    online rate) or a count staff edited. Each finding quotes the sentence that states it.
    """
    mode = rounding_mode(rounding)
    figures = {f.key: f for f in report.figures}
    c = Ctx(report.year, *subjects(org, report.scope), figures, mode, report.tables)
    found: list[Finding] = []
    for total, parts, sentence in SUMS:
        stated, values = c.v(total), [c.v(p) for p in parts]
        if stated is None or any(v is None for v in values):
            continue  # a sum is checked only against all of its stated parts
        finding = rules.check_sum(
            stated, values, quote=sentence(c) or "", where=figures[total].label
        )
        if finding:
            found.append(finding)
    for rate, numerator, denominator, sentence in RATES:
        if not c.has(rate, numerator, denominator) or not c.v(denominator):
            continue
        finding = rules.check_percentage(
            Decimal(c.v(rate)),
            c.v(numerator),
            c.v(denominator),
            mode=mode,
            quote=sentence(c) or "",
        )
        if finding:
            found.append(finding)
    for title_ in REQUIRED_TEXT[report.style] if narrative is not None else ():
        keys = [title_] + (list(SUBHEADINGS_2021) if title_ == SECTIONS_2021[0] else [])
        if not any(_written(narrative, key) for key in keys):
            found.append(
                Finding("RPT-11", "warning", f"“{title_}”尚无工作人员撰写的正文", row=title_)
            )
    return found
