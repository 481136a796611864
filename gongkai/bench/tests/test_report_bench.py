"""``gongkai bench report``: behaviour only (what is generated and built), never timings."""

import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.bench import report
from gongkai.orgs.models import Org


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
    assert (size["orgs"], size["applications"], size["published_items"]) == (30, 500, 1000)
    assert run["generate"]["applications"] == 500
    # Table 三 一 (新收) of the province's subtree report = a plain SQL count of the year.
    assert check["root_sql_received_in_year"] > 0
    assert check["root_t3_new_total"] == check["root_sql_received_in_year"]
    assert check["root_published_total"] == check["root_sql_published_items"] == 1000
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
