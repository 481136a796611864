from decimal import Decimal

import pytest

from gongkai.reports.checker.numbers import Cell, parse_cell


@pytest.mark.parametrize(
    ("text", "cell"),
    (
        ("268", Cell(268, "number", "268")),
        ("２６８", Cell(268, "number", "２６８")),  # full-width digits
        ("1,236", Cell(1236, "number", "1,236")),  # thousands separator
        ("1，236", Cell(1236, "number", "1，236")),  # full-width comma
        ("１，２３６", Cell(1236, "number", "１，２３６")),
        ("12,345,678", Cell(12345678, "number", "12,345,678")),
        (" 152.36 ", Cell(Decimal("152.36"), "number", "152.36")),
        ("-3", Cell(-3, "number", "-3")),  # 本年增/减 may be negative
        ("", Cell(0, "blank", "")),
        ("—", Cell(0, "blank", "—")),
        ("——", Cell(0, "blank", "——")),
        ("-", Cell(0, "blank", "-")),
        ("－", Cell(0, "blank", "－")),
        ("/", Cell(0, "blank", "/")),
        ("／", Cell(0, "blank", "／")),
        ("S", Cell(None, "unreadable", "S")),
        ("1O", Cell(None, "unreadable", "1O")),  # letter O for a zero
        ("1,23", Cell(None, "unreadable", "1,23")),  # not a thousands separator
        ("12%", Cell(None, "unreadable", "12%")),
    ),
)
def test_parse_cell_reads_what_offices_print(text, cell):
    assert parse_cell(text) == cell
