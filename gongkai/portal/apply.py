"""The citizen's side of disclosure on request: apply online, keep the code, follow the status.

An application's facts are shown only to whoever entered its number and query code in this
session, or to the account that filed it; personal numbers are never shown in full here
(DESIGN.md principle 4).
"""

import time
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from gongkai.applications import attachments, letters, queries, rules, services
from gongkai.applications.enums import ApplicantKind, Channel, IdType, Stage
from gongkai.applications.forms import ApplicationForm
from gongkai.applications.models import Application
from gongkai.orgs.queries import tree_rows
from gongkai.portal.action_forms import grouped_orgs

RECEIPT = "gk_receipt"  # session: the number and code to show once, on the receipt
VERIFIED = "gk_verified"  # session: number → when its code was entered (epoch seconds)
VERIFIED_SECONDS = 60 * 60
WRONG_CODE_LIMIT = 10
WRONG_CODE_SECONDS = 15 * 60
MAX_FILES = 10
LETTER_FORMATS = ("docx", "pdf")
WRONG_CODE = _("申请编号或查询码不正确，请核对后重新输入。")

HELP = {
    "org": _("请选择掌握所需信息的行政机关。不确定的，可选择本级人民政府。"),
    "applicant_name": _("自然人填写姓名；法人或其他组织填写单位全称。"),
    "id_number": _("仅用于核实申请人身份，加密保存，页面上只显示部分号码。"),
    "credit_code": _("18位，见营业执照或登记证书。"),
    "phone": _("手机号码或带区号的固定电话，用于确认收到申请和联系补正。"),
    "email": _("选择以电子邮件获取信息的，必须填写。"),
    "address": _("选择邮寄的，必须填写。"),
    "description": _(
        "请尽量写明信息的名称、文号、形成时间、涉及的地点或项目，便于准确查找。"
        "一件申请宜只涉及一项或一类信息。"
    ),
    "document_number": _("知道文号的请填写，如“绵府发〔2020〕1号”。"),
}
ATTRS = {
    "applicant_name": {"autocomplete": "name"},
    "id_number": {"autocomplete": "off", "spellcheck": "false"},
    "credit_code": {"autocomplete": "off", "spellcheck": "false"},
    "phone": {"autocomplete": "tel", "inputmode": "tel"},
    "email": {"autocomplete": "email", "inputmode": "email"},
    "address": {"autocomplete": "street-address"},
    "postcode": {"autocomplete": "postal-code", "inputmode": "numeric"},
    "description": {"rows": "5"},
    "org": {"data-filter": ""},
}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        clean_one = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [clean_one(upload, initial) for upload in uploads if upload]


class FilesForm(forms.Form):
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可选。身份证明、委托书或有助于查找信息的材料，最多10个文件。"),
    )

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(_("附件最多10个"))
        return uploads


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("申请编号"), max_length=20, error_messages={"required": _("请填写申请编号")}
    )
    code = forms.CharField(
        label=_("查询码"), max_length=16, error_messages={"required": _("请填写查询码")}
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


def application_form(data=None, *, form_class=ApplicationForm, orgs=None, **kwargs):
    """``ApplicationForm`` dressed for people: grouped orgs, radio buttons, help, autofill.

    ``orgs`` limits the choice of 受理机关 (a queryset; default: every org).
    """
    form = form_class(data, **kwargs)
    if orgs is not None:
        form.fields["org"].queryset = orgs
    rows = tree_rows() if orgs is None else list(orgs)
    form.fields["org"].choices = [("", _("请选择受理机关")), *grouped_orgs(rows)]
    for name in ("applicant_kind", "form_wanted", "delivery"):
        field = form.fields[name]
        field.widget = forms.RadioSelect(choices=field.choices)
    for name, text in HELP.items():
        form.fields[name].help_text = text
    for name, attrs in ATTRS.items():
        form.fields[name].widget.attrs.update(attrs)
    return form


def submit_with_files(form, files: FilesForm, *, by=None, **submit_args):
    """Submit and store every file in one transaction: a refused file leaves no application.

    Returns ``services.Submitted``, or None with the refusal shown on ``files``.
    """
    data, stored = form.cleaned_data, []
    try:
        with transaction.atomic():
            submitted = services.submit(data, org=data["org"], by=by, **submit_args)
            for upload in files.cleaned_data["attachments"]:
                stored.append(attachments.store(submitted.application, upload, by=by))
    except BaseException as error:
        # The rows are rolled back; the files already written must go too.
        for attachment in stored:
            attachments.path_of(attachment).unlink(missing_ok=True)
        if not isinstance(error, attachments.AttachmentRefused):
            raise
        files.add_error("attachments", str(error))
        return None
    return submitted


def letter_response(letter, fmt: str) -> HttpResponse:
    content, content_type, filename = letters.render(letter, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@never_cache
def apply(request):
    initial = {"applicant_kind": ApplicantKind.PERSON, "id_type": IdType.RESIDENT_ID}
    form = application_form(request.POST or None, initial=initial)
    files = FilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and all([form.is_valid(), files.is_valid()]):
        submitted = submit_with_files(
            form,
            files,
            channel=Channel.ONLINE,
            arrived_at=timezone.now(),
            account=request.user if request.user.is_authenticated else None,
        )
        if submitted:
            number = submitted.application.number
            request.session[RECEIPT] = {"number": number, "code": submitted.query_code}
            _verify(request, number)
            return redirect("portal:apply_receipt")
    return render(request, "portal/apply/form.html", {"form": form, "files": files})


@never_cache
def receipt(request):
    shown = request.session.pop(RECEIPT, None)
    if shown is None:  # the code is shown once; a reload leads to the status page
        return redirect("portal:apply_status")
    app = get_object_or_404(Application.objects.select_related("org"), number=shown["number"])
    return render(
        request,
        "portal/apply/receipt.html",
        {"app": app, "code": shown["code"], "period": rules.PARAMS[app.regime]},
    )


@never_cache
def status(request):
    form = StatusForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    if request.method == "POST" and form.is_valid():
        if _too_many_wrong_codes(request):
            form.add_error(None, _("查询码错误次数过多，请15分钟后再试。"))
        elif app := _matching(form.cleaned_data["number"], form.cleaned_data["code"]):
            _verify(request, app.number)
            return redirect("portal:apply_status_detail", number=app.number)
        else:
            _count_wrong_code(request)
            form.add_error(None, WRONG_CODE)
    return render(request, "portal/apply/status_form.html", {"form": form})


@never_cache
def status_detail(request, number):
    app = _for_holder(request, number)
    if app is None:
        return _ask_for_code(number)
    return render(
        request,
        "portal/apply/status.html",
        {
            "app": app,
            "steps": _steps(app),
            "correction": app.corrections.filter(received_on__isnull=True).last(),
            "fee": app.fee if app.stage == Stage.AWAITING_FEE else None,
            "letters": app.letters.filter(public_to_applicant=True),
            "formats": LETTER_FORMATS,
            "final": app.stage in rules.FINAL,
        },
    )


@never_cache
def letter(request, number, pk, fmt):
    app = _for_holder(request, number)
    if app is None:
        return _ask_for_code(number)
    chosen = get_object_or_404(app.letters, pk=pk, public_to_applicant=True)
    if fmt not in LETTER_FORMATS:
        return redirect("portal:apply_status_detail", number=number)
    return letter_response(chosen, fmt)


@login_required
def mine(request):
    apps = queries.of_account(request.user).select_related("org")
    return render(request, "portal/apply/mine.html", {"apps": apps})


def _matching(number: str, code: str) -> Application | None:
    app = Application.objects.filter(number=number).first()
    return app if app is not None and services.code_matches(app, code) else None


def _verify(request, number: str) -> None:
    request.session[VERIFIED] = {**request.session.get(VERIFIED, {}), number: int(time.time())}


def _for_holder(request, number: str) -> Application | None:
    """The application, if this session entered its code lately or its account is signed in."""
    app = Application.objects.select_related("org").filter(number=number).first()
    if app is None:
        return None
    entered = request.session.get(VERIFIED, {}).get(number, 0)
    if time.time() - entered < VERIFIED_SECONDS:
        return app
    if request.user.is_authenticated and app.account_id == request.user.pk:
        return app
    return None


def _ask_for_code(number: str):
    return redirect(f"{reverse('portal:apply_status')}?{urlencode({'number': number})}")


def _wrong_code_key(request) -> str:
    return f"gongkai:wrong-code:{request.META.get('REMOTE_ADDR', '')}"


def _too_many_wrong_codes(request) -> bool:
    return cache.get(_wrong_code_key(request), 0) >= WRONG_CODE_LIMIT


def _count_wrong_code(request) -> None:
    # get + set rather than incr: incr keeps no timeout on every cache backend.
    key = _wrong_code_key(request)
    cache.set(key, cache.get(key, 0) + 1, WRONG_CODE_SECONDS)


def _steps(app: Application) -> list[tuple[str, str]]:
    """The progress bar: (label, done | current | todo) for 提交 → 确认收到 → 办理 → 答复."""
    labels = [_("提交申请"), _("确认收到"), _("办理中"), _("已答复")]
    if app.stage == Stage.PENDING_CONFIRMATION:
        reached = 1
    elif app.stage in {Stage.REPLIED, Stage.ARCHIVED}:
        reached = 4
    elif app.stage == Stage.CLOSED:
        labels[3] = Stage.CLOSED.label
        reached = 4
    else:
        reached = 2
    return [
        (label, "done" if i < reached else "current" if i == reached else "todo")
        for i, label in enumerate(labels)
    ]
