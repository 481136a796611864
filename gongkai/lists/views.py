"""Public lists on the portal (/lists/) and the staff desk (/desk/lists/) — PUB-9.

The public sees published versions only; staff see the versions of their org subtree
(``queries.visible_to``) and change them only through ``services``.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.lists import queries, services
from gongkai.lists.forms import FilterForm, UploadForm
from gongkai.orgs.enums import Role
from gongkai.orgs.models import Org
from gongkai.orgs.queries import tree_rows
from gongkai.orgs.queries import visible_to as visible_orgs

PAGE_SIZE = 50
SEARCH_LIMIT = 100
PUBLISHERS = {Role.OFFICE_ADMIN, Role.DEPT_ADMIN}


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff_member or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def can_publish(user) -> bool:
    """公开办 and 部门管理员 publish; 承办人 and 审核人 may upload drafts only."""
    return user.is_superuser or user.role in PUBLISHERS


def _filtered(request, versions, orgs):
    years = sorted(set(versions.values_list("year", flat=True)), reverse=True)
    form = FilterForm(request.GET or None, orgs=orgs, years=years)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            versions = versions.filter(kind=data["kind"])
        if data["org"]:
            versions = versions.filter(org_id=int(data["org"]))
        if data["year"]:
            versions = versions.filter(year=data["year"])
    return form, versions


def _entries_page(request, version):
    q = request.GET.get("q", "").strip()[:50]
    entries = queries.search_entries(version, q)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return q, page


# --- public ---------------------------------------------------------------------------


def public_index(request):
    published = queries.published()
    org_ids = set(published.values_list("org_id", flat=True))
    orgs = [org for org in tree_rows() if org.pk in org_ids]
    form, versions = _filtered(request, published, orgs)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    hits = queries.search_all(versions, q)[:SEARCH_LIMIT] if q else None
    versions = queries.with_counts(versions).order_by("kind", "org__path", "-year")
    return render(
        request,
        "lists/public_index.html",
        {"form": form, "versions": versions, "q": q, "hits": hits, "limit": SEARCH_LIMIT},
    )


def public_detail(request, pk: int):
    version = get_object_or_404(queries.published(), pk=pk)
    q, page = _entries_page(request, version)
    others = queries.published().filter(org=version.org_id, kind=version.kind).order_by("-year")
    return render(
        request,
        "lists/public_detail.html",
        {
            "version": version,
            "summary": queries.year_over_year(version),
            "q": q,
            "page": page,
            "others": others,
        },
    )


# --- desk -----------------------------------------------------------------------------


@staff_required
def desk_list(request):
    mine = queries.visible_to(request.user)
    form, versions = _filtered(request, mine, tree_rows_visible(request.user))
    versions = queries.with_counts(versions).order_by("kind", "org__path", "-year")
    return render(
        request,
        "lists/desk_list.html",
        {"form": form, "versions": versions, "can_publish": can_publish(request.user)},
    )


def tree_rows_visible(user) -> list[Org]:
    allowed = set(visible_orgs(user).values_list("pk", flat=True))
    return [org for org in tree_rows() if org.pk in allowed]


@staff_required
def desk_upload(request):
    orgs = tree_rows_visible(request.user)
    errors: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, orgs=orgs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.import_file(
                    data["file"].name,
                    data["file"].read(),
                    org=data["org"],
                    kind=data["kind"],
                    year=data["year"],
                    by=request.user,
                    complete=data["complete"],
                )
            except services.ImportFailed as failure:
                errors = failure.errors
            except services.AlreadyPublished as error:
                errors = [str(error)]
            else:
                messages.success(request, _("已导入%(n)d条，尚未发布。") % {"n": result.entries})
                return redirect("lists:desk_detail", pk=result.version.pk)
    else:
        form = UploadForm(orgs=orgs, initial={"complete": True})
    from gongkai.lists.enums import ListKind

    return render(
        request,
        "lists/desk_upload.html",
        {"form": form, "errors": errors, "kinds": ListKind.choices},
    )


@staff_required
def desk_template(request):
    """The XLSX import template of one list kind (``?kind=``)."""
    from urllib.parse import quote

    from django.http import Http404, HttpResponse

    from gongkai.lists.enums import ListKind

    kind = request.GET.get("kind") or ListKind.POWER
    if kind not in ListKind.values:
        raise Http404
    response = HttpResponse(
        services.import_template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = quote(f"{ListKind(kind).label}导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@staff_required
def desk_detail(request, pk: int):
    version = get_object_or_404(queries.visible_to(request.user), pk=pk)
    q, page = _entries_page(request, version)
    return render(
        request,
        "lists/desk_detail.html",
        {
            "version": version,
            "summary": queries.year_over_year(version),
            "q": q,
            "page": page,
            "can_publish": can_publish(request.user),
        },
    )


@require_POST
@staff_required
def desk_publish(request, pk: int):
    version = get_object_or_404(queries.visible_to(request.user), pk=pk)
    if not can_publish(request.user):
        raise PermissionDenied
    try:
        services.publish(version, by=request.user)
    except services.AlreadyPublished as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已发布到门户网站。"))
    return redirect("lists:desk_detail", pk=version.pk)


@require_POST
@staff_required
def desk_withdraw(request, pk: int):
    version = get_object_or_404(queries.visible_to(request.user), pk=pk)
    if not can_publish(request.user):
        raise PermissionDenied
    try:
        services.withdraw(version, by=request.user, reason=request.POST.get("reason", ""))
    except services.WithdrawRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已从门户网站撤回，现为草稿。"))
    return redirect("lists:desk_detail", pk=version.pk)
