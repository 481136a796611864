"""Input validation shared by the portal, the API and the CLI: every message names its field."""

from django import forms
from django.utils import timezone

from gongkai.applications.enums import ApplicantKind, Channel, Delivery, FormWanted, IdType
from gongkai.lib.identity import MOBILE, resident_id_error
from gongkai.orgs.models import Org
from gongkai.orgs.rules import credit_code_error

REQUIRED = "请填写{label}"


class ApplicationForm(forms.Form):
    """What a 政府信息公开申请表 asks (REQ-3), for any channel."""

    org = forms.ModelChoiceField(queryset=Org.objects.all(), label="受理机关")
    applicant_kind = forms.ChoiceField(choices=ApplicantKind.choices, label="申请人类别")
    applicant_name = forms.CharField(max_length=100, label="姓名或名称")
    id_type = forms.ChoiceField(
        choices=[("", "—"), *IdType.choices], required=False, label="证件类型"
    )
    id_number = forms.CharField(max_length=32, required=False, label="证件号码")
    credit_code = forms.CharField(max_length=18, required=False, label="统一社会信用代码")
    phone = forms.CharField(max_length=20, label="联系电话")
    email = forms.EmailField(required=False, label="电子邮箱")
    address = forms.CharField(max_length=200, required=False, label="通信地址")
    postcode = forms.RegexField(regex=r"^\d{6}$", required=False, label="邮编")
    agent_name = forms.CharField(max_length=50, required=False, label="代理人姓名")
    agent_id_number = forms.CharField(max_length=32, required=False, label="代理人身份证号码")
    description = forms.CharField(
        max_length=4000, label="所需信息的内容描述", widget=forms.Textarea
    )
    document_number = forms.CharField(max_length=80, required=False, label="文号")
    purpose = forms.CharField(max_length=1000, required=False, label="用途", widget=forms.Textarea)
    form_wanted = forms.ChoiceField(choices=FormWanted.choices, label="信息的指定提供形式")
    delivery = forms.ChoiceField(choices=Delivery.choices, label="获取信息的方式")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED.format(label=field.label)
            field.error_messages["invalid_choice"] = f"{field.label}的选项无效"
            field.error_messages["max_length"] = f"{field.label}过长"
            field.error_messages["invalid"] = f"{field.label}格式不正确"

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].replace(" ", "").replace("-", "")
        if not (MOBILE.match(phone) or (phone.isdigit() and 7 <= len(phone) <= 12)):
            raise forms.ValidationError("联系电话格式不正确：请填写手机号码或带区号的固定电话")
        return phone

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind == ApplicantKind.PERSON:
            self._require(data, "id_type", "id_number")
            if data.get("id_type") == IdType.RESIDENT_ID and data.get("id_number"):
                error = resident_id_error(data["id_number"])
                if error:
                    self.add_error("id_number", error)
        elif kind:
            self._require(data, "credit_code")
            code = data.get("credit_code", "").strip().upper()
            data["credit_code"] = code
            if code and (error := credit_code_error(code)):
                self.add_error("credit_code", error)
        agent_id = data.get("agent_id_number", "").strip().upper()
        data["agent_id_number"] = agent_id
        if data.get("agent_name") and not agent_id:
            self.add_error("agent_id_number", "委托代理人申请的，请填写代理人身份证号码（REQ-3）")
        if agent_id and (error := resident_id_error(agent_id)):
            self.add_error("agent_id_number", error)
        if data.get("delivery") == Delivery.POST:
            self._require(data, "address")
        if data.get("delivery") == Delivery.EMAIL:
            self._require(data, "email")
        return data

    def _require(self, data, *names):
        for name in names:
            if not data.get(name):
                self.add_error(name, REQUIRED.format(label=self.fields[name].label))


class StaffRegistrationForm(ApplicationForm):
    """Staff register what arrived in person, by post, fax or e-mail (REQ-2, REQ-4)."""

    channel = forms.ChoiceField(choices=Channel.choices, label="申请渠道")
    arrived_at = forms.DateTimeField(label="到达时间（当面为提交时间，签收信函为签收时间）")
    oral = forms.BooleanField(required=False, label="口头申请，由工作人员代为填写")

    def clean_arrived_at(self):
        arrived = self.cleaned_data["arrived_at"]
        if arrived > timezone.now():
            raise forms.ValidationError("到达时间不能晚于现在")
        return arrived

    def clean(self):
        data = super().clean()
        if data.get("oral") and data.get("channel") != Channel.IN_PERSON:
            self.add_error("oral", "口头申请按当面渠道登记（REQ-2）")
        return data


def errors_of(form: forms.Form) -> dict[str, str]:
    """Field → first Chinese message, the shape the API and the portal show."""
    return {field: str(errors[0]) for field, errors in form.errors.items()}
