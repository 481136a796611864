"""Forms of the staff report pages: narrative, one cell, external figures and their XLSX.

They check the shape of the input only; whether a change is allowed (a published report,
a figure's unit, a duplicate row in a file) is for ``reports.services`` and
``reports.external`` to say, and their Chinese messages are shown on the same form.
"""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import User
from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.reports import builder
from gongkai.reports import tables as t
from gongkai.reports.external import FIGURES
from gongkai.reports.render.grid import t2_layout
from gongkai.reports.tables import AnnualReport, Style

TABLE_NAMES = {"t2": _("表二"), "t3": _("表三"), "t4": _("表四"), "figures": _("数据项")}


def paragraphs(text: str) -> list[str]:
    """Paragraphs as typed in a textarea: separated by a blank line, inner line breaks joined."""
    blocks = re.split(r"\n[ \t\u3000]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [
        " ".join(line.strip() for line in block.split("\n") if line.strip()) for block in blocks
    ]


class NarrativeForm(forms.Form):
    section = forms.CharField(widget=forms.HiddenInput, max_length=60)
    text = forms.CharField(
        label=_("工作人员撰写的段落"),
        required=False,
        max_length=20000,
        widget=forms.Textarea({"rows": "5"}),
        help_text=_("段落之间空一行；清空即删除本节撰写的内容。"),
    )

    def paragraphs(self) -> list[str]:
        return paragraphs(self.cleaned_data["text"])


def _labels(style: Style) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """For each table, its row labels and column labels in the national wording."""
    t2_rows: dict[str, str] = {}
    t2_columns: dict[str, str] = {}
    for _section, key, label, columns in t2_layout(style):
        t2_rows.setdefault(key, label)
        t2_columns.update((k, v) for k, v in columns if k not in t2_columns)
    return {
        "t2": (t2_rows, t2_columns),
        "t3": ({k: label for k, label, _, _ in t.t3_rows(style)}, dict(t.T3_COLUMNS)),
        "t4": (dict(t.T4_GROUPS), dict(t.T4_COLUMNS)),
    }


def editable_cells(data: AnnualReport) -> dict[str, dict[str, list[str]]]:
    """table → row → columns that exist in the report and may be edited."""
    cells: dict[str, dict[str, list[str]]] = {}
    for table in ("t2", "t3", "t4"):
        rows = getattr(data.tables, table)
        if rows:
            cells[table] = {row: list(columns) for row, columns in rows.items() if columns}
    entered = [f.key for f in data.figures if f.source != builder.COMPUTED]
    if entered:
        cells["figures"] = {key: ["value"] for key in entered}
    return cells


class CellForm(forms.Form):
    """One cell of a draft: the pickers offer only rows and columns the report has."""

    table = forms.ChoiceField(label=_("表"))
    row = forms.ChoiceField(label=_("行"))
    column = forms.ChoiceField(label=_("列"))
    value = forms.CharField(label=_("新数值"), max_length=30)
    reason = forms.CharField(
        label=_("修改理由"), max_length=500, widget=forms.Textarea({"rows": "2"})
    )

    def __init__(self, *args, data_of_report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = editable_cells(data_of_report)
        labels = _labels(data_of_report.style)
        figure_labels = {f.key: f"{f.label}（{f.unit}）" for f in data_of_report.figures}
        self.fields["table"].choices = [(key, TABLE_NAMES[key]) for key in self.cells]
        rows, columns = [], {}
        for table, table_rows in self.cells.items():
            row_labels, column_labels = labels.get(table, (figure_labels, {"value": _("数值")}))
            rows.append(
                (
                    TABLE_NAMES[table],
                    [(f"{table}:{row}", row_labels.get(row, row)) for row in table_rows],
                )
            )
            for row_columns in table_rows.values():
                for column in row_columns:
                    columns.setdefault(column, column_labels.get(column, column))
        self.fields["row"].choices = rows
        self.fields["column"].choices = list(columns.items())

    def clean(self):
        data = super().clean()
        table, row, column = data.get("table"), data.get("row"), data.get("column")
        if table and row and column:
            row_table, _sep, row_key = row.partition(":")
            if row_table != table:
                self.add_error("row", _("所选行不属于所选的表"))
            elif column not in self.cells[table].get(row_key, []):
                self.add_error("column", _("所选行没有这一列"))
            else:
                data["row"] = row_key
        return data


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year - 1,
    )


class FigurePickForm(forms.Form):
    """Which org and year the figures page shows (GET)."""

    org = forms.ModelChoiceField(label=_("机关"), queryset=None, empty_label=None)
    year = _year_field()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible_orgs(user).order_by("path")
        self.fields["org"].label_from_instance = lambda org: "　" * org.depth + org.name


class FigureForm(FigurePickForm):
    key = forms.ChoiceField(
        label=_("指标"),
        choices=[(key, f"{label}（{unit}）") for key, (label, unit) in FIGURES.items()],
    )
    value = forms.CharField(label=_("数值"), max_length=30)
    source = forms.CharField(
        label=_("来源说明"),
        max_length=300,
        help_text=_("写明数据所在系统、统计口径或文件，例如“市行权平台2017年度统计”。"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX文件"))
