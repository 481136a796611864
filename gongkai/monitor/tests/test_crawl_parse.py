"""Reading list-page dates and charsets (MON-5, issue 6 §2)."""

from datetime import date

import pytest

from gongkai.monitor.crawl.parse import decode, find_date, link_kind

TODAY = date(2017, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    (
        ("关于开展安全检查的通知 2017-03-15", date(2017, 3, 15)),
        ("2017-3-5", date(2017, 3, 5)),
        ("发布日期：2017年3月15日", date(2017, 3, 15)),
        ("2017 年 03 月 05 日", date(2017, 3, 5)),
        ("2017/3/15", date(2017, 3, 15)),
        ("2017.03.15", date(2017, 3, 15)),
        ("20170315", date(2017, 3, 15)),
        ("17-03-15", date(2017, 3, 15)),
        ("[03-15]", date(2017, 3, 15)),  # year inferred: this year
        ("[12-28]", date(2016, 12, 28)),  # would be in the future: last year
        ("3月8日", date(2017, 3, 8)),
        ("(03/18)", date(2017, 3, 18)),
        ("02-29", date(2016, 2, 29)),  # no 29 February in 2017: the last leap year
        ("没有日期的条目", None),  # MON-5: no date → not updated
        ("第12345号文件", None),
        ("2017-13-45", None),
        ("10:30", None),
        (
            "关于2017年3月1日停电的通知 2017-03-05",
            date(2017, 3, 5),
        ),  # the date column, not the title
        ("关于3月1日停电的通知 [03-05]", date(2017, 3, 5)),
        ("2016年工作总结 2017-01-09", date(2017, 1, 9)),
    ),
)
def test_find_date_reads_chinese_list_formats(text, expected):
    assert find_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("body", "header", "text", "encoding"),
    (
        ("公开".encode("gb18030"), "text/html; charset=gbk", "公开", "gb18030"),
        ("朱镕基".encode("gb18030"), "text/html; charset=GB2312", "朱镕基", "gb18030"),
        (
            b'<meta charset="gb2312">' + "镕".encode("gb18030"),
            "",
            '<meta charset="gb2312">镕',
            "gb18030",
        ),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            + "信息".encode("gbk"),
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=gbk">信息',
            "gb18030",
        ),
        ("公开".encode(), "text/html; charset=utf-8", "公开", "utf-8"),
        ("公开".encode(), "text/html; charset=bogus", "公开", "utf-8"),
    ),
)
def test_decode_uses_header_then_meta_then_detection(body, header, text, encoding):
    decoded = decode(body, header)

    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_decode_detects_undeclared_gbk():
    body = (
        "<html><body><p>" + "政府信息公开工作年度报告，依申请公开。" * 20 + "</p></body></html>"
    ).encode("gbk")

    decoded = decode(body, "text/html")

    assert "政府信息公开工作年度报告" in decoded.text


@pytest.mark.parametrize(
    ("url", "tag", "kind"),
    (
        ("http://a.gov.cn/x/1.html", "a", "page"),
        ("http://a.gov.cn/x/", "a", "page"),
        ("http://a.gov.cn/f/1.PDF", "a", "attachment"),
        ("http://a.gov.cn/f/1.docx", "a", "attachment"),
        ("http://a.gov.cn/i/1.jpg", "a", "image"),
        ("http://a.gov.cn/i/show?id=1", "img", "image"),
        ("http://a.gov.cn/s.css", "link", "other"),
        ("http://b.gov.cn/", "a", "external"),
    ),
)
def test_link_kind(url, tag, kind):
    assert link_kind(url, tag, site_netloc="a.gov.cn") == kind
