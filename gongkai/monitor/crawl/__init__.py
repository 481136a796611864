"""The monitor crawler (issue 6 §2). See :mod:`.crawler` and :mod:`.fetch`."""

from .crawler import Budget, Cache, acrawl_site, aprobe, crawl_site, probe
from .fetch import RefusedAddress
from .result import ColumnObservation, CrawlResult, LinkCheck, Probe, Trap

__all__ = [
    "Budget",
    "Cache",
    "ColumnObservation",
    "CrawlResult",
    "LinkCheck",
    "Probe",
    "RefusedAddress",
    "Trap",
    "acrawl_site",
    "aprobe",
    "crawl_site",
    "probe",
]
