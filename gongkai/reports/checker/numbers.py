"""Reading numbers as published reports print them (RPT-19).

Web pages and PDFs print the same count as ``1234``, ``1,234``, ``1，234`` or ``１２３４``;
zero as ``0``, a blank cell, ``—`` or ``/``. A blank or dash counts as 0 for the arithmetic
but is itself a finding (RPT-19 asks for a 0); anything else that is not a number is
unreadable and stays ``None``: never a silent 0.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from gongkai.reports.tables import Number

# What offices print instead of a 0. NFKC has already turned －／ into -/.
DASHES = frozenset({"-", "--", "—", "——", "–", "―", "─", "/", "\\", "、", "无"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Cell:
    """One table cell as read: its value and how it was printed.

    ``status`` is ``"number"``, ``"blank"`` (empty or a dash: value 0) or
    ``"unreadable"`` (value None).
    """

    value: Number
    status: str
    text: str


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) with whitespace trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def parse_cell(text: str) -> Cell:
    raw = text.strip()
    plain = normalize(raw).replace(" ", "").replace("\u2212", "-")  # − (minus sign)
    if plain in DASHES or plain == "":
        return Cell(0, "blank", raw)
    if _THOUSANDS.match(plain):
        plain = plain.replace(",", "")
    if not _PLAIN.match(plain):
        return Cell(None, "unreadable", raw)
    if "." in plain:
        return Cell(Decimal(plain), "number", raw)
    return Cell(int(plain), "number", raw)
