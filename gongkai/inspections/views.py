"""Pages of 双随机一公开: the public list, draws anyone can verify, published results, and
the staff desk (plans, batches, draws, recusal, results, publication, overdue).

Staff see only their org subtree (``orgs.queries.visible_to``); every change goes through
``services``.
"""

import json
import tempfile
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gongkai.inspections import forms, queries, services
from gongkai.inspections.models import (
    Assignment,
    Batch,
    Draw,
    InspectionItem,
    InspectionResult,
    RegistryChange,
)
from gongkai.orgs.enums import Role
from gongkai.orgs.models import Org
from gongkai.orgs.queries import visible_to

PAGE_SIZE = 50
SCRIPT = Path(services.__file__).with_name("verify_bundle.py")


# --- public ----------------------------------------------------------------------------


def index(request):
    """RND-1: the published item list, filterable by department and words."""
    items = queries.listed_items(on=timezone.localdate())
    q = request.GET.get("q", "").strip()[:50]
    if q:
        items = items.filter(name__icontains=q)
    org = request.GET.get("org", "")
    if org.isdigit():
        items = items.filter(org_id=int(org))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    departments = (
        queries.listed_items(on=timezone.localdate())
        .values_list("org_id", "org__name")
        .distinct()
        .order_by("org__path")
    )
    return render(
        request,
        "inspections/index.html",
        {
            "page": page,
            "q": q,
            "org": org,
            "departments": list(dict.fromkeys(departments)),
            "total": queries.listed_items(on=timezone.localdate()).count(),
            "draws": queries.public_draws()[:10],
        },
    )


def draws(request):
    page = Paginator(queries.public_draws(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/draws.html", {"page": page})


def draw_detail(request, pk: int):
    """RND-7: everything needed to check a draw, re-run here and downloadable."""
    row = get_object_or_404(queries.public_draws(), pk=pk)
    return render(request, "inspections/draw.html", _draw_context(row) | {"public": True})


def _draw_context(row: Draw) -> dict:
    outcome = services.check(row)
    people = {p["certificate"]: p["name"] for p in row.inputs["inspectors"]}
    names = {e["credit_code"]: e["name"] for e in row.inputs["entities"]}
    recusals = {}
    for code, recused, replaced_by in services.recusal_log(row):
        recusals.setdefault(code, []).append(
            (people.get(recused, recused), people.get(replaced_by, replaced_by))
        )
    results = {r.entity.credit_code: r for r in row.results.select_related("entity")}
    picked = [
        {
            "position": position,
            "credit_code": r["credit_code"],
            "name": names.get(r["credit_code"], ""),
            "inspectors": [people.get(c, c) for c in r["inspectors"]],
            "reserve": [people.get(c, c) for c in r["reserve"]],
            "recusals": recusals.get(r["credit_code"], []),
            "result": results.get(r["credit_code"]),
        }
        for position, r in enumerate(row.result["entities"], start=1)
    ]
    return {
        "draw": row,
        "verification": outcome,
        "picked": picked,
        "entity_count": len(row.inputs["entities"]),
        "inspector_count": len(row.inputs["inspectors"]),
    }


def bundle(request, pk: int):
    row = get_object_or_404(Draw, pk=pk)
    text = json.dumps(services.bundle(row), ensure_ascii=False, indent=1) + "\n"
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{row.pk}-bundle.json"'
    return response


def script(request):
    return FileResponse(
        SCRIPT.open("rb"),
        as_attachment=True,
        filename="verify_bundle.py",
        content_type="text/x-python; charset=utf-8",
    )


def results(request):
    """RND-8: published results."""
    page = Paginator(queries.published_results(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/results.html", {"page": page})


# --- desk ------------------------------------------------------------------------------


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff_member or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _items(user):
    return InspectionItem.objects.filter(org__in=visible_to(user)).select_related("org")


@staff_required
def desk(request):
    orgs = visible_to(request.user)
    today = timezone.localdate()
    return render(
        request,
        "inspections/desk/index.html",
        {
            "plans": queries.plans_of(orgs)[:20],
            "batches": queries.batches_of(orgs).filter(plan__year=today.year),
            "draws": queries.draws_of(orgs)[:20],
            "overdue": queries.overdue(orgs, on=today)[:20],
            "unpublished": queries.unpublished(orgs).count(),
            "plan_form": forms.PlanForm(orgs=orgs, initial={"year": today.year}),
        },
    )


@staff_required
@require_POST
def plan_create(request):
    form = forms.PlanForm(request.POST, orgs=visible_to(request.user))
    if not form.is_valid():
        messages.error(request, gettext("计划未保存：请检查填写的内容"))
        return redirect("inspections:desk")
    plan = services.create_plan(
        form.cleaned_data["org"],
        year=form.cleaned_data["year"],
        title=form.cleaned_data["title"],
        filed_on=form.cleaned_data["filed_on"],
        by=request.user,
    )
    return redirect("inspections:desk_plan", pk=plan.pk)


@staff_required
def plan_detail(request, pk: int):
    orgs = visible_to(request.user)
    plan = get_object_or_404(queries.plans_of(orgs), pk=pk)
    form = forms.BatchForm(
        request.POST or None, items=_items(request.user), orgs=Org.objects.order_by("path")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_batch(
                plan,
                item=data["item"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                sample_size=data["sample_size"],
                ratio=data["ratio"],
                scope=form.scope(),
                weighting=data["weighting"],
                inspectors_per_entity=data["inspectors_per_entity"],
                joint_orgs=list(data["joint_orgs"]),
                by=request.user,
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("批次已加入计划"))
            return redirect("inspections:desk_plan", pk=plan.pk)
    batches = plan.batches.select_related("item").prefetch_related("joint_orgs", "draws")
    return render(
        request,
        "inspections/desk/plan.html",
        {"plan": plan, "batches": batches, "form": form, "draw_form": forms.BatchDrawForm()},
    )


@staff_required
@require_POST
def batch_draw(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk, plan__org__in=visible_to(request.user))
    form = forms.BatchDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("抽取前须录入公开随机数"))
        return redirect("inspections:desk_plan", pk=batch.plan_id)
    try:
        row = services.draw_batch(
            batch, public_random=form.cleaned_data["public_random"], by=request.user
        )
    except services.DrawRefused as exc:
        messages.error(request, gettext("未抽取：%s") % exc)
        return redirect("inspections:desk_plan", pk=batch.plan_id)
    messages.success(request, gettext("抽取完成，结果已公开，任何人可复算验证"))
    return redirect("inspections:desk_draw", pk=row.pk)


@staff_required
def draw_new(request):
    form = forms.DrawForm(request.POST or None, items=_items(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.draw(
                data["item"],
                sample_size=data["sample_size"],
                inspectors_per_entity=data["inspectors_per_entity"],
                weighting=data["weighting"],
                public_random=data["public_random"],
                by=request.user,
            )
        except services.DrawRefused as exc:
            form.add_error(None, gettext("未抽取：%s") % exc)
        else:
            messages.success(request, gettext("抽取完成，结果已公开，任何人可复算验证"))
            return redirect("inspections:desk_draw", pk=row.pk)
    return render(request, "inspections/desk/draw_new.html", {"form": form})


def _visible_draw(request, pk: int) -> Draw:
    return get_object_or_404(queries.draws_of(visible_to(request.user)), pk=pk)


@staff_required
def desk_draw(request, pk: int):
    row = _visible_draw(request, pk)
    context = _draw_context(row)
    assignments = row.assignments.select_related("entity").prefetch_related("inspectors")
    done = {r.entity_id for r in row.results.all()}
    context["rows"] = [
        {
            "assignment": a,
            "recusal_form": forms.RecusalForm(people=a.inspectors.all(), prefix=f"r{a.pk}"),
            "result_form": None
            if a.entity_id in done
            else forms.ResultForm(prefix=f"e{a.pk}", initial={"finished_on": timezone.localdate()}),
        }
        for a in assignments
    ]
    context["unpublished"] = row.results.filter(published_on=None).select_related("entity")
    context["today"] = timezone.localdate()
    return render(request, "inspections/desk/draw.html", context)


@staff_required
@require_POST
def recuse(request, pk: int, assignment: int):
    row = _visible_draw(request, pk)
    target = get_object_or_404(Assignment, pk=assignment, draw=row)
    form = forms.RecusalForm(request.POST, people=target.inspectors.all(), prefix=f"r{target.pk}")
    if form.is_valid():
        try:
            recusal = services.recuse(
                target,
                form.cleaned_data["certificate"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.RecusalRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, gettext("已回避，按替补顺序由执法证号%s的人员替补") % recusal.replacement
            )
    else:
        messages.error(request, gettext("回避未登记：请选择人员并填写理由"))
    return redirect("inspections:desk_draw", pk=row.pk)


@staff_required
@require_POST
def enter_result(request, pk: int, assignment: int):
    row = _visible_draw(request, pk)
    target = get_object_or_404(Assignment.objects.select_related("entity"), pk=assignment, draw=row)
    form = forms.ResultForm(request.POST, prefix=f"e{target.pk}")
    if form.is_valid():
        try:
            services.enter_result(
                row,
                target.entity,
                outcome=form.cleaned_data["outcome"],
                finished_on=form.cleaned_data["finished_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("检查结果已录入，请在公示期限内公示"))
    else:
        messages.error(
            request,
            gettext("检查结果未录入：%s")
            % "；".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("inspections:desk_draw", pk=row.pk)


@staff_required
@require_POST
def publish(request, pk: int):
    draws = queries.draws_of(visible_to(request.user)).values("pk")
    result = get_object_or_404(InspectionResult, pk=pk, draw__in=draws)
    try:
        services.publish_result(result, by=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("检查结果已在门户公示"))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/desk/inspections/") else "inspections:desk")


@staff_required
def overdue(request):
    orgs = visible_to(request.user)
    today = timezone.localdate()
    return render(
        request,
        "inspections/desk/overdue.html",
        {"rows": queries.overdue(orgs, on=today), "today": today},
    )


@staff_required
def figures(request):
    """RND-11: yearly figures per department for the annual report."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    rows = queries.year_figures(year, today=today, orgs=visible_to(request.user))
    return render(request, "inspections/desk/figures.html", {"rows": rows, "year": year})


REGISTRY_MANAGERS = frozenset({Role.OFFICE_ADMIN, Role.DEPT_ADMIN})


@staff_required
def registries(request):
    """RND-1…3: import the item list and registries (all or nothing, line-numbered errors).

    Items and inspectors only for orgs the user sees; the shared entity registry only for
    公开办 / 部门管理员.
    """
    form = forms.RegistryImportForm(request.POST or None, request.FILES or None)
    errors, notes = [], []
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        allowed = list(visible_to(request.user))
        if kind == "entities" and not (
            request.user.is_superuser or request.user.role in REGISTRY_MANAGERS
        ):
            raise PermissionDenied
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                if kind == "items":
                    result = services.import_items(
                        path, by=request.user, listed_on=timezone.localdate(), allowed=allowed
                    )
                elif kind == "entities":
                    result = services.import_entities(path, by=request.user)
                else:
                    result = services.import_inspectors(path, by=request.user, allowed=allowed)
            except services.RegistryImportError as exc:
                errors = exc.messages
            else:
                notes = result.notes
                messages.success(
                    request,
                    gettext("导入完成：新建%(created)d条，更新%(updated)d条")
                    % {"created": result.created, "updated": result.updated},
                )
    changes = RegistryChange.objects.select_related("changed_by").order_by("-pk")[:20]
    return render(
        request,
        "inspections/desk/registries.html",
        {"form": form, "errors": errors, "notes": notes, "changes": changes},
    )
