"""Statistics from the records: REQ-28 attribution, REQ-29 columns, RPT-27 scope, T-RPT-1.

The helpers at the top make applications through the applications services, so the facts
are the ones real handling leaves; the other report tests import them from here.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.applications import queries as app_queries
from gongkai.applications import services
from gongkai.applications.enums import (
    Action,
    ApplicantKind,
    Channel,
    Decision,
    Delivery,
    FormWanted,
    IdType,
    Timeliness,
)
from gongkai.applications.models import Application
from gongkai.orgs.enums import Role
from gongkai.orgs.models import User
from gongkai.orgs.rules import credit_code_with_check, org_code_with_check
from gongkai.reports import external, rules, statistics
from gongkai.reports.tables import T3_COLUMNS, Scope, Style, Tables
from gongkai.workdays.services import load_from_package

SHANGHAI = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "510703199001011237"  # a valid 居民身份证号码 of a made-up person
CREDIT_CODE = credit_code_with_check("91510703" + org_code_with_check("12345678"))


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def applicant(kind: str = ApplicantKind.PERSON) -> dict:
    data = {
        "applicant_kind": kind,
        "phone": "13800001234",
        "email": "applicant@example.com",
        "address": "绵阳市涪城区临园路1号",
        "postcode": "621000",
        "description": "请公开本村2020年征地补偿安置方案",
        "document_number": "",
        "form_wanted": FormWanted.ELECTRONIC,
        "delivery": Delivery.EMAIL,
    }
    if kind == ApplicantKind.PERSON:
        return data | {
            "applicant_name": "张三",
            "id_type": IdType.RESIDENT_ID,
            "id_number": ID_NUMBER,
        }
    return data | {"applicant_name": "绵阳泰和建材有限公司", "credit_code": CREDIT_CODE}


DECISION_PARAMS = {
    Decision.PARTIAL: {
        "withheld": [
            {
                "what": "他人身份证号码",
                "ground": Decision.DENY_THIRD_PARTY,
                "basis": "《中华人民共和国政府信息公开条例》第十五条",
            }
        ]
    },
    Decision.DENY_THIRD_PARTY: {
        "basis": "《中华人民共和国政府信息公开条例》第十五条",
        "reason": "涉及第三方个人隐私",
    },
    Decision.NOT_RESPONSIBLE: {"reason": "该信息由市人民政府办公室负责公开"},
}


def make(
    org,
    *,
    received: date,
    closed: date | None = None,
    outcome: Decision = Decision.GRANT,
    kind: str = ApplicantKind.PERSON,
    channel: Channel = Channel.IN_PERSON,
    by: User,
    description: str | None = None,
) -> Application:
    """An application received on ``received`` and, with ``closed``, ended then with ``outcome``."""
    data = applicant(kind)
    if description:
        data["description"] = description
    app = services.submit(
        data, org=org, channel=channel, arrived_at=at(received), by=by
    ).application
    if app.received_on is None:
        app = services.act(
            app, Action.CONFIRM, by=by, today=received, at=at(received, 10), via="电话"
        )
    if closed is None:
        return app
    if outcome == Decision.OTHER:
        return services.act(app, Action.WITHDRAW, by=by, today=closed, reason="申请人撤回")
    if outcome == Decision.ABANDONED_NO_CORRECTION:
        app = services.act(
            app,
            Action.REQUEST_CORRECTION,
            by=by,
            today=received,
            items="请写明所申请信息的名称",
            respond_by=received + timedelta(days=5),
        )
        return services.act(
            app, Action.ABANDON_NO_CORRECTION, by=by, today=closed, reason="逾期未补正"
        )
    params = {"decision": outcome, **DECISION_PARAMS.get(outcome, {})}
    app = services.act(app, Action.DECIDE, by=by, today=closed, **params)
    return services.act(app, Action.DELIVER, by=by, today=closed, delivered_on=closed)


@pytest.fixture
def calendar(db):
    load_from_package(years=range(2016, 2024))


@pytest.fixture
def clerk(city, dept, calendar):
    """公开办 of the city: may act on every application below it."""
    return User.objects.create_user(
        username="clerk", password="Gongkai-test-2026", org=city, role=Role.OFFICE_ADMIN
    )


def t3_of(orgs, year, style=Style.F2021):
    return statistics.tables_for(statistics.collect(orgs, year, root=orgs.first()), style).t3


def self_of(org):
    return statistics.scope_orgs(org, Scope.SELF)


# --- T-RPT-1 -------------------------------------------------------------------------------------------

# (received, closed, outcome, applicant kind): 自然人 新收10、结转2; 商业企业 新收3 (RULES §11).
T_RPT_1_FACTS = [
    (date(2020, 12, 28), date(2021, 1, 8), Decision.GRANT, "person"),
    (date(2020, 12, 29), date(2021, 1, 12), Decision.PARTIAL, "person"),
    *[(date(2021, 3, 1 + i), date(2021, 3, 15 + i), Decision.GRANT, "person") for i in range(4)],
    (date(2021, 4, 1), date(2021, 4, 12), Decision.DENY_THIRD_PARTY, "person"),
    (date(2021, 5, 6), date(2021, 5, 17), Decision.NOT_HELD, "person"),
    (date(2021, 5, 7), date(2021, 5, 18), Decision.NOT_RESPONSIBLE, "person"),
    (date(2021, 6, 1), date(2021, 6, 8), Decision.REPEATED, "person"),
    (date(2021, 7, 1), date(2021, 7, 20), Decision.ABANDONED_NO_CORRECTION, "person"),
    (date(2021, 12, 30), None, None, "person"),
    (date(2021, 8, 2), date(2021, 8, 10), Decision.GRANT, "commercial"),
    (date(2021, 8, 3), date(2021, 8, 11), Decision.GRANT, "commercial"),
    (date(2021, 12, 29), None, None, "commercial"),
]
T_RPT_1 = {
    "一": {"person": 10, "commercial": 3},
    "二": {"person": 2},
    "三(一)": {"person": 5, "commercial": 2},
    "三(二)": {"person": 1},
    "三(三)4": {"person": 1},
    "三(四)1": {"person": 2},
    "三(五)2": {"person": 1},
    "三(六)1": {"person": 1},
    "三(七)": {"person": 11, "commercial": 2},
    "四": {"person": 1, "commercial": 1},
}


def expected_t3(cells: dict, style=Style.F2021) -> dict:
    from gongkai.reports.tables import t3_rows

    out = {}
    for key, _, _, numbers in t3_rows(style):
        if numbers:
            row = {col: cells.get(key, {}).get(col, 0) for col, _ in T3_COLUMNS if col != "total"}
            out[key] = row | {"total": sum(row.values())}
    return out


@pytest.fixture
def t_rpt_1(dept, clerk):
    for received, closed, outcome, kind in T_RPT_1_FACTS:
        make(dept, received=received, closed=closed, outcome=outcome, kind=kind, by=clerk)


def test_t_rpt_1_table_three_from_records_equals_the_vector(t_rpt_1, dept):
    t3 = t3_of(self_of(dept), 2021)

    assert t3 == expected_t3(T_RPT_1)
    assert (t3["三(七)"]["total"], t3["一"]["total"] + t3["二"]["total"]) == (13, 15)


def test_t_rpt_1_table_three_from_records_validates_clean(t_rpt_1, dept):
    stats = statistics.collect(self_of(dept), 2021, root=dept)

    for style in (Style.F2021, Style.F2019):
        tables = statistics.tables_for(stats, style)
        assert rules.validate(Tables(style, t3=tables.t3, t4=tables.t4)) == []


def test_table_two_names_the_figures_nobody_entered_and_takes_those_entered(dept, clerk):
    external.set_figure(
        dept, 2021, "t2.licensing.decisions", 1234, source="市政务服务平台", by=clerk
    )
    external.set_figure(dept, 2021, "t2.fees.amount", "12.5", source="市财政局非税系统", by=clerk)

    tables = statistics.tables_for(statistics.collect(self_of(dept), 2021, root=dept), Style.F2021)
    unread = {(f.row, f.column) for f in rules.validate(tables) if f.table == "表二"}

    assert (tables.t2["licensing"], tables.t2["fees"]) == (
        {"decisions": 1234},
        {"amount": Decimal("12.5")},
    )
    assert tables.t2["rules"] == {"made": None, "repealed": None, "in_force": None}
    assert ("licensing", "decisions") not in unread
    assert ("rules", "made") in unread and len(unread) == 8


def test_t_rpt_1_previous_year_carries_what_this_year_receives_as_carried(t_rpt_1, dept):
    before, now = t3_of(self_of(dept), 2020), t3_of(self_of(dept), 2021)

    assert before["四"] == now["二"]
    assert before["一"]["person"] == 2


def test_f2019_prints_other_handling_as_one_row(t_rpt_1, dept):
    t3 = t3_of(self_of(dept), 2021, Style.F2019)

    assert t3["三(六)"] == {**dict.fromkeys(statistics.T3_PARTS, 0), "person": 1, "total": 1}
    assert not any(key.startswith("三(六)1") for key in t3)


# --- REQ-28 edge cases ------------------------------------------------------------------------------


def test_received_on_the_last_day_and_replied_next_year_is_carried_over(dept, clerk):
    make(dept, received=date(2021, 12, 31), closed=date(2022, 1, 5), by=clerk)

    this, following = t3_of(self_of(dept), 2021), t3_of(self_of(dept), 2022)

    assert (this["一"]["total"], this["三(七)"]["total"], this["四"]["total"]) == (1, 0, 1)
    assert (following["二"]["total"], following["三(一)"]["total"]) == (1, 1)
    assert following["四"]["total"] == 0


def test_unconfirmed_online_arrival_is_not_received(dept, clerk):
    services.submit(applicant(), org=dept, channel=Channel.ONLINE, arrived_at=at(date(2021, 6, 1)))

    t3 = t3_of(self_of(dept), 2021)

    assert (t3["一"]["total"], t3["四"]["total"]) == (0, 0)


def test_online_arrival_confirmed_next_year_counts_next_year(dept, clerk):
    app = services.submit(
        applicant(), org=dept, channel=Channel.ONLINE, arrived_at=at(date(2021, 12, 31), 20)
    ).application
    services.act(
        app, Action.CONFIRM, by=clerk, today=date(2022, 1, 4), at=at(date(2022, 1, 4)), via="电话"
    )

    assert t3_of(self_of(dept), 2021)["一"]["total"] == 0
    assert t3_of(self_of(dept), 2022)["一"]["total"] == 1


def test_withdrawal_before_confirmation_is_counted_nowhere(dept, clerk):
    app = services.submit(
        applicant(), org=dept, channel=Channel.FAX, arrived_at=at(date(2021, 6, 1))
    ).application
    services.act(app, Action.WITHDRAW, by=clerk, today=date(2021, 6, 2), reason="撤回")

    t3 = t3_of(self_of(dept), 2021)

    assert (t3["一"]["total"], t3["三(七)"]["total"], t3["四"]["total"]) == (0, 0, 0)


def test_decided_but_undelivered_is_still_open(dept, clerk):
    app = make(dept, received=date(2021, 12, 20), by=clerk)
    services.act(app, Action.DECIDE, by=clerk, today=date(2021, 12, 30), decision=Decision.GRANT)

    t3 = t3_of(self_of(dept), 2021)

    assert (t3["三(七)"]["total"], t3["四"]["total"]) == (0, 1)


def test_transferred_application_counts_only_at_the_final_org(city, dept, other_dept, clerk):
    app = make(dept, received=date(2021, 3, 1), by=clerk)
    app = services.act(
        app, Action.TRANSFER, by=clerk, today=date(2021, 3, 2), to_org=other_dept, reason="职责"
    )
    services.act(app, Action.DECIDE, by=clerk, today=date(2021, 3, 10), decision=Decision.GRANT)
    services.act(
        app, Action.DELIVER, by=clerk, today=date(2021, 3, 10), delivered_on=date(2021, 3, 10)
    )

    first, final = t3_of(self_of(dept), 2021), t3_of(self_of(other_dept), 2021)
    whole = t3_of(statistics.scope_orgs(city, Scope.SUBTREE), 2021)

    assert (first["一"]["total"], first["三(七)"]["total"]) == (0, 0)
    assert (final["一"]["total"], final["三(一)"]["total"]) == (1, 1)
    assert (whole["一"]["total"], whole["三(一)"]["total"]) == (1, 1)


def test_subtree_adds_up_the_orgs_below_and_self_counts_the_org_alone(
    city, dept, other_dept, clerk
):
    make(city, received=date(2021, 3, 1), by=clerk)
    make(dept, received=date(2021, 3, 2), by=clerk, kind=ApplicantKind.COMMERCIAL)
    make(other_dept, received=date(2021, 3, 3), by=clerk)

    mine = t3_of(self_of(city), 2021)["一"]
    all_ = t3_of(statistics.scope_orgs(city, Scope.SUBTREE), 2021)["一"]

    assert (mine["person"], mine["commercial"], mine["total"]) == (1, 0, 1)
    assert (all_["person"], all_["commercial"], all_["total"]) == (2, 1, 3)


# --- Legacy figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "group"),
    (
        (Channel.IN_PERSON, "in_person"),
        (Channel.ONLINE, "online"),
        (Channel.EMAIL, "online"),
        (Channel.POST_SIGNED, "post"),
        (Channel.POST_PLAIN, "post"),
        (Channel.FAX, "fax"),
        (Channel.OTHER, "other"),
    ),
)
def test_req_4_channels_map_to_the_seed_groups(channel, group):
    groups = {c: key for key, _, channels in statistics.LEGACY_CHANNELS for c in channels}

    assert groups[channel] == group


def test_every_outcome_has_one_legacy_reply_type():
    mapped = [d for _, _, decisions in statistics.LEGACY_REPLIES for d in decisions]

    assert sorted(mapped) == sorted(Decision)


def test_figures_count_channels_replies_topics_and_fees(dept, clerk):
    make(dept, received=date(2017, 3, 1), closed=date(2017, 3, 10), by=clerk)
    make(
        dept,
        received=date(2017, 3, 2),
        closed=date(2017, 3, 10),
        outcome=Decision.NOT_HELD,
        channel=Channel.EMAIL,
        by=clerk,
        description="请公开对本人作出的行政处罚决定书",
    )
    make(dept, received=date(2017, 3, 3), channel=Channel.POST_PLAIN, by=clerk)

    stats = statistics.collect(self_of(dept), 2017, root=dept)
    figures = {f.key: f.value for f in statistics.figures_for(stats)}

    assert [
        figures[f"applications.channel.{k}"] for k in ("in_person", "online", "post", "fax")
    ] == [
        1,
        1,
        1,
        0,
    ]
    assert (figures["applications.total"], figures["applications.closed"]) == (3, 2)
    assert (figures["replies.granted"], figures["replies.not_exist"]) == (1, 1)
    assert (
        figures["applications.topic.land_expropriation"],
        figures["applications.topic.law_enforcement"],
    ) == (2, 1)
    assert (figures["fees.collected"], figures["applications.carried_out"]) == (0, 1)


def test_timeliness_in_sql_agrees_with_the_rule_for_each_reply(dept, clerk):
    on_time = make(dept, received=date(2021, 3, 1), closed=date(2021, 3, 5), by=clerk)
    late = make(dept, received=date(2021, 3, 1), closed=date(2021, 5, 6), by=clerk)
    extended = make(dept, received=date(2021, 3, 1), by=clerk)
    services.act(
        extended,
        Action.EXTEND,
        by=clerk,
        today=date(2021, 3, 20),
        days=20,
        reason="需调阅档案",
        approved_by="公开办负责人",
        approved_on=date(2021, 3, 20),
        notified_via="电话",
    )
    services.act(
        extended, Action.DECIDE, by=clerk, today=date(2021, 4, 20), decision=Decision.GRANT
    )
    services.act(
        extended, Action.DELIVER, by=clerk, today=date(2021, 4, 20), delivered_on=date(2021, 4, 20)
    )

    counts = statistics.collect(self_of(dept), 2021, root=dept).timeliness
    each = [
        app_queries.timeliness(Application.objects.get(pk=a.pk)) for a in (on_time, late, extended)
    ]

    assert each == [Timeliness.ON_TIME, Timeliness.OVERDUE, Timeliness.EXTENDED_ON_TIME]
    assert counts == {"replied": 3, "on_time": 1, "extended": 1, "overdue": 1, "untimed": 0}


def test_fees_are_the_paid_fee_notices_of_the_year(dept, clerk):
    app = make(dept, received=date(2021, 3, 1), by=clerk)
    app = services.act(
        app,
        Action.FEE_NOTICE,
        by=clerk,
        today=date(2021, 3, 3),
        method="by_pages",
        pages=40,
        approved_by="公开办负责人",
        delivered_on=date(2021, 3, 3),
    )
    services.act(
        app, Action.RECORD_PAYMENT, by=clerk, today=date(2021, 3, 8), paid_on=date(2021, 3, 8)
    )

    assert statistics.collect(self_of(dept), 2021, root=dept).fees == Decimal("100.00")
    assert statistics.collect(self_of(dept), 2020, root=dept).fees == 0


# --- Queries ------------------------------------------------------------------------------------------------


def _queries(orgs, year, root) -> int:
    with CaptureQueriesContext(connection) as captured:
        statistics.collect(orgs, year, root=root)
    return len(captured)


def test_collect_runs_the_same_queries_for_one_or_many_applications(city, dept, other_dept, clerk):
    orgs = statistics.scope_orgs(city, Scope.SUBTREE)
    make(dept, received=date(2021, 3, 1), closed=date(2021, 3, 5), by=clerk)
    one = _queries(orgs, 2021, city)
    for n in range(6):
        make(other_dept, received=date(2021, 4, 1 + n), closed=date(2021, 4, 12), by=clerk)
        make(dept, received=date(2021, 5, 3), channel=Channel.EMAIL, by=clerk)
    many = _queries(orgs, 2021, city)

    assert one == many
