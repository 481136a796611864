"""A local farm of generated government-style websites with injected faults (issue 6 §2).

``generate`` writes static sites (a homepage with navigation, column list pages with dated
entries in several Chinese date formats, paginated, articles, images, attachments; some
sites in GBK) and a manifest of every injected fault — the ground truth the crawler and
LinkChecker are measured against. ``Farm`` serves it with Debian's nginx on free 127.0.0.1
ports, plus a second "external" host, a closed port (connection refused) and a black-hole
port behind ``/slow/`` (answers never come: a timeout).

    .venv/bin/python -m gongkai.monitor.farm --sites 20 --pages 500 [--serve]
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

NGINX = "/usr/sbin/nginx"
PER_LIST_PAGE = 20
COLUMN_NAMES = ("要闻动态", "通知公告", "政策文件", "部门动态", "人事信息", "规划计划")
FAULT_KINDS = ("broken_internal", "broken_external", "failing", "slow")
COLUMN_FAULTS = ("stale_columns", "blank_columns")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# (format, usable for old dates) — a date without a year cannot say it is 400 days old.
DATE_FORMATS = (
    (lambda d: d.isoformat(), True),
    (lambda d: f"{d.year}年{d.month}月{d.day}日", True),
    (lambda d: f"[{d.month:02d}-{d.day:02d}]", False),
    (lambda d: f"{d.year}/{d.month}/{d.day}", True),
    (lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}", True),
    (lambda d: f"{d.year % 100:02d}-{d.month:02d}-{d.day:02d}", True),
)


def _page(title: str, body: str, *, meta: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{title}</title></head><body>\n"
        f"{body}\n</body></html>\n"
    )


def generate(
    root: Path,
    *,
    site_bases: list[str],
    external_base: str,
    refused_base: str,
    pages: int = 500,
    today: date,
    seed: int = 42,
    gbk: bool = True,
) -> dict:
    """Write the farm under ``root`` (``s0/``, ``s1/`` …, ``ext/``); return the manifest."""
    rng = random.Random(seed)
    ext_dir = root / "ext"
    (ext_dir / "ok").mkdir(parents=True, exist_ok=True)
    (ext_dir / "index.html").write_text(_page("外部网站", "<p>外部</p>", meta=""), "utf-8")
    manifest = {"today": today.isoformat(), "external": external_base, "sites": []}
    for index, base in enumerate(site_bases):
        manifest["sites"].append(
            _generate_site(
                root / f"s{index}",
                index=index,
                base=base,
                external_base=external_base,
                ext_dir=ext_dir,
                refused_base=refused_base,
                pages=pages,
                today=today,
                rng=rng,
                gbk=gbk,
            )
        )
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def site_encoding(index: int, *, gbk: bool = True) -> tuple[str, str]:
    """(codec, how declared): every third site in GBK declared by ``<meta>``, the next in GBK
    declared only by the HTTP header, the rest UTF-8 (all UTF-8 when ``gbk`` is False)."""
    if not gbk:
        return ("utf-8", "meta")
    return {1: ("gbk", "meta"), 2: ("gbk", "header")}.get(index % 3, ("utf-8", "meta"))


def _generate_site(
    directory, *, index, base, external_base, ext_dir, refused_base, pages, today, rng, gbk
):
    codec, declared = site_encoding(index, gbk=gbk)
    meta = (
        f'<meta charset="{"gb2312" if codec == "gbk" else "utf-8"}">' if declared == "meta" else ""
    )
    for sub in ("img", "files"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    (directory / "img" / "logo.png").write_bytes(PNG)

    def write(path: str, title: str, body: str) -> None:
        target = directory / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_page(title, body, meta=meta).encode(codec))

    n_columns = len(COLUMN_NAMES)
    order = list(range(n_columns))
    rng.shuffle(order)
    blank = {order[0]} if index % 4 != 3 else set()  # most sites have one blank column
    stale = {order[1]} | ({order[2]} if index % 2 == 0 else set())
    live = [j for j in range(n_columns) if j not in blank]
    # Homepage, about page, list pages: the rest of the page budget is articles.
    articles_total = max(len(live) * 3, pages - 2 - n_columns - pages // PER_LIST_PAGE)
    per_column = {j: articles_total // len(live) for j in live}
    faults: dict[str, list] = {kind: [] for kind in FAULT_KINDS}
    faults["stale_columns"] = [f"{base}/c{j}/" for j in sorted(stale)]
    faults["blank_columns"] = [f"{base}/c{j}/" for j in sorted(blank)]
    home = f"{base}/"

    # Articles: (column, number, date), newest first per column.
    articles: list[tuple[int, int, date]] = []
    for j in live:
        newest = today - timedelta(days=rng.randint(400, 700) if j in stale else rng.randint(0, 3))
        for k in range(per_column[j]):
            articles.append((j, k, newest - timedelta(days=k * rng.randint(1, 3))))
    extra_links: dict[str, list[tuple[str, str]]] = {}  # page path → [(href, text)]
    hosts = ["/"] + [f"/c{j}/{k}.html" for j, k, _ in rng.sample(articles, min(40, len(articles)))]

    def inject(kind: str, href: str, status: int | None, *, on: str | None = None) -> None:
        page = on or rng.choice(hosts)
        extra_links.setdefault(page, []).append((href, "相关链接"))
        url = href if href.startswith("http") else base + href
        faults[kind].append({"url": url, "found_on": base + page, "status": status})

    n_broken = max(2, pages // 100)
    for n in range(n_broken):
        inject("broken_internal", f"/c{rng.choice(live)}/missing_{n}.html", 404)
    inject("broken_internal", f"/img/missing_{index}.png", 404, on="/")
    inject("broken_internal", f"/files/missing_{index}.pdf", 404)
    for n in range(max(1, pages // 200)):
        inject("broken_external", f"{external_base}/gone/{index}_{n}.html", 404)
    inject("broken_external", f"{refused_base}/site{index}.html", None)
    for n in range(1 + index % 2):
        inject("failing", f"/err/{index}_{n}.html", 503)
    inject("slow", f"/slow/{index}.html", None)

    nav = "".join(f'<a href="/c{j}/">{COLUMN_NAMES[j]}</a> ' for j in range(n_columns))
    nav = f'<div class="nav">{nav}<a href="/about.html">关于我们</a></div>'
    footer = '<div class="footer"><a href="/">首页</a> <img src="/img/logo.png" alt=""></div>'

    # Column list pages, paginated.
    by_column: dict[int, list[tuple[int, date]]] = {j: [] for j in range(n_columns)}
    for j, k, d in articles:
        by_column[j].append((k, d))
    for j in range(n_columns):
        fmt = DATE_FORMATS[(index + j) % len(DATE_FORMATS)]
        if j in stale and not fmt[1]:
            fmt = DATE_FORMATS[0]
        entries = by_column[j]
        chunks = [entries[i : i + PER_LIST_PAGE] for i in range(0, len(entries), PER_LIST_PAGE)]
        for p, chunk in enumerate(chunks or [[]]):
            items = "".join(
                f'<li><a href="/c{j}/{k}.html">{COLUMN_NAMES[j]}第{k}号信息</a>'
                f"<span>{fmt[0](d)}</span></li>"
                for k, d in chunk
            )
            body = f"{nav}<h1>{COLUMN_NAMES[j]}</h1>"
            body += (
                f'<ul class="list">{items}</ul>'
                if chunk
                else '<ul class="list"></ul><p>暂无信息</p>'
            )
            if p + 1 < len(chunks):
                body += f'<div class="page"><a href="/c{j}/index_{p + 1}.html">下一页</a></div>'
            name = "index.html" if p == 0 else f"index_{p}.html"
            write(f"/c{j}/{name}", COLUMN_NAMES[j], body + footer)

    # Articles.
    for j, k, d in articles:
        path = f"/c{j}/{k}.html"
        links = [f'<a href="/c{j}/">返回{COLUMN_NAMES[j]}</a>']
        if k % 10 == 3:
            (directory / "files" / f"{j}_{k}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
            links.append(f'<a href="/files/{j}_{k}.pdf">附件</a>')
        if k % 7 == 2:
            (directory / "img" / f"{j}_{k}.png").write_bytes(PNG)
            links.append(f'<img src="/img/{j}_{k}.png" alt="">')
        if k % 25 == 5:
            (ext_dir / "ok" / f"{index}_{j}_{k}.html").write_text("<p>ok</p>", "utf-8")
            links.append(f'<a href="{external_base}/ok/{index}_{j}_{k}.html">外部链接</a>')
        links += [f'<a href="{href}">{text}</a>' for href, text in extra_links.get(path, [])]
        body = f"{nav}<h1>{COLUMN_NAMES[j]}第{k}号信息</h1><p>发布日期：{d.isoformat()}</p>"
        body += "<p>" + "为进一步推进政府信息公开工作，现将有关事项通知如下。" * 8 + "</p>"
        write(path, f"{COLUMN_NAMES[j]}第{k}号信息", body + " ".join(links) + footer)

    home_links = " ".join(f'<a href="{href}">{text}</a>' for href, text in extra_links.get("/", []))
    latest = [a for a in articles if a[1] < 3]
    home_list = "".join(
        f'<p><a href="/c{j}/{k}.html">{COLUMN_NAMES[j]}第{k}号信息</a></p>' for j, k, _ in latest
    )
    write("/index.html", "某市人民政府", f"{nav}{home_list}{home_links}{footer}")
    write("/about.html", "关于我们", f"{nav}<p>本网站由某市人民政府主办。</p>{footer}")
    html_pages = sum(1 for _ in directory.rglob("*.html"))
    return {
        "url": home,
        "encoding": codec,
        "declared": declared,
        "pages": html_pages,
        "columns": [f"{base}/c{j}/" for j in range(n_columns)],
        "faults": faults,
    }


def broken_set(manifest: dict) -> set[str]:
    """Every URL that must be reported broken (all sites)."""
    return {
        f["url"] for site in manifest["sites"] for kind in FAULT_KINDS for f in site["faults"][kind]
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Farm:
    """Generate and serve a farm with nginx; use as a context manager."""

    sites: int = 3
    pages: int = 60
    today: date = field(default_factory=date.today)
    seed: int = 42
    gbk: bool = True  # some sites in GBK (False: all UTF-8)
    linkchecker_header: bool = True
    root: Path | None = None
    manifest: dict = field(default_factory=dict)
    _process: subprocess.Popen | None = None
    _blackhole: socket.socket | None = None
    _tmp: str = ""

    def __enter__(self) -> Farm:
        self._tmp = tempfile.mkdtemp(prefix="gongkai-farm-")
        os.chmod(self._tmp, 0o755)
        self.root = Path(self._tmp)
        ports = []
        while len(ports) < self.sites + 2:
            port = free_port()
            if port not in ports:
                ports.append(port)
        self._blackhole = socket.socket()
        self._blackhole.bind(("127.0.0.1", 0))
        self._blackhole.listen(4096)  # never accepted: requests behind /slow/ never answer
        site_bases = [f"http://127.0.0.1:{p}" for p in ports[: self.sites]]
        external = f"http://127.0.0.1:{ports[self.sites]}"
        refused = f"http://127.0.0.1:{ports[self.sites + 1]}"  # nobody listens there
        self.manifest = generate(
            self.root / "www",
            site_bases=site_bases,
            external_base=external,
            refused_base=refused,
            pages=self.pages,
            today=self.today,
            seed=self.seed,
            gbk=self.gbk,
        )
        self._start_nginx(ports[: self.sites + 1])
        return self

    def _start_nginx(self, ports: list[int]) -> None:
        conf = self.root / "nginx.conf"
        www = self.root / "www"
        header = "add_header LinkChecker unthrottled always;" if self.linkchecker_header else ""
        blackhole = self._blackhole.getsockname()[1]
        servers = []
        for index, port in enumerate(ports):
            is_site = index < self.sites
            directory = www / (f"s{index}" if is_site else "ext")
            charset = (
                "charset gbk;"
                if is_site and site_encoding(index, gbk=self.gbk) == ("gbk", "header")
                else ""
            )
            servers.append(
                f"""
    server {{
        listen 127.0.0.1:{port};
        root {directory};
        index index.html;
        {charset}
        {header}
        location ^~ /err/ {{ return 503; }}
        location ^~ /slow/ {{ proxy_pass http://127.0.0.1:{blackhole}; proxy_read_timeout 60s; }}
    }}"""
            )
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        temp = self.root / "tmp"
        temp.mkdir()
        conf.write_text(
            f"""{user}
daemon off;
worker_processes auto;
pid {self.root}/nginx.pid;
error_log {self.root}/error.log error;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    types {{ text/html html; image/png png; application/pdf pdf; text/plain txt; }}
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    keepalive_timeout 65;
    {"".join(servers)}
}}
"""
        )
        self._process = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(self.root), "-e", str(self.root / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        for port in ports:
            while True:
                if self._process.poll() is not None:
                    raise RuntimeError(f"nginx 启动失败：{self._process.stderr.read().decode()}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("nginx 未在 10 秒内开始监听") from None
                    time.sleep(0.02)

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process.stderr.close()
        if self._blackhole is not None:
            self._blackhole.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def site_urls(self) -> list[str]:
        return [site["url"] for site in self.manifest["sites"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="生成（并可启动）本地网站农场 / generate a site farm"
    )
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument(
        "--serve", action="store_true", help="启动 nginx 直到 Ctrl-C / serve until Ctrl-C"
    )
    args = parser.parse_args(argv)
    # SIGTERM ends like Ctrl-C: the context manager stops nginx and removes the farm.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with Farm(sites=args.sites, pages=args.pages) as farm:
        print(json.dumps({"root": str(farm.root), "sites": farm.site_urls}, ensure_ascii=False))
        if args.serve:
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
