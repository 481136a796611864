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
- published items: real catalog ``Item`` rows (ids assigned by the generator, no index
  sequences, no review rows, no search index — the report does not search) over the same two
  years and orgs, in the seed report's PUB-8 category proportions, ~0.5 % withdrawn and ~1 %
  依申请公开 (neither counts); the 规范性文件 category as 行政规范性文件 (one in twenty a 规章)
  with 成文日期, 实施日期 and validity (some 失效/废止 with 废止日期); plus a modest number of
  ``Distribution`` rows (微信, 微博 by the seed's three kinds, 英文网站) so that table 二 and
  the new-media figures come from the catalog as in production.

Measured: ``build_annual_report`` for one city (subtree scope), for the province (subtree,
the whole data set) and for every org (self scope; stopped after ``--budget`` seconds and
extrapolated, marked as a sample), against the floor: one plain aggregate SQL scan
``SELECT org_id, applicant_kind, outcome, count(*) … GROUP BY`` of the year's applications.
"""

import random
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import accumulate

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
# The seed report's published items by PUB-8 category (catalog.demo.SEED, 327 899 in all).
LEGACY_WEIGHTS = {
    "overview": 6850,
    "plans": 3942,
    "normative": 2315,
    "news": 107363,
    "personnel": 3865,
    "finance": 5904,
    "enforcement": 25754,
    "other": 171906,
}
# Per 1,000 items: posts on 微信 / 微博 (by the seed's kinds 1113:768:1925, and none), 英文网站.
NEWMEDIA_WEIGHTS = {"activities": 1113, "policy": 768, "progress": 1925, "": 42}
WECHAT_PER_MILLE, WEIBO_PER_MILLE, ENGLISH_PER_MILLE = 8, 5, 1
TOPICS = ("土地征收", "房屋征收", "行政执法", "财政资金", "社会保障", "环境保护", "规划建设")


# Measured here (2 cores): ~19,000 catalog items/s on SQLite with 2,000 orgs (2,000,000 in
# ~106 s, index rebuild included), so the default keeps generation under two minutes.
PUBLISHED_DEFAULT = 2_000_000
PUBLISHED_HELP = (
    "主动公开信息条数（目录 Item 行，批量生成；可更大，如 10000000）"
    f" / published items (catalog Item rows, bulk; default {PUBLISHED_DEFAULT:,}, larger allowed)"
)


@dataclass
class Options:
    orgs: int = 2000
    applications: int = 1_000_000
    published: int = PUBLISHED_DEFAULT
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


def row_template(model, constants: dict, varying: tuple[str, ...], *, with_pk: bool = False):
    """(columns, template row, positions of ``varying``) for bulk rows of ``model``: constants
    as given, otherwise NULL, the field's plain default, ``[]`` for a list default or ""."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
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
        elif f.has_default() and f.default is list:
            template.append("[]")
        else:
            template.append("")
    position = {f.name: i for i, f in enumerate(fields)}
    return [f.column for f in fields], template, [position[name] for name in varying]


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
    columns, template, pos = row_template(Application, constants, varying)

    channels, channel_cum = _choices(CHANNEL_WEIGHTS)
    kinds, kind_cum = _choices(KIND_WEIGHTS)
    outcomes, outcome_cum = _choices(OUTCOME_WEIGHTS)
    org_cum = list(accumulate(org_weights, initial=0.0))[1:]
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


def bulk_insert(model, columns: list[str], batches) -> int:
    """Insert batches of row tuples into ``model``'s table in one transaction: ``COPY`` on
    PostgreSQL; on SQLite ``executemany`` with the secondary indexes dropped and built again."""
    from django.db import connection, transaction

    table = model._meta.db_table
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
            # The load only: a large page cache keeps the indexes' pages in memory (the
            # default 2 MB thrashes at a million rows). Measurements use the default.
            (cache_size,) = raw.execute("PRAGMA cache_size").fetchone()
            raw.execute("PRAGMA cache_size = -1000000")
            # Bulk-load practice: drop the secondary indexes, insert, build them again (inside
            # the same transaction, counted in the generator's time). Unique constraints that
            # are not separate indexes (the applications' ``number``) stay and check every row.
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


def bench_author():
    """The one user every generated item names as its author."""
    from gongkai.orgs.models import User

    user, created = User.objects.get_or_create(
        username="bench_report", defaults={"full_name": "性能测试（批量数据）"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def item_rows(n: int, year: int, org_ids: list[int], org_weights: list[float], author: int, rng):
    """(columns, batches of ``Item`` rows with their ids, batches of ``Distribution`` rows).

    Both are generators over the same items: the distributions of a batch are ready once the
    batch's items have been made (the item generator must be consumed first)."""
    from django.db import connection
    from django.db.models import Max

    from gongkai.catalog.models import Distribution, Item

    postgres = connection.vendor == "postgresql"
    now = f"{year}-12-31 12:00:00" + ("+00" if postgres else "")
    body = "<p>性能测试生成的主动公开信息（批量数据）。</p>"
    constants = {
        "subject": "综合政务\\政务公开",
        "body_html": body,
        "body_text": "性能测试生成的主动公开信息（批量数据）。",
        "author": author,
        "findings": "[]",
        "late": False,
        "created_at": now,
        "updated_at": now,
    }
    varying = (
        "id", "org", "index_no", "title", "number", "formed_on", "published_on", "attribute",
        "kind", "validity", "effective_on", "repealed_on", "legacy_category", "art20",
        "title_en", "status", "withdrawn_on",
    )  # fmt: skip
    columns, template, pos = row_template(Item, constants, varying, with_pk=True)
    dist_columns, dist_template, dist_pos = row_template(
        Distribution, {}, ("item", "channel", "kind", "on")
    )
    first_pk = (Item.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    categories, category_cum = _choices(LEGACY_WEIGHTS)
    media_kinds, media_cum = _choices(NEWMEDIA_WEIGHTS)
    art20 = {"overview": 2, "plans": 3, "normative": 1, "personnel": 14, "finance": 7}
    art20 |= {"enforcement": 6}
    org_cum = list(accumulate(org_weights, initial=0.0))[1:]
    first = date(year - 1, 1, 1)
    span = (date(year, 12, 31) - first).days + 1
    days = [(first + timedelta(days=i)).isoformat() for i in range(-40, span + 400)]
    random_ = rng.random
    choices = rng.choices
    distributions: list[list[tuple]] = []

    def batches():
        done = normative = 0
        while done < n:
            size = min(BATCH, n - done)
            orgs = choices(org_ids, cum_weights=org_cum, k=size)
            cats = choices(categories, cum_weights=category_cum, k=size)
            batch, dists = [], []
            for j in range(size):
                i = done + j
                pk = first_pk + i
                r = 40 + int(random_() * span)  # index into ``days`` of the publication day
                published = days[r]
                formed = days[r - int(random_() * 30)]
                category = cats[j]
                row = template.copy()
                kind = validity = number = ""
                effective = repealed = withdrawn = None
                if category == "normative":
                    normative += 1
                    kind = "rule" if normative % 20 == 1 else "normative"
                    number = f"性能规〔{published[:4]}〕{normative}号"
                    effective = published
                    u = random_()
                    if u < 0.05:
                        validity, repealed = "repealed", days[r + 30 + int(random_() * 360)]
                    elif u < 0.15:
                        validity = "invalid"
                    else:
                        validity = "valid"
                status, attribute = "published", "active"
                u = random_()
                if u < 0.005:
                    status, withdrawn = "withdrawn", days[r + 1 + int(random_() * 60)]
                elif u < 0.015:
                    attribute = "on_request"
                english = i % 1000 < ENGLISH_PER_MILLE
                values = (
                    pk,
                    orgs[j],
                    f"BENCH/{published[:4]}-{i:010d}",
                    f"性能测试信息第{i}条",
                    number,
                    formed,
                    published,
                    attribute,
                    kind or "other",
                    validity,
                    effective,
                    repealed,
                    category,
                    art20.get(category, 15),
                    "Government information (bench)" if english else "",
                    status,
                    withdrawn,
                )
                for p, v in zip(pos, values, strict=True):
                    row[p] = v
                batch.append(tuple(row))
                if status != "published":
                    continue
                slot = i % 1000
                posts = []
                if english:
                    posts.append(("english", ""))
                if ENGLISH_PER_MILLE <= slot < ENGLISH_PER_MILLE + WECHAT_PER_MILLE:
                    posts.append(("wechat", choices(media_kinds, cum_weights=media_cum)[0]))
                if slot >= 1000 - WEIBO_PER_MILLE:
                    posts.append(("weibo", choices(media_kinds, cum_weights=media_cum)[0]))
                for channel, media_kind in posts:
                    dist = dist_template.copy()
                    for p, v in zip(dist_pos, (pk, channel, media_kind, published), strict=True):
                        dist[p] = v
                    dists.append(tuple(dist))
            distributions.append(dists)
            done += size
            yield batch

    return columns, batches(), dist_columns, distributions


def insert_items(n: int, year: int, org_ids, org_weights, rng) -> tuple[int, int]:
    """Bulk-insert ``n`` catalog items and their distributions; (items, distributions)."""
    from django.db import connection

    from gongkai.catalog.models import Distribution, Item

    columns, batches, dist_columns, distributions = item_rows(
        n, year, org_ids, org_weights, bench_author().pk, rng
    )
    items = bulk_insert(Item, columns, batches)
    _reset_sequences(connection, [Item])
    dists = bulk_insert(Distribution, dist_columns, (batch for batch in distributions))
    return items, dists


def generate(options: Options, say: Callable[[str], None]) -> dict:
    from gongkai.applications.models import Application, Topic

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
    n = bulk_insert(Application, columns, batches)
    seconds = time.perf_counter() - start
    result |= {
        "applications": n,
        "applications_s": round(seconds, 2),
        "applications_rows_per_s": round(n / seconds) if seconds else 0,
    }
    say(f"{n} 件申请 / applications in {seconds:.1f} s ({n / seconds:,.0f} rows/s)")

    start = time.perf_counter()
    items, dists = insert_items(options.published, options.year, org_ids, weights, rng)
    seconds = time.perf_counter() - start
    result |= {
        "items": items,
        "distributions": dists,
        "items_s": round(seconds, 2),
        "items_rows_per_s": round(items / seconds) if seconds else 0,
    }
    say(
        f"{items} 条主动公开信息 + {dists} 条发布渠道 / catalog items + distributions"
        f" in {seconds:.1f} s ({items / seconds if seconds else 0:,.0f} items/s)"
    )
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


# The checks' plain SQL counts under a root's path (``%(path)s``) in a year (``%(start)s`` …
# ``%(end)s``): name → FROM … WHERE of ``SELECT count(*)``.
IN_ORGS = " JOIN orgs_org o ON o.id = {}.org_id WHERE o.path LIKE %(path)s"
COUNTS = {
    "orgs": "orgs_org o WHERE o.path LIKE %(path)s",
    "applications": "applications_application a" + IN_ORGS.format("a"),
    "received_in_year": "applications_application a"
    + IN_ORGS.format("a")
    + " AND a.received_on BETWEEN %(start)s AND %(end)s",
    "items": "catalog_item i" + IN_ORGS.format("i"),
    "published_in_year": "catalog_item i"
    + IN_ORGS.format("i")
    + " AND i.status = 'published' AND i.attribute = 'active'"
    " AND i.published_on BETWEEN %(start)s AND %(end)s",
    "normative_made_in_year": "catalog_item i"
    + IN_ORGS.format("i")
    + " AND i.status = 'published' AND i.kind = 'normative'"
    " AND i.formed_on BETWEEN %(start)s AND %(end)s",
    "newmedia_posts_in_year": "catalog_distribution d JOIN catalog_item i ON i.id = d.item_id"
    + IN_ORGS.format("i")
    + " AND d.channel IN ('wechat', 'weibo') AND d.\"on\" BETWEEN %(start)s AND %(end)s",
}


def counts(root, year: int) -> dict[str, int]:
    """What is in the database, by plain SQL (for the checks)."""
    from django.db import connection

    params = {"path": f"{root.path}%", "start": date(year, 1, 1), "end": date(year, 12, 31)}
    out = {}
    with connection.cursor() as cursor:
        for name, source in COUNTS.items():
            cursor.execute(f"SELECT count(*) FROM {source}", params)
            out[name] = cursor.fetchone()[0]
    return out


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

    def figure(key: str):
        value = next((f.value for f in report.figures if f.key == key), None)
        return None if value is None else int(value)

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
            "root_published_total": figure("published.total"),
            "root_normative_made": figure("t2.normative.made"),
            "root_newmedia_posts": figure("newmedia.posts"),
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
        "root_sql_published_in_year": found["published_in_year"],
        "root_sql_normative_made": found["normative_made_in_year"],
        "root_sql_newmedia_posts": found["newmedia_posts_in_year"],
    }
    return {
        "database": connection.vendor,
        "server_version": _version(connection),
        "requested": asdict(options),
        "size": found | {"distributions": generated["distributions"]},
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
    command = [sys.executable, "-m", "gongkai.cli", "bench", "report-run", *child_args(options)]
    return intake.run_on_throwaway_database(
        database, [*command, *(["--quiet"] if quiet else [])], say=say, quiet=quiet, name="report"
    )


def run_all(options: Options, databases: list[str], *, say=lambda text: None, quiet=False):
    if "postgres" in databases and intake.pg_bin() is None:
        raise BenchError("未找到 PostgreSQL（initdb）：apt-get install postgresql")
    return [run_one(database, options, say, quiet) for database in databases]


NOTE = (
    "published items = real catalog Item rows ({items:,}; {published:,} active and published in"
    " the year, by PUB-8 category; 规章/行政规范性文件 with validity) and {dists:,} Distribution"
    " rows (微信/微博/英文); the report takes them from the catalog (reports.recorded →"
    " catalog.figures). No search index is built for them: the report does not search."
)


def table(runs: list[dict]) -> str:
    lines = []
    for run in runs:
        size, gen = run["size"], run["generate"]
        lines += [
            f"== {run['database']} {run['server_version']}: {size['orgs']:,} orgs,"
            f" {size['applications']:,} applications ({size['received_in_year']:,} received in"
            f" {run['requested']['year']}), {size['items']:,} published items",
            f"   generator (bulk, bypasses services): applications {gen['applications_s']} s"
            f" = {gen['applications_rows_per_s']:,} rows/s; catalog items {gen['items_s']} s"
            f" = {gen['items_rows_per_s']:,} rows/s; orgs {gen['orgs_s']} s;"
            f" ANALYZE {gen['analyze_s']} s",
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
            "   "
            + NOTE.format(
                items=size["items"],
                published=size["published_in_year"],
                dists=size["distributions"],
            )
        )
    return "\n".join(lines)


def child_say(quiet: bool) -> Callable[[str], None]:
    if quiet:
        return lambda text: None
    return lambda text: print(f"  -> {text}", file=sys.stderr, flush=True)
