"""Input validation for the inspections pages (desk and public)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.inspections.enums import Outcome, Weighting
from gongkai.inspections.models import InspectionItem
from gongkai.inspections.services import SCOPE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PublicRandomField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("公开随机数"),
            max_length=200,
            help_text=_("抽取前录入：如当期福利彩票开奖号码或现场摇号值，录入后不可更改"),
            **kwargs,
        )


class DrawForm(forms.Form):
    """RND-4…7: the public random value comes first; nothing is drawn without it."""

    public_random = PublicRandomField()
    item = forms.ModelChoiceField(label=_("抽查事项"), queryset=InspectionItem.objects.none())
    sample_size = forms.IntegerField(label=_("抽取数量"), min_value=1)
    inspectors_per_entity = forms.IntegerField(
        label=_("每户检查人员数"), min_value=2, max_value=10, initial=2
    )
    weighting = forms.ChoiceField(label=_("抽取方式"), choices=Weighting.choices)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class BatchDrawForm(forms.Form):
    public_random = PublicRandomField()


class PlanForm(forms.Form):
    org = forms.ModelChoiceField(label=_("制定机关"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=200)
    filed_on = forms.DateField(label=_("报上级备案日期"), required=False, widget=DATE)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class BatchForm(forms.Form):
    item = forms.ModelChoiceField(label=_("抽查事项"), queryset=None)
    name = forms.CharField(label=_("批次名称"), max_length=200)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    sample_size = forms.IntegerField(label=_("抽取数量"), min_value=1, required=False)
    ratio = forms.DecimalField(
        label=_("或抽取比例（%）"), max_digits=5, decimal_places=2, required=False
    )
    weighting = forms.ChoiceField(label=_("抽取方式"), choices=Weighting.choices)
    inspectors_per_entity = forms.IntegerField(
        label=_("每户检查人员数"), min_value=2, max_value=10, initial=2
    )
    industry = forms.CharField(label=_("定向：行业"), required=False, max_length=100)
    area = forms.CharField(label=_("定向：区域"), required=False, max_length=100)
    size = forms.CharField(label=_("定向：规模"), required=False, max_length=50)
    joint_orgs = forms.ModelMultipleChoiceField(
        label=_("联合抽查部门"), queryset=None, required=False
    )

    def __init__(self, *args, items, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["joint_orgs"].queryset = orgs

    def scope(self) -> dict:
        return {
            name: [v for v in self.cleaned_data[name].replace("，", ",").split(",") if v.strip()]
            for name in SCOPE_FIELDS
            if name in self.cleaned_data and self.cleaned_data[name].strip()
        }


class RecusalForm(forms.Form):
    certificate = forms.ChoiceField(label=_("回避人员"))
    reason = forms.CharField(label=_("回避理由"), max_length=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].choices = [(p.certificate, str(p)) for p in people]


class ResultForm(forms.Form):
    outcome = forms.ChoiceField(label=_("检查结果"), choices=Outcome.choices)
    finished_on = forms.DateField(label=_("检查结束日"), widget=DATE)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_finished_on(self):
        value = self.cleaned_data["finished_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("检查结束日不能晚于今天"))
        return value


class RegistryImportForm(forms.Form):
    KINDS = (
        ("items", _("随机抽查事项清单")),
        ("entities", _("检查对象名录")),
        ("inspectors", _("执法检查人员名录")),
    )
    kind = forms.ChoiceField(label=_("名录"), choices=KINDS)
    file = forms.FileField(label=_("文件（CSV 或 XLSX）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("只接受 .csv 或 .xlsx 文件"))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过20MB"))
        return upload
