"""One reminder mail a day per 承办人: what is overdue, due within 5 working days, or 期限待定.

Never one mail per case. Mail goes through Django's email backend (the console by default).
Handlers without an e-mail address (or whose account is deactivated) are skipped and
reported, never silently lost.
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q, QuerySet

from gongkai.applications import queries
from gongkai.applications.enums import Stage
from gongkai.applications.models import Application
from gongkai.audit.services import record
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import subtree
from gongkai.workdays.rules import (
    CalendarYearMissing,
    WorkCalendar,
    add_workdays,
    count_workdays,
    weekday_name,
)
from gongkai.workdays.services import load_calendar

DUE_SOON_WORKDAYS = 5
DESCRIPTION_CHARS = 30

OVERDUE, DUE_SOON, PENDING = "overdue", "due_soon", "pending"
SECTIONS = {
    OVERDUE: "已超期",
    DUE_SOON: f"{DUE_SOON_WORKDAYS}个工作日内到期",
    PENDING: "期限待定（缺少节假日数据）",
}


@dataclass(frozen=True)
class Line:
    """One application in a reminder or an overdue list: no personal data."""

    number: str
    org: str
    handler: str
    description: str
    due: date | None
    section: str
    status: str  # 已超期3个工作日 / 剩余2个工作日 / 今日到期 / 期限待定（缺少2027年节假日数据）


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def line_for(app: Application, today: date, cal: WorkCalendar) -> Line:
    """Where ``app`` stands against its deadline on ``today``, in words."""
    due = app.due_date
    if app.due_pending_year or due is None:
        section = PENDING
        status = f"期限待定（缺少{app.due_pending_year}年节假日数据）"
    elif due < today:
        section = OVERDUE
        try:
            late = count_workdays(due, today, cal)
        except CalendarYearMissing:
            late = 0
        status = f"已超期{late}个工作日" if late else f"已超期（{due}届满）"
    elif due == today:
        section, status = DUE_SOON, "今日到期"
    else:
        section = DUE_SOON
        status = f"剩余{count_workdays(today, due, cal)}个工作日"
    return Line(
        number=app.number,
        org=app.org.short_name or app.org.name,
        handler=app.handler.get_username() if app.handler else "",
        description=shorten(app.description),
        due=due,
        section=section,
        status=status,
    )


def _running(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Open applications whose clock runs: 待补正 is stopped (REQ-31), its stored date stale."""
    return queries.open_(qs).exclude(stage=Stage.AWAITING_CORRECTION)


def needing_attention(today: date, cal: WorkCalendar) -> QuerySet[Application]:
    """Assigned open applications overdue, due within 5 working days, or 期限待定."""
    try:
        horizon = add_workdays(today, DUE_SOON_WORKDAYS, cal)
        dated = Q(due_date__lte=horizon)
    except CalendarYearMissing:
        # Next year is not loaded, so every known deadline lies before its 元旦 anyway.
        dated = Q(due_date__isnull=False)
    return (
        _running(Application.objects.filter(handler__isnull=False))
        .filter(dated | Q(due_pending_year__isnull=False))
        .select_related("handler", "org")
        .order_by("handler__username", "due_date", "number")
    )


def render(handler: User, lines: list[Line], today: date) -> tuple[str, str]:
    """Subject and body of one handler's digest."""
    overdue = sum(line.section == OVERDUE for line in lines)
    subject = f"政府信息公开申请待办提醒（{today}）：{len(lines)}件"
    if overdue:
        subject += f"，其中已超期{overdue}件"
    body = [
        f"{handler.full_name or handler.get_username()}：",
        "",
        f"截至{today}（{weekday_name(today)}），您承办的以下{len(lines)}件政府信息公开申请需要关注：",
    ]
    for section, title in SECTIONS.items():
        mine = [line for line in lines if line.section == section]
        if not mine:
            continue
        body += ["", f"{title}（{len(mine)}件）"]
        body += [
            f"  {line.number}　{line.org}　{line.description}　"
            f"答复期限{line.due or '待定'}　{line.status}"
            for line in mine
        ]
    body += [
        "",
        f"请登录 {settings.SITE_URL}/ 办理。",
        "本提醒每日一封，只列出未办结且已超期、临近期限或期限待定的申请；待补正、待缴费期间期限暂停，不列入。",
    ]
    return subject, "\n".join(body) + "\n"


@dataclass(frozen=True)
class DigestPlan:
    mails: list[EmailMessage] = field(default_factory=list)
    applications: int = 0
    skipped: list[str] = field(default_factory=list)  # handlers without e-mail, or deactivated


def plan_digests(today: date) -> DigestPlan:
    """Build (not send) one mail per handler with at least one application to mention."""
    cal = load_calendar()
    mails, skipped, total = [], [], 0
    apps = needing_attention(today, cal)
    for _, group in groupby(apps, key=lambda app: app.handler_id):
        group = list(group)
        handler = group[0].handler
        if not (handler.email and handler.is_active):
            skipped.append(handler.get_username())
            continue
        lines = [line_for(app, today, cal) for app in group]
        subject, body = render(handler, lines, today)
        mails.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [handler.email]))
        total += len(lines)
    return DigestPlan(mails, total, skipped)


def digest_mails(today: date) -> list[EmailMessage]:
    return plan_digests(today).mails


def send_plan(plan: DigestPlan, *, today: date) -> int:
    """Send the plan's mails in one connection and log the run; returns the mails sent."""
    sent = (get_connection().send_messages(plan.mails) or 0) if plan.mails else 0
    record(
        "applications.digest",
        summary={
            "date": today,
            "mails": sent,
            "applications": plan.applications,
            "skipped": len(plan.skipped),
        },
    )
    return sent


def send_digests(today: date) -> int:
    """Send today's digests; returns how many mails went out."""
    return send_plan(plan_digests(today), today=today)


def overdue_lines(org: Org | None, today: date) -> list[Line]:
    """The overdue list of an org subtree (every org when None), most overdue first."""
    qs = (
        Application.objects.all()
        if org is None
        else Application.objects.filter(org__in=subtree(org))
    )
    apps = _running(queries.overdue(qs, on=today)).select_related("handler", "org")
    cal = load_calendar()
    return [line_for(app, today, cal) for app in apps.order_by("due_date", "number")]
