"""Issue 6 §6: a real Redis broker and a real Celery worker crawl a local site into the DB;
leases keep two claimers off one site."""

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from django.db import connection
from django.utils import timezone

from gongkai.monitor import services
from gongkai.monitor.crawl.testing import serve
from gongkai.monitor.enums import ColumnKind
from gongkai.monitor.models import Column, Lease, Probe, Run, Site

REDIS = "/usr/bin/redis-server"
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    port = free_port()
    proc = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(redis_url, transactional_db):
    if "memory" in connection.settings_dict["NAME"]:
        pytest.skip("needs a file-based SQLite test database: run the monitor tests on their own")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.monitor.tests.worker_settings",
        "GONGKAI_DATABASE_URL": database_url(),
        "GONGKAI_BROKER_URL": redis_url,
        "PYTHONWARNINGS": "ignore",
    }
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "gongkai.monitor.worker",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "gongkai-monitor",
            "-n",
            "test-worker@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output)


def local_site() -> web.Application:
    today = timezone.localdate()
    app = web.Application()
    html = "<html><head><meta charset='utf-8'><title>{t}</title></head><body>{b}</body></html>"

    async def home(request):
        body = (
            "<nav><a href='/'>首页</a><a href='/gzdt/'>工作动态</a><a href='/tzgg/'>通知公告</a></nav>"
            f"<ul><li><a href='/gzdt/1.html'>市局召开会议</a> {today.isoformat()}</li></ul>"
        )
        return web.Response(text=html.format(t="测试局", b=body), content_type="text/html")

    async def news(request):
        rows = "".join(
            f"<li><a href='/gzdt/{i}.html'>动态{i}</a> <span>{(today - timedelta(days=i))}</span></li>"
            for i in range(1, 4)
        )
        return web.Response(
            text=html.format(t="工作动态", b=f"<ul>{rows}</ul>"), content_type="text/html"
        )

    async def notices(request):
        body = "<ul><li><a href='/tzgg/1.html'>旧通知</a> 2015-01-05</li></ul>"
        return web.Response(text=html.format(t="通知公告", b=body), content_type="text/html")

    async def article(request):
        return web.Response(text=html.format(t="正文", b="<p>正文</p>"), content_type="text/html")

    app.router.add_get("/", home)
    app.router.add_get("/gzdt/", news)
    app.router.add_get("/tzgg/", notices)
    app.router.add_get("/gzdt/{n}.html", article)
    app.router.add_get("/tzgg/{n}.html", article)
    return app


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_a_celery_worker_crawls_a_local_site_through_redis_into_the_database(
    celery_worker, redis_url, settings, dept
):
    from gongkai.monitor import worker
    from gongkai.monitor.schedule import Scheduler

    with serve(local_site()) as base:
        site = services.register_site(org=dept, url=base + "/")
        Column.objects.create(
            site=site,
            name="工作动态",
            url=base + "/gzdt/",
            kind=ColumnKind.NEWS,
            homepage=True,
            confirmed=True,
        )
        Column.objects.create(
            site=site,
            name="通知公告",
            url=base + "/tzgg/",
            kind=ColumnKind.NOTICE_POLICY,
            homepage=True,
            confirmed=True,
        )
        settings.GONGKAI_BROKER_URL = redis_url
        probes, crawls = Scheduler().tick()  # sends one probe and one crawl to the broker
        assert (probes, crawls) == (1, 1)
        try:
            assert wait_for(lambda: Run.objects.filter(site=site).exists()), celery_worker.poll()
            assert wait_for(lambda: Probe.objects.filter(site=site).count() >= 2)
        finally:
            worker.app.pool.force_close_all()

    run = Run.objects.get(site=site)
    assert run.worker.split(":")[1] == str(celery_worker.pid)  # crawled in the worker process
    assert run.pages_fetched >= 3
    assert run.point == timezone.localdate()
    assert run.veto == []  # the news column is fresh; one stale notice column is no veto
    assert [c["url"] for c in run.stale_columns] == [base + "/tzgg/"]
    assert run.score is not None
    assert Lease.objects.get(site=site).holder == ""  # released after the crawl
    assert Probe.objects.filter(site=site, ok=True).count() >= 2


def test_two_concurrent_claimers_never_hold_one_site(transactional_db, dept):
    site = Site.objects.create(
        org=dept, name="测试", url="http://a.example/", site_type="department"
    )
    barrier = threading.Barrier(2)
    outcome = {}

    def claimer(name):
        try:
            barrier.wait(5)
            outcome[name] = services.claim(site.pk, name)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcome.values()) == [False, True]
    winner = next(name for name, won in outcome.items() if won)
    loser = next(name for name, won in outcome.items() if not won)
    assert Lease.objects.get(site=site).holder == winner
    assert services.claim(site.pk, loser) is False  # still held
    later = timezone.now() + services.LEASE_TTL + timedelta(seconds=1)
    assert services.claim(site.pk, loser, now=later) is True  # an expired lease is taken over
    assert services.release(site.pk, winner) is False  # the old holder cannot release it
    assert services.release(site.pk, loser) is True
    assert services.claim(site.pk, winner) is True
