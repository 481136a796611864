"""The headline of issue 4: the seed's city, built through the services, reports the seed's figures.

The city is built once for this module (about 100 s on SQLite: 457 applications and 76
appeals, every step through ``services.act`` with its letters and audit entries) inside a
transaction that is rolled back at the end.
"""

import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import transaction

from gongkai.applications.models import Application, Topic
from gongkai.applications.rules import suggest_topic
from gongkai.audit.models import Entry
from gongkai.audit.services import verify
from gongkai.orgs.models import Org
from gongkai.reports import buildcli, builder, legacy_demo, services
from gongkai.reports.models import Report
from gongkai.reports.tables import Finding, Scope, Style

# The seed's own sentences (full-width punctuation, spaces of the web copy removed).
SEED_CHANNELS = (
    "全市各级各部门共受理依申请政府信息公开456件（其中：当面申请272件，占59.6%；"
    "网络在线填报申请122件，占26.8%；信函邮寄申请59件，占12.9%；传真申请3件，占0.7%）。"
)
SEED_APPEALS = (
    "全市收到关于政府信息公开行政复议51件，其中：维持具体行政行为26件，被依法纠错2件，"
    "其他情形23件。提起行政诉讼25件，其中：维持具体行政行为和驳回原告诉讼请求22件，被依法纠错3件。"
)
SEED_FEES = "2017年全市政府信息公开无收费和减免。"
SEED_PUBLISHED = (
    "2017年全市各级各部门以网站为主要渠道主动公开政府信息327899条（其中：概况信息6850条；"
    "计划总结信息3942条；规范性文件信息2315条；工作动态信息107363条；"
    "公选公招、人事任免、公务员考录等人事信息3865条；财政信息5904条；行政执法信息25754条；"
    "其他信息171906条）。"
)


@pytest.fixture(scope="module")
def mianyang(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = legacy_demo.build_mianyang_2017()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def city(mianyang, db):
    return Org.objects.get(name="绵阳市人民政府")


@pytest.fixture
def report(city):
    return builder.build_annual_report(city, 2017, style=Style.LEGACY, scope=Scope.SUBTREE)


def figures(report) -> dict:
    return {f.key: f.value for f in report.figures}


def paragraphs(report) -> list[str]:
    return [p for section in report.sections for p in section.paragraphs]


def test_mianyang_2017_counts_the_seed_applications_by_channel(mianyang, report):
    got = figures(report)

    assert (mianyang.applications, got["applications.total"]) == (456, 456)
    assert [got[f"applications.channel.{k}"] for k in ("in_person", "online", "post", "fax")] == [
        272,
        122,
        59,
        3,
    ]
    assert [
        got[f"applications.channel.{k}.share"] for k in ("in_person", "online", "post", "fax")
    ] == [Decimal("59.6"), Decimal("26.8"), Decimal("12.9"), Decimal("0.7")]


def test_mianyang_2017_states_the_seed_sentences(report):
    assert {SEED_CHANNELS, SEED_APPEALS, SEED_FEES, SEED_PUBLISHED} <= set(paragraphs(report))


def test_mianyang_2017_topics_lead_with_land_demolition_then_enforcement(report):
    assert (
        "申请公开的内容多数涉及土地征收、房屋征收/拆迁、行政执法，其次是劳动就业、社会保障等事项。"
        in paragraphs(report)
    )


def test_mianyang_2017_replies_add_up_and_nothing_was_charged(report):
    got = figures(report)
    types = [got[k] for k in builder.REPLY_PARTS]

    assert sum(types) == got["applications.closed"] == 456 - got["applications.carried_out"]
    assert got["applications.closed"] == sum(got[k] for k in builder.CLOSED_PARTS)
    assert (got["fees.collected"], got["applications.overdue"]) == (0, 0)
    assert got["applications.extended"] > 0 and got["replies.granted"] > 100


def test_mianyang_2017_appeals_are_the_seed_outcomes(report):
    got = figures(report)

    assert [got[f"reconsideration.{k}"] for k in ("total", "maintained", "corrected", "other")] == [
        51,
        26,
        2,
        23,
    ]
    assert [got[f"litigation.{k}"] for k in ("total", "maintained", "corrected", "other")] == [
        25,
        22,
        3,
        0,
    ]


def test_mianyang_2017_rounding_down_gives_the_seed_reply_rate(city):
    half_up = builder.build_annual_report(city, 2017, style=Style.LEGACY, scope=Scope.SUBTREE)
    down = builder.build_annual_report(
        city, 2017, style=Style.LEGACY, scope=Scope.SUBTREE, rounding="down"
    )

    assert figures(half_up)["mailbox.reply_rate"] == Decimal("96.5")
    assert figures(down)["mailbox.reply_rate"] == Decimal("96.4")
    assert figures(down)["applications.channel.online.share"] == Decimal("26.7")


def test_mianyang_2017_draft_finds_exactly_the_seed_inconsistencies(mianyang, city):
    draft = Report.objects.get(pk=mianyang.report_id)

    assert [(f.rule, f.severity, f.stated, f.expected) for f in services.findings(draft)] == [
        ("RPT-24", "error", "3848", "3806"),
        ("RPT-25", "error", "6.28%", "6.42%"),
    ]
    assert services.findings(draft)[0] == Finding(
        "RPT-24",
        "error",
        "分项和不等于总数：1113+768+1925=3806，文中总数为3848",
        row="政务微信、微博发布政务资讯、服务信息",
        stated="3848",
        expected="3806",
        quote="政务微信、微博全年发布政务资讯、服务信息3848条。其中，重大活动、政务工作类1113条，"
        "新政宣传、政策解读类768条，工作进展、经验交流类1925条。",
    )


def test_mianyang_2017_late_fax_belongs_to_2018(city):
    following = builder.build_annual_report(city, 2018, style=Style.LEGACY, scope=Scope.SUBTREE)

    assert figures(following)["applications.total"] == 1
    assert figures(following)["applications.carried_in"] == 12


def test_mianyang_2017_is_made_through_the_services(mianyang, db):
    submitted = Entry.objects.filter(action="applications.submit").count()

    assert submitted == Application.objects.count() == 457
    assert Entry.objects.filter(action="reports.set_figure").count() == mianyang.figures
    assert verify() is None


def test_mianyang_2017_builds_once(mianyang, db):
    again = legacy_demo.build_mianyang_2017()

    assert again == legacy_demo.Built(created=False)
    assert Application.objects.count() == 457


def test_report_build_cli_prints_the_seed_shares(mianyang, db):
    out, err = io.StringIO(), io.StringIO()
    options = {
        "org": "绵阳市人民政府",
        "year": "2017",
        "style": "legacy",
        "scope": "subtree",
        "format": "json",
        "output": None,
    }

    code = buildcli.handle(options, out, err)
    data = json.loads(out.getvalue())
    shares = {f["key"]: f["value"] for f in data["figures"] if f["key"].endswith(".share")}

    assert code == 0
    assert data["title"] == "绵阳市2017年政府信息公开工作年度报告"
    assert [
        shares[f"applications.channel.{k}.share"] for k in ("in_person", "online", "post", "fax")
    ] == [
        "59.6",
        "26.8",
        "12.9",
        "0.7",
    ]
    assert "2处数据不一致" in err.getvalue()


def test_run_profile_names_the_known_profiles(mianyang, db):
    out = io.StringIO()

    legacy_demo.run_profile("mianyang-2017", out)

    assert "已存在" in out.getvalue()
    with pytest.raises(CommandError, match="mianyang-2017"):
        legacy_demo.run_profile("beijing-2030", out)


# --- Without the module's city ------------------------------------------------------------------------


def test_every_description_picks_its_topic(db):
    topics = [(t.code, t.keyword_list()) for t in Topic.objects.filter(active=True)]

    picked = {
        code: {suggest_topic(text, topics) or "" for text in descriptions}
        for code, (_, _, descriptions) in legacy_demo.TOPICS.items()
    }

    assert picked == {code: {code} for code in legacy_demo.TOPICS}


def test_demo_plan_has_the_seed_total_and_topics_in_the_order_the_seed_names():
    plans = legacy_demo._plans(random.Random(1))
    counts = {code: n for code, (n, _, _) in legacy_demo.TOPICS.items()}

    assert len(plans) == 456
    assert sorted(counts, key=lambda code: -counts[code])[:5] == [
        "land_expropriation",
        "housing_demolition",
        "law_enforcement",
        "employment",
        "social_security",
    ]
