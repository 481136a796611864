"""Rules of the leader mailboxes, as pure functions over plain values (RULES.zh.md §8).

No ORM, no clock, no settings: ``services`` gathers the facts of a letter and calls these.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongkai.interaction.enums import Action, Status
from gongkai.lib.identity import mask_id, mask_name, mask_phone, resident_id_error
from gongkai.reports.rules import percentage
from gongkai.workdays.rules import WorkCalendar, add_workdays

ACCEPT_WORKDAYS = 3  # MBX-2 default, configurable per mailbox
REPLY_WORKDAYS = 10

SAME = None  # the action leaves the status as it is

# action -> (statuses it may be taken from, status it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.ACCEPT: (frozenset({Status.PENDING}), Status.ACCEPTED),
    Action.REFUSE: (frozenset({Status.PENDING}), Status.REFUSED),
    Action.TRANSFER: (frozenset({Status.ACCEPTED, Status.HANDLING}), Status.TRANSFERRING),
    Action.BOUNCE: (frozenset({Status.TRANSFERRING}), Status.ACCEPTED),
    Action.TAKE: (frozenset({Status.TRANSFERRING}), Status.HANDLING),
    Action.DRAFT: (
        frozenset({Status.ACCEPTED, Status.HANDLING, Status.REVIEWING}),
        Status.REVIEWING,
    ),
    Action.APPROVE: (frozenset({Status.REVIEWING}), SAME),
    Action.RETURN: (frozenset({Status.REVIEWING}), Status.HANDLING),
    Action.SEND: (frozenset({Status.REVIEWING}), Status.REPLIED),
    Action.PUBLISH: (frozenset({Status.REPLIED}), Status.PUBLISHED),
    Action.RATE: (frozenset({Status.REPLIED, Status.PUBLISHED}), SAME),
}


class TransitionRefused(Exception):
    """An action the state machine or a rule does not allow; the message says why."""


@dataclass(frozen=True)
class Situation:
    """The facts a transition's guards look at, gathered by the service."""

    has_contact: bool = True
    has_content: bool = True
    reviewed: bool = False
    drafter_is_reviewer: bool = False
    may_publish: bool = True
    rated: bool = False


def accept_refusal(*, has_contact: bool, has_content: bool) -> str | None:
    """MBX-3: why a letter may not be accepted, or None when it may."""
    if not has_contact:
        return "无有效联系方式，不予受理（MBX-3）"
    if not has_content:
        return "无具体内容，不予受理（MBX-3）"
    return None


def next_status(status: Status, action: Action, situation: Situation = Situation()) -> Status:
    """The status after ``action``, or ``TransitionRefused`` with the reason in Chinese."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionRefused(f"当前状态为“{Status(status).label}”，不能“{Action(action).label}”")
    reason = _guard(action, situation)
    if reason:
        raise TransitionRefused(reason)
    return Status(status) if target is SAME else target


def _guard(action: Action, s: Situation) -> str | None:
    if action == Action.ACCEPT:
        return accept_refusal(has_contact=s.has_contact, has_content=s.has_content)
    if action == Action.APPROVE and s.drafter_is_reviewer:
        return "答复须由起草人以外的人员审核（MBX-2）"
    if action == Action.SEND and not s.reviewed:
        return "答复审核通过后才能发送（MBX-2）"
    if action == Action.PUBLISH and not s.may_publish:
        return "来信人不同意公开，不能公开答复"
    if action == Action.RATE and s.rated:
        return "每封信件只能评价一次"
    return None


# --- Clocks (MBX-2) ----------------------------------------------------------------------


def accept_due(received: date, cal: WorkCalendar, *, workdays: int = ACCEPT_WORKDAYS) -> date:
    """The last working day to accept or refuse; ``CalendarYearMissing`` without data."""
    return add_workdays(received, workdays, cal)


def reply_due(received: date, cal: WorkCalendar, *, workdays: int = REPLY_WORKDAYS) -> date:
    """The last working day to reply, counted from receipt."""
    return add_workdays(received, workdays, cal)


# --- Masking for publication -------------------------------------------------------------

# A stand-in until the catalog's sensitive-data scanner exists: ID numbers, mobiles, names.
_ID_TOKEN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_TOKEN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_personal(text: str, *, names: tuple[str, ...] = ()) -> str:
    """``text`` with valid resident ID numbers, mobile numbers and the given names masked."""

    def id_or_keep(match: re.Match) -> str:
        token = match.group(0)
        return mask_id(token) if resident_id_error(token) is None else token

    text = _ID_TOKEN.sub(id_or_keep, text)
    text = _MOBILE_TOKEN.sub(lambda m: mask_phone(m.group(0)), text)
    for name in names:
        name = name.strip()
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text


# --- Figures (MBX-1, MBX-4) --------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    received: int
    valid: int
    replied: int
    published: int
    reply_rate: Decimal | None  # None when there is no valid letter
    average_handling_workdays: Decimal | None
    overdue: int
    oldest_unanswered: date | None
    satisfaction: dict[str, int] = field(default_factory=dict)


def figures(
    *,
    received: int,
    valid: int,
    replied: int,
    published: int = 0,
    handling_workdays_total: int = 0,
    handled: int = 0,
    overdue: int = 0,
    oldest_unanswered: date | None = None,
    satisfaction: dict[str, int] | None = None,
    mode: str = "half_up",
) -> Figures:
    """MBX-1: 答复率 = 答复数 ÷ 有效留言数 × 100, rounded per RPT-25 by ``mode``."""
    rate = percentage(replied, valid, mode=mode) if valid else None
    average = None
    if handled:
        average = (Decimal(handling_workdays_total) / handled).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return Figures(
        received=received,
        valid=valid,
        replied=replied,
        published=published,
        reply_rate=rate,
        average_handling_workdays=average,
        overdue=overdue,
        oldest_unanswered=oldest_unanswered,
        satisfaction=dict(satisfaction or {}),
    )
