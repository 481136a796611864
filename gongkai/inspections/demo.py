"""Demo data for 双随机一公开, made only through ``services`` (imports, plans, draws, results).

Profile "mianyang-2017" publishes the seed's 222 items over the city's departments (RND-11:
"公布市级有关部门随机抽查事项清单222项"); the default profile a short list. Both get a
registry of 300 invented market entities (synthetic credit codes with valid check
characters), inspectors for three departments, an annual plan with a joint batch, three
draws and their results — one published late, one still unpublished past its deadline.
Running it again changes nothing once the year's demo plan exists.
"""

import csv
import random
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from gongkai.inspections import services
from gongkai.inspections.enums import Outcome, Weighting
from gongkai.inspections.models import Entity, InspectionItem, Plan
from gongkai.orgs.enums import Kind
from gongkai.orgs.models import Org
from gongkai.orgs.rules import credit_code_with_check

SEED_ITEMS = 222
PLAN_TITLE = "{year}年度“双随机、一公开”抽查工作计划（演示）"
PUBLIC_RANDOM = "福彩3D {year}{n:03d}期开奖号码 {digits}"

# 实施机关 (preferred for draws) → item stems; other departments get the generic stems.
ITEMS = {
    "绵阳市工商行政管理局": [
        (
            "企业公示信息抽查",
            "《企业信息公示暂行条例》第十四条",
            "企业",
            "书面检查、实地核查",
            "一般",
            "3",
        ),
        (
            "广告发布行为检查",
            "《中华人民共和国广告法》第四十九条",
            "广告经营者",
            "现场检查",
            "一般",
            "5",
        ),
        ("合同格式条款检查", "《合同违法行为监督处理办法》", "经营者", "书面检查", "一般", "5"),
    ],
    "绵阳市食品药品监督管理局": [
        (
            "食品生产企业监督检查",
            "《中华人民共和国食品安全法》第一百一十条",
            "食品生产企业",
            "现场检查",
            "重点",
            "",
        ),
        (
            "药品经营企业监督检查",
            "《中华人民共和国药品管理法》第六十四条",
            "药品经营企业",
            "现场检查",
            "重点",
            "",
        ),
    ],
    "绵阳市环境保护局": [
        (
            "排污单位监督检查",
            "《中华人民共和国环境保护法》第二十四条",
            "排污单位",
            "现场检查、监测",
            "重点",
            "",
        ),
        (
            "建设项目环评执行情况检查",
            "《中华人民共和国环境影响评价法》",
            "建设单位",
            "现场检查",
            "一般",
            "5",
        ),
    ],
    "绵阳市安全生产监督管理局": [
        (
            "危险化学品经营单位检查",
            "《危险化学品安全管理条例》第六条",
            "经营单位",
            "现场检查",
            "重点",
            "",
        ),
    ],
}
GENERIC = (
    ("行政许可事项事中事后监督检查", "许可证照与持证条件", "一般", "5"),
    ("经营（执业）行为检查", "经营行为与执业规范", "一般", "5"),
    ("安全生产条件检查", "安全生产责任与条件", "重点", ""),
    ("资质资格条件检查", "资质等级与人员条件", "一般", "3"),
    ("公示信息真实性检查", "向社会公示的信息", "一般", "3"),
    ("整改落实情况检查", "此前检查发现问题的整改", "一般", "10"),
    ("质量标准执行情况检查", "产品与服务质量标准", "重点", ""),
)
INDUSTRIES = ("批发和零售业", "制造业", "住宿和餐饮业", "建筑业", "交通运输业", "租赁和商务服务业")
SIZES = ("微型", "小型", "中型", "大型")
RISKS = ("低", "低", "低", "中", "高")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def build_demo(
    *, city: Org, year: int, today: date, profile: str = "", say: Callable[[str], None] = print
) -> None:
    """Give the demo city an item list, registries, a plan, three draws and results."""
    if Plan.objects.filter(
        title=PLAN_TITLE.format(year=year), org__path__startswith=city.path
    ).exists():
        say(f"双随机：{year}年演示计划已存在，跳过")
        return
    rng = random.Random(f"inspections-{year}")
    today = min(today, date(year, 12, 31))
    drawn_on = max(date(year, 1, 1), today - timedelta(days=60))
    departments = list(
        Org.objects.filter(parent=city, kind=Kind.DEPARTMENT).order_by("sort", "pk")[:36]
    )
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        count = SEED_ITEMS if profile == "mianyang-2017" else 12
        _write(folder / "抽查事项清单.csv", services.ITEM_COLUMNS, _items(departments, count))
        result = services.import_items(folder / "抽查事项清单.csv", listed_on=date(year, 1, 1))
        say(f"双随机：抽查事项清单 新建{result.created}项")
        counties = list(
            Org.objects.filter(parent=city, kind=Kind.GOVERNMENT).order_by("sort", "pk")
        )
        _write(folder / "检查对象名录.csv", services.ENTITY_COLUMNS, _entities(rng, counties, 300))
        result = services.import_entities(folder / "检查对象名录.csv")
        say(f"双随机：检查对象名录 新建{result.created}户")
        doers = _draw_departments(departments)
        codes = list(Entity.objects.order_by("credit_code").values_list("credit_code", flat=True))
        _write(
            folder / "执法检查人员名录.csv",
            services.INSPECTOR_COLUMNS,
            _inspectors(rng, doers, codes, year),
        )
        result = services.import_inspectors(folder / "执法检查人员名录.csv", today=drawn_on)
        say(f"双随机：执法检查人员名录 新建{result.created}名（{len(result.notes)}名执法证过期）")
    _plan_and_draws(rng, doers, year=year, drawn_on=drawn_on, today=today, say=say)


def _write(path: Path, columns: dict[str, str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        writer.writerows([row.get(key, "") for key in columns.values()] for row in rows)


def _items(departments: list[Org], count: int) -> list[dict]:
    rows = []
    for org in departments:
        for name, basis, obj, method, importance, ratio in ITEMS.get(org.name, ()):
            rows.append(_item(org, name, basis, obj, method, importance, ratio))
    generic = [(org, stem) for stem in GENERIC for org in departments if org.name not in ITEMS]
    for org, (name, obj, importance, ratio) in generic[: max(0, count - len(rows))]:
        short = org.short_name or org.name
        rows.append(
            _item(
                org,
                f"{short}{name}",
                "法律法规规章规定的检查事项",
                obj,
                "现场检查",
                importance,
                ratio,
            )
        )
    return rows[:count]


def _item(org, name, basis, obj, method, importance, ratio) -> dict:
    return {
        "org": org.name,
        "name": name,
        "legal_basis": basis,
        "object_type": obj,
        "method": method,
        "importance": importance,
        "ratio": ratio,
        "frequency": "每年1次" if ratio else "每年不少于1次",
    }


def _entities(rng: random.Random, counties: list[Org], count: int) -> list[dict]:
    areas = [c.short_name or c.name for c in counties] or ["涪城区"]
    rows = []
    for i in range(count):
        area = areas[i % len(areas)]
        rows.append(
            {
                "name": f"绵阳{area[:2]}演示{INDUSTRIES[i % len(INDUSTRIES)][:2]}{i:03d}有限公司",
                "credit_code": credit_code_with_check(f"91510700MA{i:07d}"),
                "legal_rep": f"{rng.choice(SURNAMES)}某{i % 10}",
                "address": f"{area}演示路{i + 1}号",
                "industry": INDUSTRIES[i % len(INDUSTRIES)],
                "area": area,
                "risk_level": rng.choice(RISKS),
                "risk_marks": "投诉举报" if rng.random() < 0.05 else "",
                "size": rng.choice(SIZES),
            }
        )
    return rows


def _draw_departments(departments: list[Org]) -> list[Org]:
    """Three departments that draw: preferably those with named items, else the first three."""
    named = [org for name in ITEMS for org in departments if org.name == name]
    return (named + [org for org in departments if org not in named])[:4]


def _inspectors(rng, doers: list[Org], codes: list[str], year: int) -> list[dict]:
    rows = []
    for d, org in enumerate(doers):
        for i in range(6):
            rows.append(
                {
                    "name": f"{rng.choice(SURNAMES)}执法{d}{i}",
                    "certificate": f"5107{d:02d}{year % 100:02d}{i:04d}",
                    "valid_until": (
                        date(year - 1, 6, 30) if i == 5 else date(year + 2, 12, 31)
                    ).isoformat(),
                    "field": (org.short_name or org.name).removeprefix("市"),
                    "org": org.name,
                    "conflicts": codes[d] if i == 0 else "",
                }
            )
    return rows


def _plan_and_draws(rng, doers, *, year, drawn_on, today, say) -> None:
    lead, partner, *others = doers
    items = {}
    for item in InspectionItem.objects.filter(org__in=doers).order_by("pk"):
        items.setdefault(item.org_id, item)  # each department's first listed item
    plan = services.create_plan(
        lead, year=year, title=PLAN_TITLE.format(year=year), by=None, filed_on=date(year, 1, 20)
    )
    ends = min(date(year, 12, 31), drawn_on + timedelta(days=60))
    batches = [
        services.add_batch(
            plan,
            item=items[lead.pk],
            name="第一批：全市企业（联合抽查）",
            starts_on=drawn_on,
            ends_on=ends,
            ratio=Decimal("3"),
            weighting=Weighting.RISK,
            joint_orgs=[partner],
            by=None,
        ),
        services.add_batch(
            plan,
            item=items[lead.pk],
            name="第二批：批发和零售业（定向）",
            starts_on=drawn_on,
            ends_on=ends,
            sample_size=5,
            scope={"industry": ["批发和零售业"]},
            by=None,
        ),
    ]
    other = others[0] if others else partner
    draws = [
        services.draw_batch(
            batch,
            public_random=PUBLIC_RANDOM.format(year=year, n=n, digits=rng.randrange(1000)),
            by=None,
            on=drawn_on,
        )
        for n, batch in enumerate(batches, start=1)
    ]
    draws.append(
        services.draw(
            items[other.pk],
            sample_size=4,
            public_random=PUBLIC_RANDOM.format(year=year, n=3, digits=rng.randrange(1000)),
            by=None,
            on=drawn_on,
        )
    )
    finished = min(today, drawn_on + timedelta(days=14))
    outcomes = (Outcome.NONE, Outcome.NONE, Outcome.PROBLEMS, Outcome.RECTIFY, Outcome.CASE)
    for n, row in enumerate(draws[:2]):
        for k, assignment in enumerate(row.assignments.select_related("entity")):
            result = services.enter_result(
                row,
                assignment.entity,
                outcome=outcomes[k % len(outcomes)],
                note="已责令限期整改" if outcomes[k % len(outcomes)] == Outcome.RECTIFY else "",
                finished_on=finished,
                by=None,
                today=finished,
            )
            if n == 1 and k == 0:
                continue  # left unpublished: listed as overdue once the deadline passes
            on = finished + timedelta(days=3 if k else 40)  # one published late
            services.publish_result(result, by=None, on=min(on, today))
    say(f"双随机：年度计划1个、批次{len(batches)}个、抽取{len(draws)}次")
