"""The monitor's units of work, thin wrappers around ``crawl`` and ``services``.

The same functions run in the embedded scheduler (``gongkai monitor run``) and on Celery
workers (``gongkai.monitor.worker``) when GONGKAI_BROKER_URL is set.
"""

from __future__ import annotations

import os
import socket
from datetime import date

from django.conf import settings
from django.utils import timezone

from gongkai.monitor import crawl, services
from gongkai.monitor.models import Site

# Crawling 127.0.0.1 / private networks is refused unless this is set (tests, local farms).
ALLOW_PRIVATE_DEFAULT = False


def allow_private() -> bool:
    return bool(getattr(settings, "GONGKAI_MONITOR_ALLOW_PRIVATE", ALLOW_PRIVATE_DEFAULT))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def probe_site(site_id: int) -> bool:
    """MON-4: one availability probe of the homepage; returns whether it succeeded."""
    site = Site.objects.get(pk=site_id)
    result = crawl.probe(site.url, allow_private=allow_private())
    services.record_probe(site, result)
    return result.ok


def check_site(site_id: int, *, today: date | None = None, holder: str = "") -> int | None:
    """Crawl and judge one site under its lease; None when another worker holds it."""
    holder = holder or worker_name()
    if not services.claim(site_id, holder):
        return None
    try:
        site = Site.objects.get(pk=site_id)
        today = today or timezone.localdate()
        columns = list(site.columns.filter(historical=False).values_list("url", flat=True))
        result = crawl.crawl_site(
            site.url,
            allow_private=allow_private(),
            columns=columns or None,
            today=today,
        )
        return services.store_run(site, result, today=today, worker=holder).pk
    finally:
        services.release(site_id, holder)
