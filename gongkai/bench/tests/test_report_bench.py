"""``gongkai bench report``: behaviour only (what is generated and built), never timings."""

import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.bench import report
from gongkai.catalog import figures
from gongkai.catalog.models import Distribution, Item
from gongkai.orgs.models import Org
from gongkai.orgs.queries import subtree
from gongkai.reports.models import ExternalFigure


def test_bench_report_generates_what_was_asked_and_the_report_counts_it():
    """The real command, tiny, on a throwaway SQLite in a child process (a few seconds)."""
    out = StringIO()

    call_command(
        "bench", "report", "--orgs", "30", "--applications", "500", "--published", "1000",
        "--year", "2025", "--database", "sqlite", "--json", stdout=out,
    )  # fmt: skip

    (run,) = json.loads(out.getvalue())["runs"]
    assert run["database"] == "sqlite"
    size, check = run["size"], run["check"]
    assert (size["orgs"], size["applications"], size["items"]) == (30, 500, 1000)
    assert run["generate"]["applications"] == 500
    assert run["generate"]["items"] == 1000
    # Table 三 一 (新收) of the province's subtree report = a plain SQL count of the year.
    assert check["root_sql_received_in_year"] > 0
    assert check["root_t3_new_total"] == check["root_sql_received_in_year"]
    # The catalog figures of the report = plain SQL counts of the generated catalog rows.
    assert 0 < check["root_sql_published_in_year"] < 1000
    assert check["root_published_total"] == check["root_sql_published_in_year"]
    assert check["root_normative_made"] == check["root_sql_normative_made"] > 0
    assert check["root_newmedia_posts"] == check["root_sql_newmedia_posts"] > 0
    assert size["published_in_year"] == check["root_sql_published_in_year"]
    assert "real catalog Item rows (1,000;" in report.table([run])
    assert "ExternalFigure" not in report.table([run])
    whats = [t["what"].split(" (")[0] for t in run["timings"]]
    assert whats == [
        "floor: one GROUP BY scan of the year",
        "one city, subtree",
        "the province, subtree",
        "every org, self scope",
    ]
    assert run["timings"][-1]["orgs"] == 30
    assert "SAMPLE" not in report.table([run]) or run["timings"][-1]["sample"]


@pytest.mark.django_db
def test_generated_org_tree_has_consistent_paths_and_depths():
    made = report.generate_orgs(60, random.Random(1))

    orgs = {org.pk: org for org in Org.objects.filter(pk__in=[pk for pk, _ in made])}
    assert len(orgs) == 60
    for org in orgs.values():
        expected = f"{orgs[org.parent_id].path if org.parent_id else '/'}{org.pk}/"
        assert org.path == expected
        assert org.depth == org.path.count("/") - 2
    (root,) = [org for org in orgs.values() if org.parent_id is None]
    assert root.level == "province"
    assert {org.level for org in orgs.values() if org.depth == 1} >= {"city"}


@pytest.mark.django_db
def test_generated_items_are_catalog_rows_the_report_figures_count():
    made = report.generate_orgs(40, random.Random(2))
    org_ids = [pk for pk, _ in made]

    items, dists = report.insert_items(3000, 2025, org_ids, [1.0] * len(org_ids), random.Random(3))

    assert (items, Item.objects.count()) == (3000, 3000)
    assert dists == Distribution.objects.count() > 0
    assert not ExternalFigure.objects.exists()  # no stand-in figures any more
    assert set(Item.objects.values_list("org_id", flat=True)) <= set(org_ids)
    years = set(Item.objects.values_list("published_on__year", flat=True))
    assert years == {2024, 2025}
    assert {"published", "withdrawn"} == set(Item.objects.values_list("status", flat=True))
    rules = Item.objects.filter(kind__in=("rule", "normative"))
    assert set(rules.values_list("kind", flat=True)) == {"rule", "normative"}
    assert set(rules.values_list("legacy_category", flat=True)) == {"normative"}
    assert not rules.filter(validity="").exists()
    assert not rules.filter(validity="repealed", repealed_on__isnull=True).exists()
    channels = set(Distribution.objects.values_list("channel", flat=True))
    assert channels == {"wechat", "weibo", "english"}
    assert not Distribution.objects.exclude(item__status="published").exists()

    root = Org.objects.get(pk=org_ids[0])
    found = figures.report_figures(subtree(root), 2025, root=root)
    in_year = Item.objects.filter(
        status="published", attribute="active", published_on__year=2025
    ).count()
    assert found["published.total"] == in_year
    assert sum(v for k, v in found.items() if k.startswith("published.")) == 2 * in_year
    assert found["t2.normative.made"] > 0 and found["newmedia.posts"] > 0
    assert found["english.items"] > 0

    # The ids were assigned by the generator: the sequence continues after them.
    org = Org.objects.get(pk=org_ids[1])
    author = report.bench_author()
    new = Item.objects.create(org=org, title="新增", formed_on="2025-06-01", author=author)
    assert new.pk > Item.objects.exclude(pk=new.pk).order_by("-pk")[0].pk
