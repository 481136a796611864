"""Charts of a report as images: SVG for HTML and PDF, PNG for DOCX (which cannot hold SVG).

Each chart is laid out once as a list of rectangles, lines and texts; ``svg()`` and
``png()`` only draw that list, so the two images cannot disagree. No plotting library: the
shapes are few, and Pillow (already needed by WeasyPrint) draws the PNG with the same Noto
CJK font the PDF uses — without it Chinese labels would come out as boxes.

Where the numbers come from (keys of ``AnnualReport.figures``):

- channels: ``applications.channel.<name>`` (label and value of each figure);
- outcomes: table 三's result rows summed by family (（一）予以公开 … （六）其他处理), column
  总计; a legacy report (no table 三) draws its reply types, ``replies.<type>``;
- trend: ``trend.received.<year>`` for earlier years, plus this year's 一、本年新收 (or the
  figure ``applications.total``); drawn from two years on.
"""

import html
import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from gongkai.reports.rules import percentage
from gongkai.reports.tables import AnnualReport, Number, t3_rows

FONT_FAMILY = "Noto Sans CJK SC"
SVG_FONT = f"'{FONT_FAMILY}', 'Noto Sans CJK', sans-serif"
RED, GREY, INK, MUTED, RULE = "#b31b1b", "#8a94a3", "#1f2328", "#5b6470", "#c8ccd1"
WIDTH, PAD = 640, 16
TITLE_SIZE, TEXT_SIZE = 16, 13
MAX_LABEL_CHARS = 16


@dataclass(frozen=True)
class Chart:
    key: str  # "channels", "outcomes", "trend"
    title: str
    kind: str  # "bars": horizontal, with shares; "columns": one per year
    items: tuple[tuple[str, Number], ...]
    unit: str = "件"
    section: str = "三"  # numeral of the section the chart illustrates

    def description(self) -> str:
        """The chart's numbers as one sentence, for screen readers and DOCX alt text."""
        return "；".join(f"{label}：{_value(value)}{self.unit}" for label, value in self.items)


# --- Which charts a report has ---------------------------------------------------------------


def charts(report: AnnualReport) -> list[Chart]:
    found = [channels(report), outcomes(report), trend(report)]
    return [chart for chart in found if chart is not None]


def _figures(report: AnnualReport, prefix: str):
    """Figures ``<prefix><name>``, not their derived ones (``….in_person.share``, parts)."""
    return [
        f for f in report.figures if f.key.startswith(prefix) and "." not in f.key[len(prefix) :]
    ]


def channels(report: AnnualReport) -> Chart | None:
    figures = _figures(report, "applications.channel.")
    if not figures:
        return None
    items = tuple((f.label, f.value) for f in figures)
    return Chart("channels", "政府信息公开申请渠道", "bars", items, figures[0].unit)


_ORDINAL = re.compile(r"^（[一二三四五六七八九十]+）")
_REMARK = re.compile(r"（[^（）]*）$")


def family_label(label: str) -> str:
    """“（二）部分公开（区分处理的，只计这一情形，不计其他情形）” → “部分公开”."""
    return _REMARK.sub("", _ORDINAL.sub("", label))


def outcomes(report: AnnualReport) -> Chart | None:
    t3 = report.tables.t3
    if not t3:
        figures = _figures(report, "replies.")
        if not figures:
            return None
        items = tuple((f.label, f.value) for f in figures)
        return Chart("outcomes", "申请答复情况", "bars", items, figures[0].unit)
    families: dict[str, Number] = {}
    labels: dict[str, str] = {}
    for key, label, level, numbers in t3_rows(report.style):
        if level == 1 and key != "三(七)":
            labels[key] = family_label(label)
            families.setdefault(key, 0)
        family = key[:4]  # "三(三)1" → "三(三)"
        if numbers and family in labels and families[family] is not None:
            value = t3.get(key, {}).get("total")
            families[family] = None if value is None else families[family] + value
    items = tuple((labels[key], value) for key, value in families.items())
    return Chart("outcomes", "申请办理结果（按类别）", "bars", items)


def trend(report: AnnualReport) -> Chart | None:
    years: dict[int, Number] = {}
    for figure in _figures(report, "trend.received."):
        suffix = figure.key.rsplit(".", 1)[-1]
        if suffix.isdigit():
            years[int(suffix)] = figure.value
    this_year = report.tables.t3.get("一", {}).get("total")
    if this_year is None:
        this_year = next((f.value for f in report.figures if f.key == "applications.total"), None)
    if this_year is not None:
        years.setdefault(report.year, this_year)
    if len(years) < 2:
        return None
    items = tuple((f"{year}年", years[year]) for year in sorted(years))
    return Chart("trend", "历年收到政府信息公开申请数量", "columns", items)


# --- Layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = RULE


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = TEXT_SIZE
    anchor: str = "start"  # "start", "middle", "end"
    fill: str = INK
    bold: bool = False


@dataclass(frozen=True)
class Scene:
    width: float
    height: float
    shapes: tuple


def em_width(text: str) -> float:
    """Approximate width in ems: CJK and full-width characters 1, others ~0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.58 for c in text)


def _value(value: Number) -> str:
    if value is None:
        return "（缺）"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def layout(chart: Chart) -> Scene:
    return _columns(chart) if chart.kind == "columns" else _bars(chart)


def _bars(chart: Chart) -> Scene:
    row_h, bar_h, top = 30, 18, 52
    total = sum(v for _, v in chart.items if v is not None)
    top_value = max((v for _, v in chart.items if v is not None), default=0)
    labels = [_short(label) for label, _ in chart.items]
    values = []
    for _, value in chart.items:
        text = f"{_value(value)}{chart.unit}"
        if value is not None and total:
            text += f"（{percentage(value, total)}%）"  # RPT-25: half-up, one decimal
        values.append(text)
    label_w = max(em_width(text) for text in labels) * TEXT_SIZE + 10
    value_w = max(em_width(text) for text in values) * TEXT_SIZE + 8
    x0 = PAD + label_w
    bar_w = WIDTH - PAD - x0 - value_w
    shapes: list = [Text(PAD, 30, chart.title, TITLE_SIZE, bold=True)]
    height = top + row_h * len(chart.items) + PAD
    shapes.append(Line(x0, top - 6, x0, top + row_h * len(chart.items) - 6))
    for i, ((_, value), label, text) in enumerate(zip(chart.items, labels, values, strict=True)):
        y = top + i * row_h
        width = bar_w * float(value) / float(top_value) if value and top_value else 0
        shapes.append(Text(x0 - 8, y + 13, label, anchor="end"))
        if width:
            shapes.append(Rect(x0, y, width, bar_h, RED))
        shapes.append(Text(x0 + width + 6, y + 13, text, fill=MUTED))
    return Scene(WIDTH, height, tuple(shapes))


def _columns(chart: Chart) -> Scene:
    top, plot_h = 64, 180
    base = top + plot_h
    n = len(chart.items)
    slot = (WIDTH - 2 * PAD) / n
    col_w = min(56.0, slot * 0.6)
    top_value = max((v for _, v in chart.items if v is not None), default=0)
    shapes: list = [Text(PAD, 30, chart.title, TITLE_SIZE, bold=True)]
    shapes.append(Line(PAD, base, WIDTH - PAD, base))
    for i, (label, value) in enumerate(chart.items):
        centre = PAD + slot * (i + 0.5)
        h = plot_h * float(value) / float(top_value) if value and top_value else 0
        if h:
            fill = RED if i == n - 1 else GREY
            shapes.append(Rect(centre - col_w / 2, base - h, col_w, h, fill))
        shapes.append(Text(centre, base - h - 6, _value(value), anchor="middle", fill=MUTED))
        shapes.append(Text(centre, base + 20, label, anchor="middle"))
    return Scene(WIDTH, base + 20 + PAD, tuple(shapes))


# --- Drawing ---------------------------------------------------------------------------------


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def svg(chart: Chart) -> str:
    """The chart as an inline ``<svg>`` element (presentation attributes only, no style)."""
    scene = layout(chart)
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{chart.key}" '
        f'viewBox="0 0 {_n(scene.width)} {_n(scene.height)}" '
        f'width="{_n(scene.width)}" height="{_n(scene.height)}" role="img" '
        f'aria-label="{e(chart.title)}" font-family="{SVG_FONT}">',
        f"<title>{e(chart.title)}</title><desc>{e(chart.description())}</desc>",
        f'<rect x="0" y="0" width="{_n(scene.width)}" height="{_n(scene.height)}" fill="#fff"/>',
    ]
    for s in scene.shapes:
        if isinstance(s, Rect):
            parts.append(
                f'<rect x="{_n(s.x)}" y="{_n(s.y)}" width="{_n(s.w)}" height="{_n(s.h)}" '
                f'fill="{s.fill}"/>'
            )
        elif isinstance(s, Line):
            parts.append(
                f'<line x1="{_n(s.x1)}" y1="{_n(s.y1)}" x2="{_n(s.x2)}" y2="{_n(s.y2)}" '
                f'stroke="{s.stroke}" stroke-width="1"/>'
            )
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            parts.append(
                f'<text x="{_n(s.x)}" y="{_n(s.y)}" font-size="{_n(s.size)}" '
                f'text-anchor="{s.anchor}" fill="{s.fill}"{weight}>{e(s.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=2)
def font_file(bold: bool = False) -> tuple[str, int]:
    """(file, index in the collection) of Noto Sans CJK SC, asked of fontconfig."""
    pattern = f"{FONT_FAMILY}:style={'Bold' if bold else 'Regular'}"
    found = subprocess.run(
        ["fc-match", "--format=%{file}\n%{index}\n%{family}", pattern],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    if len(found) < 3 or FONT_FAMILY not in found[2]:
        # fc-match always answers with *some* font; a Latin one would draw boxes.
        raise RuntimeError(f"{FONT_FAMILY} not found: install Debian's fonts-noto-cjk")
    return found[0], int(found[1])


@lru_cache(maxsize=16)
def _font(size: int, bold: bool):
    from PIL import ImageFont

    path, index = font_file(bold)
    return ImageFont.truetype(path, size, index=index)


_ANCHOR = {"start": "ls", "middle": "ms", "end": "rs"}


def png(chart: Chart, *, scale: int = 3) -> bytes:
    """The chart as PNG, ``scale`` pixels per SVG unit (3: sharp at 150 mm in print)."""
    from PIL import Image, ImageDraw

    scene = layout(chart)
    image = Image.new("RGB", (round(scene.width * scale), round(scene.height * scale)), "#fff")
    draw = ImageDraw.Draw(image)
    for s in scene.shapes:
        if isinstance(s, Rect):
            box = [s.x * scale, s.y * scale, (s.x + s.w) * scale - 1, (s.y + s.h) * scale - 1]
            draw.rectangle(box, fill=s.fill)
        elif isinstance(s, Line):
            draw.line([s.x1 * scale, s.y1 * scale, s.x2 * scale, s.y2 * scale], s.stroke, scale)
        else:
            font = _font(round(s.size * scale), s.bold)
            draw.text((s.x * scale, s.y * scale), s.text, s.fill, font, _ANCHOR[s.anchor])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
