"""Narrative claims, on the seed's own sentences (RPT-24, RPT-25, RPT-26, T-RPT-2, T-RPT-3)."""

from decimal import Decimal

import pytest

from gongkai.reports.checker.claims import clean, narrative_claims, quantities
from gongkai.reports.tables import Finding

CHANNELS = (
    "全市各级各部门共受理依申请政府信息公开456件(其中:当面申请272件,占59.6% ;"
    "网络在线填报申请122件,占26.8% ;信函邮寄申请59件,占12.9% ;传真申请3件,占0.7%) 。"
)
CATEGORIES = (
    "2017年全市各级各部门以网站为主要渠道主动公开政府信息327899条(其中:概况信息6850条;"
    "计划总结信息3942条;规范性文件信息2315条;工作动态信息107363条;公选公招、人事任免、 "
    "公务员考录等人事信息3865条;财政信息5904条;行政执法信息25754条;其他信息171906条)。"
)
RECONSIDERATION = (
    "全市收到关于政府信息公开行政复议51件,其中:维持具体行政行为26件,被依法纠错2件,其他情形23件。"
)
LITIGATION = "提起行政诉讼25件,其中:维持具体行政行为和驳回原告诉讼请求22件,被依法纠错3件。"
WEBSITES = (
    "进一步清理保留全市政府网站72家(其中市级户网站1家、市级部门网站共62家,县市区门户网站9家),"
    "县市区部门和乡镇网站已按要求全部下线。"
)
ITEMS = (
    "全市共认领行政权力事项和公共服务事项68542项,其中行政许可7276项,"
    "行政处罚等9类行政权力54745项,公共服务6521项。市县平均认领6854项。"
)
WECHAT = (
    "《绵阳政事》 微信、微博全年发布政务资讯、服务信息3848条。其中,全市重大活动、政务工作类1113条,"
    "新政宣传、政策解读类768条,政府职能部门、各县市区、园区工作进展、经验交流类1925条。"
)
PLATFORM = (
    "全市行权事项总数为57816项,行权事项网上运行3709项,网上运行率为6.28%,设置监察点位96万个,"
    "处置预警报警487次,行权平台共办件149万件,办结149万件,按时办结率99.99%。"
)
MAILBOX = (
    "书记市长信箱共接收信件8858件,回复来信8545件,回复率96.4% ,未回复的信件主要需要进一步核实查证。"
)
NOT_CLAIMS = (
    # 其中 with one part is a subset, not a sum; 21 has no unit.
    "保留行政事业性收费32项,比2016年减少25项,其中涉企行政事业性收费目录清单项目18项,比2016年减少21。",
    # 办结率 is not about 政协提案713件; 20.37万件 is rounded; 以上 is not a figure.
    "2017年全市办理人大建议352件、政协提案713件,办结率为100% ,市长公开电话受理20.37万件,"
    "办结率为100% ,满意率达95%以_上;",
    "投资项目审批项目1584个、核准项目26个、备案项目2322个,报建项目47个,验收项目3858个,"
    "投资项目在线审批核准备案率达到100%。",
    "接待群众来访200余人次,深入群众走访30余次,提供相关资料300余份。",
    # a growth rate is against last year's figure, not this year's total
    "全年收到申请120件,比上年增加20件,增长率为20%。",
    # 其中 after an enumeration may be about all of it.
    "办理人大代表建议32件、政协提案45件,其中主办28件、协办49件。",
)


def _sum(stated, parts, quote):
    expected = sum(parts)
    return Finding(
        "RPT-24",
        "error",
        f"分项和不等于总数：{'+'.join(map(str, parts))}={expected}，文中总数为{stated}",
        stated=str(stated),
        expected=str(expected),
        quote=quote,
    )


def _rate(stated, numerator, denominator, expected, quote):
    return Finding(
        "RPT-25",
        "error",
        f"比率与分子分母不符：{numerator}/{denominator}={expected}%，文中为{stated}%",
        stated=f"{stated}%",
        expected=f"{expected}%",
        quote=quote,
    )


@pytest.mark.parametrize(
    "paragraph",
    (CHANNELS, CATEGORIES, RECONSIDERATION, LITIGATION, WEBSITES, ITEMS, *NOT_CLAIMS),
)
def test_narrative_claims_pass_the_seeds_consistent_sentences(paragraph):
    assert narrative_claims([paragraph]) == []


@pytest.mark.parametrize(
    ("paragraph", "old", "new", "stated", "parts"),
    (
        (CHANNELS, "456件", "457件", 457, [272, 122, 59, 3]),
        (
            CATEGORIES,
            "327899条",
            "327898条",
            327898,
            [6850, 3942, 2315, 107363, 3865, 5904, 25754, 171906],
        ),
        (RECONSIDERATION, "51件", "50件", 50, [26, 2, 23]),
        (LITIGATION, "25件", "26件", 26, [22, 3]),
        (WEBSITES, "72家", "73家", 73, [1, 62, 9]),
        (ITEMS, "68542项", "68541项", 68541, [7276, 54745, 6521]),
    ),
)
def test_narrative_claims_check_each_sum_of_the_seed(paragraph, old, new, stated, parts):
    text = clean(paragraph.replace(old, new))
    sentence = text[: text.index("。") + 1]

    findings = [f for f in narrative_claims([text]) if f.rule == "RPT-24"]

    assert findings == [_sum(stated, parts, sentence)]


def test_narrative_claims_find_the_seeds_inconsistent_sum():
    quote = clean(WECHAT)

    assert narrative_claims([WECHAT]) == [_sum(3848, [1113, 768, 1925], quote)]


@pytest.mark.parametrize(
    ("mode", "expected"),
    (
        ("half_up", [_rate("6.28", 3709, 57816, "6.42", clean(PLATFORM))]),
        ("down", [_rate("6.28", 3709, 57816, "6.41", clean(PLATFORM))]),
    ),
)
def test_narrative_claims_find_the_seeds_wrong_rate(mode, expected):
    assert narrative_claims([PLATFORM], mode=mode) == expected


@pytest.mark.parametrize(
    ("mode", "expected"),
    (
        ("half_up", [_rate("96.4", 8545, 8858, "96.5", clean(MAILBOX))]),
        ("down", []),  # the seed truncated its reply rate
    ),
)
def test_narrative_claims_check_the_reply_rate_by_rounding_mode(mode, expected):
    assert narrative_claims([MAILBOX], mode=mode) == expected


def test_narrative_claims_check_shares_by_rounding_mode():
    """T-RPT-2: 122/456 and 3/456 are 26.7 and 0.6 when truncated."""
    quote = clean(CHANNELS)

    assert narrative_claims([CHANNELS], mode="down") == [
        _rate("26.8", 122, 456, "26.7", quote),
        _rate("0.7", 3, 456, "0.6", quote),
    ]


@pytest.mark.parametrize(
    ("text", "values"),
    (
        ("收到5,216条", [(5216, "条", True)]),
        ("受理２０．３７万件", [(Decimal("20.37"), "万件", False)]),
        ("来访200余人次", [(200, "人次", False)]),
        ("约300份", [(300, "份", False)]),
        ("收费12.5万元", [(Decimal("12.5"), "万元", True)]),
        ("比2016年减少25项", [(25, "项", True)]),
    ),
)
def test_quantities_tell_exact_figures_from_approximate_ones(text, values):
    found = quantities(clean(text))

    assert [(q.value, q.unit, q.exact) for q in found] == values
