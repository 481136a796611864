"""`gongkai monitor check URL` — crawl one site now and judge it (issue 6 §2).

``check_site`` returns a JSON-ready summary; ``add_arguments`` / ``run`` are delegated to by
the ``monitor`` management command.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from gongkai.monitor.crawl import Budget, CrawlResult, crawl_site

LOCAL = ZoneInfo("Asia/Shanghai")
EXIT_REFUSED = 2


def _evaluate(result: CrawlResult, today: date) -> dict:
    """Veto, score, stale and blank columns from the rules (MON-8…MON-10); the crawler only
    observes."""
    from gongkai.monitor.rules import evaluate_crawl, evaluation_as_dict

    return evaluation_as_dict(evaluate_crawl(result, today=today))


def summarize(result: CrawlResult, *, today: date, seconds: float | None = None) -> dict:
    if result.refused:
        return {"site": result.site_url, "refused": result.refused}
    judged = _evaluate(result, today)
    home = result.homepage
    return {
        "site": result.site_url,
        "refused": "",
        "today": today.isoformat(),
        "seconds": round(seconds, 2) if seconds is not None else None,
        "pages_fetched": result.pages_fetched,
        "links_checked": len(result.links),
        "homepage": {
            "ok": home.ok,
            "status": home.status,
            "latency_ms": home.latency_ms,
            "error": home.error,
        }
        if home
        else None,
        "broken_links": [
            {
                "url": link.url,
                "found_on": link.found_on,
                "status": link.status,
                "error": link.error,
                "kind": link.kind,
                "latency_ms": link.latency_ms,
            }
            for link in sorted(result.broken_links, key=lambda link: link.url)
        ],
        "columns": [
            {
                "url": c.url,
                "name": c.name,
                "entries": c.entries,
                "undated": sum(1 for d in c.dates if d is None),
                "newest": c.newest.isoformat() if c.newest else None,
                "status": c.status,
                "error": c.error,
            }
            for c in result.columns
        ],
        "stale_columns": judged["stale_columns"],
        "blank_columns": judged["blank_columns"],
        "availability": judged["availability"],
        "veto": judged["veto"],
        "score": judged["score"],
        "flag": judged.get("flag", ""),
        "assumptions": judged.get("assumptions", []),
        "traps": [{"kind": t.kind, "url": t.url, "detail": t.detail} for t in result.traps],
        "findings": judged.get("findings", []),
    }


def check_site(
    url: str,
    *,
    allow_private: bool = False,
    budget: Budget | None = None,
    today: date | None = None,
    columns: list[str] | None = None,
) -> dict:
    """Crawl ``url`` and judge it at ``today`` (default: today in China). A site whose
    address is private comes back with ``refused`` set and nothing else."""
    today = today or datetime.now(LOCAL).date()
    started = time.perf_counter()
    result = crawl_site(
        url, allow_private=allow_private, budget=budget, columns=columns, today=today
    )
    return summarize(result, today=today, seconds=time.perf_counter() - started)


def add_arguments(parser) -> None:
    parser.add_argument("url", help="网站首页网址 / homepage URL")
    parser.add_argument(
        "--json", dest="as_json", action="store_true", help="输出 JSON / print JSON"
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="允许本机回环地址（仅测试用，内网地址仍拒绝） / allow loopback only (tests)",
    )
    parser.add_argument(
        "--max-pages", type=int, default=None, help="本次最多抓取页面数 / page budget"
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="不限速（仅用于本机农场） / unthrottled, for local farms only",
    )
    parser.add_argument("--today", default=None, help="监测时间点 YYYY-MM-DD / monitoring point")


def run(options: dict, *, stdout, stderr) -> int:
    budget = Budget.fast() if options.get("fast") else Budget()
    if options.get("max_pages"):
        budget.max_pages = options["max_pages"]
    today = date.fromisoformat(options["today"]) if options.get("today") else None
    summary = check_site(
        options["url"], allow_private=bool(options.get("allow_private")), budget=budget, today=today
    )
    if summary["refused"]:
        stderr.write(f"未检查：{summary['refused']}\n")
        return EXIT_REFUSED
    if options.get("as_json"):
        stdout.write(json.dumps(summary, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        stdout.write(render_text(summary))
    return 0


def render_text(s: dict) -> str:
    home = s["homepage"] or {}
    if home.get("ok"):
        state = f"可访问（HTTP {home['status']}，{home['latency_ms']:.0f} 毫秒）"
    else:
        state = f"无法访问（{home.get('status') or home.get('error') or '无响应'}）"
    lines = [
        f"网站检查：{s['site']}（监测时间点 {s['today']}）",
        f"首页：{state}",
        f"抓取页面 {s['pages_fetched']} 个，检查链接 {s['links_checked']} 个，用时 {s['seconds']} 秒",
        f"无法访问的链接 {len(s['broken_links'])} 个：",
    ]
    lines += [
        f"  {link['status'] or link['error']}  {link['url']}（所在页面：{link['found_on'] or '—'}）"
        for link in s["broken_links"]
    ]
    lines.append(f"未按期更新的栏目 {len(s['stale_columns'])} 个：")
    lines += [
        f"  {c['name'] or '（无名）'}  {c['url']}  最新信息：{c['newest'] or '无日期'}"
        for c in s["stale_columns"]
    ]
    lines.append(f"空白栏目 {len(s['blank_columns'])} 个：")
    lines += [f"  {c['name'] or '（无名）'}  {c['url']}" for c in s["blank_columns"]]
    if s["traps"]:
        lines.append(f"抓取陷阱与限制 {len(s['traps'])} 项：")
        lines += [f"  {t['kind']}  {t['url']}  {t['detail']}" for t in s["traps"][:20]]
    lines.append(f"单项否决：{'、'.join(s['veto']) if s['veto'] else '无'}")
    lines.append(f"得分：{s['score'] if s['score'] is not None else '不计分（已否决）'}")
    return "\n".join(lines) + "\n"
