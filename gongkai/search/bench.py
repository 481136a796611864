"""`gongkai bench search` — full-text search on a generated corpus, against a LIKE scan.

Per database (``--database sqlite|postgres|both``) a child process (``python -m
gongkai.search.bench``) runs on a throwaway database — a temporary SQLite file, or a
throwaway PostgreSQL cluster (``gongkai.bench.intake.Cluster``, as ``bench report`` does) —
and prints one JSON object:

- build: ``--items`` documents of ~500 characters (``corpus.Corpus``: real policy words,
  place names, 文号, 索引号) generated in batches of 10,000 and written through the real
  backend's ``index()`` (one transaction per batch); items/s of the index writes alone
  (tokens + SQL), then FTS5 ``optimize`` / ``VACUUM ANALYZE``, and the database size;
- a fixed query set (2- and 4-character words, longer words, several words, punctuation
  and 文号, Latin/digits, an absent word; some with filters), each timed ``--runs`` times
  after one warm-up: the exact hit count, top-20 by relevance and top-20 by date (full
  ``search()`` calls, snippets included, no facets, ``exact_total=False``: the total is
  counted only as far as the page needs), count with facets, and the two top-20 once more
  with the exact total (what a result page showing "共 N 条" costs);
  SQLite loads with ``BULK_SQLITE`` (no fsync, FTS5 merges deferred to ``optimize``);
- the baseline: the same queries through the naive backend (``LIKE '%…%'`` on the stored
  normalised text), once each, and the recall check: the full-text count equals the LIKE
  count for every query;
- the peak RSS of the child process (the PostgreSQL server's memory is not included).

Goals from the issue, at 1,000,000 items: relevance top-20 p50 ≤ 10 ms and p99 ≤ 50 ms,
date top-20 p99 ≤ 10 ms, index build ≥ 5,000 items/s.
"""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import sys
import time

from django.core.management.base import CommandError

BATCH = 10_000
FILTERED = [
    ("拆迁", {"org_path": "/1/3/"}),
    ("低保", {"year": 2019}),
    ("社会保障卡", {"category": "land"}),
    ("征地补偿", {"validity": "valid"}),
    ("房屋征收 补偿", {"org_path": "/1/5/", "year": 2020}),
]
QUERIES = [
    *[(w, {}) for w in ("拆迁", "低保", "征地", "救助", "户籍", "防汛", "热线", "公示")],
    *[(w, {}) for w in ("征地补偿", "房屋征收", "社会保障", "安全生产", "乡村振兴", "信息公开")],
    *[(w, {}) for w in ("临时救助", "耕地保护", "社会保障卡", "北川羌族自治县", "最低生活保障")],
    ("国有土地上房屋征收", {}),
    *[(w, {}) for w in ("拆迁 补偿", "低保 绵阳市", "社会保障卡 就业创业", "征地补偿 三台县 资金")],
    *[
        (w, {})
        for w in ("补偿款应当在签订协议后", "绵府发〔2017〕12号", "2017-00012", "0816-2222222")
    ],
    *[(w, {}) for w in ("PM2.5", "12345热线", "不存在的词")],
    *FILTERED,
]
# SQLite bulk load (the throwaway database only): no fsync, a bigger page cache, FTS5 keeps
# 64 MB of pending postings per flush and does not merge segments while loading (the
# ``optimize`` after the build merges them all, timed as "finish").
BULK_SQLITE = [
    "PRAGMA synchronous=OFF",
    "PRAGMA cache_size=-262144",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 67108864)",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)",
]
BULK_SQLITE_END = [  # back to the defaults before ``optimize``
    "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 1048576)",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)",
]
GOALS = {  # at 1,000,000 items
    "relevance_p50_ms": 10.0,
    "relevance_p99_ms": 50.0,
    "date_p99_ms": 10.0,
    "build_items_per_s": 5000.0,
}


def add_arguments(parser) -> None:
    """Add this benchmark's options to its `gongkai bench search` sub-parser."""
    parser.add_argument(
        "--items", type=int, default=100_000, help="文档数 / documents (default 100000)"
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        default="both",
        help="临时 SQLite、临时 PostgreSQL 或两者 / throwaway SQLite, PostgreSQL or both",
    )
    parser.add_argument("--seed", type=int, default=42, help="随机种子 / seed")
    parser.add_argument(
        "--runs", type=int, default=5, help="每个查询计时次数 / timed runs per query"
    )
    parser.add_argument(
        "--like-every",
        type=int,
        default=1,
        help="每 K 个查询做一次 LIKE 对照 / the LIKE baseline on every K-th query (default 1: all)",
    )
    parser.add_argument(
        "--rank-window",
        type=int,
        default=None,
        help="按相关度排序的最新匹配数 / GONGKAI_SEARCH_RANK_WINDOW for the run (default: the"
        " setting's default)",
    )
    parser.add_argument(
        "--json", dest="as_json", action="store_true", help="输出一个 JSON 对象 / one JSON object"
    )


def run(options: dict, *, stdout, stderr) -> None:
    """Run the benchmark and print its figures; raise CommandError with a Chinese message."""
    from gongkai.bench import intake

    items, runs, like_every = options["items"], options["runs"], options["like_every"]
    if items < 100 or runs < 1 or like_every < 1:
        raise CommandError("--items 至少为 100，--runs、--like-every 至少为 1")
    databases = ["sqlite", "postgres"] if options["database"] == "both" else [options["database"]]
    if "postgres" in databases and intake.pg_bin() is None:
        raise CommandError("未找到 PostgreSQL（initdb）：apt-get install postgresql")
    quiet = options["as_json"]
    say = (lambda text: None) if quiet else (lambda text: stderr.write(f"==> {text}"))
    child = {"items": items, "seed": options["seed"], "runs": runs, "quiet": quiet}
    child["like_every"] = like_every
    if options.get("rank_window") is not None:
        if options["rank_window"] < 1:
            raise CommandError("--rank-window 至少为 1")
        child["rank_window"] = options["rank_window"]
    results = []
    for database in databases:
        try:
            results.append(_run_child(database, child, say, quiet))
        except intake.BenchError as error:
            raise CommandError(str(error)) from error
    if quiet:
        stdout.write(json.dumps({"runs": results, "goals_at_1m": GOALS}, ensure_ascii=False))
    else:
        stdout.write(table(results))


def _run_child(database: str, child: dict, say, quiet: bool) -> dict:
    from gongkai.bench import intake

    command = [sys.executable, "-m", "gongkai.search.bench", json.dumps(child)]
    return intake.run_on_throwaway_database(database, command, say=say, quiet=quiet, name="search")


# --- The child: build and measure on the configured database ------------------------------------


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _cpu_timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _size(connection) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = connection.settings_dict["NAME"]
    return sum(
        os.path.getsize(p) for p in (f"{name}", f"{name}-wal") if os.path.exists(p)
    )  # the WAL too: it holds pages not yet checkpointed


def build(items: int, seed: int, say) -> dict:
    from django.db import connection

    from gongkai.search import backend
    from gongkai.search.corpus import Corpus

    engine = backend()
    corpus = Corpus(seed)
    if connection.vendor == "sqlite":  # bulk-load settings of this throwaway database only
        with connection.cursor() as cursor:
            for sql in BULK_SQLITE:
                cursor.execute(sql)
    generate_s = index_s = index_cpu_s = 0.0
    chars = 0
    for start in range(1, items + 1, BATCH):
        n = min(BATCH, items + 1 - start)
        seconds, docs = _timed(lambda s=start, k=n: list(corpus.documents(k, start=s)))
        generate_s += seconds
        chars += sum(len(d.body) + len(d.title) for d in docs)
        seconds, cpu, _ = _cpu_timed(lambda d=docs: engine.index(d))
        index_s += seconds
        index_cpu_s += cpu
        if (start - 1) % (10 * BATCH) == 0 or start + n > items:
            say(f"{start + n - 1:,} / {items:,}: {(start + n - 1) / index_s:,.0f} items/s")
    finish_s = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE search_entry")
            cursor.execute("VACUUM ANALYZE search_pg")
            finish = "VACUUM ANALYZE"
        else:
            for sql in BULK_SQLITE_END:
                cursor.execute(sql)
            engine.optimize()
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finish = "FTS5 optimize + ANALYZE"
    finish_s = time.perf_counter() - finish_s
    return {
        "items": items,
        "mean_chars": round(chars / items),
        "generate_s": round(generate_s, 2),
        "index_s": round(index_s, 2),
        "build_items_per_s": round(items / index_s),
        # CPU time of this process only (on SQLite: all the work; on PostgreSQL: the client's)
        "build_items_per_cpu_s": round(items / index_cpu_s),
        "finish": finish,
        "finish_s": round(finish_s, 2),
        "build_with_finish_items_per_s": round(items / (index_s + finish_s)),
        "database_mb": round(_size(connection) / 2**20),
    }


def measure(runs: int, like_every: int, say) -> dict:
    from gongkai.search import Query, backend
    from gongkai.search.backends import NaiveBackend

    engine, naive = backend(), NaiveBackend()
    samples: dict[str, list[float]] = {
        "count": [], "relevance": [], "date": [], "facets": [],
        "relevance_exact": [], "date_exact": [],
    }  # fmt: skip
    cpu_samples: dict[str, list[float]] = {mode: [] for mode in samples}
    baseline: dict[str, list[float]] = {"count": [], "relevance": []}
    per_query = []
    recall_ok = compared = 0
    for n, (text, filters) in enumerate(QUERIES):
        modes = {
            "count": Query(text=text, limit=0, facets=False, **filters),
            # the top 20 (``exact_total=False``: the total is counted only up to a bound;
            # the exact count is the "count" mode)
            "relevance": Query(text=text, facets=False, exact_total=False, **filters),
            "date": Query(text=text, sort="date", facets=False, exact_total=False, **filters),
            "facets": Query(text=text, limit=0, facets=True, **filters),
            # the same top 20 with the exact total: what a page showing "共 N 条" costs
            "relevance_exact": Query(text=text, facets=False, **filters),
            "date_exact": Query(text=text, sort="date", facets=False, **filters),
        }
        row: dict = {"query": text, "filters": filters}
        for mode, query in modes.items():
            engine.search(query)  # warm-up
            times = []
            for _ in range(runs):
                seconds, cpu, result = _cpu_timed(lambda q=query: engine.search(q))
                times.append(seconds)
                cpu_samples[mode].append(cpu)
            samples[mode] += times
            row[f"{mode}_ms"] = _ms(statistics.median(times))
            if mode == "count":
                row["hits"] = result.total
        if n % like_every == 0:
            like_count_s, like = _timed(lambda q=modes["count"]: naive.search(q))
            like_rel_s, _ = _timed(lambda q=modes["relevance"]: naive.search(q))
            baseline["count"].append(like_count_s)
            baseline["relevance"].append(like_rel_s)
            row |= {
                "like_count_ms": _ms(like_count_s),
                "like_relevance_ms": _ms(like_rel_s),
                "like_hits": like.total,
            }
            compared += 1
            recall_ok += like.total == row["hits"]
        per_query.append(row)
        say(
            f"{text} {filters or ''}: {row['hits']:,} hits, relevance {row['relevance_ms']} ms,"
            f" date {row['date_ms']} ms, LIKE {row.get('like_count_ms', '-')} ms"
        )
    summary = {}
    for mode, values in samples.items():
        cpu = cpu_samples[mode]
        summary[mode] = {
            "p50_ms": _ms(statistics.median(values)),
            "p99_ms": _ms(_percentile(values, 99)),
            # CPU time of this process: on SQLite the whole query, whatever the machine's load
            "cpu_p50_ms": _ms(statistics.median(cpu)),
            "cpu_p99_ms": _ms(_percentile(cpu, 99)),
        }
    for mode, values in baseline.items():
        like_p50 = statistics.median(values)
        summary[mode] |= {
            "like_p50_ms": _ms(like_p50),
            "like_p99_ms": _ms(_percentile(values, 99)),
            # the LIKE p50 over the full-text p50 of the same (compared) queries
            "like_over_fulltext_p50": round(
                like_p50
                / statistics.median(
                    [r[f"{mode}_ms"] / 1000 for r in per_query if "like_count_ms" in r]
                ),
                1,
            ),
        }
    return {
        "queries": len(QUERIES),
        "runs_per_query": runs,
        "summary": summary,
        "recall": {"queries_equal_to_like": recall_ok, "queries": compared},
        "per_query": per_query,
    }


def child(options: dict) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from gongkai.search import backend
    from gongkai.search.backends import rank_window

    quiet = options["quiet"]
    if options.get("rank_window") is not None:
        from django.conf import settings

        settings.GONGKAI_SEARCH_RANK_WINDOW = options["rank_window"]

    def say(text: str) -> None:
        if not quiet:
            print(f"  -> {text}", file=sys.stderr, flush=True)

    call_command("migrate", "search", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = str(cursor.fetchone()[0])
    say(f"{connection.vendor} {version}: 建索引 / indexing {options['items']:,} items")
    load_before = os.getloadavg()[0]
    built = build(options["items"], options["seed"], say)
    say("查询 / queries")
    measured = measure(options["runs"], options.get("like_every", 1), say)
    return {
        "database": connection.vendor,
        "version": version,
        "backend": backend().name,
        "rank_window": rank_window(),
        "seed": options["seed"],
        "build": built,
        **measured,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        # the machine's 1-minute load average before the build and after the queries
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cpus": os.cpu_count(),
    }


def table(results: list[dict]) -> str:
    lines = []
    for r in results:
        b, s = r["build"], r["summary"]
        lines += [
            f"== {r['database']} {r['version']} ({r['backend']} backend):"
            f" {b['items']:,} items, ~{b['mean_chars']} characters each, seed {r['seed']},"
            f" rank window {r.get('rank_window', '-')}",
            f"   corpus generation {b['generate_s']} s (not part of the build rate)",
            f"   index build {b['index_s']} s = {b['build_items_per_s']:,} items/s"
            f" ({b['build_items_per_cpu_s']:,} per CPU-second of this process);"
            f" {b['finish']} {b['finish_s']} s (with it: {b['build_with_finish_items_per_s']:,}"
            f" items/s); database {b['database_mb']:,} MB",
            f"   {r['queries']} queries × {r['runs_per_query']} runs"
            f"       p50 ms    p99 ms  CPU p50   CPU p99   LIKE p50 ms  LIKE p99 ms  LIKE/fts",
        ]
        names = {
            "count": "hit count",
            "relevance": "top-20 by relevance",
            "date": "top-20 by date",
            "facets": "count + facets",
            "relevance_exact": "top-20 relevance + exact total",
            "date_exact": "top-20 date + exact total",
        }
        for mode, label in names.items():
            if mode not in s:
                continue
            m = s[mode]
            like = ""
            if "like_p50_ms" in m:
                like = (
                    f"{m['like_p50_ms']:>13.1f}{m['like_p99_ms']:>13.1f}"
                    f"{m['like_over_fulltext_p50']:>13}×"
                )
            lines.append(
                f"   {label:<34}{m['p50_ms']:>10.2f}{m['p99_ms']:>10.2f}"
                f"{m['cpu_p50_ms']:>9.2f}{m['cpu_p99_ms']:>10.2f}{like}"
            )
        rec = r["recall"]
        lines.append(
            f"   recall: full-text count = LIKE count in {rec['queries_equal_to_like']}"
            f" of {rec['queries']} queries"
        )
        lines.append(
            f"   peak RSS of the benchmark process: {r['peak_rss_mb']:,} MB;"
            f" load average {r['load_average'][0]} → {r['load_average'][1]} on {r['cpus']} CPUs"
        )
        lines.append(
            f"   {'query':<28}{'filters':<28}{'hits':>9}{'count':>9}{'rel':>9}{'date':>9}"
            f"{'facets':>9}{'LIKE':>10}  (ms, p50)"
        )
        for q in r["per_query"]:
            filters = ",".join(f"{k}={v}" for k, v in q["filters"].items())
            lines.append(
                f"   {q['query']:<28}{filters:<28}{q['hits']:>9,}{q['count_ms']:>9.2f}"
                f"{q['relevance_ms']:>9.2f}{q['date_ms']:>9.2f}{q['facets_ms']:>9.2f}"
                + (f"{q['like_count_ms']:>10.1f}" if "like_count_ms" in q else f"{'-':>10}")
            )
        goals = {
            "relevance_p50_ms": s["relevance"]["p50_ms"],
            "relevance_p99_ms": s["relevance"]["p99_ms"],
            "date_p99_ms": s["date"]["p99_ms"],
        }
        verdicts = [
            f"{k} {v} ≤ {GOALS[k]}: {'met' if v <= GOALS[k] else 'NOT met'}"
            for k, v in goals.items()
        ]
        rate = b["build_items_per_s"]
        verdicts.append(
            f"build {rate:,} ≥ {GOALS['build_items_per_s']:,.0f} items/s:"
            f" {'met' if rate >= GOALS['build_items_per_s'] else 'NOT met'}"
        )
        lines.append(
            f"   goals (set for 1,000,000 items; this run has {b['items']:,}): "
            + "; ".join(verdicts)
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(child(json.loads(sys.argv[1])), ensure_ascii=False))
