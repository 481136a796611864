import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import Entry
from gongkai.orgs import services
from gongkai.orgs.enums import Kind, Level
from gongkai.orgs.models import Org
from gongkai.orgs.services import OrgImportError, import_orgs


def _tree():
    """(name, path, depth) of every org, for exact comparisons."""
    return [(o.name, o.path, o.depth) for o in Org.objects.order_by("pk")]


def _snapshot():
    return list(Org.objects.order_by("pk").values()), Entry.objects.count()


@pytest.fixture
def county(city):
    return services.create_org(
        name="涪城区人民政府", level=Level.COUNTY, kind=Kind.GOVERNMENT, parent=city
    )


@pytest.fixture
def town(county):
    return services.create_org(
        name="涪城区吴家镇人民政府", level=Level.TOWNSHIP, kind=Kind.GOVERNMENT, parent=county
    )


def test_create_org_sets_path_and_depth_and_logs(city, dept):
    assert (city.path, city.depth) == (f"/{city.pk}/", 0)
    assert (dept.path, dept.depth) == (f"/{city.pk}/{dept.pk}/", 1)
    entry = Entry.objects.get(action="orgs.create", object_id=str(dept.pk))
    assert entry.summary == {"name": "绵阳市自然资源和规划局", "parent": city.pk}


def test_create_org_refuses_a_bad_credit_code(city):
    with pytest.raises(ValidationError) as exc:
        services.create_org(
            name="绵阳市统计局",
            level=Level.CITY,
            kind=Kind.DEPARTMENT,
            parent=city,
            credit_code="91350100M000100Y44",
        )

    assert exc.value.message_dict == {"credit_code": ["统一社会信用代码校验位错误，应为3实为4"]}
    assert list(Org.objects.values_list("name", flat=True)) == ["绵阳市人民政府"]


def test_update_org_logs_changed_fields_and_hides_personal_values(dept, city_office):
    services.update_org(
        dept,
        actor=city_office,
        short_name="市自然资源局",
        website="http://zrzy.my.gov.cn/",
        office_phone="13800000000",
        sort=0,  # unchanged
    )

    dept.refresh_from_db()
    assert (dept.short_name, dept.website, dept.office_phone) == (
        "市自然资源局",
        "http://zrzy.my.gov.cn/",
        "13800000000",
    )
    entry = Entry.objects.get(action="orgs.update")
    assert (entry.actor, entry.object_id) == ("city_office", str(dept.pk))
    assert entry.summary == {
        "fields": ["office_phone", "short_name", "website"],
        "values": {
            "short_name": ["市自然资源和规划局", "市自然资源局"],
            "website": ["", "http://zrzy.my.gov.cn/"],
        },
    }


def test_update_org_without_changes_writes_nothing(dept):
    before = Entry.objects.count()

    services.update_org(dept, short_name=dept.short_name)

    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "errors"),
    (
        ({"credit_code": "9135"}, {"credit_code": ["统一社会信用代码应为18位，实为4位"]}),
        ({"office_postcode": "62100A"}, {"office_postcode": ["邮编应为6位数字，实为“62100A”"]}),
        ({"level": "galaxy"}, {"level": ["值 'galaxy' 不是有效选项。"]}),
    ),
)
def test_update_org_refuses_invalid_values(dept, fields, errors):
    with pytest.raises(ValidationError) as exc:
        services.update_org(dept, **fields)

    assert exc.value.message_dict == errors


def test_update_org_cannot_move(dept, other_dept):
    with pytest.raises(TypeError):
        services.update_org(dept, parent=other_dept)


def test_move_org_rewrites_the_whole_subtree(city, dept, county, town, city_office):
    services.move_org(county, parent=dept, actor=city_office)

    c, d, t = city.pk, dept.pk, town.pk
    assert _tree() == [
        ("绵阳市人民政府", f"/{c}/", 0),
        ("绵阳市自然资源和规划局", f"/{c}/{d}/", 1),
        ("涪城区人民政府", f"/{c}/{d}/{county.pk}/", 2),
        ("涪城区吴家镇人民政府", f"/{c}/{d}/{county.pk}/{t}/", 3),
    ]
    assert Entry.objects.get(action="orgs.move").summary == {
        "from": "绵阳市人民政府",
        "to": "绵阳市自然资源和规划局",
    }


def test_move_org_to_the_top(city, county, town):
    services.move_org(county, parent=None)

    assert _tree() == [
        ("绵阳市人民政府", f"/{city.pk}/", 0),
        ("涪城区人民政府", f"/{county.pk}/", 0),
        ("涪城区吴家镇人民政府", f"/{county.pk}/{town.pk}/", 1),
    ]


@pytest.mark.parametrize("target", ("city", "town"))
def test_move_org_refuses_cycles(request, city, town, target):
    before = _snapshot()

    with pytest.raises(ValidationError) as exc:
        services.move_org(city, parent=request.getfixturevalue(target))

    assert exc.value.message_dict == {"parent": ["不能把机关移到自身或其下级机关之下"]}
    assert _snapshot() == before


# --- Import and export ----------------------------------------------------------

SMALL_YAML = """\
- name: 绵阳市人民政府
  short_name: 绵阳市
  level: city
  kind: government
  credit_code: '115107000070000115'
  website: http://www.my.gov.cn/
  office_name: 绵阳市政府信息公开办公室
  office_phone: 0816-2530560
  office_address: 绵阳市绵兴东路98号
  office_postcode: '621000'
  children:
    - name: 绵阳市财政局
      level: city
      kind: department
      office_email: czj@example.org
      sort: 1
    - name: 绵阳市教育局
      level: city
      kind: department
      sort: 2
    - name: 涪城区人民政府
      level: county
      kind: government
      sort: 3
      children:
        - name: 涪城区吴家镇人民政府
          level: township
          kind: government
"""

SMALL_CSV = """\
name,short_name,level,kind,parent,credit_code,website,office_name,office_phone,office_address,office_postcode,office_email,sort
绵阳市人民政府,绵阳市,city,government,,115107000070000115,http://www.my.gov.cn/,绵阳市政府信息公开办公室,0816-2530560,绵阳市绵兴东路98号,621000,,
绵阳市财政局,,city,department,绵阳市人民政府,,,,,,,czj@example.org,1
绵阳市教育局,,city,department,绵阳市人民政府,,,,,,,,2
涪城区人民政府,,county,government,绵阳市人民政府,,,,,,,,3
涪城区吴家镇人民政府,,township,government,涪城区人民政府,,,,,,,,
"""


def _wipe():
    for depth in range(5, -1, -1):
        Org.objects.filter(depth=depth).delete()


@pytest.mark.parametrize(("fmt", "text"), (("yaml", SMALL_YAML), ("csv", SMALL_CSV)))
def test_import_orgs_builds_the_tree(db, fmt, text):
    result = import_orgs(text, fmt=fmt)

    assert result == services.ImportResult(created=5, updated=0)
    city = Org.objects.get(name="绵阳市人民政府")
    county = Org.objects.get(name="涪城区人民政府")
    town = Org.objects.get(name="涪城区吴家镇人民政府")
    assert (town.path, town.depth) == (f"/{city.pk}/{county.pk}/{town.pk}/", 2)
    assert (city.office_postcode, city.office_phone) == ("621000", "0816-2530560")


@pytest.mark.parametrize(
    ("export", "fmt", "text"),
    ((services.export_yaml, "yaml", SMALL_YAML), (services.export_csv, "csv", SMALL_CSV)),
)
def test_export_writes_the_documented_format_and_round_trips(db, export, fmt, text):
    import_orgs(text, fmt=fmt)

    exported = export()
    again = import_orgs(exported, fmt=fmt)
    _wipe()
    fresh = import_orgs(exported, fmt=fmt)

    assert exported == text
    assert (again, fresh) == (services.ImportResult(0, 0), services.ImportResult(5, 0))
    assert export() == text


def test_export_of_a_subtree_names_its_parent(db):
    import_orgs(SMALL_YAML)

    text = services.export_yaml(Org.objects.get(name="涪城区人民政府"))

    assert text == (
        "- name: 涪城区人民政府\n"
        "  level: county\n"
        "  kind: government\n"
        "  parent: 绵阳市人民政府\n"
        "  sort: 3\n"
        "  children:\n"
        "    - name: 涪城区吴家镇人民政府\n"
        "      level: township\n"
        "      kind: government\n"
    )


def test_import_orgs_accepts_chinese_labels_and_headings(city):
    text = "名称,层级,类型,上级机关\n绵阳市统计局,市级,部门,绵阳市人民政府\n"

    assert import_orgs(text, fmt="csv") == services.ImportResult(created=1, updated=0)
    org = Org.objects.get(name="绵阳市统计局")
    assert (org.level, org.kind, org.parent, org.depth) == (Level.CITY, Kind.DEPARTMENT, city, 1)


def test_import_orgs_updates_and_moves_by_name(city, dept, other_dept, city_office):
    text = (
        "- name: 绵阳市教育和体育局\n"
        "  level: city\n"
        "  kind: department\n"
        "  parent: 绵阳市自然资源和规划局\n"
        "  website: http://jyj.my.gov.cn/\n"
    )

    result = import_orgs(text, actor=city_office)

    assert result == services.ImportResult(created=0, updated=1)
    assert _tree() == [
        ("绵阳市人民政府", f"/{city.pk}/", 0),
        ("绵阳市自然资源和规划局", f"/{city.pk}/{dept.pk}/", 1),
        ("绵阳市教育和体育局", f"/{city.pk}/{dept.pk}/{other_dept.pk}/", 2),
    ]
    # The file describes the org whole: its short name, absent from the file, is now blank.
    assert Org.objects.get(pk=other_dept.pk).short_name == ""
    entry = Entry.objects.get(action="orgs.import")
    assert (entry.actor, entry.summary) == (
        "city_office",
        {
            "format": "yaml",
            "created": 0,
            "updated": 1,
            "changes": {"绵阳市教育和体育局": ["short_name", "website", "parent"]},
        },
    )


def test_import_orgs_writes_one_audit_entry_and_none_when_nothing_changed(db):
    import_orgs(SMALL_YAML)
    import_orgs(SMALL_YAML)

    assert list(Entry.objects.values_list("action", "summary")) == [
        ("orgs.import", {"format": "yaml", "created": 5, "updated": 0, "changes": {}})
    ]


def test_import_orgs_lets_two_orgs_swap_credit_codes(db):
    import_orgs(SMALL_YAML)
    a, b = "115107000070000115", services.rules.credit_code_with_check("11510700007000027")
    import_orgs(
        f"- name: 涪城区人民政府\n  level: county\n  kind: government\n  credit_code: {b}\n"
        "  sort: 3\n  parent: 绵阳市人民政府\n"
    )
    swapped = SMALL_YAML.replace(a, b).replace(
        "      sort: 3\n", f"      credit_code: {a}\n      sort: 3\n"
    )

    assert import_orgs(swapped) == services.ImportResult(created=0, updated=2)
    assert dict(Org.objects.exclude(credit_code="").values_list("name", "credit_code")) == {
        "绵阳市人民政府": b,
        "涪城区人民政府": a,
    }


ORG = "  level: city\n  kind: department\n"
BAD_YAML = (
    # bad credit code: the line of the field
    (
        "- name: 绵阳市统计局\n" + ORG + "  credit_code: 91350100M000100Y44\n",
        ["第4行：统一社会信用代码校验位错误，应为3实为4"],
    ),
    # unknown parent
    (
        "- name: 绵阳市统计局\n" + ORG + "  parent: 四川省人民政府\n",
        ["第1行：上级机关“四川省人民政府”不存在"],
    ),
    # cycle within the file
    (
        "- name: 甲\n" + ORG + "  parent: 乙\n- name: 乙\n" + ORG + "  parent: 甲\n",
        ["第1行：上级关系成环：甲 → 乙 → 甲", "第5行：上级关系成环：乙 → 甲 → 乙"],
    ),
    # cycle with the database: the city under its own department
    (
        "- name: 绵阳市人民政府\n  level: city\n  kind: government\n"
        "  parent: 绵阳市自然资源和规划局\n",
        ["第1行：上级关系成环：绵阳市人民政府 → 绵阳市自然资源和规划局 → 绵阳市人民政府"],
    ),
    # duplicate name, once nested
    (
        "- name: 绵阳市统计局\n"
        + ORG
        + "  children:\n    - name: 绵阳市统计局\n      level: city\n      kind: office\n",
        ["第5行：机关名称“绵阳市统计局”重复，第1行已有"],
    ),
    # bad level and kind, English or Chinese wanted
    (
        "- name: 绵阳市统计局\n  level: 地级\n  kind: 局\n",
        [
            "第2行：层级“地级”无效，应为province/省级、city/市级、county/县级、township/乡级",
            "第3行：类型“局”无效，应为government/人民政府、department/部门、office/派出机构",
        ],
    ),
    (
        "- name: 绵阳市统计局\n  level: city\n",
        ["第1行：缺少类型（kind），应为government/人民政府、department/部门、office/派出机构"],
    ),
    ("- level: city\n  kind: department\n", ["第1行：缺少机关名称（name）"]),
    # malformed entries
    ("- 绵阳市统计局\n", ["第1行：每个机关应为一组“字段: 值”"]),
    ("- name: 绵阳市统计局\n" + ORG + "  leader: 张三\n", ["第4行：未知字段“leader”"]),
    ("- name: 绵阳市统计局\n" + ORG + "  website: [a, b]\n", ["第4行：字段“website”的值应为文字"]),
    ("- name: 绵阳市统计局\n" + ORG + "  sort: first\n", ["第4行：排序“first”应为非负整数"]),
    (
        "- name: 绵阳市统计局\n" + ORG + "  website: not a url\n",
        ["第4行：网站：输入一个有效的 URL。"],
    ),
    (
        "- name: 绵阳市统计局\n" + ORG + "  office_postcode: 62100\n",
        ["第4行：邮编应为6位数字，实为“62100”"],
    ),
    (
        "- name: 绵阳市统计局\n"
        + ORG
        + "  children:\n    - name: 统计局二\n      parent: 绵阳市人民政府\n"
        + "      level: city\n      kind: department\n",
        ["第6行：嵌套在children中的机关不应再写parent"],
    ),
    ("name: 绵阳市统计局\n", ["第1行：文件顶层应为机关列表（以“- name:”开头的条目）"]),
    (
        "- name: 绵阳市统计局\n  level: [city\n",
        ["第3行：YAML格式错误：expected ',' or ']', but got '<stream end>'"],
    ),
)


@pytest.mark.parametrize(("text", "messages"), BAD_YAML)
def test_import_orgs_refuses_bad_yaml_by_line_and_writes_nothing(dept, text, messages):
    before = _snapshot()

    with pytest.raises(OrgImportError) as exc:
        import_orgs(text)

    assert exc.value.messages == messages
    assert _snapshot() == before


HEAD = "name,level,kind,parent,credit_code\n"
BAD_CSV = (
    (
        HEAD + "绵阳市统计局,city,department,绵阳市人民政府,91350100M000100Y44\n",
        ["第2行：统一社会信用代码校验位错误，应为3实为4"],
    ),
    (HEAD + "绵阳市统计局,city,department\n", ["第2行：应有5列，实有3列"]),
    (
        HEAD + "\n绵阳市统计局,city,部委,绵阳市人民政府,\n",
        ["第3行：类型“部委”无效，应为government/人民政府、department/部门、office/派出机构"],
    ),
    ("name,level,kind,领导\n", ["第1行：未知列“领导”"]),
    ("name,parent\n", ["第1行：缺少“level”（层级）列", "第1行：缺少“kind”（类型）列"]),
    # a code already held by an org the file leaves alone, and one used twice in the file
    (
        HEAD
        + "绵阳市统计局,city,department,绵阳市人民政府,115107000070000115\n"
        + "绵阳市审计局,city,department,绵阳市人民政府,91350100M000100Y43\n"
        + "绵阳市商务局,city,department,绵阳市人民政府,91350100M000100Y43\n",
        [
            "第2行：统一社会信用代码115107000070000115已属于“绵阳市人民政府”",
            "第4行：统一社会信用代码91350100M000100Y43已属于“绵阳市审计局”",
        ],
    ),
    # every problem of the file at once, in line order
    (
        HEAD
        + "绵阳市统计局,city,department,四川省,\n"
        + '"绵阳市\n审计局",地级,department,,9135\n',
        [
            "第2行：上级机关“四川省”不存在",
            "第3行：层级“地级”无效，应为province/省级、city/市级、county/县级、township/乡级",
            "第3行：统一社会信用代码应为18位，实为4位",
        ],
    ),
)


@pytest.mark.parametrize(("text", "messages"), BAD_CSV)
def test_import_orgs_refuses_bad_csv_by_line_and_writes_nothing(city, text, messages):
    services.update_org(city, credit_code="115107000070000115")
    before = _snapshot()

    with pytest.raises(OrgImportError) as exc:
        import_orgs(text, fmt="csv")

    assert exc.value.messages == messages
    assert _snapshot() == before


def test_org_import_error_reads_as_one_message_per_line():
    error = OrgImportError([(3, "乙"), (1, "甲")])

    assert str(error) == "第1行：甲\n第3行：乙"


def test_save_staff_creates_then_changes_only_what_differs(city, dept):
    user = services.save_staff("guotu", org=dept, role="handler", password="Gongkai-test-2026")
    same = services.save_staff("guotu", org=dept, role="handler", password="Gongkai-test-2026")
    moved = services.save_staff(
        "guotu", org=city, role="office_admin", password="Gongkai-test-2026"
    )

    assert user.pk == same.pk == moved.pk
    assert (moved.org, moved.role) == (city, "office_admin")
    assert list(
        Entry.objects.filter(action__startswith="orgs.staff").values_list("action", "summary")
    ) == [
        ("orgs.staff.create", {"org": "绵阳市自然资源和规划局", "role": "handler"}),
        ("orgs.staff.update", {"fields": ["org", "role"]}),
    ]


def test_import_orgs_csv_without_a_column_keeps_that_field(city, dept):
    services.update_org(dept, credit_code="115107000070000216", website="http://gtj.my.gov.cn/")

    result = import_orgs(
        "名称,层级,类型,网站\n绵阳市自然资源和规划局,市级,部门,http://zrzy.my.gov.cn/\n", fmt="csv"
    )

    dept.refresh_from_db()
    assert result == services.ImportResult(created=0, updated=1)
    assert (dept.website, dept.credit_code, dept.short_name, dept.parent) == (
        "http://zrzy.my.gov.cn/",
        "115107000070000216",
        "市自然资源和规划局",
        city,
    )
