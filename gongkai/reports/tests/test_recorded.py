"""Figures the modules record win over figures entered by hand (issues 5–7 feeding issue 4)."""

from decimal import Decimal

import pytest

from gongkai.monitor import services as monitor
from gongkai.reports import external, recorded, statistics
from gongkai.reports.tables import Figure, Scope


def test_a_recorded_figure_wins_and_an_entered_one_stays_where_nothing_is_recorded(
    city, dept, city_office
):
    monitor.register_site(org=city, url="http://www.my.gov.cn/", name="中国绵阳")
    monitor.register_site(org=dept, url="http://zrzyj.my.gov.cn/")
    external.set_figure(city, 2021, "websites.total", Decimal(80), source="普查表", by=city_office)
    external.set_figure(
        city, 2021, "corrections.closed", Decimal(7), source="纠错平台", by=city_office
    )

    stats = statistics.collect(statistics.scope_orgs(city, Scope.SUBTREE), 2021, root=city)

    assert stats.external["websites.total"] == Figure(
        "websites.total", "政府网站", 2, "家", "本系统记录"
    )
    assert stats.external["websites.city_portal"] == Figure(
        "websites.city_portal", "其中：市级门户网站", 1, "家", "本系统记录"
    )
    assert stats.external["corrections.closed"] == Figure(
        "corrections.closed", "网民纠错意见审核办结", 7, "件", "纠错平台"
    )


ENTERED = {
    "mailbox.letters": Figure("mailbox.letters", "书记市长信箱接收信件", 12, "件", "信访系统")
}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        pytest.param({}, ENTERED, id="nothing recorded: the entered figure"),
        pytest.param(
            {"mailbox.letters": Decimal(30)},
            {
                "mailbox.letters": Figure(
                    "mailbox.letters", "书记市长信箱接收信件", 30, "件", "本系统记录"
                )
            },
            id="recorded: the record wins",
        ),
        pytest.param(
            {"mailbox.letters": Decimal(0)}, ENTERED, id="recorded zero: the entered figure stays"
        ),
        pytest.param(
            {"mailbox.replies": Decimal(0)},
            ENTERED
            | {
                "mailbox.replies": Figure(
                    "mailbox.replies", "书记市长信箱回复来信", 0, "件", "本系统记录"
                )
            },
            id="recorded zero, nothing entered: zero from the records",
        ),
    ],
)
def test_merge(records, expected):
    assert recorded.merge(ENTERED, records) == expected
