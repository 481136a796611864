"""人大代表建议 / 政协委员提案: register, reply, the proposer's opinion, close, publish (MBX-5).

Every change is audited. The reply deadline is ``assigned_on`` plus ``DEADLINE_MONTHS``
(MBX-5: "一般为交办之日起3个月内答复", from memory — verify, hence a setting-like constant).
"""

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.audit.services import record
from gongkai.interaction import queries
from gongkai.interaction.enums import Opinion, ProposalKind
from gongkai.interaction.models import Proposal
from gongkai.interaction.services import LetterInvalid, TransitionRefused

DEADLINE_MONTHS = 3


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(assigned_on: date, *, months: int = DEADLINE_MONTHS) -> date:
    return add_months(assigned_on, months)


def _check(proposal: Proposal, by) -> None:
    if not queries.proposals_visible_to(by).filter(pk=proposal.pk).exists():
        raise PermissionDenied("无权办理该建议提案")


def _save(proposal: Proposal, action: str, *, by, fields: list[str], summary=None) -> Proposal:
    with transaction.atomic():
        proposal.save(update_fields=fields)
        record(
            f"interaction.proposal_{action}",
            actor=by,
            obj=proposal,
            summary={"kind": proposal.kind, "number": proposal.number, **(summary or {})},
        )
    return proposal


def register(
    *,
    kind: str,
    year: int,
    number: str,
    title: str,
    proposers: str,
    lead_org,
    assigned_on: date,
    co_orgs=(),
    by=None,
    months: int = DEADLINE_MONTHS,
) -> Proposal:
    errors = {}
    if kind not in ProposalKind.values:
        errors["kind"] = "请选择建议或提案"
    if not number.strip():
        errors["number"] = "请填写编号"
    if not title.strip():
        errors["title"] = "请填写标题"
    if not proposers.strip():
        errors["proposers"] = "请填写代表或委员姓名"
    if Proposal.objects.filter(kind=kind, year=year, number=number.strip()).exists():
        errors["number"] = "该年度已有相同编号"
    if errors:
        raise LetterInvalid(errors)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            kind=kind,
            year=year,
            number=number.strip(),
            title=title.strip()[:200],
            proposers=proposers.strip()[:300],
            lead_org=lead_org,
            assigned_on=assigned_on,
            deadline=deadline(assigned_on, months=months),
        )
        proposal.co_orgs.set(co_orgs)
        record(
            "interaction.proposal_register",
            actor=by,
            obj=proposal,
            summary={"kind": kind, "number": proposal.number, "lead_org": lead_org.pk},
        )
    return proposal


def reply(proposal: Proposal, *, by, text: str, on: date) -> Proposal:
    _check(proposal, by)
    if proposal.closed_on:
        raise TransitionRefused("已办结，不能修改答复")
    if not text.strip():
        raise LetterInvalid({"reply": "请填写答复内容"})
    proposal.reply, proposal.replied_on = text.strip(), on
    return _save(proposal, "reply", by=by, fields=["reply", "replied_on"])


def record_opinion(proposal: Proposal, *, by, opinion: str) -> Proposal:
    _check(proposal, by)
    if opinion not in Opinion.values:
        raise LetterInvalid({"opinion": "请选择代表/委员意见"})
    if not proposal.replied_on:
        raise TransitionRefused("尚未答复，不能登记代表/委员意见")
    proposal.opinion = opinion
    return _save(proposal, "opinion", by=by, fields=["opinion"], summary={"opinion": opinion})


def close(proposal: Proposal, *, by, on: date) -> Proposal:
    _check(proposal, by)
    if not proposal.replied_on:
        raise TransitionRefused("尚未答复，不能办结")
    if proposal.closed_on:
        raise TransitionRefused("已办结")
    proposal.closed_on = on
    return _save(proposal, "close", by=by, fields=["closed_on"])


def publish_reply(proposal: Proposal, *, by) -> Proposal:
    _check(proposal, by)
    if not proposal.replied_on:
        raise TransitionRefused("尚未答复，不能公开答复")
    proposal.reply_published = True
    return _save(proposal, "publish", by=by, fields=["reply_published"])
