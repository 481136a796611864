"""report_figures: the annual-report keys the catalog's records produce (PUB-8, RPT 表二)."""

from datetime import date
from decimal import Decimal

from gongkai.catalog import services
from gongkai.catalog.figures import report_figures
from gongkai.catalog.models import Issue, Visit
from gongkai.orgs.queries import subtree


def test_no_records_no_keys(city, dept):
    assert report_figures(subtree(city), 2026, root=city) == {}


def test_published_by_legacy_category_and_table_two(published, reviewer, city, dept):
    published(number="N1", kind="normative", legacy_category="normative")
    old = published(
        number="N2", kind="normative", formed_on="2025-12-01", legacy_category="normative"
    )
    published(number="R1", kind="rule", legacy_category="normative", title_en="Measures")
    news = published(number="", legacy_category="news", title="工作动态一")
    published(number="", legacy_category="news", title="工作动态二", attribute="on_request")
    published(number="", legacy_category="finance", title="2026年预算")
    services.repeal(old, actor=reviewer, repealed_on="2026-06-30")
    services.distribute(
        news, actor=reviewer, channel="wechat", on=date(2026, 3, 3), kind="activities"
    )
    services.distribute(
        news, actor=reviewer, channel="weibo", on=date(2026, 3, 3), kind="activities"
    )
    sub = services.submit_provincial(news, actor=reviewer, on=date(2026, 3, 4))
    services.decide_provincial(sub, actor=reviewer, adopted=True, on=date(2026, 3, 9))
    services.submit_provincial(news, actor=reviewer, on=date(2026, 3, 5))
    for number in (1, 2):
        Issue.objects.create(
            org=city,
            series="gazette",
            year=2026,
            number=number,
            published_on=date(2026, number, 15),
        )
    Issue.objects.create(
        org=city, series="bulletin", year=2026, number=1, published_on=date(2026, 1, 9)
    )
    Visit.objects.create(day=date(2026, 3, 2), column="xxgk", views=12000, visitors=5300)
    Visit.objects.create(day=date(2026, 3, 3), column="search", views=3000, visitors=900)
    Visit.objects.create(day=date(2025, 3, 3), column="xxgk", views=99999, visitors=999)

    figures = report_figures(subtree(city), 2026, root=city)
    D = Decimal
    assert figures == {
        "published.total": D(5),
        "published.overview": D(0),
        "published.plans": D(0),
        "published.normative": D(3),
        "published.news": D(1),
        "published.personnel": D(0),
        "published.finance": D(1),
        "published.enforcement": D(0),
        "published.other": D(0),
        "t2.rules.made": D(1),
        "t2.rules.repealed": D(0),
        "t2.rules.in_force": D(1),
        "t2_2019.rules.new_made": D(1),
        "t2_2019.rules.new_published": D(1),
        "t2_2019.rules.total_public": D(1),
        "t2.normative.made": D(1),
        "t2.normative.repealed": D(1),
        "t2.normative.in_force": D(1),
        "t2_2019.normative.new_made": D(1),
        "t2_2019.normative.new_published": D(2),
        "t2_2019.normative.total_public": D(2),
        "english.items": D(1),
        "newmedia.posts": D(2),
        "newmedia.activities": D(2),
        "newmedia.policy": D(0),
        "newmedia.progress": D(0),
        "provincial.submitted": D(2),
        "provincial.adopted": D(1),
        "gazette.issues": D(2),
        "bulletins.issues": D(1),
        "portal.visits": D("1.50"),
        "portal.disclosure_visits": D("0.53"),
    }


def test_only_the_orgs_asked(published, other_dept):
    published(number="N1")
    assert report_figures(subtree(other_dept), 2026, root=other_dept) == {}
