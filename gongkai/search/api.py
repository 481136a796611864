"""The one search interface (issue 5 §5). Callers use only what is in this module.

Backends (SQLite FTS5 over character bigrams, PostgreSQL, a naive LIKE scan, later a cluster
engine) implement ``Backend``; ``backend()`` picks one by ``GONGKAI_SEARCH_BACKEND``.
Index writes happen in the caller's database transaction, so an item and its index entry
are committed together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol


@dataclass(frozen=True)
class Document:
    """What the catalog hands to the index for one published item."""

    id: int  # the catalog item's primary key
    org_id: int
    org_path: str  # Org.path, so a query can be limited to an org's subtree
    category: str  # 主题分类 / legacy category code
    year: int  # publication year
    validity: str  # "" when not applicable; else e.g. "valid", "invalid", "repealed"
    published: date
    title: str
    body: str  # plain text: the body and the text extracted from attachments
    number: str = ""  # 文号
    index_no: str = ""  # 索引号


@dataclass(frozen=True)
class Query:
    text: str  # what the user typed; 2 or more characters of any word are found exactly
    org_path: str | None = None  # subtree prefix
    category: str | None = None
    year: int | None = None
    validity: str | None = None
    sort: Literal["relevance", "date"] = "relevance"
    offset: int = 0
    limit: int = 20
    facets: bool = True  # compute the facet counts below
    # added: False counts matches only up to a bound (past this page, and past the rank window
    # when sorting by relevance) and says so in ``Result.total_is_exact``; the hits are the
    # same. Facets always count all.
    exact_total: bool = True


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    title_html: str  # escaped, matches wrapped in <mark>
    snippet_html: str  # escaped body excerpt around the first match, matches in <mark>
    published: date | None = None  # added: lets a result list show and sort without a lookup


@dataclass
class Result:
    total: int  # exact number of matching documents (unless ``total_is_exact`` is False)
    hits: list[Hit]
    # facet name ("org_id", "category", "year", "validity") → value → count
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # added: words of the query that were ignored (fewer than 2 letters/digits), to tell the user
    ignored: list[str] = field(default_factory=list)
    # added: False when ``Query.exact_total`` was False and there are more matches than were
    # counted: ``total`` is then a lower bound (at least this many)
    total_is_exact: bool = True


class Backend(Protocol):
    name: str

    def index(self, docs: Iterable[Document]) -> int: ...
    def remove(self, ids: Iterable[int]) -> None: ...
    def clear(self) -> None: ...
    def search(self, query: Query) -> Result: ...
    def count(self) -> int: ...
