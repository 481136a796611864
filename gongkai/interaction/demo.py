"""Demo records of the interaction app (``gongkai demo``).

- profile "": a modest year — the 书记信箱 and 市长信箱 of the demo city, a few letters at
  every stage made through ``services`` (so they pass the same checks and are audited), a
  few hundred hotline calls through the import service, a dozen proposals.
- profile "mianyang-2017": the seed's figures exactly (MBX-1, MBX-5, MBX-6) — 8 858 valid
  letters to the 书记市长信箱, of which 8 545 replied and published (MBX-1 counts a reply
  "答复并在网上发布"), plus refused letters and duplicates that MBX-3 does not count;
  203 700 hotline calls, all closed, satisfaction rate 96.0 %; 352 人大建议 and 713 政协提案,
  all closed. Bulk records are written in batches (``bulk_create``, plain ``executemany``
  for the calls), one audit entry per kind.

Idempotent: a mailbox, org or kind that already has records in the year is left alone.
People are invented; phone numbers are 138000xxxxx.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.interaction import hotline, proposals, rules, services
from gongkai.interaction.enums import (
    Category,
    Channel,
    Opinion,
    ProposalKind,
    Satisfaction,
    Status,
)
from gongkai.interaction.models import HotlineCall, Letter, Mailbox, Proposal
from gongkai.lib.crypto import blind_index, encrypt
from gongkai.orgs.models import Org, User
from gongkai.workdays.rules import CalendarYearMissing, count_workdays
from gongkai.workdays.services import load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 2000
MIANYANG = {
    "letters": 8858,
    "replied": 8545,
    "refused": 120,
    "duplicates": 45,
    "calls": 203700,
    "visited_every": 5,  # every 5th call was visited: 40 740 visits
    "unsatisfied": 1630,  # 39 110 satisfied of 40 740 → 96.0 %
    "npc": 352,
    "cppcc": 713,
}
SUBJECTS = (
    ("关于小区停车难问题的建议", Category.SUGGESTION),
    ("咨询子女入学政策", Category.CONSULT),
    ("投诉夜间施工噪音扰民", Category.COMPLAINT),
    ("反映道路破损问题", Category.OTHER),
    ("咨询住房公积金提取", Category.CONSULT),
    ("建议增开公交线路", Category.SUGGESTION),
    ("举报违章搭建", Category.REPORT),
    ("咨询社保转移手续", Category.CONSULT),
)
TOPICS = (
    "城市交通",
    "教育",
    "医疗卫生",
    "生态环境",
    "乡村振兴",
    "营商环境",
    "养老服务",
    "文化旅游",
)


def _mailboxes(city: Org) -> list[Mailbox]:
    out = []
    for sort, name in enumerate(("书记信箱", "市长信箱")):
        mailbox, _ = Mailbox.objects.get_or_create(
            name=name, org=city, defaults={"leader": True, "sort": sort}
        )
        out.append(mailbox)
    return out


def _staff(city: Org) -> tuple[User | None, User | None]:
    """The city's mailbox office (accepts, reviews, sends) and a department's handler."""
    staff = User.objects.exclude(role="").order_by("pk")
    office = staff.filter(org=city).first()
    handler = staff.filter(org__parent=city, role="handler").first()
    return (office, handler) if office and handler else (None, None)


def build_demo(
    *,
    city: Org,
    year: int,
    today: date,
    profile: str = "",
    say: Callable[[str], None] = lambda text: None,
) -> None:
    mailboxes = _mailboxes(city)
    if profile == "mianyang-2017":
        _bulk_letters(mailboxes, year, say)
        _bulk_calls(city, year, say)
        _bulk_proposals(city, year, say)
        return
    _few_letters(city, mailboxes[1], year, today, say)
    if not HotlineCall.objects.filter(org=city, received_on__year=year).exists():
        rows = _call_rows(year, min(today, date(year, 12, 31)), 300, random.Random(7))
        hotline.store(city, rows, source="demo")
        say(f"市长公开电话：{len(rows)} 条")
    _few_proposals(city, year, today, say)


# --- The modest default --------------------------------------------------------------------


def _few_letters(city, mailbox, year, today, say) -> None:
    if Letter.objects.filter(mailbox=mailbox, received_at__year=year).exists():
        return
    office, handler = _staff(city)
    if office is None:
        say("互动交流：没有演示工作人员，跳过来信")
        return
    start = max(date(year, 1, 1), today - timedelta(days=60))
    made = 0
    for i, (subject, category) in enumerate(SUBJECTS):
        day = start + timedelta(days=i * 6)
        if day > today:
            break
        submitted = services.submit(
            mailbox,
            {
                "category": category,
                "subject": subject,
                "content": f"{subject}，请有关部门尽快研究答复。联系电话13800000{i:03d}。",
                "writer_name": "张" + "伟芳明丽强敏静军"[i],
                "contact": f"13800000{i:03d}",
                "may_publish": i % 3 != 2,
            },
            at=datetime.combine(day, time(9, 30), SHANGHAI),
        )
        made += 1
        letter = submitted.letter
        if i == 7:
            continue  # still 待受理
        letter = services.accept(letter, by=office)
        if i == 6:
            continue  # accepted, unanswered
        letter = services.transfer(letter, by=office, to_org=handler.org, handler=handler)
        letter = services.take(letter, by=handler)
        letter = services.draft_reply(
            letter, by=handler, text=f"您好：关于“{subject}”，已转有关部门办理，现答复如下……"
        )
        letter = services.review(letter, by=office, approve=True)
        letter = services.send(letter, by=office, on=min(today, day + timedelta(days=5)))
        if letter.may_publish:
            services.publish(letter, by=office, on=letter.replied_on)
    say(f"领导信箱：{made} 封来信")


def _call_rows(year, last: date, count: int, rng: random.Random) -> list[dict]:
    span = (last - date(year, 1, 1)).days + 1
    rows = []
    for i in range(count):
        visited = i % MIANYANG["visited_every"] == 0
        rows.append(
            {
                "number": f"{year}{i + 1:07d}",
                "received_on": date(year, 1, 1) + timedelta(days=rng.randrange(span)),
                "closed": True,
                "visited": visited,
                "satisfaction": Satisfaction.SATISFIED if visited else "",
                "category": TOPICS[i % len(TOPICS)],
            }
        )
    return rows


def _few_proposals(city, year, today, say) -> None:
    if Proposal.objects.filter(year=year, lead_org__path__startswith=city.path).exists():
        return
    depts = list(Org.objects.filter(parent=city).order_by("sort", "pk")[:6]) or [city]
    office, _ = _staff(city)
    for i in range(12):
        kind = ProposalKind.NPC if i % 2 == 0 else ProposalKind.CPPCC
        assigned = max(date(year, 1, 1), today - timedelta(days=120))
        proposal = proposals.register(
            kind=kind,
            year=year,
            number=f"{i + 1:03d}",
            title=f"关于加强{TOPICS[i % len(TOPICS)]}工作的{'建议' if kind == 'npc' else '提案'}",
            proposers="（演示）代表" if kind == "npc" else "（演示）委员",
            lead_org=depts[i % len(depts)],
            assigned_on=assigned,
        )
        if office is not None and i < 8:
            on = min(today, assigned + timedelta(days=60))
            proposals.reply(proposal, by=office, text="答复：已采纳并落实。", on=on)
            proposals.record_opinion(proposal, by=office, opinion=Opinion.SATISFIED)
            proposals.close(proposal, by=office, on=on)
    say("建议提案：12 件")


# --- The seed's profile, in bulk -------------------------------------------------------------


def _bulk_letters(mailboxes, year, say) -> None:
    if Letter.objects.filter(mailbox__in=mailboxes, received_at__year=year).exists():
        return
    cal = load_calendar()
    rng = random.Random(2017)
    n_valid, n_replied = MIANYANG["letters"], MIANYANG["replied"]
    total = n_valid + MIANYANG["refused"] + MIANYANG["duplicates"]
    seqs = {m.pk: 0 for m in mailboxes}
    encrypted_name = encrypt("（演示）来信人")
    letters = []
    for i in range(total):
        mailbox = mailboxes[0] if i % 4 == 0 else mailboxes[1]
        seqs[mailbox.pk] += 1
        # Unanswered letters (needing verification) arrive late in the year.
        day = date(year, 1, 1) + timedelta(days=(i * 365) // total)
        received = datetime.combine(day, time(8 + i % 10, (i * 7) % 60), SHANGHAI)
        contact = f"138000{i:05d}"
        subject, category = SUBJECTS[i % len(SUBJECTS)]
        try:
            accept_due = rules.accept_due(day, cal, workdays=mailbox.accept_workdays)
            reply_due = rules.reply_due(day, cal, workdays=mailbox.reply_workdays)
        except CalendarYearMissing:
            accept_due = reply_due = None
        letter = Letter(
            mailbox=mailbox,
            number=f"{mailbox.pk:03d}-{year}-{seqs[mailbox.pk]:05d}",
            channel=Channel.WEB,
            category=category,
            subject=subject,
            content=f"（演示）{subject}。",
            writer_name=encrypted_name,
            writer_name_masked="（*）",
            contact=encrypt(contact),
            contact_masked=contact[:3] + "****" + contact[-4:],
            contact_index=blind_index(contact),
            received_at=received,
            accept_due=accept_due,
            reply_due=reply_due,
            code_index=blind_index(f"letter-code:demo-{year}-{i}"),
        )
        letters.append(letter)
    # Decide the status of each: refused, duplicates, then valid ones, the last valid
    # letters of the year being the unanswered ones.
    refused = set(rng.sample(range(total), MIANYANG["refused"]))
    rest = [i for i in range(total) if i not in refused]
    duplicates = set(rng.sample(rest[:-400], MIANYANG["duplicates"]))
    valid = [i for i in rest if i not in duplicates]
    unanswered = set(valid[n_replied:])
    for i, letter in enumerate(letters):
        if i in refused:
            letter.status, letter.valid = Status.REFUSED, False
            letter.refusal_reason = "无具体内容，不予受理（MBX-3）"
        elif i in duplicates:
            letter.status, letter.valid = Status.REFUSED, False
            letter.refusal_reason = "重复来信（MBX-3）"
            previous = letters[i - 1]
            letter.contact, letter.contact_index = previous.contact, previous.contact_index
            letter.contact_masked, letter.content = previous.contact_masked, previous.content
        elif i in unanswered:
            letter.status, letter.valid = Status.HANDLING, True
        else:
            day = timezone.localtime(letter.received_at).date()
            replied = day + timedelta(days=3 + i % 8)
            # MBX-1 counts a reply "答复并在网上发布": every reply of the seed year is public.
            letter.status, letter.valid, letter.may_publish = Status.PUBLISHED, True, True
            letter.reply = "（演示）您好，您反映的问题已转有关部门办理，答复如下……"
            letter.replied_on = replied
            try:
                letter.handling_workdays = count_workdays(day, replied, cal)
            except CalendarYearMissing:
                letter.handling_workdays = None
            letter.published_on = replied
            letter.published_subject = letter.subject
            letter.published_question = letter.content
            letter.published_answer = letter.reply
            letter.satisfaction = (Satisfaction.SATISFIED, Satisfaction.BASIC)[i % 7 == 0]
    with transaction.atomic():
        objs = letters
        for start in range(0, len(objs), BATCH):
            Letter.objects.bulk_create(objs[start : start + BATCH])
        # Duplicates point at the letter before them (same writer, same text).
        for i in sorted(duplicates):
            Letter.objects.filter(number=objs[i].number).update(
                duplicate_of=Letter.objects.get(number=objs[i - 1].number)
            )
        record(
            "interaction.demo_letters",
            summary={"year": year, "letters": total, "valid": n_valid, "replied": n_replied},
        )
    say(f"书记市长信箱：{total} 封来信（有效 {n_valid}，答复 {n_replied}）")


def _bulk_calls(city, year, say) -> None:
    if HotlineCall.objects.filter(org=city, received_on__year=year).exists():
        return
    rows = _call_rows(year, date(year, 12, 31), MIANYANG["calls"], random.Random(12345))
    visited = [r for r in rows if r["visited"]]
    for r in visited[: MIANYANG["unsatisfied"]]:
        r["satisfaction"] = Satisfaction.UNSATISFIED
    hotline.store(city, rows, source="demo mianyang-2017")
    say(f"市长公开电话：{len(rows)} 条")


def _bulk_proposals(city, year, say) -> None:
    depts = list(Org.objects.filter(parent=city).order_by("sort", "pk")) or [city]
    for kind in (ProposalKind.NPC, ProposalKind.CPPCC):
        if Proposal.objects.filter(
            kind=kind, year=year, lead_org__path__startswith=city.path
        ).exists():
            continue
        count = MIANYANG[kind]
        objs = []
        for i in range(count):
            assigned = date(year, 3, 10)
            objs.append(
                Proposal(
                    kind=kind,
                    year=year,
                    number=f"{i + 1:04d}",
                    title=f"关于加强{TOPICS[i % len(TOPICS)]}工作的{'建议' if kind == 'npc' else '提案'}",
                    proposers="（演示）代表" if kind == "npc" else "（演示）委员",
                    lead_org=depts[i % len(depts)],
                    assigned_on=assigned,
                    deadline=proposals.deadline(assigned),
                    reply="（演示）答复：已研究落实。",
                    replied_on=assigned + timedelta(days=40 + i % 40),
                    opinion=Opinion.SATISFIED if i % 9 else Opinion.BASIC,
                    closed_on=assigned + timedelta(days=50 + i % 40),
                    reply_published=True,
                )
            )
        with transaction.atomic():
            Proposal.objects.bulk_create(objs, batch_size=BATCH)
            record(
                "interaction.demo_proposals", summary={"year": year, "kind": kind, "count": count}
            )
        say(f"{ProposalKind(kind).label}：{count} 件，全部办结")
