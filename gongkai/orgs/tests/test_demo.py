import pytest

from gongkai.audit.models import Entry
from gongkai.orgs import services
from gongkai.orgs.demo import build_demo_city, demo_staff
from gongkai.orgs.enums import Kind, Level, Role
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import visible_to
from gongkai.orgs.rules import credit_code_error

PASSWORD = "Gongkai-demo-2026"


# 县级行政区 of 绵阳市 and their GB/T 2260 codes, in the order of the city's own lists.
COUNTIES = {
    "涪城区人民政府": "510703",
    "游仙区人民政府": "510704",
    "安州区人民政府": "510705",
    "江油市人民政府": "510781",
    "三台县人民政府": "510722",
    "盐亭县人民政府": "510723",
    "梓潼县人民政府": "510725",
    "北川羌族自治县人民政府": "510726",
    "平武县人民政府": "510727",
}


@pytest.fixture
def city(db):
    # Replaces the shared persona: the demo city is this test module's world.
    return build_demo_city()


def test_build_demo_city_mirrors_the_seed_report(city):
    assert (city.name, city.level, city.kind, city.parent) == (
        "绵阳市人民政府",
        Level.CITY,
        Kind.GOVERNMENT,
        None,
    )
    assert (city.office_name, city.office_address, city.office_postcode, city.office_phone) == (
        "绵阳市政府信息公开办公室",
        "绵阳市绵兴东路98号",
        "621000",
        "0816-2530560",
    )
    assert city.children.filter(kind=Kind.DEPARTMENT).count() == 62
    counties = city.children.filter(kind=Kind.GOVERNMENT, level=Level.COUNTY).order_by("sort")
    assert {org.name: org.credit_code[2:8] for org in counties} == COUNTIES
    assert list(counties.values_list("name", flat=True)) == list(COUNTIES)


def test_build_demo_city_has_the_seeds_72_websites(city):
    with_site = Org.objects.exclude(website="")

    assert with_site.count() == 72
    assert with_site.filter(level=Level.COUNTY, kind=Kind.DEPARTMENT).count() == 0
    assert with_site.filter(level=Level.TOWNSHIP).count() == 0


def test_build_demo_city_gives_each_county_departments_and_townships(city):
    for county in city.children.filter(kind=Kind.GOVERNMENT):
        departments = county.children.filter(kind=Kind.DEPARTMENT).count()
        townships = county.children.filter(level=Level.TOWNSHIP).count()
        assert (county.name, 5 <= departments <= 8, 3 <= townships <= 6) == (
            county.name,
            True,
            True,
        )


def test_build_demo_city_codes_are_valid_unique_and_registered_where_the_org_is(city):
    codes = dict(Org.objects.values_list("name", "credit_code"))

    assert {
        name: credit_code_error(code) for name, code in codes.items() if credit_code_error(code)
    } == {}
    assert len(set(codes.values())) == len(codes)
    assert {code[:2] for code in codes.values()} == {"11", "12", "13"}  # 机关, 事业单位, 群团
    assert {code[2:8] for name, code in codes.items() if name.startswith("绵阳市")} == {"510700"}


def test_build_demo_city_twice_changes_nothing(city):
    orgs, entries = list(Org.objects.values()), Entry.objects.count()

    again = build_demo_city()

    assert again == city
    assert (list(Org.objects.values()), Entry.objects.count()) == (orgs, entries)


def test_build_demo_city_round_trips_through_export(city):
    for fmt, export in (("yaml", services.export_yaml), ("csv", services.export_csv)):
        text = export()
        for depth in (3, 2, 1, 0):
            Org.objects.filter(depth=depth).delete()

        services.import_orgs(text, fmt=fmt)

        assert export() == text


def test_demo_staff_signs_in_where_the_logins_say(city):
    users = demo_staff(password=PASSWORD)

    assert [(u.username, u.org.name, u.role) for u in users] == [
        ("office", "绵阳市人民政府", Role.OFFICE_ADMIN),
        ("guotu", "绵阳市国土资源局", Role.HANDLER),
        ("guotu_head", "绵阳市国土资源局", Role.DEPT_ADMIN),
        ("guotu_shenhe", "绵阳市国土资源局", Role.REVIEWER),
        ("jiaoyu", "绵阳市教育局", Role.HANDLER),
        ("fucheng", "涪城区人民政府", Role.OFFICE_ADMIN),
    ]
    assert [u.check_password(PASSWORD) for u in users] == [True] * 6
    assert users[1].email == "guotu@demo.invalid"
    assert list(visible_to(users[1])) == [Org.objects.get(name="绵阳市国土资源局")]
    assert visible_to(users[0]).count() == Org.objects.count()


def test_demo_staff_twice_creates_nothing_new(city):
    first = demo_staff(password=PASSWORD)
    entries = Entry.objects.count()

    second = demo_staff(password=PASSWORD)

    assert [u.pk for u in second] == [u.pk for u in first]
    assert (User.objects.count(), Entry.objects.count()) == (6, entries)


def test_demo_staff_resets_a_changed_password(city):
    demo_staff(password=PASSWORD)

    users = demo_staff(password="Another-demo-2026")

    assert [u.check_password("Another-demo-2026") for u in users] == [True] * 6
