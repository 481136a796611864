from gongkai.audit.models import Entry
from gongkai.orgs.models import Org

FORM = {
    "short_name": "",
    "credit_code": "",
    "website": "",
    "office_name": "",
    "office_phone": "",
    "office_address": "",
    "office_postcode": "",
    "office_email": "",
    "sort": "0",
}


def test_org_admin_add_goes_through_create_org(admin_client, city):
    data = {
        **FORM,
        "name": "绵阳市统计局",
        "level": "city",
        "kind": "department",
        "parent": city.pk,
    }

    response = admin_client.post("/admin/orgs/org/add/", data)

    org = Org.objects.get(name="绵阳市统计局")
    assert response.status_code == 302
    assert (org.path, org.depth) == (f"/{city.pk}/{org.pk}/", 1)
    assert (
        Entry.objects.filter(action="orgs.create", object_id=str(org.pk), actor="admin").count()
        == 1
    )


def test_org_admin_change_moves_the_subtree(admin_client, city, dept, other_dept):
    data = {
        **FORM,
        "name": dept.name,
        "short_name": "市自然资源局",
        "level": "city",
        "kind": "department",
    }
    data["parent"] = other_dept.pk

    response = admin_client.post(f"/admin/orgs/org/{dept.pk}/change/", data)

    dept.refresh_from_db()
    assert response.status_code == 302
    assert (dept.short_name, dept.path, dept.depth) == (
        "市自然资源局",
        f"/{city.pk}/{other_dept.pk}/{dept.pk}/",
        2,
    )
    assert list(Entry.objects.filter(actor="admin").values_list("action", flat=True)) == [
        "orgs.update",
        "orgs.move",
    ]


def test_org_admin_refuses_a_parent_below_the_org(admin_client, city, dept):
    data = {**FORM, "name": city.name, "level": "city", "kind": "government", "parent": dept.pk}

    response = admin_client.post(f"/admin/orgs/org/{city.pk}/change/", data)

    city.refresh_from_db()
    assert response.context["adminform"].form.errors == {
        "parent": ["不能把机关移到自身或其下级机关之下"]
    }
    assert (city.parent, city.path) == (None, f"/{city.pk}/")


def test_org_admin_refuses_a_bad_credit_code(admin_client, city):
    data = {**FORM, "name": "绵阳市统计局", "level": "city", "kind": "department"}
    data["credit_code"] = "91350100M000100Y44"

    response = admin_client.post("/admin/orgs/org/add/", data)

    assert response.context["adminform"].form.errors == {
        "credit_code": ["统一社会信用代码校验位错误，应为3实为4"]
    }
    assert list(Org.objects.all()) == [city]


def test_org_admin_filters_by_level_and_kind(admin_client, city, dept, other_dept):
    response = admin_client.get("/admin/orgs/org/", {"kind__exact": "department", "q": "教育"})

    assert list(response.context["cl"].result_list) == [other_dept]


def test_user_admin_shows_org_and_role(admin_client, dept_staff):
    response = admin_client.get(f"/admin/orgs/user/{dept_staff.pk}/change/")

    form = response.context["adminform"].form
    assert (form.initial["org"], form.initial["role"]) == (dept_staff.org_id, "handler")
