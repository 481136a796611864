"""One small form per staff action: field names are the keyword arguments of ``services.act``.

The forms check only the shape of the input (a date is a date, a required text is there);
whether the move is allowed and whether the facts hold is for ``services.act`` to say, and
its messages are shown on the same form (``show``).
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.applications import rules
from gongkai.applications.enums import (
    Action,
    ConsultationKind,
    Decision,
    Delivery,
    FeeMethod,
)
from gongkai.orgs.enums import Kind, Role
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import subtree, tree_rows

# The families of table 三 (RPT-9), as headings of the decision select.
FAMILIES = {
    "三(一)": _("予以公开"),
    "三(二)": _("部分公开"),
    "三(三)": _("不予公开"),
    "三(四)": _("无法提供"),
    "三(五)": _("不予处理"),
    "三(六)": _("其他处理"),
}


class Textarea(forms.Textarea):
    """Three lines to start with: the forms sit in a narrow column beside the facts."""

    def __init__(self, attrs=None):
        super().__init__({"rows": "3", **(attrs or {})})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """Seconds included: a confirmation in the minute the application arrived must not
    read as earlier than its arrival."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


def grouped_orgs(orgs: list[Org]) -> list:
    """Choices for an org select: each org under the nearest 人民政府 above it (or itself).

    ``orgs`` in tree order (``orgs.queries.tree_rows``); one entry per group, in that order.
    """
    by_pk = {org.pk: org for org in orgs}
    groups: dict[int, tuple[str, list]] = {}
    for org in orgs:
        line = [by_pk[int(pk)] for pk in org.path.strip("/").split("/") if int(pk) in by_pk]
        government = next((o for o in reversed(line) if o.kind == Kind.GOVERNMENT), org)
        groups.setdefault(government.pk, (government.name, []))[1].append((org.pk, org.name))
    return list(groups.values())


def decision_choices() -> list:
    """Every decision staff may choose, grouped by its family in table 三.

    The outcomes in ``rules.BY_ACTION`` come from 撤回 / 视为放弃, not from this select.
    """
    groups: dict[str, list] = {}
    for decision in Decision:
        if decision not in rules.BY_ACTION:
            family = rules.TABLE3_ROW[decision][:4]
            groups.setdefault(family, []).append((decision.value, decision.label))
    return [("", _("请选择办理结果")), *[(FAMILIES[f], c) for f, c in groups.items()]]


class ActionForm(forms.Form):
    """Base: knows the application, the user and today; ``params()`` go to ``services.act``."""

    action: Action
    note = ""

    def __init__(self, *args, app, user, today, **kwargs):
        kwargs.setdefault("prefix", self.action.value)
        super().__init__(*args, **kwargs)
        self.app, self.user, self.today = app, user, today
        self.setup()
        for field in self.fields.values():
            field.error_messages["required"] = format_lazy(_("请填写{}"), field.label)
            field.error_messages["invalid"] = format_lazy(_("{}格式不正确"), field.label)
            field.error_messages["invalid_choice"] = format_lazy(_("{}的选项无效"), field.label)

    def setup(self) -> None:
        """Querysets and initial values that depend on the application."""

    def params(self) -> dict:
        return dict(self.cleaned_data)

    def show(self, errors: dict[str, str]) -> None:
        """Put the service's messages next to their fields (or above the form)."""
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class ConfirmForm(ActionForm):
    action = Action.CONFIRM
    note = _("与申请人确认收到申请后登记；答复期限自确认之日起计算（REQ-5）。")
    at = forms.DateTimeField(label=_("确认时间"), widget=DateTimeInput)
    via = forms.CharField(
        label=_("确认方式"),
        max_length=40,
        help_text=_("如：电话、短信、电子邮件、平台消息"),
    )

    def setup(self):
        self.fields["at"].initial = timezone.localtime().replace(microsecond=0)
        self.fields["via"].initial = _("电话")

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now():
            raise forms.ValidationError(_("确认时间不能晚于现在"))
        return at


class AssignForm(ActionForm):
    action = Action.ASSIGN
    note = _("指定本机关（含下级）的承办人；只有承办人可以查看申请人的完整个人信息。")
    handler = forms.ModelChoiceField(queryset=User.objects.none(), label=_("承办人"))

    def setup(self):
        self.fields["handler"].queryset = User.objects.filter(
            org__in=subtree(self.app.org), role=Role.HANDLER, is_active=True
        ).order_by("username")
        self.fields["handler"].initial = self.app.handler_id


class TransferForm(ActionForm):
    action = Action.TRANSFER
    note = _("申请应由其他机关办理的，转交该机关。")
    to_org = forms.ModelChoiceField(queryset=Org.objects.all(), label=_("转交机关"))
    reason = forms.CharField(label=_("转办理由"), required=False, widget=Textarea)

    def setup(self):
        orgs = [org for org in tree_rows() if org.pk != self.app.org_id]
        self.fields["to_org"].queryset = Org.objects.exclude(pk=self.app.org_id)
        self.fields["to_org"].choices = [("", _("请选择机关")), *grouped_orgs(orgs)]


class RequestCorrectionForm(ActionForm):
    action = Action.REQUEST_CORRECTION
    note = _("申请内容不明确的，一次性告知申请人需要补正的事项和合理的补正期限（REQ-10）。")
    items = forms.CharField(
        label=_("需要补正的事项"),
        widget=Textarea,
        help_text=_("一次性列明，每项一行"),
    )
    respond_by = forms.DateField(label=_("补正期限"), widget=DateInput)

    def setup(self):
        self.fields["respond_by"].initial = self.today + timedelta(days=15)


class ReceiveCorrectionForm(ActionForm):
    action = Action.RECEIVE_CORRECTION
    note = _("收到补正后，答复期限自收到补正之日起重新计算（REQ-10）。")
    received_on = forms.DateField(label=_("收到补正日期"), widget=DateInput)

    def setup(self):
        self.fields["received_on"].initial = self.today


class StartConsultationForm(ActionForm):
    action = Action.START_CONSULTATION
    note = _("征求第三方或其他机关意见所需时间不计入答复期限（REQ-12、REQ-14）。")
    kind = forms.ChoiceField(choices=ConsultationKind.choices, label=_("征求对象类别"))
    party = forms.CharField(label=_("征求对象"), max_length=100)
    sent_on = forms.DateField(label=_("送达日期"), widget=DateInput)

    def setup(self):
        self.fields["sent_on"].initial = self.today


class EndConsultationForm(ActionForm):
    action = Action.END_CONSULTATION
    consultation = forms.ModelChoiceField(queryset=None, label=_("征求意见"))
    answered_on = forms.DateField(label=_("收回日期"), widget=DateInput)
    opinion = forms.CharField(label=_("意见"), required=False, widget=Textarea)

    def setup(self):
        open_ = self.app.consultations.filter(answered_on__isnull=True)
        self.fields["consultation"].queryset = open_
        self.fields["answered_on"].initial = self.today


class ExtendForm(ActionForm):
    action = Action.EXTEND
    note = _(
        "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人；每件只能延期一次（REQ-9）。"
    )
    days = forms.IntegerField(label=_("延长工作日数"))
    reason = forms.CharField(label=_("延期理由"), widget=Textarea)
    approved_by = forms.CharField(label=_("批准人（工作机构负责人）"), max_length=50)
    approved_on = forms.DateField(label=_("批准日期"), widget=DateInput)
    notified_via = forms.CharField(label=_("告知申请人的方式"), max_length=40)

    def setup(self):
        # The range itself is the rule's to check (REQ-9: 15 under 2007, 20 under 2019).
        self.fields["days"].initial = rules.PARAMS[self.app.regime].extension_max
        self.fields["approved_on"].initial = self.today


class FeeNoticeForm(ActionForm):
    action = Action.FEE_NOTICE
    note = _("按件或按量计收，二者只能选其一（FEE-2）；缴费期间不计入答复期限。")
    method = forms.ChoiceField(choices=FeeMethod.choices, label=_("计收方式"))
    pages = forms.IntegerField(
        label=_("页数"), required=False, min_value=1, help_text=_("按量计收时填写")
    )
    cost = forms.DecimalField(
        label=_("成本费（元）"),
        required=False,
        min_value=0,
        decimal_places=2,
        help_text=_("2007年条例下填写"),
    )
    approved_by = forms.CharField(label=_("批准人"), max_length=50)
    delivered_on = forms.DateField(label=_("通知送达日期"), widget=DateInput)

    def setup(self):
        self.fields["delivered_on"].initial = self.today

    def clean(self):
        data = super().clean()
        needed = {FeeMethod.BY_PAGES: "pages", FeeMethod.COST: "cost"}.get(data.get("method"))
        if needed and data.get(needed) is None:
            self.add_error(needed, format_lazy(_("请填写{}"), self.fields[needed].label))
        return data

    def params(self):
        data = dict(self.cleaned_data)
        # FEE-2: only the input of the chosen method goes through.
        data["pages"] = data["pages"] if data["method"] == FeeMethod.BY_PAGES else None
        data["cost"] = data["cost"] if data["method"] == FeeMethod.COST else None
        return data


class RecordPaymentForm(ActionForm):
    action = Action.RECORD_PAYMENT
    paid_on = forms.DateField(label=_("缴费日期"), widget=DateInput)

    def setup(self):
        self.fields["paid_on"].initial = self.today


class WithheldForm(forms.Form):
    """One part withheld from a 部分公开 decision (REQ-19)."""

    what = forms.CharField(label=_("不予公开的内容"), max_length=200, required=False)
    ground = forms.ChoiceField(
        label=_("不予公开的情形"),
        required=False,
        choices=[
            ("", "—"),
            *[(d.value, d.label) for d in Decision if d in rules.WITHHOLDING],
        ],
    )
    basis = forms.CharField(label=_("法律依据"), max_length=200, required=False)


WithheldFormSet = forms.formset_factory(WithheldForm, extra=2, max_num=20)


class DecideForm(ActionForm):
    action = Action.DECIDE
    note = _(
        "不予公开的，写明法律依据和理由；部分公开的，逐项列明不予公开的内容（REQ-18、REQ-19）。"
    )
    decision = forms.ChoiceField(choices=decision_choices, label=_("办理结果"))
    basis = forms.CharField(label=_("法律依据"), required=False, help_text=_("条、款、项"))
    reason = forms.CharField(label=_("理由"), required=False, widget=Textarea)
    text = forms.CharField(label=_("答复内容"), required=False, widget=Textarea)
    checked_no_duty = forms.BooleanField(
        label=_("已核对法律、法规、规章，无应当公开之规定（适用第十六条时必选）"), required=False
    )

    def setup(self):
        data = self.data if self.is_bound else None
        self.withheld = WithheldFormSet(data, prefix=f"{self.prefix}-withheld")
        self.withheld_error = ""

    def is_valid(self):
        return all([super().is_valid(), self.withheld.is_valid()])

    def params(self):
        data = dict(self.cleaned_data)
        rows = [row for row in self.withheld.cleaned_data if any(row.values())]
        data["withheld"] = rows if data["decision"] == Decision.PARTIAL else []
        return data

    def show(self, errors):
        if "withheld" in errors:
            self.withheld_error = errors.pop("withheld")
        super().show(errors)


class DeliverForm(ActionForm):
    action = Action.DELIVER
    note = _("答复书送达之日为答复日期，用于判断是否按时答复（REQ-30）。")
    delivered_on = forms.DateField(label=_("送达日期"), widget=DateInput)
    via = forms.ChoiceField(choices=Delivery.choices, label=_("送达方式"))

    def setup(self):
        self.fields["delivered_on"].initial = self.today
        self.fields["via"].initial = self.app.delivery


class ArchiveForm(ActionForm):
    action = Action.ARCHIVE


class CloseForm(ActionForm):
    reason = forms.CharField(label=_("说明"), required=False, widget=Textarea)


class WithdrawForm(CloseForm):
    action = Action.WITHDRAW
    note = _("申请人撤回申请的，终止办理。")


class AbandonNoCorrectionForm(CloseForm):
    action = Action.ABANDON_NO_CORRECTION
    note = _("补正期限届满仍未补正的，视为放弃申请（REQ-10）。")


class AbandonNoPaymentForm(CloseForm):
    action = Action.ABANDON_NO_PAYMENT
    note = _("缴费期限届满仍未缴费的，视为放弃申请（FEE-6）。")


FORMS: dict[Action, type[ActionForm]] = {
    form.action: form
    for form in (
        ConfirmForm,
        AssignForm,
        TransferForm,
        RequestCorrectionForm,
        ReceiveCorrectionForm,
        StartConsultationForm,
        EndConsultationForm,
        ExtendForm,
        FeeNoticeForm,
        RecordPaymentForm,
        DecideForm,
        DeliverForm,
        ArchiveForm,
        WithdrawForm,
        AbandonNoCorrectionForm,
        AbandonNoPaymentForm,
    )
}
