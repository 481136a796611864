"""Pages of website monitoring: the public 网民纠错 form (/jiucuo/) and the staff desk
(/desk/monitor/). Views only read forms and call ``services``/``queries``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.monitor import charts, queries, services
from gongkai.monitor.enums import SiteStatus, SiteType, TicketStatus
from gongkai.monitor.forms import (
    CATEGORIES,
    ActionForm,
    ColumnForm,
    FalsePositiveForm,
    RepostForm,
    SiteStatusForm,
    SpotCheckForm,
    StatusForm,
    TicketForm,
)
from gongkai.monitor.models import Column, Finding, Site, SpotCheck, Ticket
from gongkai.orgs.enums import Role
from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.portal.desk import staff_required

STEPS = (
    (TicketStatus.RECEIVED, _("已收到")),
    (TicketStatus.ASSIGNED, _("已转办")),
    ("resolved", _("已处理")),
    (TicketStatus.REVIEWED, _("已审核")),
    (TicketStatus.REPLIED, _("已答复")),
)
ORDER = {
    TicketStatus.RECEIVED: 0,
    TicketStatus.ASSIGNED: 1,
    TicketStatus.FIXED: 2,
    TicketStatus.NOT_AN_ERROR: 2,
    TicketStatus.REVIEWED: 3,
    TicketStatus.REPLIED: 4,
}
SUPERVISING = {Role.OFFICE_ADMIN, Role.REVIEWER, Role.DEPT_ADMIN}


# --- public: 网民纠错 ---------------------------------------------------------------------------


def jiucuo(request):
    initial = {}
    if site_id := request.GET.get("site", "").strip():
        if site_id.isdigit():
            initial["site"] = site_id
    form = TicketForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _too_many(request):
        form.add_error(None, _("提交过于频繁，请稍后再试。"))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ticket = services.file_ticket(
            site=data["site"],
            page_url=data["page_url"],
            category=data["category"],
            description=data["description"],
            contact=data["contact"],
            today=timezone.localdate(),
        )
        request.session["jiucuo_filed"] = ticket.code
        return redirect("monitor:jiucuo_status", code=ticket.code)
    return render(request, "monitor/jiucuo_form.html", {"form": form})


FILINGS_PER_HOUR = 10


def _too_many(request) -> bool:
    """At most FILINGS_PER_HOUR reports an hour from one address (spam, not citizens)."""
    from django.core.cache import cache

    key = "monitor:jiucuo:" + request.META.get("REMOTE_ADDR", "")
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) > FILINGS_PER_HOUR
    except ValueError:  # expired between add and incr
        return False


def jiucuo_lookup(request):
    form = StatusForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"]
        if Ticket.objects.filter(code=code).exists():
            return redirect("monitor:jiucuo_status", code=code)
        form.add_error("code", _("没有找到这个查询码，请核对后重试。"))
    return render(request, "monitor/jiucuo_lookup.html", {"form": form})


def jiucuo_status(request, code):
    ticket = get_object_or_404(Ticket.objects.select_related("site", "org"), code=code.upper())
    just_filed = request.session.pop("jiucuo_filed", "") == ticket.code
    position = ORDER[ticket.status]
    steps = [
        (label, "done" if i < position else "current" if i == position else "todo")
        for i, (_value, label) in enumerate(STEPS)
    ]
    return render(
        request,
        "monitor/jiucuo_status.html",
        {
            "ticket": ticket,
            "steps": steps,
            "just_filed": just_filed,
            "category": dict(CATEGORIES).get(ticket.category, ticket.category),
        },
    )


# --- staff: 纠错 desk -------------------------------------------------------------------------


def _ticket(request, code) -> Ticket:
    ticket = queries.tickets_visible_to(request.user).filter(code=code).first()
    if ticket is None:
        raise Http404
    return ticket


def allowed_ticket_actions(ticket: Ticket, user) -> list[str]:
    supervisor = user.is_superuser or user.role in SUPERVISING
    actions = {
        TicketStatus.RECEIVED: ["assign"] if supervisor else [],
        TicketStatus.ASSIGNED: ["fix", "reject"],
        TicketStatus.FIXED: ["review"] if supervisor else [],
        TicketStatus.NOT_AN_ERROR: ["review"] if supervisor else [],
        TicketStatus.REVIEWED: ["reply"],
        TicketStatus.REPLIED: [],
    }
    return actions[ticket.status]


ACTION_LABELS = {
    "assign": _("转办至主办单位"),
    "fix": _("已改正"),
    "reject": _("经核实非错误"),
    "review": _("审核通过"),
    "reply": _("答复网民"),
}


@staff_required
def ticket_list(request):
    today = timezone.localdate()
    tickets = queries.tickets_visible_to(request.user)
    yearly = queries.yearly_ticket_figures(tickets)
    view = request.GET.get("view", "")
    if view == "overdue":
        tickets = queries.overdue_tickets(tickets, on=today)
    elif view == "open":
        tickets = tickets.filter(queries.OPEN)
    return render(
        request,
        "monitor/desk_tickets.html",
        {"tickets": tickets[:500], "view": view, "today": today, "yearly": yearly},
    )


@staff_required
def ticket_detail(request, code):
    ticket = _ticket(request, code)
    actions = [(a, ACTION_LABELS[a]) for a in allowed_ticket_actions(ticket, request.user)]
    return render(
        request,
        "monitor/desk_ticket.html",
        {
            "ticket": ticket,
            "actions": actions,
            "form": ActionForm(),
            "today": timezone.localdate(),
            "category": dict(CATEGORIES).get(ticket.category, ticket.category),
        },
    )


@staff_required
@require_POST
def ticket_act(request, code, action):
    ticket = _ticket(request, code)
    if action not in allowed_ticket_actions(ticket, request.user):
        raise PermissionDenied
    form = ActionForm(request.POST)
    form.is_valid()
    try:
        services.advance(
            ticket,
            action,
            actor=request.user,
            text=form.cleaned_data.get("text", ""),
            today=timezone.localdate(),
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已办理：%(action)s") % {"action": ACTION_LABELS[action]})
    return redirect("monitor:ticket_detail", code=ticket.code)


# --- staff: dashboard ---------------------------------------------------------------------------


@staff_required
def dashboard(request):
    sites = list(queries.sites_visible_to(request.user))
    latest = queries.latest_runs(sites)
    rows = [(site, latest.get(site.pk)) for site in sites]
    scored = [run for run in latest.values() if run is not None]
    today = timezone.localdate()
    tickets = queries.tickets_visible_to(request.user)
    counts = {
        "sites": len(sites),
        "portals": sum(1 for s in sites if s.site_type == SiteType.PORTAL),
        "checked": len(scored),
        "vetoed": sum(1 for r in scored if r.veto),
        "sleeping": sum(1 for r in scored if r.flag == "SLEEPING"),
        "zombie": sum(1 for r in scored if r.flag == "ZOMBIE"),
        "tickets_open": tickets.filter(queries.OPEN).count(),
        "tickets_overdue": queries.overdue_tickets(tickets, on=today).count(),
    }
    findings = Finding.objects.filter(run__in=scored, dismissed=False)
    return render(
        request,
        "monitor/desk_dashboard.html",
        {
            "rows": rows,
            "counts": counts,
            "findings_chart": charts.findings_by_rule(findings),
            "scores_chart": charts.score_histogram(scored),
            "spot_checks": SpotCheck.objects.filter(root__in=visible_orgs(request.user))[:5],
        },
    )


def _site(request, pk) -> Site:
    site = queries.sites_visible_to(request.user).filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


@staff_required
def site_detail(request, pk):
    site = _site(request, pk)
    runs = list(site.runs.order_by("point", "started"))
    latest = runs[-1] if runs else None
    return render(
        request,
        "monitor/desk_site.html",
        {
            "site": site,
            "latest": latest,
            "findings": latest.findings.all() if latest else [],
            "history_chart": charts.score_history(runs),
            "runs": list(reversed(runs))[:20],
            "columns": [
                (c, ColumnForm(prefix=f"c{c.pk}", initial=_column_initial(c)))
                for c in site.columns.all()
            ],
            "fp_form": FalsePositiveForm(),
            "status_form": SiteStatusForm(
                initial={"status": site.status, "on": timezone.localdate()}
            ),
            "can_manage": _can_manage(request.user),
        },
    )


def _column_initial(column: Column) -> dict:
    return {
        "kind": column.kind,
        "level": column.level,
        "homepage": column.homepage,
        "historical": column.historical,
        "period_days": column.period_days,
    }


def _can_manage(user) -> bool:
    return user.is_superuser or user.role in (Role.OFFICE_ADMIN, Role.DEPT_ADMIN)


@staff_required
@require_POST
def confirm_column(request, pk):
    """MON-3: confirm (and correct) a column proposed from the navigation."""
    if not _can_manage(request.user):
        raise PermissionDenied
    column = get_object_or_404(
        Column.objects.select_related("site"),
        pk=pk,
        site__in=queries.sites_visible_to(request.user),
    )
    form = ColumnForm(request.POST, prefix=f"c{column.pk}")
    if form.is_valid():
        services.confirm_column(column, actor=request.user, **form.cleaned_data)
        messages.success(request, _("栏目已确认：%(name)s") % {"name": column.name})
    else:
        messages.error(request, _("栏目信息有误，请检查"))
    return redirect("monitor:site_detail", pk=column.site_id)


@staff_required
@require_POST
def site_status(request, pk):
    """MON-1: running / rectifying / closed / merged, with its date."""
    if not _can_manage(request.user):
        raise PermissionDenied
    site = _site(request, pk)
    form = SiteStatusForm(request.POST)
    if form.is_valid():
        services.set_site_status(
            site, status=form.cleaned_data["status"], on=form.cleaned_data["on"], actor=request.user
        )
        messages.success(request, _("网站状态已更新"))
    return redirect("monitor:site_detail", pk=site.pk)


@staff_required
@require_POST
def false_positive(request, pk):
    finding = get_object_or_404(
        Finding.objects.select_related("site"),
        pk=pk,
        site__in=queries.sites_visible_to(request.user),
    )
    form = FalsePositiveForm(request.POST)
    if form.is_valid():
        services.mark_false_positive(
            finding, reason=form.cleaned_data["reason"], actor=request.user
        )
        messages.success(request, _("已标记为误报，下次检查不再计入。"))
    else:
        messages.error(request, _("请填写误报理由"))
    return redirect("monitor:site_detail", pk=finding.site_id)


@staff_required
def notice_docx(request, pk):
    from gongkai.monitor.documents import rectification_notice

    site = _site(request, pk)
    run = site.runs.order_by("-point", "-started").first()
    if run is None:
        raise Http404
    data = rectification_notice(site, run, today=timezone.localdate())
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="zhenggai-{site.pk}-{run.point}.docx"'
    return response


@staff_required
def export_xlsx(request):
    from gongkai.monitor.documents import supervisor_workbook

    sites = list(queries.sites_visible_to(request.user))
    data = supervisor_workbook(sites, queries.latest_runs(sites))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="monitor.xlsx"'
    return response


@staff_required
def spot_checks(request):
    root = request.user.org if not request.user.is_superuser else None
    form = SpotCheckForm(request.POST or None)
    if request.method == "POST":
        if request.user.role != Role.OFFICE_ADMIN and not request.user.is_superuser:
            raise PermissionDenied
        if form.is_valid() and root is not None:
            check = services.spot_check(
                root=root,
                quarter=form.cleaned_data["quarter"],
                share=form.cleaned_data["share"],
                public_random=form.cleaned_data["public_random"],
                actor=request.user,
            )
            messages.success(request, _("已抽取%(n)d个网站") % {"n": len(check.site_ids)})
            return redirect("monitor:spot_checks")
    checks = SpotCheck.objects.filter(root__in=visible_orgs(request.user))
    names = dict(Site.objects.values_list("pk", "name"))
    return render(
        request,
        "monitor/desk_spot_checks.html",
        {
            "form": form,
            "checks": [(c, [names.get(i, i) for i in c.site_ids]) for c in checks],
            "can_draw": root is not None and request.user.role == Role.OFFICE_ADMIN,
        },
    )


@staff_required
def reposts(request):
    sites = queries.sites_visible_to(request.user).filter(status=SiteStatus.RUNNING)
    form = RepostForm(request.POST or None, sites=sites)
    if request.method == "POST":
        if not _can_manage(request.user):
            raise PermissionDenied
        if form.is_valid():
            services.record_repost(actor=request.user, **form.cleaned_data)
            messages.success(request, _("已记录"))
            return redirect("monitor:reposts")
    return render(
        request,
        "monitor/desk_reposts.html",
        {
            "late": queries.late_reposts(sites, now=timezone.now()),
            "form": form,
            "can_manage": _can_manage(request.user),
        },
    )
