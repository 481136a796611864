"""The seed reproduced: records whose 2017 report is the seed's (issue 4 §7).

``build_mianyang_2017()`` gives the demo city (``orgs.demo.build_demo_city``) a year of
facts made only through the services — ``applications.services.submit``/``act``, the
appeal services and ``external.set_figure`` — so the legacy report of 绵阳市人民政府's
subtree for 2017 states the seed's figures: 456 applications (272 当面, 122 网络在线 by
e-mail, 59 信函, 3 传真; shares 59.6/26.8/12.9/0.7 rounded half up), land and demolition
most asked about, then law enforcement, then employment and social security; no fees;
51 reconsiderations (26/2/23) and 25 lawsuits (22/3). Figures of systems Gongkai does not
run yet (327,899 published items, 8,858 letters, 72 websites …) are entered as external
figures with their source notes — including the seed's own slips (3,848 posts stated
against parts adding to 3,806; a 6.28% online rate for 3,709/57,816), which the report's
findings then name (RPT-26).

The people are invented (valid check digits, ``@mianyang2017.demo.invalid`` addresses);
that domain also marks the data, so running the builder again adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from gongkai.applications import appeals, services
from gongkai.applications.enums import (
    Action,
    AppealKind,
    AppealOutcome,
    ApplicantKind,
    Channel,
    Decision,
    Delivery,
    FormWanted,
    IdType,
)
from gongkai.applications.models import Application
from gongkai.lib.identity import resident_id_check
from gongkai.orgs.demo import CITY, build_demo_city, demo_staff
from gongkai.orgs.enums import Kind
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import by_name
from gongkai.orgs.rules import credit_code_with_check, org_code_with_check
from gongkai.reports import external
from gongkai.reports.tables import Scope, Style
from gongkai.workdays.rules import WorkCalendar, add_workdays
from gongkai.workdays.services import load_calendar, load_from_package

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2017
DOMAIN = "mianyang2017.demo.invalid"
SEED_NOTE = "（演示数据，数值取自《绵阳市2017年政府信息公开工作年度报告》）"

# Seed §三. The online system was not open yet in 2017, so 网络在线 is e-mail (REQ-4).
CHANNELS = (
    (Channel.IN_PERSON, 272),
    (Channel.EMAIL, 122),
    (Channel.POST_SIGNED, 35),
    (Channel.POST_PLAIN, 24),
    (Channel.FAX, 3),
)

# topic code → (applications, [(org, weight)], descriptions whose keywords pick that topic).
# Seed §三: 土地征用和房屋拆迁、行政执法 most, then 劳动就业和社会保障.
TOPICS: dict[str, tuple[int, tuple[tuple[str, int], ...], tuple[str, ...]]] = {
    "land_expropriation": (
        130,
        (
            ("绵阳市国土资源局", 5),
            ("涪城区人民政府", 2),
            ("游仙区人民政府", 2),
            ("安州区人民政府", 1),
            ("江油市人民政府", 2),
            ("三台县人民政府", 1),
            ("盐亭县人民政府", 1),
            ("梓潼县人民政府", 1),
            ("涪城区吴家镇人民政府", 1),
            ("游仙区魏城镇人民政府", 1),
        ),
        (
            "请公开{town}{village}2016年征地补偿安置方案及批准文件",
            "请公开{town}{village}集体土地征收的用地批复文件",
            "申请公开本人承包地被征收的土地补偿费、安置补助费发放明细",
            "请公开{town}{village}被征地农民养老保障资金的缴存情况",
        ),
    ),
    "housing_demolition": (
        95,
        (
            ("绵阳市住房和城乡建设局", 4),
            ("涪城区住房和城乡建设局", 2),
            ("江油市住房和城乡建设局", 2),
            ("涪城区人民政府", 2),
            ("游仙区人民政府", 1),
            ("北川羌族自治县人民政府", 1),
        ),
        (
            "请公开{street}片区房屋征收决定及征收补偿方案",
            "请公开{project}项目拆迁补偿协议签订情况及安置房分配方案",
            "申请公开对本人位于{street}的房屋作出拆除决定的依据",
            "请公开{street}棚户区改造项目的拆迁安置方案",
        ),
    ),
    "law_enforcement": (
        85,
        (
            ("绵阳市公安局", 3),
            ("绵阳市城市管理行政执法局", 3),
            ("涪城区公安局", 2),
            ("江油市公安局", 1),
            ("三台县公安局", 1),
            ("绵阳市工商行政管理局", 1),
            ("绵阳市国土资源局", 1),
        ),
        (
            "请公开对本人作出的行政处罚决定书及立案、调查材料",
            "请公开2016年{street}无证经营查处情况及罚款依据",
            "申请公开本人所涉交通违法的执法记录及处理结果",
            "请公开对{firm}作出的行政处罚决定及罚款缴纳情况",
        ),
    ),
    "employment": (
        45,
        (
            ("绵阳市人力资源和社会保障局", 4),
            ("涪城区人力资源和社会保障局", 1),
            ("江油市人力资源和社会保障局", 1),
            ("三台县人力资源和社会保障局", 1),
        ),
        (
            "请公开2016年事业单位公开招聘考试成绩及拟聘用人员名单",
            "申请公开本人工伤认定决定书及调查笔录",
            "请公开{firm}拖欠农民工工资投诉的处理结果",
            "申请公开本人劳动仲裁案件的受理及送达记录",
        ),
    ),
    "social_security": (
        40,
        (
            ("绵阳市人力资源和社会保障局", 3),
            ("绵阳市民政局", 2),
            ("游仙区民政局", 1),
            ("安州区民政局", 1),
            ("平武县民政局", 1),
        ),
        (
            "请公开本人养老保险缴费年限及视同缴费年限的认定依据",
            "请公开{town}2016年最低生活保障对象名单及审批程序",
            "申请公开本人社会保险关系转移接续的办理记录",
            "请公开本人退休待遇核定的依据及计算过程",
        ),
    ),
    "planning_construction": (
        20,
        (("绵阳市城乡规划局", 3), ("绵阳市住房和城乡建设局", 1)),
        (
            "请公开{project}的建设工程规划许可证及总平面图",
            "请公开{street}地块控制性详细规划及容积率调整的批准文件",
        ),
    ),
    "public_funds": (
        15,
        (("绵阳市财政局", 2), ("绵阳市发展和改革委员会", 1), ("盐亭县财政局", 1)),
        (
            "请公开本市2016年财政预算执行情况及三公经费决算",
            "请公开2016年{town}农村道路建设专项资金的拨付明细",
        ),
    ),
    "education_health": (
        12,
        (("绵阳市教育局", 2), ("绵阳市卫生和计划生育委员会", 1), ("涪城区教育局", 1)),
        (
            "请公开2017年城区义务教育学校招生划片范围",
            "请公开市中心医院2016年卫生监督检查结果",
        ),
    ),
    "environment": (
        8,
        (("绵阳市环境保护局", 1),),
        (
            "请公开{firm}建设项目环境影响评价报告及批复",
            "请公开2016年对{firm}排污问题的监测数据",
        ),
    ),
    "": (  # nothing the topic list knows: left unclassified
        6,
        (("绵阳市人民政府办公室", 1), ("绵阳市交通运输局", 1)),
        ("请公开{street}路灯维修的办理情况", "请公开{town}客运班线调整的情况说明"),
    ),
}

APPLICANT_KINDS = (
    (ApplicantKind.PERSON, 85),
    (ApplicantKind.COMMERCIAL, 8),
    (ApplicantKind.LEGAL_SERVICE, 4),
    (ApplicantKind.RESEARCH, 1),
    (ApplicantKind.PUBLIC_INTEREST, 1),
    (ApplicantKind.OTHER_ORG, 1),
)
ORG_NAMES = {
    ApplicantKind.COMMERCIAL: ("91", "绵阳{firm}建材有限公司"),
    ApplicantKind.LEGAL_SERVICE: ("31", "四川{firm}律师事务所"),
    ApplicantKind.RESEARCH: ("12", "绵阳某城乡规划研究院"),
    ApplicantKind.PUBLIC_INTEREST: ("52", "绵阳市{firm}环保公益服务中心"),
    ApplicantKind.OTHER_ORG: ("93", "三台县{firm}种植专业合作社"),
}

# Replies under the 2007 regulations, in realistic proportions (REQ-26).
DECISIONS = (
    (Decision.GRANT, 40),
    (Decision.ALREADY_PUBLIC, 14),
    (Decision.PARTIAL, 8),
    (Decision.NOT_HELD, 12),
    (Decision.NOT_RESPONSIBLE, 9),
    (Decision.DENY_THIRD_PARTY, 3),
    (Decision.DENY_PROCESS_INFO, 3),
    (Decision.DENY_INTERNAL_AFFAIRS, 1),
    (Decision.DENY_SECURITY_STABILITY, 1),
    (Decision.SPECIAL_ACCESS_ROUTE, 3),
    (Decision.PETITION_NOT_APPLICATION, 4),
    (Decision.NEEDS_CREATION, 2),
)
DISPUTED = frozenset(d for d, _ in DECISIONS) - {Decision.GRANT, Decision.ALREADY_PUBLIC}
REGULATIONS = "《中华人民共和国政府信息公开条例》"
BASIS = {
    Decision.DENY_THIRD_PARTY: f"{REGULATIONS}第十四条第四款、第二十三条",
    Decision.DENY_SECURITY_STABILITY: f"{REGULATIONS}第八条",
    Decision.DENY_PROCESS_INFO: "《国务院办公厅关于做好政府信息依申请公开工作的意见》（国办发〔2010〕5号）第二条",
    Decision.DENY_INTERNAL_AFFAIRS: "《国务院办公厅关于做好政府信息依申请公开工作的意见》（国办发〔2010〕5号）第二条",
    Decision.SPECIAL_ACCESS_ROUTE: f"{REGULATIONS}第二十一条",
}
SCENARIOS = (("reply", 88), ("extension", 4), ("correction", 4), ("abandoned", 1), ("withdrawn", 3))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢唐许冯宋邓袁曾彭蒋蔡"
GIVEN = "建国华明丽芳军伟强敏静秀英志勇玉兰桂琴德福成海平春燕红霞晓东文杰永刚"
DIVISIONS = ("510703", "510704", "510705", "510781", "510722", "510723", "510725", "510726")
TOWNS = ("吴家镇", "丰谷镇", "青义镇", "魏城镇", "新桥镇", "忠兴镇", "花荄镇", "秀水镇")
VILLAGES = ("红星村", "新民村", "光明村", "胜利村", "和平村", "先锋村", "团结村", "金星村")
STREETS = ("临园路", "剑南路", "涪城路", "御营街", "长虹大道", "火炬西街", "安昌路", "富乐路")
PROJECTS = ("科技城新区青龙大道延伸线", "园艺山片区道路改造", "涪江右岸防洪堤", "火车站片区改造")
FIRMS = ("泰和", "安达", "嘉禾", "恒昌", "明远", "鼎盛", "宏图", "永信")

# (key, value, source) — the seed's figures of systems Gongkai does not run yet.
FIGURES: tuple[tuple[str, object, str], ...] = (
    ("published.total", 327899, "全市各级各部门网站主动公开信息统计"),
    ("published.overview", 6850, "全市各级各部门网站主动公开信息统计"),
    ("published.plans", 3942, "全市各级各部门网站主动公开信息统计"),
    ("published.normative", 2315, "全市各级各部门网站主动公开信息统计"),
    ("published.news", 107363, "全市各级各部门网站主动公开信息统计"),
    ("published.personnel", 3865, "全市各级各部门网站主动公开信息统计"),
    ("published.finance", 5904, "全市各级各部门网站主动公开信息统计"),
    ("published.enforcement", 25754, "全市各级各部门网站主动公开信息统计"),
    ("published.other", 171906, "全市各级各部门网站主动公开信息统计"),
    ("portal.visits", 740, "绵阳政务网访问统计（“740余万次”）"),
    ("portal.disclosure_visits", 120, "绵阳政务网政务公开栏访问统计（“120万余人次”）"),
    ("english.items", 343, "市政府英文网站发布统计"),
    ("newmedia.posts", 3848, "《绵阳政事》微信、微博发布统计（总数如原文所述）"),
    ("newmedia.activities", 1113, "《绵阳政事》微信、微博发布统计"),
    ("newmedia.policy", 768, "《绵阳政事》微信、微博发布统计"),
    ("newmedia.progress", 1925, "《绵阳政事》微信、微博发布统计"),
    ("provincial.submitted", 1050, "全国网站信息报送系统"),
    ("provincial.adopted", 200, "全国网站信息报送系统（“被采用200余条”）"),
    ("corrections.closed", 50, "全国网站信息报送系统转网民纠错意见"),
    ("mailbox.letters", 8858, "书记市长信箱系统年度统计"),
    ("mailbox.replies", 8545, "书记市长信箱系统年度统计"),
    ("websites.total", 72, "全市政府网站清理整合名录"),
    ("websites.city_portal", 1, "全市政府网站清理整合名录"),
    ("websites.city_departments", 62, "全市政府网站清理整合名录"),
    ("websites.county_portals", 9, "全市政府网站清理整合名录"),
    ("inspection.items", 222, "市级有关部门随机抽查事项清单"),
    ("npc.suggestions", 352, "市政府督查室建议提案办理台账"),
    ("npc.closed", 352, "市政府督查室建议提案办理台账"),
    ("cppcc.proposals", 713, "市政府督查室建议提案办理台账"),
    ("cppcc.closed", 713, "市政府督查室建议提案办理台账"),
    ("hotline.calls", "20.37", "市长公开电话受理系统"),
    ("hotline.closed_rate", 100, "市长公开电话受理系统"),
    ("hotline.satisfaction", 95, "市长公开电话回访统计（“95%以上”）"),
    ("power.items", 57816, "四川省行政权力依法规范公开运行平台（行权平台）"),
    ("power.online", 3709, "四川省行政权力依法规范公开运行平台（行权平台）"),
    ("power.online_rate", "6.28", "四川省行政权力依法规范公开运行平台（比率如原文所述）"),
    ("claimed.total", 68542, "全省一体化政务服务平台事项认领统计"),
    ("claimed.licensing", 7276, "全省一体化政务服务平台事项认领统计"),
    ("claimed.other_power", 54745, "全省一体化政务服务平台事项认领统计"),
    ("claimed.public_service", 6521, "全省一体化政务服务平台事项认领统计"),
    ("bulletins.issues", 142, "市政府办公室《政务要情》编发记录"),
    ("gazette.issues", 24, "《绵阳市人民政府公报》编发记录"),
)

# What staff wrote, from the seed: the parts with no figure a query could produce.
NARRATIVE = {
    "一、概述": [
        "2017年，全市政府信息公开工作坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党的十九大精神，"
        "按照党中央国务院和省委省政府关于全面推进政务公开工作的部署要求，紧紧围绕助力深化改革、经济发展、"
        "民生改善和政府建设的主题主线，进一步建立健全政府信息公开制度、不断拓宽信息公开范围、加大重点领域信息公开、"
        "强化政策解读回应和载体建设，全市政府信息公开工作取得新突破。",
    ],
    "二、主动公开政府信息情况": [
        "各级各部门主要以门户网站、政务微信、微博、新闻发布会、新闻媒体、政府公报、政务服务大厅、"
        "公共查阅点（档案室、图书馆）以及政务公开专栏、电子显示屏、触摸屏、宣传资料等形式及时公开相关政府信息。",
    ],
    "六、存在的主要问题及整改措施": [
        "2017年，我市政府信息公开工作虽然取得较好成效，但与人民群众的期盼相比，与建设法治政府的要求相比，"
        "仍存在一定差距，主要表现在：政府信息“五公开”工作机制需进一步健全、政府信息主动公开目录有待进一步完善、"
        "公开载体建设有待进一步优化、个别重点领域信息公开有待进一步深入、政策解读回应工作力度有待进一步加大等。",
        "一是进一步健全和完善信息公开工作制度，指导各级各部门完善工作机制，明晰工作职责和监督体制。",
        "二是依法依规做好政府信息主动公开和依申请公开工作，促使全市政府信息公开工作步入规范化、法制化的轨道。",
        "三是进一步加强信息公开平台载体建设，完善政府网站、政务微信微博信息公开发布的工作机制。",
        "四是切实加强全市信息公开工作队伍建设，开展业务培训和交流，整体提升全市信息公开工作能力和水平。",
    ],
}


@dataclass(frozen=True)
class Built:
    created: bool
    applications: int = 0
    reconsiderations: int = 0
    lawsuits: int = 0
    figures: int = 0
    report_id: int | None = None


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def _applicant(rng: random.Random, n: int) -> dict:
    kind = _pick(rng, APPLICANT_KINDS)
    data = {
        "applicant_kind": kind,
        "phone": f"138000{rng.randrange(100000):05d}",
        "email": f"applicant{n:04d}@{DOMAIN}",
        "address": f"绵阳市涪城区{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
        "postcode": "621000",
        "form_wanted": FormWanted.PAPER,
        "delivery": Delivery.POST,
        "document_number": "",
    }
    if kind == ApplicantKind.PERSON:
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        body = f"{rng.choice(DIVISIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        return data | {
            "applicant_name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
            "id_type": IdType.RESIDENT_ID,
            "id_number": body + resident_id_check(body),
        }
    prefix, name = ORG_NAMES[kind]
    code = org_code_with_check("".join(rng.choice("0123456789") for _ in range(8)))
    return data | {
        "applicant_name": name.format(firm=rng.choice(FIRMS)),
        "credit_code": credit_code_with_check(prefix + rng.choice(DIVISIONS) + code),
    }


def _description(rng: random.Random, template: str) -> str:
    return template.format(
        town=rng.choice(TOWNS),
        village=rng.choice(VILLAGES),
        street=rng.choice(STREETS),
        project=rng.choice(PROJECTS),
        firm=f"绵阳{rng.choice(FIRMS)}公司",
    )


def _decision_params(decision: Decision) -> dict:
    """What a 2007-regime decision needs to pass ``rules.decision_errors``."""
    params: dict = {"decision": decision}
    if decision in BASIS:
        params |= {"basis": BASIS[decision], "reason": "经审查，所申请信息属于依法不予公开的情形。"}
    if decision in (Decision.DENY_PROCESS_INFO, Decision.DENY_INTERNAL_AFFAIRS):
        params["checked_no_duty"] = True
    if decision == Decision.PARTIAL:
        params["withheld"] = [
            {
                "what": "他人姓名、身份证号码及联系方式",
                "ground": Decision.DENY_THIRD_PARTY,
                "basis": f"{REGULATIONS}第十四条第四款",
            }
        ]
    if decision == Decision.NOT_RESPONSIBLE:
        params["reason"] = (
            "该信息不属于本机关公开职责，请向绵阳市人民政府办公室咨询，电话0816-2530560。"
        )
    return params


class _Year:
    """One year of applications, each step dated and taken through ``services.act``."""

    def __init__(self, rng: random.Random, cal: WorkCalendar, office: User, orgs: dict[str, Org]):
        self.rng, self.cal, self.office, self.orgs = rng, cal, office, orgs
        self.counties = [o for o in orgs.values() if o.parent_id == orgs[CITY].pk]
        self.replied: list[Application] = []
        self.workdays = [
            date(YEAR, 1, 1) + timedelta(days=i)
            for i in range(365)
            if cal.is_workday(date(YEAR, 1, 1) + timedelta(days=i))
        ]

    def wd(self, day: date, n: int) -> date:
        return add_workdays(day, n, self.cal)

    def act(self, app: Application, day: date, action: Action, **params) -> Application:
        return services.act(app, action, by=self.office, today=day, **params)

    def submit(self, n: int, channel: Channel, topic: str) -> Application:
        rng = self.rng
        _, orgs, descriptions = TOPICS[topic]
        org = self.orgs[_pick(rng, orgs)]
        last = date(YEAR, 12, 22) if channel in (Channel.POST_PLAIN, Channel.FAX) else None
        days = [d for d in self.workdays if last is None or d <= last]
        day = rng.choice(days)
        arrived = datetime.combine(day, time(rng.randrange(9, 17), rng.randrange(60)), SHANGHAI)
        data = _applicant(rng, n) | {"description": _description(rng, rng.choice(descriptions))}
        app = services.submit(
            data, org=org, channel=channel, arrived_at=arrived, by=self.office
        ).application
        if app.received_on is None:  # post without signature, fax: confirmed the same day (REQ-6)
            app = self.act(app, day, Action.CONFIRM, at=arrived + timedelta(minutes=30), via="电话")
        return app

    def reply(self, app: Application, after: date, *, within: tuple[int, int] = (2, 13)) -> None:
        decision = _pick(self.rng, DECISIONS)
        if decision == Decision.ALREADY_PUBLIC and app.channel == Channel.IN_PERSON:
            decided = app.received_on  # 当场答复
        else:
            decided = self.wd(after, self.rng.randrange(*within))
        app = self.act(app, decided, Action.DECIDE, **_decision_params(decision))
        delivered = decided + timedelta(days=self.rng.choice((0, 0, 1, 2)))
        app = self.act(app, delivered, Action.DELIVER, delivered_on=delivered, via="邮寄")
        self.replied.append(app)

    def run(self, app: Application, scenario: str) -> None:
        received = app.received_on
        if scenario == "reply":
            self.reply(app, received)
        elif scenario == "extension":
            asked = self.wd(received, 12)
            app = self.act(
                app,
                asked,
                Action.EXTEND,
                days=15,
                reason="所申请信息涉及多个年度的档案，需要调阅、核对",
                approved_by="公开办负责人",
                approved_on=asked,
                notified_via="电话并书面告知",
            )
            self.reply(app, received, within=(17, 26))
        elif scenario in ("correction", "abandoned"):
            notice = self.wd(received, 3)
            respond_by = notice + timedelta(days=15)
            app = self.act(
                app,
                notice,
                Action.REQUEST_CORRECTION,
                items="请写明所申请信息的名称、文号或者所涉地块、村组等特征性描述",
                respond_by=respond_by,
            )
            if scenario == "abandoned":
                self.act(app, respond_by + timedelta(days=2), Action.ABANDON_NO_CORRECTION)
                return
            got = notice + timedelta(days=self.rng.randrange(3, 12))
            app = self.act(app, got, Action.RECEIVE_CORRECTION, received_on=got)
            self.reply(app, got)
        else:
            self.act(app, self.wd(received, 2), Action.WITHDRAW, reason="申请人书面撤回申请")


def _plans(rng: random.Random) -> list[tuple[Channel, str]]:
    channels = [c for c, n in CHANNELS for _ in range(n)]
    topics = [t for t, (n, _, _) in TOPICS.items() for _ in range(n)]
    if len(channels) != len(topics):
        raise ValueError("演示数据的渠道数与事项数不一致")
    rng.shuffle(channels)
    rng.shuffle(topics)
    return list(zip(channels, topics, strict=True))


def _late_fax(year: _Year, n: int) -> None:
    """A fax that arrived on the last working day and was confirmed in 2018 (REQ-28: not 2017's)."""
    arrived = datetime(YEAR, 12, 29, 16, 30, tzinfo=SHANGHAI)
    data = _applicant(year.rng, n) | {"description": "请公开游仙区魏城镇2017年征地补偿安置方案"}
    app = services.submit(
        data,
        org=year.orgs["游仙区人民政府"],
        channel=Channel.FAX,
        arrived_at=arrived,
        by=year.office,
    ).application
    confirmed = date(YEAR + 1, 1, 2)
    year.act(
        app,
        confirmed,
        Action.CONFIRM,
        at=datetime.combine(confirmed, time(9, 30), SHANGHAI),
        via="电话",
    )


# Outcomes of table 四 in the seed's words: 26/2/23 and 22/3 (RPT-23, LIT-2).
RECONSIDERATIONS = (
    *[(AppealOutcome.MAINTAINED, "维持")] * 26,
    (AppealOutcome.CORRECTED, "撤销"),
    (AppealOutcome.CORRECTED, "责令履行/重新答复"),
    *[
        (AppealOutcome.OTHER, detail)
        for detail in ["驳回复议申请"] * 12 + ["撤回"] * 8 + ["终止"] * 3
    ],
)
LAWSUITS = (
    *[(AppealOutcome.MAINTAINED, "驳回诉讼请求")] * 22,
    (AppealOutcome.CORRECTED, "撤销"),
    (AppealOutcome.CORRECTED, "确认违法"),
    (AppealOutcome.CORRECTED, "责令履行/重新答复"),
)
AFTER_RECONSIDERATION = 10  # of the 25 lawsuits, filed after a reconsideration upheld the reply
LAST_DAY = date(YEAR, 12, 28)


def _body(org: Org, counties: list[Org]) -> str:
    county = next((c for c in counties if org.is_within(c) and org.pk != c.pk), None)
    return county.name if county else CITY


def _appeals(year: _Year) -> tuple[int, int]:
    """51 reconsiderations and 25 lawsuits, filed and decided in 2017, about disputed replies."""
    rng = year.rng
    disputed = [
        app
        for app in year.replied
        if app.outcome in DISPUTED and app.replied_on <= date(YEAR, 8, 31)
    ]
    rng.shuffle(disputed)
    direct = len(LAWSUITS) - AFTER_RECONSIDERATION
    if len(disputed) < len(RECONSIDERATIONS) + direct:
        raise ValueError(f"有争议的答复只有{len(disputed)}件，不够登记复议和诉讼")
    upheld = []
    for n, (app, (outcome, detail)) in enumerate(
        zip(disputed, RECONSIDERATIONS, strict=False), start=1
    ):
        filed = app.replied_on + timedelta(days=rng.randrange(10, 45))
        appeal = appeals.register_appeal(
            kind=AppealKind.RECONSIDERATION,
            org=app.org,
            body=_body(app.org, year.counties),
            filed_on=filed,
            application=app,
            case_number=f"绵府复〔{YEAR}〕{n}号",
            by=year.office,
        )
        closed = min(filed + timedelta(days=rng.randrange(30, 60)), LAST_DAY)
        appeals.close_appeal(
            appeal, outcome=outcome, closed_on=closed, detail=detail, by=year.office
        )
        if outcome == AppealOutcome.MAINTAINED:
            upheld.append((app, closed))
    upheld.sort(key=lambda pair: pair[1])
    suits = [(app, closed) for app, closed in upheld[:AFTER_RECONSIDERATION]]
    suits += [(app, None) for app in disputed[len(RECONSIDERATIONS) :][:direct]]
    for n, ((app, after), (outcome, detail)) in enumerate(zip(suits, LAWSUITS, strict=True), 1):
        filed = min((after or app.replied_on) + timedelta(days=rng.randrange(5, 30)), LAST_DAY)
        appeal = appeals.register_appeal(
            kind=AppealKind.LITIGATION,
            org=app.org,
            body="绵阳市涪城区人民法院",
            filed_on=filed,
            application=app,
            case_number=f"（{YEAR}）川0703行初{n}号",
            after_reconsideration=after is not None,
            by=year.office,
        )
        closed = min(filed + timedelta(days=rng.randrange(40, 90)), LAST_DAY)
        appeals.close_appeal(
            appeal, outcome=outcome, closed_on=closed, detail=detail, by=year.office
        )
    return len(RECONSIDERATIONS), len(suits)


def already_built() -> bool:
    return Application.objects.filter(email__endswith=f"@{DOMAIN}").exists()


def build_mianyang_2017(*, seed: int = 2017, report: bool = True) -> Built:
    """Build the seed's city and its 2017 facts; with ``report``, a draft of its legacy report.

    Returns ``Built(created=False)``, changing nothing, when the data is already there.
    Loads the 2017 and 2018 working-day calendars if they are missing.
    """
    if already_built():
        return Built(created=False)
    load_from_package(years=[YEAR, YEAR + 1])
    city = build_demo_city()
    staff = {u.username: u for u in demo_staff(password=settings.GONGKAI_DEMO_PASSWORD)}
    office = staff["office"]
    names = {org for _, orgs, _ in TOPICS.values() for org, _ in orgs} | {CITY}
    orgs = by_name(sorted(names))
    orgs |= {o.name: o for o in Org.objects.filter(parent=city, kind=Kind.GOVERNMENT)}
    missing = names - set(orgs)
    if missing:
        raise ValueError(f"演示城市缺少机关：{'、'.join(sorted(missing))}")
    rng = random.Random(seed)
    year = _Year(rng, load_calendar(), office, orgs)
    with transaction.atomic():
        plans = _plans(rng)
        apps = [year.submit(n, channel, topic) for n, (channel, topic) in enumerate(plans, 1)]
        for app in sorted(apps, key=lambda a: (a.received_on, a.pk)):
            year.run(app, _pick(rng, SCENARIOS))
        _late_fax(year, len(plans) + 1)
        reconsiderations, lawsuits = _appeals(year)
        for key, value, source in FIGURES:
            external.set_figure(city, YEAR, key, value, source=source + SEED_NOTE, by=office)
        report_id = _draft(city, office) if report else None
    return Built(True, len(plans), reconsiderations, lawsuits, len(FIGURES), report_id)


def _draft(city: Org, office: User) -> int | None:
    from gongkai.reports import services as report_services
    from gongkai.reports.models import Report

    if Report.objects.filter(org=city, year=YEAR, style=Style.LEGACY, scope=Scope.SUBTREE).exists():
        return None  # someone already started it: leave their report alone
    draft = report_services.create_draft(
        city, YEAR, style=Style.LEGACY, scope=Scope.SUBTREE, by=office
    )
    for section, paragraphs in NARRATIVE.items():
        draft = report_services.set_narrative(draft, section, paragraphs, by=office)
    return draft.pk


PROFILES = {"mianyang-2017": build_mianyang_2017}


def run_profile(name: str, stdout) -> None:
    """``gongkai demo --profile NAME``: build a profile's data and say what was made."""
    if name not in PROFILES:
        raise CommandError(f"未知的演示配置“{name}”，可用：{'、'.join(PROFILES)}")
    built = PROFILES[name]()
    if not built.created:
        stdout.write(f"演示配置 {name} 的数据已存在，未重复生成。")
        return
    stdout.write(
        f"演示配置 {name}：{built.applications}件依申请公开申请、{built.reconsiderations}件行政复议、"
        f"{built.lawsuits}件行政诉讼、{built.figures}项外部数据，及2017年度报告草稿。"
    )
    stdout.write(
        "生成报告：gongkai report build --org 绵阳市人民政府 --year 2017 --style legacy "
        "--scope subtree --format json"
    )
