"""Every change of a report goes through here: draft → reviewed → published (issue 4 §5).

Each service runs in one transaction, refuses what the lifecycle does not allow
(``ReportRefused``, a Chinese message), saves, and writes the audit entry. A report's
figures are computed when the draft is created or refreshed and stored frozen in
``Report.data``; publishing freezes data and text for good, and later changes of the
records never alter a published revision — a correction is ``new_revision``.
"""

import hashlib
import json
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.orgs.models import Org, User
from gongkai.reports import builder, rules, serialize
from gongkai.reports.external import parse_value, plain
from gongkai.reports.models import Acceptance, Report, ReportStatus
from gongkai.reports.tables import AnnualReport, Figure, Finding, Scope, Style

TABLES = {"t2": "表二", "t3": "表三", "t4": "表四", "figures": "数据"}


class ReportRefused(Exception):
    """A change the lifecycle or the input does not allow; the message says why, in Chinese."""


class PublishBlocked(ReportRefused):
    """Errors that are neither fixed nor accepted with a reason; ``findings`` lists them."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        listed = "；".join(f"{f.rule} {f.message}" for f in findings[:5])
        more = f"等{len(findings)}条" if len(findings) > 5 else ""
        super().__init__(f"报告有未处理的错误，不能发布：{listed}{more}")


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def data_of(report: Report) -> AnnualReport:
    return serialize.from_json(report.data)


def _compose(report: Report, data: AnnualReport) -> AnnualReport:
    """Recompose the texts from the (possibly edited) numbers and the current narrative."""
    return builder.compose(
        report.org,
        report.year,
        style=report.style,
        scope=report.scope,
        tables=data.tables,
        figures=data.figures,
        narrative=report.narrative,
        rounding=report.rounding,
        published_on=data.published_on,
    )


def _build(report: Report) -> AnnualReport:
    return builder.build_annual_report(
        report.org,
        report.year,
        style=report.style,
        scope=report.scope,
        rounding=report.rounding,
        narrative=report.narrative,
    )


def _editable(report: Report) -> Report:
    """Lock the row; refuse a published revision; a reviewed one goes back to draft."""
    report = Report.objects.select_for_update().select_related("org").get(pk=report.pk)
    if report.status == ReportStatus.PUBLISHED:
        raise ReportRefused(
            f"第{report.revision}版已于{report.published_on}发布，不能修改；如需更正，请生成新修订版"
        )
    if report.status == ReportStatus.REVIEWED:
        report.status, report.reviewed_by, report.reviewed_at = ReportStatus.DRAFT, None, None
    return report


def _summary(report: Report, **extra) -> dict:
    return {
        "org": report.org_id,
        "year": report.year,
        "style": report.style,
        "scope": report.scope,
        "revision": report.revision,
        "status": report.status,
        **extra,
    }


# --- Creating and refreshing --------------------------------------------------------------------


@transaction.atomic
def create_draft(
    org: Org,
    year: int,
    *,
    style: Style | str = Style.F2021,
    scope: Scope | str = Scope.SELF,
    by: User | None,
    rounding: str | None = None,
    at: datetime | None = None,
) -> Report:
    """Build the report of ``org`` for ``year`` from the records and store it as draft revision 1.

    Refused when the report already exists (use ``refresh`` or ``new_revision``).
    """
    try:
        style, scope = Style(style), Scope(scope)
    except ValueError as error:
        raise ReportRefused(f"格式或口径无效：{error}") from error
    if not 2008 <= year <= 2100:
        raise ReportRefused("年度应为2008年（条例施行）以后的四位数字")
    existing = Report.objects.filter(org=org, year=year, style=style, scope=scope)
    if existing.exists():
        raise ReportRefused(f"{org.name}{year}年度报告已存在，请刷新草稿或生成新修订版")
    report = Report(
        org=org,
        year=year,
        style=style,
        scope=scope,
        revision=1,
        rounding=builder.rounding_mode(rounding),
        created_by=by,
        created_at=_now(at),
    )
    report.data = serialize.to_json(_build(report))
    report.save()
    record("reports.create_draft", actor=by, obj=report, summary=_summary(report))
    return report


@transaction.atomic
def refresh(report: Report, *, by: User | None) -> Report:
    """Rebuild a draft from the records as they are now; staff's cell edits are dropped."""
    report = _editable(report)
    dropped = len(report.edits)
    report.data = serialize.to_json(_build(report))
    report.edits = []
    report.save()
    record("reports.refresh", actor=by, obj=report, summary=_summary(report, dropped_edits=dropped))
    return report


@transaction.atomic
def new_revision(report: Report, *, by: User | None, at: datetime | None = None) -> Report:
    """A new draft revision of a published report, rebuilt from the records, narrative kept.

    The published revisions stay as they are: the history is visible (``queries.revisions``).
    """
    family = Report.objects.select_for_update().filter(
        org=report.org_id, year=report.year, style=report.style, scope=report.scope
    )
    latest = family.order_by("-revision").first()
    if latest.status != ReportStatus.PUBLISHED:
        raise ReportRefused(f"第{latest.revision}版尚未发布，请直接修改该版")
    revision = Report(
        org=latest.org,
        year=latest.year,
        style=latest.style,
        scope=latest.scope,
        revision=latest.revision + 1,
        rounding=latest.rounding,
        narrative=dict(latest.narrative),
        created_by=by,
        created_at=_now(at),
    )
    revision.data = serialize.to_json(_build(revision))
    revision.save()
    record(
        "reports.new_revision",
        actor=by,
        obj=revision,
        summary=_summary(revision, previous=latest.pk),
    )
    return revision


# --- Editing ------------------------------------------------------------------------------------


def _new_value(table: str, value) -> int | object:
    try:
        number = parse_value(value)
    except ValueError as error:
        raise ReportRefused(f"数值{error}") from error
    if table in ("t3", "t4") and number != number.to_integral_value():
        raise ReportRefused("表三、表四只能填整数")
    return plain(number)


@transaction.atomic
def edit_cell(
    report: Report,
    table: str,
    row: str,
    column: str,
    value,
    *,
    by: User | None,
    reason: str,
    at: datetime | None = None,
) -> Report:
    """Staff change one cell (``t2``/``t3``/``t4``) or one figure (``figures``, column ``value``).

    Nothing else is recomputed: a 总计 that no longer adds up is a finding that blocks
    publishing until fixed or accepted. The summaries are rewritten from the new numbers.
    """
    if table not in TABLES:
        raise ReportRefused(f"未知的表“{table}”，应为 t2、t3、t4 或 figures")
    if not reason.strip():
        raise ReportRefused("修改报告数据须说明理由")
    report = _editable(report)
    data = data_of(report)
    new = _new_value(table, value)
    if table == "figures":
        index = next((i for i, f in enumerate(data.figures) if f.key == row), None)
        if index is None:
            raise ReportRefused(f"报告中没有数据项“{row}”")
        old_figure = data.figures[index]
        if old_figure.source == builder.COMPUTED:
            raise ReportRefused(f"“{old_figure.label}”由其他数据计算得出，请修改其分子或分母")
        old = old_figure.value
        data.figures[index] = Figure(
            old_figure.key,
            old_figure.label,
            new,
            old_figure.unit,
            "工作人员修改：" + reason.strip(),
        )
    else:
        cells = getattr(data.tables, table)
        if row not in cells or column not in cells[row]:
            raise ReportRefused(f"{TABLES[table]}中没有“{row}”行“{column}”列")
        old = cells[row][column]
        cells[row][column] = new
    report.data = serialize.to_json(_compose(report, data))
    edit = {
        "table": table,
        "row": row,
        "column": column,
        "old": serialize.number_out(old),
        "new": serialize.number_out(new),
        "reason": reason.strip(),
        "by": by.get_username() if by else "system",
        "at": _now(at).isoformat(),
    }
    report.edits = [*report.edits, edit]
    report.save()
    record("reports.edit_cell", actor=by, obj=report, summary=_summary(report, **edit))
    return report


@transaction.atomic
def set_narrative(
    report: Report, section: str, paragraphs: list[str], *, by: User | None
) -> Report:
    """Replace what staff wrote under ``section`` (a section title, or a 2021 subheading)."""
    report = _editable(report)
    keys = builder.narrative_keys(Style(report.style))
    if section not in keys:
        raise ReportRefused(f"“{section}”不是本格式的章节，应为：{'、'.join(keys)}")
    cleaned = [p.strip() for p in paragraphs if p and p.strip()]
    report.narrative = {**report.narrative, section: cleaned}
    report.data = serialize.to_json(_compose(report, data_of(report)))
    report.save()
    record(
        "reports.set_narrative",
        actor=by,
        obj=report,
        summary=_summary(report, section=section, paragraphs=len(cleaned)),
    )
    return report


# --- Findings ---------------------------------------------------------------------------------------


def finding_key(finding: Finding) -> str:
    """A stable short id of a finding: the same problem keeps its key across rebuilds."""
    text = json.dumps(finding.as_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def previous_published(report: Report) -> Report | None:
    """Last year's latest published revision of the same org and scope (any format)."""
    return (
        Report.objects.filter(
            org=report.org_id,
            year=report.year - 1,
            scope=report.scope,
            status=ReportStatus.PUBLISHED,
        )
        .order_by("-published_at", "-revision")
        .first()
    )


def findings(report: Report) -> list[Finding]:
    """Every finding of the report: table identities (RPT-15…RPT-19), last year's balance
    (RPT-20, warnings), the sums and rates the summaries state (RPT-24/25), missing text (RPT-11).
    """
    data = data_of(report)
    previous = previous_published(report)
    found = rules.validate(data.tables, data_of(previous).tables if previous else None)
    return found + builder.narrative_findings(
        data, report.org, report.narrative, rounding=report.rounding
    )


def blocking(report: Report) -> list[Finding]:
    """The errors neither fixed nor accepted: what keeps the report from being published."""
    accepted = set(report.acceptances.values_list("finding_key", flat=True))
    return [f for f in findings(report) if f.severity == "error" and finding_key(f) not in accepted]


@transaction.atomic
def accept_finding(
    report: Report, key: str, *, reason: str, by: User | None, at: datetime | None = None
) -> Acceptance:
    """Accept a current finding with a reason (logged), so publishing may go ahead anyway."""
    report = Report.objects.select_for_update().select_related("org").get(pk=report.pk)
    if report.status == ReportStatus.PUBLISHED:
        raise ReportRefused("已发布的报告不能再确认问题")
    if not reason.strip():
        raise ReportRefused("确认问题须说明理由")
    current = {finding_key(f): f for f in findings(report)}
    if key not in current:
        raise ReportRefused(f"当前报告中没有编号为“{key}”的问题（可能已修正）")
    finding = current[key]
    acceptance, _ = Acceptance.objects.update_or_create(
        report=report,
        finding_key=key,
        defaults={
            "rule": finding.rule,
            "message": finding.message[:300],
            "reason": reason.strip(),
            "accepted_by": by,
            "accepted_at": _now(at),
        },
    )
    record(
        "reports.accept_finding",
        actor=by,
        obj=report,
        summary=_summary(report, finding=finding.as_dict(), key=key, reason=reason.strip()),
    )
    return acceptance


# --- Review and publication ----------------------------------------------------------------------------


@transaction.atomic
def review(report: Report, *, by: User | None, at: datetime | None = None) -> Report:
    """Mark a draft as reviewed."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ReportRefused(f"只有草稿可以审核，当前状态为“{report.get_status_display()}”")
    report.status, report.reviewed_by, report.reviewed_at = ReportStatus.REVIEWED, by, _now(at)
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record("reports.review", actor=by, obj=report, summary=_summary(report))
    return report


@transaction.atomic
def publish(report: Report, *, by: User | None, today: date, at: datetime | None = None) -> Report:
    """Publish a reviewed report: its data and text are frozen from now on.

    Raises ``PublishBlocked`` while an error finding is neither fixed nor accepted.
    """
    report = Report.objects.select_for_update().select_related("org").get(pk=report.pk)
    if report.status != ReportStatus.REVIEWED:
        raise ReportRefused(f"报告须先审核再发布，当前状态为“{report.get_status_display()}”")
    errors = blocking(report)
    if errors:
        raise PublishBlocked(errors)
    data = data_of(report)
    data.published_on = today.isoformat()
    report.data = serialize.to_json(data)
    report.status, report.published_by, report.published_at = (
        ReportStatus.PUBLISHED,
        by,
        _now(at),
    )
    report.published_on = today
    report.save()
    record(
        "reports.publish",
        actor=by,
        obj=report,
        summary=_summary(report, published_on=today, accepted=report.acceptances.count()),
    )
    return report


# --- RPT-12 ---------------------------------------------------------------------------------------


def copied_paragraphs(report: Report) -> list[str]:
    """Paragraphs staff wrote that repeat last year's published report word for word (RPT-12)."""
    previous = previous_published(report)
    if previous is None:
        return []
    before = {
        "".join(p.split()) for section in data_of(previous).sections for p in section.paragraphs
    }
    written = [p for paragraphs in report.narrative.values() for p in paragraphs]
    return [p for p in written if "".join(p.split()) in before]
