"""A year of demo applications for the demo city, made only through ``services`` (STYLE 13).

Everything goes through ``ApplicationForm`` → ``services.submit`` → ``services.act`` and the
appeal services, so the demo passes the same checks as real data and the audit chain holds.
Randomness is ``random.Random(seed)``; nothing is dated after ``today``.

The people are invented: resident ID numbers carry a valid GB 11643 check digit, phone
numbers are 138000xxxxx, e-mail addresses end in ``@demo.invalid`` (a name that can never
receive mail, RFC 2606). That domain is also the marker: a year that already has
applications from it is left alone, so running the builder twice adds nothing.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.applications import appeals, rules, services
from gongkai.applications.enums import (
    Action,
    AppealKind,
    AppealOutcome,
    ApplicantKind,
    Channel,
    ConsultationKind,
    Decision,
    Delivery,
    FeeMethod,
    FormWanted,
    IdType,
    Stage,
)
from gongkai.applications.forms import ApplicationForm, errors_of
from gongkai.applications.models import Application
from gongkai.lib.identity import resident_id_check
from gongkai.orgs.demo import CITY, STAFF, build_demo_city, demo_staff
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import by_name
from gongkai.orgs.rules import CREDIT_CHARSET, credit_code_with_check, org_code_with_check
from gongkai.workdays.rules import CalendarYearMissing, WorkCalendar, add_workdays
from gongkai.workdays.services import load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_DOMAIN = "demo.invalid"

# Seed §三: 当面 272, 网络在线 122, 信函 59, 传真 3 of 456 (REQ-4: e-mail counts as 网络).
CHANNELS = (
    (Channel.IN_PERSON, 272),
    (Channel.ONLINE, 90),
    (Channel.EMAIL, 32),
    (Channel.POST_SIGNED, 36),
    (Channel.POST_PLAIN, 23),
    (Channel.FAX, 3),
)

APPLICANT_KINDS = (
    (ApplicantKind.PERSON, 82),
    (ApplicantKind.COMMERCIAL, 8),
    (ApplicantKind.LEGAL_SERVICE, 5),
    (ApplicantKind.RESEARCH, 2),
    (ApplicantKind.PUBLIC_INTEREST, 2),
    (ApplicantKind.OTHER_ORG, 1),
)

# 绵阳市's 县级 divisions (GB/T 2260), for birthplaces in ID numbers and company codes.
DIVISIONS = ("510703", "510704", "510705", "510781", "510722", "510723", "510725", "510726")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢唐许冯宋邓袁曾彭蒋蔡苏"
GIVEN = "建国华明丽芳军伟强敏静秀英志勇玉兰桂琴德福成海平春燕红霞晓东文杰永刚"
STREETS = ("临园路", "剑南路", "涪城路", "御营街", "长虹大道", "火炬西街", "绵兴东路", "安昌路")
TOWNS = ("吴家镇", "丰谷镇", "青义镇", "魏城镇", "新桥镇", "忠兴镇", "花荄镇", "秀水镇")
VILLAGES = ("红星村", "新民村", "光明村", "胜利村", "和平村", "先锋村", "团结村", "金星村")
PROJECTS = (
    "科技城新区青龙大道延伸线",
    "园艺山片区道路改造",
    "涪江右岸防洪堤",
    "高新区产业园二期",
    "城北污水处理厂扩建",
    "火车站片区棚户区改造",
)
FIRMS = ("泰和", "安达", "嘉禾", "恒昌", "明远", "鼎盛", "宏图", "永信")
SCHOOLS = ("市第一实验小学", "涪城区某中学", "游仙区某小学")

# topic code → (weight, [(org, weight)], descriptions). Seed §三: 土地征用和房屋拆迁、行政执法
# most, then 劳动就业和社会保障.
TOPICS: dict[str, tuple[int, tuple[tuple[str, int], ...], tuple[str, ...]]] = {
    "land_expropriation": (
        30,
        (("绵阳市国土资源局", 7), ("涪城区人民政府", 2), ("游仙区人民政府", 1)),
        (
            "请公开{town}{village}{last}年征地补偿安置方案及批准文件",
            "请公开{town}{village}集体土地征收的用地批复文件（农用地转用和土地征收审批单）",
            "请公开{project}项目征收土地公告及征地补偿标准",
            "申请公开本人承包地被征收的土地补偿费、安置补助费发放明细",
            "请公开{town}{village}被征地农民社会保障费用的缴存情况",
        ),
    ),
    "housing_demolition": (
        20,
        (("绵阳市住房和城乡建设局", 5), ("涪城区人民政府", 3), ("游仙区人民政府", 2)),
        (
            "请公开{street}片区房屋征收决定及征收补偿方案",
            "请公开{project}项目房屋征收补偿协议签订情况及安置房分配方案",
            "申请公开对本人位于{street}的房屋作出拆除决定的依据",
            "请公开{project}项目房屋征收社会稳定风险评估报告",
        ),
    ),
    "law_enforcement": (
        18,
        (("绵阳市公安局", 4), ("绵阳市城市管理行政执法局", 3), ("绵阳市国土资源局", 3)),
        (
            "请公开对本人作出的行政处罚决定书及立案、调查材料",
            "请公开{last}年对{street}违法建筑的查处情况及强制拆除决定",
            "申请公开{last}年{month}月本人所涉交通事故的执法记录及处理结果",
            "请公开对{firm}作出的行政处罚决定及罚款缴纳情况",
        ),
    ),
    "employment": (
        6,
        (("绵阳市人力资源和社会保障局", 1),),
        (
            "请公开{last}年事业单位公开招聘考试成绩及拟聘用人员的确定依据",
            "申请公开本人工伤认定决定书及调查笔录",
            "请公开{firm}拖欠农民工工资投诉的处理结果",
        ),
    ),
    "social_security": (
        8,
        (("绵阳市人力资源和社会保障局", 3), ("绵阳市民政局", 2)),
        (
            "请公开本人养老保险缴费年限及视同缴费年限的认定依据",
            "请公开{town}{last}年最低生活保障对象名单及审批程序",
            "申请公开本人社会保险关系转移接续的办理记录",
        ),
    ),
    "planning_construction": (
        7,
        (("绵阳市城乡规划局", 7), ("绵阳市住房和城乡建设局", 3)),
        (
            "请公开{project}的建设工程规划许可证及总平面图",
            "请公开{street}地块控制性详细规划及容积率调整的批准文件",
            "申请公开{project}的竣工验收备案材料",
        ),
    ),
    "public_funds": (
        5,
        (("绵阳市财政局", 3), ("绵阳市发展和改革委员会", 2)),
        (
            "请公开本市{last}年财政预算执行情况及部门三公经费决算",
            "请公开{last}年{town}农村道路建设专项资金的拨付和使用明细",
            "申请公开{project}项目的政府采购合同及中标结果",
        ),
    ),
    "environment": (
        3,
        (("绵阳市环境保护局", 1),),
        (
            "请公开{firm}建设项目环境影响评价报告及批复",
            "请公开{last}年对{firm}排污问题的监测数据及处理情况",
        ),
    ),
    "education_health": (
        6,
        (("绵阳市教育局", 8), ("涪城区教育局", 2)),
        (
            "请公开{year}年城区义务教育学校招生划片范围及入学条件",
            "请公开{last}年义务教育阶段学校学生资助的发放标准及审核程序",
            "请公开{school}校舍安全改造工程的教育专项经费使用情况",
        ),
    ),
}

HANDLERS = {"绵阳市国土资源局": "guotu", "绵阳市教育局": "jiaoyu"}
FUCHENG = "涪城区人民政府"

# REQ-17 decisions staff choose (the others come from abandon/withdraw actions or 补正).
DECIDABLE = tuple(d for d in Decision if d not in rules.BY_ACTION and d != Decision.STILL_UNCLEAR)
DECISION_WEIGHTS = {
    Decision.GRANT: 30,
    Decision.ALREADY_PUBLIC: 12,
    Decision.PARTIAL: 8,
    Decision.NOT_HELD: 14,
    Decision.NOT_RESPONSIBLE: 6,
    Decision.NEEDS_CREATION: 4,
    Decision.SPECIAL_ACCESS_ROUTE: 3,
    Decision.DENY_THIRD_PARTY: 3,
    Decision.DENY_PROCESS_INFO: 3,
    Decision.DENY_INTERNAL_AFFAIRS: 2,
    Decision.DENY_ENFORCEMENT_FILE: 2,
    Decision.PETITION_NOT_APPLICATION: 4,
    Decision.REPEATED: 3,
}
ARTICLES = {
    Decision.DENY_STATE_SECRET: "第十四条",
    Decision.DENY_LAW_PROHIBITS: "第十四条",
    Decision.DENY_SECURITY_STABILITY: "第十四条",
    Decision.DENY_THIRD_PARTY: "第十五条",
    Decision.DENY_INTERNAL_AFFAIRS: "第十六条第一款",
    Decision.DENY_PROCESS_INFO: "第十六条第二款",
    Decision.DENY_ENFORCEMENT_FILE: "第十六条第二款",
    Decision.SPECIAL_ACCESS_ROUTE: "第三十六条第（七）项",
}
TEXTS = {
    Decision.GRANT: "经审查，所申请信息属于公开范围，现提供相关文件复印件。",
    Decision.ALREADY_PUBLIC: "所申请信息已在本机关门户网站“政府信息公开”栏目主动公开，可自行查阅。",
    Decision.PARTIAL: "提供所申请文件，其中涉及个人身份证号码、联系方式的内容已作区分处理。",
    Decision.NOT_HELD: "经检索，本机关未制作或获取所申请信息，该信息不存在。",
    Decision.NEEDS_CREATION: "所申请信息需要对现有信息进行加工、分析，本机关不予提供。",
    Decision.PETITION_NOT_APPLICATION: "所提事项属于信访诉求，不作为政府信息公开申请处理，可向信访部门反映。",
    Decision.REPEATED: "本机关已就相同信息作出答复，不予重复处理。",
    Decision.PUBLICATION_REQUEST: "所申请为公开出版物，可通过新华书店、图书馆等途径获取。",
    Decision.EXCESSIVE_UNREASONABLE: "申请数量明显超过合理范围且未说明合理理由，不予处理。",
    Decision.CONFIRM_OR_REISSUE: "申请人要求确认已获取信息的真实性，不属于政府信息公开申请处理范围。",
}


class _Stop(Exception):
    """The next step would fall after ``today`` (or past the calendar): leave it open here."""


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def _resident_id(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 53))
    body = f"{rng.choice(DIVISIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + resident_id_check(body)


def _credit_code(rng: random.Random, prefix: str) -> str:
    body = "".join(rng.choice(CREDIT_CHARSET[:10]) for _ in range(8))
    return credit_code_with_check(prefix + rng.choice(DIVISIONS) + org_code_with_check(body))


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


ORG_APPLICANTS = {
    ApplicantKind.COMMERCIAL: ("91", "绵阳{firm}建材有限公司", "绵阳{firm}房地产开发有限公司"),
    ApplicantKind.LEGAL_SERVICE: (
        "31",
        "四川{firm}律师事务所",
    ),
    ApplicantKind.RESEARCH: (
        "12",
        "绵阳某城乡规划研究院",
    ),
    ApplicantKind.PUBLIC_INTEREST: (
        "52",
        "绵阳市{firm}环保公益服务中心",
    ),
    ApplicantKind.OTHER_ORG: (
        "93",
        "三台县{firm}种植专业合作社",
    ),
}


def _applicant(rng: random.Random, n: int) -> dict:
    kind = _pick(rng, APPLICANT_KINDS)
    data = {
        "applicant_kind": kind,
        "phone": f"138000{rng.randrange(100000):05d}",
        "email": f"applicant{n:04d}@{DEMO_DOMAIN}",
        "address": f"绵阳市涪城区{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
        "postcode": "621000",
    }
    if kind == ApplicantKind.PERSON:
        data |= {
            "applicant_name": _person_name(rng),
            "id_type": IdType.RESIDENT_ID,
            "id_number": _resident_id(rng),
        }
        if rng.random() < 0.04:
            data |= {"agent_name": _person_name(rng), "agent_id_number": _resident_id(rng)}
    else:
        prefix, *names = ORG_APPLICANTS[kind]
        data |= {
            "applicant_name": rng.choice(names).format(firm=rng.choice(FIRMS)),
            "credit_code": _credit_code(rng, prefix),
        }
    return data


def _template(rng: random.Random, topic: str, applicant: dict) -> str:
    """A request about ``topic``; only people ask about 本人 (themselves)."""
    templates = TOPICS[topic][2]
    if applicant["applicant_kind"] != ApplicantKind.PERSON:
        templates = [t for t in templates if "本人" not in t] or templates
    return rng.choice(templates)


def _description(rng: random.Random, template: str, year: int) -> str:
    return template.format(
        year=year,
        last=year - 1,
        month=rng.randrange(1, 13),
        town=rng.choice(TOWNS),
        village=rng.choice(VILLAGES),
        street=rng.choice(STREETS),
        project=rng.choice(PROJECTS),
        firm=f"绵阳{rng.choice(FIRMS)}公司",
        school=rng.choice(SCHOOLS),
    )


def decision_params(decision: Decision, rng: random.Random) -> dict:
    """What a decision of this kind needs to pass ``rules.decision_errors`` (REQ-17/18/19)."""
    params: dict = {"decision": decision, "text": TEXTS.get(decision, "")}
    if decision in ARTICLES:
        params["basis"] = f"《中华人民共和国政府信息公开条例》{ARTICLES[decision]}"
        params["reason"] = "经审查，所申请信息属于该条规定的情形，依法不予公开。"
    if decision in rules.ARTICLE_16:
        params["checked_no_duty"] = True
    if decision == Decision.PARTIAL:
        params["withheld"] = [
            {
                "what": "被征收人身份证号码及联系方式",
                "ground": Decision.DENY_THIRD_PARTY,
                "basis": "《中华人民共和国政府信息公开条例》第十五条",
            }
        ]
    if decision == Decision.NOT_RESPONSIBLE:
        params["reason"] = "该信息由绵阳市人民政府办公室负责公开，联系电话0816-2530560。"
    return params


@dataclass
class _World:
    rng: random.Random
    year: int
    today: date
    cap: datetime  # no moment after this: the end of ``today`` or now, whichever is earlier
    cal: WorkCalendar
    staff: dict[str, User]
    orgs: dict[str, Org]
    fucheng: Org
    decisions: list[Decision] = field(default_factory=list)
    replied: list[Application] = field(default_factory=list)

    def wd(self, day: date, n: int) -> date:
        try:
            return add_workdays(day, n, self.cal)
        except CalendarYearMissing:
            raise _Stop from None

    def soon(self, day: date, n: int) -> date:
        """n working days later, but never after today (for the cases meant to stay open)."""
        try:
            return min(self.wd(day, n), self.today)
        except _Stop:
            return self.today

    def is_workday(self, day: date) -> bool:
        try:
            return self.cal.is_workday(day)
        except CalendarYearMissing:
            return day.weekday() < 5

    def moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        return min(datetime.combine(day, time(hour, minute), SHANGHAI), self.cap)

    def admin_for(self, org: Org) -> User:
        return self.staff["fucheng" if org.is_within(self.fucheng) else "office"]

    def next_decision(self) -> Decision:
        if self.decisions:
            return self.decisions.pop()
        return _pick(self.rng, DECISION_WEIGHTS.items())


class _Case:
    """One application on its way: each step is dated and refused (``_Stop``) after today."""

    def __init__(self, world: _World, app: Application, handler: User | None):
        self.w, self.app, self.handler = world, app, handler
        self.clerk = handler or world.admin_for(app.org)

    def act(self, day: date, action: Action, *, by: User | None = None, **params) -> None:
        if day > self.w.today:
            raise _Stop
        try:
            self.app = services.act(self.app, action, by=by or self.clerk, today=day, **params)
        except services.ActionInvalid as invalid:
            if set(invalid.errors) == {"date"}:  # CAL-3: next year's calendar is not loaded
                raise _Stop from None
            raise

    @property
    def received(self) -> date:
        return self.app.received_on

    def confirm(self, *, late: bool = False) -> None:
        """REQ-5: confirmed with the applicant the same working day, or the next one."""
        arrived_at = self.app.arrived_at
        arrived = services.local_date(arrived_at)
        if late or not self.w.is_workday(arrived) or timezone.localtime(arrived_at).hour >= 17:
            day = self.w.wd(arrived, 1)
            at = self.w.moment(day, 9, 30)
        else:
            day = arrived
            at = min(arrived_at + timedelta(hours=1), self.w.moment(day, 23, 59))
        via = self.w.rng.choice(("电话", "短信", "电子邮件"))
        self.act(day, Action.CONFIRM, at=max(at, arrived_at), via=via)

    def assign(self) -> None:
        if self.handler:
            self.act(
                self.received,
                Action.ASSIGN,
                by=self.w.admin_for(self.app.org),
                handler=self.handler,
            )

    def decide(self, day: date, decision: Decision) -> None:
        self.act(day, Action.DECIDE, **decision_params(decision, self.w.rng))

    def deliver(self, day: date) -> None:
        self.act(
            day,
            Action.DELIVER,
            delivered_on=day,
            via=self.w.rng.choice(("邮寄", "电子邮件", "当面领取")),
        )
        self.w.replied.append(self.app)
        if self.w.rng.random() < 0.2:
            self.act(day + timedelta(days=self.w.rng.randrange(5, 25)), Action.ARCHIVE)

    def reply(self, after: date, decision: Decision, *, within: tuple[int, int] = (1, 18)) -> None:
        decided = self.w.wd(after, self.w.rng.randrange(*within))
        self.decide(decided, decision)
        self.deliver(decided + timedelta(days=self.w.rng.choice((0, 0, 1, 2))))

    # --- scenarios: each runs until it is done or its next step would be after today ---

    def plain(self) -> None:
        decision = self.w.next_decision()
        if decision == Decision.ALREADY_PUBLIC and self.app.channel == Channel.IN_PERSON:
            self.decide(self.received, decision)  # 当场答复
            self.deliver(self.received)
        else:
            self.reply(self.received, decision)

    def correction(self, *, answered: bool = True) -> None:
        notice = self.w.wd(self.received, self.w.rng.choice((2, 3, 5, 6, 9)))
        respond_by = notice + timedelta(days=15)
        self.act(
            notice,
            Action.REQUEST_CORRECTION,
            items="请写明所申请信息的名称、文号或者所涉地块、村组等特征性描述",
            respond_by=respond_by,
        )
        if not answered:
            self.act(
                respond_by + timedelta(days=self.w.rng.randrange(1, 4)),
                Action.ABANDON_NO_CORRECTION,
                reason="申请人逾期未补正",
            )
            return
        got = notice + timedelta(days=self.w.rng.randrange(2, 14))
        self.act(got, Action.RECEIVE_CORRECTION, received_on=got)
        decision = Decision.STILL_UNCLEAR if self.w.rng.random() < 0.3 else self.w.next_decision()
        self.reply(got, decision, within=(3, 15))

    def consultation(self) -> None:
        sent = self.w.wd(self.received, self.w.rng.randrange(2, 6))
        self.act(
            sent,
            Action.START_CONSULTATION,
            kind=ConsultationKind.THIRD_PARTY,
            party=f"绵阳{self.w.rng.choice(FIRMS)}房地产开发有限公司",
            sent_on=sent,
        )
        agrees = self.w.rng.random() < 0.4
        answered = self.w.wd(sent, self.w.rng.randrange(4, 12))
        self.act(
            answered,
            Action.END_CONSULTATION,
            consultation=self.app.consultations.get(),
            answered_on=answered,
            opinion="同意公开" if agrees else "不同意公开，涉及本公司商业秘密",
        )
        decision = (
            Decision.GRANT
            if agrees
            else self.w.rng.choice((Decision.DENY_THIRD_PARTY, Decision.PARTIAL))
        )
        self.reply(answered, decision, within=(1, 6))

    def extension(self) -> None:
        asked = self.w.wd(self.received, self.w.rng.randrange(14, 19))
        admin = self.w.admin_for(self.app.org)
        self.act(
            asked,
            Action.EXTEND,
            by=admin,
            days=self.w.rng.choice((10, 15, 20)),
            reason="所申请信息涉及多个年度的档案，需要调阅、核对，无法在法定期限内答复",
            approved_by="公开办负责人",
            approved_on=asked,
            notified_via="电话并书面告知",
        )
        self.reply(self.received, self.w.next_decision(), within=(22, 30))

    def late_reply(self) -> None:
        self.reply(self.received, self.w.next_decision(), within=(22, 26))

    def withdrawal(self) -> None:
        self.act(
            self.w.wd(self.received, self.w.rng.randrange(1, 8)),
            Action.WITHDRAW,
            reason="申请人书面撤回申请",
        )

    def fee(self, *, pays: bool = True) -> None:
        notice = self.w.wd(self.received, self.w.rng.randrange(3, 8))
        self.act(
            notice,
            Action.FEE_NOTICE,
            by=self.w.admin_for(self.app.org),
            method=FeeMethod.BY_PAGES,
            pages=self.w.rng.randrange(40, 160),
            approved_by="公开办负责人",
            delivered_on=notice,
        )
        if not pays:
            self.act(
                self.w.wd(self.app.fee.pay_by, 1),
                Action.ABANDON_NO_PAYMENT,
                reason="申请人逾期未缴纳信息处理费",
            )
            return
        paid = self.w.wd(notice, self.w.rng.randrange(2, 10))
        self.act(paid, Action.RECORD_PAYMENT, paid_on=paid)
        self.reply(paid, Decision.GRANT, within=(2, 6))

    def stuck(self) -> None:
        """Received, assigned, and left: overdue by today (the cases a digest is for)."""

    # --- cases made to stay open at today: each step clamped to today ---

    def open_correction(self) -> None:
        notice = self.w.soon(self.received, 2)
        self.act(
            notice,
            Action.REQUEST_CORRECTION,
            items="请写明所申请信息所涉的具体地块或项目名称",
            respond_by=notice + timedelta(days=15),
        )

    def open_consultation(self) -> None:
        sent = self.w.soon(self.received, 2)
        self.act(
            sent,
            Action.START_CONSULTATION,
            kind=ConsultationKind.THIRD_PARTY,
            party="绵阳嘉禾建材有限公司",
            sent_on=sent,
        )

    def open_fee(self) -> None:
        notice = self.w.soon(self.received, 2)
        self.act(
            notice,
            Action.FEE_NOTICE,
            by=self.w.admin_for(self.app.org),
            method=FeeMethod.BY_PAGES,
            pages=120,
            approved_by="公开办负责人",
            delivered_on=notice,
        )

    def open_decided(self) -> None:
        self.decide(self.w.soon(self.received, 3), Decision.GRANT)

    def open_received(self) -> None:
        pass


SCENARIOS: tuple[tuple[str, int], ...] = (
    ("plain", 80),
    ("correction", 5),
    ("correction_abandoned", 3),
    ("consultation", 4),
    ("withdrawal", 3),
    ("late_reply", 1),
)
FEE_SCENARIOS = (("fee", 2), ("fee_abandoned", 1))


def _run(case: _Case, scenario: str) -> None:
    steps: dict[str, Callable[[], None]] = {
        "plain": case.plain,
        "correction": case.correction,
        "correction_abandoned": lambda: case.correction(answered=False),
        "consultation": case.consultation,
        "withdrawal": case.withdrawal,
        "late_reply": case.late_reply,
        "extension": case.extension,
        "fee": case.fee,
        "fee_abandoned": lambda: case.fee(pays=False),
        "stuck": case.stuck,
        "open_correction": case.open_correction,
        "open_consultation": case.open_consultation,
        "open_fee": case.open_fee,
        "open_decided": case.open_decided,
        "open_received": case.open_received,
        "unconfirmed": case.open_received,
    }
    steps[scenario]()


@dataclass(frozen=True)
class _Plan:
    arrived: date
    scenario: str
    channel: Channel | None = None  # None: drawn in the seed's proportions
    org: str | None = None


def _forced(world: _World) -> list[_Plan]:
    """A few cases pinned to the end of the period so every stage shows up at ``today``."""
    t, start = world.today, date(world.year, 1, 1)

    def back(days: int) -> date:
        return max(start, t - timedelta(days=days))

    fee_ok = rules.fee_regime(back(6)) == "fee109"
    plans = [
        _Plan(back(0), "unconfirmed", Channel.ONLINE, "绵阳市国土资源局"),
        _Plan(back(1), "open_received", Channel.IN_PERSON, "绵阳市教育局"),
        _Plan(back(5), "open_correction", Channel.IN_PERSON, "绵阳市国土资源局"),
        _Plan(back(6), "open_consultation", Channel.IN_PERSON, "绵阳市住房和城乡建设局"),
        _Plan(back(8), "open_decided", Channel.IN_PERSON, "绵阳市国土资源局"),
        _Plan(back(50), "stuck", Channel.IN_PERSON, "绵阳市国土资源局"),
        _Plan(back(45), "stuck", Channel.POST_SIGNED, "绵阳市国土资源局"),
        _Plan(back(40), "stuck", Channel.IN_PERSON, "绵阳市教育局"),
        _Plan(back(90), "extension", Channel.IN_PERSON, "绵阳市国土资源局"),
        _Plan(back(150), "extension", Channel.IN_PERSON, "涪城区人民政府"),
    ]
    if fee_ok:
        plans.append(_Plan(back(6), "open_fee", Channel.IN_PERSON, "绵阳市国土资源局"))
    return plans


def _plans(world: _World, count: int) -> list[_Plan]:
    forced = _forced(world)[:count]
    start = date(world.year, 1, 1)
    span = (world.today - start).days + 1
    plans = []
    for _ in range(count - len(forced)):
        day = start + timedelta(days=world.rng.randrange(span))
        fee_ok = rules.fee_regime(day) == "fee109"
        scenario = _pick(world.rng, SCENARIOS + (FEE_SCENARIOS if fee_ok else ()))
        plans.append(_Plan(day, scenario))
    return sorted(plans + forced, key=lambda plan: plan.arrived)


def _arrival(world: _World, plan: _Plan, channel: Channel) -> datetime:
    day, rng = plan.arrived, world.rng
    staffed = channel in {Channel.IN_PERSON, Channel.POST_SIGNED, Channel.FAX}
    if staffed and not world.is_workday(day):
        for back in range(1, 8):  # the working day before, if it is in the year
            earlier = day - timedelta(days=back)
            if earlier.year == world.year and world.is_workday(earlier):
                day = earlier
                break
    hour = rng.randrange(9, 17) if staffed else rng.randrange(7, 23)
    return world.moment(day, hour, rng.randrange(60))


def _submit(world: _World, plan: _Plan, n: int, applicants: list[dict]) -> _Case:
    rng = world.rng
    channel = plan.channel or _pick(rng, CHANNELS)
    if plan.org:
        org_name = plan.org
        topic = next(
            (code for code, (_, orgs, _) in TOPICS.items() if any(o == org_name for o, _ in orgs)),
            "land_expropriation",
        )
    else:
        topic = _pick(rng, ((code, weight) for code, (weight, _, _) in TOPICS.items()))
        org_name = _pick(rng, TOPICS[topic][1])
    org = world.orgs[org_name]
    if applicants and rng.random() < 0.15:
        applicant = rng.choice(applicants)  # some people apply more than once
    else:
        applicant = _applicant(rng, n)
        applicants.append(applicant)
    wanted = _pick(
        rng, ((FormWanted.PAPER, 5), (FormWanted.ELECTRONIC, 4), (FormWanted.ON_SITE, 1))
    )
    delivery = {
        FormWanted.PAPER: rng.choice((Delivery.POST, Delivery.PICKUP)),
        FormWanted.ELECTRONIC: Delivery.EMAIL,
        FormWanted.ON_SITE: Delivery.PICKUP,
    }[wanted]
    fields = {
        **applicant,
        "org": org.pk,
        "description": _description(rng, _template(rng, topic, applicant), world.year),
        "form_wanted": wanted,
        "delivery": delivery,
    }
    form = ApplicationForm(data=fields)
    if not form.is_valid():  # a demo that fails the form is a bug in this module
        raise ValueError(f"演示申请未通过表单校验：{errors_of(form)}")
    handler = world.staff.get(HANDLERS.get(org_name, ""))
    clerk = None if channel == Channel.ONLINE else handler or world.admin_for(org)
    submitted = services.submit(
        form.cleaned_data,
        org=org,
        channel=channel,
        arrived_at=_arrival(world, plan, channel),
        by=clerk,
        oral=channel == Channel.IN_PERSON and rng.random() < 0.05,
    )
    return _Case(world, submitted.application, handler)


def _already_built(year: int) -> bool:
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    return Application.objects.filter(
        email__endswith=f"@{DEMO_DOMAIN}",
        arrived_at__gte=start,
        arrived_at__lt=start.replace(year=year + 1),
    ).exists()


def _staff() -> dict[str, User]:
    names = [username for username, *_ in STAFF]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names):
        users = {u.username: u for u in demo_staff(password=settings.GONGKAI_DEMO_PASSWORD)}
    return users


def _appeals(world: _World) -> None:
    """A handful of reconsiderations and lawsuits about replies that withheld something."""
    rng, office = world.rng, world.staff["office"]
    disputed = [
        app
        for app in world.replied
        if app.outcome in rules.WITHHOLDING | {Decision.NOT_HELD, Decision.PARTIAL}
        and app.replied_on + timedelta(days=20) <= world.today
    ][:8]
    details = ["维持", "维持", "撤销", "驳回复议申请", "维持", "", "终止", ""]
    upheld: list[tuple[Application, date]] = []
    for n, (app, detail) in enumerate(zip(disputed[:6], details, strict=False), start=1):
        filed = app.replied_on + timedelta(days=rng.randrange(15, 50))
        if filed > world.today:
            continue
        appeal = appeals.register_appeal(
            kind=AppealKind.RECONSIDERATION,
            org=app.org,
            body=FUCHENG if app.org.is_within(world.fucheng) else CITY,
            filed_on=filed,
            application=app,
            case_number=f"绵府复〔{world.year}〕{n}号",
            by=office,
        )
        closed = filed + timedelta(days=rng.randrange(30, 60))
        if detail and closed <= world.today:
            appeals.close_appeal(
                appeal,
                outcome=appeals.classify_detail(detail),
                closed_on=closed,
                detail=detail,
                by=office,
            )
            if detail == "维持":
                upheld.append((app, closed))
    # Two lawsuits straight after the reply, one after a reconsideration that upheld it.
    lawsuits: list[tuple[Application, date | None]] = [(app, None) for app in disputed[6:8]]
    lawsuits += upheld[:1]
    for n, (app, reconsidered) in enumerate(lawsuits, start=1):
        filed = (reconsidered or app.replied_on) + timedelta(days=rng.randrange(10, 60))
        if filed > world.today:
            continue
        appeal = appeals.register_appeal(
            kind=AppealKind.LITIGATION,
            org=app.org,
            body="绵阳市涪城区人民法院",
            filed_on=filed,
            application=app,
            case_number=f"（{world.year}）川0703行初{n}号",
            after_reconsideration=reconsidered is not None,
            by=office,
        )
        closed = filed + timedelta(days=rng.randrange(60, 120))
        if n == 1 and closed <= world.today:
            appeals.close_appeal(
                appeal,
                outcome=AppealOutcome.MAINTAINED,
                closed_on=closed,
                detail="驳回诉讼请求",
                by=office,
            )


def build_demo_applications(
    *, year: int = 2026, count: int = 300, seed: int = 42, today: date | None = None
) -> int:
    """Give the demo city ``count`` applications received in ``year``; return how many were made.

    Every stage and outcome appears: channels in the seed's proportions, topics led by land
    and demolition, decisions over the REQ-17 codes, 补正, consultations, two extensions,
    fees (2021 on), withdrawals, abandonments, a few still open and overdue at ``today``,
    and a handful of appeals. Nothing is dated after ``today`` (default: today; capped at
    31 December of ``year`` and at the present moment). Needs the working-day calendar of
    ``year`` (``gongkai setup`` loads it). Returns 0, changing nothing, when the year already
    has demo applications.
    """
    now = timezone.now()
    today = min(today or timezone.localdate(now), timezone.localdate(now), date(year, 12, 31))
    if today < date(year, 1, 1):
        raise ValueError(f"{year}年尚未开始，不能生成演示申请")
    if _already_built(year):
        return 0
    if not Org.objects.filter(name=CITY).exists():
        build_demo_city()
    orgs = by_name([org for _, orgs, _ in TOPICS.values() for org, _ in orgs] + [FUCHENG])
    end_of_today = datetime.combine(today, time(23, 59), SHANGHAI)
    world = _World(
        rng=random.Random(seed),
        year=year,
        today=today,
        cap=min(end_of_today, now),
        cal=load_calendar(),
        staff=_staff(),
        orgs=orgs,
        fucheng=orgs[FUCHENG],
    )
    # Each decision code at least once, early in the year, then by weight.
    world.decisions = list(DECIDABLE)
    world.rng.shuffle(world.decisions)
    applicants: list[dict] = []
    with transaction.atomic():
        plans = _plans(world, count)
        for n, plan in enumerate(plans, start=1):
            case = _submit(world, plan, n, applicants)
            try:
                if case.app.stage == Stage.PENDING_CONFIRMATION:
                    if plan.scenario == "unconfirmed":
                        continue
                    case.confirm(late=world.rng.random() < 0.1)
                case.assign()
                _run(case, plan.scenario)
            except _Stop:
                pass
        _appeals(world)
    return len(plans)
