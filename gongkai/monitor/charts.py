"""Server-rendered SVG charts (no scripts, no inline styles: the CSP forbids both).

Colours come from classes styled in ``static/monitor/monitor.css``.
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

RULE_NAMES = {
    "MON-6": "链接/栏目不可用",
    "MON-8": "站点无法访问",
    "MON-9": "首页不更新",
    "MON-10": "栏目不更新/空白",
    "MON-11": "严重错误（待核）",
    "MON-12": "互动回应差",
    "MON-16": "扣分（2015）",
    "MON-17": "扣分（2019）",
}


def _svg(width: int, height: int, body: list[str], label: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def bars(items: list[tuple[str, float]], *, label: str, css: str = "bar") -> SafeString:
    """Horizontal bars, one row per (name, value)."""
    if not items:
        return mark_safe('<p class="empty">暂无数据</p>')
    top = max(value for _, value in items) or 1
    # Room for the longest label: CJK characters about 12 px wide at the axis font, others 7.
    longest = max(sum(12 if ord(c) > 0x2E7F else 7 for c in name) for name, _ in items)
    row, left = 26, max(80, min(280, longest + 16))
    width = left + 370
    body = []
    for i, (name, value) in enumerate(items):
        y = i * row + 4
        w = max(1.0, (width - left - 50) * value / top)
        body.append(
            f'<text class="axis" x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(name)}</text>'
            f'<rect class="{css}" x="{left}" y="{y}" width="{w:.1f}" height="18"/>'
            f'<text class="value" x="{left + w + 6:.1f}" y="{y + 14}">{value:g}</text>'
        )
    return _svg(width, row * len(items) + 8, body, label)


def findings_by_rule(findings) -> SafeString:
    counts = Counter(findings.values_list("rule", flat=True))
    items = [(f"{RULE_NAMES.get(rule, rule)}（{rule}）", n) for rule, n in sorted(counts.items())]
    return bars(items, label="发现问题按规则分布", css="bar findings")


def score_histogram(runs) -> SafeString:
    buckets = {"不合格（单项否决）": 0, "<60": 0, "60–79": 0, "80–89": 0, "90–100": 0}
    for run in runs:
        if run.veto:
            buckets["不合格（单项否决）"] += 1
        elif run.score is None:
            continue
        elif run.score < 60:
            buckets["<60"] += 1
        elif run.score < 80:
            buckets["60–79"] += 1
        elif run.score < 90:
            buckets["80–89"] += 1
        else:
            buckets["90–100"] += 1
    return bars(list(buckets.items()), label="最近一次检查得分分布", css="bar scores")


def score_history(runs) -> SafeString:
    """Scores over time (a vetoed run is drawn at 0 and marked)."""
    points = [
        (run.point, 0.0 if run.veto else float(run.score or 0), bool(run.veto)) for run in runs
    ]
    if not points:
        return mark_safe('<p class="empty">暂无检查记录</p>')
    width, height, pad = 640, 220, 36
    span = max(1, len(points) - 1)

    def xy(i, score):
        return pad + (width - 2 * pad) * i / span, height - pad - (height - 2 * pad) * score / 100

    body = [
        f'<line class="grid" x1="{pad}" x2="{width - pad}" y1="{xy(0, s)[1]:.1f}" '
        f'y2="{xy(0, s)[1]:.1f}"/><text class="axis" x="{pad - 6}" y="{xy(0, s)[1] + 4:.1f}" '
        f'text-anchor="end">{s}</text>'
        for s in (0, 60, 100)
    ]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{xy(i, s)[0]:.1f},{xy(i, s)[1]:.1f}"
        for i, (_, s, _) in enumerate(points)
    )
    body.append(f'<path class="line" d="{path}"/>')
    for i, (day, score, vetoed) in enumerate(points):
        x, y = xy(i, score)
        css = "dot veto" if vetoed else "dot"
        body.append(
            f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{day.isoformat()}：{'单项否决' if vetoed else f'{score:g}分'}</title></circle>"
        )
    body.append(
        f'<text class="axis" x="{pad}" y="{height - 8}">{points[0][0].isoformat()}</text>'
        f'<text class="axis" x="{width - pad}" y="{height - 8}" text-anchor="end">'
        f"{points[-1][0].isoformat()}</text>"
    )
    return _svg(width, height, body, "得分变化")
