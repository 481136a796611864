import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.bench import intake
from gongkai.lib.identity import resident_id_error


def test_application_payloads_carry_valid_id_numbers_and_the_run_tag():
    rng = random.Random(7)

    bodies = [json.loads(intake.application(rng, 3, "性能测试 t", i)) for i in range(200)]

    assert [resident_id_error(b["id_number"]) for b in bodies] == [None] * 200
    assert bodies[5]["description"].endswith("（性能测试 t 第5件）")
    assert {b["org"] for b in bodies} == {3}


def test_table_prints_a_dash_where_the_ceiling_has_no_database_figures():
    common = {"requests": 10, "acknowledged": 10, "failed": 0, "retried": 0}
    runs = [
        intake.Figures(
            "intake", **common, seconds=1.0, req_per_s=10.0, p50_ms=5.0, p99_ms=9.0,
            found=10, lost=0, duplicates=0, stored=10,
        ),
        intake.Figures(
            "ceiling /healthz", **common, seconds=0.5, req_per_s=20.0, p50_ms=1.0, p99_ms=2.0
        ),
    ]  # fmt: skip

    lines = intake.table(runs).splitlines()

    assert lines[0].split() == [
        "run", "requests", "acknowledged", "retried", "req/s", "p50", "ms", "p99", "ms",
        "lost", "duplicates", "stored",
    ]  # fmt: skip
    assert lines[1].split() == ["intake", "10", "10", "0", "10.0", "5.0", "9.0", "0", "0", "10"]
    assert lines[2].split()[-3:] == ["—", "—", "—"]


@pytest.mark.skipif(intake.pg_bin() is None, reason="PostgreSQL (initdb) is not installed")
def test_bench_intake_loses_no_acknowledged_application_even_when_killed():
    """The real thing, small: a throwaway cluster, gunicorn, a SIGKILL and a restart (~15 s)."""
    out = StringIO()

    call_command(
        "bench", "intake", "--requests", "40", "--clients", "4", "--workers", "2", "--json",
        stdout=out,
    )  # fmt: skip

    runs = {r["run"]: r for r in json.loads(out.getvalue())["runs"]}
    assert list(runs) == ["intake", "intake+kill", "ceiling /healthz"]
    for name in ("intake", "intake+kill"):
        run = runs[name]
        assert (run["acknowledged"], run["found"], run["lost"], run["duplicates"]) == (40, 40, 0, 0)
        # A request cut off after its commit is stored without being acknowledged: never fewer.
        assert run["stored"] >= run["acknowledged"]
    assert runs["intake+kill"]["retried"] > 0  # the kill happened: some requests met no server
    assert runs["ceiling /healthz"]["acknowledged"] == 40
