"""The Celery app: ``celery -A gongkai.monitor.worker worker`` on each worker machine.

The broker is GONGKAI_BROKER_URL (Redis, ``redis://host:6379/0``). Tasks carry only a
site id; the database is the shared truth and leases keep two workers off one site.
"""

import os

import django
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
if not apps.ready:
    django.setup()

from celery import Celery
from django.conf import settings

from gongkai.monitor import tasks

app = Celery("gongkai.monitor")
app.conf.update(
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    task_default_queue="gongkai-monitor",
)


def configure() -> Celery:
    """Point the app at the current GONGKAI_BROKER_URL (read again: settings may change)."""
    url = settings.GONGKAI_BROKER_URL or "memory://"
    if app.conf.broker_url != url:
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.conf.broker_url = url
    return app


configure()


@app.task(name="gongkai.monitor.probe_site")
def probe_site(site_id: int) -> bool:
    return tasks.probe_site(site_id)


@app.task(name="gongkai.monitor.check_site")
def check_site(site_id: int, today: str | None = None) -> int | None:
    from datetime import date

    return tasks.check_site(site_id, today=date.fromisoformat(today) if today else None)
