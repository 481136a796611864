"""Portal pages: the public list and draws anyone can verify; the staff desk (RND-1…10)."""

import json
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongkai.inspections import services
from gongkai.inspections.enums import Outcome
from gongkai.inspections.models import Draw, InspectionItem, InspectionResult, Plan, Recusal
from gongkai.workdays.services import load_from_package

from .conftest import ON

pytestmark = pytest.mark.django_db
PASSWORD = "Gongkai-test-2026"


@pytest.fixture
def small_draw(item, registry, dept_staff):
    return services.draw(item, sample_size=3, public_random="2026030", by=dept_staff, on=ON)


def test_public_index_lists_items_with_basis_and_filter(client, item, other_dept):
    InspectionItem.objects.create(org=other_dept, name="校外培训机构检查", ratio=5)
    page = client.get("/inspections/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "测绘资质单位监督检查" in text and "《中华人民共和国测绘法》第三十八条" in text
    assert "随机抽查事项清单（共 2 项）" in text
    filtered = client.get("/inspections/", {"org": other_dept.pk}).content.decode()
    assert "校外培训机构检查" in filtered and "测绘资质单位监督检查" not in filtered


def test_public_draw_page_shows_inputs_seed_and_verdict(client, small_draw):
    text = client.get(f"/inspections/draws/{small_draw.pk}/").content.decode()
    for value in (small_draw.public_random, small_draw.inputs_hash, small_draw.seed):
        assert value in text
    assert "哈希、种子和抽取结果与记录一致" in text
    first = small_draw.result["entities"][0]["credit_code"]
    assert first in text
    assert 'style="' not in text and "<script" not in text  # CSP: no inline CSS or JS


def test_downloaded_bundle_and_script_verify_in_a_fresh_process(client, small_draw, tmp_path):
    bundle = client.get(f"/inspections/draws/{small_draw.pk}/bundle.json")
    assert (
        bundle["Content-Disposition"] == f'attachment; filename="draw-{small_draw.pk}-bundle.json"'
    )
    script = client.get("/inspections/verify_bundle.py")
    (tmp_path / "b.json").write_bytes(bundle.content)
    (tmp_path / "v.py").write_bytes(b"".join(script.streaming_content))
    done = subprocess.run(
        [sys.executable, "v.py", "b.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.split(":")[0]) == (0, f"OK draw {small_draw.pk}")
    assert json.loads(bundle.content)["seed"] == small_draw.seed


def test_desk_requires_staff(client, applicant, small_draw):
    assert client.get("/desk/inspections/").status_code == 302
    client.force_login(applicant)
    assert client.get("/desk/inspections/").status_code == 403


def test_desk_staff_see_only_their_subtree(client, other_dept_staff, small_draw):
    client.force_login(other_dept_staff)
    assert client.get(f"/desk/inspections/draws/{small_draw.pk}/").status_code == 404
    assert small_draw.item.name not in client.get("/desk/inspections/").content.decode()
    form = client.get("/desk/inspections/draws/new/").content.decode()
    assert small_draw.item.name not in form


def test_desk_draw_needs_public_random_and_shows_refusal(client, dept_staff, item, registry):
    client.force_login(dept_staff)
    values = {
        "item": item.pk,
        "sample_size": 2001,
        "inspectors_per_entity": 2,
        "weighting": "uniform",
    }
    page = client.post("/desk/inspections/draws/new/", values)
    assert (
        "这个字段是必填项" in page.content.decode()
        or "This field is required" in page.content.decode()
    )
    page = client.post("/desk/inspections/draws/new/", values | {"public_random": "07"})
    assert "未抽取：抽取数量2001大于名录中的检查对象数2000" in page.content.decode()
    assert not Draw.objects.exists()
    page = client.post(
        "/desk/inspections/draws/new/", values | {"public_random": "07", "sample_size": 5}
    )
    row = Draw.objects.get()
    assert page["Location"] == f"/desk/inspections/draws/{row.pk}/"
    assert (row.public_random, row.created_by, row.assignments.count()) == ("07", dept_staff, 5)


def test_desk_story_recuse_enter_publish_and_overdue(client, dept_staff, small_draw, time_machine):
    load_from_package(years=range(2025, 2027))
    time_machine.move_to(datetime(2026, 4, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    client.force_login(dept_staff)
    assert client.get(f"/desk/inspections/draws/{small_draw.pk}/").status_code == 200
    a = small_draw.assignments.first()
    picked = small_draw.result["entities"][0]
    client.post(
        f"/desk/inspections/draws/{small_draw.pk}/recuse/{a.pk}/",
        {f"r{a.pk}-certificate": picked["inspectors"][0], f"r{a.pk}-reason": "亲属关系"},
    )
    assert Recusal.objects.get().replacement == picked["reserve"][0]
    client.post(
        f"/desk/inspections/draws/{small_draw.pk}/result/{a.pk}/",
        {
            f"e{a.pk}-outcome": Outcome.RECTIFY,
            f"e{a.pk}-finished_on": "2026-03-02",
            f"e{a.pk}-note": "台账不全",
        },
    )
    result = InspectionResult.objects.get()
    assert (result.outcome, result.due) == (Outcome.RECTIFY, date(2026, 3, 30))
    overdue = client.get("/desk/inspections/overdue/").content.decode()
    assert a.entity.name in overdue  # the deadline (2026-03-30) has passed by today
    assert a.entity.name not in client.get("/inspections/results/").content.decode()
    client.post(
        f"/desk/inspections/results/{result.pk}/publish/", {"next": "https://evil.example/"}
    )
    result.refresh_from_db()
    assert result.published_on is not None
    assert "台账不全" in client.get("/inspections/results/").content.decode()
    public = client.get(f"/inspections/draws/{small_draw.pk}/").content.decode()
    assert "回避，由" in public and "复算不一致" not in public
    figures = client.get("/desk/inspections/figures/", {"year": 2026}).content.decode()
    assert '<td data-label="抽取对象数">3</td>' in figures
    assert '<td data-label="按时公示率">0.0%</td>' in figures  # published 10 April, due 30 March


def test_desk_plan_and_batch_draw(client, dept_staff, dept, other_dept, item, registry):
    client.force_login(dept_staff)
    page = client.post(
        "/desk/inspections/plans/", {"org": dept.pk, "year": 2026, "title": "2026年度计划"}
    )
    plan = Plan.objects.get()
    assert page["Location"] == f"/desk/inspections/plans/{plan.pk}/"
    client.post(
        f"/desk/inspections/plans/{plan.pk}/",
        {
            "item": item.pk,
            "name": "第一批",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-31",
            "ratio": "1.5",
            "weighting": "risk",
            "inspectors_per_entity": 2,
            "area": "涪城区",
            "joint_orgs": [other_dept.pk],
        },
    )
    batch = plan.batches.get()
    assert (batch.scope, list(batch.joint_orgs.all())) == ({"area": ["涪城区"]}, [other_dept])
    client.post(reverse("inspections:desk_batch_draw", args=[batch.pk]), {"public_random": " 88 "})
    row = Draw.objects.get()
    assert (row.batch, row.sample_size, row.public_random) == (batch, 30, "88")  # 1.5% of 2000


def test_joint_department_staff_see_the_joint_draw_rnd10(
    client, dept_staff, other_dept_staff, other_dept, item, registry
):
    from gongkai.inspections.models import Inspector

    Inspector.objects.create(
        org=other_dept, name="教体局检查员", certificate="5199900001", valid_until=date(2028, 1, 1)
    )
    plan = services.create_plan(item.org, year=2026, title="计划", by=dept_staff)
    joint = services.add_batch(
        plan,
        item=item,
        name="联合",
        starts_on=ON,
        ends_on=ON,
        sample_size=2,
        joint_orgs=[other_dept],
        by=dept_staff,
    )
    row = services.draw_batch(joint, public_random="5", by=dept_staff, on=ON)
    client.force_login(other_dept_staff)
    assert client.get(f"/desk/inspections/draws/{row.pk}/").status_code == 200


def test_desk_import_inspectors_says_expired_and_refuses_other_orgs(
    client, dept_staff, dept, other_dept
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(dept_staff)
    header = "姓名,执法证号,执法证有效期至,执法领域,所属机关,利害关系\n"
    good = f"王五,A001,2020-01-01,测绘,{dept.name},\n"
    page = client.post(
        "/desk/inspections/registries/",
        {"kind": "inspectors", "file": SimpleUploadedFile("p.csv", (header + good).encode())},
    )
    text = page.content.decode()
    assert "第2行：王五的执法证已于2020-01-01到期，已导入但标记为不可抽取" in text
    assert "导入完成：新建1条，更新0条" in text
    bad = f"赵六,A002,2029-01-01,,{other_dept.name},\n"
    page = client.post(
        "/desk/inspections/registries/",
        {"kind": "inspectors", "file": SimpleUploadedFile("p.csv", (header + bad).encode())},
    )
    assert f"第2行：所属机关“{other_dept.name}”不在您的管理范围内" in page.content.decode()
    page = client.post(
        "/desk/inspections/registries/",
        {"kind": "entities", "file": SimpleUploadedFile("e.csv", b"x")},
    )
    assert page.status_code == 403  # 承办人 may not change the shared entity registry
