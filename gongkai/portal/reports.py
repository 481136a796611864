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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.portal import report_forms
from gongkai.portal.desk import staff_required
from gongkai.reports import builder, external, queries, services
from gongkai.reports.models import Report, ReportStatus
from gongkai.reports.render import RENDERERS, html
from gongkai.reports.render.grid import where
from gongkai.reports.tables import SECTIONS_2021, SECTIONS_LEGACY, Scope, Style

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
            messages.success(request, gettext("已由记录生成报告草稿。"))
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


def _narrative_blocks(report: Report, data, narrative_form=None) -> list[dict]:
    """Per place staff may write (RPT-7/11): the generated paragraphs above, read-only, and
    what staff wrote as the textarea's text; RPT-12 copies flagged.

    The builder puts a section's generated sentences first and staff's paragraphs after
    them; under 一、总体情况 staff's own paragraphs come first, then each subheading with its
    own generated and written paragraphs.
    """
    keys = builder.narrative_keys(Style(report.style))
    written = {key: report.narrative.get(key, []) for key in keys}
    paragraphs: dict[str, list[str]] = {}
    for section in data.sections:
        current = section.title
        paragraphs[current] = []
        for paragraph in section.paragraphs:
            if paragraph in keys and paragraph != section.title:
                current = paragraph
                paragraphs[current] = []
            else:
                paragraphs[current].append(paragraph)
    copied = set(services.copied_paragraphs(report))
    overview = SECTIONS_2021[0]
    blocks = []
    if report.style == Style.LEGACY:
        order = SECTIONS_LEGACY
    else:
        order = (overview, *builder.SUBHEADINGS_2021, *SECTIONS_2021[1:])
    for key in order:
        mine, shown = written[key], paragraphs.get(key, [])
        if key == overview and report.style != Style.LEGACY:
            generated = shown[len(mine) :]
        else:
            generated = shown[: len(shown) - len(mine)]
        form = narrative_form
        if form is None or form.data.get("section") != key:
            form = report_forms.NarrativeForm(initial={"section": key, "text": "\n\n".join(mine)})
        blocks.append(
            {
                "key": key,
                "sub": key in builder.SUBHEADINGS_2021,
                "generated": generated,
                "copied": [p for p in mine if p in copied],
                "form": form,
            }
        )
    return blocks


def _desk_page(
    request,
    report: Report,
    *,
    blocked=None,
    accept_form=None,
    narrative_form=None,
    cell_form=None,
    status=200,
):
    published = report.status == ReportStatus.PUBLISHED
    data = services.data_of(report)
    revisions = queries.revisions(report).select_related("created_by", "published_by")
    context = {
        "report": report,
        "title": _title(report),
        "body": html.fragment(data),
        "published": published,
        "findings": [] if published else _findings(report),
        "blocked": _findings(report, blocked) if blocked else None,
        "accept_form": accept_form,
        "revisions": revisions,
        "latest": published and revisions[0].pk == report.pk,
        "downloads": DOWNLOADS,
    }
    if not published:
        context["narrative"] = _narrative_blocks(report, data, narrative_form)
        if narrative_form is not None and not any(
            block["form"] is narrative_form for block in context["narrative"]
        ):
            context["narrative_errors"] = narrative_form.non_field_errors()
        context["copied"] = services.copied_paragraphs(report)
        context["cell_form"] = cell_form or report_forms.CellForm(data_of_report=data)
        context["edits"] = report.edits
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
            messages.success(request, gettext("报告已审核，可以发布。"))
        elif action == "refresh":
            services.refresh(report, by=request.user)
            messages.success(request, gettext("已按当前记录重新生成草稿。"))
        elif action == "publish":
            services.publish(report, by=request.user, today=timezone.localdate())
            messages.success(request, gettext("报告已发布，数据和正文从此冻结。"))
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
            messages.success(request, gettext("已确认该问题并记录理由。"))
    except services.PublishBlocked as blocked:
        return _desk_page(request, report, blocked=blocked.findings, status=409)
    except services.ReportRefused as refused:
        messages.error(request, str(refused))
    return redirect("portal:desk_report", report.pk)


@staff_required
@require_POST
def desk_revise(request, pk: int):
    """A new draft revision of a published report; the published one stays frozen."""
    report = _staff_report(request, pk)
    try:
        revision = services.new_revision(report, by=request.user)
    except services.ReportRefused as refused:
        messages.error(request, str(refused))
        return redirect("portal:desk_report", report.pk)
    messages.success(request, gettext("已生成新修订版草稿；已发布的版本保持不变。"))
    return redirect("portal:desk_report", revision.pk)


@staff_required
@require_POST
def desk_narrative(request, pk: int):
    report = _staff_report(request, pk)
    form = report_forms.NarrativeForm(request.POST)
    if not form.is_valid():
        return _desk_page(request, report, narrative_form=form, status=400)
    try:
        services.set_narrative(
            report, form.cleaned_data["section"], form.paragraphs(), by=request.user
        )
    except services.ReportRefused as refused:
        form.add_error(None, str(refused))
        return _desk_page(request, report, narrative_form=form, status=400)
    messages.success(request, gettext("已保存“%(section)s”的正文。") % form.cleaned_data)
    return redirect(reverse("portal:desk_report", args=[report.pk]) + "#narrative")


@staff_required
@require_POST
def desk_cell(request, pk: int):
    report = _staff_report(request, pk)
    form = report_forms.CellForm(request.POST, data_of_report=services.data_of(report))
    if not form.is_valid():
        return _desk_page(request, report, cell_form=form, status=400)
    data = form.cleaned_data
    try:
        services.edit_cell(
            report,
            data["table"],
            data["row"],
            data["column"],
            data["value"],
            by=request.user,
            reason=data["reason"],
        )
    except services.ReportRefused as refused:
        form.add_error(None, str(refused))
        return _desk_page(request, report, cell_form=form, status=400)
    messages.success(request, gettext("已修改单元格；请查看校验结果。"))
    return redirect("portal:desk_report", report.pk)


# --- External figures (issue 4 §2) ------------------------------------------------------------


def _picked(request) -> tuple[report_forms.FigurePickForm, object, int]:
    """The org and year the page shows: from the query string, else the user's org, last year."""
    form = report_forms.FigurePickForm(request.GET or None, user=request.user)
    orgs = form.fields["org"].queryset
    if request.GET and form.is_valid():
        return form, form.cleaned_data["org"], form.cleaned_data["year"]
    if request.GET.get("org") and not form.is_valid() and "org" in form.errors:
        raise Http404  # an org outside the user's subtree, or no org at all
    org = orgs.filter(pk=getattr(request.user, "org_id", None)).first() or orgs.first()
    if org is None:
        raise Http404
    year = timezone.localdate().year - 1
    return (
        report_forms.FigurePickForm(initial={"org": org, "year": year}, user=request.user),
        org,
        year,
    )


def _figures_page(
    request, org, year, *, pick, figure_form=None, import_form=None, errors=(), status=200
):
    stored = {
        f.key: f
        for f in queries.figures_visible_to(request.user)
        .filter(org=org, year=year)
        .select_related("entered_by")
    }
    rows = [
        {"key": key, "label": label, "unit": unit, "figure": stored.get(key)}
        for key, (label, unit) in external.FIGURES.items()
    ]
    context = {
        "org": org,
        "year": year,
        "pick": pick,
        "rows": rows,
        "figure_form": figure_form
        or report_forms.FigureForm(initial={"org": org, "year": year}, user=request.user),
        "import_form": import_form or report_forms.ImportForm(),
        "import_errors": errors,
    }
    return render(request, "portal/reports/figures.html", context, status=status)


def _figures_url(org, year) -> str:
    return f"{reverse('portal:desk_report_figures')}?org={org.pk}&year={year}"


@staff_required
def desk_figures(request):
    pick, org, year = _picked(request)
    return _figures_page(request, org, year, pick=pick)


@staff_required
@require_POST
def desk_figure_set(request):
    form = report_forms.FigureForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            external.set_figure(
                data["org"],
                data["year"],
                data["key"],
                data["value"],
                source=data["source"],
                by=request.user,
            )
        except external.FigureInvalid as invalid:
            for field, message in invalid.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, gettext("已保存数据及其来源。"))
            return redirect(_figures_url(data["org"], data["year"]))
    pick, org, year = _picked(request)
    if form.is_bound and "org" in form.cleaned_data and "year" in form.cleaned_data:
        org, year = form.cleaned_data["org"], form.cleaned_data["year"]
    return _figures_page(request, org, year, pick=pick, figure_form=form, status=400)


@staff_required
@require_POST
def desk_figures_import(request):
    form = report_forms.ImportForm(request.POST, request.FILES)
    pick, org, year = _picked(request)
    if not form.is_valid():
        return _figures_page(request, org, year, pick=pick, import_form=form, status=400)
    try:
        result = external.import_xlsx(
            form.cleaned_data["file"], by=request.user, allowed=visible_orgs(request.user)
        )
    except external.ExternalImportError as refused:
        return _figures_page(
            request, org, year, pick=pick, import_form=form, errors=refused.errors, status=400
        )
    messages.success(
        request,
        gettext("已导入：新增%(created)d项，更新%(updated)d项，未变%(unchanged)d项。")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(_figures_url(org, year))


@staff_required
def desk_figures_template(request):
    _pick, org, year = _picked(request)
    body = external.template_xlsx(org=org, year=year)
    return FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=f"外部数据填报模板-{org.name}-{year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
