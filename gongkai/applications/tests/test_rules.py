from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from gongkai.applications import rules
from gongkai.applications.enums import (
    Action,
    Channel,
    ConsultationKind,
    Decision,
    FeeMethod,
    Regime,
    Stage,
    Timeliness,
)
from gongkai.applications.rules import (
    ClockFacts,
    Consultation,
    Situation,
    TransitionRefused,
    Withheld,
)
from gongkai.workdays.rules import WorkCalendar
from gongkai.workdays.tests.vectors import package_calendar


@cache
def cal() -> WorkCalendar:
    return package_calendar()


# --- REQ-31: every (stage, action) pair ---------------------------------------------------

P, R, C, K, F = (
    Stage.PENDING_CONFIRMATION,
    Stage.RECEIVED,
    Stage.AWAITING_CORRECTION,
    Stage.CONSULTING,
    Stage.AWAITING_FEE,
)
D, RE, AR, CL = Stage.DECIDED, Stage.REPLIED, Stage.ARCHIVED, Stage.CLOSED

# The specification, one line per action: from which stages it may be taken, and where it
# leads ("=" stays in the same stage). Every pair not listed here must be refused.
ALLOWED = {
    Action.CONFIRM: {P: R},
    Action.ASSIGN: {P: P, R: R, C: C, K: K, F: F},
    Action.TRANSFER: {P: P, R: R},
    Action.REQUEST_CORRECTION: {R: C},
    Action.RECEIVE_CORRECTION: {C: R},
    Action.START_CONSULTATION: {R: K, K: K},
    Action.END_CONSULTATION: {K: R},  # the last open consultation answered
    Action.EXTEND: {R: R, K: K},
    Action.FEE_NOTICE: {R: F},
    Action.RECORD_PAYMENT: {F: R},
    Action.DECIDE: {R: D},
    Action.DELIVER: {D: RE},
    Action.ARCHIVE: {RE: AR, CL: AR},
    Action.WITHDRAW: {P: CL, R: CL, C: CL, K: CL, F: CL, D: CL},
    Action.ABANDON_NO_CORRECTION: {C: CL},
    Action.ABANDON_NO_PAYMENT: {F: CL},
}

EXPIRED = Situation(
    today=date(2026, 6, 1), correction_due=date(2026, 5, 1), payment_due=date(2026, 5, 1)
)
PAIRS = [(stage, action) for stage in Stage for action in Action]


@pytest.mark.parametrize(("stage", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_next_stage_allows_exactly_the_listed_moves(stage, action):
    expected = ALLOWED[action].get(stage)

    if expected is None:
        with pytest.raises(TransitionRefused) as refused:
            rules.next_stage(stage, action, EXPIRED)
        assert str(refused.value) == f"当前状态为“{stage.label}”，不能“{action.label}”"
    else:
        assert rules.next_stage(stage, action, EXPIRED) == expected


def test_every_stage_and_action_is_covered_by_the_specification():
    assert set(ALLOWED) == set(Action)
    assert len(PAIRS) == len(Stage) * len(Action) == 144


@pytest.mark.parametrize(
    ("stage", "action", "situation", "reason"),
    [
        (R, Action.EXTEND, Situation(extended=True), "每件申请只能延期一次（REQ-9）"),
        (
            R,
            Action.FEE_NOTICE,
            Situation(fee_allowed=False),
            "收到申请之日所适用的制度下不得收取信息处理费（GEN-3、FEE-1）",
        ),
        (
            C,
            Action.ABANDON_NO_CORRECTION,
            Situation(today=date(2026, 5, 1), correction_due=date(2026, 5, 1)),
            "补正期限（2026-05-01）尚未届满，不能视为放弃（REQ-10）",
        ),
        (
            F,
            Action.ABANDON_NO_PAYMENT,
            Situation(today=date(2026, 4, 30), payment_due=date(2026, 5, 1)),
            "缴费期限（2026-05-01）尚未届满，不能视为放弃（FEE-6）",
        ),
    ],
)
def test_next_stage_refuses_what_a_rule_forbids(stage, action, situation, reason):
    with pytest.raises(TransitionRefused) as refused:
        rules.next_stage(stage, action, situation)

    assert str(refused.value) == reason


def test_end_consultation_stays_consulting_while_another_is_open():
    assert rules.next_stage(K, Action.END_CONSULTATION, Situation(open_consultations=2)) == K
    assert rules.next_stage(K, Action.END_CONSULTATION, Situation(open_consultations=1)) == R


# --- GEN-1, REQ-5/6: regime and receipt date ---------------------------------------------


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        (date(2017, 6, 1), Regime.R2007),
        (date(2019, 5, 14), Regime.R2007),
        (date(2019, 5, 15), Regime.R2019),
    ],
)
def test_regime_for_follows_the_receipt_date(day, regime):
    assert rules.regime_for(day) == regime


ARRIVED, CONFIRMED = date(2021, 3, 1), date(2021, 3, 3)


@pytest.mark.parametrize(
    ("channel", "regime", "confirmed", "received"),
    [
        (Channel.IN_PERSON, Regime.R2019, None, ARRIVED),  # REQ-5: 提交之日
        (Channel.POST_SIGNED, Regime.R2019, None, ARRIVED),  # 签收之日
        (Channel.POST_PLAIN, Regime.R2019, None, None),  # waits for confirmation
        (Channel.POST_PLAIN, Regime.R2019, CONFIRMED, CONFIRMED),
        (Channel.ONLINE, Regime.R2019, CONFIRMED, CONFIRMED),
        (Channel.FAX, Regime.R2019, CONFIRMED, CONFIRMED),
        (Channel.EMAIL, Regime.R2019, CONFIRMED, CONFIRMED),
        (Channel.EMAIL, Regime.R2007, None, ARRIVED),  # REQ-6: 电子邮件系统接收之日
        (Channel.FAX, Regime.R2007, None, None),
        (Channel.ONLINE, Regime.R2007, CONFIRMED, CONFIRMED),
    ],
)
def test_receipt_date_by_channel_and_regime(channel, regime, confirmed, received):
    assert (
        rules.receipt_date(channel, arrived=ARRIVED, confirmed=confirmed, regime=regime) == received
    )


def test_late_confirmation_of_plain_post_is_a_defect():
    assert rules.late_confirmation(Channel.POST_PLAIN, arrived=ARRIVED, confirmed=CONFIRMED) is True
    assert rules.late_confirmation(Channel.POST_PLAIN, arrived=ARRIVED, confirmed=ARRIVED) is False
    assert rules.late_confirmation(Channel.ONLINE, arrived=ARRIVED, confirmed=CONFIRMED) is False


# --- Clocks: T-CAL-1/2/8/9, REQ-8, REQ-9, REQ-12 -----------------------------------------


@pytest.mark.parametrize(
    ("facts", "base_due", "due"),
    [
        # T-CAL-1 / T-CAL-2: 2007, 15 working days, extended by 15
        (ClockFacts(Regime.R2007, date(2017, 1, 20)), date(2017, 2, 15), date(2017, 2, 15)),
        (
            ClockFacts(Regime.R2007, date(2017, 1, 20), extension_days=15),
            date(2017, 2, 15),
            date(2017, 3, 8),
        ),
        # T-CAL-5: 2019, 20 and 20 + 20
        (ClockFacts(Regime.R2019, date(2019, 5, 15)), date(2019, 6, 13), date(2019, 6, 13)),
        (
            ClockFacts(Regime.R2019, date(2019, 5, 15), extension_days=20),
            date(2019, 6, 13),
            date(2019, 7, 11),
        ),
        # T-CAL-8: a third party consulted 03-05, answered 03-19: 10 working days paused
        (ClockFacts(Regime.R2019, date(2021, 3, 1)), date(2021, 3, 29), date(2021, 3, 29)),
        (
            ClockFacts(
                Regime.R2019,
                date(2021, 3, 1),
                consultations=[
                    Consultation(ConsultationKind.THIRD_PARTY, date(2021, 3, 5), date(2021, 3, 19))
                ],
            ),
            date(2021, 4, 13),
            date(2021, 4, 13),
        ),
        # T-CAL-9: the correction received 03-15 restarts the whole period
        (ClockFacts(Regime.R2019, date(2021, 3, 15)), date(2021, 4, 13), date(2021, 4, 13)),
    ],
)
def test_compute_clock_answers_the_vectors(facts, base_due, due):
    clock = rules.compute_clock(facts, cal())

    assert (clock.base_due, clock.due, clock.pending_year) == (base_due, due, None)


def test_compute_clock_caps_an_unanswered_third_party_at_15_working_days():
    facts = ClockFacts(
        Regime.R2019,
        date(2021, 3, 1),
        consultations=[Consultation(ConsultationKind.THIRD_PARTY, date(2021, 3, 5))],
    )

    # paused (03-05, 03-26]: 15 working days, so 2021-03-29 + 15 working days
    assert rules.compute_clock(facts, cal()).due == date(2021, 4, 20)


def test_compute_clock_is_paused_by_an_unanswered_consultation_under_2007():
    facts = ClockFacts(
        Regime.R2007,
        date(2017, 3, 1),
        consultations=[Consultation(ConsultationKind.THIRD_PARTY, date(2017, 3, 3))],
    )

    clock = rules.compute_clock(facts, cal())

    assert (clock.due, clock.paused) == (None, True)


def test_compute_clock_pauses_for_the_fee_only_when_configured():
    facts = ClockFacts(
        Regime.R2019, date(2021, 3, 1), fee_pause=(date(2021, 3, 5), date(2021, 3, 19))
    )

    assert rules.compute_clock(facts, cal(), fee_pauses_clock=True).due == date(2021, 4, 13)
    assert rules.compute_clock(facts, cal(), fee_pauses_clock=False).due == date(2021, 3, 29)


def test_compute_clock_says_pending_for_a_year_without_data():
    only_2017 = WorkCalendar(known_years={2017})

    clock = rules.compute_clock(ClockFacts(Regime.R2007, date(2017, 12, 20)), only_2017)

    assert (clock.base_due, clock.due, clock.pending_year) == (None, None, 2018)
    assert clock.trace == [
        "2018年的节假日数据尚未录入，期限待定（2017-12-25 可能受2018年元旦放假安排影响）"
    ]


def test_correction_notice_due_is_7_working_days_under_2019_only():
    assert rules.correction_notice_due(date(2021, 3, 1), Regime.R2019, cal()) == date(2021, 3, 10)
    assert rules.correction_notice_due(date(2017, 3, 1), Regime.R2007, cal()) is None


@pytest.mark.parametrize(
    ("replied", "extended", "expected"),
    [
        (date(2021, 3, 29), False, Timeliness.ON_TIME),
        (date(2021, 3, 30), False, Timeliness.OVERDUE),
        (date(2021, 4, 20), True, Timeliness.EXTENDED_ON_TIME),
        (date(2021, 4, 28), True, Timeliness.OVERDUE),
    ],
)
def test_timeliness_of_a_reply(replied, extended, expected):
    due = date(2021, 4, 27) if extended else date(2021, 3, 29)

    assert (
        rules.timeliness(replied, base_due=date(2021, 3, 29), due=due, extended=extended)
        == expected
    )


@pytest.mark.parametrize(
    ("days", "regime", "notified", "reason"),
    [
        (20, Regime.R2019, date(2021, 3, 29), None),
        (21, Regime.R2019, date(2021, 3, 29), "延长天数应为1至20个工作日（REQ-9）"),
        (16, Regime.R2007, date(2021, 3, 29), "延长天数应为1至15个工作日（REQ-9）"),
        (
            10,
            Regime.R2019,
            date(2021, 3, 30),
            "延期告知日（2021-03-30）晚于原答复期限（2021-03-29），不能再延期（REQ-9）",
        ),
    ],
)
def test_extension_refusal(days, regime, notified, reason):
    assert (
        rules.extension_refusal(days, regime=regime, notified=notified, due=date(2021, 3, 29))
        == reason
    )


# --- FEE: T-FEE-1…T-FEE-4 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300)],
)
def test_fee_by_count_t_fee_1(k, fee):
    assert rules.fee_by_count(k) == Decimal(fee)


@pytest.mark.parametrize(("n", "total"), [(35, 3000), (45, 5500)])
def test_fee_by_count_total_t_fee_2(n, total):
    assert rules.fee_by_count_total(n) == Decimal(total)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_fee_by_pages_t_fee_3(pages, fee):
    assert rules.fee_by_pages(pages) == Decimal(fee)


def test_payment_due_t_fee_4():
    assert rules.payment_due(date(2021, 4, 1), cal()) == date(2021, 4, 29)


def test_fee_for_application_never_charges_two_ways():
    with pytest.raises(ValueError, match="FEE-2"):
        rules.fee_for_application(FeeMethod.BY_COUNT, k_in_month=11, pages=40)

    assert rules.fee_for_application(FeeMethod.BY_PAGES, pages=31) == Decimal(10)


@pytest.mark.parametrize(
    ("received", "regime"),
    [
        (date(2017, 6, 1), "cost"),
        (date(2019, 5, 15), "none"),
        (date(2020, 12, 31), "none"),
        (date(2021, 1, 1), "fee109"),
    ],
)
def test_fee_regime_gen_3(received, regime):
    assert rules.fee_regime(received) == regime


# --- REQ-17/18/19: decisions ---------------------------------------------------------------


def test_every_decision_maps_to_one_table_three_row():
    assert set(rules.TABLE3_ROW) == set(Decision)
    # the leaf rows of 三: （一）（二）, （三）1–8, （四）1–3, （五）1–5, （六）1–3
    assert len(set(rules.TABLE3_ROW.values())) == 2 + 8 + 3 + 5 + 3


WITHHELD = Withheld("第三方的身份证号码", Decision.DENY_THIRD_PARTY, "《条例》第十五条")


@pytest.mark.parametrize(
    ("decision", "kwargs", "errors"),
    [
        (Decision.GRANT, {}, {}),
        (Decision.PARTIAL, {"withheld": [WITHHELD]}, {}),
        (Decision.PARTIAL, {}, {"withheld": "部分公开须列明不予公开的内容及理由（REQ-19）"}),
        (
            Decision.PARTIAL,
            {"withheld": [Withheld("某页", Decision.GRANT, "x")]},
            {"withheld": "每项不予公开的内容须写明内容、不予公开的情形和法律依据（REQ-19）"},
        ),
        (
            Decision.DENY_STATE_SECRET,
            {},
            {
                "basis": "不予公开须写明法律依据（条、款、项）（REQ-18）",
                "reason": "不予公开须说明理由（REQ-18）",
            },
        ),
        (Decision.DENY_STATE_SECRET, {"basis": "《条例》第十四条", "reason": "经定密"}, {}),
        (
            Decision.DENY_PROCESS_INFO,
            {"basis": "《条例》第十六条第二款", "reason": "讨论记录"},
            {
                "checked_no_duty": "适用第十六条的，须确认已核对法律、法规、规章无应当公开之规定（REQ-18）"
            },
        ),
        (
            Decision.STILL_UNCLEAR,
            {},
            {"decision": "“补正后申请内容仍不明确”须先告知补正（REQ-10）"},
        ),
        (Decision.STILL_UNCLEAR, {"had_correction": True}, {}),
        (
            Decision.ABANDONED_NO_PAYMENT,
            {},
            {"decision": "此结果由“视为放弃”或“撤回”操作产生，不能直接选择"},
        ),
    ],
)
def test_decision_errors(decision, kwargs, errors):
    assert rules.decision_errors(decision, **kwargs) == errors


# --- LIT-3/LIT-4 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "replied", "expected"),
    [
        (
            Decision.GRANT,
            date(2024, 3, 1),
            "如不服本答复，可以自收到本答复书之日起60日内向绵阳市人民政府申请行政复议，"
            "或者在6个月内依法向涪城区人民法院提起行政诉讼。",
        ),
        (
            Decision.DENY_THIRD_PARTY,
            date(2023, 12, 29),
            "如不服本答复，可以自收到本答复书之日起60日内向绵阳市人民政府申请行政复议，"
            "或者在6个月内依法向涪城区人民法院提起行政诉讼。",
        ),
        (
            Decision.DENY_THIRD_PARTY,
            date(2024, 1, 2),
            "如不服本答复，可以自收到本答复书之日起60日内向绵阳市人民政府申请行政复议；"
            "对行政复议决定不服的，可以依法向涪城区人民法院提起行政诉讼。",
        ),
    ],
)
def test_remedy_notice(decision, replied, expected):
    notice = rules.remedy_notice(
        decision, replied, reconsideration_body="绵阳市人民政府", court="涪城区人民法院"
    )

    assert notice == expected


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("请公开某村征地补偿安置方案及征收土地公告", "land"),
        ("申请公开对我的行政处罚决定书", "enforcement"),
        ("请提供2020年度部门决算", None),
    ],
)
def test_suggest_topic_picks_the_topic_with_most_keyword_hits(text, topic):
    topics = [("land", ["征地", "征收土地"]), ("enforcement", ["行政处罚", "执法"])]

    assert rules.suggest_topic(text, topics) == topic
