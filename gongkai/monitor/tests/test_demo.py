"""The demo city's 72 websites and the seed's 50 closed 纠错 (MON-1, MON-18, MON-23)."""

from datetime import date
from decimal import Decimal

from gongkai.monitor import figures
from gongkai.monitor.demo import build_demo
from gongkai.monitor.enums import TicketStatus
from gongkai.monitor.models import Column, Run, Site, Ticket
from gongkai.orgs.demo import build_demo_city
from gongkai.orgs.models import Org

TODAY = date(2026, 3, 2)


def test_demo_city_gets_its_72_sites_and_the_seed_figures(calendar):
    city = build_demo_city()
    lines = []
    for _ in range(2):  # idempotent
        build_demo(city=city, year=2026, today=TODAY, profile="mianyang-2017", say=lines.append)
    assert Site.objects.count() == 72
    assert Column.objects.count() == 72 * 5
    assert Run.objects.count() == 72
    assert Run.objects.exclude(veto=[]).count() == 8  # every 9th site is stale
    orgs = Org.objects.filter(path__startswith=city.path)
    assert figures.report_figures(orgs, 2017, root=city) == {
        "websites.total": Decimal(72),
        "websites.city_portal": Decimal(1),
        "websites.city_departments": Decimal(62),
        "websites.county_portals": Decimal(9),
        "corrections.closed": Decimal(50),
    }
    closed = Ticket.objects.filter(received_on__year=2017)
    assert closed.filter(status=TicketStatus.REPLIED).count() == 50
    assert all(t.replied_on <= t.due_on for t in closed)
    assert Ticket.objects.filter(status=TicketStatus.RECEIVED).count() == 3
    assert lines[0] == "网站监测：新登记网站 72 个"


def test_demo_lists_the_late_reposts(calendar):
    from datetime import UTC, datetime

    from gongkai.monitor.queries import late_reposts

    city = build_demo_city()
    build_demo(city=city, year=2026, today=TODAY, profile="", say=lambda _: None)
    late = late_reposts(Site.objects.all(), now=datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert sorted((r.title[:6], r.reposted_at is None) for r in late) == [
        ("国务院关于印", False),
        ("国务院关于印", False),
        ("国务院办公厅", True),
        ("国务院办公厅", True),
    ]


def test_the_desk_shows_the_seed_years_figures(client, calendar):
    from gongkai.monitor.queries import yearly_ticket_figures
    from gongkai.orgs.enums import Role
    from gongkai.orgs.models import User

    city = build_demo_city()
    build_demo(city=city, year=2026, today=TODAY, profile="mianyang-2017", say=lambda _: None)
    assert yearly_ticket_figures(Ticket.objects.all()) == [
        {"year": 2026, "received": 3, "closed": 0, "on_time": 0},
        {"year": 2017, "received": 50, "closed": 50, "on_time": 50},
    ]
    office = User.objects.create_user(username="o", password="x", org=city, role=Role.OFFICE_ADMIN)
    client.force_login(office)
    assert (
        "<td>2017</td><td>50</td><td>50</td><td>50</td>"
        in client.get("/desk/monitor/jiucuo/").content.decode()
    )
