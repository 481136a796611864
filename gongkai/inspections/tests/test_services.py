import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gongkai.audit.models import Entry
from gongkai.inspections import queries, services
from gongkai.inspections.enums import DrawStatus, Outcome
from gongkai.inspections.models import Draw, Entity, Inspector
from gongkai.workdays.services import load_from_package

from .conftest import ON, code

pytestmark = pytest.mark.django_db

SCRIPT = Path(services.__file__).with_name("verify_bundle.py")


@pytest.fixture
def big_draw(item, registry, dept_staff):
    return services.draw(
        item,
        sample_size=30,
        inspectors_per_entity=2,
        public_random="2026030 07",
        by=dept_staff,
        on=ON,
    )


def test_draw_of_30_from_2000_verifies_and_keeps_the_rules(big_draw):
    assert services.verify(big_draw) == []
    assert big_draw.assignments.count() == 30
    assert len(big_draw.inputs["entities"]) == 2000
    assert len(big_draw.inputs["inspectors"]) == 40  # the other department's is not frozen
    for assignment in big_draw.assignments.prefetch_related("inspectors"):
        people = list(assignment.inspectors.all())
        assert len(people) == 2
        assert all(p.valid_until >= ON for p in people)  # #0 and #1 expired: never drawn
        assert all(assignment.entity.credit_code not in p.conflicts for p in people)
        assert len(assignment.reserve) == 3
        assert not {"5107000000", "5107000001"} & set(assignment.reserve)
    assert Entry.objects.filter(action="inspections.draw").count() == 1


def test_draw_same_inputs_and_public_random_gives_same_result(item, registry, dept_staff):
    first, second = (
        services.draw(item, sample_size=30, public_random="88", by=dept_staff, on=ON)
        for _ in range(2)
    )
    assert (first.inputs_hash, first.seed, first.result) == (
        second.inputs_hash,
        second.seed,
        second.result,
    )
    third = services.draw(item, sample_size=30, public_random="89", by=dept_staff, on=ON)
    assert third.result != first.result


def test_bundle_verifies_in_a_fresh_process(big_draw, tmp_path):
    path = tmp_path / "bundle.json"
    call_command("inspections", "bundle", str(big_draw.pk), "-o", str(path))
    done = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"OK draw {big_draw.pk}: 30 entities")

    bundle = json.loads(path.read_text(encoding="utf-8"))
    bundle["result"]["entities"][0]["inspectors"].reverse()
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout == "FAIL result mismatch: re-running the draw gives a different result\n"


def test_draw_registry_change_before_changes_hash_and_seed(item, registry, dept_staff):
    before = services.draw(item, sample_size=30, public_random="07", by=dept_staff, on=ON)
    Entity.objects.filter(credit_code=code(1234)).update(address="游仙区新地址1号")
    after = services.draw(item, sample_size=30, public_random="07", by=dept_staff, on=ON)
    assert before.inputs_hash != after.inputs_hash
    assert before.seed != after.seed


def test_verify_registry_change_after_is_named_and_rerun_still_matches(big_draw):
    Entity.objects.filter(credit_code=code(1234)).update(address="游仙区新地址1号")
    Inspector.objects.filter(certificate="5107000005").update(field="林业")
    outcome = services.check(big_draw)
    assert outcome.problems == []
    assert outcome.changes == [
        f"检查对象{code(1234)}（绵阳市测试企业1234有限公司）抽取后已变更：address",
        "检查人员5107000005（检查员05）抽取后已变更：field",
    ]
    assert services.verify(big_draw) == outcome.changes


def test_verify_detects_tampered_result_and_inputs(big_draw):
    result = big_draw.result
    result["entities"][0], result["entities"][1] = result["entities"][1], result["entities"][0]
    Draw.objects.filter(pk=big_draw.pk).update(result=result)
    big_draw.refresh_from_db()
    assert services.verify(big_draw) == [
        f"抽取批次{big_draw.pk}：按冻结输入复算的结果与记录的结果不符",
        f"抽取批次{big_draw.pk}：抽取结果明细与记录的结果不符",
    ]
    inputs = big_draw.inputs
    inputs["entities"][0]["name"] = "改过的名称"
    Draw.objects.filter(pk=big_draw.pk).update(inputs=inputs)
    big_draw.refresh_from_db()
    assert services.verify(big_draw)[0].startswith(f"抽取批次{big_draw.pk}：冻结输入的哈希")


def test_verify_command_exits_1_on_mismatch(big_draw, capsys):
    call_command("inspections", "verify", "--all")
    assert capsys.readouterr().out == f"抽取批次{big_draw.pk}：复算一致\n"
    big_draw.assignments.first().inspectors.clear()
    with pytest.raises(CommandError, match="1个抽取批次验证不通过"):
        call_command("inspections", "verify", str(big_draw.pk))


@pytest.mark.parametrize(
    ("size", "message"),
    (
        (2001, "抽取数量2001大于名录中的检查对象数2000"),
        (0, "抽取数量至少为1"),
    ),
)
def test_draw_refused_before_anything_is_drawn(item, registry, dept_staff, size, message):
    with pytest.raises(services.DrawRefused) as caught:
        services.draw(item, sample_size=size, public_random="07", by=dept_staff, on=ON)
    assert str(caught.value) == message
    assert (Draw.objects.count(), Entry.objects.filter(action="inspections.draw").count()) == (0, 0)


def test_draw_refused_when_registry_empty(item, dept_staff):
    with pytest.raises(services.DrawRefused) as caught:
        services.draw(item, sample_size=1, public_random="07", by=dept_staff, on=ON)
    assert str(caught.value) == "检查对象名录为空，不能抽取"


def _write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ENTITY_HEADER = "名称,统一社会信用代码,法定代表人,注册地址,行业,区域,风险等级,风险标记"


def test_import_entities_csv_creates_then_updates(tmp_path):
    path = _write_csv(
        tmp_path / "e.csv",
        [
            ENTITY_HEADER,
            f"甲公司,{code(1)},张三,地址1,测绘,涪城区,高,投诉举报",
            f"乙公司,{code(2)},,,,,,",
        ],
    )
    result = services.import_entities(path)
    assert (result.created, result.updated) == (2, 0)
    assert Entity.objects.get(credit_code=code(1)).risk_level == "high"
    assert (services.import_entities(path).created, Entity.objects.count()) == (0, 2)


def test_import_entities_is_all_or_nothing_with_line_numbers(tmp_path):
    bad = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    path = _write_csv(
        tmp_path / "e.csv",
        [ENTITY_HEADER, f"甲公司,{code(1)},,,,,,", f"乙公司,{bad},,,,,,", f",{code(1)},,,,,极高,"],
    )
    with pytest.raises(services.RegistryImportError) as caught:
        services.import_entities(path)
    assert caught.value.messages == [
        f"第3行：统一社会信用代码校验位错误，应为{code(2)[-1]}实为{bad[-1]}",
        "第4行：名称为空；统一社会信用代码与第2行重复；风险等级“极高”应为低、中或高",
    ]
    assert Entity.objects.count() == 0


def test_import_inspectors_xlsx_marks_expired_ineligible(tmp_path, dept):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "执法证号", "执法证有效期至", "执法领域", "所属机关", "利害关系"])
    sheet.append(["王五", "A001", date(2028, 1, 1), "测绘", dept.name, f"{code(1)}；{code(2)}"])
    sheet.append(["赵六", "A002", "2025-06-30", "测绘", dept.name, ""])
    path = tmp_path / "people.xlsx"
    book.save(path)
    result = services.import_inspectors(path, today=ON)
    assert (result.created, result.notes) == (
        2,
        ["第3行：赵六的执法证已于2025-06-30到期，已导入但标记为不可抽取"],
    )
    assert Inspector.objects.get(certificate="A001").conflicts == [code(1), code(2)]
    assert not Inspector.objects.get(certificate="A002").eligible_on(ON)


def test_import_inspectors_rejects_unknown_org_and_bad_date(tmp_path, dept):
    path = _write_csv(
        tmp_path / "p.csv",
        [
            "姓名,执法证号,执法证有效期至,执法领域,所属机关,利害关系",
            "王五,A001,2028/1/1,,不存在的局,",
        ],
    )
    with pytest.raises(services.RegistryImportError) as caught:
        services.import_inspectors(path, today=ON)
    assert caught.value.messages == [
        "第2行：执法证有效期“2028/1/1”应为YYYY-MM-DD格式的日期；所属机关“不存在的局”不存在"
    ]


def test_results_publication_deadline_and_year_figures(big_draw, dept_staff, dept):
    load_from_package(years=range(2025, 2027))
    first, second, third = (a.entity for a in big_draw.assignments.all()[:3])
    found = services.enter_result(
        big_draw, first, outcome=Outcome.RECTIFY, finished_on=date(2026, 3, 2), by=dept_staff
    )
    clean = services.enter_result(
        big_draw, second, outcome=Outcome.NONE, finished_on=date(2026, 3, 2), by=dept_staff
    )
    assert found.due == date(2026, 3, 30)  # 20 working days after Monday 2 March
    services.publish_result(found, by=dept_staff, on=date(2026, 3, 30))
    services.publish_result(clean, by=dept_staff, on=date(2026, 3, 31))
    services.enter_result(
        big_draw, third, outcome=Outcome.CASE, finished_on=date(2026, 6, 1), by=dept_staff
    )
    [row] = queries.year_figures(2026, today=date(2026, 4, 1))
    assert (row.org, row.items, row.draws, row.entities_drawn, row.problems_found) == (
        dept,
        1,
        1,
        30,
        2,
    )
    assert (row.published_on_time, row.publication_counted, str(row.on_time_rate)) == (1, 2, "50.0")
    big_draw.refresh_from_db()
    assert big_draw.status == DrawStatus.DRAWN
    with pytest.raises(ValueError, match="不在抽取批次"):
        services.enter_result(
            big_draw,
            Entity.objects.exclude(pk__in=big_draw.assignments.values("entity")).first(),
            outcome=Outcome.NONE,
            finished_on=ON,
            by=dept_staff,
        )
