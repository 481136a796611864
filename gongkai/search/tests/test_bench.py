"""``gongkai bench search``: behaviour only (what is built, measured and checked), never timings."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.search.bench import QUERIES


def test_bench_search_builds_measures_and_checks_recall_against_like():
    """The real command, tiny, on a throwaway SQLite in a child process."""
    out = StringIO()

    call_command(
        "bench", "search", "--items", "300", "--database", "sqlite", "--runs", "1",
        "--rank-window", "7", "--json", stdout=out,
    )  # fmt: skip

    (run,) = json.loads(out.getvalue())["runs"]
    assert (run["database"], run["backend"], run["rank_window"]) == ("sqlite", "sqlite", 7)
    assert run["build"]["items"] == 300
    assert run["queries"] == len(QUERIES) == len(run["per_query"])
    assert run["recall"] == {"queries_equal_to_like": len(QUERIES), "queries": len(QUERIES)}
    assert set(run["summary"]) == {
        "count", "relevance", "date", "facets", "relevance_exact", "date_exact",
    }  # fmt: skip
    absent = next(q for q in run["per_query"] if q["query"] == "不存在的词")
    assert absent["hits"] == absent["like_hits"] == 0


def test_bench_search_refuses_a_window_below_one():
    with pytest.raises(CommandError, match="--rank-window 至少为 1"):
        call_command("bench", "search", "--items", "300", "--rank-window", "0")
