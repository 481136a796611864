"""Reconsiderations, lawsuits and complaints about disclosure work (LIT-1, LIT-2), and table 四.

``register_appeal`` and ``close_appeal`` are the only ways an ``Appeal`` changes: each checks
its input (field → Chinese message), saves, and writes the audit entry in one transaction.
``table_four`` counts the facts for a year and an org subtree (RPT-10, RPT-18, RPT-20).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from gongkai.applications.enums import AppealKind, AppealOutcome
from gongkai.applications.models import Appeal, Application
from gongkai.applications.services import ActionInvalid, local_date
from gongkai.audit.services import record
from gongkai.orgs.models import Org, User


class AppealInvalid(ActionInvalid):
    """An appeal's input does not hold; ``errors`` maps field names to Chinese messages."""


# --- LIT-2: what a decision or judgment counts as -------------------------------------------


@dataclass(frozen=True)
class Detail:
    label: str
    outcome: AppealOutcome
    kinds: frozenset[AppealKind]


_ANY = frozenset({AppealKind.RECONSIDERATION, AppealKind.LITIGATION, AppealKind.COMPLAINT})
_RECONSIDERATION = frozenset({AppealKind.RECONSIDERATION})
_LITIGATION = frozenset({AppealKind.LITIGATION})
# Courts upheld decisions (判决维持) until the 2015 amendment of 行政诉讼法 replaced that
# with 驳回诉讼请求 (from memory, verify); older cases still carry the word.
_UPHELD = _RECONSIDERATION | _LITIGATION

# LIT-2 (归类 from memory, verify). Code → (说明, column of table 四, kinds it applies to).
DETAILS: dict[str, Detail] = {
    "maintained": Detail("维持", AppealOutcome.MAINTAINED, _UPHELD),
    "claim_dismissed": Detail("驳回诉讼请求", AppealOutcome.MAINTAINED, _LITIGATION),
    "revoked": Detail("撤销", AppealOutcome.CORRECTED, _ANY),
    "partly_revoked": Detail("部分撤销", AppealOutcome.CORRECTED, _ANY),
    "varied": Detail("变更", AppealOutcome.CORRECTED, _ANY),
    "confirmed_unlawful": Detail("确认违法", AppealOutcome.CORRECTED, _ANY),
    "ordered_to_act": Detail("责令履行/重新答复", AppealOutcome.CORRECTED, _ANY),
    "application_dismissed": Detail("驳回复议申请", AppealOutcome.OTHER, _RECONSIDERATION),
    "terminated": Detail("终止", AppealOutcome.OTHER, _ANY),
    "withdrawn": Detail("撤回", AppealOutcome.OTHER, _ANY),
    "settled": Detail("和解调解", AppealOutcome.OTHER, _ANY),
    "suit_dismissed": Detail("裁定驳回起诉", AppealOutcome.OTHER, _LITIGATION),
}
_BY_LABEL = {detail.label: code for code, detail in DETAILS.items()}


def code_of(detail: str) -> str | None:
    """The code of a LIT-2 detail given as code or as its Chinese label; None for free text."""
    detail = detail.strip()
    if detail in DETAILS:
        return detail
    return _BY_LABEL.get(detail)


def classify_detail(detail_code: str) -> AppealOutcome:
    """LIT-2: the column of table 四 a decision or judgment falls in (维持 → 结果维持 …).

    Accepts the code (``"revoked"``) or the Chinese label (``"撤销"``). A pure table that
    belongs in ``rules.py`` with the other classifications, and may move there.
    Raises ``ValueError`` for anything not in the table.
    """
    code = code_of(detail_code)
    if code is None:
        raise ValueError(f"“{detail_code}”不是已知的复议、诉讼结果（LIT-2）")
    return DETAILS[code].outcome


# --- Services ----------------------------------------------------------------------------------


def _register_errors(
    *,
    kind: str,
    org: Org,
    body: str,
    filed_on: date,
    application: Application | None,
    case_number: str,
    after_reconsideration: bool,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in AppealKind.values:
        errors["kind"] = "类别应为行政复议、行政诉讼或投诉举报"
    if not body.strip():
        errors["body"] = "请填写复议机关、人民法院或受理投诉举报的机关"
    if after_reconsideration and kind != AppealKind.LITIGATION:
        errors["after_reconsideration"] = "只有行政诉讼才分“未经复议直接起诉”和“复议后起诉”"
    if application is not None:
        if not application.org.is_within(org):
            errors["org"] = (
                f"原申请由{application.org.name}办理，被申请人或被告应为该机关或其上级机关"
            )
        arrived = local_date(application.arrived_at)
        if filed_on < arrived:
            errors["filed_on"] = f"收案日期不能早于原申请的到达日期（{arrived}）"
    if case_number.strip() and kind in AppealKind.values:
        taken = Appeal.objects.filter(kind=kind, org=org, case_number=case_number.strip())
        if taken.exists():
            errors["case_number"] = f"案号“{case_number.strip()}”已登记"
    return errors


@transaction.atomic
def register_appeal(
    *,
    kind: AppealKind,
    org: Org,
    body: str,
    filed_on: date,
    application: Application | None = None,
    case_number: str = "",
    after_reconsideration: bool = False,
    by: User | None,
) -> Appeal:
    """Record a reconsideration, lawsuit or complaint against ``org`` (LIT-1); it starts pending.

    ``org`` is the 被申请人 or 被告; with ``application`` it must be the org that handled it
    or one above it (a 复议机关 that upheld a decision is a co-defendant). Raises
    ``AppealInvalid``.
    """
    errors = _register_errors(
        kind=kind,
        org=org,
        body=body,
        filed_on=filed_on,
        application=application,
        case_number=case_number,
        after_reconsideration=after_reconsideration,
    )
    if errors:
        raise AppealInvalid(errors)
    appeal = Appeal.objects.create(
        kind=kind,
        org=org,
        body=body.strip(),
        filed_on=filed_on,
        application=application,
        case_number=case_number.strip(),
        after_reconsideration=after_reconsideration,
    )
    record(
        "applications.register_appeal",
        actor=by,
        obj=appeal,
        summary={
            "kind": kind,
            "org": org.pk,
            "filed_on": filed_on,
            "application": application.number if application else None,
            "after_reconsideration": after_reconsideration,
            "case_number": appeal.case_number,
        },
    )
    return appeal


CLOSING = (AppealOutcome.MAINTAINED, AppealOutcome.CORRECTED, AppealOutcome.OTHER)


@transaction.atomic
def close_appeal(
    appeal: Appeal,
    *,
    outcome: AppealOutcome,
    closed_on: date,
    detail: str = "",
    by: User | None,
) -> Appeal:
    """Record the decision or judgment that ended ``appeal`` (LIT-2). Raises ``AppealInvalid``.

    ``detail`` is a LIT-2 code or label (stored as the label, and checked against
    ``outcome``) or free text of up to 200 characters.
    """
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    errors: dict[str, str] = {}
    if appeal.outcome != AppealOutcome.PENDING:
        raise AppealInvalid(
            {"outcome": f"该案件已于{appeal.closed_on}审结，结果为“{appeal.get_outcome_display()}”"}
        )
    if outcome not in CLOSING:
        errors["outcome"] = "审结结果应为结果维持、结果纠正或其他结果"
    if closed_on < appeal.filed_on:
        errors["closed_on"] = f"审结日期不能早于收案日期（{appeal.filed_on}）"
    code = code_of(detail)
    if code is not None:
        known = DETAILS[code]
        detail = known.label
        if appeal.kind not in known.kinds:
            errors["detail"] = f"“{known.label}”不适用于{appeal.get_kind_display()}"
        elif outcome in CLOSING and known.outcome != outcome:
            errors["detail"] = (
                f"“{known.label}”属于“{known.outcome.label}”，"
                f"与所选结果“{AppealOutcome(outcome).label}”不符（LIT-2）"
            )
    elif len(detail.strip()) > 200:
        errors["detail"] = "结果说明不能超过200字"
    if errors:
        raise AppealInvalid(errors)
    appeal.outcome, appeal.closed_on, appeal.outcome_detail = outcome, closed_on, detail.strip()
    appeal.save(update_fields=["outcome", "closed_on", "outcome_detail"])
    record(
        "applications.close_appeal",
        actor=by,
        obj=appeal,
        summary={"outcome": outcome, "closed_on": closed_on, "detail": code or ""},
    )
    return appeal


# --- Table 四 (RPT-10) ---------------------------------------------------------------------------

GROUPS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
GROUP_LABELS = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_reconsideration": "行政诉讼·复议后起诉",
}
COLUMNS = (
    AppealOutcome.MAINTAINED,
    AppealOutcome.CORRECTED,
    AppealOutcome.OTHER,
    AppealOutcome.PENDING,
    "total",
)
BASES = ("filed", "caseload")


@dataclass(frozen=True)
class CaseFact:
    kind: str
    after_reconsideration: bool
    filed_on: date
    closed_on: date | None
    outcome: str


def _group(fact: CaseFact) -> str | None:
    if fact.kind == AppealKind.RECONSIDERATION:
        return "reconsideration"
    if fact.kind == AppealKind.LITIGATION:
        return (
            "litigation_after_reconsideration"
            if fact.after_reconsideration
            else "litigation_direct"
        )
    return None  # complaints are not part of table 四


def count_table_four(
    facts: Iterable[CaseFact], year: int, *, basis: str = "filed"
) -> dict[str, dict[str, int]]:
    """Table 四 from plain facts; the pure half of ``table_four`` (see there for the basis)."""
    if basis not in BASES:
        raise ValueError(f"basis should be one of {BASES}")
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = {group: dict.fromkeys(map(str, COLUMNS), 0) for group in GROUPS}
    for fact in facts:
        group = _group(fact)
        if group is None or fact.filed_on > end:
            continue
        if fact.filed_on < start and (
            basis == "filed" or (fact.closed_on is not None and fact.closed_on < start)
        ):
            continue
        closed_by_year_end = fact.closed_on is not None and fact.closed_on <= end
        column = fact.outcome if closed_by_year_end else AppealOutcome.PENDING
        table[group][str(column)] += 1
        table[group]["total"] += 1
    return table


def table_four(
    org_qs: QuerySet[Org], year: int, *, basis: str = "filed"
) -> dict[str, dict[str, int]]:
    """The 15 counts of table 四 (RPT-10) for the appeals against ``org_qs`` in ``year``.

    Returns ``{group: {column: count}}`` with groups ``reconsideration``,
    ``litigation_direct``, ``litigation_after_reconsideration`` (``GROUP_LABELS``) and columns
    ``maintained``, ``corrected``, ``other``, ``pending`` (``AppealOutcome`` labels) and
    ``total``; ``total`` is the sum of the other four (RPT-18). Complaints are not counted.

    Which cases a year counts (RPT-20 leaves the default to the local office, LIT-2 defines
    尚未审结 as "not closed by 12-31"):

    - ``basis="filed"`` (default): cases filed in ``year``, each with its result as of
      12-31, or 尚未审结. Every case is counted in exactly one year — RPT-20 asks that a case
      pending at the end of last year is not counted again in this year's 总计 — at the price
      that a result reached the next year is never reported.
    - ``basis="caseload"`` (本年新发生 + 上年未结): also the cases filed earlier and still
      open on 1 January, so last year's 尚未审结 reappear with this year's result.

    A case filed after 12-31 is never counted; one closed after 12-31 is 尚未审结.
    """
    rows = Appeal.objects.filter(
        org__in=org_qs, kind__in=[AppealKind.RECONSIDERATION, AppealKind.LITIGATION]
    ).values_list("kind", "after_reconsideration", "filed_on", "closed_on", "outcome")
    return count_table_four((CaseFact(*row) for row in rows), year, basis=basis)
