"""Every change of state of a mailbox letter: transaction, save, audit (RULES.zh.md §8).

Audit summaries carry numbers, statuses and org ids only — never the writer's name,
contact or the letter's text.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.interaction import abuse, queries, rules
from gongkai.interaction.enums import Action, Category, Channel, Satisfaction, Status
from gongkai.interaction.models import (
    BlockedSender,
    Letter,
    LetterAttachment,
    Mailbox,
    Transfer,
)
from gongkai.lib.crypto import blind_index, decrypt, encrypt
from gongkai.lib.identity import MOBILE, mask_middle, mask_name, mask_phone
from gongkai.orgs.models import Org
from gongkai.workdays.rules import CalendarYearMissing, count_workdays
from gongkai.workdays.services import load_calendar

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DUPLICATE_WINDOW = timedelta(hours=24)
LANDLINE = r"^0\d{2,3}-?\d{7,8}$"
TransitionRefused = rules.TransitionRefused


class LetterInvalid(Exception):
    """A letter's input does not hold; ``errors`` maps field names to Chinese messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


@dataclass(frozen=True)
class Submitted:
    letter: Letter
    code: str  # shown once to the writer, for rating; only its HMAC is stored


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _code_index(code: str) -> str:
    return blind_index("letter-code:" + code)


def _content_hash(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode()).hexdigest()


def mask_contact(contact: str) -> str:
    contact = contact.strip()
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return mask_middle(local, keep_start=1, keep_end=0) + "@" + domain
    return mask_phone(contact)


def contact_error(contact: str) -> str | None:
    """None for a mobile, landline or e-mail address; else what is wrong, in Chinese."""
    contact = contact.strip()
    if MOBILE.match(contact) or re.match(LANDLINE, contact):
        return None
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return "电子邮箱格式不正确"
        return None
    return "联系方式应为手机号码、固定电话或电子邮箱"


def _validate(data: dict, *, web: bool) -> dict[str, str]:
    errors = {}
    if not data.get("subject", "").strip():
        errors["subject"] = "请填写标题"
    elif len(data["subject"]) > 200:
        errors["subject"] = "标题不能超过200字"
    if data.get("category", Category.OTHER) not in Category.values:
        errors["category"] = "请选择正确的类别"
    contact = data.get("contact", "").strip()
    if contact and (reason := contact_error(contact)):
        errors["contact"] = reason
    for name in ("subject", "content", "writer_name"):
        if abuse.has_markup(data.get(name, "")):
            errors[name] = "内容中不能包含网页代码或脚本（如 <script>），请删除后重新提交"
    if len(data.get("content", "")) > abuse.MAX_CONTENT:
        errors["content"] = f"留言内容不能超过{abuse.MAX_CONTENT}字"
    if len(data.get("writer_name", "")) > 40:
        errors["writer_name"] = "姓名不能超过40字"
    if web:  # a web writer must give both; staff enter post and phone letters as they came
        if not contact:
            errors["contact"] = "请填写联系方式"
        if not data.get("content", "").strip():
            errors["content"] = "请填写留言内容"
    return errors


# --- Intake ------------------------------------------------------------------------------


def submit(
    mailbox: Mailbox,
    data: dict,
    *,
    channel: Channel = Channel.WEB,
    by=None,
    at: datetime | None = None,
    address: str = "",
    files: list[tuple[str, str, bytes]] = (),
) -> Submitted:
    """A letter from the web form (``by`` None) or entered by staff (post, phone).

    A duplicate (same contact and content within 24 h, MBX-3) is kept and marked. A letter
    over a rate limit or from a blocked sender is kept and *held* for staff to release
    (``abuse.hold_reason``); it is saved before the writer sees the receipt. ``files`` are
    ``(name, content_type, data)``.
    """
    if not mailbox.active:
        raise LetterInvalid({"mailbox": "该信箱已停用"})
    if channel != Channel.WEB and by is None:
        raise LetterInvalid({"channel": "来信、来电由工作人员登记"})
    errors = _validate(data, web=channel == Channel.WEB)
    if reason := abuse.attachments_error(files):
        errors["attachments"] = reason
    if errors:
        raise LetterInvalid(errors)
    at = at or timezone.now()
    received = local_date(at)
    contact = data.get("contact", "").strip()
    content = data.get("content", "").strip()
    name = data.get("writer_name", "").strip()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    calendar = load_calendar()
    try:
        accept_due = rules.accept_due(received, calendar, workdays=mailbox.accept_workdays)
        reply_due = rules.reply_due(received, calendar, workdays=mailbox.reply_workdays)
    except CalendarYearMissing:
        accept_due = reply_due = None  # set once the year's calendar is imported
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
        seq = Letter.objects.filter(mailbox=mailbox, received_at__year=at.year).count() + 1
        contact_index = blind_index(contact) if contact else ""
        content_hash = _content_hash(content) if content else ""
        original = None
        if contact_index and content_hash:
            original = (
                Letter.objects.filter(
                    contact_index=contact_index,
                    content_hash=content_hash,
                    received_at__gte=at - DUPLICATE_WINDOW,
                    received_at__lte=at,
                    duplicate_of=None,
                )
                .order_by("received_at", "pk")
                .first()
            )
        address_index = blind_index("addr:" + address) if address else ""
        held = "" if by is not None else abuse.hold_reason(contact_index, address_index, at)
        letter = Letter.objects.create(
            mailbox=mailbox,
            held=bool(held),
            held_reason=held,
            address_index=address_index,
            number=f"{mailbox.pk:03d}-{received.year}-{seq:05d}",
            channel=channel,
            category=data.get("category", Category.OTHER),
            subject=data["subject"].strip(),
            content=content,
            writer_name=encrypt(name),
            writer_name_masked=mask_name(name) if name else "",
            contact=encrypt(contact),
            contact_masked=mask_contact(contact) if contact else "",
            contact_index=contact_index,
            content_hash=content_hash,
            may_publish=bool(data.get("may_publish")),
            received_at=at,
            accept_due=accept_due,
            reply_due=reply_due,
            duplicate_of=original,
            is_test=bool(data.get("is_test")),
            code_index=_code_index(code),
        )
        for name, content_type, blob in files:
            LetterAttachment.objects.create(
                letter=letter,
                name=name[:200],
                content_type=content_type[:100],
                size=len(blob),
                data=blob,
            )
        summary = {
            "number": letter.number,
            "channel": channel,
            "duplicate_of": original.number if original else None,
        }
        if held:
            summary["held"] = True
        if files:
            summary["attachments"] = len(files)
        record("interaction.submit", actor=by, obj=letter, summary=summary)
    return Submitted(letter, code)


# --- Workflow ----------------------------------------------------------------------------


def _check_visible(letter: Letter, by) -> None:
    if not queries.visible_to(by).filter(pk=letter.pk).exists():
        raise PermissionDenied("无权办理该信件")


def _move(
    letter: Letter,
    action: Action,
    *,
    by,
    fields: dict,
    situation: rules.Situation | None = None,
    summary: dict | None = None,
) -> Letter:
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        before = letter.status
        after = rules.next_status(Status(before), action, situation or rules.Situation())
        for name, value in fields.items():
            setattr(letter, name, value)
        letter.status = after
        letter.save(update_fields=["status", *fields])
        record(
            f"interaction.{action}",
            actor=by,
            obj=letter,
            summary={"number": letter.number, "from": before, "to": after, **(summary or {})},
        )
    return letter


def accept(letter: Letter, *, by) -> Letter:
    """MBX-3: refused with the reason when the letter has no contact or no content."""
    _check_visible(letter, by)
    if Letter.objects.filter(pk=letter.pk, held=True).exists():
        raise TransitionRefused("暂存待核的信件须先放行，才能受理")
    situation = rules.Situation(has_contact=bool(letter.contact), has_content=bool(letter.content))
    return _move(letter, Action.ACCEPT, by=by, fields={"valid": True}, situation=situation)


def refuse(letter: Letter, *, by, reason: str) -> Letter:
    _check_visible(letter, by)
    if not reason.strip():
        raise LetterInvalid({"reason": "请填写不予受理的理由"})
    fields = {"valid": False, "refusal_reason": reason.strip()[:200]}
    return _move(letter, Action.REFUSE, by=by, fields=fields)


def reveal(letter: Letter, *, by) -> dict[str, str]:
    """The writer's name and contact in full, to contact them; audited, never stored."""
    _check_visible(letter, by)
    record("interaction.reveal", actor=by, obj=letter, summary={"number": letter.number})
    return {"writer_name": decrypt(letter.writer_name), "contact": decrypt(letter.contact)}


def mark_test(letter: Letter, *, by) -> Letter:
    """A test letter stays in the records but is not counted (MBX-3)."""
    _check_visible(letter, by)
    with transaction.atomic():
        letter.is_test = True
        letter.save(update_fields=["is_test"])
        record("interaction.mark_test", actor=by, obj=letter, summary={"number": letter.number})
    return letter


def transfer(letter: Letter, *, by, to_org: Org, handler=None, note: str = "") -> Letter:
    _check_visible(letter, by)
    if handler is not None and handler.org_id != to_org.pk:
        raise LetterInvalid({"handler": "承办人不属于该承办单位"})
    with transaction.atomic():
        letter = _move(
            letter,
            Action.TRANSFER,
            by=by,
            fields={"assigned_org": to_org, "handler": handler},
            summary={"to_org": to_org.pk},
        )
        Transfer.objects.create(
            letter=letter,
            to_org=to_org,
            handler=handler,
            note=note,
            by=by.get_username(),
            at=timezone.now(),
        )
    return letter


def bounce(letter: Letter, *, by, reason: str) -> Letter:
    """The receiving org sends the letter back to the mailbox office, with a reason."""
    _check_visible(letter, by)
    if not reason.strip():
        raise LetterInvalid({"reason": "请填写退回理由"})
    with transaction.atomic():
        last = letter.transfers.filter(bounced_at=None).last()
        letter = _move(
            letter,
            Action.BOUNCE,
            by=by,
            fields={"assigned_org": None, "handler": None},
            summary={"from_org": last.to_org_id if last else None},
        )
        if last:
            last.bounced_at = timezone.now()
            last.bounce_reason = reason.strip()
            last.bounced_by = by.get_username()
            last.save(update_fields=["bounced_at", "bounce_reason", "bounced_by"])
    return letter


def take(letter: Letter, *, by) -> Letter:
    """The receiving org signs for the letter and starts 办理."""
    _check_visible(letter, by)
    return _move(letter, Action.TAKE, by=by, fields={"handler": letter.handler or by})


def draft_reply(letter: Letter, *, by, text: str) -> Letter:
    _check_visible(letter, by)
    if not text.strip():
        raise LetterInvalid({"reply": "请填写答复内容"})
    fields = {"reply": text.strip(), "drafted_by": by, "reviewed_by": None, "reviewed_at": None}
    return _move(letter, Action.DRAFT, by=by, fields=fields)


def review(letter: Letter, *, by, approve: bool, note: str = "") -> Letter:
    """Approve the draft (another person than its drafter) or return it for changes."""
    _check_visible(letter, by)
    if not approve:
        return _move(letter, Action.RETURN, by=by, fields={})
    situation = rules.Situation(drafter_is_reviewer=letter.drafted_by_id == by.pk)
    fields = {"reviewed_by": by, "reviewed_at": timezone.now()}
    return _move(letter, Action.APPROVE, by=by, fields=fields, situation=situation)


def send(letter: Letter, *, by, on: date | None = None) -> Letter:
    _check_visible(letter, by)
    on = on or timezone.localdate()
    received = local_date(letter.received_at)
    try:
        used = count_workdays(received, on, load_calendar())
    except CalendarYearMissing:
        used = None
    situation = rules.Situation(reviewed=letter.reviewed_at is not None)
    fields = {"replied_on": on, "handling_workdays": used}
    return _move(letter, Action.SEND, by=by, fields=fields, situation=situation)


def mask_for_publication(text: str, *, names: tuple[str, ...] = ()) -> str:
    """The catalog's scanner (SEC-4: IDs, phones, cards, e-mails, addresses), then the names."""
    try:
        from gongkai.lib.scan import mask_text
    except ImportError:  # pragma: no cover - the scanner ships with the lists app
        return rules.mask_personal(text, names=names)
    return rules.mask_personal(mask_text(text), names=names)


def publish(letter: Letter, *, by, on: date | None = None) -> Letter:
    """Publish the letter and reply as Q&A with personal data masked (stand-in scanner)."""
    _check_visible(letter, by)
    names = (decrypt(letter.writer_name),) if letter.writer_name else ()
    fields = {
        "published_on": on or timezone.localdate(),
        "published_subject": mask_for_publication(letter.subject, names=names),
        "published_question": mask_for_publication(letter.content, names=names),
        "published_answer": mask_for_publication(letter.reply, names=names),
    }
    situation = rules.Situation(may_publish=letter.may_publish)
    return _move(letter, Action.PUBLISH, by=by, fields=fields, situation=situation)


def find(number: str, code: str) -> Letter | None:
    """The letter with this number, if ``code`` is its query code (compared in constant time)."""
    letter = Letter.objects.filter(number=number.strip()).select_related("mailbox").first()
    if letter is None or not hmac.compare_digest(letter.code_index, _code_index(code.strip())):
        return None
    return letter


def rate(number: str, *, code: str, satisfaction: Satisfaction) -> Letter:
    """Only the writer rates, by the code shown at submission."""
    letter = Letter.objects.filter(number=number).first()
    if letter is None or not hmac.compare_digest(letter.code_index, _code_index(code.strip())):
        raise LetterInvalid({"code": "信件编号或查询码不正确"})
    if satisfaction not in Satisfaction.values:
        raise LetterInvalid({"satisfaction": "请选择满意度"})
    situation = rules.Situation(rated=bool(letter.satisfaction))
    fields = {"satisfaction": satisfaction, "rated_at": timezone.now()}
    return _move(
        letter,
        Action.RATE,
        by=None,
        fields=fields,
        situation=situation,
        summary={"satisfaction": satisfaction},
    )


# --- Abuse: held letters, block list ---------------------------------------------------------


def release(letter: Letter, *, by) -> Letter:
    """A held letter goes into the normal inbox; nothing else about it changes."""
    _check_visible(letter, by)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if not letter.held:
            raise TransitionRefused("该信件未被暂存")
        letter.held = False
        letter.save(update_fields=["held"])
        record(
            "interaction.release",
            actor=by,
            obj=letter,
            summary={"number": letter.number, "held_reason": letter.held_reason},
        )
    return letter


def block_sender(letter: Letter, *, by, kind: str, reason: str) -> BlockedSender:
    """Hold future letters from this letter's contact (``kind="contact"``) or address."""
    _check_visible(letter, by)
    value = letter.contact_index if kind == "contact" else letter.address_index
    if kind not in ("contact", "address") or not value:
        raise LetterInvalid({"kind": "该信件没有可屏蔽的联系方式或网络地址"})
    if not reason.strip():
        raise LetterInvalid({"reason": "请填写屏蔽原因"})
    masked = letter.contact_masked if kind == "contact" else f"{letter.number} 的网络地址"
    with transaction.atomic():
        blocked, _ = BlockedSender.objects.update_or_create(
            kind=kind,
            value_index=value,
            defaults={
                "value_masked": masked,
                "reason": reason.strip()[:200],
                "by": by.get_username(),
                "at": timezone.now(),
            },
        )
        record(
            "interaction.block",
            actor=by,
            obj=blocked,
            summary={"number": letter.number, "kind": kind},
        )
    return blocked


def unblock(blocked: BlockedSender, *, by) -> None:
    with transaction.atomic():
        record(
            "interaction.unblock",
            actor=by,
            obj=blocked,
            summary={"kind": blocked.kind, "blocked_id": blocked.pk},
        )
        blocked.delete()
