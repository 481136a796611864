"""Annual reports on the portal: the public list and report pages with downloads, and the
staff desk (list, new draft, one report with its findings, review, publish).

Every staff view loads through ``reports.queries.visible_to``; every change goes through
``reports.services``. What a report says comes from its frozen ``Report.data`` — a
published report never reads the records again, so later applications cannot change it.
"""

import io

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.fields.json import KeyTextTransform
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.portal.desk import staff_required
from gongkai.reports import queries, services
from gongkai.reports.models import Report, ReportStatus
from gongkai.reports.render import RENDERERS, html
from gongkai.reports.render.grid import where
from gongkai.reports.tables import Scope, Style

STYLES = [
    (Style.F2021.value, _("2021年统一格式")),
    (Style.F2019.value, _("2019年试行格式")),
    (Style.LEGACY.value, _("2019年以前格式")),
]
SCOPES = [
    (Scope.SELF.value, _("本机关")),
    (Scope.SUBTREE.value, _("本机关及下级（汇总）")),
]
PAGE_SIZE = 50
DOWNLOADS = [("docx", "Word"), ("xlsx", "Excel"), ("pdf", "PDF"), ("json", "JSON")]


def _title(report: Report) -> str:
    return report.data.get("title") or f"{report.org.name}{report.year}年政府信息公开工作年度报告"


def _download(report: Report, fmt: str):
    if fmt not in RENDERERS:
        raise Http404
    render_, content_type, extension = RENDERERS[fmt]
    body = render_(services.data_of(report))
    name = f"{_title(report)}（第{report.revision}版）{extension}"
    return FileResponse(
        io.BytesIO(body), as_attachment=True, filename=name, content_type=content_type
    )


# --- Public -------------------------------------------------------------------------------


def _latest_revisions(reports) -> list[Report]:
    """One row per report: its latest published revision (``reports`` newest revision first)."""
    seen, rows = set(), []
    for report in reports:
        family = (report.org_id, report.year, report.style, report.scope)
        if family not in seen:
            seen.add(family)
            rows.append(report)
    return rows


def report_list(request):
    # The frozen title is read from the JSON in SQL: the rest of ``data`` stays in the database.
    reports = (
        queries.published()
        .select_related("org")
        .defer("data", "narrative", "edits")
        .annotate(report_title=KeyTextTransform("title", "data"))
        .order_by("org__path", "-year", "style", "scope", "-revision")
    )
    years = reports.order_by("-year").values_list("year", flat=True).distinct()
    year = request.GET.get("year", "")
    if year.isdigit():
        reports = reports.filter(year=int(year))
    page = Paginator(_latest_revisions(reports), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/reports/list.html",
        {"reports": page, "page": page, "years": years, "year": year},
    )


def report_detail(request, pk: int):
    report = get_object_or_404(queries.published().select_related("org"), pk=pk)
    newer = (
        queries.revisions(report)
        .filter(status=ReportStatus.PUBLISHED, revision__gt=report.revision)
        .first()
    )
    context = {
        "report": report,
        "title": _title(report),
        "body": html.fragment(services.data_of(report)),
        "downloads": DOWNLOADS,
        "newer": newer,
    }
    return render(request, "portal/reports/detail.html", context)


def report_download(request, pk: int, fmt: str):
    report = get_object_or_404(queries.published().select_related("org"), pk=pk)
    return _download(report, fmt)


# --- Staff --------------------------------------------------------------------------------


class NewReportForm(forms.Form):
    org = forms.ModelChoiceField(label=_("机关"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("报告年度"), min_value=2008, max_value=2100)
    style = forms.ChoiceField(label=_("格式"), choices=STYLES)
    scope = forms.ChoiceField(label=_("统计口径"), choices=SCOPES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible_orgs(user).order_by("path")
        # Reports are written early in the year about the year before (RPT-1).
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["org"].label_from_instance = lambda org: "　" * org.depth + org.name


class AcceptForm(forms.Form):
    key = forms.CharField(max_length=16)
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea)


@staff_required
def desk_list(request):
    reports = (
        queries.visible_to(request.user)
        .select_related("org")
        .order_by("org__path", "-year", "style", "scope", "-revision")
    )
    return render(request, "portal/reports/desk_list.html", {"reports": reports})


@staff_required
def desk_new(request):
    form = NewReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_draft(
                data["org"], data["year"], style=data["style"], scope=data["scope"], by=request.user
            )
        except services.ReportRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _t("已由记录生成报告草稿。"))
            return redirect("portal:desk_report", report.pk)
    return render(request, "portal/reports/desk_new.html", {"form": form})


def _staff_report(request, pk: int) -> Report:
    return get_object_or_404(queries.visible_to(request.user).select_related("org"), pk=pk)


def _findings(report: Report, found=None) -> list[dict]:
    """Each finding with its key, where it points in words, and its acceptance if any."""
    accepted = {a.finding_key: a for a in report.acceptances.select_related("accepted_by")}
    rows = []
    for finding in services.findings(report) if found is None else found:
        key = services.finding_key(finding)
        rows.append(
            {"f": finding, "key": key, "where": where(finding), "accepted": accepted.get(key)}
        )
    return rows


def _desk_page(request, report: Report, *, blocked=None, accept_form=None, status=200):
    published = report.status == ReportStatus.PUBLISHED
    context = {
        "report": report,
        "title": _title(report),
        "body": html.fragment(services.data_of(report)),
        "published": published,
        "findings": [] if published else _findings(report),
        "blocked": _findings(report, blocked) if blocked else None,
        "accept_form": accept_form,
        "revisions": queries.revisions(report).select_related("created_by", "published_by"),
        "downloads": DOWNLOADS,
    }
    return render(request, "portal/reports/desk_detail.html", context, status=status)


@staff_required
def desk_detail(request, pk: int):
    return _desk_page(request, _staff_report(request, pk))


@staff_required
def desk_download(request, pk: int, fmt: str):
    return _download(_staff_report(request, pk), fmt)


@staff_required
@require_POST
def desk_act(request, pk: int, action: str):
    report = _staff_report(request, pk)
    if action not in ("review", "publish", "accept", "refresh"):
        raise Http404
    try:
        if action == "review":
            services.review(report, by=request.user)
            messages.success(request, _t("报告已审核，可以发布。"))
        elif action == "refresh":
            services.refresh(report, by=request.user)
            messages.success(request, _t("已按当前记录重新生成草稿。"))
        elif action == "publish":
            services.publish(report, by=request.user, today=timezone.localdate())
            messages.success(request, _t("报告已发布，数据和正文从此冻结。"))
        else:
            form = AcceptForm(request.POST)
            if not form.is_valid():
                return _desk_page(request, report, accept_form=form, status=400)
            services.accept_finding(
                report,
                form.cleaned_data["key"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, _t("已确认该问题并记录理由。"))
    except services.PublishBlocked as blocked:
        return _desk_page(request, report, blocked=blocked.findings, status=409)
    except services.ReportRefused as refused:
        messages.error(request, str(refused))
    return redirect("portal:desk_report", report.pk)
