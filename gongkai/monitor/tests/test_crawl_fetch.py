"""The one outbound function refuses private addresses, at connect time too (issue 6 §2)."""

import asyncio
import socket

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver

from gongkai.monitor.crawl import RefusedAddress, probe
from gongkai.monitor.crawl.crawler import run_coroutine
from gongkai.monitor.crawl.fetch import GuardedResolver, address_allowed, fetch, make_session
from gongkai.monitor.crawl.testing import serve


@pytest.mark.parametrize(
    ("address", "allow_private", "allowed"),
    (
        ("202.96.134.133", False, True),
        ("2400:3200::1", False, True),
        ("127.0.0.1", False, False),
        ("127.0.0.1", True, True),  # tests and local benchmarks only
        ("::1", True, True),
        ("10.1.2.3", True, False),  # allow_private means loopback, never the office LAN
        ("172.16.0.1", True, False),
        ("192.168.1.1", True, False),
        ("169.254.169.254", True, False),  # link-local: cloud metadata
        ("100.64.0.1", False, False),  # carrier-grade NAT
        ("224.0.0.1", False, False),  # multicast
        ("240.0.0.1", False, False),  # reserved
        ("0.0.0.0", True, False),
        ("::ffff:10.0.0.1", True, False),  # IPv4-mapped private
        ("fe80::1", True, False),
        ("fc00::1", True, False),
    ),
)
def test_address_allowed(address, allow_private, allowed):
    assert address_allowed(address, allow_private=allow_private) is allowed


def test_resolver_refuses_names_resolving_to_loopback():
    async def resolve():
        resolver = GuardedResolver(allow_private=False)
        try:
            await resolver.resolve("localhost", 80)
        finally:
            await resolver.close()

    with pytest.raises(RefusedAddress, match="拒绝访问内网或保留地址：localhost"):
        run_coroutine(resolve)


class RebindingDNS(AbstractResolver):
    """A hostile DNS server: a public address on the first question, loopback afterwards."""

    def __init__(self, port):
        self.port = port
        self.answers = ["93.184.216.34", "127.0.0.1"]

    async def resolve(self, host, port=0, family=socket.AF_INET):
        address = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return [
            {"hostname": host, "host": address, "port": self.port, "family": socket.AF_INET,
             "proto": 0, "flags": 0}
        ]  # fmt: skip

    async def close(self):
        pass


def test_fetch_checks_the_address_at_connect_time_dns_rebinding():
    app = web.Application()

    async def ok(request):
        return web.Response(text="ok")

    app.router.add_get("/", ok)

    async def go(port):
        dns = RebindingDNS(int(port))
        first = await GuardedResolver(inner=dns).resolve("rebind.example", int(port))
        async with make_session(allow_private=False, dns=dns) as session:
            response = await fetch(session, f"http://rebind.example:{port}/", timeout=2)
        return first, response

    with serve(app) as base:
        first, response = run_coroutine(go, base.rsplit(":", 1)[1])

    assert first[0]["host"] == "93.184.216.34"
    assert (response.status, response.error) == (None, "refused_private")


def test_fetch_refuses_redirect_to_private_address():
    app = web.Application()

    async def jump(request):
        raise web.HTTPFound("http://192.168.0.1/admin")

    app.router.add_get("/", jump)

    async def go(url):
        async with make_session(allow_private=True) as session:
            return await fetch(session, url, timeout=2, allow_private=True)

    with serve(app) as base:
        response = run_coroutine(go, base + "/")

    assert (response.error, response.redirects) == ("refused_private", ["http://192.168.0.1/admin"])


def test_probe_counts_a_slow_homepage_as_failure():
    app = web.Application()

    async def slow(request):
        await asyncio.sleep(3)
        return web.Response(text="late")

    app.router.add_get("/", slow)
    with serve(app) as base:
        result = probe(base + "/", allow_private=True, timeout=0.5)

    assert (result.ok, result.status, result.error) == (False, None, "timeout")


def test_probe_refuses_private_site():
    result = probe("http://10.0.0.8/")

    assert (result.ok, result.error) == (False, "refused_private")
