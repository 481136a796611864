"""The staff desk for applications: the list, registration, one application and its actions.

Every view loads through ``queries.visible_to`` and changes state only through
``services.submit`` / ``services.act``; which actions are offered comes from
``rules.TRANSITIONS``.
"""

from datetime import date, timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.applications import attachments, permissions, queries, rules, services, topics
from gongkai.applications.enums import Action, Decision, Stage
from gongkai.applications.forms import StaffRegistrationForm
from gongkai.applications.models import Application, Extension, FeeNotice
from gongkai.audit.models import Entry
from gongkai.audit.services import SYSTEM
from gongkai.orgs.enums import Role
from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.portal import apply
from gongkai.portal.action_forms import FORMS, DateTimeInput
from gongkai.workdays.rules import CalendarYearMissing, add_workdays
from gongkai.workdays.services import load_calendar

PAGE_SIZE = 20
SOON_WORKDAYS = 5
NEW_CODE = "gk_desk_new_code"  # session: the query code of an application staff just registered

VIEWS = {
    "pending": _("待确认收到"),
    "open": _("办理中"),
    "due_soon": _("即将到期"),
    "overdue": _("已超期"),
    "deadline_pending": _("期限待定"),
    "mine": _("我的待办"),
}
EVENTS = {
    "submit": _("提交申请"),
    "reveal_personal_data": _("查看完整个人信息"),
    "attachment_store": _("收到附件"),
    "attachment_open": _("打开附件"),
    "set_topic": _("确认事项分类"),
}


def staff_required(view):
    """Signed-in staff (or a superuser) only; anyone else signed in gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff_member or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class FilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("范围"), required=False, choices=[("", _("全部")), *VIEWS.items()]
    )
    stage = forms.ChoiceField(
        label=_("办理状态"), required=False, choices=[("", _("全部状态")), *Stage.choices]
    )
    q = forms.CharField(label=_("编号或内容"), required=False, max_length=50)


class TopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("事项分类"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("请选择启用中的事项分类。"),
            "required": _("请选择事项分类。"),
        },
    )

    def __init__(self, *args, app: Application, **kwargs):
        super().__init__(*args, initial={"topic": app.topic_id}, **kwargs)
        self.fields["topic"].queryset = topics.choices()


def soon_end(today: date) -> date:
    """The last day that counts as 即将到期: ``SOON_WORKDAYS`` working days after today."""
    try:
        return add_workdays(today, SOON_WORKDAYS, load_calendar())
    except CalendarYearMissing:
        # Late December, before next year's holidays are published: a week is close enough
        # for a warning colour (it is never used as a legal deadline).
        return today + timedelta(days=7)


def in_view(apps, view: str, *, user, today: date):
    """The applications of one of the workbench's ``VIEWS`` (all of them for "")."""
    if view == "pending":
        return queries.awaiting_confirmation(apps)
    if view == "open":
        return queries.open_(apps).exclude(stage=Stage.PENDING_CONFIRMATION)
    if view == "due_soon":
        return queries.due_between(apps, start=today, end=soon_end(today)).order_by("due_date")
    if view == "overdue":
        return queries.overdue(apps, on=today).order_by("due_date")
    if view == "deadline_pending":
        return queries.deadline_pending(apps)
    if view == "mine":
        return queries.open_(apps).filter(handler=user).order_by("due_date")
    return apps


def counts(user, today: date) -> list[tuple[str, str, int]]:
    """(view, label, count) for the workbench; 我的待办 only for a 承办人."""
    apps = queries.visible_to(user)
    views = [v for v in VIEWS if v != "mine" or user.role == Role.HANDLER]
    return [(v, VIEWS[v], in_view(apps, v, user=user, today=today).count()) for v in views]


def deadline_badge(app: Application, *, today: date, soon: date) -> tuple[str, str] | None:
    """(css class, text) flagging an open application's deadline, or None."""
    if app.stage not in queries.OPEN:
        return None
    if app.due_pending_year:
        return ("pending", gettext("期限待定"))
    if app.due_date is None:
        return None
    if app.due_date < today:
        return ("overdue", gettext("已超期"))
    if app.due_date <= soon:
        return ("soon", gettext("即将到期"))
    return None


def allowed_actions(app: Application) -> list[Action]:
    return [a for a, (sources, _target) in rules.TRANSITIONS.items() if app.stage in sources]


@staff_required
def application_list(request):
    today = timezone.localdate()
    form = FilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    apps = in_view(
        queries.visible_to(request.user), filters.get("view", ""), user=request.user, today=today
    )
    if filters.get("stage"):
        apps = apps.filter(stage=filters["stage"])
    apps = queries.search(apps, filters.get("q", "")).select_related("org", "handler")
    page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    soon = soon_end(today)
    rows = [(app, deadline_badge(app, today=today, soon=soon)) for app in page]
    return render(request, "portal/desk/list.html", {"form": form, "page": page, "rows": rows})


@staff_required
def register(request):
    form = apply.application_form(
        request.POST or None,
        form_class=StaffRegistrationForm,
        orgs=visible_orgs(request.user),
    )
    form.fields["arrived_at"].widget = DateTimeInput()
    files = apply.FilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and all([form.is_valid(), files.is_valid()]):
        data = form.cleaned_data
        submitted = apply.submit_with_files(
            form,
            files,
            by=request.user,
            channel=data["channel"],
            arrived_at=data["arrived_at"],
            oral=data["oral"],
        )
        if submitted:
            number = submitted.application.number
            request.session[NEW_CODE] = {"number": number, "code": submitted.query_code}
            messages.success(request, gettext("已登记申请 %(number)s。") % {"number": number})
            return redirect("portal:desk_detail", number=number)
    return render(request, "portal/desk/register.html", {"form": form, "files": files})


@staff_required
@never_cache
def detail(request, number):
    app = _get(request, number)
    new = request.session.pop(NEW_CODE, None)
    code = new["code"] if new and new["number"] == app.number else None
    return render(request, "portal/desk/detail.html", _context(request, app, new_code=code))


@staff_required
@require_POST
@never_cache
def reveal(request, number):
    """Personal numbers in full, once, to the assigned 承办人: rendered, never stored."""
    app = _get(request, number)
    if not services.may_reveal(app, request.user):
        raise PermissionDenied
    revealed = services.reveal(app, by=request.user)
    return render(request, "portal/desk/detail.html", _context(request, app, revealed=revealed))


@staff_required
@require_POST
def act(request, number, action):
    app = _get(request, number)
    if action not in Action.values:
        raise Http404
    action, today = Action(action), timezone.localdate()
    form = FORMS[action](request.POST, app=app, user=request.user, today=today)
    if form.is_valid():
        try:
            services.act(app, action, by=request.user, today=today, **form.params())
        except rules.TransitionRefused as refused:
            form.add_error(None, str(refused))
        except services.ActionInvalid as invalid:
            form.show(dict(invalid.errors))
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": action.label})
            return redirect("portal:desk_detail", number=app.number)
    return render(request, "portal/desk/detail.html", _context(request, app, failed=form))


@staff_required
@require_POST
def topic(request, number):
    """Confirm or correct the topic suggested at intake (issue §12)."""
    app = _get(request, number)
    if not permissions.may_act(request.user, app):
        raise PermissionDenied
    form = TopicForm(request.POST, app=app)
    if form.is_valid():
        topics.set_topic(app, form.cleaned_data["topic"], by=request.user)
        messages.success(request, gettext("已确认事项分类。"))
        return redirect("portal:desk_detail", number=app.number)
    return render(request, "portal/desk/detail.html", _context(request, app, topic_form=form))


@staff_required
def attachment(request, number, pk):
    app = _get(request, number)
    item = get_object_or_404(app.attachments, pk=pk)
    try:
        opened = attachments.open_for(item, request.user)
    except PermissionError as refused:
        raise PermissionDenied from refused
    return FileResponse(
        opened,
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type,
    )


@staff_required
def letter(request, number, pk, fmt):
    app = _get(request, number)
    chosen = get_object_or_404(app.letters, pk=pk)
    if fmt not in apply.LETTER_FORMATS:
        raise Http404
    return apply.letter_response(chosen, fmt)


def _get(request, number: str) -> Application:
    apps = queries.visible_to(request.user).select_related(
        "org", "handler", "confirmed_by", "topic", "probable_duplicate_of"
    )
    return get_object_or_404(apps, number=number)


def _context(
    request, app: Application, *, failed=None, revealed=None, new_code=None, topic_form=None
) -> dict:
    today = timezone.localdate()
    actions = allowed_actions(app)
    forms_ = [
        failed
        if failed is not None and failed.action == action
        else FORMS[action](app=app, user=request.user, today=today)
        for action in actions
    ]
    if failed is not None and failed.action not in actions:
        forms_.insert(0, failed)  # a refused move that is not offered from this stage
    return {
        "app": app,
        "badge": deadline_badge(app, today=today, soon=soon_end(today)),
        "action_forms": forms_,
        "revealed": revealed,
        "may_reveal": services.may_reveal(app, request.user),
        "new_code": new_code,
        "topic_form": (topic_form or TopicForm(app=app))
        if permissions.may_act(request.user, app)
        else None,
        "timeline": _timeline(app),
        "corrections": app.corrections.all(),
        "consultations": app.consultations.all(),
        "extension": Extension.objects.filter(application=app).first(),
        "fee": FeeNotice.objects.filter(application=app).first(),
        "transfers": app.transfers.select_related("from_org", "to_org"),
        "letters": app.letters.all(),
        "formats": apply.LETTER_FORMATS,
        "attachments": app.attachments.all(),
        "timeliness": queries.timeliness(app),
        "withheld": [{**part, "ground": Decision(part["ground"]).label} for part in app.withheld],
    }


def _timeline(app: Application) -> list[dict]:
    """The audit entries of this application, with the action and the move in words."""
    entries = Entry.objects.filter(
        object_type="applications.application", object_id=str(app.pk)
    ).order_by("seq")
    rows = []
    for entry in entries:
        name = entry.action.removeprefix("applications.")
        before, after = (
            entry.summary.get("from"),
            entry.summary.get("to", entry.summary.get("stage")),
        )
        rows.append(
            {
                "at": entry.at,
                "actor": gettext("系统") if entry.actor == SYSTEM else entry.actor,
                "label": Action(name).label if name in Action.values else EVENTS.get(name, name),
                "before": Stage(before).label if before in Stage.values else "",
                "after": Stage(after).label if after in Stage.values and after != before else "",
            }
        )
    return rows
