"""The staff desk for 行政复议, 行政诉讼 and 投诉举报 (LIT-1, LIT-2): list, register, close.

Every view loads through ``queries.appeals_visible_to``; every change goes through
``appeals.register_appeal`` / ``appeals.close_appeal``, which check the input and write the
audit entry. The admin is read-only for the same reason.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongkai.applications import appeals, permissions, queries
from gongkai.applications.enums import AppealKind, AppealOutcome
from gongkai.applications.models import Appeal
from gongkai.audit.models import Entry
from gongkai.audit.services import SYSTEM
from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.portal.action_forms import DateInput
from gongkai.portal.desk import staff_required

PAGE_SIZE = 50
EVENTS = {
    "applications.register_appeal": _("登记"),
    "applications.close_appeal": _("审结"),
}


def may_manage(user) -> bool:
    """公开办, 部门管理员 and 承办人 record cases; 审核人 only read them."""
    return user.is_superuser or user.role in permissions.ACTING_ROLES


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *AppealKind.choices]
    )
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部结果")), *AppealOutcome.choices]
    )


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=AppealKind.choices)
    org = forms.ModelChoiceField(label=_("被申请人/被告"), queryset=None)
    body = forms.CharField(
        label=_("复议机关/法院"),
        max_length=100,
        help_text=_("复议机关、人民法院或受理投诉举报的机关。"),
    )
    case_number = forms.CharField(label=_("案号"), max_length=60, required=False)
    filed_on = forms.DateField(label=_("收案日期"), widget=DateInput)
    after_reconsideration = forms.BooleanField(label=_("复议后起诉（仅行政诉讼）"), required=False)
    application = forms.CharField(
        label=_("原申请编号"),
        max_length=20,
        required=False,
        help_text=_("因某件依申请公开引起的，填写其申请编号。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["org"].queryset = visible_orgs(user)

    def clean_application(self):
        number = self.cleaned_data["application"].strip()
        if not number:
            return None
        app = queries.visible_to(self.user).select_related("org").filter(number=number).first()
        if app is None:
            raise forms.ValidationError(_("未找到该申请编号，或不在您可查看的范围内。"))
        return app

    def show(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class CloseForm(forms.Form):
    detail = forms.ChoiceField(
        label=_("审结结果"),
        help_text=_("按 LIT-2 归入年度报告表四的结果维持、结果纠正或其他结果。"),
    )
    closed_on = forms.DateField(label=_("审结日期"), widget=DateInput)

    def __init__(self, *args, appeal: Appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detail"].choices = [
            (code, f"{d.label}（{d.outcome.label}）")
            for code, d in appeals.DETAILS.items()
            if appeal.kind in d.kinds
        ]
        self.fields["closed_on"].initial = timezone.localdate()

    def show(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


@staff_required
def appeal_list(request):
    form = FilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.appeals_visible_to(request.user).select_related("org", "application")
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("outcome"):
        rows = rows.filter(outcome=filters["outcome"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/desk/appeals/list.html",
        {"form": form, "page": page, "may_manage": may_manage(request.user)},
    )


@staff_required
def appeal_new(request):
    if not may_manage(request.user):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = appeals.register_appeal(
                kind=AppealKind(data["kind"]),
                org=data["org"],
                body=data["body"],
                filed_on=data["filed_on"],
                application=data["application"],
                case_number=data["case_number"],
                after_reconsideration=data["after_reconsideration"],
                by=request.user,
            )
        except appeals.AppealInvalid as invalid:
            form.show(dict(invalid.errors))
        else:
            messages.success(request, gettext("已登记。"))
            return redirect("portal:desk_appeal", pk=appeal.pk)
    return render(request, "portal/desk/appeals/new.html", {"form": form})


@staff_required
def appeal_detail(request, pk):
    appeal = _get(request, pk)
    return render(request, "portal/desk/appeals/detail.html", _context(request, appeal))


@staff_required
@require_POST
def appeal_close(request, pk):
    appeal = _get(request, pk)
    if not may_manage(request.user):
        raise PermissionDenied
    form = CloseForm(request.POST, appeal=appeal)
    if form.is_valid():
        detail = form.cleaned_data["detail"]
        try:
            appeals.close_appeal(
                appeal,
                outcome=appeals.classify_detail(detail),
                closed_on=form.cleaned_data["closed_on"],
                detail=detail,
                by=request.user,
            )
        except appeals.AppealInvalid as invalid:
            form.show(dict(invalid.errors))
        else:
            messages.success(request, gettext("已登记审结结果。"))
            return redirect("portal:desk_appeal", pk=appeal.pk)
    return render(
        request, "portal/desk/appeals/detail.html", _context(request, appeal, close_form=form)
    )


def _get(request, pk: int) -> Appeal:
    rows = queries.appeals_visible_to(request.user).select_related("org", "application")
    return get_object_or_404(rows, pk=pk)


def _context(request, appeal: Appeal, *, close_form=None) -> dict:
    open_ = appeal.outcome == AppealOutcome.PENDING
    if close_form is None and open_ and may_manage(request.user):
        close_form = CloseForm(appeal=appeal)
    entries = Entry.objects.filter(object_type="applications.appeal", object_id=str(appeal.pk))
    return {
        "appeal": appeal,
        "close_form": close_form if open_ else None,
        "timeline": [
            {
                "at": entry.at,
                "actor": gettext("系统") if entry.actor == SYSTEM else entry.actor,
                "label": EVENTS.get(entry.action, entry.action),
            }
            for entry in entries.order_by("seq")
        ],
    }
