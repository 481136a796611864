"""Demo public lists (PUB-9): two consecutive years so the year-over-year sentence shows.

The default profile builds, for ``year − 1`` and ``year``, the city's 行政事业性收费目录清单
and 证明事项清单 and the 国土资源局's 权责清单 and 随机抽查事项清单, with every change type.
``profile="mianyang-2017"`` builds only the list figures of the seed report (绵阳市2017年年报),
so its annual report carries no invented count:
行政事业性收费 保留32项、比2016年减少25项; 涉企行政事业性收费 18项、比2016年减少21项;
政府性基金收费 18项、比2016年减少2项; 权责清单 市本级取消行政许可13项、合并10项、下放5项;
证明事项 取消289项、保留13项; 随机抽查事项清单 222项. The seed gives counts, not the items,
so those entries are named 第N项 and the versions say so. The 涉企经营服务性收费目录清单 has
no count in the seed: it is created as an empty draft with a note, and not published.
"""

from gongkai.lists import services
from gongkai.lists.enums import Change, ListKind
from gongkai.lists.models import ListVersion
from gongkai.orgs.models import Org
from gongkai.orgs.queries import subtree

R, A, C, M, D = (
    Change.RETAINED,
    Change.ADDED,
    Change.CANCELLED,
    Change.MERGED,
    Change.DELEGATED,
)
SEED_NOTE = (
    "项目数取自《绵阳市2017年政府信息公开工作年度报告》；种子未列出具体项目，条目名称为编号。"
)

# name, basis, standard, change in year Y−1, change in year Y (None: absent that year)
FEES = (
    ("不动产登记费", "《不动产登记暂行条例》", "住宅类每件80元", R, R),
    ("土地复垦费", "《土地复垦条例》", "按复垦费用标准", R, R),
    ("土地闲置费", "《闲置土地处置办法》", "不超过土地出让价款的20%", R, R),
    ("耕地开垦费", "《中华人民共和国土地管理法》", "按省定标准", R, R),
    ("考试考务费", "川发改价格〔2016〕号文", "按科目收取", R, R),
    ("证书工本费", "《居民身份证法》", "每证20元", R, R),
    ("房屋登记费", "国家发展改革委文件", "住房每件80元", R, C),
    ("房屋转让手续费", "川价发文件", "每平方米3元", R, C),
    ("城市道路占用费", "《城市道路管理条例》", "按占用面积和时间", R, C),
    ("特种设备检验费", "《特种设备安全法》", "按设备类别", None, A),
)
POWERS = (
    ("建设用地规划许可", "行政许可", R, R),
    ("采矿权新立登记", "行政许可", R, R),
    ("探矿权延续登记", "行政许可", R, D),
    ("临时用地审批", "行政许可", R, M),
    ("土地开发整理项目验收", "行政许可", R, C),
    ("对非法占用土地的处罚", "行政处罚", R, R),
    ("对未经批准擅自转让土地使用权的处罚", "行政处罚", R, R),
    ("对破坏耕地的处罚", "行政处罚", R, R),
    ("对违法勘查矿产资源的处罚", "行政处罚", None, A),
    ("查封、扣押违法开采的矿产品", "行政强制", R, R),
    ("责令停止违法占地行为", "行政强制", R, R),
    ("土地权属争议裁决", "行政裁决", R, R),
)
INSPECTIONS = (
    ("土地利用情况的检查", R, R),
    ("矿产资源开发利用情况的检查", R, R),
    ("测绘资质单位的检查", R, R),
    ("地质灾害危险性评估单位的检查", R, R),
    ("学校办学行为的检查", R, R),
    ("建设工程质量的检查", None, A),
)
CERTIFICATES = (
    ("无犯罪记录证明", R, R),
    ("亲属关系证明", R, C),
    ("居住证明", R, C),
    ("无房证明", R, R),
    ("生存证明", R, C),
    ("婚姻状况证明", R, C),
)


def _build(org, kind, year, entries, *, say, complete=True, note="", publish=True) -> None:
    if ListVersion.objects.filter(org=org, kind=kind, year=year).exists():
        return
    result = services.save_version(
        org, kind, year, entries, by=None, complete=complete, note=note, action="lists.demo"
    )
    if publish:
        services.publish(result.version, by=None)
    say(f"  {result.version}：{result.entries}条")


def _year(rows, index):
    return [dict(row, change=row["change"][index]) for row in rows if row["change"][index]]


def build_demo(*, city: Org, year: int, today=None, profile: str = "", say=print) -> None:
    """Idempotent: a version that exists (draft or published) is left as it is."""
    say("公开清单（权责、收费、随机抽查、证明事项）")
    land = subtree(city).filter(name="绵阳市国土资源局").first() or city
    fees = [
        {"name": n, "basis": b, "standard": s, "department": city.name, "change": (y0, y1)}
        for n, b, s, y0, y1 in FEES
    ]
    powers = [
        {"name": n, "category": c, "department": land.name, "change": (y0, y1)}
        for n, c, y0, y1 in POWERS
    ]
    inspections = [
        {"name": n, "department": land.name, "change": (y0, y1)} for n, y0, y1 in INSPECTIONS
    ]
    certificates = [{"name": n, "change": (y0, y1)} for n, y0, y1 in CERTIFICATES]
    seed = profile == "mianyang-2017"
    plans = (
        # The seed profile holds the seed's figures only, so its report shows no invented count.
        (None if seed else city, ListKind.FEE_ADMIN, fees),
        (None if seed else land, ListKind.POWER, powers),
        (None if seed else land, ListKind.INSPECTION, inspections),
        (None if seed else city, ListKind.CERTIFICATE, certificates),
    )
    for org, kind, rows in plans:
        if org is None:
            continue
        for index, version_year in enumerate((year - 1, year)):
            _build(org, kind, version_year, _year(rows, index), say=say)
    if seed:
        build_seed_lists(city, say=say)


def _numbered(label: str, count: int, change: str, *, category: str = "") -> list[dict]:
    return [
        {"name": f"{label}第{n}项", "category": category, "change": change}
        for n in range(1, count + 1)
    ]


def build_seed_lists(city: Org, *, say) -> None:
    """The seed's list figures for 2017 (and the 2016 counts they are compared with)."""
    for kind, label, count_2016, count_2017 in (
        (ListKind.FEE_ADMIN, "行政事业性收费项目", 57, 32),
        (ListKind.FEE_ENTERPRISE, "涉企行政事业性收费项目", 39, 18),
        (ListKind.FEE_FUND, "政府性基金收费项目", 20, 18),
    ):
        _build(city, kind, 2016, _numbered(label, count_2016, R), say=say, note=SEED_NOTE)
        _build(city, kind, 2017, _numbered(label, count_2017, R), say=say, note=SEED_NOTE)
    _build(
        city,
        ListKind.FEE_SERVICE,
        2017,
        [],
        say=say,
        complete=False,
        note="种子年报只说建立了该目录清单，未给出项目数；待录入。",
        publish=False,
    )
    power = (
        _numbered("取消的行政许可", 13, C, category="行政许可")
        + _numbered("合并的行政许可", 10, M, category="行政许可")
        + _numbered("下放的行政许可", 5, D, category="行政许可")
    )
    _build(
        city,
        ListKind.POWER,
        2017,
        power,
        say=say,
        complete=False,
        note=SEED_NOTE + "只录入了本年变更的事项。",
    )
    _build(
        city,
        ListKind.CERTIFICATE,
        2017,
        _numbered("保留的证明事项", 13, R) + _numbered("取消的村社（区）证明事项", 289, C),
        say=say,
        note=SEED_NOTE,
    )
    _build(
        city,
        ListKind.INSPECTION,
        2017,
        _numbered("随机抽查事项", 222, R),
        say=say,
        note=SEED_NOTE + "市级有关部门合计。",
    )
