"""Realistic synthetic government texts, for the tests and ``gongkai bench search``.

Built from a pool of sentences assembled from real policy vocabulary, place names and 文号,
so that whole documents are cheap to make in bulk (a document is a sample of pooled
sentences plus its own 文号/索引号): ~10 µs per document.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate

from gongkai.search.api import Document

PLACES = (
    "绵阳市", "涪城区", "游仙区", "安州区", "江油市", "三台县", "盐亭县", "梓潼县", "北川羌族自治县",
    "平武县", "成都市", "德阳市", "广元市", "南充市", "青义镇", "石马镇", "新桥镇", "永兴镇",
    "城郊乡", "科学城", "高新区", "经开区", "仙海区", "科创区", "塘汛镇", "吴家镇", "丰谷镇",
)  # fmt: skip
SUBJECTS = (
    "房屋征收", "拆迁", "征地补偿", "低保", "最低生活保障", "社会保障卡", "养老保险", "医疗保险",
    "失业保险", "住房公积金", "棚户区改造", "老旧小区改造", "农村危房改造", "土地出让", "集体土地",
    "国有土地上房屋征收", "安置补助费", "青苗补偿费", "地上附着物", "临时救助", "特困人员供养",
    "残疾人两项补贴", "义务教育", "学前教育", "食品安全", "安全生产", "环境保护", "大气污染防治",
    "河长制", "森林防火", "防汛抗旱", "乡村振兴", "高标准农田", "耕地保护", "政府采购", "财政预算",
    "财政决算", "三公经费", "行政许可", "行政处罚", "行政复议", "信息公开", "营商环境",
    "双随机一公开", "扫黑除恶", "疫情防控", "核酸检测", "电动自行车", "城市管理", "公共资源交易",
    "招标投标", "建设工程", "规划许可", "不动产登记", "户籍管理", "退役军人", "就业创业",
    "职业技能培训", "小微企业", "减税降费", "PM2.5", "5G基站", "APP", "12345热线",
)  # fmt: skip
VERBS = (
    "关于", "进一步加强", "做好", "印发", "实施", "规范", "调整", "公布", "开展", "推进",
    "落实", "完善", "健全", "深化", "加快", "组织", "部署", "整治", "核查", "发放",
)  # fmt: skip
NOUNS = (
    "工作的通知", "实施方案", "管理办法", "实施细则", "指导意见", "工作方案", "专项行动",
    "考核办法", "补偿标准", "资金使用情况", "申报工作", "公示", "公告", "通告", "批复", "决定",
)  # fmt: skip
FILLERS = (
    "各县（市、区）人民政府，市级各部门：",
    "现将有关事项通知如下。",
    "请结合实际，认真贯彻执行。",
    "按照上级部署要求，",
    "为切实保障人民群众合法权益，",
    "根据《中华人民共和国政府信息公开条例》，",
    "经市政府同意，",
    "本办法自发布之日起施行，有效期五年。",
    "对拒不整改的，依法依规严肃处理。",
    "联系电话：0816-2222222。",
    "各地要加强组织领导，明确责任分工，",
    "确保各项措施落到实处。",
    "资金由市、县两级财政按比例承担，",
    "补偿款应当在签订协议后十五日内支付到位，",
    "申请人应当提交身份证明、户口簿等材料，",
    "逾期未申报的，视为自动放弃。",
)  # fmt: skip
AREAS = (
    "农村", "城镇", "困难群众", "中小企业", "中小学校", "医疗机构", "社区", "乡镇", "重点行业",
    "养老机构", "建筑工地", "道路交通",
)  # fmt: skip
ISSUES = (
    "安全检查", "补助资金", "专项整治", "信访事项", "统计调查", "环境整治", "垃圾分类", "消防安全",
    "用地审批", "项目申报", "绩效评价", "人才引进", "培训计划", "数据共享", "应急演练",
)  # fmt: skip
# Every subject, most frequent first; documents pick their topic with Zipf weights 1/rank.
TOPICS = SUBJECTS + tuple(a + i for i in ISSUES for a in AREAS)
PREFIXES = ("绵府发", "绵府办发", "绵府函", "涪府发", "游府办", "江府发", "绵人社发", "绵财预")
CATEGORIES = ("policy", "plan", "finance", "land", "social", "notice", "enforcement", "personnel")
VALIDITY = ("", "", "", "valid", "valid", "invalid", "repealed")


def _sentence(rng: random.Random, subject: str | None) -> str:
    if subject is None:
        if rng.random() < 0.2:
            return f"联系电话：0816-{rng.randint(2000000, 8999999)}。"
        return rng.choice(FILLERS)
    place, kind = rng.choice(PLACES), rng.random()
    if kind < 0.45:
        return (
            f"{place}{rng.choice(VERBS)}{subject}{rng.choice(('工作', '管理', '补偿', '政策'))}，"
        )
    if kind < 0.75:
        n = rng.randint(1, 9999)
        return f"共涉及{subject}{n}户，发放资金{rng.randint(1, 999)}.{rng.randint(0, 99):02d}万元。"
    other = rng.choice(TOPICS)
    return f"{rng.choice(VERBS)}{place}{subject}和{other}的有关情况。"


def number(rng: random.Random, year: int) -> str:
    return f"{rng.choice(PREFIXES)}〔{year}〕{rng.randint(1, 200)}号"


class Corpus:
    """Documents ``make(i)`` of ~``chars`` characters, deterministic for a seed.

    A document has a topic (Zipf over ``TOPICS``): its title and about a third of its
    sentences are about it; the other sentences come from a shared pool (general phrases,
    phone numbers, and now and then another topic).
    """

    def __init__(self, seed: int = 42, *, chars: int = 500, orgs=None):
        self.rng = rng = random.Random(seed)
        self.cum = list(accumulate(1 / rank for rank in range(1, len(TOPICS) + 1)))
        self.topical = [[_sentence(rng, t) for _ in range(12)] for t in TOPICS]
        self.pool = [
            _sentence(rng, rng.choice(TOPICS) if rng.random() < 0.15 else None) for _ in range(4000)
        ]
        mean = sum(map(len, self.pool + self.topical[0])) / (len(self.pool) + 12)
        self.sentences = max(3, round(chars / mean))
        # (org_id, org_path): a small tree, /1/ the city, /1/k/ its departments and counties
        self.orgs = orgs or [(1, "/1/")] + [(k, f"/1/{k}/") for k in range(2, 21)]
        self.start = date(2015, 1, 1)

    def make(self, i: int) -> Document:
        rng = self.rng
        published = self.start + timedelta(days=rng.randrange(4000))
        org_id, org_path = rng.choice(self.orgs)
        topic = rng.choices(range(len(TOPICS)), cum_weights=self.cum)[0]
        title = f"{rng.choice(PLACES)}{rng.choice(VERBS)}{TOPICS[topic]}{rng.choice(NOUNS)}"
        own = self.sentences // 3
        sentences = rng.choices(self.topical[topic], k=own)
        sentences += rng.choices(self.pool, k=self.sentences - own)
        rng.shuffle(sentences)
        return Document(
            id=i,
            org_id=org_id,
            org_path=org_path,
            category=rng.choice(CATEGORIES),
            year=published.year,
            validity=rng.choice(VALIDITY),
            published=published,
            title=title,
            body="".join(sentences),
            number=number(rng, published.year) if rng.random() < 0.6 else "",
            index_no=f"{org_id:09d}/{published.year}-{i % 100000:05d}",
        )

    def documents(self, n: int, start: int = 1) -> Iterator[Document]:
        for i in range(start, start + n):
            yield self.make(i)
