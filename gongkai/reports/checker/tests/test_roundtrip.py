"""Gongkai's own renderings of a report read back clean: the checker and ``render`` agree
on every label and cell (issue 4 §3: validate every report, generated or imported)."""

from decimal import Decimal

import pytest

from gongkai.reports.checker.check import check_document
from gongkai.reports.checker.readers import read_bytes
from gongkai.reports.checker.tests import synthetic
from gongkai.reports.render import RENDERERS
from gongkai.reports.tables import (
    T3_COLUMNS,
    T4_COLUMNS,
    T4_GROUPS,
    AnnualReport,
    Scope,
    Section,
    Style,
    Tables,
)


def synthetic_report() -> AnnualReport:
    t3 = {
        key: dict(zip((c for c, _ in T3_COLUMNS), v, strict=True))
        for key, v in synthetic.T3.items()
    }
    t4 = {
        group: dict(zip((c for c, _ in T4_COLUMNS), synthetic.T4[5 * i : 5 * i + 5], strict=True))
        for i, (group, _) in enumerate(T4_GROUPS)
    }
    t2 = {
        "rules": dict(zip(("made", "repealed", "in_force"), synthetic.T2["rules"], strict=True)),
        "normative": dict(
            zip(("made", "repealed", "in_force"), synthetic.T2["normative"], strict=True)
        ),
        "licensing": {"decisions": 1236},
        "penalty": {"decisions": 356},
        "coercion": {"decisions": 41},
        "fees": {"amount": Decimal("152.36")},
    }
    return AnnualReport(
        org_name="青川市临江区人民政府",
        year=2021,
        style=Style.F2021,
        scope=Scope.SELF,
        title=synthetic.TITLE,
        preamble=["本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。"],
        sections=[Section(heading, list(text)) for heading, text in synthetic.NARRATIVE.items()],
        tables=Tables(style=Style.F2021, t2=t2, t3=t3, t4=t4),
    )


@pytest.mark.parametrize("fmt", ("html", "docx", "xlsx", "pdf"))
def test_check_reads_gongkais_own_rendering_clean(fmt):
    report = synthetic_report()
    render = RENDERERS[fmt][0]

    result = check_document(read_bytes(render(report)))

    assert (result.style, result.findings) == (Style.F2021, [])
    assert (result.tables.t2, result.tables.t3, result.tables.t4) == (
        report.tables.t2,
        report.tables.t3,
        report.tables.t4,
    )
