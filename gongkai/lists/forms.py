from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.lists.enums import ListKind
from gongkai.orgs.models import Org

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _org_choices(orgs) -> list[tuple[str, str]]:
    """Indented by depth below the highest org offered (an ideographic space a level)."""
    top = min((org.depth for org in orgs), default=0)
    return [(str(org.pk), "\u3000" * (org.depth - top) + org.name) for org in orgs]


class UploadForm(forms.Form):
    org = forms.ChoiceField(label=_("机关"))
    kind = forms.ChoiceField(label=_("清单"), choices=ListKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    complete = forms.BooleanField(
        label=_("这是完整清单（不只是本年变更的条目）"), required=False, initial=True
    )
    file = forms.FileField(label=_("CSV 或 XLSX 文件"))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = {str(org.pk): org for org in orgs}
        self.fields["org"].choices = _org_choices(orgs)

    def clean_org(self) -> Org:
        return self.orgs[self.cleaned_data["org"]]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过10MB"))
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("只能上传 .csv 或 .xlsx 文件"))
        return file


class FilterForm(forms.Form):
    """The public and desk selectors: list, org, year, and words to look for in the entries."""

    kind = forms.ChoiceField(
        label=_("清单"), required=False, choices=[("", _("全部清单")), *ListKind.choices]
    )
    org = forms.ChoiceField(label=_("机关"), required=False)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("查找事项"), required=False, max_length=50)

    def __init__(self, *args, orgs, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", _("全部机关")), *_org_choices(orgs)]
        self.fields["year"].choices = [("", _("全部年度")), *((y, f"{y}") for y in years)]
