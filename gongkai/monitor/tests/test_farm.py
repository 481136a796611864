"""The benchmark farm's ground truth is consistent with the pages it writes."""

from datetime import date

import pytest

from gongkai.monitor.crawl.parse import decode, find_date
from gongkai.monitor.farm import FAULT_KINDS, broken_set, generate

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    root = tmp_path_factory.mktemp("farm")
    manifest = generate(
        root,
        site_bases=[f"http://127.0.0.1:{8000 + i}" for i in range(3)],
        external_base="http://127.0.0.1:9000",
        refused_base="http://127.0.0.1:9001",
        pages=100,
        today=TODAY,
    )
    return root, manifest


def test_farm_injects_every_fault_kind_on_every_site(farm):
    _root, manifest = farm

    counts = [
        {kind: len(site["faults"][kind]) for kind in FAULT_KINDS} for site in manifest["sites"]
    ]

    assert counts == [
        {"broken_internal": 4, "broken_external": 2, "failing": 1, "slow": 1},
        {"broken_internal": 4, "broken_external": 2, "failing": 2, "slow": 1},
        {"broken_internal": 4, "broken_external": 2, "failing": 1, "slow": 1},
    ]
    assert len(broken_set(manifest)) == 25


def test_farm_links_each_fault_from_the_page_it_names(farm):
    root, manifest = farm
    for index, site in enumerate(manifest["sites"]):
        for kind in FAULT_KINDS:
            for fault in site["faults"][kind]:
                path = fault["found_on"].removeprefix(site["url"].rstrip("/")) or "/"
                file = root / f"s{index}" / (path.lstrip("/") or "index.html")
                text = decode(file.read_bytes(), "text/html").text

                href = fault["url"].removeprefix(site["url"].rstrip("/"))
                assert f'href="{href}"' in text


@pytest.mark.parametrize(
    ("index", "encoding", "declared"),
    ((0, "utf-8", "meta"), (1, "gbk", "meta"), (2, "gbk", "header")),
)
def test_farm_writes_gbk_sites(farm, index, encoding, declared):
    root, manifest = farm

    raw = (root / f"s{index}" / "index.html").read_bytes()

    assert (manifest["sites"][index]["encoding"], manifest["sites"][index]["declared"]) == (
        encoding,
        declared,
    )
    assert "某市人民政府" in raw.decode(encoding)


def test_farm_stale_columns_are_older_than_a_year(farm):
    root, manifest = farm
    for index, site in enumerate(manifest["sites"]):
        for url in site["faults"]["stale_columns"]:
            column = url.removeprefix(site["url"].rstrip("/"))
            text = decode(
                (root / f"s{index}" / column.lstrip("/") / "index.html").read_bytes()
            ).text
            first_entry = text.split("<li>", 2)[1]

            assert find_date(first_entry, today=TODAY) < date(2025, 11, 26)
