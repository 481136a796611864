"""Text rules shared by every backend: normalisation, tokens, query terms, highlighting.

Pure functions over strings (no ORM). The matching rule they implement is the one in the
package docstring: a term matches a document when the normalised term is a substring of a
normalised field (title, 文号, 索引号 or body).

Tokens (SQLite FTS5 and PostgreSQL tsvector use the same ones): the normalised text is cut
into *runs* at whitespace (and at ASCII control characters and U+FDD0…U+FDEF); punctuation
and digits belong to the runs. Each run gives a unigram of its first character, its
overlapping character bigrams, and a unigram of its last character::

    "绵府发〔2017〕12号 文" → 绵 绵府 府发 发〔 〔2 20 01 17 7〕 〕1 12 2号 号 | 文 文

ASCII punctuation is written in tokens as U+FDD0 + its index in ``string.punctuation``
(noncharacters, never in a document's tokens themselves): FTS5's ``ascii`` tokenizer would
split at it, and FTS5 / tsquery syntax never sees it. A term without whitespace (拆迁补偿,
0816-2222222, 绵府发〔2017〕12号, pm2.5) becomes the phrase of its bigrams: exact, because
consecutive bigrams only occur inside one run (unigrams stand between runs) — no recheck.
A term spanning runs (only a quoted phrase with a space, "社会 保障卡") becomes a phrase over
those runs (the end unigram of its first run, both unigrams of the middle ones, the start
unigram of the last); the phrase is a necessary condition, and the term is rechecked as a
plain substring of the stored normalised text (``Term.verify``), because the whitespace
between the runs is not indexed.

Which characters are letters/digits (for the two-character minimum and for trimming a
term's edges): ``str.isalnum()`` in the Basic Multilingual Plane; characters beyond it (rare
CJK extensions, emoji) count as letters.
"""

from __future__ import annotations

import re
import string
from array import array
from dataclasses import dataclass
from functools import cache
from operator import add

from django.utils.html import escape

# Full-width ASCII letters and digits → ASCII, ideographic space → space. Length-preserving,
# so positions found in the normalised text are positions in the original (for highlighting).
_WIDTH = {
    c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)
}
_WIDTH[0x3000] = 0x20
_SPACES = array("I", [0x20]) * 4096
assert _SPACES.itemsize == 4
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
TERM = re.compile(r'"([^"]*)"|(\S+)')
FIELD_SEPARATOR = "\n"  # between the fields of the stored normalised text; never in a term
MIN_CHARS = 2  # shorter terms are ignored (and reported in ``Result.ignored``)


def normalize(text: str) -> str:
    """Full-width letters/digits to ASCII, lower case; same length as ``text``."""
    folded = text.translate(_WIDTH) if _WIDE.search(text) else text
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)  # e.g. "İ"


def searchable(title: str, number: str, index_no: str, body: str) -> str:
    """The stored normalised text every backend rechecks against (and LIKE scans)."""
    return FIELD_SEPARATOR.join(normalize(x) for x in (title, number, index_no, body))


@cache
def _separators() -> dict[int, int]:
    """Every non-letter/digit of the BMP (and "_") → space."""
    return {c: 0x20 for c in range(0x10000) if not chr(c).isalnum()}


def runs(normalized: str) -> list[str]:
    """The runs of letters/digits (for a term's edges and its two-character minimum)."""
    return normalized.translate(_separators()).split()


_PUNCTUATION = string.punctuation  # the 32 ASCII punctuation characters: U+FDD0 + index


@cache
def _token_chars() -> dict[int, int]:
    """Normalised text → token text: whitespace, ASCII controls and U+FDD0…U+FDEF split runs
    (→ space); ASCII punctuation → U+FDD0…U+FDEF; every other character stays."""
    table = {c: 0x20 for c in range(0x10000) if chr(c).isspace()}
    table |= {c: 0x20 for c in (*range(0x20), 0x7F, *range(0xFDD0, 0xFDF0))}
    table |= {ord(c): 0xFDD0 + i for i, c in enumerate(_PUNCTUATION)}
    return table


_PUNCTUATION_TOKENS = [(c, chr(0xFDD0 + i)) for i, c in enumerate(_PUNCTUATION)]
_RARE = re.compile("[\x00-\x08\x0e-\x1b\x7f\ufdd0-\ufdef]")  # split, but not by split()


def token_text(normalized: str) -> str:
    """``normalized.translate(_token_chars())`` with whitespace runs as one space; faster
    (``str.translate`` looks up every character): ``split`` and a ``replace`` per ASCII
    punctuation character present."""
    if _RARE.search(normalized):
        return " ".join(normalized.translate(_token_chars()).split())
    for c, token in _PUNCTUATION_TOKENS:
        if c in normalized:
            normalized = normalized.replace(c, token)
    return " ".join(normalized.split())


def token_string(text: str, *, normalized: bool = False) -> str:
    """The tokens of ``text`` separated by spaces (some doubled spaces), built in C:

    with separators as spaces and a space at both ends, position i gives the two characters
    i, i+1 — a bigram inside a run, a unigram at a run's start or end, nothing between runs.
    """
    spaced = " " + token_text(text if normalized else normalize(text)) + " "
    chars = array("I")
    chars.frombytes(spaced.encode("utf-32-le"))
    n = len(chars) - 1
    out = array("I", bytes(12 * n))
    out[0::3] = chars[:-1]
    out[1::3] = chars[1:]
    out[2::3] = _SPACES[:n] if n <= len(_SPACES) else array("I", [0x20]) * n
    return out.tobytes().decode("utf-32-le")


def tokens(text: str, *, normalized: bool = False) -> list[str]:
    """Start unigram, bigrams, end unigram of every run (see module docstring)."""
    return token_string(text, normalized=normalized).split()


@dataclass(frozen=True)
class Term:
    """One thing the user asked for: a word or a quoted phrase, normalised."""

    text: str  # normalised; what must be a substring of a field
    tokens: tuple[str, ...]  # the phrase to look up
    verify: bool  # the phrase is only necessary: recheck ``text`` as a substring

    def fts5(self) -> str:
        """An FTS5 phrase; tokens hold no ASCII punctuation, so nothing can inject syntax."""
        return '"' + " ".join(self.tokens) + '"'

    def tsquery(self) -> str:
        """A PostgreSQL tsquery phrase of quoted lexemes (no parser involved)."""
        return "(" + " <-> ".join(f"'{t}'" for t in self.tokens) + ")"


def _bigrams(run: str) -> list[str]:
    return list(map(add, run, run[1:]))


def _term(raw: str) -> Term | None:
    text = normalize(" ".join(raw.split()))
    parts = runs(text)
    if not parts or sum(map(len, parts)) < MIN_CHARS:
        return None
    # Separators before the first / after the last run are noise ("拆迁，"): drop them.
    start, end = text.find(parts[0]), text.rfind(parts[-1]) + len(parts[-1])
    text = text[start:end]
    pieces = token_text(text).split()
    if len(pieces) == 1:
        return Term(text, tuple(_bigrams(pieces[0])), verify=False)
    first, *middle, last = pieces
    toks = [*_bigrams(first), first[-1]]  # the document's run may begin before ours
    for run in middle:
        toks += [run[0], *_bigrams(run), run[-1]]
    toks += [last[0], *_bigrams(last)]  # … and the last one may go on after it
    return Term(text, tuple(toks), verify=True)


def parse(text: str) -> tuple[list[Term], list[str]]:
    """(terms, ignored): space-separated words and "quoted phrases"; all must match (AND).

    Terms with fewer than two letters/digits are ignored and returned as ``ignored``.
    """
    terms: list[Term] = []
    ignored: list[str] = []
    seen: set[str] = set()
    for m in TERM.finditer(text or ""):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        term = _term(raw)
        if term is None:
            if raw.strip():
                ignored.append(raw.strip())
        elif term.text not in seen:
            seen.add(term.text)
            terms.append(term)
    return terms, ignored


def matches(terms: list[Term], title: str, number: str, index_no: str, body: str) -> bool:
    """The rule itself, as the test oracle and for documentation."""
    fields = [normalize(x) for x in (title, number, index_no, body)]
    return all(any(t.text in f for f in fields) for t in terms)


# --- Highlighting ---------------------------------------------------------------------------


def _spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    norm = normalize(text)
    spans = []
    for t in terms:
        i = norm.find(t.text)
        while i >= 0:
            spans.append((i, i + len(t.text)))
            i = norm.find(t.text, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: list[Term]) -> str:
    """``text`` HTML-escaped with every match wrapped in ``<mark>``."""
    return _mark(text, _spans(text, terms), 0, len(text))


def snippet(text: str, terms: list[Term], *, width: int = 120) -> str:
    """An escaped excerpt of about ``width`` characters around the first match, marked."""
    text = " ".join(text.split())
    spans = _spans(text, terms)
    if not spans:
        return escape(text[:width]) + ("…" if len(text) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    return (
        ("…" if start > 0 else "")
        + _mark(text, spans, start, end)
        + ("…" if end < len(text) else "")
    )
