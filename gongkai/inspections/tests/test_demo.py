from datetime import date

import pytest

from gongkai.inspections import queries, services
from gongkai.inspections.demo import build_demo
from gongkai.inspections.models import Draw, Entity, InspectionItem, Inspector, Plan
from gongkai.orgs.demo import build_demo_city
from gongkai.workdays.services import load_from_package

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("profile", "items"), (("", 12), ("mianyang-2017", 222)))
def test_build_demo_is_idempotent_and_every_draw_verifies(profile, items):
    load_from_package(years=[2017])
    city = build_demo_city()
    said = []
    build_demo(city=city, year=2017, today=date(2017, 12, 20), profile=profile, say=said.append)
    assert InspectionItem.objects.count() == items
    assert (Entity.objects.count(), Inspector.objects.count(), Plan.objects.count()) == (300, 24, 1)
    assert Draw.objects.count() == 3
    assert all(services.verify(row) == [] for row in Draw.objects.all())
    joint = Draw.objects.get(batch__name__contains="联合")
    assert joint.sample_size == 9  # 3% of 300, rounded up
    assert len({p["org"] for p in joint.inputs["inspectors"]}) == 2
    assert [r.entity.name for r in queries.overdue(on=date(2017, 12, 20))]  # late and unpublished
    assert said[-1] == "双随机：年度计划1个、批次2个、抽取3次"
    build_demo(city=city, year=2017, today=date(2017, 12, 20), profile=profile, say=said.append)
    assert (Draw.objects.count(), said[-1]) == (3, "双随机：2017年演示计划已存在，跳过")
    figures = queries.year_figures(2017, today=date(2017, 12, 20))
    assert sum(f.draws for f in figures) == 3
