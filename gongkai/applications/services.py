"""Every change of state of an application goes through here: ``submit`` and ``act``.

Each call runs in one transaction: it checks the move against the state machine
(``rules.next_stage``), records the facts, recomputes the deadline with its trace, and
writes the audit entry (never personal data in clear). Portal, API, CLI and tasks call
these functions; none of them holds a rule.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.applications import letters, rules
from gongkai.applications.enums import Action, Channel, ConsultationKind, Decision, FeeMethod, Stage
from gongkai.applications.models import (
    Application,
    Consultation,
    Correction,
    Extension,
    FeeNotice,
    NumberSequence,
    Topic,
    Transfer,
)
from gongkai.applications.permissions import may_act
from gongkai.audit.services import record
from gongkai.lib.crypto import blind_index, decrypt, encrypt
from gongkai.lib.identity import mask_id, mask_phone
from gongkai.orgs.enums import Role
from gongkai.orgs.models import Org, User
from gongkai.workdays.rules import CalendarYearMissing, WorkCalendar
from gongkai.workdays.services import load_calendar

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
DUPLICATE_WINDOW = timedelta(minutes=30)


class ActionInvalid(Exception):
    """An action's input does not hold; ``errors`` maps field names to Chinese messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


def local_date(moment: datetime) -> date:
    """GEN-5: dates are Asia/Shanghai dates."""
    return timezone.localtime(moment).date()


# --- Intake ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    application: Application
    query_code: str  # shown once to the applicant; only its HMAC is stored


def _next_number(year: int) -> str:
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(year=year)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    return f"YSQ{year}{sequence.last:06d}"


def _code_hash(code: str) -> str:
    return blind_index("query-code:" + code)


def code_matches(application: Application, code: str) -> bool:
    return hmac.compare_digest(application.code_hash, _code_hash(code.strip().upper()))


def suggest_topic(text: str) -> Topic | None:
    topics = list(Topic.objects.filter(active=True))
    code = rules.suggest_topic(text, [(t.code, t.keyword_list()) for t in topics])
    return next((t for t in topics if t.code == code), None)


def _applicant_key(data: dict) -> str:
    identity = data.get("id_number") or data.get("credit_code")
    if identity:
        return blind_index(identity)
    return blind_index(f"{data['applicant_name']}|{data.get('phone', '')}")


@transaction.atomic
def submit(
    data: dict,
    *,
    org: Org,
    channel: Channel,
    arrived_at: datetime,
    by: User | None = None,
    account: User | None = None,
    oral: bool = False,
) -> Submitted:
    """Register an application that arrived through ``channel`` at ``arrived_at`` (REQ-2…REQ-7).

    ``data`` is the cleaned data of ``forms.ApplicationForm``. In person and signed-for post
    start the clock at once; the other channels wait for ``Action.CONFIRM`` (REQ-5, REQ-7).
    The query code is returned once and never stored in clear.
    """
    arrived = local_date(arrived_at)
    regime = rules.regime_for(arrived)
    received = rules.receipt_date(channel, arrived=arrived, confirmed=None, regime=regime)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    key = _applicant_key(data)
    app = Application(
        code_hash=_code_hash(code),
        org=org,
        account=account,
        channel=channel,
        oral=oral,
        arrived_at=arrived_at,
        received_on=received,
        regime=regime,
        applicant_kind=data["applicant_kind"],
        applicant_name=data["applicant_name"],
        id_type=data.get("id_type", ""),
        id_number_enc=encrypt(data.get("id_number", "")),
        id_number_masked=mask_id(data["id_number"]) if data.get("id_number") else "",
        credit_code=data.get("credit_code", ""),
        applicant_key=key,
        phone_enc=encrypt(data.get("phone", "")),
        phone_masked=mask_phone(data["phone"]) if data.get("phone") else "",
        email=data.get("email", ""),
        address_enc=encrypt(data.get("address", "")),
        postcode=data.get("postcode", ""),
        agent_name=data.get("agent_name", ""),
        agent_id_enc=encrypt(data.get("agent_id_number", "")),
        agent_id_masked=mask_id(data["agent_id_number"]) if data.get("agent_id_number") else "",
        description=data["description"],
        document_number=data.get("document_number", ""),
        purpose=data.get("purpose", ""),
        form_wanted=data["form_wanted"],
        delivery=data["delivery"],
        topic=suggest_topic(data["description"]),
        stage=Stage.RECEIVED if received else Stage.PENDING_CONFIRMATION,
        clock_start=received,
    )
    app.probable_duplicate_of = (
        Application.objects.filter(
            applicant_key=key,
            org=org,
            description=app.description,
            arrived_at__gte=arrived_at - DUPLICATE_WINDOW,
            arrived_at__lte=arrived_at,
        )
        .order_by("arrived_at")
        .first()
    )
    _refresh_clock(app, load_calendar())
    # The year's number row is the one lock every submission shares: take it last, so it is
    # held only for the insert and the audit entry, not for the work above.
    app.number = _next_number(arrived.year)
    app.save()
    if received:
        letters.issue(app, "receipt", today=received)
    record(
        "applications.submit",
        actor=by or account,
        obj=app,
        summary={
            "number": app.number,
            "channel": channel,
            "org": org.pk,
            "stage": app.stage,
            "duplicate_of": app.probable_duplicate_of.number if app.probable_duplicate_of else None,
        },
    )
    return Submitted(app, code)


# --- The one transition service ------------------------------------------------------------


def _situation(app: Application, today: date, cal: WorkCalendar) -> rules.Situation:
    correction = app.corrections.filter(received_on__isnull=True).last()
    fee = FeeNotice.objects.filter(application=app).first()
    return rules.Situation(
        regime=app.regime,
        today=today,
        extended=Extension.objects.filter(application=app).exists(),
        open_consultations=app.consultations.filter(answered_on__isnull=True).count(),
        correction_due=correction.respond_by if correction else None,
        payment_due=fee.pay_by if fee and not fee.paid_on else None,
        fee_allowed=rules.fee_regime(app.received_on or local_date(app.arrived_at)) != "none",
    )


def act(app: Application, action: Action, *, by: User, today: date, **params) -> Application:
    """Take ``action`` on ``app`` (REQ-31): refused with the reason, or done and logged.

    Raises ``rules.TransitionRefused`` for a move the state machine or a rule forbids, and
    ``ActionInvalid`` for input that does not hold (field → Chinese message).
    """
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if not may_act(by, app):
            raise ActionInvalid(
                {"by": "只有本机关（或上级）的公开办、部门管理员和承办人可以办理此申请"}
            )
        cal = load_calendar()
        before = app.stage
        try:
            new_stage = rules.next_stage(app.stage, action, _situation(app, today, cal))
            summary = HANDLERS[action](app, by=by, today=today, cal=cal, **params)
        except CalendarYearMissing as missing:
            raise ActionInvalid({"date": str(missing)}) from missing
        app.stage = new_stage
        was_pending = app.due_pending_year
        _refresh_clock(app, cal)
        app.save()
        letter = letters.issue_for_action(app, action, today=today)
        if letter:
            summary = {**(summary or {}), "letter": letter.number}
        record(
            f"applications.{action}",
            actor=by,
            obj=app,
            summary={"number": app.number, "from": before, "to": app.stage, **(summary or {})},
        )
    if app.due_pending_year and app.due_pending_year != was_pending:
        _alert_pending(app)
    return app


def _confirm(app, *, by, today, cal, at: datetime, via: str):
    if not via.strip():
        raise ActionInvalid({"via": "请写明确认方式（电话、短信、电子邮件等）"})
    if at < app.arrived_at:
        raise ActionInvalid({"at": "确认时间不能早于到达时间"})
    app.confirmed_at, app.confirmed_via, app.confirmed_by = at, via, by
    arrived, confirmed = local_date(app.arrived_at), local_date(at)
    app.received_on = rules.receipt_date(app.channel, arrived=arrived, confirmed=confirmed)
    app.regime = rules.regime_for(app.received_on)
    app.clock_start = app.received_on
    return {
        "received_on": app.received_on,
        "late_confirmation": rules.late_confirmation(
            app.channel, arrived=arrived, confirmed=confirmed
        ),
    }


def _assign(app, *, by, today, cal, handler: User):
    if not (handler.org_id and handler.org.is_within(app.org)) or handler.role != Role.HANDLER:
        raise ActionInvalid({"handler": "承办人须为本机关（含下级）的承办人"})
    app.handler = handler
    return {"handler": handler.username}


def _transfer(app, *, by, today, cal, to_org: Org, reason: str = ""):
    if to_org.pk == app.org_id:
        raise ActionInvalid({"to_org": "不能转给本机关"})
    Transfer.objects.create(
        application=app, from_org=app.org, to_org=to_org, on=today, reason=reason
    )
    app.org, app.handler = to_org, None
    return {"to_org": to_org.pk}


def _request_correction(app, *, by, today, cal, items: str, respond_by: date):
    if not items.strip():
        raise ActionInvalid({"items": "请一次性列明需要补正的事项（REQ-10）"})
    if respond_by <= today:
        raise ActionInvalid({"respond_by": "补正期限应晚于告知日期"})
    notice_due = rules.correction_notice_due(app.received_on, app.regime, cal)
    late = notice_due is not None and today > notice_due
    Correction.objects.create(
        application=app, notified_on=today, items=items, respond_by=respond_by, late_notice=late
    )
    return {"respond_by": respond_by, "late_notice": late}


def _receive_correction(app, *, by, today, cal, received_on: date):
    correction = app.corrections.filter(received_on__isnull=True).last()
    if received_on < correction.notified_on or received_on > today:
        raise ActionInvalid({"received_on": "收到补正日期应在告知日期与今天之间"})
    correction.received_on = received_on
    correction.save(update_fields=["received_on"])
    app.clock_start = received_on  # REQ-10: the whole period restarts
    return {"received_on": received_on}


def _start_consultation(app, *, by, today, cal, kind: ConsultationKind, party: str, sent_on: date):
    if not party.strip():
        raise ActionInvalid({"party": "请填写征求意见的对象"})
    if sent_on < (app.received_on or sent_on):
        raise ActionInvalid({"sent_on": "送达日期不能早于收到申请之日"})
    consultation = rules.Consultation(kind=kind, sent=sent_on)
    due = rules.consultation_reply_due(consultation, app.regime, cal)
    Consultation.objects.create(
        application=app, kind=kind, party=party, sent_on=sent_on, reply_due=due
    )
    return {"kind": kind, "sent_on": sent_on, "reply_due": due}


def _end_consultation(
    app, *, by, today, cal, consultation: Consultation, answered_on: date, opinion: str = ""
):
    if consultation.application_id != app.pk or consultation.answered_on:
        raise ActionInvalid({"consultation": "该征求意见不属于本申请或已收回"})
    if not consultation.sent_on <= answered_on <= today:
        raise ActionInvalid({"answered_on": "收回日期应在送达日期与今天之间"})
    consultation.answered_on, consultation.opinion = answered_on, opinion
    consultation.save(update_fields=["answered_on", "opinion"])
    return {"consultation": consultation.pk, "answered_on": answered_on}


def _extend(
    app,
    *,
    by,
    today,
    cal,
    days: int,
    reason: str,
    approved_by: str,
    approved_on: date,
    notified_via: str,
):
    if by.role not in {Role.OFFICE_ADMIN, Role.DEPT_ADMIN}:
        raise ActionInvalid({"approved_by": "延期须经政府信息公开工作机构负责人同意（REQ-9）"})
    errors = {}
    refusal = rules.extension_refusal(days, regime=app.regime, notified=today, due=app.due_date)
    if refusal:
        errors["days"] = refusal
    if not reason.strip():
        errors["reason"] = "请写明延期理由"
    if not approved_by.strip():
        errors["approved_by"] = "请写明批准延期的负责人"
    if not notified_via.strip():
        errors["notified_via"] = "请写明告知申请人的方式"
    if errors:
        raise ActionInvalid(errors)
    Extension.objects.create(
        application=app,
        days=days,
        reason=reason,
        approved_by=approved_by,
        approved_on=approved_on,
        notified_on=today,
        notified_via=notified_via,
    )
    app.extension_days = days
    return {"days": days}


def month_ordinal(app: Application) -> int:
    """FEE-3: this application's place among the applicant's applications of its calendar month."""
    start = app.received_on.replace(day=1)
    earlier = Application.objects.filter(
        applicant_key=app.applicant_key, received_on__gte=start, received_on__lte=app.received_on
    ).exclude(pk=app.pk)
    same_day_before = earlier.filter(received_on=app.received_on, pk__gt=app.pk)
    return earlier.count() - same_day_before.count() + 1


def _fee_notice(
    app,
    *,
    by,
    today,
    cal,
    method: FeeMethod,
    approved_by: str,
    delivered_on: date,
    pages=None,
    cost=None,
):
    if not approved_by.strip():
        raise ActionInvalid({"approved_by": "收费须经工作机构负责人批准（FEE-5）"})
    regime = rules.fee_regime(app.received_on)
    if (regime == "cost") != (method == FeeMethod.COST):
        raise ActionInvalid(
            {"method": "2007年条例下只能收取成本费；2021年起按件或按量计收（GEN-3）"}
        )
    k = month_ordinal(app) if method == FeeMethod.BY_COUNT else None
    try:
        amount = rules.fee_for_application(method, k_in_month=k, pages=pages, cost=cost)
    except ValueError as error:
        raise ActionInvalid({"method": str(error)}) from error
    if amount <= 0:
        raise ActionInvalid({"method": "按此标准应收金额为0元，无需发出收费通知（FEE-3、FEE-4）"})
    pay_by = rules.payment_due(delivered_on, cal)
    FeeNotice.objects.create(
        application=app,
        method=method,
        k_in_month=k,
        pages=pages,
        amount=amount,
        approved_by=approved_by,
        delivered_on=delivered_on,
        pay_by=pay_by,
    )
    return {"method": method, "amount": str(amount), "pay_by": pay_by}


def _record_payment(app, *, by, today, cal, paid_on: date):
    fee = app.fee
    if not fee.delivered_on <= paid_on <= today:
        raise ActionInvalid({"paid_on": "缴费日期应在通知送达日期与今天之间"})
    if paid_on > fee.pay_by:
        raise ActionInvalid({"paid_on": f"缴费期限{fee.pay_by}已过，应视为放弃申请（FEE-6）"})
    fee.paid_on = paid_on
    fee.save(update_fields=["paid_on"])
    return {"paid_on": paid_on, "amount": str(fee.amount)}


def _decide(
    app,
    *,
    by,
    today,
    cal,
    decision: Decision,
    basis: str = "",
    reason: str = "",
    text: str = "",
    withheld=(),
    checked_no_duty: bool = False,
):
    withheld = [w if isinstance(w, rules.Withheld) else rules.Withheld(**w) for w in withheld]
    errors = rules.decision_errors(
        decision,
        basis=basis,
        reason=reason,
        withheld=withheld,
        checked_no_duty=checked_no_duty,
        regime=app.regime,
        had_correction=app.corrections.exists(),
    )
    if errors:
        raise ActionInvalid(errors)
    app.outcome, app.outcome_basis, app.outcome_reason, app.outcome_text = (
        decision,
        basis,
        reason,
        text,
    )
    app.withheld = [{"what": w.what, "ground": w.ground, "basis": w.basis} for w in withheld]
    app.checked_no_duty, app.decided_on = checked_no_duty, today
    return {"decision": decision, "row": rules.TABLE3_ROW[decision]}


def _deliver(app, *, by, today, cal, delivered_on: date, via: str = ""):
    if not app.decided_on <= delivered_on <= today:
        raise ActionInvalid({"delivered_on": "送达日期应在决定日期与今天之间"})
    app.replied_on = app.closed_on = delivered_on
    return {"replied_on": delivered_on, "via": via}


def _archive(app, *, by, today, cal):
    return {}


def _close(outcome: Decision):
    def close(app, *, by, today, cal, reason: str = ""):
        app.outcome, app.outcome_reason, app.closed_on = outcome, reason, today
        return {"outcome": outcome}

    return close


HANDLERS = {
    Action.CONFIRM: _confirm,
    Action.ASSIGN: _assign,
    Action.TRANSFER: _transfer,
    Action.REQUEST_CORRECTION: _request_correction,
    Action.RECEIVE_CORRECTION: _receive_correction,
    Action.START_CONSULTATION: _start_consultation,
    Action.END_CONSULTATION: _end_consultation,
    Action.EXTEND: _extend,
    Action.FEE_NOTICE: _fee_notice,
    Action.RECORD_PAYMENT: _record_payment,
    Action.DECIDE: _decide,
    Action.DELIVER: _deliver,
    Action.ARCHIVE: _archive,
    Action.WITHDRAW: _close(Decision.OTHER),
    Action.ABANDON_NO_CORRECTION: _close(Decision.ABANDONED_NO_CORRECTION),
    Action.ABANDON_NO_PAYMENT: _close(Decision.ABANDONED_NO_PAYMENT),
}


# --- Clocks ----------------------------------------------------------------------------------


def clock_facts(app: Application) -> rules.ClockFacts | None:
    if app.clock_start is None:
        return None
    fee = FeeNotice.objects.filter(application=app).first() if app.pk else None
    return rules.ClockFacts(
        regime=app.regime,
        start=app.clock_start,
        consultations=[
            rules.Consultation(c.kind, c.sent_on, c.answered_on)
            for c in (app.consultations.all() if app.pk else [])
        ],
        fee_pause=(fee.delivered_on, fee.paid_on) if fee else None,
        extension_days=app.extension_days,
        custom_due=app.custom_due,
    )


def _refresh_clock(app: Application, cal: WorkCalendar) -> None:
    """Recompute the stored deadline and its trace from the facts (a no-op once final)."""
    if app.stage in rules.FINAL:
        return
    if app.stage == Stage.AWAITING_CORRECTION:
        # REQ-10: the period restarts in full when the correction arrives; nothing is due now.
        app.base_due_date = app.due_date = app.due_pending_year = None
        app.due_trace = ["待申请人补正：答复期限自收到补正之日起重新计算（REQ-10）"]
        return
    facts = clock_facts(app)
    if facts is None:
        app.base_due_date = app.due_date = app.due_pending_year = None
        app.due_trace = ["尚未确认收到申请，期限未起算（REQ-5、REQ-7）"]
        return
    clock = rules.compute_clock(facts, cal, fee_pauses_clock=settings.GONGKAI_FEE_PAUSES_CLOCK)
    app.base_due_date, app.due_date = clock.base_due, clock.due
    app.due_pending_year, app.due_trace = clock.pending_year, clock.trace


def recompute_open_deadlines(*, years=None) -> int:
    """After a calendar change: recompute every open application's deadline. Returns the count.

    Called by the ``calendar_changed`` receiver; one transaction, one audit entry.
    """
    cal = load_calendar()
    changed = 0
    with transaction.atomic():
        for app in Application.objects.select_for_update().exclude(stage__in=rules.FINAL):
            before = (app.base_due_date, app.due_date, app.due_pending_year)
            _refresh_clock(app, cal)
            if (app.base_due_date, app.due_date, app.due_pending_year) != before:
                app.save(
                    update_fields=["base_due_date", "due_date", "due_pending_year", "due_trace"]
                )
                changed += 1
        if changed:
            record(
                "applications.recompute_deadlines",
                summary={"years": sorted(years or []), "changed": changed},
            )
    return changed


def _alert_pending(app: Application) -> None:
    """CAL-3: tell the office that a deadline is pending for lack of calendar data."""
    ancestors = [int(pk) for pk in app.org.path.strip("/").split("/")]
    recipients = list(
        User.objects.filter(org_id__in=ancestors, role=Role.OFFICE_ADMIN, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            f"期限待定：申请{app.number}缺少{app.due_pending_year}年节假日数据",
            f"申请{app.number}的答复期限跨入{app.due_pending_year}年，该年节假日安排尚未录入，"
            f"期限显示为“期限待定”。请用“gongkai workdays import”导入国务院办公厅通知后自动重算。",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )


# --- Personal data ------------------------------------------------------------------------------


def may_reveal(app: Application, user: User) -> bool:
    """Personal numbers in full: only to the assigned 承办人 (issue 3 §10)."""
    return user.is_authenticated and app.handler_id == user.pk


def reveal(app: Application, *, by: User) -> dict[str, str]:
    """The applicant's personal numbers in clear, for the assigned handler; every look is logged."""
    if not may_reveal(app, by):
        raise PermissionError("只有承办人可以查看完整的个人信息")
    record("applications.reveal_personal_data", actor=by, obj=app, summary={"number": app.number})
    return {
        "id_number": decrypt(app.id_number_enc),
        "phone": decrypt(app.phone_enc),
        "address": decrypt(app.address_enc),
        "agent_id_number": decrypt(app.agent_id_enc),
    }


def fee_total(app: Application) -> Decimal:
    fee = FeeNotice.objects.filter(application=app).first()
    return fee.amount if fee else Decimal(0)
