"""政府公报 / 政务要情 issues and their PDF (issue 5 §7)."""

import subprocess
from datetime import date

import pytest

from gongkai.catalog import issues
from gongkai.catalog.services import ItemInvalid


def test_issue_lists_its_items_and_renders_a_cjk_pdf(published, city, client, tmp_path):
    item = published()
    issue = issues.create_issue(
        org=city,
        series="gazette",
        year=2026,
        number=3,
        published_on=date(2026, 3, 10),
        items=[item],
    )
    page = client.get(f"/xxgk/issue/{issue.pk}/").content.decode()
    assert "绵阳市人民政府 政府公报 2026年第3期" in page and item.title in page
    response = client.get(f"/xxgk/issue/{issue.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "issue.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "绵阳市人民政府政府公报" in text and item.title in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"number": 0}, "number"),
        ({"published_on": date(2025, 12, 31)}, "published_on"),
        ({"series": "magazine"}, "series"),
    ],
)
def test_bad_issues_are_refused(city, kwargs, field):
    args = {
        "org": city,
        "series": "bulletin",
        "year": 2026,
        "number": 1,
        "published_on": date(2026, 1, 5),
    }
    with pytest.raises(ItemInvalid) as refused:
        issues.create_issue(**{**args, **kwargs})
    assert list(refused.value.errors) == [field]


def test_issue_numbers_are_unique(city):
    args = {
        "org": city,
        "series": "bulletin",
        "year": 2026,
        "number": 1,
        "published_on": date(2026, 1, 5),
    }
    issues.create_issue(**args)
    with pytest.raises(ItemInvalid, match="2026年第1期已存在"):
        issues.create_issue(**args)


def test_staff_add_an_issue_by_index_numbers(published, client, dept_staff):
    from gongkai.catalog.models import Issue

    item = published()
    client.force_login(dept_staff)
    bad = client.post(
        "/desk/catalog/issues/",
        {"series": "bulletin", "number": "1", "published_on": "2026-03-10", "index_nos": "X/1"},
    )
    assert bad.status_code == 400 and "找不到索引号：X/1" in bad.content.decode()
    client.post(
        "/desk/catalog/issues/",
        {
            "series": "bulletin",
            "number": "1",
            "published_on": "2026-03-10",
            "index_nos": item.index_no,
        },
    )
    issue = Issue.objects.get()
    assert (issue.series, issue.year, issue.number, list(issue.items.all())) == (
        "bulletin",
        2026,
        1,
        [item],
    )
