"""The demo catalog (issue 5 §10) and its figures against the seed report."""

from datetime import date
from decimal import Decimal

from django.db.models import Max

from gongkai.catalog.demo import _counts, build_demo
from gongkai.catalog.figures import report_figures
from gongkai.catalog.models import Issue, Item, Visit
from gongkai.orgs.demo import build_demo_city
from gongkai.orgs.queries import subtree


def test_seed_proportions_add_up():
    assert sum(_counts(327899).values()) == 327899
    assert _counts(327899)["news"] == 107363
    assert sum(_counts(20000).values()) == 20000


def test_demo_is_idempotent_and_gives_the_seed_figures(db):
    city = build_demo_city()
    said = []
    build_demo(city=city, year=2017, today=None, profile="", say=said.append, count=2000)
    build_demo(city=city, year=2017, today=None, profile="", say=said.append, count=2000)
    assert Item.objects.count() == 2000
    assert said[-1] == "主动公开演示数据已存在（2017年），跳过"
    # INT-2/6: most 规范性文件 have their interpretation, same org, same day; coverage shows it
    from gongkai.catalog.queries import interpretation_coverage

    pairs = list(
        Item.objects.filter(kind="interpretation").values_list(
            "org_id", "published_on", "policy__org_id", "policy__published_on", "policy__kind"
        )
    )
    assert pairs and all(o == po and d == pd and k == "normative" for o, d, po, pd, k in pairs)
    coverage = interpretation_coverage(subtree(city), 2017)
    assert coverage["interpreted"] == len(pairs) and coverage["total"] > len(pairs)
    assert sum(n for _, n in coverage["by_form"]) == len(pairs)
    figures = report_figures(subtree(city), 2017, root=city)
    assert figures["published.total"] == Decimal(2000)
    assert (
        sum(v for k, v in figures.items() if k.startswith("published.") and k != "published.total")
        == 2000
    )
    assert {
        k: figures[k]
        for k in (
            "gazette.issues",
            "bulletins.issues",
            "english.items",
            "newmedia.posts",
            "newmedia.activities",
            "newmedia.policy",
            "newmedia.progress",
            "portal.visits",
            "portal.disclosure_visits",
        )
    } == {
        "gazette.issues": Decimal(24),
        "bulletins.issues": Decimal(142),
        "english.items": Decimal(343),
        "newmedia.posts": Decimal(3848),  # 42 more than its three kinds, as in the seed
        "newmedia.activities": Decimal(1113),
        "newmedia.policy": Decimal(768),
        "newmedia.progress": Decimal(1925),
        "portal.visits": Decimal("740.00"),
        "portal.disclosure_visits": Decimal("120.00"),
    }
    # Only 2000 items here: fewer 工作动态 than the seed's 1050 submissions.
    assert figures["provincial.adopted"] == Decimal(200)


def test_this_years_demo_publishes_nothing_after_today(db):
    city = build_demo_city()
    build_demo(city=city, year=2026, today=date(2026, 3, 15), say=lambda text: None, count=500)

    assert Item.objects.aggregate(last=Max("published_on"))["last"] <= date(2026, 3, 15)
    assert Issue.objects.aggregate(last=Max("published_on"))["last"] <= date(2026, 3, 15)
    assert Visit.objects.aggregate(last=Max("day"))["last"] == date(2026, 3, 15)
