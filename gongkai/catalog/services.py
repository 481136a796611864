"""Every change of state of a catalog item goes through here (SEC-3, PUB-3, IDX-1, INT-2).

Each call runs in one transaction with its audit entry; the search index is written in the
same transaction (``gongkai.search``), so an item and its index entry land together.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai import search
from gongkai.audit.services import record
from gongkai.catalog import rules
from gongkai.catalog.enums import Attribute, Channel, Conclusion, DocKind, Legacy, Status, Validity
from gongkai.catalog.models import (
    Attachment,
    CatalogNode,
    Distribution,
    IndexSequence,
    Item,
    ProvincialSubmission,
    Review,
)
from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.scan import scan_text
from gongkai.orgs.enums import Role
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import visible_to
from gongkai.search.api import Document
from gongkai.workdays.rules import CalendarYearMissing
from gongkai.workdays.services import load_calendar

REVIEWER_ROLES = (Role.REVIEWER, Role.OFFICE_ADMIN, Role.DEPT_ADMIN)
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "ofd", "png", "jpg", "jpeg", "gif", "txt", "doc", "xls")
BODY_FIELDS = (
    "title", "number", "subject", "summary", "keywords", "title_en", "summary_en",
    "interpretation_form", "withheld_reason",
)  # fmt: skip


class ItemInvalid(Exception):
    """The input does not hold; ``errors`` maps field names to Chinese messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


def today_local() -> date:
    return timezone.localdate()


def _in_scope(user: User, org: Org) -> bool:
    return visible_to(user).filter(pk=org.pk).exists()


def may_edit(user: User, item: Item) -> bool:
    return (
        user.is_authenticated
        and (user.is_staff_member or user.is_superuser)
        and item.status in (Status.DRAFT, Status.RETURNED)
        and _in_scope(user, item.org)
    )


def may_review(user: User, item: Item) -> bool:
    """SEC-3: a reviewer of the item's org subtree who is not its author."""
    return (
        user.is_authenticated
        and (user.role in REVIEWER_ROLES or user.is_superuser)
        and item.author_id != user.pk
        and _in_scope(user, item.org)
    )


# --- Drafting -------------------------------------------------------------------------------


def duplicate_number(org: Org, number: str, *, exclude: int | None = None) -> Item | None:
    """IDX-4: a 文号 is unique within its org; the existing item, if any."""
    if not number:
        return None
    qs = Item.objects.filter(org=org, number=number.strip())
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def duplicate_index(index_no: str, *, exclude: int | None = None) -> Item | None:
    qs = Item.objects.filter(index_no=index_no)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _date_field(data: dict, name: str, label: str, errors: dict) -> date | None:
    try:
        return rules.parse_date(data.get(name))
    except ValueError as error:
        errors[name] = f"{label}：{error}"
        return None


def clean(data: dict, *, org: Org, item: Item | None = None) -> dict:
    """Check an item's fields; return the values to store or raise ``ItemInvalid``."""
    errors: dict[str, str] = {}
    values = {name: str(data.get(name) or "").strip() for name in BODY_FIELDS if name in data}
    if not values.get("title", item.title if item else ""):
        errors["title"] = "信息名称必填"
    formed_on = _date_field(data, "formed_on", "成文日期", errors)
    published_on = _date_field(data, "published_on", "发布日期", errors)
    effective_on = _date_field(data, "effective_on", "实施日期", errors)
    repealed_on = _date_field(data, "repealed_on", "废止日期", errors)
    if not errors.get("formed_on"):
        for name, message in rules.date_errors(
            formed_on=formed_on,
            published_on=published_on,
            effective_on=effective_on,
            repealed_on=repealed_on,
        ).items():
            errors.setdefault(name, message)
    kind = data.get("kind") or (item.kind if item else DocKind.OTHER)
    if kind not in DocKind.values:
        errors["kind"] = "文件类型不正确"
    validity = data.get("validity", item.validity if item else "") or ""
    if validity not in Validity.values:
        errors["validity"] = "有效性不正确"
    if kind in (DocKind.RULE, DocKind.NORMATIVE) and not validity:
        validity = Validity.REPEALED if repealed_on else Validity.VALID
    if repealed_on and validity != Validity.REPEALED:
        validity = Validity.REPEALED
    legacy = data.get("legacy_category") or (item.legacy_category if item else Legacy.OTHER)
    if legacy not in Legacy.values:
        errors["legacy_category"] = "信息类别不正确"
    attribute = data.get("attribute") or (item.attribute if item else Attribute.ACTIVE)
    if attribute not in Attribute.values:
        errors["attribute"] = "公开属性不正确"
    if attribute == Attribute.WITHHELD and not values.get("withheld_reason"):
        errors["withheld_reason"] = "不予公开的须注明理由与依据（PUB-6）"
    try:
        art20 = int(data.get("art20") or (item.art20 if item else 15))
        if not 1 <= art20 <= 15:
            raise ValueError
    except ValueError:
        errors["art20"] = "第二十条项目不正确"
        art20 = 15
    node = None
    node_id = data.get("node") or data.get("node_id")
    if node_id:
        node = CatalogNode.objects.filter(pk=node_id, org=org).first()
        if node is None:
            errors["node"] = "目录分类不属于本机关"
        elif node.children.exists():
            errors["node"] = f"“{node.name}”不是末级目录，信息须挂在末级目录下（CAT-2）"
    elif CatalogNode.objects.filter(org=org).exists():
        errors["node"] = "请选择末级目录分类"
    number = values.get("number", "")
    if number and (other := duplicate_number(org, number, exclude=item.pk if item else None)):
        errors["number"] = f"文号“{number}”已被本机关信息“{other.title}”（编号 {other.pk}）使用"
    policy = None
    if kind == DocKind.INTERPRETATION:
        policy_id = data.get("policy") or data.get("policy_id")
        policy = Item.objects.filter(pk=policy_id).first() if policy_id else None
        if policy is None or policy.kind == DocKind.INTERPRETATION:
            errors["policy"] = "政策解读须关联所解读的政策文件（INT-5）"
    if errors:
        raise ItemInvalid(errors)
    body = rules.sanitize(data["body_html"]) if "body_html" in data else None
    out = {
        **values,
        "formed_on": formed_on,
        "published_on": published_on,
        "effective_on": effective_on,
        "repealed_on": repealed_on,
        "kind": kind,
        "validity": validity,
        "legacy_category": legacy,
        "attribute": attribute,
        "art20": art20,
        "node": node,
        "policy": policy,
    }
    if body is not None:
        out["body_html"] = body
        out["body_text"] = rules.html_text(body)
    return out


EDITABLE = (
    *BODY_FIELDS, "formed_on", "published_on", "effective_on", "repealed_on", "kind",
    "validity", "legacy_category", "attribute", "art20", "node", "policy", "body_html",
)  # fmt: skip


def _data_of(item: Item) -> dict:
    """An item's editable fields as input values, so a change may name only what changes."""
    data = {}
    for name in EDITABLE:
        if name in ("node", "policy"):
            data[name] = getattr(item, f"{name}_id") or ""
        else:
            value = getattr(item, name)
            data[name] = "" if value is None else value
    return data


def add_attachment(item: Item, filename: str, data: bytes, content_type: str = "") -> Attachment:
    """Store a file with its extracted text; a failed extraction is flagged, not refused."""
    try:
        text, failed = extract_text(filename, data), False
    except ExtractionFailed:
        text, failed = "", True
    return Attachment.objects.create(
        item=item,
        filename=filename[:200],
        content_type=content_type[:100],
        data=data,
        size=len(data),
        text=text,
        extraction_failed=failed,
    )


def save_draft(
    data: dict,
    *,
    actor: User,
    item: Item | None = None,
    org: Org | None = None,
    files: Iterable[tuple[str, bytes]] = (),
) -> Item:
    """Create or change a draft (or a returned item)."""
    org = item.org if item else (org or actor.org)
    if org is None or not _in_scope(actor, org):
        raise ItemInvalid({"org": "只能在本机关及下级机关范围内起草信息"})
    if item is not None and not may_edit(actor, item):
        raise ItemInvalid({"status": "该信息当前状态不可修改"})
    if item is not None:
        data = {**_data_of(item), **data}
    files = list(files)
    for name, _data in files:
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in ATTACHMENT_TYPES:
            raise ItemInvalid({"attachments": f"不支持的附件类型：{name}"})
    values = clean(data, org=org, item=item)
    with transaction.atomic():
        if item is None:
            item = Item.objects.create(org=org, author=actor, **values)
            action = "catalog.draft"
        else:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            action = "catalog.edit"
        for name, payload in files:
            add_attachment(item, name, payload)
        record(action, actor=actor, obj=item, summary={"fields": sorted(data)})
    return item


# --- Scanning (SEC-4) --------------------------------------------------------------------------


def _texts(item: Item) -> list[tuple[str, str]]:
    texts = [("信息名称", item.title), ("内容概述", item.summary), ("正文", item.body_text)]
    texts += [(f"附件：{a.filename}", a.text) for a in item.attachments.all()]
    return [(where, text) for where, text in texts if text]


def scan(item: Item) -> list[dict]:
    """SEC-4: personal and sensitive data in title, summary, body and attachments, masked."""
    findings = []
    for where, text in _texts(item):
        for f in scan_text(text):
            findings.append(
                {
                    "where": where,
                    "kind": f.kind,
                    "label": f.label,
                    "start": f.start,
                    "end": f.end,
                    "masked": f.masked,
                }
            )
    return findings


def _store_scan(item: Item) -> list[dict]:
    item.findings = scan(item)
    item.scanned_at = timezone.now()
    item.save(update_fields=["findings", "scanned_at"])
    return item.findings


# --- Review (SEC-3) ------------------------------------------------------------------------------


def submit(item: Item, *, actor: User) -> Item:
    """Send a draft to 保密审查; the automatic scan runs first (SEC-4)."""
    if not may_edit(actor, item):
        raise ItemInvalid({"status": "该信息当前状态不可提交审查"})
    with transaction.atomic():
        findings = _store_scan(item)
        item.status = Status.IN_REVIEW
        item.save(update_fields=["status", "updated_at"])
        record("catalog.submit", actor=actor, obj=item, summary={"findings": len(findings)})
    return item


def has_approved_interpretation(item: Item) -> bool:
    """INT-2: an interpretation linked to the item that a reviewer has approved."""
    return item.interpretations.filter(status__in=(Status.APPROVED, Status.PUBLISHED)).exists()


def review(
    item: Item,
    *,
    reviewer: User,
    conclusion: str,
    reason: str = "",
    override_reason: str = "",
    waiver_reason: str = "",
    today: date | None = None,
) -> Item:
    """SEC-3: record a review decision and carry it out.

    Publishing with open scan findings needs ``override_reason`` (logged); publishing a
    规章/行政规范性文件 without an approved interpretation needs ``waiver_reason`` (INT-2).
    An approved interpretation of a policy not yet published waits for it (INT-2 三同步).
    """
    if conclusion not in Conclusion.values:
        raise ItemInvalid({"conclusion": "审查结论不正确"})
    if not may_review(reviewer, item):
        raise ItemInvalid({"reviewer": "审查人须为本机关审核人，且不得为起草人（SEC-3）"})
    if item.status != Status.IN_REVIEW:
        # SEC-3: a referred item waits for the authority's conclusion (decide_referral).
        raise ItemInvalid({"status": "该信息不在待审查状态"})
    reason, override_reason = reason.strip(), override_reason.strip()
    waiver_reason = waiver_reason.strip()
    today = today or today_local()
    publishing = conclusion in (Conclusion.PUBLISHABLE, Conclusion.PARTIAL_REDACT)
    with transaction.atomic():
        findings = _store_scan(item) if publishing else item.findings
        errors = {}
        if conclusion in (Conclusion.RETURNED, Conclusion.REFER, Conclusion.NOT_PUBLISHABLE):
            if not reason:
                errors["reason"] = "请填写理由"
        if publishing and findings and not override_reason:
            errors["override_reason"] = (
                f"自动检查发现 {len(findings)} 处个人或敏感信息；如确需发布，请填写理由"
            )
        if (
            publishing
            and item.needs_interpretation
            and not has_approved_interpretation(item)
            and not waiver_reason
        ):
            errors["waiver_reason"] = (
                "规章、行政规范性文件应同步发布解读材料；无解读发布须说明理由（INT-2）"
            )
        if errors:
            raise ItemInvalid(errors)
        Review.objects.create(
            item=item,
            reviewer=reviewer,
            at=timezone.now(),
            conclusion=conclusion,
            reason=reason,
            override_reason=override_reason,
            open_findings=len(findings) if publishing else 0,
        )
        summary = {"conclusion": conclusion, "findings": len(findings)}
        if override_reason:
            summary["override_reason"] = override_reason
        if conclusion == Conclusion.RETURNED:
            item.status = Status.RETURNED
        elif conclusion == Conclusion.REFER:
            item.status = Status.REFERRED
        elif conclusion == Conclusion.NOT_PUBLISHABLE:
            item.status = Status.RETURNED
            item.attribute = Attribute.WITHHELD
            item.withheld_reason = reason[:300]
            item.withheld_reviewed_on = today  # the decision is the first assessment (PUB-7)
        else:
            if waiver_reason:
                item.waiver_reason = waiver_reason[:300]
                summary["waiver_reason"] = waiver_reason
            if item.kind == DocKind.INTERPRETATION and item.policy.status != Status.PUBLISHED:
                item.status = Status.APPROVED
            else:
                _publish(item, actor=reviewer, today=today)
        item.save()
        record("catalog.review", actor=reviewer, obj=item, summary=summary)
    return item


def next_index_no(org: Org, year: int) -> str:
    """IDX-2/IDX-3: the next free index number of ``org`` in ``year`` (locks the sequence)."""
    template = settings.GONGKAI_INDEX_TEMPLATE
    code = rules.org_code(org.credit_code, org.pk)
    sequence, _ = IndexSequence.objects.select_for_update().get_or_create(org=org, year=year)
    while True:
        IndexSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
        sequence.refresh_from_db(fields=["last"])
        candidate = rules.index_number(template, org_code=code, year=year, serial=sequence.last)
        if not Item.objects.filter(index_no=candidate).exists():
            return candidate


def clock(formed_on: date) -> date | None:
    """PUB-3: due day of publication, None when the calendar does not reach it (期限待定)."""
    try:
        return rules.publish_due(formed_on, settings.GONGKAI_PUBLICATION_DAYS, load_calendar())
    except CalendarYearMissing:
        return None


def _publish(item: Item, *, actor, today: date) -> None:
    if not item.index_no:
        item.index_no = next_index_no(item.org, item.formed_on.year)
    item.published_on = item.published_on or today
    item.publish_due = clock(item.formed_on)
    item.late = rules.is_late(item.published_on, item.publish_due)
    item.status = Status.PUBLISHED
    item.save()
    Distribution.objects.get_or_create(
        item=item, channel=Channel.WEBSITE, defaults={"on": item.published_on}
    )
    if item.title_en:
        Distribution.objects.get_or_create(
            item=item, channel=Channel.ENGLISH, defaults={"on": item.published_on}
        )
    _index([item])
    for interp in item.interpretations.filter(status=Status.APPROVED):
        _publish(interp, actor=actor, today=today)
        record("catalog.publish", actor=actor, obj=interp, summary={"with_policy": item.pk})


def decide_referral(item: Item, *, actor: User, publishable: bool, reason: str) -> Item:
    """SEC-1: enter the authority's answer on a referred item: back to review or returned."""
    if item.status != Status.REFERRED or not may_review(actor, item):
        raise ItemInvalid({"status": "该信息不在报送确定状态"})
    if not reason.strip():
        raise ItemInvalid({"reason": "请填写主管部门或保密行政管理部门的结论"})
    with transaction.atomic():
        item.status = Status.IN_REVIEW if publishable else Status.RETURNED
        item.save(update_fields=["status", "updated_at"])
        record("catalog.referral", actor=actor, obj=item, summary={"publishable": publishable})
    return item


# --- After publication ----------------------------------------------------------------------------


def withdraw(item: Item, *, actor: User, reason: str, today: date | None = None) -> Item:
    """撤回: off the index and lists; the URL answers "已撤回" and the history stays."""
    if item.status != Status.PUBLISHED or not (may_review(actor, item) or _admin(actor, item)):
        raise ItemInvalid({"status": "只有已发布的信息可由审核人或管理员撤回"})
    if not reason.strip():
        raise ItemInvalid({"reason": "请填写撤回理由"})
    with transaction.atomic():
        item.status = Status.WITHDRAWN
        item.withdrawn_on = today or today_local()
        item.withdrawn_reason = reason.strip()[:300]
        item.save()
        search.remove([item.pk])
        record("catalog.withdraw", actor=actor, obj=item, summary={"reason": item.withdrawn_reason})
    return item


def withheld_review_days() -> int:
    return int(getattr(settings, "GONGKAI_WITHHELD_REVIEW_DAYS", 365))


def withheld_due(items, today: date | None = None):
    """PUB-7: the 不予公开 items among ``items`` due for their periodic review — never
    reviewed, or last reviewed ``GONGKAI_WITHHELD_REVIEW_DAYS`` or more days ago."""
    cutoff = (today or today_local()) - timedelta(days=withheld_review_days())
    return items.filter(attribute=Attribute.WITHHELD).filter(
        Q(withheld_reviewed_on__isnull=True) | Q(withheld_reviewed_on__lte=cutoff)
    )


def review_withheld(
    item: Item, *, actor: User, keep: bool, reason: str, today: date | None = None
) -> Item:
    """PUB-7 (第十八条): the periodic review of a 不予公开 item. ``keep``: it stays withheld
    on the stated basis until the next review; otherwise it may now be disclosed: it becomes
    an 主动公开 draft again, which goes through 保密审查 before it is published."""
    if not (may_review(actor, item) or _admin(actor, item)):
        raise ItemInvalid({"status": "只有本机关的审核人或管理员可以复核"})
    if item.attribute != Attribute.WITHHELD:
        raise ItemInvalid({"attribute": "该信息不是“不予公开”信息"})
    reason = reason.strip()
    if not reason:
        raise ItemInvalid({"reason": "请填写复核意见（继续不予公开的依据，或可以公开的理由）"})
    with transaction.atomic():
        item.withheld_reviewed_on = today or today_local()
        if keep:
            item.withheld_reason = reason[:300]
        else:
            item.attribute = Attribute.ACTIVE
            item.withheld_reason = ""
            if item.status != Status.PUBLISHED:
                item.status = Status.DRAFT
        item.save()
        record(
            "catalog.withheld_review",
            actor=actor,
            obj=item,
            summary={"keep": keep, "reason": reason, "on": item.withheld_reviewed_on},
        )
    return item


def _admin(user: User, item: Item) -> bool:
    return (user.role in (Role.OFFICE_ADMIN, Role.DEPT_ADMIN) or user.is_superuser) and _in_scope(
        user, item.org
    )


def repeal(item: Item, *, actor: User, repealed_on, reason: str = "") -> Item:
    """废止 a published 规章/规范性文件: validity and date change, the page says "已废止"."""
    if item.status != Status.PUBLISHED or not (may_review(actor, item) or _admin(actor, item)):
        raise ItemInvalid({"status": "只有已发布的信息可由审核人或管理员废止"})
    errors: dict[str, str] = {}
    day = _date_field({"repealed_on": repealed_on}, "repealed_on", "废止日期", errors)
    if day is None and not errors:
        errors["repealed_on"] = "废止日期必填"
    if day:
        errors.update(rules.date_errors(formed_on=item.formed_on, repealed_on=day))
    if errors:
        raise ItemInvalid(errors)
    with transaction.atomic():
        item.validity = Validity.REPEALED
        item.repealed_on = day
        item.save()
        _index([item])
        record("catalog.repeal", actor=actor, obj=item, summary={"on": day, "reason": reason})
    return item


# --- Search ------------------------------------------------------------------------------------


def document(item: Item, attachment_texts: list[str] | None = None) -> Document:
    texts = attachment_texts
    if texts is None:
        texts = [a.text for a in item.attachments.all() if a.text]
    return Document(
        id=item.pk,
        org_id=item.org_id,
        org_path=item.org.path,
        category=item.legacy_category,
        year=item.published_on.year,
        validity=item.validity,
        published=item.published_on,
        title=item.title,
        body="\n".join([item.summary, item.body_text, *texts]).strip(),
        number=item.number,
        index_no=item.index_no,
    )


def _index(items: list[Item]) -> None:
    """Only actively disclosed items go to the public index (PUB-6)."""
    public = [item for item in items if item.attribute == Attribute.ACTIVE]
    if public:
        search.index([document(item) for item in public])


def reindex(*, batch: int = 2000, say=None) -> int:
    """Rebuild the search index from published items."""
    done = 0
    qs = (
        Item.objects.filter(status=Status.PUBLISHED, attribute=Attribute.ACTIVE)
        .select_related("org")
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch].prefetch_related("attachments"))
        if not chunk:
            break
        with transaction.atomic():
            search.index([document(item) for item in chunk])
        done += len(chunk)
        last = chunk[-1].pk
        if say:
            say(f"{done}")
    return done


# --- Channels and provincial submissions (PUB-4) -----------------------------------------------------


def distribute(item: Item, *, actor, channel: str, on: date, kind: str = "") -> Distribution:
    if item.status != Status.PUBLISHED:
        raise ItemInvalid({"status": "只有已发布的信息可以登记发布渠道"})
    with transaction.atomic():
        dist, _ = Distribution.objects.update_or_create(
            item=item, channel=channel, defaults={"on": on, "kind": kind}
        )
        record("catalog.distribute", actor=actor, obj=item, summary={"channel": channel})
    return dist


def submit_provincial(item: Item, *, actor, on: date) -> ProvincialSubmission:
    with transaction.atomic():
        sub = ProvincialSubmission.objects.create(item=item, submitted_on=on)
        record("catalog.provincial", actor=actor, obj=item, summary={"on": on})
    return sub


def decide_provincial(sub: ProvincialSubmission, *, actor, adopted: bool, on: date) -> None:
    with transaction.atomic():
        sub.adopted, sub.decided_on = adopted, on
        sub.save()
        record(
            "catalog.provincial_decided", actor=actor, obj=sub.item, summary={"adopted": adopted}
        )


def scan_report(items) -> list[tuple[Item, list[dict]]]:
    """SEC-4 after the fact: published items whose text has findings now."""
    out = []
    for item in items.filter(status=Status.PUBLISHED).prefetch_related("attachments"):
        if found := scan(item):
            out.append((item, found))
    return out
