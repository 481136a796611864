"""`gongkai bench monitor` — our crawler against LinkChecker on a local nginx site farm.

Both run as child processes over the same farm (``farm.Farm``): CPU seconds are the
children's ``getrusage`` (start-up included for both), peak memory their own
``ru_maxrss``. Our results are scored per fault kind against the farm's manifest; the
broken-link sets of both tools are compared URL by URL.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import CommandError

LINKCHECKER = Path(sys.executable).parent / "linkchecker"


def add_arguments(parser) -> None:
    """Add this benchmark's options to its `gongkai bench monitor` sub-parser."""
    parser.add_argument("--sites", type=int, default=10, help="站点数 / sites in the farm")
    parser.add_argument("--pages", type=int, default=500, help="每站页面数 / pages per site")
    parser.add_argument(
        "--timeout", type=int, default=2, help="单次请求超时秒数（两者相同） / per-request timeout"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="本系统爬虫进程数（站点轮流分配） / crawler processes (default: CPU count)",
    )
    parser.add_argument(
        "--threads", type=int, default=10, help="LinkChecker 线程数 / LinkChecker threads"
    )
    parser.add_argument(
        "--utf8-only",
        action="store_true",
        help="全部站点用 UTF-8（LinkChecker 读不了 GBK 页面） / all sites UTF-8",
    )
    parser.add_argument(
        "--no-linkchecker", action="store_true", help="只测本系统 / skip LinkChecker"
    )
    parser.add_argument(
        "--json", dest="as_json", action="store_true", help="输出一个 JSON 对象 / one JSON object"
    )


def _children_rusage():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_ours(
    site_urls: list[str], *, today: date, timeout: float, processes: int, workdir: Path
) -> dict:
    """Crawl every site concurrently in ``processes`` child processes (sites dealt round-robin,
    as crawler workers would take them); return figures and the results in site order."""
    processes = max(1, min(processes, len(site_urls)))
    shares = [site_urls[i::processes] for i in range(processes)]
    cpu_before = _children_rusage()
    started = time.perf_counter()
    children = []
    for index, share in enumerate(shares):
        out = workdir / f"ours-{index}.pickle"
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongkai.monitor.crawl.bench_child", str(out)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        proc.stdin.write(
            json.dumps({"sites": share, "today": today.isoformat(), "timeout": timeout})
        )
        proc.stdin.close()
        children.append((proc, out))
    figures = []
    for proc, _out in children:
        stdout = proc.stdout.read()
        stderr = proc.stderr.read()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        if proc.returncode:
            raise CommandError(f"本系统爬虫子进程失败：{stderr[-2000:]}")
        figures.append(json.loads(stdout))
    wall = time.perf_counter() - started
    by_url = {}
    for _proc, out in children:
        for result in pickle.loads(out.read_bytes()):
            by_url[result.site_url] = result
    results = [by_url[url if url.endswith("/") else url + "/"] for url in site_urls]
    return {
        "wall_seconds": wall,
        "crawl_seconds": max(f["crawl_seconds"] for f in figures),
        "runqueue_wait_seconds": max(f["runqueue_wait_seconds"] for f in figures),
        "cpu_seconds": _children_rusage() - cpu_before,
        "crawl_cpu_seconds": sum(f["crawl_cpu_seconds"] for f in figures),
        "peak_rss_mb": sum(f["maxrss_kb"] for f in figures) / 1024,
        "pages": html_pages(
            {link.url for r in results for link in r.links if link.status == 200}, site_urls
        ),
        "urls": sum(len(r.links) for r in results),
        "results": results,
    }


def run_linkchecker(site_urls: list[str], *, timeout: int, threads: int, workdir: Path) -> dict:
    """LinkChecker unthrottled (TECH_NOTES "Crawling"): a high ``maxrequestspersecond`` and the
    farm's ``LinkChecker`` response header; external links checked; CSV of every URL."""
    if not LINKCHECKER.exists():
        raise CommandError(f"未找到 LinkChecker：{LINKCHECKER}")
    rc = workdir / "linkcheckerrc"
    rc.write_text(
        "[checking]\n"
        f"threads={threads}\n"
        f"timeout={timeout}\n"
        "maxrequestspersecond=100000\n"
        "[filtering]\n"
        "checkextern=1\n"
        "[output]\n"
        "verbose=1\n"
    )
    wrapper = (
        "import sys\n"
        "from linkcheck.command.linkchecker import linkchecker\n"
        "try:\n"
        "    code = linkchecker()\n"
        "finally:\n"
        "    hwm = [x for x in open('/proc/self/status') if x.startswith('VmHWM:')]\n"
        "    sys.stderr.write('\\nMAXRSS ' + (hwm[0].split()[1] if hwm else '0') + '\\n')\n"
        "sys.exit(code)\n"
    )
    cpu_before = _children_rusage()
    started = time.perf_counter()
    # LinkChecker drops root privileges to "nobody": it writes its CSV to stdout, not a file.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            wrapper,
            "-f",
            str(rc),
            "--no-status",
            "-o",
            "csv/utf-8",
            *site_urls,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    cpu = _children_rusage() - cpu_before
    maxrss = 0
    for line in proc.stderr.splitlines():
        if line.startswith("MAXRSS "):
            maxrss = int(line.split()[1])
    rows = [
        row
        for row in csv.DictReader(
            io.StringIO("\n".join(x for x in proc.stdout.splitlines() if not x.startswith("#"))),
            delimiter=";",
        )
    ]
    urls = {row["url"] for row in rows if row.get("url")}
    pages = html_pages({row["url"] for row in rows if row.get("valid") == "True"}, site_urls)
    broken = {row["url"] for row in rows if row.get("valid") == "False"}
    return {
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "peak_rss_mb": maxrss / 1024,
        "pages": pages,
        "urls": len(urls),
        "broken": broken,
        "exit_code": proc.returncode,
        "warnings": [
            line
            for line in proc.stderr.splitlines()
            if "WARNING" in line and "root user" not in line
        ][:10],
    }


def html_pages(ok_urls: set[str], site_urls: list[str]) -> int:
    """HTML pages fetched without error — one rule for both tools (the farm's pages end in
    ``.html`` or ``/``)."""
    sites = {urlsplit(url).netloc for url in site_urls}
    return sum(
        1
        for url in ok_urls
        if urlsplit(url).netloc in sites and urlsplit(url).path.endswith((".html", "/"))
    )


def classify(link, site_netloc: str) -> str:
    """Our view of a broken link's fault kind (compared with the manifest's)."""
    if link.error == "timeout":
        return "slow"
    if urlsplit(link.url).netloc != site_netloc:
        return "broken_external"
    if link.status is not None and link.status >= 500:
        return "failing"
    return "broken_internal"


def score(manifest: dict, results: list, *, today: date) -> dict:
    """Precision and recall per fault kind against the manifest (the ground truth)."""
    from gongkai.monitor.farm import FAULT_KINDS
    from gongkai.monitor.rules import evaluate_crawl

    truth: dict[str, set] = defaultdict(set)
    found: dict[str, set] = defaultdict(set)
    for site, result in zip(manifest["sites"], results, strict=True):
        netloc = urlsplit(site["url"]).netloc
        for kind in FAULT_KINDS:
            truth[kind] |= {f["url"] for f in site["faults"][kind]}
        for link in result.broken_links:
            found[classify(link, netloc)].add(link.url)
        ev = evaluate_crawl(result, today=today)
        truth["stale_column"] |= set(site["faults"]["stale_columns"])
        truth["blank_column"] |= set(site["faults"]["blank_columns"])
        found["stale_column"] |= {c["url"] for c in ev.stale_columns}
        found["blank_column"] |= {c["url"] for c in ev.blank_columns}
    out = {}
    for kind in (*FAULT_KINDS, "stale_column", "blank_column"):
        hits = len(truth[kind] & found[kind])
        out[kind] = {
            "injected": len(truth[kind]),
            "found": len(found[kind]),
            "precision": hits / len(found[kind]) if found[kind] else 1.0,
            "recall": hits / len(truth[kind]) if truth[kind] else 1.0,
        }
    return out


def run(options: dict, *, stdout, stderr) -> None:
    """Run the benchmark and print its figures; raise CommandError with a Chinese message."""
    from gongkai.monitor.farm import Farm, broken_set

    today = date.today()
    gbk = not options.get("utf8_only")
    figures: dict = {
        "sites": options["sites"],
        "pages_per_site": options["pages"],
        "gbk_sites": gbk,
        "processes": options["processes"],
        "cpus": os.cpu_count(),
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    with (
        tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp,
        Farm(sites=options["sites"], pages=options["pages"], today=today, gbk=gbk) as farm,
    ):
        workdir = Path(tmp)
        sites = farm.site_urls
        figures["farm_html_pages"] = sum(site["pages"] for site in farm.manifest["sites"])
        truth = broken_set(farm.manifest)
        figures["injected_broken"] = len(truth)
        stderr.write(f"农场已生成：{len(sites)} 个站点，{figures['farm_html_pages']} 个页面\n")
        ours = run_ours(
            sites,
            today=today,
            timeout=options["timeout"],
            processes=options["processes"],
            workdir=workdir,
        )
        results = ours.pop("results")
        our_broken = {link.url for r in results for link in r.broken_links}
        ours["pages_per_second"] = ours["pages"] / ours["wall_seconds"]
        ours["urls_per_second"] = ours["urls"] / ours["wall_seconds"]
        ours["broken"] = len(our_broken)
        ours["scores"] = score(farm.manifest, results, today=today)
        ours["missed"] = sorted(truth - our_broken)
        ours["unexpected"] = sorted(our_broken - truth)
        figures["ours"] = ours
        if not options.get("no_linkchecker"):
            stderr.write("本系统完成，开始运行 LinkChecker…\n")
            lc = run_linkchecker(
                sites, timeout=options["timeout"], threads=options["threads"], workdir=workdir
            )
            lc_broken = lc.pop("broken")
            lc["pages_per_second"] = lc["pages"] / lc["wall_seconds"]
            lc["urls_per_second"] = lc["urls"] / lc["wall_seconds"]
            lc["broken"] = len(lc_broken)
            lc["missed"] = sorted(truth - lc_broken)
            lc["unexpected"] = sorted(lc_broken - truth)
            figures["linkchecker"] = lc
            figures["same_broken_set"] = lc_broken == our_broken
            figures["only_ours"] = sorted(our_broken - lc_broken)
            figures["only_linkchecker"] = sorted(lc_broken - our_broken)
            figures["speedup_pages_per_second"] = ours["pages_per_second"] / lc["pages_per_second"]
            figures["speedup_urls_per_second"] = ours["urls_per_second"] / lc["urls_per_second"]
            figures["cpu_ratio"] = ours["cpu_seconds"] / lc["cpu_seconds"]
    figures["load_average_after"] = round(os.getloadavg()[0], 2)
    for side in ("ours", "linkchecker"):
        if side in figures:
            figures[side]["cpu_ms_per_url"] = (
                1000 * figures[side]["cpu_seconds"] / figures[side]["urls"]
            )
    if options.get("as_json"):
        stdout.write(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    else:
        stdout.write(render(figures))


def _fmt_side(name: str, side: dict) -> list[str]:
    crawl = (
        f"（其中抓取 {side['crawl_seconds']:.2f} 秒，"
        f"等待 CPU {side['runqueue_wait_seconds']:.2f} 秒）"
        if "crawl_seconds" in side
        else ""
    )
    return [
        f"{name}：{side['pages']} 页 / {side['urls']} 个网址，用时 {side['wall_seconds']:.2f} 秒"
        f"{crawl}，{side['pages_per_second']:.0f} 页/秒，{side['urls_per_second']:.0f} 网址/秒，"
        f"CPU {side['cpu_seconds']:.2f} 秒（每网址 {side['cpu_ms_per_url']:.2f} 毫秒），"
        f"峰值内存 {side['peak_rss_mb']:.0f} MB，失效链接 {side['broken']} 个"
        f"（漏报 {len(side['missed'])}，多报 {len(side['unexpected'])}）"
    ]


def render(f: dict) -> str:
    lines = [
        f"机器：{f['cpus']} 核，运行前后 1 分钟负载 {f['load_average_before']} / {f['load_average_after']}"
        "（负载高时墙钟速度只作参考，CPU 秒更可比）",
        f"网站巡检基准（本系统 {f['processes']} 个进程）：{f['sites']} 个站点 × {f['pages_per_site']} 页"
        f"（实际 {f['farm_html_pages']} 个 HTML 页面，注入失效链接 {f['injected_broken']} 个；"
        f"{'三分之二站点为 GBK' if f['gbk_sites'] else '全部 UTF-8'}）",
    ]
    lines += _fmt_side("本系统", f["ours"])
    lines.append("本系统按故障类别（精确率 / 召回率）：")
    for kind, s in f["ours"]["scores"].items():
        lines.append(
            f"  {kind:<16} 注入 {s['injected']:>4}  发现 {s['found']:>4}  "
            f"{s['precision']:.3f} / {s['recall']:.3f}"
        )
    if "linkchecker" in f:
        lines += _fmt_side("LinkChecker", f["linkchecker"])
        lines.append(
            f"速度比（页/秒）{f['speedup_pages_per_second']:.1f}×，（网址/秒）"
            f"{f['speedup_urls_per_second']:.1f}×；CPU 秒之比（本系统/LinkChecker）{f['cpu_ratio']:.2f}"
        )
        lines.append(f"失效链接集合相同：{'是' if f['same_broken_set'] else '否'}")
        for label, urls in (
            ("仅本系统", f["only_ours"]),
            ("仅 LinkChecker", f["only_linkchecker"]),
        ):
            if urls:
                lines.append(f"{label}发现 {len(urls)} 个：")
                lines += [f"  {url}" for url in urls[:30]]
    return "\n".join(lines) + "\n"
