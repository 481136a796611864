"""Reading pages: charset, links, list entries and their dates (issue 6 §2, MON-5)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

import charset_normalizer
import lxml.html
from lxml import etree

# GB2312 and GBK pages routinely contain characters only GB18030 has; GB18030 is a superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)

ATTACHMENT_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".zip", ".rar",
    ".7z", ".txt", ".csv", ".ofd", ".ceb", ".tif",
}  # fmt: skip
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico"}
OTHER_EXTENSIONS = {".css", ".js", ".json", ".xml", ".swf", ".mp4", ".mp3", ".flv", ".avi"}


def _codec(name: str) -> str | None:
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


@dataclass
class Decoded:
    text: str
    encoding: str
    bad_charset: str = ""  # a declared charset we could not use


def decode(body: bytes, content_type_header: str = "") -> Decoded:
    """HTTP header charset, then ``<meta charset>`` / http-equiv, then detection."""
    bad = ""
    declared = []
    match = _HEADER_CHARSET.search(content_type_header or "")
    if match:
        declared.append(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    for name in declared:
        codec = _codec(name)
        if codec is None:
            bad = bad or name
            continue
        try:
            return Decoded(body.decode(codec), codec, bad)
        except UnicodeDecodeError:
            # A page declared GBK but really UTF-8 (or truncated mid-character): try the next.
            bad = bad or name
            continue
    try:
        return Decoded(body.decode("utf-8"), "utf-8", bad)
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    codec = _codec(best.encoding) if best is not None else None
    codec = codec or "gb18030"
    return Decoded(body.decode(codec, errors="replace"), codec, bad)


def normalize_url(url: str) -> str:
    """Drop the fragment, lowercase scheme and host, give an empty path a slash."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def link_kind(url: str, tag: str, *, site_netloc: str) -> str:
    parts = urlsplit(url)
    if parts.netloc.lower() != site_netloc:
        return "external"
    path = parts.path.lower()
    ext = path[path.rfind(".") :] if "." in path.rsplit("/", 1)[-1] else ""
    if tag == "img" or ext in IMAGE_EXTENSIONS:
        return "image"
    if ext in ATTACHMENT_EXTENSIONS:
        return "attachment"
    if tag in {"link", "script"} or ext in OTHER_EXTENSIONS:
        return "other"
    return "page"


_LINK_TAGS = {"a": "href", "area": "href", "img": "src", "link": "href", "script": "src",
              "iframe": "src", "frame": "src"}  # fmt: skip
_NAV_HINT = re.compile(r"nav|menu|header|footer|topbar|daohang|lanmu|column", re.I)
_NAV_ONLY_HINT = re.compile(r"nav|menu|daohang|lanmu", re.I)
_EMPTY_MARKERS = ("暂无信息", "暂无数据", "暂无内容", "没有记录", "暂无相关信息", "无记录")


@dataclass
class Page:
    """What the crawler keeps of one parsed page (also what the conditional-request cache
    stores, so a 304 answer needs no re-parse)."""

    links: list[tuple[str, str]] = field(default_factory=list)  # (url, tag)
    nav: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    entries: list[date | None] = field(default_factory=list)  # per list entry
    empty_marker: bool = False
    title: str = ""
    encoding: str = ""
    bad_charset: str = ""

    def to_dict(self) -> dict:
        return {
            "links": self.links,
            "nav": self.nav,
            "entries": [d.isoformat() if d else None for d in self.entries],
            "empty_marker": self.empty_marker,
            "title": self.title,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Page:
        return cls(
            links=[tuple(x) for x in data["links"]],
            nav=[tuple(x) for x in data["nav"]],
            entries=[date.fromisoformat(d) if d else None for d in data["entries"]],
            empty_marker=data["empty_marker"],
            title=data["title"],
        )


def _is_navish(el) -> bool:
    while el is not None:
        if isinstance(el.tag, str):
            if el.tag in {"nav", "header", "footer"}:
                return True
            if _NAV_HINT.search((el.get("class") or "") + " " + (el.get("id") or "")):
                return True
        el = el.getparent()
    return False


def parse_page(
    body: bytes,
    url: str,
    *,
    content_type_header: str = "",
    today: date,
    want_nav: bool = True,
    want_entries: bool = True,
) -> Page:
    """Links of a page; its navigation (``want_nav``, the homepage) and its list entries with
    dates (``want_entries``, candidate column pages) only when asked — both cost time."""
    decoded = decode(body, content_type_header)
    page = Page(encoding=decoded.encoding, bad_charset=decoded.bad_charset)
    text = decoded.text
    if not text.strip():
        return page
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        # XML-declared encodings in str input, or nothing parseable at all.
        try:
            root = lxml.html.document_fromstring(text.encode("utf-8"))
        except (etree.ParserError, ValueError):
            return page
    base = url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(url, b.get("href"))
            break
    parts = urlsplit(base)
    origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    title = root.find(".//title")
    page.title = (title.text_content().strip() if title is not None else "")[:200]
    seen = set()
    for el in root.iter(*_LINK_TAGS):
        tag = el.tag
        raw = el.get(_LINK_TAGS[tag])
        if not raw:
            continue
        raw = raw.strip()
        if not raw or raw[0] == "#":
            continue
        if raw[0] == "/" and not raw.startswith("//") and "/." not in raw:
            absolute = origin + raw.split("#", 1)[0]  # the common case, without urljoin
        else:
            low = raw[:12].lower()
            if low.startswith(("javascript:", "mailto:", "tel:", "data:", "about:", "sms:")):
                continue
            try:
                absolute = normalize_url(urljoin(base, raw))
            except ValueError:
                continue
            if not absolute.startswith(("http://", "https://")):
                continue
        if tag == "link":
            rel = (el.get("rel") or "").lower()
            if "stylesheet" not in rel and "icon" not in rel:
                continue
        key = (absolute, tag)
        if key not in seen:
            seen.add(key)
            page.links.append(key)
        if want_nav and tag == "a" and _in_navigation(el):
            label = " ".join(el.text_content().split())[:60]
            page.nav.append((label, absolute))
    if want_entries:
        page.entries = _entries(root, today=today)
        body_text = root.text_content()
        page.empty_marker = any(marker in body_text for marker in _EMPTY_MARKERS)
    return page


def _in_navigation(el) -> bool:
    while el is not None:
        if isinstance(el.tag, str):
            if el.tag == "nav":
                return True
            if _NAV_ONLY_HINT.search((el.get("class") or "") + " " + (el.get("id") or "")):
                return True
        el = el.getparent()
    return False


def _entries(root, *, today: date) -> list[date | None]:
    """One value per list entry (an ``li`` or table row holding a link, outside navigation):
    the entry's date, or None when it carries none (MON-5: counts as not updated)."""
    out = []
    for el in root.iter("li", "tr"):
        if el.find(".//a") is None:
            continue
        if el.find(".//li") is not None or el.find(".//tr") is not None:
            continue  # a container of entries, not an entry
        if _is_navish(el):
            continue
        out.append(find_date(el.text_content(), today=today))
    return out


# Full year: 2017-03-15, 2017/3/15, 2017.03.15, 2017年3月15日, 2017_03_15
_FULL = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-/.年_]\s*(\d{1,2})\s*[-/.月_]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
# Two-digit year: 17-03-15, 17/03/15, 17.03.15 (requires two digits everywhere)
_SHORT = re.compile(r"(?<![\d.])(\d\d)[-/.](\d\d)[-/.](\d\d)(?![\d.])")
# Month and day only: [03-15], 03-15, 3月15日, 03/15 — year inferred.
_MONTH_DAY = re.compile(r"(?<![\d:.])(\d{1,2})\s*(?:[-/]|月)\s*(\d{1,2})(?:日|(?![\d:./-]))")


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_date(text: str, *, today: date) -> date | None:
    """The publication date of a list entry: the last date in ``text`` in any of the common
    Chinese list-page formats (titles may mention other dates; the date column comes after).

    A date without a year takes the latest year that does not put it in the future
    (a list page read on 2017-01-05 showing ``[12-28]`` means 2016-12-28).
    """
    found: list[tuple[int, date]] = []  # (position, date)
    spans: list[tuple[int, int]] = []
    for pattern in (_FULL, _COMPACT):
        for match in pattern.finditer(text):
            spans.append(match.span())
            day = _safe(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if day:
                found.append((match.start(), day))
    for match in _SHORT.finditer(text):
        if _inside(match.span(), spans):
            continue
        spans.append(match.span())
        day = _safe(2000 + int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day and day <= today:
            found.append((match.start(), day))
    for match in _MONTH_DAY.finditer(text):
        if _inside(match.span(), spans):
            continue
        day = _month_day(int(match.group(1)), int(match.group(2)), today=today)
        if day:
            found.append((match.start(), day))
    return max(found)[1] if found else None


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _month_day(month: int, day: int, *, today: date) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    found = _safe(today.year, month, day)
    if found is None:  # 02-29 outside a leap year: walk back to the last leap year
        for back in range(1, 8):
            found = _safe(today.year - back, month, day)
            if found:
                return found
        return None
    if found > today:
        found = _safe(today.year - 1, month, day)
    return found
