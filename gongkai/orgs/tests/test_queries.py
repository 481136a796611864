import pytest
from django.contrib.auth.models import AnonymousUser

from gongkai.orgs import services
from gongkai.orgs.enums import Kind, Level
from gongkai.orgs.models import User
from gongkai.orgs.queries import by_name, governments, subtree, tree_rows, visible_to


@pytest.fixture
def county(city):
    return services.create_org(
        name="涪城区人民政府", level=Level.COUNTY, kind=Kind.GOVERNMENT, parent=city, sort=9
    )


@pytest.fixture
def county_dept(county):
    return services.create_org(
        name="涪城区教育局", level=Level.COUNTY, kind=Kind.DEPARTMENT, parent=county
    )


@pytest.mark.parametrize(
    ("persona", "visible"),
    (
        ("city_office", ["city", "dept", "other_dept", "county", "county_dept"]),
        ("dept_staff", ["dept"]),
        ("other_dept_staff", ["other_dept"]),
        ("applicant", []),
    ),
)
def test_visible_to_is_the_users_org_subtree(
    request, dept, other_dept, county_dept, persona, visible
):
    user = request.getfixturevalue(persona)

    assert list(visible_to(user)) == [request.getfixturevalue(name) for name in visible]


def test_visible_to_hides_a_department_from_its_sibling(dept, other_dept_staff):
    assert dept not in visible_to(other_dept_staff)


def test_visible_to_shows_anonymous_nothing(dept):
    assert list(visible_to(AnonymousUser())) == []


def test_visible_to_shows_a_superuser_everything(city, dept, other_dept):
    admin = User.objects.create_superuser("root", password="Gongkai-test-2026")

    assert list(visible_to(admin)) == [city, dept, other_dept]


def test_visible_to_gives_a_user_without_role_nothing(dept):
    user = User.objects.create_user("half", password="Gongkai-test-2026", org=dept)

    assert list(visible_to(user)) == []


def test_subtree_includes_the_org_itself(county, county_dept, dept):
    assert list(subtree(county)) == [county, county_dept]


def test_tree_rows_orders_depth_first_by_sort_in_one_query(
    city, dept, other_dept, county, county_dept, django_assert_num_queries
):
    services.update_org(other_dept, sort=1)
    services.update_org(dept, sort=2)

    with django_assert_num_queries(1):
        rows = tree_rows()

    assert [(org.name, org.depth) for org in rows] == [
        ("绵阳市人民政府", 0),
        ("绵阳市教育和体育局", 1),
        ("绵阳市自然资源和规划局", 1),
        ("涪城区人民政府", 1),
        ("涪城区教育局", 2),
    ]


def test_tree_rows_of_a_subtree(county, county_dept, dept):
    assert tree_rows(county) == [county, county_dept]


def test_governments_lists_governments_higher_levels_first(city, dept, county_dept):
    county = county_dept.parent

    assert list(governments()) == [city, county]


def test_by_name_finds_several_in_one_query(city, dept, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = by_name(["绵阳市人民政府", "绵阳市自然资源和规划局", "不存在"])

    assert found == {"绵阳市人民政府": city, "绵阳市自然资源和规划局": dept}
