"""The veto and staleness rules against the T-MON vectors (RULES.zh.md §11) and MON-3…22."""

from datetime import UTC, date, datetime, timedelta

import pytest

from gongkai.monitor.crawl.result import ColumnObservation, CrawlResult, LinkCheck, Probe
from gongkai.monitor.indicators import load
from gongkai.monitor.rules import (
    Letter,
    add_months,
    classify_column,
    evaluate_crawl,
    propose_columns,
)

TODAY = date(2017, 12, 31)
SITE = "http://site.example/"


def probes(total: int, failed: int, *, days: int = 7) -> list[Probe]:
    """``total`` probes spread evenly over the ``days`` up to TODAY (Shanghai), ``failed`` of them failing."""
    start = datetime(2017, 12, 25, 0, 0, tzinfo=UTC) - timedelta(hours=8)  # 12-25 00:00 CST
    step = timedelta(days=days) / total
    return [
        Probe(
            at=start + step * i,
            ok=i >= failed,
            status=200 if i >= failed else None,
            latency_ms=800.0,
            error="" if i >= failed else "timeout",
        )
        for i in range(total)
    ]


def fresh(url="http://site.example/news/", name="要闻", day=TODAY) -> ColumnObservation:
    return ColumnObservation(url=url, name=name, entries=1, dates=[day], newest=day)


def crawl(columns=(), links=()) -> CrawlResult:
    now = datetime(2017, 12, 31, 4, tzinfo=UTC)
    return CrawlResult(
        site_url=SITE, started=now, finished=now, columns=list(columns), links=list(links)
    )


# T-MON-1 (MON-8): 7 days × 48 = 336 probes, 17 / 16 failed; 400 probes, 20 failed.
@pytest.mark.parametrize(
    ("total", "failed", "percent", "veto"),
    (
        (336, 17, "5.06%", True),
        (336, 16, "4.76%", False),
        (400, 20, "5.00%", True),  # exactly 5% vetoes (含)
    ),
)
def test_t_mon_1_unavailability_of_5_percent_or_more_vetoes(total, failed, percent, veto):
    ev = evaluate_crawl(crawl([fresh()]), today=TODAY, probes=probes(total, failed))
    assert ev.availability["total"] == total
    assert ev.availability["failed"] == failed
    assert ev.availability["percent"] == percent
    assert ("MON-8" in ev.veto) is veto


def test_mon_8_a_probe_of_15_seconds_counts_as_a_failure():
    series = probes(336, 0)
    for probe in series[:17]:
        probe.latency_ms = 15000.0
    ev = evaluate_crawl(crawl([fresh()]), today=TODAY, probes=series)
    assert ev.veto == ["MON-8"]
    assert ev.flag == "ZOMBIE"  # MON-22


def test_mon_8_a_single_failed_probe_is_reported_but_never_vetoes():
    ev = evaluate_crawl(crawl([fresh()]), today=TODAY, probes=probes(1, 1, days=1))
    assert ev.veto == []
    assert [f.kind for f in ev.findings if f.rule == "MON-8"] == ["notice"]


def stale_news(n):
    return [fresh(f"http://site.example/n{i}/", "部门动态", date(2017, 12, 16)) for i in range(n)]


def stale_policy(n):
    return [fresh(f"http://site.example/p{i}/", "政策文件", date(2017, 6, 29)) for i in range(n)]


# T-MON-2 (MON-10 (1)): stale news (2 weeks) + stale policy (6 months), cumulative ≥ 5.
@pytest.mark.parametrize(
    ("news", "policy", "veto"),
    (
        (3, 2, True),  # 5 → 否决
        (2, 2, False),  # 4 → 不否决
        (4, 0, False),
        (0, 5, True),
    ),
)
def test_t_mon_2_five_stale_news_or_policy_columns_veto(news, policy, veto):
    ev = evaluate_crawl(crawl([fresh(), *stale_news(news), *stale_policy(policy)]), today=TODAY)
    assert ("MON-10" in ev.veto) is veto
    assert len(ev.stale_columns) == news + policy


@pytest.mark.parametrize(
    ("newest", "stale"),
    (
        (date(2017, 12, 17), False),  # 14 days before: still inside 2 weeks
        (date(2017, 12, 16), True),
        (None, True),  # MON-5: undated entries count as not updated
    ),
)
def test_mon_10_news_period_is_two_weeks_inclusive(newest, stale):
    column = ColumnObservation(
        url="http://site.example/x/",
        name="工作动态",
        entries=3,
        dates=[newest, None, None],
        newest=newest,
    )
    ev = evaluate_crawl(crawl([fresh(), column]), today=TODAY)
    assert [c["url"] for c in ev.stale_columns] == (["http://site.example/x/"] if stale else [])


@pytest.mark.parametrize(
    ("newest", "stale"),
    ((date(2017, 6, 30), False), (date(2017, 6, 29), True)),  # 6 calendar months back: 06-30
)
def test_mon_10_policy_period_is_six_calendar_months(newest, stale):
    ev = evaluate_crawl(
        crawl([fresh(), fresh("http://site.example/p/", "通知公告", newest)]), today=TODAY
    )
    assert bool(ev.stale_columns) is stale


def test_mon_10_2019_counts_only_level_one_policy_columns():
    kinds = {f"http://site.example/p{i}/": {"kind": "NOTICE_POLICY", "level": 2} for i in range(5)}
    cols = [fresh(), *stale_policy(5)]
    assert (
        "MON-10"
        not in evaluate_crawl(
            crawl(cols), today=TODAY, indicators=load("MON_2019"), column_kinds=kinds
        ).veto
    )
    assert (
        "MON-10"
        in evaluate_crawl(
            crawl(cols), today=TODAY, indicators=load("MON_2015"), column_kinds=kinds
        ).veto
    )


@pytest.mark.parametrize(("blank", "veto"), ((4, False), (5, True)))
def test_mon_10_five_blank_columns_veto(blank, veto):
    columns = [fresh()] + [
        ColumnObservation(url=f"http://site.example/b{i}/", name="办事指南", entries=0)
        for i in range(blank)
    ]
    ev = evaluate_crawl(crawl(columns), today=TODAY)
    assert len(ev.blank_columns) == blank
    assert ("MON-10" in ev.veto) is veto


@pytest.mark.parametrize(("stale", "veto"), ((9, False), (10, True)))
def test_mon_10_ten_columns_not_updated_as_required_veto(stale, veto):
    kinds = {f"http://site.example/r{i}/": {"kind": "PERSONNEL_PLAN"} for i in range(stale)}
    columns = [fresh()] + [
        fresh(f"http://site.example/r{i}/", "人事信息", date(2016, 12, 1)) for i in range(stale)
    ]
    ev = evaluate_crawl(crawl(columns), today=TODAY, column_kinds=kinds)
    assert ("MON-10" in ev.veto) is veto


def test_mon_10_historical_topic_columns_are_not_judged():
    kinds = {"http://site.example/n0/": {"kind": "NEWS", "historical": True}}
    ev = evaluate_crawl(crawl([fresh(), *stale_news(1)]), today=TODAY, column_kinds=kinds)
    assert ev.stale_columns == []


@pytest.mark.parametrize(
    ("newest", "veto"),
    ((date(2017, 12, 17), False), (date(2017, 12, 16), True)),
)
def test_mon_9_homepage_not_updated_for_two_weeks_vetoes(newest, veto):
    ev = evaluate_crawl(crawl([fresh(day=newest)]), today=TODAY)
    assert ("MON-9" in ev.veto) is veto
    assert ev.flag == ("SLEEPING" if veto else "")


def test_mon_22_sleeping_twice_is_zombie():
    ev = evaluate_crawl(crawl([fresh(day=date(2017, 1, 1))]), today=TODAY, sleeping_before=True)
    assert ev.flag == "ZOMBIE"


# T-MON-3 (MON-12): received 2017-01-10, answered 2017-04-11, point 2017-12-31 → veto.
@pytest.mark.parametrize(
    ("letters", "veto"),
    (
        ([Letter(date(2017, 1, 10), date(2017, 4, 11))], True),
        ([Letter(date(2017, 1, 10), date(2017, 4, 10))], False),  # exactly 3 months: on time
        ([Letter(date(2016, 10, 1), date(2017, 3, 1))], False),  # received before the window
        ([Letter(date(2017, 9, 30))], True),  # still unanswered at the point
        ([Letter(date(2017, 10, 1))], False),
        (date(2017, 9, 30), True),  # the interaction app's oldest_unanswered_valid()
        (None, False),
    ),
)
def test_t_mon_3_valid_letter_unanswered_over_three_months_vetoes(letters, veto):
    ev = evaluate_crawl(crawl([fresh()]), today=TODAY, mailbox=letters)
    assert ("MON-12" in ev.veto) is veto


def test_veto_leaves_no_score_and_deductions_come_from_the_yaml():
    links = [
        LinkCheck(url="http://site.example/gone", found_on=SITE, kind="page", status=404),
        LinkCheck(
            url="http://site.example/a.doc",
            found_on="http://site.example/p/",
            kind="attachment",
            status=None,
            error="timeout",
        ),
    ]
    ev = evaluate_crawl(crawl([fresh()], links), today=TODAY, indicators=load("MON_2015"))
    assert ev.veto == []
    # 1 broken homepage link (1), 1 other (0.1), 1 attachment (1), homepage updates < 10 (5)
    assert ev.score == 92.9
    assert evaluate_crawl(crawl([fresh(day=date(2017, 1, 1))]), today=TODAY).score is None


def test_unknown_columns_are_judged_strictly_and_say_so():
    ev = evaluate_crawl(
        crawl([fresh(), fresh("http://site.example/o/", "走进我局", date(2017, 6, 1))]), today=TODAY
    )
    assert ev.stale_columns[0]["kind"] == "NOTICE_POLICY"
    assert "从严" in ev.stale_columns[0]["assumed"]


@pytest.mark.parametrize(
    ("name", "kind"),
    (
        ("本地要闻", "NEWS"),
        ("部门动态", "NEWS"),
        ("通知公告", "NOTICE_POLICY"),
        ("规范性文件", "NOTICE_POLICY"),
        ("人事信息", "PERSONNEL_PLAN"),
        ("规划计划", "PERSONNEL_PLAN"),
        ("市长信箱", "CONSULT"),
        ("意见征集", "SURVEY"),
        ("在线访谈", "INTERVIEW"),
        ("网上信访", "PETITION"),
        ("纪检举报", "DISCIPLINE"),
        ("办事指南", "SERVICE"),
        ("走进我局", "OTHER"),
    ),
)
def test_mon_3_column_kind_from_name(name, kind):
    assert classify_column(name) == kind


def test_mon_3_columns_proposed_from_navigation():
    nav = [
        ("首页", "http://s/"),
        ("工作动态", "http://s/gzdt/"),
        ("专题专栏", "http://s/zt/"),
        ("工作动态", "http://s/gzdt/"),
    ]
    assert [(c["name"], c["kind"], c["historical"]) for c in propose_columns(nav)] == [
        ("工作动态", "NEWS", False),
        ("专题专栏", "OTHER", True),
    ]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    (
        (date(2017, 1, 10), 3, date(2017, 4, 10)),
        (date(2017, 11, 30), 3, date(2018, 2, 28)),
        (date(2017, 12, 31), -6, date(2017, 6, 30)),
    ),
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_a_finding_marked_false_positive_is_kept_but_not_counted():
    stale = crawl([fresh(day=date(2017, 1, 1))])
    first = evaluate_crawl(stale, today=TODAY)
    key = next(f.key for f in first.findings if f.rule == "MON-9")
    again = evaluate_crawl(stale, today=TODAY, dismissed={key})
    assert "MON-9" not in again.veto
    assert [f.dismissed for f in again.findings if f.rule == "MON-9"] == [True]
