"""The letters an application produces, issued by ``services.act`` and frozen as issued (REQ-27).

A letter's text comes from the office's wording (``LetterWording``, nearest org up the
tree, else the platform default) filled through the ``gongkai.letters.wording`` sandbox
with values taken from the application's facts. The filled content is stored as JSON, so
a later change of wording or data never alters a letter already sent.
"""

from dataclasses import asdict
from datetime import date

from django.db.models import F

from gongkai.applications import rules
from gongkai.applications.enums import Action, Decision, FeeMethod
from gongkai.applications.models import Application, Letter, LetterSequence, LetterWording
from gongkai.letters.content import Letter as LetterContent
from gongkai.letters.content import chinese_date
from gongkai.letters.render import RENDERERS
from gongkai.letters.wording import (
    ALLOWED,
    DECISION_KIND,
    DECISION_TEXT,
    DEFAULT_WORDING,
    Wording,
    compose,
    fill,
)
from gongkai.orgs.enums import Kind
from gongkai.orgs.models import Org

# The short code of each kind in its 文号: 市自然资源和规划局公复〔2021〕3号.
NUMBER_CODE = {
    "receipt": "收",
    "correction": "补",
    "extension": "延",
    "consultation": "征",
    "fee": "费",
}
REPLY_CODE = "复"
FEE_BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
FEE_STANDARD = {
    FeeMethod.BY_COUNT: "按件计收，同一申请人一个自然月内累计申请10件以下不收费，11至30件每件100元，"
    "31件以上每增加10件每件提高100元",
    FeeMethod.BY_PAGES: "按量计收，每件申请30页以下不收费，31至100页每页10元，101至200页每页20元，"
    "201页以上每页40元",
    FeeMethod.COST: "检索、复制、邮寄等成本费",
}
PAYMENT_WAY = "通过本机关提供的非税收入缴款渠道缴纳，缴款后请保留票据"
COURT = "有管辖权的人民法院"


def kind_for(app: Application, action: Action) -> str | None:
    """Which letter an action issues, if any (withdrawal and housekeeping issue none)."""
    if action == Action.CONFIRM:
        return "receipt"
    if action in {Action.DECIDE, Action.ABANDON_NO_CORRECTION, Action.ABANDON_NO_PAYMENT}:
        return DECISION_KIND[app.outcome]
    return {
        Action.REQUEST_CORRECTION: "correction",
        Action.EXTEND: "extension",
        Action.START_CONSULTATION: "consultation",
        Action.FEE_NOTICE: "fee",
    }.get(action)


def wording_for(org: Org, kind: str) -> Wording:
    """The office's wording for ``kind``: the nearest org up the tree, else the default."""
    ancestors = [int(pk) for pk in org.path.strip("/").split("/")]
    rows = {
        w.org_id: w for w in LetterWording.objects.filter(kind=kind, org_id__in=[*ancestors, None])
    }
    for org_id in [*reversed(ancestors), None]:
        if org_id in rows:
            row = rows[org_id]
            return Wording(row.title, tuple(p.strip() for p in row.body.split("\n\n") if p.strip()))
    return DEFAULT_WORDING[kind]


def reconsideration_body(org: Org) -> str:
    """The 本级人民政府 of a department; the government one level up of a government (LIT-3)."""
    node = org.parent if org.kind == Kind.GOVERNMENT else org
    while node is not None and node.kind != Kind.GOVERNMENT:
        node = node.parent
    return node.name if node is not None else "上一级行政机关"


def _number(org: Org, code: str, year: int) -> str:
    sequence, _ = LetterSequence.objects.select_for_update().get_or_create(
        org=org, code=code, year=year
    )
    LetterSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    return f"{org.short_name or org.name}公{code}〔{year}〕{sequence.last}号"


def _values(app: Application, today: date) -> dict[str, str]:
    description = app.description if len(app.description) <= 120 else app.description[:120] + "……"
    values = {
        "申请人": app.applicant_name,
        "机关": app.org.name,
        "申请编号": app.number,
        "收到日期": chinese_date(app.received_on) if app.received_on else "",
        "申请内容": description,
        "答复期限": chinese_date(app.due_date) if app.due_date else "期限待定",
    }
    correction = app.corrections.last()
    if correction:
        values |= {"补正事项": correction.items, "补正期限": chinese_date(correction.respond_by)}
    extension = getattr(app, "extension", None) if app.extension_days else None
    if extension:
        values |= {
            "延长天数": str(extension.days),
            "延期理由": extension.reason.rstrip("。"),
            "新期限": values["答复期限"],
        }
    consultation = app.consultations.last()
    if consultation:
        values |= {
            "第三方": consultation.party,
            "意见期限": chinese_date(consultation.reply_due) if consultation.reply_due else "",
        }
    fee = app.fee if hasattr(app, "fee") else None
    if fee:
        values |= {
            "收费金额": f"{fee.amount:.2f}",
            "收费标准": FEE_STANDARD[fee.method],
            "收费依据": FEE_BASIS
            if fee.method != FeeMethod.COST
            else "《中华人民共和国政府信息公开条例》（2007年）第二十七条",
            "缴费期限": chinese_date(fee.pay_by),
            "缴费方式": PAYMENT_WAY,
        }
    if app.outcome:
        values |= _reply_values(app, values, today)
    return values


def _reply_values(app: Application, values: dict[str, str], today: date) -> dict[str, str]:
    decision = Decision(app.outcome)
    key = decision.value
    if decision == Decision.NOT_RESPONSIBLE and not app.outcome_reason.strip():
        key = "not_responsible_unknown"
    withheld = "；".join(
        f"{w['what']}属于“{Decision(w['ground']).label.split('：')[-1]}”的情形"
        for w in app.withheld
    )
    reply = {
        "法律依据": app.outcome_basis or "《中华人民共和国政府信息公开条例》",
        "不予公开理由": app.outcome_reason or withheld,
        "获取方式": app.outcome_text,
        "负责机关": app.outcome_reason,
        "救济告知": rules.remedy_notice(
            decision,
            app.decided_on or today,
            reconsideration_body=reconsideration_body(app.org),
            court=COURT,
        ),
    }
    if decision == Decision.PARTIAL:
        reply["不予公开理由"] = withheld
        reply["法律依据"] = "、".join(dict.fromkeys(w["basis"] for w in app.withheld))
    text = DECISION_TEXT.get(
        key, app.outcome_reason or "本机关终止办理你（单位）的政府信息公开申请。"
    )
    reply["决定内容"] = fill(
        text, {**values, **reply}, allowed=ALLOWED["reply_other"] | {"负责机关"}
    )
    return reply


def issue(app: Application, kind: str, *, today: date) -> Letter:
    """Compose, number and store one letter; call inside the action's transaction."""
    values = _values(app, today)
    title, paragraphs = compose(wording_for(app.org, kind), values, allowed=ALLOWED[kind])
    to_applicant = kind != "consultation"
    code = NUMBER_CODE.get(kind, REPLY_CODE)
    content = LetterContent(
        title=title,
        number=_number(app.org, code, today.year),
        addressee=values["申请人"] if to_applicant else values.get("第三方", ""),
        paragraphs=paragraphs,
        issuer=app.org.name,
        issued_on=today,
        items=(("申请编号", app.number),),
        contact=_contact(app.org),
    )
    return Letter.objects.create(
        application=app,
        kind=kind,
        number=content.number,
        title=title.replace("\n", ""),
        content=_to_json(content),
        issued_on=today,
        public_to_applicant=to_applicant,
    )


def issue_for_action(app: Application, action: Action, *, today: date) -> Letter | None:
    kind = kind_for(app, action)
    return issue(app, kind, today=today) if kind else None


def _contact(org: Org) -> str:
    parts = [org.office_name, f"电话：{org.office_phone}" if org.office_phone else ""]
    return "，".join(p for p in parts if p)


def _to_json(content: LetterContent) -> dict:
    data = asdict(content)
    data["issued_on"] = content.issued_on.isoformat()
    data["paragraphs"] = list(content.paragraphs)
    data["items"] = [list(item) for item in content.items]
    return data


def content_of(letter: Letter) -> LetterContent:
    data = dict(letter.content)
    return LetterContent(
        **{
            **data,
            "issued_on": date.fromisoformat(data["issued_on"]),
            "paragraphs": tuple(data["paragraphs"]),
            "items": tuple(tuple(item) for item in data["items"]),
        }
    )


def render(letter: Letter, fmt: str) -> tuple[bytes, str, str]:
    """The stored letter as ``fmt`` ("docx", "pdf" or "html"): bytes, content type, file name."""
    renderer, content_type, extension = RENDERERS[fmt]
    return (
        renderer(content_of(letter)),
        content_type,
        f"{letter.application.number}-{letter.kind}{extension}",
    )
