"""The demo builder: the seed's figures come out of the records (MBX-1, MBX-5, MBX-6)."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.audit.services import verify
from gongkai.interaction import queries
from gongkai.interaction.demo import build_demo
from gongkai.interaction.enums import Status
from gongkai.interaction.figures import report_figures, wan
from gongkai.interaction.models import HotlineCall, Letter, Proposal
from gongkai.orgs.demo import build_demo_city, demo_staff
from gongkai.orgs.queries import subtree
from gongkai.workdays.services import load_from_package


@pytest.fixture
def demo_city(db):
    load_from_package(years=range(2016, 2019))
    return build_demo_city()


def test_mianyang_2017_profile_reproduces_the_seed_figures(demo_city):
    said = []
    build_demo(
        city=demo_city, year=2017, today=date(2018, 3, 1), profile="mianyang-2017", say=said.append
    )

    figures = report_figures(subtree(demo_city), 2017, root=demo_city)

    assert figures == {
        "mailbox.letters": Decimal(8858),
        "mailbox.replies": Decimal(8545),
        "hotline.calls": Decimal("20.37"),
        "hotline.closed_rate": Decimal("100.0"),
        "hotline.satisfaction": Decimal("96.0"),
        "npc.suggestions": Decimal(352),
        "npc.closed": Decimal(352),
        "cppcc.proposals": Decimal(713),
        "cppcc.closed": Decimal(713),
    }
    mail = queries.figures(subtree(demo_city), 2017, on=date(2018, 3, 1))
    assert (mail.received, mail.valid, mail.replied, mail.published, mail.reply_rate) == (
        8858 + 120,
        8858,
        8545,
        8545,
        Decimal("96.5"),
    )
    assert (mail.overdue, mail.oldest_unanswered) == (313, date(2017, 12, 19))
    assert Letter.objects.exclude(duplicate_of=None).count() == 45
    assert HotlineCall.objects.count() == 203700
    assert said[0] == "书记市长信箱：9023 封来信（有效 8858，答复 8545）"
    assert verify() is None

    # Running it again adds nothing.
    build_demo(city=demo_city, year=2017, today=date(2018, 3, 1), profile="mianyang-2017")
    assert (Letter.objects.count(), HotlineCall.objects.count(), Proposal.objects.count()) == (
        9023,
        203700,
        1065,
    )


def test_seed_reply_rate_is_the_reports_rounding_of_its_own_numbers():
    """RPT-25: 8545 ÷ 8858 = 96.47 %, which the seed prints as 96.4 % (rounded down)."""
    from gongkai.reports.rules import percentage

    assert percentage(8545, 8858, mode="half_up") == Decimal("96.5")
    assert percentage(8545, 8858, mode="down") == Decimal("96.4")


@pytest.mark.parametrize(("count", "expected"), ((203700, "20.37"), (12345, "1.23"), (5, "0.00")))
def test_hotline_calls_are_reported_in_wan(count, expected):
    assert wan(count) == Decimal(expected)


def test_default_profile_makes_a_modest_year_through_the_services(demo_city):
    demo_staff(password="Gongkai-test-2026")

    build_demo(city=demo_city, year=2017, today=date(2017, 6, 30), profile="", say=print)

    statuses = sorted(Letter.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [Status.PENDING, Status.ACCEPTED] + [Status.PUBLISHED] * 4 + [Status.REPLIED] * 2
    )
    assert HotlineCall.objects.count() == 300
    assert Proposal.objects.filter(closed_on__isnull=False).count() == 8
    assert verify() is None
