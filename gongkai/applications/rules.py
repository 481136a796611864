"""Rules of disclosure on request, as pure functions over plain values (RULES.zh.md §3, §4, §7).

No ORM, no clock, no settings: dates, the working-day calendar and flags come in as
arguments. ``services`` gathers the facts of an application and calls these.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
from gongkai.workdays.rules import (
    CalendarYearMissing,
    WorkCalendar,
    add_workdays,
    deadline,
    explain,
    render_explanation,
)

REGIME_2019_START = date(2019, 5, 15)


def regime_for(day: date) -> Regime:
    """GEN-1: the regulations in force on the receipt date (before 2019-05-15 → 2007)."""
    return Regime.R2007 if day < REGIME_2019_START else Regime.R2019


@dataclass(frozen=True)
class RegimeParams:
    """REQ-16: the statutory periods, in working days (None: the regime sets none)."""

    base: int
    extension_max: int
    correction_notice: int | None
    third_party_reply: int | None
    other_agency_reply: int | None


PARAMS = {
    Regime.R2007: RegimeParams(15, 15, None, None, None),
    Regime.R2019: RegimeParams(20, 20, 7, 15, 15),
}

PAYMENT_WORKDAYS = 20  # FEE-6


# --- Receipt date (REQ-5, REQ-6, REQ-7) -----------------------------------------------


def needs_confirmation(channel: Channel, regime: Regime) -> bool:
    """Whether the receipt date is the day both sides confirmed, not the day it arrived.

    In person and signed-for post count from arrival (REQ-5/6). Under 2007, e-mail to the
    published address counts from the day the mail system received it (REQ-6).
    """
    if channel in {Channel.IN_PERSON, Channel.POST_SIGNED}:
        return False
    return not (regime == Regime.R2007 and channel == Channel.EMAIL)


def receipt_date(
    channel: Channel, *, arrived: date, confirmed: date | None, regime: Regime | None = None
) -> date | None:
    """收到申请之日, or None while a confirmation is still awaited (no clock runs, REQ-7)."""
    regime = regime or regime_for(arrived)
    if not needs_confirmation(channel, regime):
        return arrived
    return confirmed


def late_confirmation(channel: Channel, *, arrived: date, confirmed: date | None) -> bool:
    """REQ-5: plain post must be confirmed on the day it arrives; later is a compliance defect."""
    return channel == Channel.POST_PLAIN and confirmed is not None and confirmed > arrived


# --- The state machine (REQ-31) ---------------------------------------------------------

OPEN = frozenset(
    {
        Stage.PENDING_CONFIRMATION,
        Stage.RECEIVED,
        Stage.AWAITING_CORRECTION,
        Stage.CONSULTING,
        Stage.AWAITING_FEE,
    }
)
FINAL = frozenset({Stage.REPLIED, Stage.ARCHIVED, Stage.CLOSED})
SAME = None  # the action leaves the stage as it is

# action -> (stages it may be taken from, stage it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[Stage], Stage | None]] = {
    Action.CONFIRM: (frozenset({Stage.PENDING_CONFIRMATION}), Stage.RECEIVED),
    Action.ASSIGN: (OPEN, SAME),
    Action.TRANSFER: (frozenset({Stage.PENDING_CONFIRMATION, Stage.RECEIVED}), SAME),
    Action.REQUEST_CORRECTION: (frozenset({Stage.RECEIVED}), Stage.AWAITING_CORRECTION),
    Action.RECEIVE_CORRECTION: (frozenset({Stage.AWAITING_CORRECTION}), Stage.RECEIVED),
    Action.START_CONSULTATION: (frozenset({Stage.RECEIVED, Stage.CONSULTING}), Stage.CONSULTING),
    Action.END_CONSULTATION: (frozenset({Stage.CONSULTING}), SAME),
    Action.EXTEND: (frozenset({Stage.RECEIVED, Stage.CONSULTING}), SAME),
    Action.FEE_NOTICE: (frozenset({Stage.RECEIVED}), Stage.AWAITING_FEE),
    Action.RECORD_PAYMENT: (frozenset({Stage.AWAITING_FEE}), Stage.RECEIVED),
    Action.DECIDE: (frozenset({Stage.RECEIVED}), Stage.DECIDED),
    Action.DELIVER: (frozenset({Stage.DECIDED}), Stage.REPLIED),
    Action.ARCHIVE: (frozenset({Stage.REPLIED, Stage.CLOSED}), Stage.ARCHIVED),
    Action.WITHDRAW: (OPEN | {Stage.DECIDED}, Stage.CLOSED),
    Action.ABANDON_NO_CORRECTION: (frozenset({Stage.AWAITING_CORRECTION}), Stage.CLOSED),
    Action.ABANDON_NO_PAYMENT: (frozenset({Stage.AWAITING_FEE}), Stage.CLOSED),
}


class TransitionRefused(Exception):
    """An action that the state machine or a rule does not allow; the message says why."""


@dataclass(frozen=True)
class Situation:
    """The facts a transition's guards look at, gathered by the service."""

    regime: Regime = Regime.R2019
    today: date | None = None
    extended: bool = False
    open_consultations: int = 0
    correction_due: date | None = None  # the applicant's 补正 deadline
    payment_due: date | None = None
    fee_allowed: bool = True


def next_stage(stage: Stage, action: Action, situation: Situation = Situation()) -> Stage:
    """The stage after ``action``, or ``TransitionRefused`` with the reason in Chinese."""
    sources, target = TRANSITIONS[action]
    if stage not in sources:
        raise TransitionRefused(f"当前状态为“{Stage(stage).label}”，不能“{Action(action).label}”")
    reason = _guard(action, situation)
    if reason:
        raise TransitionRefused(reason)
    if action == Action.END_CONSULTATION:
        return Stage.CONSULTING if situation.open_consultations > 1 else Stage.RECEIVED
    return stage if target is SAME else target


def _guard(action: Action, s: Situation) -> str | None:
    if action == Action.EXTEND and s.extended:
        return "每件申请只能延期一次（REQ-9）"
    if action == Action.FEE_NOTICE and not s.fee_allowed:
        return "收到申请之日所适用的制度下不得收取信息处理费（GEN-3、FEE-1）"
    if action == Action.ABANDON_NO_CORRECTION and not _past(s.today, s.correction_due):
        return f"补正期限（{_d(s.correction_due)}）尚未届满，不能视为放弃（REQ-10）"
    if action == Action.ABANDON_NO_PAYMENT and not _past(s.today, s.payment_due):
        return f"缴费期限（{_d(s.payment_due)}）尚未届满，不能视为放弃（FEE-6）"
    return None


def _past(today: date | None, due: date | None) -> bool:
    return today is not None and due is not None and today > due


def _d(day: date | None) -> str:
    return day.isoformat() if day else "未定"


# --- Clocks (REQ-8…REQ-16, FEE-6/7, CAL-5, CAL-7) ---------------------------------------


@dataclass(frozen=True)
class Consultation:
    kind: ConsultationKind
    sent: date
    answered: date | None = None


@dataclass(frozen=True)
class ClockFacts:
    """Everything the answer deadline depends on."""

    regime: Regime
    start: date  # 收到申请之日, or the day the correction was received (REQ-10 restart)
    consultations: Sequence[Consultation] = ()
    fee_pause: tuple[date, date | None] | None = None  # notice delivered, paid
    extension_days: int = 0
    custom_due: date | None = None  # REQ-13: a reasonable later date, told to the applicant


@dataclass(frozen=True)
class Clock:
    """The computed deadlines; ``pending_year`` set means 期限待定 (CAL-3)."""

    base_due: date | None
    due: date | None
    pending_year: int | None = None
    paused: bool = False
    trace: list[str] = field(default_factory=list)


def consultation_pause(
    c: Consultation, regime: Regime, cal: WorkCalendar
) -> tuple[date, date | None]:
    """REQ-12/14: (sent, earlier of the answer and the last day of the reply period].

    2007 sets no reply period, so an unanswered consultation pauses the clock open-ended.
    """
    params = PARAMS[regime]
    limit = (
        params.third_party_reply
        if c.kind == ConsultationKind.THIRD_PARTY
        else params.other_agency_reply
    )
    if limit is None:
        return (c.sent, c.answered)
    last = add_workdays(c.sent, limit, cal)
    return (c.sent, min(c.answered, last) if c.answered else last)


def pauses_of(facts: ClockFacts, cal: WorkCalendar, *, fee_pauses_clock: bool) -> list:
    pauses = [consultation_pause(c, facts.regime, cal) for c in facts.consultations]
    if facts.fee_pause and fee_pauses_clock:  # FEE-7 (from memory, verify): configurable
        pauses.append(facts.fee_pause)
    return pauses


def compute_clock(facts: ClockFacts, cal: WorkCalendar, *, fee_pauses_clock: bool = True) -> Clock:
    """The answer deadline with its readable trace; never a guess across a year with no data."""
    base = PARAMS[facts.regime].base
    try:
        pauses = pauses_of(facts, cal, fee_pauses_clock=fee_pauses_clock)
        base_due = deadline(facts.start, base, cal, pauses)
        total = base + facts.extension_days
        due = deadline(facts.start, total, cal, pauses) if facts.extension_days else base_due
        steps = explain(facts.start, total, cal, pauses)
    except CalendarYearMissing as missing:
        return Clock(None, None, pending_year=missing.year, trace=[str(missing)])
    if facts.custom_due:
        due = facts.custom_due
    trace = render_explanation(facts.start, total, steps, pauses)
    return Clock(base_due, due, paused=due is None, trace=trace)


def correction_notice_due(received: date, regime: Regime, cal: WorkCalendar) -> date | None:
    """REQ-10: the 补正 notice is due 7 working days after receipt (2019 only)."""
    days = PARAMS[regime].correction_notice
    return add_workdays(received, days, cal) if days else None


def consultation_reply_due(c: Consultation, regime: Regime, cal: WorkCalendar) -> date | None:
    return consultation_pause(c, regime, cal)[1] if PARAMS[regime].third_party_reply else None


def payment_due(notice_delivered: date, cal: WorkCalendar) -> date:
    """FEE-6: 20 working days counted from the day after the fee notice arrived."""
    return add_workdays(notice_delivered, PAYMENT_WORKDAYS, cal)


def timeliness(
    replied: date, *, base_due: date | None, due: date | None, extended: bool
) -> Timeliness | None:
    """REQ-30, or None while a deadline is pending (期限待定)."""
    if base_due is None or due is None:
        return None
    if replied <= base_due:
        return Timeliness.ON_TIME
    if extended and replied <= due:
        return Timeliness.EXTENDED_ON_TIME
    return Timeliness.OVERDUE


def extension_refusal(days: int, *, regime: Regime, notified: date, due: date | None) -> str | None:
    """REQ-9: at most the regime's maximum, and the applicant told before the deadline."""
    maximum = PARAMS[regime].extension_max
    if not 1 <= days <= maximum:
        return f"延长天数应为1至{maximum}个工作日（REQ-9）"
    if due is not None and notified > due:
        return f"延期告知日（{notified}）晚于原答复期限（{due}），不能再延期（REQ-9）"
    return None


# --- Decisions (REQ-17, REQ-18, REQ-19) ---------------------------------------------------

# Row keys of table 三 in the 2021 national format (RPT-9).
TABLE3_ROW: dict[Decision, str] = {
    Decision.ALREADY_PUBLIC: "三(一)",
    Decision.GRANT: "三(一)",
    Decision.PARTIAL: "三(二)",
    Decision.DENY_STATE_SECRET: "三(三)1",
    Decision.DENY_LAW_PROHIBITS: "三(三)2",
    Decision.DENY_SECURITY_STABILITY: "三(三)3",
    Decision.DENY_THIRD_PARTY: "三(三)4",
    Decision.DENY_INTERNAL_AFFAIRS: "三(三)5",
    Decision.DENY_PROCESS_INFO: "三(三)6",
    Decision.DENY_ENFORCEMENT_FILE: "三(三)7",
    Decision.SPECIAL_ACCESS_ROUTE: "三(三)8",
    Decision.NOT_HELD: "三(四)1",
    Decision.NOT_RESPONSIBLE: "三(四)1",
    Decision.NEEDS_CREATION: "三(四)2",
    Decision.STILL_UNCLEAR: "三(四)3",
    Decision.PETITION_NOT_APPLICATION: "三(五)1",
    Decision.REPEATED: "三(五)2",
    Decision.PUBLICATION_REQUEST: "三(五)3",
    Decision.EXCESSIVE_UNREASONABLE: "三(五)4",
    Decision.CONFIRM_OR_REISSUE: "三(五)5",
    Decision.ABANDONED_NO_CORRECTION: "三(六)1",
    Decision.ABANDONED_NO_PAYMENT: "三(六)2",
    Decision.OTHER: "三(六)3",
}

WITHHOLDING = frozenset(d for d, row in TABLE3_ROW.items() if row.startswith("三(三)"))
ARTICLE_16 = frozenset(
    {Decision.DENY_INTERNAL_AFFAIRS, Decision.DENY_PROCESS_INFO, Decision.DENY_ENFORCEMENT_FILE}
)
# Outcomes that close an application without a decision by staff: set by their own action.
BY_ACTION = frozenset(
    {Decision.ABANDONED_NO_CORRECTION, Decision.ABANDONED_NO_PAYMENT, Decision.OTHER}
)
DISCLOSED = frozenset({Decision.ALREADY_PUBLIC, Decision.GRANT, Decision.PARTIAL})


@dataclass(frozen=True)
class Withheld:
    """REQ-19: a part withheld from a 部分公开 decision, with its ground and basis."""

    what: str
    ground: Decision
    basis: str


def decision_errors(
    decision: Decision,
    *,
    basis: str = "",
    reason: str = "",
    withheld: Iterable[Withheld] = (),
    checked_no_duty: bool = False,
    regime: Regime = Regime.R2019,
    had_correction: bool = False,
) -> dict[str, str]:
    """Field → Chinese message for a decision that cannot be saved (REQ-17/18/19)."""
    errors: dict[str, str] = {}
    withheld = list(withheld)
    if decision in BY_ACTION:
        errors["decision"] = "此结果由“视为放弃”或“撤回”操作产生，不能直接选择"
    if decision in WITHHOLDING and not basis.strip():
        errors["basis"] = "不予公开须写明法律依据（条、款、项）（REQ-18）"
    if decision in WITHHOLDING and not reason.strip():
        errors["reason"] = "不予公开须说明理由（REQ-18）"
    if decision in ARTICLE_16 and not checked_no_duty:
        errors["checked_no_duty"] = (
            "适用第十六条的，须确认已核对法律、法规、规章无应当公开之规定（REQ-18）"
        )
    if decision == Decision.PARTIAL:
        if not withheld:
            errors["withheld"] = "部分公开须列明不予公开的内容及理由（REQ-19）"
        elif any(
            w.ground not in WITHHOLDING or not w.what.strip() or not w.basis.strip()
            for w in withheld
        ):
            errors["withheld"] = "每项不予公开的内容须写明内容、不予公开的情形和法律依据（REQ-19）"
    if decision == Decision.STILL_UNCLEAR and not had_correction:
        errors["decision"] = "“补正后申请内容仍不明确”须先告知补正（REQ-10）"
    if decision == Decision.NOT_RESPONSIBLE and not reason.strip():
        errors["reason"] = (
            "不属于本机关负责公开的，须说明理由；能确定负责机关的，写明其名称和联系方式"
        )
    return errors


# --- Fees (FEE-1…FEE-7, GEN-3) ------------------------------------------------------------

FEE_109_START = date(2021, 1, 1)


def fee_regime(received: date) -> str:
    """GEN-3: ``cost`` (2007: cost fees only), ``none`` (2019-05-15…2020-12-31), ``fee109``."""
    if received < REGIME_2019_START:
        return "cost"
    if received < FEE_109_START:
        return "none"
    return "fee109"


def fee_by_count(k: int) -> Decimal:
    """FEE-3: the fee of the k-th application of one applicant in one calendar month."""
    if k < 1:
        raise ValueError("k starts at 1")
    if k <= 10:
        return Decimal(0)
    if k <= 30:
        return Decimal(100)
    return Decimal(100 + 100 * math.ceil((k - 30) / 10))


def fee_by_count_total(n: int) -> Decimal:
    """FEE-3: the month's total for n applications (T-FEE-2)."""
    return sum((fee_by_count(k) for k in range(1, n + 1)), Decimal(0))


PAGE_TIERS = ((30, Decimal(0)), (100, Decimal(10)), (200, Decimal(20)), (None, Decimal(40)))


def fee_by_pages(pages: int) -> Decimal:
    """FEE-4: pages of one application, charged progressively by tier."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    total, floor = Decimal(0), 0
    for ceiling, price in PAGE_TIERS:
        top = pages if ceiling is None else min(pages, ceiling)
        if top > floor:
            total += (top - floor) * price
        if ceiling is None or pages <= ceiling:
            break
        floor = ceiling
    return total


def fee_for_application(
    method: FeeMethod,
    *,
    k_in_month: int | None = None,
    pages: int | None = None,
    cost: Decimal | None = None,
) -> Decimal:
    """FEE-2/FEE-11: one method per application; giving the inputs of two is refused."""
    given = [x is not None for x in (k_in_month, pages, cost)]
    if sum(given) != 1:
        raise ValueError("按件、按量、成本费只能选其一（FEE-2）")
    if method == FeeMethod.BY_COUNT and k_in_month is not None:
        return fee_by_count(k_in_month)
    if method == FeeMethod.BY_PAGES and pages is not None:
        return fee_by_pages(pages)
    if method == FeeMethod.COST and cost is not None:
        return cost
    raise ValueError("计收方式与所给数据不符（FEE-2）")


# --- Remedies (LIT-3, LIT-4) --------------------------------------------------------------

RECONSIDERATION_FIRST = date(2024, 1, 1)


def remedy_notice(
    decision: Decision, replied: date, *, reconsideration_body: str, court: str
) -> str:
    """The sentence every reply letter ends with (REQ-27, LIT-3, LIT-4)."""
    if decision in WITHHOLDING and replied >= RECONSIDERATION_FIRST:
        return (
            f"如不服本答复，可以自收到本答复书之日起60日内向{reconsideration_body}申请行政复议；"
            f"对行政复议决定不服的，可以依法向{court}提起行政诉讼。"
        )
    return (
        f"如不服本答复，可以自收到本答复书之日起60日内向{reconsideration_body}申请行政复议，"
        f"或者在6个月内依法向{court}提起行政诉讼。"
    )


# --- What applications are about (issue 3 §12) ----------------------------------------------


def suggest_topic(text: str, topics: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """The topic whose keywords occur most often in ``text``; ties go to the earlier topic."""
    best, best_hits = None, 0
    for code, keywords in topics:
        hits = sum(text.count(k) for k in keywords if k)
        if hits > best_hits:
            best, best_hits = code, hits
    return best
