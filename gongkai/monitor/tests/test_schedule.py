"""Issue 6 §6 on the embedded default: probes every 30 minutes (48 a day ≥ MON-4's 20),
a crawl per site period, ``gongkai monitor run --once`` for a single pass."""

from datetime import UTC, datetime, timedelta
from io import StringIO

from aiohttp import web
from django.core.management import call_command

from gongkai.monitor import services
from gongkai.monitor.crawl.testing import serve
from gongkai.monitor.models import Probe, Run, Site
from gongkai.monitor.schedule import PROBE_EVERY, Scheduler

NOW = datetime(2017, 12, 29, 2, 0, tzinfo=UTC)


def test_probes_at_least_twenty_times_a_day():
    assert timedelta(days=1) / PROBE_EVERY >= 20


def test_due_sites_follow_their_last_probe_and_run(dept_site, other_site):
    Site.objects.filter(pk=other_site.pk).update(status="closed")
    scheduler = Scheduler()
    assert scheduler.due(NOW) == ([dept_site.pk], [dept_site.pk])
    assert scheduler.due(NOW + timedelta(minutes=1)) == ([], [])  # just dispatched
    Probe.objects.create(site=dept_site, at=NOW + timedelta(minutes=20), ok=True)
    Run.objects.create(
        site=dept_site, started=NOW, finished=NOW, point=NOW.date(), indicators="MON_2019"
    )
    assert scheduler.due(NOW + timedelta(minutes=31)) == ([], [])
    assert scheduler.due(NOW + timedelta(minutes=51)) == ([dept_site.pk], [])
    assert scheduler.due(NOW + timedelta(hours=24)) == ([dept_site.pk], [dept_site.pk])


def test_run_once_probes_and_crawls_in_process(transactional_db, dept, settings):
    settings.GONGKAI_MONITOR_ALLOW_PRIVATE = True
    app = web.Application()

    async def home(request):
        return web.Response(
            text="<html><body><nav><a href='/gzdt/'>工作动态</a></nav></body></html>",
            content_type="text/html",
        )

    async def news(request):
        return web.Response(
            text="<html><body><ul><li><a href='/1.html'>会议</a> 2017-12-28</li></ul></body></html>",
            content_type="text/html",
        )

    app.router.add_get("/", home)
    app.router.add_get("/gzdt/", news)
    app.router.add_get("/1.html", news)
    with serve(app) as base:
        site = services.register_site(org=dept, url=base + "/")
        out = StringIO()
        call_command("monitor", "run", "--once", stdout=out)
    assert "探测 1 个网站，采集 1 个网站" in out.getvalue()
    run = Run.objects.get(site=site)
    assert run.pages_fetched >= 2
    assert Probe.objects.filter(site=site, ok=True).count() == 2  # the probe and the crawl's
    assert [c.name for c in site.columns.all()] == ["工作动态"]  # proposed from the nav
