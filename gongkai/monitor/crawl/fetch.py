"""The one way out to the network for the monitor crawler (STYLE habit 11).

Every request of the crawler goes through :func:`fetch`. It

* refuses private, loopback, link-local, multicast and reserved addresses — checked when the
  connection is made (a resolver wrapper), so a host that resolves to a public address for the
  first look and a private one later (DNS rebinding) is refused too; ``allow_private=True``
  admits loopback only (tests, local benchmarks), never 10/8, 192.168/16 and the like;
* follows redirects itself, checking every hop and stopping redirect loops;
* enforces a total deadline per response (hostile servers that trickle bytes) and a size cap.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver

USER_AGENT = "Gongkai-Monitor/1.0 (+https://github.com/gongkai; government website inspection)"
MAX_REDIRECTS = 10


class RefusedAddress(Exception):
    """The host resolves to an address the crawler must not visit."""

    def __init__(self, host: str, address: str = ""):
        self.host = host
        self.address = address
        shown = f"{host}（{address}）" if address and address != host else host
        super().__init__(f"拒绝访问内网或保留地址：{shown}")


def address_allowed(address: str, *, allow_private: bool = False) -> bool:
    """True when the crawler may connect to ``address``.

    Only global unicast addresses pass; with ``allow_private`` loopback passes as well.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_private
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


class GuardedResolver(AbstractResolver):
    """Resolve with the system resolver, then drop every address the crawler may not visit."""

    def __init__(self, *, allow_private: bool = False, inner: AbstractResolver | None = None):
        self._inner = inner or ThreadedResolver()
        self.allow_private = allow_private

    async def resolve(self, host, port=0, family=socket.AF_INET):
        results = await self._inner.resolve(host, port, family)
        allowed = [
            r for r in results if address_allowed(r["host"], allow_private=self.allow_private)
        ]
        if not allowed:
            raise RefusedAddress(host, results[0]["host"] if results else "")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


def check_literal_host(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host is an IP literal the crawler may not visit (aiohttp does not
    ask the resolver about literals), or ``localhost``."""
    host = urlsplit(url).hostname or ""
    if not _literal_ok(host, allow_private):
        raise RefusedAddress(host, host if host[:1].isdigit() or ":" in host else "")


@functools.lru_cache(maxsize=4096)
def _literal_ok(host: str, allow_private: bool) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return allow_private or not (host == "localhost" or host.endswith(".localhost"))
    return address_allowed(host, allow_private=allow_private)


def make_session(
    *, allow_private: bool = False, limit: int = 100, dns: AbstractResolver | None = None
) -> aiohttp.ClientSession:
    """A session whose every connection goes through :class:`GuardedResolver` (``dns`` replaces
    the system resolver underneath it — tests use it to play a rebinding DNS server)."""
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(allow_private=allow_private, inner=dns),
        limit=limit,
        limit_per_host=0,
        ttl_dns_cache=60,
        ssl=False,  # many government sites serve broken certificate chains; we judge content
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": USER_AGENT},
        auto_decompress=True,
        cookie_jar=aiohttp.DummyCookieJar(),
    )


@dataclass
class Response:
    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    final_url: str = ""
    error: str = ""  # timeout, dns, refused, refused_private, too_large, redirect_loop, …
    latency_ms: float | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    method: str = "GET",
    timeout: float = 15.0,
    max_bytes: int = 5_000_000,
    headers: dict[str, str] | None = None,
    allow_private: bool = False,
    read_body: bool = True,
) -> Response:
    """Fetch ``url``; never raises for network trouble — the error is in ``Response.error``.

    ``timeout`` bounds the whole exchange including all redirects and the body. A body
    longer than ``max_bytes`` is cut there and reported as ``too_large`` (the status stays).
    """
    result = Response(url=url)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            await _fetch_into(
                result, session, url, method, max_bytes, headers or {}, allow_private, read_body
            )
    except TimeoutError:
        result.error = "timeout"
    except RefusedAddress:
        result.error = "refused_private"
    except aiohttp.ClientConnectorDNSError:
        result.error = "dns"
    except aiohttp.ClientConnectorError as exc:
        result.error = "dns" if isinstance(exc.os_error, socket.gaierror) else "refused"
    except aiohttp.ClientPayloadError:
        result.error = "truncated"
    except aiohttp.ServerDisconnectedError:
        result.error = "disconnected"
    except (aiohttp.ClientError, ValueError, UnicodeError) as exc:
        result.error = f"error:{type(exc).__name__}"
    result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    if not result.final_url:
        result.final_url = url
    return result


async def _fetch_into(result, session, url, method, max_bytes, headers, allow_private, read_body):
    seen = {url}
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        check_literal_host(current, allow_private=allow_private)
        async with session.request(method, current, headers=headers, allow_redirects=False) as resp:
            result.status = resp.status
            result.headers = {k.lower(): v for k, v in resp.headers.items()}
            result.final_url = current
            location = resp.headers.get("Location")
            if resp.status in (301, 302, 303, 307, 308) and location:
                nxt = urljoin(current, location).split("#", 1)[0]
                result.redirects.append(nxt)
                if nxt in seen:
                    result.error = "redirect_loop"
                    return
                seen.add(nxt)
                current = nxt
                if resp.status == 303:
                    method = "GET"
                continue
            if not read_body or method == "HEAD":
                return
            declared = resp.content_length
            if declared is not None and declared > max_bytes:
                result.body = await resp.content.read(max_bytes)
                result.error = "too_large"
                return
            if declared is not None:
                # aiohttp reads exactly the declared length (the deadline still applies).
                result.body = await resp.read()
                return
            chunks = []
            size = 0
            async for chunk in resp.content.iter_chunked(65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    result.error = "too_large"
                    break
            result.body = b"".join(chunks)[:max_bytes]
            return
    result.error = "redirect_loop"
