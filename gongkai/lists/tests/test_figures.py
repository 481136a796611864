"""Annual-report figures from the published lists (PUB-9 → RPT-13 表二, inspection.items)."""

from decimal import Decimal

from gongkai.lists.enums import ListKind
from gongkai.lists.figures import report_figures
from gongkai.lists.tests.conftest import make_version
from gongkai.orgs.queries import subtree


def power(org, year, licensing, penalty, coercion, *, publish=True, complete=True):
    entries = []
    for category, changes in (
        ("行政许可", licensing),
        ("行政处罚", penalty),
        ("行政强制", coercion),
    ):
        entries += [(category, change) for change in changes]
    from gongkai.lists import services

    version = services.save_version(
        org,
        ListKind.POWER,
        year,
        [{"name": f"{c}{n}", "category": c, "change": ch} for n, (c, ch) in enumerate(entries)],
        by=None,
        complete=complete,
    ).version
    if publish:
        services.publish(version, by=None)


def test_report_figures_compare_the_power_and_fee_lists_with_the_year_before(
    city, dept, other_dept
):
    power(dept, 2016, ["retained"] * 5, ["retained"] * 4, ["retained"] * 2)
    power(
        dept,
        2017,
        ["retained"] * 3 + ["cancelled", "delegated"],
        ["retained"] * 4 + ["added"],
        ["retained"] * 2,
    )
    power(other_dept, 2016, ["retained"] * 2, [], [])
    power(other_dept, 2017, ["retained"] * 3, [], [])
    make_version(city, ListKind.FEE_ADMIN, 2016, ["retained"] * 57)
    make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 32 + ["cancelled"] * 25)
    make_version(city, ListKind.INSPECTION, 2017, ["retained"] * 222)

    figures = report_figures(subtree(city), 2017, root=city)

    assert figures == {
        "t2_2019.licensing.prev_items": Decimal(7),
        "t2_2019.licensing.change": Decimal(-1),
        "t2_2019.penalty.prev_items": Decimal(4),
        "t2_2019.penalty.change": Decimal(1),
        "t2_2019.coercion.prev_items": Decimal(2),
        "t2_2019.coercion.change": Decimal(0),
        "t2_2019.fees.prev_items": Decimal(57),
        "t2_2019.fees.change": Decimal(-25),
        "inspection.items": Decimal(222),
    }


def test_report_figures_only_for_the_orgs_asked(city, dept, other_dept):
    power(dept, 2016, ["retained"] * 5, [], [])
    power(other_dept, 2016, ["retained"] * 2, [], [])

    figures = report_figures([other_dept], 2017, root=city)

    assert figures == {
        "t2_2019.licensing.prev_items": Decimal(2),
        "t2_2019.penalty.prev_items": Decimal(0),
        "t2_2019.coercion.prev_items": Decimal(0),
    }


def test_report_figures_skip_drafts_partial_lists_and_empty_registers(city, dept):
    power(dept, 2016, ["retained"] * 5, [], [], publish=False)
    power(dept, 2017, ["cancelled"] * 13, [], [], complete=False)
    make_version(city, ListKind.INSPECTION, 2017, ["retained"] * 3, publish=False)

    assert report_figures(subtree(city), 2017, root=city) == {}


def test_report_figures_need_both_years_for_a_change(city):
    make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 32)

    assert report_figures(subtree(city), 2017, root=city) == {}
    assert report_figures(subtree(city), 2018, root=city) == {
        "t2_2019.fees.prev_items": Decimal(32)
    }
