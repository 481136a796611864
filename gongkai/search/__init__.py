"""Full-text search of published items (issue 5 §5).

What matches (the same on every backend, checked against a plain substring test):

- The query is split at spaces into words; a document must contain **every** word (AND).
  ``"…"`` keeps a phrase with its spaces together as one word.
- A word matches when it occurs **exactly, as a substring**, in the title, the 文号, the
  索引号 or the text (body and attachments) — 拆迁 finds 房屋拆迁补偿 and 拆迁; 社会保障卡
  finds every document containing 社会保障卡, and nothing else. No word segmentation, no
  synonyms, no stemming.
- Letters and digits are compared without case and without width (ＡＢ１ = ab1). Punctuation
  inside a word counts as written: 绵府发〔2017〕12号 and 000014349/2017-00012 find those
  exact strings; punctuation at the start or end of a word is ignored (拆迁， = 拆迁).
- Words of fewer than two letters/digits (单字, "a", "1") are ignored and reported back in
  ``Result.ignored``; a query of only such words finds nothing. An empty query lists every
  document (newest first), so filters alone can be used to browse.
- Operators (``AND``, ``OR``, ``NEAR``, ``*``, parentheses, quotes) have no special meaning:
  they are searched as text like everything else and never cause an error.
- Filters: the subtree of an org (``org_path`` prefix), category, year, validity. Results
  are counted exactly (``total``; ``Query.exact_total=False`` counts only as far as the page
  needs — past the page, and past the rank window when ranking by relevance — flagged by
  ``Result.total_is_exact``), with facet counts of the filtered result (by org, category,
  year, validity; largest first).
- Order: by publication date, newest first; or by relevance — the same rule on every
  backend (``backends.score``): BM25's term-frequency saturation and length normalisation
  without its IDF (every match contains every word), a match in the title weighing 10×;
  ties newest first. A vague query with more than ``GONGKAI_SEARCH_RANK_WINDOW`` (default
  1,000) matches ranks only its newest 1,000 matches, which come first; the older ones
  follow, newest first. This keeps the time of a query bounded; every match is still
  counted and reachable by paging, exactly once.
- Hits carry the title and an excerpt of about 120 characters around the first match,
  HTML-escaped, each match in ``<mark>``.

Backends: ``GONGKAI_SEARCH_BACKEND`` = ``auto`` (by database vendor), ``sqlite`` (FTS5),
``postgres`` (tsvector + GIN) or ``naive`` (LIKE scan). Index writes run in the caller's
transaction. See ``backends.py`` for how each works and where a cluster engine would plug in.
"""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.search.api import Backend, Document, Hit, Query, Result

__all__ = [
    "Backend", "Document", "Hit", "Query", "Result",
    "backend", "clear", "index", "remove", "search",
]  # fmt: skip


def backend(name: str | None = None) -> Backend:
    """The configured backend (``GONGKAI_SEARCH_BACKEND``); ``auto`` picks by vendor."""
    from django.conf import settings
    from django.db import connection

    from gongkai.search.backends import BACKENDS

    name = name or getattr(settings, "GONGKAI_SEARCH_BACKEND", "auto") or "auto"
    if name == "auto":
        name = "postgres" if connection.vendor == "postgresql" else "sqlite"
    if name == "postgres" and connection.vendor != "postgresql":
        raise ValueError("GONGKAI_SEARCH_BACKEND=postgres needs a PostgreSQL database")
    if name == "sqlite" and connection.vendor != "sqlite":
        raise ValueError("GONGKAI_SEARCH_BACKEND=sqlite needs an SQLite database")
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ValueError(f"unknown GONGKAI_SEARCH_BACKEND: {name!r}") from None


def index(docs: Iterable[Document]) -> int:
    """Add or replace documents (by id); returns how many. In the caller's transaction."""
    return backend().index(docs)


def remove(ids: Iterable[int]) -> None:
    """Remove documents by id (unknown ids are ignored)."""
    backend().remove(ids)


def search(query: Query) -> Result:
    return backend().search(query)


def clear() -> None:
    """Remove every document from the index."""
    backend().clear()
