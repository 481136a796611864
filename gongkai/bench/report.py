"""Scale benchmark of the annual reports (issue 4 §8): a province's data, built every way.

``gongkai bench report`` starts, per database, a child process on a throwaway database (a
temporary SQLite file, or a throwaway PostgreSQL cluster from ``intake``) that runs
``gongkai bench report-run``: migrate, generate, measure, print one JSON object.

The generator bypasses the services on purpose: it is bulk data, written with bulk inserts
(``executemany`` in batches of 10,000 on SQLite, ``COPY`` on PostgreSQL), no audit rows, no
per-row encryption (one ciphertext, computed once, in every row), no deadline calculation
(``base_due_date`` is receipt + 28 days). It writes

- an org tree: 1 province → up to 20 cities → counties, and departments under every
  government, with correct ``path``/``depth``;
- applications over two years (the report year and the one before), spread over orgs
  (Pareto weights), channels, applicant kinds and outcomes; ~1 % still awaiting
  confirmation (no 收到申请之日), ~90 % of the rest closed with a ``Decision`` outcome;
- "published items": the catalog app does not exist yet, so these are the reports'
  external figures (``ExternalFigure`` rows ``published.*`` per org, adding up to the
  requested number of items) — counts, not 10,000,000 rows.

Measured: ``build_annual_report`` for one city (subtree scope), for the province (subtree,
the whole data set) and for every org (self scope; stopped after ``--budget`` seconds and
extrapolated, marked as a sample), against the floor: one plain aggregate SQL scan
``SELECT org_id, applicant_kind, outcome, count(*) … GROUP BY`` of the year's applications.
"""

import json
import math
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from gongkai.bench import intake

# intake's throwaway-PostgreSQL helpers (``Cluster``, ``pg_bin``, ``server_env``) are reused
# as they are; they are module-level names of that module, not a published API.
BenchError = intake.BenchError

BATCH = 10_000
PREFIX = "性能测试省"
CHANNEL_WEIGHTS = {
    "online": 55,
    "in_person": 15,
    "post_signed": 12,
    "post_plain": 5,
    "email": 8,
    "fax": 1,
    "other": 4,
}
KIND_WEIGHTS = {
    "person": 88,
    "commercial": 6,
    "research": 1,
    "public_interest": 1,
    "legal_service": 2,
    "other_org": 2,
}
OUTCOME_WEIGHTS = {
    "grant": 30,
    "already_public": 18,
    "partial": 8,
    "not_held": 14,
    "not_responsible": 6,
    "needs_creation": 2,
    "still_unclear": 1,
    "deny_state_secret": 1,
    "deny_law_prohibits": 1,
    "deny_security_stability": 1,
    "deny_third_party": 3,
    "deny_internal_affairs": 1,
    "deny_process_info": 2,
    "deny_enforcement_file": 1,
    "special_access_route": 1,
    "petition": 3,
    "repeated": 2,
    "publication": 1,
    "excessive": 1,
    "confirm_or_reissue": 1,
    "abandoned_no_correction": 2,
    "abandoned_no_payment": 1,
    "other": 2,
}
WITHDRAWN_OR_ABANDONED = {"abandoned_no_correction", "abandoned_no_payment", "other"}
PUBLISHED_SPLIT = {  # share of an org's published items per category; "other" takes the rest
    "published.overview": 0.05,
    "published.plans": 0.05,
    "published.normative": 0.04,
    "published.news": 0.45,
    "published.personnel": 0.06,
    "published.finance": 0.10,
    "published.enforcement": 0.15,
}
TOPICS = ("土地征收", "房屋征收", "行政执法", "财政资金", "社会保障", "环境保护", "规划建设")


@dataclass
class Options:
    orgs: int = 2000
    applications: int = 1_000_000
    published: int = 10_000_000
    year: int = 2025
    budget: float = 120.0  # seconds for the every-org builds before extrapolating
    seed: int = 42


# --- The child: generate and measure on the configured database --------------------------------


def tree_shape(n: int) -> tuple[int, int]:
    """(cities, counties per city) for ``n`` orgs; every other org is a department."""
    cities = max(1, min(20, n // 100))
    per_city = max(0, min(6, (n - 1 - cities) // (cities * 15)))
    return cities, per_city


def generate_orgs(n: int, rng: random.Random) -> list[tuple[int, int]]:
    """Bulk-create the org tree; [(pk, depth)] in creation order, the province first."""
    from django.db import connection
    from django.db.models import Max

    from gongkai.orgs.enums import Kind, Level
    from gongkai.orgs.models import Org

    if n < 3:
        raise BenchError("--orgs 至少为 3（省、市、部门）")
    next_pk = (Org.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    rows: list[Org] = []

    def add(name: str, level: str, kind: str, parent: Org | None) -> Org:
        nonlocal next_pk
        path = f"{parent.path if parent else '/'}{next_pk}/"
        org = Org(
            pk=next_pk,
            name=name,
            short_name=name[:40],
            level=level,
            kind=kind,
            parent=parent,
            sort=len(rows),
            path=path,
            depth=path.count("/") - 2,
        )
        next_pk += 1
        rows.append(org)
        return org

    cities, per_city = tree_shape(n)
    province = add(f"{PREFIX}人民政府", Level.PROVINCE, Kind.GOVERNMENT, None)
    governments = [province]
    for c in range(1, cities + 1):
        city = add(f"{PREFIX}第{c}市人民政府", Level.CITY, Kind.GOVERNMENT, province)
        governments.append(city)
        for k in range(1, per_city + 1):
            name = f"{PREFIX}第{c}市第{k}县人民政府"
            governments.append(add(name, Level.COUNTY, Kind.GOVERNMENT, city))
    d = 0
    while len(rows) < n:
        government = governments[d % len(governments)]
        d += 1
        name = f"{government.name.removesuffix('人民政府')}第{d}部门"
        add(name, government.level, Kind.DEPARTMENT, government)
    Org.objects.bulk_create(rows, batch_size=BATCH)
    _reset_sequences(connection, [Org])
    return [(org.pk, org.depth) for org in rows]


def _reset_sequences(connection, models) -> None:
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), models)
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def _choices(weights: dict[str, int]) -> tuple[list[str], list[float]]:
    total, cum = 0.0, []
    for w in weights.values():
        total += w
        cum.append(total)
    return list(weights), cum


def application_rows(
    n: int, year: int, org_ids: list[int], org_weights: list[float], topic_ids: list[int], rng
):
    """Yield (columns, batches of row tuples); values are text/ints/None, both databases."""
    from django.db import connection

    from gongkai.applications.models import Application
    from gongkai.lib.crypto import encrypt

    postgres = connection.vendor == "postgresql"
    id_enc = encrypt("51070319900101123X")  # one ciphertext for every row (bulk data)
    phone_enc = encrypt("13800000000")
    now = f"{year}-12-31 12:00:00" + ("+00" if postgres else "")
    constants = {
        "code_hash": "0" * 64,
        "oral": False,
        "confirmed_via": "bench",
        "regime": "2019",
        "applicant_name": "性能测试申请人",
        "id_type": "resident_id",
        "id_number_enc": id_enc,
        "id_number_masked": "510703**********3X",
        "phone_enc": phone_enc,
        "phone_masked": "138****0000",
        "description": "性能测试生成的申请（批量数据）",
        "form_wanted": "electronic",
        "delivery": "online",
        "topic_confirmed": True,
        "extension_days": 0,
        "due_trace": "[]",
        "withheld": "[]",
        "checked_no_duty": False,
        "created_at": now,
        "updated_at": now,
    }
    varying = (
        "number", "org", "channel", "arrived_at", "confirmed_at", "received_on",
        "applicant_kind", "applicant_key", "topic", "stage", "clock_start", "base_due_date",
        "due_date", "outcome", "decided_on", "replied_on", "closed_on",
    )  # fmt: skip
    fields = [f for f in Application._meta.concrete_fields if not f.primary_key]
    template: list = []
    for f in fields:
        if f.name in varying:
            template.append(None)
        elif f.name in constants:
            template.append(constants[f.name])
        elif f.null:
            template.append(None)
        elif f.has_default() and not callable(f.default):
            template.append(f.default)
        else:
            template.append("")
    position = {f.name: i for i, f in enumerate(fields)}
    columns = [f.column for f in fields]
    pos = [position[name] for name in varying]

    channels, channel_cum = _choices(CHANNEL_WEIGHTS)
    kinds, kind_cum = _choices(KIND_WEIGHTS)
    outcomes, outcome_cum = _choices(OUTCOME_WEIGHTS)
    org_cum, total = [], 0.0
    for w in org_weights:
        total += w
        org_cum.append(total)
    first = date(year - 1, 1, 1)
    span = (date(year, 12, 31) - first).days + 1
    days = [(first + timedelta(days=i)).isoformat() for i in range(span + 80)]
    tz = "+00" if postgres else ""
    random_ = rng.random
    choices = rng.choices

    def batches():
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            orgs = choices(org_ids, cum_weights=org_cum, k=size)
            chans = choices(channels, cum_weights=channel_cum, k=size)
            akinds = choices(kinds, cum_weights=kind_cum, k=size)
            outs = choices(outcomes, cum_weights=outcome_cum, k=size)
            batch = []
            for j in range(size):
                i = done + j
                r = int(random_() * span)
                received = days[r]
                row = template.copy()
                pending = random_() < 0.01
                closed = not pending and random_() < 0.9
                outcome = outs[j] if closed else ""
                closed_on = days[r + 1 + int(random_() * 40)] if closed else None
                replied = closed and outcome not in WITHDRAWN_OR_ABANDONED
                values = (
                    f"B{year % 100:02d}{i:010d}",
                    orgs[j],
                    chans[j],
                    f"{received} 01:00:00{tz}",
                    None if pending else f"{received} 01:30:00{tz}",
                    None if pending else received,
                    akinds[j],
                    f"{int(random_() * 200_000):064d}",
                    topic_ids[i % len(topic_ids)] if topic_ids and i % 10 < 7 else None,
                    "pending_confirmation"
                    if pending
                    else ("replied" if replied else "closed")
                    if closed
                    else "received",
                    None if pending else received,
                    None if pending else days[r + 28],
                    None if pending else days[r + 28],
                    outcome,
                    closed_on if replied else None,
                    closed_on if replied else None,
                    closed_on,
                )
                for p, v in zip(pos, values, strict=True):
                    row[p] = v
                batch.append(tuple(row))
            done += size
            yield batch

    return columns, batches()


def insert_applications(columns: list[str], batches) -> int:
    from django.db import connection, transaction

    from gongkai.applications.models import Application

    table = Application._meta.db_table
    n = 0
    with transaction.atomic():
        raw = connection.connection
        if connection.vendor == "postgresql":
            names = ", ".join(f'"{c}"' for c in columns)
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row)
                    n += len(batch)
        else:
            # The load only: a large page cache keeps the eleven indexes' pages in memory
            # (the default 2 MB thrashes at a million rows). Measurements use the default.
            (cache_size,) = raw.execute("PRAGMA cache_size").fetchone()
            raw.execute("PRAGMA cache_size = -1000000")
            # Bulk-load practice: drop the secondary indexes, insert, build them again (inside
            # the same transaction, counted in the generator's time). The unique ``number``
            # index stays and still checks every row.
            indexes = raw.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = ? AND sql IS NOT NULL",
                [table],
            ).fetchall()
            for name, _ in indexes:
                raw.execute(f'DROP INDEX "{name}"')
            names = ", ".join(f'"{c}"' for c in columns)
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
            for batch in batches:
                raw.executemany(sql, batch)
                n += len(batch)
            for _, sql in indexes:
                raw.execute(sql)
            raw.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return n


def published_figures(orgs: list[int], weights: list[float], total: int, year: int) -> int:
    """``published.*`` external figures per org adding up to ``total`` items; rows written."""
    from django.utils import timezone

    from gongkai.reports.external import FIGURES
    from gongkai.reports.models import ExternalFigure

    scale = total / sum(weights)
    shares = [math.floor(w * scale) for w in weights]
    shares[0] += total - sum(shares)  # the remainder to the province
    entered = timezone.now()
    rows = []
    for org, items in zip(orgs, shares, strict=True):
        parts = {key: math.floor(items * share) for key, share in PUBLISHED_SPLIT.items()}
        parts["published.other"] = items - sum(parts.values())
        parts["published.total"] = items
        for key, value in parts.items():
            rows.append(
                ExternalFigure(
                    org_id=org,
                    year=year,
                    key=key,
                    value=value,
                    unit=FIGURES[key][1],
                    source="性能测试生成（批量数据）",
                    entered_at=entered,
                )
            )
    ExternalFigure.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def generate(options: Options, say: Callable[[str], None]) -> dict:
    from gongkai.applications.models import Topic

    rng = random.Random(options.seed)
    result: dict = {}
    start = time.perf_counter()
    orgs = generate_orgs(options.orgs, rng)
    result["orgs_s"] = round(time.perf_counter() - start, 2)
    say(f"{len(orgs)} 个机关 / orgs in {result['orgs_s']} s")

    topics = [
        Topic.objects.get_or_create(code=f"bench{i}", defaults={"name": f"{name}（性能测试）"})[
            0
        ].pk
        for i, name in enumerate(TOPICS)
    ]
    org_ids = [pk for pk, _ in orgs]
    # Skewed like real caseloads: governments near the top get more, a few departments a lot.
    weights = [rng.paretovariate(1.3) * (4 if depth <= 1 else 1) for _, depth in orgs]

    start = time.perf_counter()
    columns, batches = application_rows(
        options.applications, options.year, org_ids, weights, topics, rng
    )
    n = insert_applications(columns, batches)
    seconds = time.perf_counter() - start
    result |= {
        "applications": n,
        "applications_s": round(seconds, 2),
        "applications_rows_per_s": round(n / seconds) if seconds else 0,
    }
    say(f"{n} 件申请 / applications in {seconds:.1f} s ({n / seconds:,.0f} rows/s)")

    start = time.perf_counter()
    result["external_figure_rows"] = published_figures(
        org_ids, weights, options.published, options.year
    )
    result["figures_s"] = round(time.perf_counter() - start, 2)
    return result


def analyze() -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round(time.perf_counter() - start, 2)


FLOOR_SQL = (
    "SELECT org_id, applicant_kind, outcome, count(*) FROM applications_application"
    " WHERE received_on BETWEEN %s AND %s GROUP BY org_id, applicant_kind, outcome"
)


def floor(year: int) -> tuple[float, int]:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [date(year, 1, 1), date(year, 12, 31)])
        rows = cursor.fetchall()
    return time.perf_counter() - start, len(rows)


def counts(root, year: int) -> dict[str, int]:
    """What is in the database, by plain SQL (for the checks)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orgs_org WHERE path LIKE %s", [f"{root.path}%"])
        orgs = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM applications_application a JOIN orgs_org o ON o.id = a.org_id"
            " WHERE o.path LIKE %s",
            [f"{root.path}%"],
        )
        applications = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM applications_application a JOIN orgs_org o ON o.id = a.org_id"
            " WHERE o.path LIKE %s AND a.received_on BETWEEN %s AND %s",
            [f"{root.path}%", date(year, 1, 1), date(year, 12, 31)],
        )
        received = cursor.fetchone()[0]
        cursor.execute(
            "SELECT coalesce(sum(f.value), 0) FROM reports_externalfigure f"
            " JOIN orgs_org o ON o.id = f.org_id"
            " WHERE o.path LIKE %s AND f.year = %s AND f.key = 'published.total'",
            [f"{root.path}%", year],
        )
        published = int(cursor.fetchone()[0])
    return {
        "orgs": orgs,
        "applications": applications,
        "received_in_year": received,
        "published_items": published,
    }


def measure(options: Options, say: Callable[[str], None]) -> dict:
    from gongkai.orgs.enums import Kind, Level
    from gongkai.orgs.models import Org
    from gongkai.reports.builder import build_annual_report
    from gongkai.reports.tables import Scope

    year = options.year
    root = Org.objects.get(name=f"{PREFIX}人民政府")
    city = Org.objects.filter(parent=root, level=Level.CITY, kind=Kind.GOVERNMENT).first()
    orgs = list(Org.objects.filter(path__startswith=root.path).order_by("pk"))

    floor(year)  # warm-up: the page cache holds the table for every measurement below
    floor_s, groups = floor(year)
    say(f"floor (GROUP BY, {groups} groups): {floor_s:.3f} s")

    def timed(org, scope):
        start = time.perf_counter()
        report = build_annual_report(org, year, scope=scope)
        return time.perf_counter() - start, report

    city_s, _ = timed(city, Scope.SUBTREE)
    say(f"一个市（含下级）/ one city, subtree: {city_s:.3f} s")
    province_s, report = timed(root, Scope.SUBTREE)
    say(f"全省（含下级）/ the province, subtree: {province_s:.3f} s")

    order = orgs[:]
    random.Random(options.seed).shuffle(order)
    start, built = time.perf_counter(), 0
    for org in order:
        build_annual_report(org, year, scope=Scope.SELF)
        built += 1
        if time.perf_counter() - start > options.budget and built < len(order):
            break
    elapsed = time.perf_counter() - start
    sample = built < len(order)
    every_s = elapsed / built * len(order)
    say(
        f"每个机关 / every org, self: {built} built in {elapsed:.1f} s"
        + (
            f" — 样本，外推 / SAMPLE, extrapolated to {len(order)}: {every_s:.1f} s"
            if sample
            else ""
        )
    )

    def line(what, seconds, **extra):
        ratio = round(seconds / floor_s, 1)
        return {"what": what, "seconds": round(seconds, 4), "x_floor": ratio} | extra

    return {
        "timings": [
            line("floor: one GROUP BY scan of the year", floor_s, groups=groups),
            line(f"one city, subtree ({city.name})", city_s),
            line("the province, subtree (all data)", province_s),
            line(
                "every org, self scope",
                every_s,
                orgs=len(order),
                built=built,
                measured_s=round(elapsed, 2),
                sample=sample,
                per_org_ms=round(elapsed / built * 1000, 2),
            ),
        ],
        "check": {
            "root_t3_new_total": report.tables.t3["一"]["total"],
            "root_published_total": next(
                (f.value for f in report.figures if f.key == "published.total"), None
            ),
        },
        "root": root,
    }


def run_here(options: Options, say: Callable[[str], None]) -> dict:
    """Migrate, generate and measure on the database of this process's settings."""
    from django.core.management import call_command
    from django.db import connection

    say(f"迁移 / migrate ({connection.vendor})")
    call_command("migrate", interactive=False, verbosity=0)
    generated = generate(options, say)
    generated["analyze_s"] = analyze()
    measured = measure(options, say)
    root = measured.pop("root")
    found = counts(root, options.year)
    measured["check"] |= {
        "root_sql_received_in_year": found["received_in_year"],
        "root_sql_published_items": found["published_items"],
    }
    return {
        "database": connection.vendor,
        "server_version": _version(connection),
        "requested": asdict(options),
        "size": found | {"external_figure_rows": generated["external_figure_rows"]},
        "generate": generated,
        **measured,
    }


def _version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


# --- The parent: throwaway databases, one child each ------------------------------------------


def child_args(options: Options) -> list[str]:
    return [
        "--orgs", str(options.orgs), "--applications", str(options.applications),
        "--published", str(options.published), "--year", str(options.year),
        "--budget", str(options.budget), "--seed", str(options.seed),
    ]  # fmt: skip


def run_one(database: str, options: Options, say: Callable[[str], None], quiet: bool) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench-report."))
    cluster = None
    try:
        url = ""
        if database == "postgres":
            cluster = intake.Cluster(workdir)
            say(f"启动临时 PostgreSQL / throwaway PostgreSQL on {intake.HOST}:{cluster.port}")
            cluster.start()
            url = cluster.url
        else:
            say(f"临时 SQLite / throwaway SQLite in {workdir / 'data'}")
        env = intake.server_env(url, workdir / "data")
        command = [sys.executable, "-m", "gongkai.cli", "bench", "report-run", *child_args(options)]
        result = subprocess.run(
            [*command, *(["--quiet"] if quiet else [])],
            env=env,
            cwd=intake.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if quiet else None,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = (result.stderr or "").strip()[-2000:]
            raise BenchError(f"{database} 测试进程失败（{result.returncode}）：{tail}")
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def run_all(options: Options, databases: list[str], *, say=lambda text: None, quiet=False):
    if "postgres" in databases and intake.pg_bin() is None:
        raise BenchError("未找到 PostgreSQL（initdb）：apt-get install postgresql")
    return [run_one(database, options, say, quiet) for database in databases]


NOTE = (
    "published items = ExternalFigure rows published.* per org (the catalog app does not exist"
    " yet): {items:,} items as {rows:,} figure rows, not one row per item."
)


def table(runs: list[dict]) -> str:
    lines = []
    for run in runs:
        size, gen = run["size"], run["generate"]
        lines += [
            f"== {run['database']} {run['server_version']}: {size['orgs']:,} orgs,"
            f" {size['applications']:,} applications ({size['received_in_year']:,} received in"
            f" {run['requested']['year']}), {size['published_items']:,} published items",
            f"   generator (bulk, bypasses services): applications {gen['applications_s']} s"
            f" = {gen['applications_rows_per_s']:,} rows/s; orgs {gen['orgs_s']} s;"
            f" figures {gen['figures_s']} s; ANALYZE {gen['analyze_s']} s",
            f"   {'measured':<40} {'seconds':>10} {'× floor':>9}",
        ]
        for t in run["timings"]:
            what = t["what"].split(" (")[0]
            line = f"   {what:<40} {t['seconds']:>10.3f} {t['x_floor']:>9}"
            if "built" in t:
                line += f"   {t['orgs']:,} orgs, {t['per_org_ms']} ms each"
                if t["sample"]:
                    line += f" — SAMPLE of {t['built']:,} builds, extrapolated"
            lines.append(line)
        lines.append(
            "   " + NOTE.format(items=size["published_items"], rows=size["external_figure_rows"])
        )
    return "\n".join(lines)


def child_say(quiet: bool) -> Callable[[str], None]:
    if quiet:
        return lambda text: None
    return lambda text: print(f"  -> {text}", file=sys.stderr, flush=True)
