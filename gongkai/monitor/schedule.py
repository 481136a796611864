"""Around the clock (issue 6 §6): probes ≥ 20 a day per site (default every 30 min, MON-4),
a crawl per site every ``Site.crawl_every_hours``. One process runs it all by default; with
GONGKAI_BROKER_URL the same tasks go to Celery workers.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Max
from django.utils import timezone

from gongkai.monitor import tasks
from gongkai.monitor.enums import SiteStatus
from gongkai.monitor.models import Site

PROBE_EVERY = timedelta(minutes=30)  # 48 a day ≥ the 20 the indicators ask for
TICK_SECONDS = 30


@dataclass
class Scheduler:
    probe_every: timedelta = PROBE_EVERY
    dispatched: dict[tuple[str, int], datetime] = field(default_factory=dict)

    def due(self, now: datetime) -> tuple[list[int], list[int]]:
        """(sites to probe, sites to crawl) at ``now``."""
        sites = Site.objects.filter(status__in=[SiteStatus.RUNNING, SiteStatus.RECTIFYING])
        rows = sites.annotate(last_probe=Max("probes__at"), last_run=Max("runs__started"))
        probes, crawls = [], []
        for site in rows:
            if self._due(("probe", site.pk), site.last_probe, self.probe_every, now):
                probes.append(site.pk)
            period = timedelta(hours=site.crawl_every_hours)
            if self._due(("crawl", site.pk), site.last_run, period, now):
                crawls.append(site.pk)
        return probes, crawls

    def _due(self, key, last, period, now) -> bool:
        sent = self.dispatched.get(key)
        latest = max(filter(None, (last, sent)), default=None)
        if latest is not None and now - latest < period:
            return False
        self.dispatched[key] = now
        return True

    def tick(self, now: datetime | None = None, *, stdout=None) -> tuple[int, int]:
        now = now or timezone.now()
        probes, crawls = self.due(now)
        if settings.GONGKAI_BROKER_URL:
            from gongkai.monitor import worker

            worker.configure()
            for site_id in probes:
                worker.probe_site.delay(site_id)
            for site_id in crawls:
                worker.check_site.delay(site_id)
        else:
            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(_in_thread(tasks.probe_site), probes))
            for site_id in crawls:
                tasks.check_site(site_id)
        if stdout is not None and (probes or crawls):
            stdout.write(f"{now:%Y-%m-%d %H:%M:%S} 探测 {len(probes)} 个，采集 {len(crawls)} 个")
        return len(probes), len(crawls)

    def forever(self, *, stdout=None) -> None:
        while True:
            self.tick(stdout=stdout)
            close_old_connections()
            time.sleep(TICK_SECONDS)


def _in_thread(function):
    def wrapped(site_id):
        try:
            return function(site_id)
        finally:
            connection.close()  # the thread's own connection dies with the thread

    return wrapped
