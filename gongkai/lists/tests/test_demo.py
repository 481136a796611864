"""The demo lists: two years with visible y-o-y sentences, and the seed's figures (PUB-9)."""

from decimal import Decimal

from gongkai.lists import queries
from gongkai.lists.demo import build_demo
from gongkai.lists.enums import ListKind, Status
from gongkai.lists.figures import report_figures
from gongkai.lists.models import ListEntry, ListVersion
from gongkai.orgs.demo import build_demo_city
from gongkai.orgs.queries import subtree


def sentences(city):
    return {
        (v.org.short_name, v.kind, v.year): queries.year_over_year(v).sentence
        for v in ListVersion.objects.filter(org__in=subtree(city), status=Status.PUBLISHED)
    }


def test_build_demo_gives_two_years_and_is_idempotent(db):
    city = build_demo_city()
    said = []

    build_demo(city=city, year=2025, today=None, profile="", say=said.append)
    count = ListEntry.objects.count()
    build_demo(city=city, year=2025, today=None, profile="", say=said.append)

    assert ListEntry.objects.count() == count
    assert sentences(city) == {
        ("绵阳市", "fee_admin", 2024): "保留9项",
        ("绵阳市", "fee_admin", 2025): "保留7项，比2024年减少2项；其中新增1项，取消3项",
        ("绵阳市", "certificate", 2024): "保留6项",
        ("绵阳市", "certificate", 2025): "保留2项，比2024年减少4项；其中取消4项",
        ("市国土资源局", "power", 2024): "保留11项",
        (
            "市国土资源局",
            "power",
            2025,
        ): "保留9项，比2024年减少2项；其中新增1项，取消1项，合并1项，下放1项",
        ("市国土资源局", "inspection", 2024): "保留5项",
        ("市国土资源局", "inspection", 2025): "保留6项，比2024年增加1项；其中新增1项",
    }
    assert report_figures(subtree(city), 2025, root=city) == {
        "t2_2019.licensing.prev_items": Decimal(5),
        "t2_2019.licensing.change": Decimal(-3),
        "t2_2019.penalty.prev_items": Decimal(3),
        "t2_2019.penalty.change": Decimal(1),
        "t2_2019.coercion.prev_items": Decimal(2),
        "t2_2019.coercion.change": Decimal(0),
        "t2_2019.fees.prev_items": Decimal(9),
        "t2_2019.fees.change": Decimal(-2),
        "inspection.items": Decimal(6),
    }


def test_build_demo_mianyang_2017_has_the_seed_list_figures(db):
    city = build_demo_city()

    build_demo(city=city, year=2017, today=None, profile="mianyang-2017", say=lambda text: None)

    found = sentences(city)
    assert found[("绵阳市", "fee_admin", 2017)] == "保留32项，比2016年减少25项"
    assert found[("绵阳市", "fee_enterprise", 2017)] == "保留18项，比2016年减少21项"
    assert found[("绵阳市", "fee_fund", 2017)] == "保留18项，比2016年减少2项"
    assert found[("绵阳市", "power", 2017)] == "取消13项，合并10项，下放5项"
    assert found[("绵阳市", "certificate", 2017)] == "保留13项；其中取消289项"
    assert found[("绵阳市", "inspection", 2017)] == "保留222项"
    assert ListVersion.objects.get(kind=ListKind.FEE_SERVICE).status == Status.DRAFT
    assert report_figures(subtree(city), 2017, root=city) == {
        "t2_2019.fees.prev_items": Decimal(57),
        "t2_2019.fees.change": Decimal(-25),
        "inspection.items": Decimal(222),
    }
