"""PUB-9 import (all or nothing, line-numbered Chinese errors), publishing and y-o-y figures."""

import pytest

from gongkai.audit.models import Entry
from gongkai.lists import queries, services
from gongkai.lists.enums import ListKind, Status
from gongkai.lists.models import ListEntry, ListVersion
from gongkai.lists.tests.conftest import csv_bytes, make_version, xlsx_bytes

FEE_CSV = csv_bytes(
    "序号,项目名称,依据,收费标准,变更类型,备注",
    "1,不动产登记费,《不动产登记暂行条例》,住宅类每件80元,保留,",
    "2,土地复垦费,《土地复垦条例》,按标准,,",
    "3,房屋登记费,国家发展改革委文件,每件80元,取消,并入不动产登记费",
)


def test_import_csv_creates_a_draft_version(city):
    result = services.import_file(
        "fees.csv", FEE_CSV, org=city, kind=ListKind.FEE_ADMIN, year=2017, by=None
    )

    version = result.version
    assert (version.status, version.complete, result.entries, result.replaced) == (
        Status.DRAFT,
        True,
        3,
        0,
    )
    assert list(version.entries.values_list("seq", "name", "standard", "change", "note")) == [
        (1, "不动产登记费", "住宅类每件80元", "retained", ""),
        (2, "土地复垦费", "按标准", "retained", ""),
        (3, "房屋登记费", "每件80元", "cancelled", "并入不动产登记费"),
    ]
    entry = Entry.objects.get(action="lists.import")
    assert entry.summary == {
        "org": "绵阳市人民政府",
        "kind": "fee_admin",
        "year": 2017,
        "entries": 3,
        "replaced": 0,
    }


def test_import_reads_gb18030_csv_and_xlsx(city, dept):
    gbk = csv_bytes("事项名称,变更类型", "无犯罪记录证明,保留", encoding="gb18030")
    services.import_file("证明.csv", gbk, org=city, kind=ListKind.CERTIFICATE, year=2017, by=None)
    data = xlsx_bytes(
        ("事项名称", "事项类别", "实施主体", "变更类型"),
        ("临时用地审批", "行政许可", "市国土资源局", "下放"),
        (None, None, None, None),
        ("对非法占用土地的处罚", "行政处罚", "市国土资源局", "新增"),
    )
    services.import_file("权责.xlsx", data, org=dept, kind=ListKind.POWER, year=2017, by=None)

    assert list(ListEntry.objects.values_list("name", "category", "change").order_by("pk")) == [
        ("无犯罪记录证明", "", "retained"),
        ("临时用地审批", "行政许可", "delegated"),
        ("对非法占用土地的处罚", "行政处罚", "added"),
    ]


def test_import_names_every_bad_line_and_writes_nothing(city):
    data = xlsx_bytes(
        ("事项名称", "事项类别", "变更类型"),
        ("临时用地审批", "行政许可", "保留"),
        ("", "行政许可", "保留"),
        ("对非法占用土地的处罚", "处罚", "删除"),
        ("临时用地审批", "行政许可", "取消"),
    )
    audited = Entry.objects.count()

    with pytest.raises(services.ImportFailed) as failure:
        services.import_file("a.xlsx", data, org=city, kind=ListKind.POWER, year=2017, by=None)

    assert failure.value.errors == [
        "第3行：未填事项名称",
        "第4行：变更类型“删除”应为保留、新增、取消、合并或下放；权责清单的事项类别“处罚”，"
        "应为行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、"
        "行政裁决、其他行政权力、公共服务之一",
        "第5行：与第2行重复（同一事项名称、类别和实施主体）",
    ]
    assert (ListVersion.objects.count(), ListEntry.objects.count()) == (0, 0)
    assert Entry.objects.count() == audited


@pytest.mark.parametrize(
    ("filename", "data", "errors"),
    (
        ("a.csv", b"", ["第1行：文件为空，缺少表头"]),
        ("a.csv", csv_bytes("名字,备注", "甲,"), ["第1行：缺少“事项名称”列"]),
        ("a.csv", csv_bytes("事项名称,变更类型"), ["第2行：文件中没有条目"]),
        ("a.xlsx", b"not a zip", ["第1行：无法读取XLSX文件，文件已损坏或不是 .xlsx 格式"]),
        ("a.xls", b"\xd0\xcf", ["第1行：只能导入 .csv 或 .xlsx 文件，收到“a.xls”"]),
    ),
)
def test_import_refuses_files_without_entries(city, filename, data, errors):
    with pytest.raises(services.ImportFailed) as failure:
        services.import_file(filename, data, org=city, kind=ListKind.FEE_ADMIN, year=2017, by=None)

    assert failure.value.errors == errors


def test_import_power_list_needs_the_category_column(city):
    with pytest.raises(services.ImportFailed) as failure:
        services.import_file(
            "a.csv",
            csv_bytes("事项名称", "临时用地审批"),
            org=city,
            kind=ListKind.POWER,
            year=2017,
            by=None,
        )

    assert failure.value.errors == ["第1行：缺少“事项类别”列"]


def test_import_replaces_a_draft_but_never_a_published_version(city):
    services.import_file("a.csv", FEE_CSV, org=city, kind=ListKind.FEE_ADMIN, year=2017, by=None)
    again = services.import_file(
        "a.csv",
        csv_bytes("事项名称", "不动产登记费"),
        org=city,
        kind=ListKind.FEE_ADMIN,
        year=2017,
        by=None,
    )
    assert (again.entries, again.replaced) == (1, 3)
    services.publish(again.version, by=None)

    with pytest.raises(services.AlreadyPublished, match="已发布，不能覆盖"):
        services.import_file(
            "a.csv", FEE_CSV, org=city, kind=ListKind.FEE_ADMIN, year=2017, by=None
        )

    assert list(again.version.entries.values_list("name", flat=True)) == ["不动产登记费"]


def test_publish_is_audited_and_happens_once(city, city_office):
    version = make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 2, publish=False)

    services.publish(version, by=city_office)

    version.refresh_from_db()
    assert (version.status, version.published_by) == (Status.PUBLISHED, city_office)
    entry = Entry.objects.get(action="lists.publish")
    assert (entry.actor, entry.object_id) == ("city_office", str(version.pk))
    assert entry.summary == {
        "org": "绵阳市人民政府",
        "kind": "fee_admin",
        "year": 2017,
        "entries": 2,
    }
    with pytest.raises(services.AlreadyPublished):
        services.publish(version, by=city_office)


def test_year_over_year_is_computed_from_the_published_versions(city):
    make_version(city, ListKind.FEE_ADMIN, 2016, ["retained"] * 57)
    version = make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 32 + ["cancelled"] * 25)

    assert queries.year_over_year(version).sentence == "保留32项，比2016年减少25项；其中取消25项"


def test_year_over_year_ignores_drafts_and_other_orgs(city, dept):
    make_version(city, ListKind.FEE_ADMIN, 2016, ["retained"] * 9, publish=False)
    make_version(dept, ListKind.FEE_ADMIN, 2016, ["retained"] * 9)
    version = make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 7)

    assert queries.year_over_year(version).sentence == "保留7项"


def test_search_entries_needs_every_word(city):
    version = services.import_file(
        "a.csv", FEE_CSV, org=city, kind=ListKind.FEE_ADMIN, year=2017, by=None
    ).version

    assert [e.name for e in queries.search_entries(version, "登记")] == [
        "不动产登记费",
        "房屋登记费",
    ]
    assert [e.name for e in queries.search_entries(version, "登记 条例")] == ["不动产登记费"]
    assert [e.name for e in queries.search_entries(version, "并入")] == ["房屋登记费"]
