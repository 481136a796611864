"""Compose and build: titles, preambles, sections, summaries, derived figures, narrative checks."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.orgs.enums import Kind, Level
from gongkai.orgs.models import Org
from gongkai.reports import builder, serialize, statistics
from gongkai.reports.serialize import SerializationError
from gongkai.reports.tables import (
    SECTIONS_2021,
    SECTIONS_LEGACY,
    Figure,
    Scope,
    Style,
    Tables,
)
from gongkai.reports.tests import test_statistics as records

# Shared fixtures (a conftest.py in this folder would be their natural home).
calendar, clerk, t_rpt_1, make = records.calendar, records.clerk, records.t_rpt_1, records.make

CITY = Org(
    name="绵阳市人民政府",
    short_name="绵阳市",
    kind=Kind.GOVERNMENT,
    level=Level.CITY,
    office_name="绵阳市政府信息公开办公室",
    office_address="绵阳市绵兴东路98号",
    office_postcode="621000",
    office_phone="0816-2530560",
)
DEPT = Org(name="绵阳市教育局", short_name="市教育局", kind=Kind.DEPARTMENT, level=Level.CITY)
COUNTY = Org(name="三台县人民政府", short_name="三台县", kind=Kind.GOVERNMENT)
DISTRICT = Org(name="涪城区人民政府", short_name="", kind=Kind.GOVERNMENT)
COUNTY_CITY = Org(name="江油市人民政府", short_name="江油市", kind=Kind.GOVERNMENT)


@pytest.mark.parametrize(
    ("org", "scope", "title", "subject", "short"),
    (
        (CITY, Scope.SUBTREE, "绵阳市2017年政府信息公开工作年度报告", "全市各级各部门", "全市"),
        (CITY, Scope.SELF, "绵阳市人民政府2017年政府信息公开工作年度报告", "本机关", "本机关"),
        (COUNTY, Scope.SUBTREE, "三台县2017年政府信息公开工作年度报告", "全县各级各部门", "全县"),
        (DISTRICT, Scope.SUBTREE, "涪城区2017年政府信息公开工作年度报告", "全区各级各部门", "全区"),
        (
            COUNTY_CITY,
            Scope.SUBTREE,
            "江油市2017年政府信息公开工作年度报告",
            "全市各级各部门",
            "全市",
        ),
        (
            DEPT,
            Scope.SUBTREE,
            "绵阳市教育局2017年政府信息公开工作年度报告",
            "本机关及所属单位",
            "本机关及所属单位",
        ),
        (DEPT, Scope.SELF, "绵阳市教育局2017年政府信息公开工作年度报告", "本机关", "本机关"),
    ),
)
def test_title_and_subject_follow_the_org_and_scope(org, scope, title, subject, short):
    assert builder.title(org, 2017, scope) == title
    assert builder.subjects(org, scope) == (subject, short)


def test_legacy_preamble_is_the_seed_sentence():
    assert builder.preamble(CITY, 2017, Style.LEGACY, Scope.SUBTREE) == [
        "依据《中华人民共和国政府信息公开条例》的规定，编制绵阳市2017年政府信息公开工作年度报告"
        "（以下简称《年报》）。《年报》电子版通过绵阳市人民政府门户网站等媒体全文公开，"
        "如有疑问请与绵阳市政府信息公开办公室联系（地址：绵阳市绵兴东路98号，邮编：621000，"
        "联系电话：0816-2530560）。"
    ]


@pytest.mark.parametrize(
    ("style", "document"),
    ((Style.F2021, "国办公开办函〔2021〕30号"), (Style.F2019, "国办公开办函〔2019〕60号")),
)
def test_national_preamble_states_the_period_rpt_3(style, document):
    (text,) = builder.preamble(DEPT, 2021, style, Scope.SELF)

    assert "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。" in text
    assert document in text


def channel_figures(counts: dict[str, int]) -> list[Figure]:
    return [Figure("applications.total", "受理", sum(counts.values()))] + [
        Figure(f"applications.channel.{key}", label, counts.get(key, 0))
        for key, label, _ in statistics.LEGACY_CHANNELS
    ]


SEED_COUNTS = {"in_person": 272, "online": 122, "post": 59, "fax": 3}


@pytest.mark.parametrize(
    ("rounding", "shares"),
    (
        ("half_up", ("59.6", "26.8", "12.9", "0.7")),  # T-RPT-2
        ("down", ("59.6", "26.7", "12.9", "0.6")),
    ),
)
def test_channel_sentence_states_shares_in_the_office_rounding(rounding, shares):
    report = builder.compose(
        CITY,
        2017,
        style=Style.LEGACY,
        scope=Scope.SUBTREE,
        tables=Tables(Style.LEGACY),
        figures=channel_figures(SEED_COUNTS),
        rounding=rounding,
    )

    assert report.sections[2].paragraphs[0] == (
        f"全市各级各部门共受理依申请政府信息公开456件（其中：当面申请272件，占{shares[0]}%；"
        f"网络在线填报申请122件，占{shares[1]}%；信函邮寄申请59件，占{shares[2]}%；"
        f"传真申请3件，占{shares[3]}%）。"
    )


def test_rounding_mode_comes_from_the_setting(settings):
    settings.GONGKAI_REPORT_ROUNDING = "down"

    assert builder.rounding_mode() == "down"
    assert builder.rounding_mode("half_up") == "half_up"
    with pytest.raises(ValueError, match="half_up 或 down"):
        builder.rounding_mode("bankers")


def test_derived_figures_are_recomputed_not_kept():
    stale = Figure(
        "applications.channel.fax.share", "传真申请占比", Decimal("99.9"), "%", "computed"
    )

    figures = builder.derive([*channel_figures({"in_person": 1, "fax": 1}), stale], "half_up")
    shares = {f.key: f.value for f in figures if f.key.endswith(".share")}

    assert shares["applications.channel.fax.share"] == Decimal("50.0")
    assert [f.source for f in figures if f.key.endswith(".share")] == ["computed"] * 5


def test_no_applications_is_said_plainly():
    report = builder.compose(
        CITY,
        2017,
        style=Style.LEGACY,
        scope=Scope.SUBTREE,
        tables=Tables(Style.LEGACY),
        figures=channel_figures({}),
    )

    assert report.sections[2].paragraphs == ["2017年全市各级各部门未收到政府信息公开申请。"]


def test_sections_follow_the_format_and_narrative_comes_after_the_summary():
    narrative = {"三、政府信息依申请公开情况": ["  工作人员写的一段。 ", ""]}

    legacy = builder.compose(
        CITY,
        2017,
        style=Style.LEGACY,
        scope=Scope.SUBTREE,
        tables=Tables(Style.LEGACY),
        figures=channel_figures({"in_person": 1}),
        narrative=narrative,
    )
    national = builder.compose(
        DEPT, 2021, style=Style.F2021, scope=Scope.SELF, tables=Tables(Style.F2021), figures=[]
    )

    assert [s.title for s in legacy.sections] == list(SECTIONS_LEGACY)
    assert legacy.sections[2].paragraphs[-1] == "工作人员写的一段。"
    assert [s.title for s in national.sections] == list(SECTIONS_2021)
    assert national.sections[0].paragraphs == list(builder.SUBHEADINGS_2021)


def test_2021_report_built_from_records_states_table_three(t_rpt_1, dept):
    report = builder.build_annual_report(dept, 2021, style=Style.F2021, scope=Scope.SELF)
    section = report.sections[2]

    assert report.tables.t3["三(七)"]["total"] == 13
    assert section.paragraphs[0] == (
        "本年本机关新收政府信息公开申请13件，其中自然人申请10件，法人或其他组织申请3件；"
        "上年结转2件。本年度办理结果13件：予以公开7件，占53.8%；部分公开1件；不予公开1件；"
        "无法提供2件；不予处理1件；其他处理1件。结转下年度继续办理2件。"
    )
    assert report.sections[5].paragraphs == ["本年度本机关未收取信息处理费。"]
    assert (
        "本年本机关新收政府信息公开申请13件，上年结转2件，本年度办理完结13件，结转下年度继续办理2件。"
        in report.sections[0].paragraphs
    )


def test_build_runs_the_same_queries_whatever_the_records(dept, clerk):
    with CaptureQueriesContext(connection) as empty:
        builder.build_annual_report(dept, 2021, style=Style.F2021)
    for day in range(1, 6):
        make(dept, received=date(2021, 3, day), closed=date(2021, 3, 20), by=clerk)

    with CaptureQueriesContext(connection) as filled:
        builder.build_annual_report(dept, 2021, style=Style.F2021)

    assert len(filled) == len(empty)


# --- What the summaries state ----------------------------------------------------------------------


def legacy_with(*figures: Figure, narrative=None):
    report = builder.compose(
        CITY,
        2017,
        style=Style.LEGACY,
        scope=Scope.SUBTREE,
        tables=Tables(Style.LEGACY),
        figures=list(figures),
        narrative=narrative,
    )
    return builder.narrative_findings(report, CITY, narrative)


def test_a_stated_total_is_checked_against_all_its_parts_rpt_24():
    posts = [
        Figure("newmedia.posts", "政务微信、微博发布", 3848, "条"),
        Figure("newmedia.activities", "重大活动", 1113, "条"),
        Figure("newmedia.policy", "政策解读", 768, "条"),
    ]

    assert legacy_with(*posts) == []  # a part missing: nothing to compare
    (finding,) = legacy_with(*posts, Figure("newmedia.progress", "经验交流", 1925, "条"))
    assert (finding.rule, finding.stated, finding.expected) == ("RPT-24", "3848", "3806")
    assert finding.quote.startswith("政务微信、微博全年发布政务资讯、服务信息3848条。")


def test_a_stated_rate_is_checked_against_its_counts_rpt_25():
    power = [
        Figure("power.items", "行权事项总数", 57816, "项"),
        Figure("power.online", "网上运行", 3709, "项"),
    ]

    (finding,) = legacy_with(
        *power, Figure("power.online_rate", "网上运行率", Decimal("6.28"), "%")
    )
    assert (finding.rule, finding.stated, finding.expected) == ("RPT-25", "6.28%", "6.42%")
    assert (
        legacy_with(*power, Figure("power.online_rate", "网上运行率", Decimal("6.42"), "%")) == []
    )


def test_sections_without_staff_text_are_warned_rpt_11():
    empty = legacy_with(narrative={})
    written = legacy_with(
        narrative={"一、概述": ["综述。"], "六、存在的主要问题及整改措施": ["问题。"]}
    )

    assert [(f.rule, f.severity, f.row) for f in empty] == [
        ("RPT-11", "warning", "一、概述"),
        ("RPT-11", "warning", "六、存在的主要问题及整改措施"),
    ]
    assert written == []


# --- JSON ---------------------------------------------------------------------------------------------


def test_json_round_trip_keeps_numbers_exact(t_rpt_1, dept):
    report = builder.build_annual_report(dept, 2021, style=Style.F2021)
    report.tables.t2["fees"]["amount"] = Decimal("12.3456")

    data = serialize.to_json(report)
    again = serialize.loads(serialize.dumps(report))

    assert again == report
    assert data["tables"]["t2"]["fees"]["amount"] == "12.3456"
    assert data["tables"]["t2"]["rules"]["made"] is None
    assert data["tables"]["t3"]["一"]["total"] == 13


@pytest.mark.parametrize("data", ({}, {"format": "other"}, {"format": serialize.FORMAT}))
def test_json_that_is_not_a_report_is_refused(data):
    with pytest.raises(SerializationError):
        serialize.from_json(data)


def test_table_two_of_the_trial_format_is_filled_and_stated_rpt_13():
    figures = [
        Figure("t2_2019.rules.new_made", "规章·本年新制作数量", 2),
        Figure("t2.licensing.decisions", "行政许可·本年处理决定数量", 1500),
        Figure("t2_2019.licensing.change", "行政许可·本年增/减", -3, "项"),
        Figure("t2_2019.procurement.amount", "政府集中采购·采购总金额", Decimal("88.5"), "万元"),
    ]
    t2 = statistics.table_two({f.key: f for f in figures}, Style.F2019)

    report = builder.compose(
        DEPT,
        2020,
        style=Style.F2019,
        scope=Scope.SELF,
        tables=Tables(Style.F2019, t2=t2),
        figures=figures,
    )

    assert [row for _, row, _, _ in statistics.T2_2019] == list(t2)
    assert (t2["licensing"], t2["procurement"]) == (
        {"prev_items": None, "change": -3, "decisions": 1500},
        {"count": None, "amount": Decimal("88.5")},
    )
    assert report.sections[1].paragraphs == [
        "本年本机关规章本年新制作2件；行政许可本年增/减-3项，本年处理决定1500件；"
        "政府集中采购采购总金额88.5万元。"
    ]
