"""A report as JSON: exactly what ``serialize`` freezes in ``Report.data``.

One writer for both, so a downloaded JSON file reads back with ``serialize.loads`` into the
same report: keys in a fixed order, Chinese as is, counts as integers, decimals as strings.
"""

from gongkai.reports import serialize
from gongkai.reports.tables import AnnualReport


def render(report: AnnualReport) -> bytes:
    return serialize.dumps(report).encode()
