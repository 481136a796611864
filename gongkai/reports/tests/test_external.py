"""External figures: entered with their source, audited, consolidated, imported from XLSX all or nothing."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.audit.models import Entry
from gongkai.reports import external, statistics
from gongkai.reports.external import ExternalImportError, FigureInvalid
from gongkai.reports.models import ExternalFigure
from gongkai.reports.tables import Scope


def test_set_figure_stores_the_value_with_its_source_and_logs_it(dept, dept_staff):
    figure = external.set_figure(
        dept, 2017, "mailbox.letters", "8,858", source=" 书记市长信箱系统 ", by=dept_staff
    )
    again = external.set_figure(
        dept, 2017, "mailbox.letters", 8858, source="书记市长信箱系统", by=dept_staff
    )
    external.set_figure(
        dept, 2017, "mailbox.letters", 8860, source="书记市长信箱系统", by=dept_staff
    )

    entries = list(
        Entry.objects.filter(action="reports.set_figure").values_list("summary", flat=True)
    )

    assert (figure.value, figure.unit, figure.source, again.pk) == (
        Decimal(8858),
        "件",
        "书记市长信箱系统",
        figure.pk,
    )
    assert [(e["old"], e["new"]) for e in entries] == [(None, "8858"), ("8858", "8860")]


@pytest.mark.parametrize(
    ("key", "value", "source", "errors"),
    (
        ("no.such.key", 1, "来源", {"key": "未知的指标代码“no.such.key”"}),
        ("mailbox.letters", -1, "来源", {"value": "数值不能为负数"}),
        ("mailbox.letters", "1.5", "来源", {"value": "单位为“件”的数值应为整数"}),
        ("t2.fees.amount", "1.23456", "来源", {"value": "数值最多保留4位小数"}),
        ("mailbox.letters", "很多", "来源", {"value": "“很多”不是数字"}),
        ("mailbox.letters", 1, "  ", {"source": "请写明数据来源（系统名称、统计口径或文件）"}),
    ),
)
def test_set_figure_refuses_bad_input_with_chinese_messages(dept, key, value, source, errors):
    with pytest.raises(FigureInvalid) as refused:
        external.set_figure(dept, 2017, key, value, source=source, by=None)

    assert refused.value.errors == errors
    assert not ExternalFigure.objects.exists()


def test_a_change_of_a_year_may_be_negative(dept):
    figure = external.set_figure(dept, 2020, "t2_2019.licensing.change", -3, source="清单", by=None)

    assert figure.value == -3


@pytest.mark.parametrize(
    ("raw", "value"),
    (
        ("１２３", Decimal(123)),
        ("1,050", Decimal(1050)),
        (20.37, Decimal("20.37")),
        (7, Decimal(7)),
    ),
)
def test_parse_value_reads_what_people_type(raw, value):
    assert external.parse_value(raw) == value


def test_figures_add_counts_over_the_subtree_but_never_rates(city, dept, other_dept):
    for org, letters, rate in ((city, 100, "96.4"), (dept, 20, "50"), (other_dept, 3, "10")):
        external.set_figure(org, 2017, "mailbox.letters", letters, source=f"{org.pk}信箱", by=None)
        external.set_figure(org, 2017, "power.online_rate", rate, source="行权平台", by=None)
    external.set_figure(dept, 2017, "hotline.closed_rate", 99, source="热线", by=None)
    external.set_figure(dept, 2017, "hotline.satisfaction", 90, source="热线", by=None)
    external.set_figure(other_dept, 2017, "hotline.satisfaction", 80, source="热线", by=None)

    whole = external.figures(statistics.scope_orgs(city, Scope.SUBTREE), 2017, root=city)
    alone = external.figures(statistics.scope_orgs(dept, Scope.SELF), 2017, root=dept)

    assert (whole["mailbox.letters"].value, whole["mailbox.letters"].source) == (
        123,
        "3个机关填报，来源各异",
    )
    assert whole["power.online_rate"].value == Decimal("96.4")  # the root's own rate
    assert whole["hotline.closed_rate"].value == 99  # the one rate entered below
    assert "hotline.satisfaction" not in whole  # two rates below and none at the root
    assert (alone["mailbox.letters"].value, alone["mailbox.letters"].source) == (
        20,
        f"{dept.pk}信箱",
    )


# --- XLSX ----------------------------------------------------------------------------------------------


def xlsx(*rows, headers=external.HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = external.SHEET
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_template_lists_every_known_figure_with_its_unit(dept):
    book = load_workbook(io.BytesIO(external.template_xlsx(org=dept, year=2017)))
    rows = list(book[external.SHEET].iter_rows(values_only=True))

    assert rows[0] == external.HEADERS
    assert [(r[2], r[3], r[5]) for r in rows[1:]] == [
        (key, label, unit) for key, (label, unit) in external.FIGURES.items()
    ]
    assert {(r[0], r[1], r[4]) for r in rows[1:]} == {(dept.name, 2017, None)}


def test_filled_template_imports(dept, dept_staff):
    book = load_workbook(io.BytesIO(external.template_xlsx(org=dept, year=2017)))
    sheet = book[external.SHEET]
    sheet["E2"], sheet["G2"] = 3, "市法制办规章目录"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)

    result = external.import_xlsx(out, by=dept_staff)

    assert result == external.ImportResult(created=1, updated=0, unchanged=0)
    assert ExternalFigure.objects.get().key == "t2.rules.made"


def test_import_xlsx_writes_good_rows_and_skips_blank_values(dept, other_dept, dept_staff):
    external.set_figure(dept, 2017, "english.items", 300, source="英文网站", by=dept_staff)
    file = xlsx(
        (dept.name, 2017, "english.items", None, 343, "条", "英文网站"),
        (dept.short_name, "2017", "", "书记市长信箱接收信件", "８８５８", "件", "信箱系统"),
        (other_dept.name, 2017, "hotline.calls", None, 20.37, "万件", "市长公开电话"),
        (other_dept.name, 2017, "websites.total", None, None, "家", None),
        (None, None, None, None, None, None, None),
    )

    result = external.import_xlsx(file, by=dept_staff)
    stored = {(f.org_id, f.key): f.value for f in ExternalFigure.objects.all()}

    assert result == external.ImportResult(created=2, updated=1, unchanged=0)
    assert stored == {
        (dept.pk, "english.items"): Decimal(343),
        (dept.pk, "mailbox.letters"): Decimal(8858),
        (other_dept.pk, "hotline.calls"): Decimal("20.37"),
    }
    assert Entry.objects.filter(action="reports.import_external").get().summary == {
        "created": 2,
        "updated": 1,
        "unchanged": 0,
    }


def test_import_xlsx_with_a_bad_row_writes_nothing_and_names_the_lines(dept, dept_staff):
    file = xlsx(
        (dept.name, 2017, "english.items", None, 343, "条", "英文网站"),
        ("不存在的局", 2017, "english.items", None, 1, "条", "来源"),
        (dept.name, 17, "mailbox.letters", None, "八千", "件", "来源"),
        (dept.name, 2017, "mailbox.replies", None, 1, "万件", ""),
        (dept.name, 2017, "english.items", None, 5, "条", "又一次"),
    )

    with pytest.raises(ExternalImportError) as refused:
        external.import_xlsx(file, by=dept_staff)

    assert refused.value.errors == [
        "第3行：机关“不存在的局”不存在",
        "第4行：年度“17”应为四位数字；数值“八千”不是数字",
        "第5行：单位应为“件”，表中为“万件”；未填来源说明",
        "第6行：与第2行重复（同一机关、年度、指标）",
    ]
    assert not ExternalFigure.objects.exists()
    assert not Entry.objects.filter(action__startswith="reports.").exists()


def test_import_xlsx_refuses_a_file_without_the_columns(dept):
    with pytest.raises(ExternalImportError) as refused:
        external.import_xlsx(xlsx(headers=("机关", "年度", "指标代码")), by=None)

    assert refused.value.errors == ["第1行：缺少“数值”列", "第1行：缺少“来源说明”列"]


def test_import_xlsx_refuses_what_is_not_xlsx(dept):
    with pytest.raises(ExternalImportError, match="无法读取XLSX文件"):
        external.import_xlsx(io.BytesIO(b"not a workbook"), by=None)
