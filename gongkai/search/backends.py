"""The backends: naive LIKE scan, SQLite FTS5, PostgreSQL tsvector — one Backend protocol.

All three keep the same table of documents (``search_entry``, model ``Entry``: filter fields,
title/body for hits, the normalised text); the full-text ones add their postings beside it
(``search_fts``, ``search_pg``) in the same database, so an index write is part of the
caller's transaction. Every write goes through ``index``/``remove``/``clear`` here.

A cluster engine (OpenSearch) would be a fourth class with the same five methods, writing
to the engine from ``index``/``remove`` (after commit, through an outbox table so a failed
call is retried) and answering ``search`` from it; ``backend()`` would pick it by
``GONGKAI_SEARCH_BACKEND = "opensearch"``. Not built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction

from gongkai.search import text as tx
from gongkai.search.api import Document, Hit, Query, Result

CHUNK = 500  # rows per statement batch (SQLite allows 32,766 parameters)
ENTRY_COLUMNS = (
    "id", "org_id", "org_path", "category", "year", "validity", "published",
    "title", "number", "index_no", "body", "text", "ntitle",
)  # fmt: skip
FACETS = ("org_id", "category", "year", "validity")


RANK_WINDOW = 1000  # default of settings.GONGKAI_SEARCH_RANK_WINDOW


def rank_window() -> int:
    """How many matches (the newest) relevance ranking reads at most; see ``_relevance``."""
    from django.conf import settings

    return int(getattr(settings, "GONGKAI_SEARCH_RANK_WINDOW", RANK_WINDOW))


TITLE_WEIGHT = 10.0  # a match in the title weighs as much as ten in the text
K1, B = 1.2, 0.75  # BM25's term-frequency saturation and length normalisation
MEAN_CHARS = 1000  # BM25's mean document length, fixed (a typical item, in characters)


def score(terms: list[tx.Term], ids: list[int]) -> list[tuple[int, float]]:
    """``ids`` (given newest first) ranked for ``terms``, as (id, score); ties stay newest
    first.

    Every backend ranks with this function, so the order is the same on each. The score is
    BM25 without its IDF factor: every document here contains every term (the query is an
    AND), so the IDF would only weigh the terms against each other, and computing it means
    reading every match of every term — the cost the rank window exists to avoid. Per term:
    ``TITLE_WEIGHT × sat(occurrences in the title) + sat(occurrences elsewhere)``, where
    ``sat(f) = f (K1 + 1) / (f + K1 (1 − B + B · characters / MEAN_CHARS))`` (the title
    part without the length factor). Occurrences are counted as the match rule finds them:
    the normalised term as a substring of the stored normalised text.
    """
    scores = {}
    for chunk in _chunks(ids, 1000):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, text FROM search_entry WHERE id IN ({_marks(len(chunk))})", chunk
            )
            rows = cursor.fetchall()
        for i, text in rows:
            title = text[: text.find(tx.FIELD_SEPARATOR)]  # ``text`` begins with the title
            norm = K1 * (1 - B + B * len(text) / MEAN_CHARS)
            total = 0.0
            for t in terms:
                in_title = title.count(t.text)
                elsewhere = text.count(t.text) - in_title
                total += TITLE_WEIGHT * in_title * (K1 + 1) / (in_title + K1)
                total += elsewhere * (K1 + 1) / (elsewhere + norm)
            scores[i] = round(total, 9)
    ranked = sorted((-scores[i], position, i) for position, i in enumerate(ids))
    return [(i, -negative) for negative, _, i in ranked]


def _clean(s: str) -> str:
    return (s or "").replace("\x00", "")


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


@dataclass
class Plan:
    """The FROM clause, WHERE conditions and parameters of one query (``e`` = the entries)."""

    source: str
    where: list[str]
    params: list
    filtered: bool  # any filter condition (org, category, year, validity)
    postings_only: bool = False  # the postings alone answer count and newest (PostgreSQL)

    def sql(self) -> str:
        return f" FROM {self.source}" + (" WHERE " + " AND ".join(self.where) if self.where else "")


class SqlBackend:
    """Shared work: the entry table, filters, facets, date order, ranking (``score``), hits."""

    name = "base"
    contains = "instr({col}, %s) > 0"  # substring test in SQL (PostgreSQL: strpos)
    date_order = "e.published DESC, e.id DESC"

    # --- writes ----------------------------------------------------------------------------

    def index(self, docs: Iterable[Document]) -> int:
        unique = {d.id: d for d in docs}  # the last version of an id wins
        # In the order of ``write_order``: FTS5 flushes its pending postings whenever a rowid
        # (a date key, see SqliteBackend) is lower than the previous one; sorted, it flushes
        # once per call.
        batch = sorted(unique.values(), key=lambda d: self.write_order(d.id, d.published))
        if not batch:
            return 0
        postgres = connection.vendor == "postgresql"
        with transaction.atomic(), connection.cursor() as cursor:
            for chunk in _chunks(batch):
                self._unindex(cursor, [d.id for d in chunk])
                rows, posts = [], []
                for d in chunk:
                    fields = [_clean(x) for x in (d.title, d.number, d.index_no, d.body)]
                    norm = [tx.normalize(x) for x in fields]
                    day = d.published
                    day = day.date() if isinstance(day, datetime) else day  # a datetime: its day
                    published = day if postgres else day.isoformat()
                    rows.append(
                        (
                            d.id, d.org_id, d.org_path, d.category or "", d.year,
                            d.validity or "", published, *fields,
                            tx.FIELD_SEPARATOR.join(norm), norm[0],
                        )
                    )  # fmt: skip
                    posts.append(
                        (
                            d.id,
                            published,
                            d.org_path,
                            d.category or "",
                            d.year,
                            d.validity or "",
                            *norm,
                        )
                    )
                cursor.executemany(
                    f"INSERT INTO search_entry ({', '.join(ENTRY_COLUMNS)})"
                    f" VALUES ({_marks(len(ENTRY_COLUMNS))})",
                    rows,
                )
                self._post(cursor, posts)
        return len(batch)

    def remove(self, ids: Iterable[int]) -> None:
        ids = list(dict.fromkeys(int(i) for i in ids))
        with transaction.atomic(), connection.cursor() as cursor:
            for chunk in _chunks(ids):
                self._unindex(cursor, chunk)

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            self._clear_postings(cursor)
            cursor.execute("DELETE FROM search_entry")

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_entry")
            return cursor.fetchone()[0]

    STORED = "id, published, org_path, category, year, validity, title, number, index_no, body"

    @staticmethod
    def write_order(doc_id: int, published):
        """The order in which ``index`` writes a batch (SQLite: ascending date keys)."""
        return (0, 0)

    def rebuild(self) -> int:
        """Recreate the postings from ``search_entry`` (after a change of ``text.tokens`` or
        of the date key), newest first (ascending date keys, see ``index``), a page at a
        time."""
        n, last = 0, ("9999-12-31", 2**62)
        with transaction.atomic(), connection.cursor() as cursor:
            self._clear_postings(cursor)
            while True:
                cursor.execute(
                    f"SELECT {self.STORED} FROM search_entry"
                    " WHERE published < %s OR (published = %s AND id < %s)"
                    " ORDER BY published DESC, id DESC LIMIT %s",
                    [last[0], last[0], last[1], CHUNK],
                )
                rows = cursor.fetchall()
                if not rows:
                    return n
                self._post(cursor, [(*r[:6], *map(tx.normalize, r[6:])) for r in rows])
                n, last = n + len(rows), (rows[-1][1], rows[-1][0])

    def _unindex(self, cursor, ids: list[int]) -> None:
        """Remove entries (and their postings) of ``ids`` if present."""
        self._drop_postings(cursor, ids)
        cursor.execute(f"DELETE FROM search_entry WHERE id IN ({_marks(len(ids))})", ids)

    def _post(self, cursor, rows: list[tuple]) -> None:
        """Write postings for rows (id, published, org_path, category, year, validity, title,
        number, index_no, body), the four texts normalised (``text.normalize``)."""

    def _drop_postings(self, cursor, ids: list[int]) -> None:
        """Delete the postings of ``ids`` (their entries still exist at this point)."""

    def _clear_postings(self, cursor) -> None: ...

    # --- reads -----------------------------------------------------------------------------

    def _plan(self, terms: list[tx.Term], query: Query, fwhere: list[str], fparams: list) -> Plan:
        """Documents containing all ``terms`` (possibly none) and passing the filters."""
        raise NotImplementedError

    def _relevance(self, terms, plan: Plan, total: int, limit: int, offset: int, newest=None):
        """Relevance order. Above ``rank_window()`` matches, only the newest ``window`` are
        ranked (they come first); the older ones follow newest first. This bounds the cost of
        a vague query (ranking reads every match); the order stays total and stable.
        ``newest``: the ids of the newest matches, newest first, when already fetched."""
        window = rank_window()
        if total <= window:
            candidates = newest if newest is not None else self._newest(terms, plan, None)
            return score(terms, candidates)[offset : offset + limit]
        ranked = []
        if offset < window:
            if newest is None or len(newest) < window:
                newest = self._newest(terms, plan, window)
            ranked = score(terms, newest[:window])[offset : offset + limit]
        if len(ranked) < limit:
            ranked += self._by_date(terms, plan, limit - len(ranked), max(offset, window))
        return ranked

    def _newest(self, terms, plan: Plan, limit: int | None) -> list[int]:
        """The ids of the newest ``limit`` matches (every match when None), newest first."""
        order = self.date_order if terms else SqlBackend.date_order
        return self._ids(f"SELECT e.id{plan.sql()} ORDER BY {order}", plan.params, limit)

    @staticmethod
    def _ids(sql: str, params: list, limit: int | None) -> list[int]:
        """The first column of ``sql``'s rows, at most ``limit`` of them (all when None)."""
        if limit is not None:
            sql, params = sql + " LIMIT %s", [*params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _by_date(self, terms, plan: Plan, limit: int, offset: int) -> list[tuple[int, float]]:
        order = self.date_order if terms else SqlBackend.date_order
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id{plan.sql()} ORDER BY {order} LIMIT %s OFFSET %s",
                [*plan.params, limit, offset],
            )
            return [(row[0], 0.0) for row in cursor.fetchall()]

    def _count(self, terms, plan: Plan) -> int:
        """The number of matches."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*)" + plan.sql(), plan.params)
            return cursor.fetchone()[0]

    @staticmethod
    def _filters(q: Query) -> tuple[list[str], list]:
        where, params = [], []
        if q.org_path:
            # Subtree: every path starting with the prefix, as an index range.
            where.append("e.org_path >= %s AND e.org_path < %s")
            params += [q.org_path, q.org_path[:-1] + chr(ord(q.org_path[-1]) + 1)]
        for name in ("category", "year", "validity"):
            value = getattr(q, name)
            if value is not None and value != "":
                where.append(f"e.{name} = %s")
                params.append(value)
        return where, params

    def search(self, query: Query) -> Result:
        terms, ignored = tx.parse(query.text)
        if not terms and ignored:
            return Result(total=0, hits=[], facets={}, ignored=ignored)
        fwhere, fparams = self._filters(query)
        if terms:
            plan = self._plan(terms, query, fwhere, fparams)
        else:
            plan = Plan("search_entry e", fwhere, fparams, bool(fwhere))
        limit, offset = max(0, query.limit), max(0, query.offset)
        facets: dict[str, dict[str, int]] = {}
        exact, newest = True, None
        if query.facets:
            total, facets = self._facets(plan)
        elif query.exact_total:
            total = self._count(terms, plan)
        else:  # enough to page and to choose the ranking (see ``_relevance``): the newest
            # matches up to a bound, which are also the date order's page and the rank window
            bound = offset + limit + 1
            if terms and query.sort == "relevance":
                bound = max(bound, rank_window() + 1)
            newest = self._newest(terms, plan, bound)
            total, exact = len(newest), len(newest) < bound
        if limit == 0 or total <= offset:
            ranked = []
        elif terms and query.sort == "relevance":
            ranked = self._relevance(terms, plan, total, limit, offset, newest)
        elif newest is not None:
            ranked = [(i, 0.0) for i in newest[offset : offset + limit]]
        else:
            ranked = self._by_date(terms, plan, limit, offset)
        hits = self._hits(ranked, terms)
        return Result(total, hits, facets=facets, ignored=ignored, total_is_exact=exact)

    @staticmethod
    def _facets(plan: Plan) -> tuple[int, dict[str, dict[str, int]]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.org_id, e.category, e.year, e.validity, count(*)"
                f"{plan.sql()} GROUP BY 1, 2, 3, 4",
                plan.params,
            )
            rows = cursor.fetchall()
        total = 0
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for *values, n in rows:
            total += n
            for name, value in zip(FACETS, values, strict=True):
                if value != "":
                    bucket = facets[name]
                    bucket[str(value)] = bucket.get(str(value), 0) + n
        ordered = {
            k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for k, v in facets.items()
        }
        return total, ordered

    @staticmethod
    def _hits(ranked: list[tuple[int, float]], terms: list[tx.Term]) -> list[Hit]:
        if not ranked:
            return []
        ids = [i for i, _ in ranked]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, title, body, published FROM search_entry"
                f" WHERE id IN ({_marks(len(ids))})",
                ids,
            )
            rows = {r[0]: r for r in cursor.fetchall()}
        hits = []
        for i, score in ranked:
            _, title, body, published = rows[i]
            if isinstance(published, str):
                published = date.fromisoformat(published)
            hits.append(
                Hit(
                    id=i,
                    score=float(score),
                    title_html=tx.highlight(title, terms),
                    snippet_html=tx.snippet(body, terms),
                    published=published,
                )
            )
        return hits

    def _contains(self, col: str, terms: list[tx.Term]) -> tuple[list[str], list]:
        return [self.contains.format(col=col) for _ in terms], [t.text for t in terms]


class NaiveBackend(SqlBackend):
    """``LIKE '%…%'`` over the normalised text (the benchmark's baseline)."""

    name = "naive"

    def __init__(self):
        if connection.vendor == "postgresql":
            self.contains = "strpos({col}, %s) > 0"

    def _plan(self, terms, query, fwhere, fparams):
        conds, params = [], []
        for t in terms:
            conds.append(r"e.text LIKE %s ESCAPE '\'")
            escaped = t.text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            params.append(f"%{escaped}%")
        return Plan("search_entry e", conds + fwhere, params + fparams, bool(fwhere))


ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
ID_OF_ROWID = f"({ID_MASK} - ({{}}rowid & {ID_MASK}))"  # the id in a date key (SqliteBackend)
DAY_MAX = date.max.toordinal()


class SqliteBackend(SqlBackend):
    """FTS5 (contentless, ``ascii`` tokenizer over pre-computed bigram tokens).

    The tokens are computed here (``text.tokens``), so the tokenizer only splits on spaces:
    ``ascii`` treats every non-ASCII character as part of a token, which keeps any CJK
    character (also those newer than the Unicode tables of ``unicode61``) and our tokens
    exactly as written. Contentless: deleting a row re-sends its tokens, recomputed from the
    stored entry (``rebuild()`` recreates everything from ``search_entry``).

    The FTS rowid is a date key that grows into the past, ``(date.max − published) << 32 |
    (2³² − 1 − id)`` (days, newest first, then the higher id first, as ``date_order`` of the
    other backends): FTS5 walks its postings in ascending rowid order, so "newest first"
    stops after the first ``limit`` matches instead of sorting all of them — and ascending
    is FTS5's cheaper direction (measured at 1,000,000 items: a third less time for a
    sparse phrase than descending). The id is ``ID_MASK − (rowid & ID_MASK)`` (ids < 2³²).
    """

    name = "sqlite"
    date_order = "search_fts.rowid"
    source = f"search_fts CROSS JOIN search_entry e ON e.id = {ID_OF_ROWID.format('search_fts.')}"

    @staticmethod
    def key(doc_id: int, published) -> int:
        if not 0 < doc_id <= ID_MASK:
            raise ValueError(f"search: id {doc_id} out of range (1 … 2³²-1)")
        if isinstance(published, str):
            published = date.fromisoformat(published)
        return (DAY_MAX - published.toordinal()) << ID_BITS | (ID_MASK - doc_id)

    write_order = key

    @staticmethod
    def filter_tokens(org_path=None, category=None, year=None, validity=None) -> list[str]:
        """Tokens of filter values, in the ``meta`` column (never in a phrase): a filter is
        then one more FTS5 term, intersected with the postings, instead of a lookup of every
        match in ``search_entry``. Private-use prefix + hex: never a text token."""
        out = []
        if org_path is not None:  # every ancestor path, the document's own included
            parts = org_path.split("/")
            for i in range(2, len(parts)):
                out.append("\ue010" + "/".join(parts[:i]).encode().hex())
        if category is not None:
            out.append("\ue011" + category.encode().hex())
        if year is not None:
            out.append(f"\ue012{year}")
        if validity is not None:
            out.append("\ue013" + validity.encode().hex())
        return out

    @classmethod
    def _row(cls, doc_id, published, org_path, category, year, validity, *texts):
        """(rowid, title tokens, other tokens, filter tokens) from normalised texts."""
        title, number, index_no, body = texts
        return (
            cls.key(doc_id, published),
            tx.token_string(title, normalized=True),
            tx.token_string(f"{number} {index_no} {body}", normalized=True),
            " ".join(cls.filter_tokens(org_path, category, year, validity)),
        )

    def _post(self, cursor, rows):
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body, meta) VALUES (%s, %s, %s, %s)",
            [self._row(*r) for r in rows],
        )

    def _drop_postings(self, cursor, ids):
        cursor.execute(
            f"SELECT {self.STORED} FROM search_entry WHERE id IN ({_marks(len(ids))})", ids
        )
        old = cursor.fetchall()
        if old:
            cursor.executemany(
                "INSERT INTO search_fts (search_fts, rowid, title, body, meta)"
                " VALUES ('delete', %s, %s, %s, %s)",
                [self._row(*r[:6], *map(tx.normalize, r[6:])) for r in old],
            )

    def _clear_postings(self, cursor):
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")

    @staticmethod
    def _expression(terms) -> str:
        return " AND ".join(t.fts5() for t in terms)

    def _plan(self, terms, query, fwhere, fparams):
        verify, vparams = self._contains("e.text", [t for t in terms if t.verify])
        where, params = [], []
        org_path = query.org_path or None
        if org_path and not (org_path.startswith("/") and org_path.endswith("/")):
            where.append("e.org_path >= %s AND e.org_path < %s")  # a partial path: in SQL
            params += [org_path, org_path[:-1] + chr(ord(org_path[-1]) + 1)]
            org_path = None
        # the subtree: only the deepest path's token (the document has one per ancestor)
        tokens = self.filter_tokens(org_path)[-1:] + self.filter_tokens(
            None, query.category or None, query.year, query.validity or None
        )
        expression = " AND ".join([self._expression(terms), *(f'"{t}"' for t in tokens)])
        return Plan(
            self.source,
            ["search_fts MATCH %s", *verify, *where],
            [expression, *vparams, *params],
            bool(where),
        )

    def _count(self, terms, plan):
        if plan.filtered or any(t.verify for t in terms):
            return super()._count(terms, plan)
        with connection.cursor() as cursor:  # the postings alone
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", plan.params[:1]
            )
            return cursor.fetchone()[0]

    def _newest(self, terms, plan, limit):
        if not terms or plan.filtered or any(t.verify for t in terms):
            return super()._newest(terms, plan, limit)
        # the postings alone, walked newest first (rowid = date key): FTS5 stops at ``limit``
        sql = (
            f"SELECT {ID_OF_ROWID.format('')} FROM search_fts WHERE search_fts MATCH %s"
            " ORDER BY rowid"
        )
        return self._ids(sql, plan.params[:1], limit)

    def optimize(self) -> None:
        """Merge the FTS5 segments into one (after a bulk load)."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


MAX_POSITION = 16383  # PostgreSQL caps tsvector positions here …
MAX_POSITIONS = 256  # … and keeps at most this many positions per lexeme
LOSSY = "\ue001"  # lexeme of documents whose tsvector could not hold every position


class PostgresBackend(SqlBackend):
    """A tsvector of the same bigram tokens (written as a literal: no parser, no locale),
    phrase queries with ``<->``, a GIN index.

    Documents too long for a tsvector's positions are marked lossy (lexeme U+E001, column
    ``lossy``): while there are any, every query also takes them as candidates and rechecks
    them with ``strpos`` on the stored text, so recall stays exact.

    ``k`` is the date key of ``SqliteBackend.key`` (B-tree ``search_pg_k``): "newest first"
    without filters reads the postings table alone.
    """

    name = "postgres"
    contains = "strpos({col}, %s) > 0"
    date_order = "p.k"  # the date key of ``SqliteBackend.key``: ascending = newest first

    @staticmethod
    def tsvector(title: str, number: str, index_no: str, body: str) -> tuple[str, bool]:
        positions: dict[str, list[str]] = {}
        title_tokens = tx.tokens(title, normalized=True)
        for p, tok in enumerate(title_tokens, start=1):
            positions.setdefault(tok, []).append(f"{p}A")
        start = len(title_tokens) + 2  # a gap: no phrase runs from the title into the body
        rest = tx.tokens(f"{number} {index_no} {body}", normalized=True)
        lossy = start + len(rest) > MAX_POSITION
        for p, tok in enumerate(rest[: MAX_POSITION - start], start=start):
            positions.setdefault(tok, []).append(str(p))
        if lossy or any(len(v) > MAX_POSITIONS for v in positions.values()):
            lossy = True
            positions[LOSSY] = ["1"]
        vector = " ".join(f"'{k}':{','.join(v[:MAX_POSITIONS])}" for k, v in positions.items())
        return vector, lossy

    def _post(self, cursor, rows):
        values = []
        for r in rows:
            vector, lossy = self.tsvector(*r[6:])
            values.append((r[0], vector, lossy, SqliteBackend.key(r[0], r[1])))
        cursor.executemany(
            "INSERT INTO search_pg (id, tsv, lossy, k) VALUES (%s, %s::tsvector, %s, %s)", values
        )

    def _drop_postings(self, cursor, ids):
        cursor.execute(f"DELETE FROM search_pg WHERE id IN ({_marks(len(ids))})", ids)

    def _clear_postings(self, cursor):
        cursor.execute("DELETE FROM search_pg")

    @staticmethod
    def _tsquery(terms, *, lossy: bool = True) -> str:
        q = " & ".join(t.tsquery() for t in terms)
        return f"({q}) | '{LOSSY}'" if lossy else q

    @staticmethod
    def _any_lossy() -> bool:
        """Whether any document is lossy (one probe of the partial index ``search_pg_lossy``):
        when none is, queries leave out the lossy alternative and its recheck, which would
        otherwise make PostgreSQL recheck every candidate."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM search_pg WHERE lossy)")
            return cursor.fetchone()[0]

    def _plan(self, terms, query, fwhere, fparams):
        verify, vparams = self._contains("e.text", [t for t in terms if t.verify])
        lossy = self._any_lossy()
        where, params = ["p.tsv @@ %s::tsquery"], [self._tsquery(terms, lossy=lossy)]
        if lossy:
            every, eparams = self._contains("e.text", terms)
            where.append(f"(NOT p.lossy OR ({' AND '.join(every)}))")
            params += eparams
        return Plan(
            "search_entry e JOIN search_pg p ON p.id = e.id",
            [*where, *verify, *fwhere],
            [*params, *vparams, *fparams],
            bool(fwhere),
            # nothing needs the entries (no filter, no recheck): the postings alone answer
            postings_only=not (fwhere or verify or lossy),
        )

    def _count(self, terms, plan):
        if not plan.postings_only:
            return super()._count(terms, plan)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_pg p WHERE p.tsv @@ %s::tsquery", plan.params[:1]
            )
            return cursor.fetchone()[0]

    def _newest(self, terms, plan, limit):
        if not plan.postings_only:
            return super()._newest(terms, plan, limit)
        sql = "SELECT p.id FROM search_pg p WHERE p.tsv @@ %s::tsquery ORDER BY p.k"
        return self._ids(sql, plan.params[:1], limit)


BACKENDS = {"naive": NaiveBackend, "sqlite": SqliteBackend, "postgres": PostgresBackend}
