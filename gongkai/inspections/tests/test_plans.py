"""Plans, batches and joint inspections (RND-9/10), registry history (RND-2/3), recusal
(RND-5), results and publication with overdue (RND-8), yearly figures (RND-11)."""

import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gongkai.audit.models import Entry
from gongkai.inspections import figures, queries, services
from gongkai.inspections.enums import DrawStatus, Outcome, RiskLevel, Weighting
from gongkai.inspections.models import Entity, InspectionItem, Inspector, RegistryChange
from gongkai.workdays.services import load_from_package

from .conftest import ON, code

pytestmark = pytest.mark.django_db

SCRIPT = Path(services.__file__).with_name("verify_bundle.py")


@pytest.fixture
def plan(dept, dept_staff):
    return services.create_plan(dept, year=2026, title="2026年度随机抽查工作计划", by=dept_staff)


@pytest.fixture
def small_registry(dept, other_dept):
    """12 entities (every third one high risk, half in 涪城区) and 3+3 inspectors."""
    Entity.objects.bulk_create(
        Entity(
            name=f"企业{i:02d}",
            credit_code=code(i),
            area="涪城区" if i % 2 == 0 else "游仙区",
            risk_level=RiskLevel.HIGH if i % 3 == 0 else RiskLevel.LOW,
        )
        for i in range(12)
    )
    for org, prefix in ((dept, "D"), (other_dept, "O")):
        Inspector.objects.bulk_create(
            Inspector(org=org, name=f"{prefix}{i}", certificate=f"{prefix}{i}", valid_until=ON)
            for i in range(3)
        )


@pytest.mark.parametrize(
    ("count", "ratio", "size"),
    ((0, "5", 0), (1, "5", 1), (2000, "3", 60), (2001, "3", 61), (12, "50", 6), (7, "100", 7)),
)
def test_sample_for_ratio_rounds_up_rnd6(count, ratio, size):
    from gongkai.inspections import rules

    assert rules.sample_for_ratio(count, Decimal(ratio)) == size


def test_batch_scope_ratio_and_joint_inspectors_rnd9_rnd10(
    plan, item, small_registry, other_dept, dept_staff
):
    batch = services.add_batch(
        plan,
        item=item,
        name="第一批（涪城区）",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        ratio=Decimal("50"),
        scope={"area": ["涪城区"]},
        weighting=Weighting.RISK,
        inspectors_per_entity=2,
        joint_orgs=[other_dept],
        by=dept_staff,
    )
    row = services.draw_batch(batch, public_random="2026-030", by=dept_staff, on=ON)
    assert row.sample_size == 3  # 50% of the 6 entities in 涪城区
    assert {e["area"] for e in row.inputs["entities"]} == {"涪城区"}
    assert len(row.inputs["entities"]) == 6
    certificates = {p["certificate"] for p in row.inputs["inspectors"]}
    assert certificates == {"D0", "D1", "D2", "O0", "O1", "O2"}  # joint: both departments
    assert row.inputs["item"]["batch"] == str(batch.pk)
    assert row.inputs["item"]["plan"] == str(plan.pk)
    assert services.verify(row) == []
    assert list(batch.draws.all()) == [row]
    assert batch.scope_display() == "区域：涪城区"
    with pytest.raises(services.DrawRefused, match="已抽取，不能重复抽取"):
        services.draw_batch(batch, public_random="another", by=dept_staff, on=ON)
    assert Entry.objects.filter(action="inspections.add_batch").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    (
        ({"sample_size": 3, "ratio": Decimal("5")}, "抽取数量与抽取比例须且只能填写一项"),
        ({}, "抽取数量与抽取比例须且只能填写一项"),
        ({"ratio": Decimal("0")}, "抽取比例应大于0且不超过100"),
        ({"sample_size": 3, "ends_on": date(2026, 2, 1)}, "结束日期早于开始日期"),
        ({"sample_size": 3, "scope": {"colour": "红"}}, "抽取范围条件“colour”无效"),
    ),
)
def test_add_batch_refuses_bad_plans(plan, item, dept_staff, values, message):
    values = {"starts_on": date(2026, 3, 1), "ends_on": date(2026, 3, 31)} | values
    with pytest.raises(ValueError) as caught:
        services.add_batch(plan, item=item, name="批次", by=dept_staff, **values)
    assert str(caught.value) == message


def test_batch_scope_with_no_entity_is_refused_before_drawing(
    plan, item, small_registry, dept_staff
):
    batch = services.add_batch(
        plan,
        item=item,
        name="空范围",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        sample_size=1,
        scope={"area": ["安州区"]},
        by=dept_staff,
    )
    with pytest.raises(services.DrawRefused, match="检查对象名录为空，不能抽取"):
        services.draw_batch(batch, public_random="1", by=dept_staff, on=ON)
    assert not batch.draws.exists()


def test_registry_history_keeps_each_version_and_explains_past_draw(
    item, small_registry, dept_staff, tmp_path, time_machine
):
    time_machine.move_to(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    before = services.draw(item, sample_size=2, public_random="7", by=dept_staff, on=ON)
    entity = Entity.objects.get(credit_code=code(4))
    assert services.update_registry_row(entity, by=dept_staff, address="新地址") is True
    assert services.update_registry_row(entity, by=dept_staff, address="新地址") is False
    path = tmp_path / "e.csv"
    path.write_text(
        "名称,统一社会信用代码,法定代表人,注册地址,行业,区域,风险等级,风险标记,规模\n"
        f"企业04,{code(4)},李四,新地址,,涪城区,高,投诉举报,小型\n",
        encoding="utf-8",
    )
    assert services.import_entities(path, by=dept_staff).updated == 1
    versions = services.history(code(4))
    assert [(v.before or {}).get("address") for v in versions] == ["", "新地址"]
    assert [v.after["address"] for v in versions] == ["新地址", "新地址"]
    assert versions[1].after["size"] == "小型" and versions[1].source == "e.csv"
    # The draw before the changes still re-runs; the changes are named.
    outcome = services.check(before)
    assert outcome.problems == []
    assert outcome.changes == [
        f"检查对象{code(4)}（企业04）抽取后已变更：legal_rep、address、risk_level"
        "（最近变更：2026-03-02，e.csv，dept_staff）"
    ]
    assert RegistryChange.objects.filter(kind="entity", key=code(4)).count() == 2


def test_recusal_takes_next_reserve_and_still_verifies_rnd5(item, registry, dept_staff, tmp_path):
    row = services.draw(item, sample_size=3, public_random="42", by=dept_staff, on=ON)
    assignment = row.assignments.first()
    picked = row.result["entities"][0]
    first, second = picked["inspectors"]
    recusal = services.recuse(assignment, first, reason="系该企业股东亲属", by=dept_staff)
    assert recusal.replacement == picked["reserve"][0]
    again = services.recuse(assignment, picked["reserve"][0], reason="近三年曾任职", by=dept_staff)
    assert again.replacement == picked["reserve"][1]
    assert sorted(p.certificate for p in assignment.inspectors.all()) == sorted(
        [second, picked["reserve"][1]]
    )
    assert services.verify(row) == []
    assert Entry.objects.filter(action="inspections.recuse").count() == 2

    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(services.bundle(row), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    bundle = json.loads(path.read_text(encoding="utf-8"))
    bundle["recusals"][0][2] = picked["reserve"][2]  # claims a later reserve was called up
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.startswith(
        f"FAIL recusal 1: replacement {picked['reserve'][2]} is not the next reserve"
    )


def test_recusal_refused_when_reserve_used_up_or_not_assigned(item, registry, dept_staff):
    row = services.draw(item, sample_size=1, public_random="42", by=dept_staff, on=ON)
    assignment = row.assignments.get()
    picked = row.result["entities"][0]
    with pytest.raises(services.RecusalRefused, match="不是该检查对象的检查人员"):
        services.recuse(assignment, "no-such", reason="x", by=dept_staff)
    with pytest.raises(services.RecusalRefused, match="须填写回避理由"):
        services.recuse(assignment, picked["inspectors"][0], reason=" ", by=dept_staff)
    current = picked["inspectors"][0]
    for _ in picked["reserve"]:
        current = services.recuse(assignment, current, reason="回避", by=dept_staff).replacement
    with pytest.raises(services.RecusalRefused, match="替补人员已用尽"):
        services.recuse(assignment, current, reason="回避", by=dept_staff)
    assert services.verify(row) == []


def test_tampered_assignment_after_recusal_is_detected(item, registry, dept_staff):
    row = services.draw(item, sample_size=1, public_random="42", by=dept_staff, on=ON)
    assignment = row.assignments.get()
    services.recuse(assignment, row.result["entities"][0]["inspectors"][0], reason="回避", by=None)
    assignment.inspectors.remove(*assignment.inspectors.all())
    assert services.verify(row) == [f"抽取批次{row.pk}：抽取结果明细与记录的结果不符"]


@pytest.fixture
def results(item, registry, dept_staff):
    load_from_package(years=range(2025, 2027))
    row = services.draw(item, sample_size=3, public_random="42", by=dept_staff, on=ON)
    entities = [a.entity for a in row.assignments.all()]
    return row, [
        services.enter_result(
            row, entity, outcome=outcome, finished_on=date(2026, 3, 2), by=dept_staff
        )
        for entity, outcome in zip(
            entities, (Outcome.NONE, Outcome.RECTIFY, Outcome.CASE), strict=True
        )
    ]


def test_publication_due_uses_setting_in_working_days_rnd8(results, settings, item, dept_staff):
    _, (first, *_) = results
    assert first.due == date(2026, 3, 30)  # 20 working days after Monday 2 March
    settings.GONGKAI_INSPECTION_PUBLISH_DAYS = 5
    assert services.publication_due(date(2026, 3, 2)) == date(2026, 3, 9)
    assert services.publication_due(date(2031, 3, 3)) is None  # 期限待定: year not loaded


def test_overdue_lists_unpublished_and_late_and_draw_closes_rnd8(
    results, dept, other_dept, dept_staff
):
    row, (first, second, third) = results
    services.publish_result(first, by=dept_staff, on=date(2026, 3, 30))
    assert list(queries.overdue(on=date(2026, 3, 30))) == []
    assert list(queries.overdue(on=date(2026, 3, 31))) == [second, third]
    services.publish_result(second, by=dept_staff, on=date(2026, 4, 2))  # late: still listed
    assert list(queries.overdue(on=date(2026, 4, 3))) == [second, third]
    assert list(queries.overdue(on=date(2026, 4, 3), orgs=[other_dept])) == []
    with pytest.raises(ValueError, match="该检查结果已公示"):
        services.publish_result(first, by=dept_staff)
    with pytest.raises(ValueError, match="检查结果已录入"):
        services.enter_result(
            row, first.entity, outcome=Outcome.NONE, finished_on=ON, by=dept_staff
        )
    services.publish_result(third, by=dept_staff, on=date(2026, 4, 3))
    row.refresh_from_db()
    assert row.status == DrawStatus.CLOSED
    assert list(queries.published_results()) == [third, second, first]
    [figure] = queries.year_figures(2026, today=date(2026, 4, 3), orgs=[dept])
    assert (figure.draws, figure.entities_drawn, figure.problems_found) == (1, 3, 2)
    assert (figure.published_on_time, figure.publication_counted) == (1, 3)
    assert str(figure.on_time_rate) == "33.3"


def test_report_figures_counts_items_listed_in_the_year(dept, other_dept, city, item):
    InspectionItem.objects.create(org=dept, name="已移出", withdrawn_on=date(2025, 6, 30))
    InspectionItem.objects.create(org=dept, name="新列入", listed_on=date(2027, 1, 5))
    assert figures.report_figures([dept], 2026, root=city) == {"inspection.items": Decimal(1)}
    assert figures.report_figures([dept], 2025, root=city) == {"inspection.items": Decimal(2)}
    assert figures.report_figures([other_dept], 2026, root=city) == {}


ITEM_HEADER = "实施机关,抽查事项,法律依据,检查对象,检查方式,事项类别,抽查比例,抽查频次"


def test_import_items_creates_updates_and_names_bad_lines_rnd1(tmp_path, dept, dept_staff):
    path = tmp_path / "items.csv"
    path.write_text(
        "\n".join(
            [
                ITEM_HEADER,
                f"{dept.name},测绘资质检查,《测绘法》,测绘单位,现场检查,一般,5%,每年1次",
                f"{dept.short_name},地质灾害防治单位检查,,,书面检查,重点,,",
            ]
        ),
        encoding="utf-8",
    )
    result = services.import_items(path, by=dept_staff, listed_on=date(2026, 1, 1))
    assert (result.created, result.updated) == (2, 0)
    item = InspectionItem.objects.get(name="测绘资质检查")
    assert (item.ratio, item.importance, item.listed_on) == (
        Decimal("5"),
        "general",
        date(2026, 1, 1),
    )
    assert services.import_items(path).updated == 0
    path.write_text(
        "\n".join(
            [
                ITEM_HEADER,
                f"{dept.name},测绘资质检查,,,,次要,120,",
                "不存在的局,,,,,,,",
                f"{dept.name},测绘资质检查,,,,,,",
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(services.RegistryImportError) as caught:
        services.import_items(path)
    assert caught.value.messages == [
        "第2行：事项类别“次要”应为重点或一般；抽查比例“120”应为0到100之间的百分数",
        "第3行：实施机关“不存在的局”不存在；抽查事项为空",
        "第4行：与第2行重复",
    ]


def test_deadline_pending_until_calendar_loaded_then_filled_rnd8(
    item, registry, dept_staff, django_capture_on_commit_callbacks
):
    row = services.draw(item, sample_size=1, public_random="42", by=dept_staff, on=ON)
    result = services.enter_result(
        row, row.assignments.get().entity, outcome=Outcome.NONE, finished_on=ON, by=dept_staff
    )
    assert result.due is None  # 期限待定: no calendar for 2026 yet
    with django_capture_on_commit_callbacks(execute=True):
        load_from_package(years=[2026])  # sends calendar_changed after commit
    result.refresh_from_db()
    assert result.due == date(2026, 3, 30)
    assert Entry.objects.filter(action="inspections.recompute_dues").count() == 1


def test_a_result_with_its_deadline_pending_can_be_published_rnd8(item, registry, dept_staff):
    row = services.draw(item, sample_size=1, public_random="42", by=dept_staff, on=ON)
    result = services.enter_result(
        row, row.assignments.get().entity, outcome=Outcome.NONE, finished_on=ON, by=dept_staff
    )

    services.publish_result(result, by=dept_staff, on=ON)

    entry = Entry.objects.get(action="inspections.publish_result")
    assert entry.summary == {"published_on": ON.isoformat(), "due": None}


def test_admin_edit_of_registry_keeps_history(admin_client, small_registry):
    entity = Entity.objects.get(credit_code=code(1))
    values = {
        "name": "企业01（更名）",
        "credit_code": code(1),
        "legal_rep": "",
        "address": "",
        "industry": "",
        "area": entity.area,
        "size": "",
        "risk_level": entity.risk_level,
        "risk_marks": "",
        "org": "",
        "active": "on",
    }
    page = admin_client.post(f"/admin/inspections/entity/{entity.pk}/change/", values)
    assert page.status_code == 302
    [change] = services.history(code(1))
    assert (change.before["name"], change.after["name"], change.source) == (
        "企业01",
        "企业01（更名）",
        "管理后台",
    )


def test_overdue_command_lists_late_results(results, capsys, time_machine):
    from django.core.management import call_command

    time_machine.move_to(date(2026, 4, 1), tick=False)
    call_command("inspections", "overdue")
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "共3条"
    assert lines[0].endswith("期限2026-03-30\t未公示")
