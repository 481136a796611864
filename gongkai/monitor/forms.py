"""Input validation for the public 网民纠错 form and the staff pages (MON-18)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.monitor.enums import ColumnKind, SiteStatus
from gongkai.monitor.models import Site

CATEGORIES = (
    ("typo", _("错别字、表述错误")),
    ("broken", _("链接打不开、页面错误")),
    ("stale", _("信息不更新、空白栏目")),
    ("wrong", _("信息不准确、不一致")),
    ("service", _("办事服务不可用")),
    ("other", _("其他问题")),
)


class TicketForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("出错网站"),
        queryset=Site.objects.exclude(status__in=[SiteStatus.CLOSED, SiteStatus.MERGED]),
        empty_label=_("请选择网站"),
    )
    page_url = forms.URLField(
        label=_("出错网址"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("请复制出错页面的网址，以 http 开头"),
    )
    category = forms.ChoiceField(label=_("问题类型"), choices=CATEGORIES)
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=100,
        required=False,
        help_text=_("手机号码或电子邮箱，选填；仅用于核实和答复，加密保存"),
    )


class StatusForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=16)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("说明"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FalsePositiveForm(forms.Form):
    reason = forms.CharField(label=_("误报理由"), max_length=1000, widget=forms.Textarea)


class SpotCheckForm(forms.Form):
    quarter = forms.RegexField(label=_("季度"), regex=r"^\d{4}Q[1-4]$", help_text="2017Q4")
    share = forms.DecimalField(
        label=_("抽查比例"), min_value=0.3, max_value=1, decimal_places=2, initial=0.3
    )
    public_random = forms.CharField(
        label=_("公开随机数或现场摇号值"), max_length=64, required=False
    )


class ColumnForm(forms.Form):
    """MON-3: staff confirm a proposed column."""

    kind = forms.ChoiceField(label=_("栏目类别"), choices=ColumnKind.choices)
    level = forms.IntegerField(label=_("层级"), min_value=1, max_value=5, initial=1)
    homepage = forms.BooleanField(label=_("首页栏目"), required=False)
    historical = forms.BooleanField(label=_("历史专题"), required=False)
    period_days = forms.IntegerField(
        label=_("应更新周期（天）"), min_value=1, max_value=3660, required=False
    )


class SiteStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=SiteStatus.choices)
    on = forms.DateField(label=_("状态日期"))


class RepostForm(forms.Form):
    """MON-19: an important higher-level item and when a portal reposted it."""

    site = forms.ModelChoiceField(label=_("网站"), queryset=Site.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    source_url = forms.URLField(label=_("原文网址"), max_length=1000, assume_scheme="https")
    published_at = forms.DateTimeField(label=_("原发布时间"))
    reposted_at = forms.DateTimeField(label=_("转载时间"), required=False)
    url = forms.URLField(
        label=_("转载网址"), max_length=1000, required=False, assume_scheme="https"
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["site"].queryset = sites
