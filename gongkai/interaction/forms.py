"""Forms of the mailbox pages; the rules live in ``services``/``abuse``, not here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.interaction import abuse
from gongkai.interaction.enums import Category, Channel, Opinion, ProposalKind, Satisfaction


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        clean_one = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [clean_one(upload, initial) for upload in uploads if upload]


class LetterForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    subject = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(
        label=_("留言内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=abuse.MAX_CONTENT,
        required=False,
    )
    writer_name = forms.CharField(
        label=_("姓名"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=80,
        required=False,
        help_text=_("手机号码、带区号的固定电话或电子邮箱。加密保存，不会公开。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    may_publish = forms.BooleanField(
        label=_("同意将来信和答复（隐去个人信息后）在网站公开"), required=False
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(abuse.FILE_TYPES)}),
        help_text=_("最多3个，每个不超过5MB：PDF、JPG、PNG、DOCX、TXT。"),
    )


class WebLetterForm(LetterForm):
    answer = forms.CharField(label=_("验证问题"), max_length=4, required=True)
    token = forms.CharField(widget=forms.HiddenInput)


class StaffLetterForm(LetterForm):
    channel = forms.ChoiceField(
        label=_("来信渠道"),
        choices=[(Channel.POST, Channel.POST.label), (Channel.PHONE, Channel.PHONE.label)],
    )
    received_at = forms.DateTimeField(
        label=_("收信时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        required=False,
        help_text=_("留空为现在"),
    )


class LookupForm(forms.Form):
    number = forms.CharField(label=_("信件编号"), max_length=30)
    code = forms.CharField(label=_("查询码"), max_length=20)


class RateForm(LookupForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ProposalKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("编号"), max_length=30)
    title = forms.CharField(label=_("标题"), max_length=200)
    proposers = forms.CharField(label=_("代表/委员"), max_length=300)
    lead_org = forms.ModelChoiceField(label=_("主办单位"), queryset=None)
    co_orgs = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=None, required=False)
    assigned_on = forms.DateField(
        label=_("交办日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_org"].queryset = orgs
        self.fields["co_orgs"].queryset = orgs


class ProposalReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 5}))
    replied_on = forms.DateField(
        label=_("答复日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("代表/委员意见"), choices=Opinion.choices)
