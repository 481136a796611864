import io

from PIL import Image

from gongkai.reports.render import charts
from gongkai.reports.render.tests.samples import report_2021, report_legacy
from gongkai.reports.tables import Figure


def test_charts_of_a_2021_report_are_channels_outcomes_and_trend():
    found = charts.charts(report_2021())

    assert [(c.key, c.items) for c in found] == [
        ("channels", (("当面申请", 6), ("网络申请", 5), ("信函申请", 2))),
        (
            "outcomes",
            (
                ("予以公开", 7),
                ("部分公开", 1),
                ("不予公开", 1),
                ("无法提供", 2),
                ("不予处理", 1),
                ("其他处理", 1),
            ),
        ),
        ("trend", (("2019年", 9), ("2020年", 12), ("2021年", 13))),
    ]


def test_trend_needs_two_years():
    report = report_2021()
    report.figures = [f for f in report.figures if not f.key.startswith("trend.")]

    assert [c.key for c in charts.charts(report)] == ["channels", "outcomes"]


def test_legacy_outcomes_come_from_the_reply_figures():
    report = report_legacy()
    report.figures += [Figure("replies.granted", "同意公开答复数", 300)]

    chart = charts.outcomes(report)

    assert chart.items == (("同意公开答复数", 300),)


def test_svg_has_title_description_and_escaped_labels():
    chart = charts.Chart("channels", "渠道<b>", "bars", (("当面&申请", 3), ("网络申请", 1)))

    svg = charts.svg(chart)

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    assert "<title>渠道&lt;b&gt;</title>" in svg
    assert "<desc>当面&amp;申请：3件；网络申请：1件</desc>" in svg
    assert ">3件（75.0%）</text>" in svg
    assert "style=" not in svg  # CSP: presentation attributes only


def test_svg_and_png_are_drawn_from_one_layout():
    chart = charts.charts(report_2021())[1]
    scene = charts.layout(chart)

    image = Image.open(io.BytesIO(charts.png(chart, scale=2)))

    assert image.size == (scene.width * 2, scene.height * 2)
    assert f'viewBox="0 0 {scene.width} {scene.height}"' in charts.svg(chart)


def test_png_labels_use_the_noto_cjk_font():
    # fc-match answers with *some* font for any name; a Latin one would draw boxes.
    path, index = charts.font_file()

    assert "NotoSansCJK" in path
    assert index >= 0


def test_zero_and_missing_values_draw_no_bar():
    chart = charts.Chart("channels", "渠道", "bars", (("当面申请", 0), ("传真申请", None)))

    shapes = charts.layout(chart).shapes

    assert not [s for s in shapes if isinstance(s, charts.Rect)]
    assert [s.text for s in shapes if isinstance(s, charts.Text)][-1] == "（缺）件"


def test_charts_leave_out_derived_figures_and_parts():
    report = report_legacy()
    report.figures += [
        Figure("applications.channel.in_person.share", "当面申请占比", 59.6, "%", "computed"),
        Figure("replies.denied", "不同意公开答复数", 5),
        Figure("replies.denied.state_secret", "不同意公开答复数·涉及国家秘密", 5),
    ]

    channels, outcomes = charts.channels(report), charts.outcomes(report)

    assert [label for label, _ in channels.items] == [
        "当面申请数",
        "网络申请数",
        "信函申请数",
        "传真申请数",
    ]
    assert outcomes.items == (("不同意公开答复数", 5),)
