"""Done when: `gongkai monitor check` on the farm finds every injected fault and nothing else
(issue 6; MON-5, MON-6, MON-10). The farm is served by nginx, as in the benchmark."""

import io
import json
from datetime import date

import pytest

from gongkai.monitor import check
from gongkai.monitor.crawl import Budget
from gongkai.monitor.farm import FAULT_KINDS, Farm

TODAY = date(2026, 11, 26)
BUDGET = Budget.fast(timeout=0.5)


@pytest.fixture(scope="module")
def farm():
    with Farm(sites=3, pages=80, today=TODAY) as served:
        yield served


@pytest.fixture(scope="module")
def checked(farm):
    return [
        (site, check.check_site(site["url"], allow_private=True, budget=BUDGET, today=TODAY))
        for site in farm.manifest["sites"]
    ]


def test_check_finds_every_broken_link_and_nothing_else(checked):
    for site, summary in checked:
        expected = {
            (fault["url"], fault["found_on"], fault["status"])
            for kind in FAULT_KINDS
            for fault in site["faults"][kind]
        }

        found = {
            (link["url"], link["found_on"], link["status"]) for link in summary["broken_links"]
        }

        assert found == expected


@pytest.mark.parametrize(
    ("kind", "error"),
    (("slow", "timeout"), ("failing", ""), ("broken_internal", "")),
)
def test_check_tells_fault_kinds_apart(checked, kind, error):
    for site, summary in checked:
        errors = {link["url"]: link["error"] for link in summary["broken_links"]}

        assert {errors[fault["url"]] for fault in site["faults"][kind]} == {error}


def test_check_finds_stale_and_blank_columns_mon_10(checked):
    for site, summary in checked:
        stale = sorted(column["url"] for column in summary["stale_columns"])
        blank = sorted(column["url"] for column in summary["blank_columns"])

        assert (stale, blank) == (site["faults"]["stale_columns"], site["faults"]["blank_columns"])


def test_check_reads_every_column_of_gbk_sites(checked):
    for site, summary in checked:
        names = [column["name"] for column in summary["columns"]]

        assert names == ["要闻动态", "通知公告", "政策文件", "部门动态", "人事信息", "规划计划"], (
            site["encoding"]
        )


def test_check_homepage_available_and_no_veto(checked):
    for _site, summary in checked:
        assert summary["homepage"]["ok"] is True
        assert summary["veto"] == []  # fewer than 5 stale or blank columns: no MON-10 veto


def test_check_run_prints_json(farm):
    stdout, stderr = io.StringIO(), io.StringIO()
    options = {
        "url": farm.site_urls[0],
        "allow_private": True,
        "fast": True,
        "as_json": True,
        "today": TODAY.isoformat(),
    }

    code = check.run(options, stdout=stdout, stderr=stderr)

    data = json.loads(stdout.getvalue())
    assert code == 0
    assert {
        "broken_links",
        "stale_columns",
        "blank_columns",
        "availability",
        "veto",
        "score",
    } <= set(data)
    assert {"url", "found_on", "status"} <= set(data["broken_links"][0])


def test_check_run_prints_chinese_summary(farm):
    stdout, stderr = io.StringIO(), io.StringIO()
    options = {"url": farm.site_urls[0], "allow_private": True, "fast": True, "today": "2026-11-26"}

    code = check.run(options, stdout=stdout, stderr=stderr)

    text = stdout.getvalue()
    assert code == 0
    assert text.startswith(f"网站检查：{farm.site_urls[0]}（监测时间点 2026-11-26）\n首页：可访问")
    assert "空白栏目 1 个：" in text


@pytest.mark.parametrize(
    ("url", "allow_private", "message"),
    (
        ("http://127.0.0.1:9/", False, "未检查：拒绝访问内网或保留地址：127.0.0.1\n"),
        ("http://10.0.0.1/", True, "未检查：拒绝访问内网或保留地址：10.0.0.1\n"),
        ("http://[::1]:9/", False, "未检查：拒绝访问内网或保留地址：::1\n"),
        ("http://localhost:9/", False, "未检查：拒绝访问内网或保留地址：localhost\n"),
        (
            "http://169.254.169.254/latest/",
            True,
            "未检查：拒绝访问内网或保留地址：169.254.169.254\n",
        ),
    ),
)
def test_check_run_refuses_private_addresses_with_exit_2(url, allow_private, message):
    stdout, stderr = io.StringIO(), io.StringIO()

    code = check.run({"url": url, "allow_private": allow_private}, stdout=stdout, stderr=stderr)

    assert (code, stderr.getvalue(), stdout.getvalue()) == (2, message, "")
