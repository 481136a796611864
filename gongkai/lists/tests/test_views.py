"""PUB-9 pages: the public lists, and the staff desk with its access rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import Entry
from gongkai.lists.enums import ListKind, Status
from gongkai.lists.models import ListVersion
from gongkai.lists.tests.conftest import csv_bytes, make_version


@pytest.fixture
def fees(city):
    make_version(city, ListKind.FEE_ADMIN, 2016, ["retained"] * 57)
    return make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 32)


def test_public_index_lists_published_versions_only(client, fees, dept):
    make_version(dept, ListKind.CERTIFICATE, 2017, ["retained"], publish=False)

    response = client.get("/lists/")

    assert response.status_code == 200
    rows = [
        (v.get_kind_display(), v.org.name, v.year, v.in_force) for v in response.context["versions"]
    ]
    assert rows == [
        ("行政事业性收费目录清单", "绵阳市人民政府", 2017, 32),
        ("行政事业性收费目录清单", "绵阳市人民政府", 2016, 57),
    ]


def test_public_index_filters_by_kind_org_and_year(client, fees, dept):
    make_version(dept, ListKind.CERTIFICATE, 2017, ["retained"])

    response = client.get("/lists/", {"kind": "certificate", "org": dept.pk, "year": 2017})

    assert [(v.kind, v.org, v.year) for v in response.context["versions"]] == [
        ("certificate", dept, 2017)
    ]


def test_public_index_searches_the_entries(client, fees):
    response = client.get("/lists/", {"q": "事项3"})

    assert [(e.name, e.version.year) for e in response.context["hits"]] == [
        ("事项3", 2017),
        ("事项30", 2017),
        ("事项31", 2017),
        ("事项32", 2017),
        ("事项3", 2016),
        ("事项30", 2016),
        ("事项31", 2016),
        ("事项32", 2016),
        ("事项33", 2016),
        ("事项34", 2016),
        ("事项35", 2016),
        ("事项36", 2016),
        ("事项37", 2016),
        ("事项38", 2016),
        ("事项39", 2016),
    ]


def test_public_detail_shows_the_year_over_year_sentence(client, fees):
    response = client.get(f"/lists/{fees.pk}/")

    assert response.status_code == 200
    assert (
        '<p class="lead yoy" data-testid="yoy">保留32项，比2016年减少25项</p>'
        in response.content.decode()
    )
    assert response.context["page"].paginator.count == 32


def test_public_detail_searches_within_the_list(client, fees):
    response = client.get(f"/lists/{fees.pk}/", {"q": "事项2"})

    assert [e.name for e in response.context["page"]] == ["事项2"] + [
        f"事项{n}" for n in range(20, 30)
    ]


def test_public_detail_hides_drafts(client, city):
    draft = make_version(city, ListKind.FEE_ADMIN, 2018, ["retained"], publish=False)

    assert client.get(f"/lists/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "expected"),
    (("/desk/lists/", 302), ("/desk/lists/upload/", 302)),
)
def test_desk_needs_sign_in(client, db, url, expected):
    response = client.get(url)

    assert response.status_code == expected
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_desk_refuses_citizens(client, applicant):
    client.force_login(applicant)

    assert client.get("/desk/lists/").status_code == 403


def test_desk_shows_staff_only_their_subtree(
    client, dept, other_dept, other_dept_staff, city_office
):
    mine = make_version(other_dept, ListKind.CERTIFICATE, 2017, ["retained"], publish=False)
    theirs = make_version(dept, ListKind.CERTIFICATE, 2017, ["retained"], publish=False)
    client.force_login(other_dept_staff)

    response = client.get("/desk/lists/")

    assert list(response.context["versions"]) == [mine]
    assert client.get(f"/desk/lists/{theirs.pk}/").status_code == 404
    assert client.post(f"/desk/lists/{theirs.pk}/publish/").status_code == 404
    client.force_login(city_office)
    assert {v.pk for v in client.get("/desk/lists/").context["versions"]} == {mine.pk, theirs.pk}


def test_handler_uploads_but_does_not_publish(client, dept, dept_staff):
    client.force_login(dept_staff)
    upload = SimpleUploadedFile(
        "证明.csv", csv_bytes("事项名称,变更类型", "无犯罪记录证明,保留", "居住证明,取消")
    )

    response = client.post(
        "/desk/lists/upload/",
        {"org": dept.pk, "kind": "certificate", "year": 2017, "complete": "on", "file": upload},
    )

    version = ListVersion.objects.get()
    assert response["Location"] == f"/desk/lists/{version.pk}/"
    assert (version.org, version.status, version.entries.count()) == (dept, Status.DRAFT, 2)
    page = client.get(f"/desk/lists/{version.pk}/").content.decode()
    assert 'data-testid="publish"' not in page
    assert client.post(f"/desk/lists/{version.pk}/publish/").status_code == 403


def test_upload_shows_line_numbered_errors(client, dept, dept_staff):
    client.force_login(dept_staff)
    upload = SimpleUploadedFile(
        "a.csv", csv_bytes("事项名称,变更类型", "无犯罪记录证明,保留", ",取消")
    )

    response = client.post(
        "/desk/lists/upload/", {"org": dept.pk, "kind": "certificate", "year": 2017, "file": upload}
    )

    assert response.status_code == 200
    assert response.context["errors"] == ["第3行：未填事项名称"]
    assert "<li>第3行：未填事项名称</li>" in response.content.decode()
    assert ListVersion.objects.count() == 0


def test_upload_refuses_an_org_outside_the_subtree(client, dept, other_dept_staff):
    client.force_login(other_dept_staff)
    upload = SimpleUploadedFile("a.csv", csv_bytes("事项名称", "无犯罪记录证明"))

    response = client.post(
        "/desk/lists/upload/", {"org": dept.pk, "kind": "certificate", "year": 2017, "file": upload}
    )

    assert response.status_code == 200
    assert "org" in response.context["form"].errors
    assert ListVersion.objects.count() == 0


def test_office_admin_publishes_and_it_is_audited(client, city, city_office):
    version = make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"] * 3, publish=False)
    client.force_login(city_office)

    response = client.post(f"/desk/lists/{version.pk}/publish/")

    assert response["Location"] == f"/desk/lists/{version.pk}/"
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED
    assert (
        Entry.objects.filter(
            action="lists.publish", actor="city_office", object_id=str(version.pk)
        ).count()
        == 1
    )
    assert client.get(f"/lists/{version.pk}/").status_code == 200


def test_dept_admin_publishes_in_their_dept(client, dept, dept_admin):
    version = make_version(
        dept, ListKind.POWER, 2017, ["retained"], category="行政许可", publish=False
    )
    client.force_login(dept_admin)

    client.post(f"/desk/lists/{version.pk}/publish/")

    version.refresh_from_db()
    assert version.status == Status.PUBLISHED


def test_publish_needs_post(client, city, city_office):
    version = make_version(city, ListKind.FEE_ADMIN, 2017, ["retained"], publish=False)
    client.force_login(city_office)

    assert client.get(f"/desk/lists/{version.pk}/publish/").status_code == 405


def test_upload_form_offers_only_the_subtree(client, city, dept, other_dept, dept_staff):
    client.force_login(dept_staff)

    response = client.get("/desk/lists/upload/")

    assert response.status_code == 200
    assert [label for _, label in response.context["form"].fields["org"].choices] == [dept.name]


@pytest.mark.parametrize("years", (1, 3))
def test_public_index_queries_do_not_grow_with_versions(
    client, city, django_assert_num_queries, years
):
    for year in range(2017, 2017 + years):
        make_version(city, ListKind.FEE_ADMIN, year, ["retained"] * 2)

    with django_assert_num_queries(4):
        response = client.get("/lists/")

    assert len(response.context["versions"]) == years


@pytest.mark.parametrize("years", (1, 3))
def test_desk_list_queries_do_not_grow_with_versions(
    client, city, city_office, django_assert_num_queries, years
):
    for year in range(2017, 2017 + years):
        make_version(city, ListKind.FEE_ADMIN, year, ["retained"] * 2, publish=False)
    client.force_login(city_office)

    with django_assert_num_queries(7):
        response = client.get("/desk/lists/")

    assert len(response.context["versions"]) == years


@pytest.mark.parametrize("kind", ["power", "fee_admin", "certificate"])
def test_the_import_template_round_trips(client, dept, dept_staff, kind):
    """Download the template, fill the example row in, upload it: it imports as written."""
    import io

    from openpyxl import load_workbook

    from gongkai.lists.enums import POWER_CATEGORIES

    client.force_login(dept_staff)
    assert (
        f"/desk/lists/template.xlsx?kind={kind}"
        in client.get("/desk/lists/upload/").content.decode()
    )
    response = client.get("/desk/lists/template.xlsx", {"kind": kind})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "序号",
        "事项名称",
        "事项类别",
        "依据",
        "实施主体",
        "标准",
        "变更类型",
        "备注",
    )
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["G2"] == '"保留,新增,取消,合并,下放"'
    assert ("C2" in lists) == (kind == "power")
    if kind == "power":
        assert lists["C2"] == '"' + ",".join(POWER_CATEGORIES) + '"'
    sheet["B2"], sheet["G2"] = "户籍证明", "新增"
    filled = io.BytesIO()
    book.save(filled)

    upload = SimpleUploadedFile("模板.xlsx", filled.getvalue())
    response = client.post(
        "/desk/lists/upload/",
        {"org": dept.pk, "kind": kind, "year": 2017, "complete": "on", "file": upload},
    )

    version = ListVersion.objects.get()
    assert response["Location"] == f"/desk/lists/{version.pk}/"
    assert list(version.entries.values_list("name", "change")) == [("户籍证明", "added")]
    assert client.get("/desk/lists/template.xlsx", {"kind": "bogus"}).status_code == 404


def test_a_published_version_is_withdrawn_with_a_reason_and_can_be_replaced(
    client, dept, dept_admin, dept_staff
):
    version = make_version(dept, ListKind.CERTIFICATE, 2017, ["retained"] * 3)
    assert client.get(f"/lists/{version.pk}/").status_code == 200
    client.force_login(dept_staff)  # 承办人 may not withdraw
    assert client.post(f"/desk/lists/{version.pk}/withdraw/", {"reason": "有误"}).status_code == 403
    client.force_login(dept_admin)
    assert 'data-testid="withdraw"' in client.get(f"/desk/lists/{version.pk}/").content.decode()

    client.post(f"/desk/lists/{version.pk}/withdraw/", {"reason": " "})  # no reason: refused
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED
    client.post(f"/desk/lists/{version.pk}/withdraw/", {"reason": "第3项名称有误"})

    version.refresh_from_db()
    assert (version.status, version.published_at) == (Status.DRAFT, None)
    [entry] = Entry.objects.filter(action="lists.withdraw", object_id=str(version.pk))
    assert (entry.actor, entry.summary["reason"]) == (dept_admin.username, "第3项名称有误")
    assert client.get(f"/lists/{version.pk}/").status_code == 404
    assert version not in client.get("/lists/").context["versions"]
    upload = SimpleUploadedFile("证明.csv", csv_bytes("事项名称,变更类型", "居住证明,保留"))
    client.post(
        "/desk/lists/upload/",
        {"org": dept.pk, "kind": "certificate", "year": 2017, "complete": "on", "file": upload},
    )
    assert list(ListVersion.objects.get().entries.values_list("name", flat=True)) == ["居住证明"]
