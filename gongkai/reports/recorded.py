"""Figures that Gongkai's own modules record, for the annual report (issue 4 §2, issues 5–7).

The external figures (``external.py``) are what staff enter for systems Gongkai does not run.
Once a module keeps the records itself — the catalog counts published items, the mailbox counts
letters, the monitor keeps the website registry — the report takes the figure from the records:
a recorded figure wins over an entered one, except that a recorded zero does not hide an entered
value (an office that keeps, say, its hotline elsewhere still enters that figure by hand).

Each module offers ``report_figures(orgs, year, *, root) -> dict[str, Decimal]`` keyed by
``external.FIGURES`` keys, in its ``figures`` module listed below.
"""

from decimal import Decimal
from importlib import import_module

from django.db.models import QuerySet

from gongkai.orgs.models import Org
from gongkai.reports.external import FIGURES, plain
from gongkai.reports.tables import Figure

PROVIDERS = (
    "gongkai.catalog.figures",
    "gongkai.inspections.figures",  # its item register before the published list (RND-1)
    "gongkai.lists.figures",
    "gongkai.interaction.figures",
    "gongkai.monitor.figures",
)
SOURCE = "本系统记录"


def recorded(orgs: QuerySet[Org], year: int, *, root: Org) -> dict[str, Decimal]:
    """Every figure the modules record for ``orgs`` in ``year``; a later module never
    overrides a key an earlier one gave."""
    found: dict[str, Decimal] = {}
    for name in PROVIDERS:
        # A fresh clone each: a provider that iterates the queryset must not fill its cache.
        figures = import_module(name).report_figures(orgs.all(), year, root=root)
        for key, value in figures.items():
            if key in FIGURES and value is not None:
                found.setdefault(key, Decimal(value))
    return found


def merge(entered: dict[str, Figure], records: dict[str, Decimal]) -> dict[str, Figure]:
    """The report's figures: recorded ones win, except a recorded zero over an entered value."""
    merged = dict(entered)
    for key, value in records.items():
        if value == 0 and key in entered:
            continue
        label, unit = FIGURES[key]
        merged[key] = Figure(key, label, plain(value), unit, SOURCE)
    return {key: merged[key] for key in FIGURES if key in merged}
