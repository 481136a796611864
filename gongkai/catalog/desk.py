"""Staff pages of the catalog: drafting, review, withdrawal, the catalog tree, reports."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gongkai.catalog import queries, services, tree
from gongkai.catalog.enums import (
    Art20,
    Attribute,
    Channel,
    Conclusion,
    DocKind,
    Legacy,
    NewMediaKind,
    Status,
    Validity,
)
from gongkai.catalog.models import Item
from gongkai.orgs.queries import visible_to


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff_member or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _items(user):
    return Item.objects.filter(org__in=visible_to(user)).select_related("org", "author")


def _get(request, pk) -> Item:
    return get_object_or_404(_items(request.user), pk=pk)


@staff_required
def item_list(request):
    items = _items(request.user)
    status = request.GET.get("status") or ""
    if status in Status.values:
        items = items.filter(status=status)
    if request.GET.get("late"):
        items = items.filter(late=True)
    if request.GET.get("mine_to_review"):
        items = items.filter(status=Status.IN_REVIEW).exclude(author=request.user)
    counts = {s: 0 for s in Status.values}
    for row in _items(request.user).values("status").order_by().annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    page = Paginator(items.order_by("-updated_at", "-pk"), 30).get_page(request.GET.get("page"))
    try:
        year = int(request.GET.get("year") or services.today_local().year)
    except ValueError:
        year = services.today_local().year
    return render(
        request,
        "catalog/desk/list.html",
        {
            "coverage": queries.interpretation_coverage(visible_to(request.user), year),
            "page": page,
            "status": status,
            "statuses": [(s, label, counts[s]) for s, label in Status.choices],
        },
    )


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# INT-5: the usual forms of a policy interpretation (suggestions: any other may be typed).
INTERPRETATION_FORMS = ("文字解读", "图表图解", "音频", "视频", "动漫", "新闻发布会", "在线访谈")


def _form_context(request, item=None, data=None, errors=None):
    org = item.org if item else request.user.org
    if item is None and request.method == "POST":
        org = visible_to(request.user).filter(pk=_pk(request.POST.get("org"))).first() or org
    policies = Item.objects.filter(
        org__in=visible_to(request.user), kind__in=(DocKind.RULE, DocKind.NORMATIVE)
    ).exclude(status=Status.WITHDRAWN)[:200]
    return {
        "item": item,
        "data": data or {},
        "errors": errors or {},
        "leaves": queries.leaves(org) if org else [],
        # New items may be drafted for any org of the staff member's subtree.
        "orgs": [] if item else list(visible_to(request.user).order_by("path")[:500]),
        "org": org,
        "policies": policies,
        "kinds": DocKind.choices,
        "legacies": Legacy.choices,
        "art20s": Art20.choices,
        "attributes": Attribute.choices,
        "validities": Validity.choices,
        "interpretation_forms": INTERPRETATION_FORMS,
    }


FORM_FIELDS = (
    "title", "number", "formed_on", "subject", "kind", "legacy_category", "art20",
    "attribute", "withheld_reason", "node", "policy", "interpretation_form", "validity",
    "effective_on", "summary", "keywords", "body_html", "title_en", "summary_en",
)  # fmt: skip


def _data(item: Item | None) -> dict:
    if item is None:
        return {"kind": DocKind.OTHER, "legacy_category": Legacy.OTHER, "art20": 15}
    data = {name: getattr(item, name, "") for name in FORM_FIELDS}
    data["node"] = item.node_id or ""
    data["policy"] = item.policy_id or ""
    for name in ("formed_on", "effective_on"):
        data[name] = data[name].isoformat() if data[name] else ""
    return data


def _save(request, item=None):
    data = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    files = [(f.name, f.read()) for f in request.FILES.getlist("attachments")]
    org = None
    if item is None and request.POST.get("org"):
        org = visible_to(request.user).filter(pk=_pk(request.POST["org"])).first()
    try:
        item = services.save_draft(data, actor=request.user, item=item, org=org, files=files)
    except services.ItemInvalid as invalid:
        return render(
            request,
            "catalog/desk/form.html",
            _form_context(request, item, data, invalid.errors),
            status=400,
        )
    messages.success(request, gettext("已保存"))
    return redirect("catalog:desk_detail", pk=item.pk)


@staff_required
def item_new(request):
    if request.method == "POST":
        return _save(request)
    return render(request, "catalog/desk/form.html", _form_context(request, data=_data(None)))


@staff_required
def item_edit(request, pk):
    item = _get(request, pk)
    if not services.may_edit(request.user, item):
        raise PermissionDenied
    if request.method == "POST":
        return _save(request, item)
    return render(request, "catalog/desk/form.html", _form_context(request, item, _data(item)))


@staff_required
def item_detail(request, pk, errors=None, status=200):
    item = _get(request, pk)
    return render(
        request,
        "catalog/desk/detail.html",
        {
            "item": item,
            "errors": errors or {},
            "post": request.POST if errors else {},
            "reviews": item.reviews.select_related("reviewer"),
            "distributions": item.distributions.order_by("on", "pk"),
            "submissions": item.submissions.order_by("submitted_on", "pk"),
            "attachments": item.attachments.all(),
            "interpretations": item.interpretations.all(),
            "may_edit": services.may_edit(request.user, item),
            "may_review": services.may_review(request.user, item)
            and item.status == Status.IN_REVIEW,
            "may_referral": services.may_review(request.user, item)
            and item.status == Status.REFERRED,
            "may_after": item.status == Status.PUBLISHED
            and (services.may_review(request.user, item) or services._admin(request.user, item)),
            "conclusions": Conclusion.choices,
            "channels": Channel.choices,
            "newmedia": NewMediaKind.choices,
            "needs_waiver": item.needs_interpretation
            and not services.has_approved_interpretation(item),
        },
        status=status,
    )


def _act(request, pk, fn):
    item = _get(request, pk)
    try:
        fn(item)
    except services.ItemInvalid as invalid:
        return item_detail(request, pk, errors=invalid.errors, status=400)
    messages.success(request, gettext("操作成功"))
    return redirect("catalog:desk_detail", pk=item.pk)


@staff_required
@require_POST
def item_submit(request, pk):
    return _act(request, pk, lambda item: services.submit(item, actor=request.user))


@staff_required
@require_POST
def item_review(request, pk):
    post = request.POST
    return _act(
        request,
        pk,
        lambda item: services.review(
            item,
            reviewer=request.user,
            conclusion=post.get("conclusion", ""),
            reason=post.get("reason", ""),
            override_reason=post.get("override_reason", ""),
            waiver_reason=post.get("waiver_reason", ""),
        ),
    )


@staff_required
@require_POST
def item_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda item: services.withdraw(
            item, actor=request.user, reason=request.POST.get("reason", "")
        ),
    )


@staff_required
@require_POST
def item_repeal(request, pk):
    return _act(
        request,
        pk,
        lambda item: services.repeal(
            item,
            actor=request.user,
            repealed_on=request.POST.get("repealed_on", ""),
            reason=request.POST.get("reason", ""),
        ),
    )


@staff_required
@require_POST
def item_distribute(request, pk):
    from gongkai.catalog.rules import parse_date

    def go(item):
        channel = request.POST.get("channel", "")
        if channel not in Channel.values:
            raise services.ItemInvalid({"channel": "渠道不正确"})
        try:
            on = parse_date(request.POST.get("on")) or services.today_local()
        except ValueError as error:
            raise services.ItemInvalid({"on": str(error)}) from None
        kind = request.POST.get("kind", "")
        services.distribute(
            item,
            actor=request.user,
            channel=channel,
            on=on,
            kind=kind if kind in NewMediaKind.values else "",
        )

    return _act(request, pk, go)


@staff_required
def catalog_tree(request):
    org = request.user.org
    if org is None:
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择文件"
        else:
            try:
                counts = tree.import_catalog(org, upload.name, upload.read(), actor=request.user)
                messages.success(
                    request,
                    "已导入：" + "，".join(f"{k}级 {v} 项" for k, v in sorted(counts.items())),
                )
                return redirect("catalog:desk_tree")
            except tree.CatalogImportError as exc:
                error = str(exc)
    return render(
        request,
        "catalog/desk/tree.html",
        {
            "org": org,
            "rows": queries.node_rows(org),
            "levels": queries.level_counts(org),
            "error": error,
        },
    )


@staff_required
def scan_report(request):
    rows = services.scan_report(_items(request.user))
    return render(request, "catalog/desk/scan_report.html", {"rows": rows})


@staff_required
def withheld_list(request):
    """PUB-7: the yearly review of 不予公开 items — those due first, then the others."""
    withheld = _items(request.user).filter(attribute=Attribute.WITHHELD)
    due = services.withheld_due(withheld)
    due_pks = set(due.values_list("pk", flat=True))
    rows = [
        (item, item.pk in due_pks)
        for item in withheld.order_by(F("withheld_reviewed_on").asc(nulls_first=True), "pk")
    ]
    return render(
        request,
        "catalog/desk/withheld.html",
        {"rows": rows, "due": len(due_pks), "days": services.withheld_review_days()},
    )


@staff_required
@require_POST
def item_withheld_review(request, pk):
    item = _get(request, pk)
    try:
        services.review_withheld(
            item,
            actor=request.user,
            keep=request.POST.get("keep") == "1",
            reason=request.POST.get("reason", ""),
        )
    except services.ItemInvalid as invalid:
        for message in invalid.errors.values():
            messages.error(request, f"{item.title}：{message}")
        return redirect("catalog:desk_withheld")
    messages.success(request, gettext("复核结果已记录"))
    return redirect("catalog:desk_withheld")


# --- Bulk import as a job with progress (issue 5 §9) -------------------------------------------

# Run the import in a thread of this process (the default) or inline (tests, tiny files).
RUN_INLINE = False


def _run_job(job_pk: int) -> None:
    from django.db import close_old_connections

    from gongkai.catalog import importer
    from gongkai.catalog.models import ImportJob
    from gongkai.orgs.queries import subtree

    try:
        job = ImportJob.objects.select_related("org", "created_by").get(pk=job_pk)
        data = bytes(job.data or b"")
        try:
            importer.run(job.filename, data, orgs=subtree(job.org), author=job.created_by, job=job)
        except importer.ImportFailed:
            pass
    finally:
        if not RUN_INLINE:
            close_old_connections()


@staff_required
def import_start(request):
    import hashlib
    import threading

    from gongkai.catalog.models import ImportJob

    jobs = ImportJob.objects.filter(org__in=visible_to(request.user)).exclude(
        filename__startswith="演示数据"
    )
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.name.lower().endswith((".csv", ".xlsx")):
            messages.error(request, gettext("请选择 CSV 或 XLSX 文件"))
            return redirect("catalog:desk_import")
        data = upload.read()
        digest = hashlib.sha256(data).hexdigest()
        # The same file again resumes its unfinished job.
        job = jobs.filter(digest=digest, status="running").first()
        if job is None:
            job = ImportJob.objects.create(
                org=request.user.org,
                filename=upload.name[:200],
                digest=digest,
                data=data,
                created_by=request.user,
            )
        else:
            job.data = data
            job.save(update_fields=["data"])
        if RUN_INLINE:
            _run_job(job.pk)
        else:
            threading.Thread(target=_run_job, args=(job.pk,), daemon=True).start()
        return redirect("catalog:desk_import_job", pk=job.pk)
    return render(request, "catalog/desk/import.html", {"jobs": jobs.order_by("-pk")[:20]})


@staff_required
def import_job(request, pk):
    from gongkai.catalog.models import ImportJob

    job = get_object_or_404(ImportJob.objects.filter(org__in=visible_to(request.user)), pk=pk)
    percent = 100 * job.done // job.total if job.total else 0
    return render(
        request,
        "catalog/desk/import_job.html",
        {"job": job, "percent": percent, "stalled": _stalled(job)},
    )


# A running job writes its progress after every batch (``importer.BATCH`` rows, seconds);
# one silent for this long has lost its thread (the server restarted) and may be resumed.
STALLED_AFTER = timedelta(minutes=2)


def _stalled(job) -> bool:
    return (
        job.status == "running"
        and job.data is not None
        and job.updated_at < timezone.now() - STALLED_AFTER
    )


@staff_required
@require_POST
def import_resume(request, pk):
    """Resume a stalled job from its stored file, where it stopped (one resumer wins)."""
    import threading

    from gongkai.catalog.models import ImportJob

    job = get_object_or_404(ImportJob.objects.filter(org__in=visible_to(request.user)), pk=pk)
    claimed = (
        _stalled(job)
        and ImportJob.objects.filter(pk=job.pk, updated_at=job.updated_at).update(
            updated_at=timezone.now()
        )
        == 1
    )
    if not claimed:
        messages.error(request, gettext("该导入没有中断，无需继续"))
    elif RUN_INLINE:
        _run_job(job.pk)
    else:
        threading.Thread(target=_run_job, args=(job.pk,), daemon=True).start()
    return redirect("catalog:desk_import_job", pk=job.pk)


@staff_required
@require_POST
def item_provincial(request, pk):
    """Upward submission to the provincial portal, and its answer (adopted or not)."""
    from gongkai.catalog.models import ProvincialSubmission
    from gongkai.catalog.rules import parse_date

    def go(item):
        if not (services.may_review(request.user, item) or services._admin(request.user, item)):
            raise services.ItemInvalid({"status": "只有审核人或管理员可以登记报送"})
        try:
            on = parse_date(request.POST.get("on")) or services.today_local()
        except ValueError as error:
            raise services.ItemInvalid({"on": str(error)}) from None
        sub_id = request.POST.get("submission")
        if sub_id:
            sub = get_object_or_404(ProvincialSubmission, pk=sub_id, item=item)
            adopted = request.POST.get("adopted") == "yes"
            services.decide_provincial(sub, actor=request.user, adopted=adopted, on=on)
        else:
            services.submit_provincial(item, actor=request.user, on=on)

    return _act(request, pk, go)


@staff_required
def issue_list(request):
    """政府公报 / 政务要情: add an issue listing published items by their 索引号."""
    from gongkai.catalog import issues
    from gongkai.catalog.enums import SeriesKind
    from gongkai.catalog.models import Issue
    from gongkai.catalog.rules import parse_date

    errors, post = {}, {}
    if request.method == "POST":
        post = request.POST
        try:
            try:
                published_on = parse_date(post.get("published_on"))
            except ValueError as error:
                raise services.ItemInvalid({"published_on": f"出刊日期：{error}"}) from None
            if published_on is None:
                raise services.ItemInvalid({"published_on": "出刊日期必填"})
            try:
                number = int(post.get("number") or 0)
            except ValueError:
                raise services.ItemInvalid({"number": "期号须为正整数"}) from None
            wanted = [
                line.strip() for line in post.get("index_nos", "").splitlines() if line.strip()
            ]
            found = {i.index_no: i for i in _items(request.user).filter(index_no__in=wanted)}
            if missing := [n for n in wanted if n not in found]:
                raise services.ItemInvalid({"index_nos": "找不到索引号：" + "、".join(missing)})
            issues.create_issue(
                org=request.user.org,
                series=post.get("series", ""),
                year=published_on.year,
                number=number,
                published_on=published_on,
                items=[found[n] for n in wanted],
                title=post.get("title", "")[:200],
                actor=request.user,
            )
            messages.success(request, gettext("已添加"))
            return redirect("catalog:desk_issues")
        except services.ItemInvalid as invalid:
            errors = invalid.errors
    rows = Issue.objects.filter(org__in=visible_to(request.user)).select_related("org")[:100]
    return render(
        request,
        "catalog/desk/issues.html",
        {"issues": rows, "series": SeriesKind.choices, "errors": errors, "post": post},
        status=400 if errors else 200,
    )


@staff_required
@require_POST
def item_referral(request, pk):
    """SEC-1: the authority's answer on a referred item."""
    return _act(
        request,
        pk,
        lambda item: services.decide_referral(
            item,
            actor=request.user,
            publishable=request.POST.get("publishable") == "yes",
            reason=request.POST.get("reason", ""),
        ),
    )
