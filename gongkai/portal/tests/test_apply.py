"""The citizen's pages: apply online, the receipt, the status check, the letters."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import services
from gongkai.applications.enums import Action, Channel, Stage
from gongkai.applications.models import Application, Attachment, Letter
from gongkai.applications.tests import conftest as applications
from gongkai.applications.tests.conftest import ID_NUMBER, at, person

calendar = applications.calendar
PHONE = "13800001234"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2021, 3, 1, 10), tick=False)


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()  # the wrong-code counter lives there
    yield
    cache.clear()


def form_data(dept, **overrides) -> dict:
    data = {**person(delivery="online"), "org": dept.pk}
    return {k: v for k, v in {**data, **overrides}.items() if v is not None}


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="id_([\w-]+)_error">(.*?)</p>', html))


def code_on(html: str) -> str:
    return re.search(r'data-testid="code">(\w+)<', html).group(1)


def filed(client, org, **overrides):
    """File online through the form; returns (application, query code from the receipt)."""
    client.post("/apply/", form_data(org, **overrides))
    html = client.get("/apply/receipt/").content.decode()
    return Application.objects.get(), code_on(html)


def test_apply_form_groups_orgs_under_their_government(client, dept, other_dept):
    html = client.get("/apply/").content.decode()

    group = re.search(r'<optgroup label="绵阳市人民政府">(.*?)</optgroup>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", group) == [
        "绵阳市人民政府",
        "绵阳市自然资源和规划局",
        "绵阳市教育和体育局",
    ]
    assert "请妥善保存" not in html
    assert "个人信息保护" in html


def test_apply_files_an_online_application_awaiting_confirmation(client, calendar, dept):
    response = client.post("/apply/", form_data(dept))

    assert (response.status_code, response["Location"]) == (302, "/apply/receipt/")
    app = Application.objects.get()
    assert (app.org, app.channel, app.stage, app.received_on, app.account) == (
        dept,
        Channel.ONLINE,
        Stage.PENDING_CONFIRMATION,
        None,
        None,
    )


def test_apply_receipt_shows_number_and_code_once(client, calendar, dept):
    client.post("/apply/", form_data(dept))

    html = client.get("/apply/receipt/").content.decode()
    again = client.get("/apply/receipt/")

    app = Application.objects.get()
    assert f'data-testid="number">{app.number}<' in html
    assert services.code_matches(app, code_on(html)) is True
    assert "请妥善保存查询码。" in html
    assert (
        '<span class="stage stage-pending_confirmation" data-testid="stage">待确认收到</span>'
        in html
    )
    assert "答复期限自双方确认收到申请之日起计算，为20个工作日。" in html
    assert (again.status_code, again["Location"]) == (302, "/apply/status/")


def test_apply_links_the_application_to_a_signed_in_account(client, calendar, dept, applicant):
    client.force_login(applicant)

    client.post("/apply/", form_data(dept))

    assert Application.objects.get().account == applicant


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"org": None}, {"org": "请填写受理机关"}),
        ({"applicant_name": ""}, {"applicant_name": "请填写姓名或名称"}),
        (
            {"id_number": "510703199001011238"},
            {"id_number": "身份证号码校验位错误：应为7，实为8"},
        ),
        ({"id_number": ""}, {"id_number": "请填写证件号码"}),
        (
            {"phone": "12345"},
            {"phone": "联系电话格式不正确：请填写手机号码或带区号的固定电话"},
        ),
        (
            {"applicant_kind": "commercial", "credit_code": ""},
            {"credit_code": "请填写统一社会信用代码"},
        ),
        ({"email": "not-an-address"}, {"email": "电子邮箱格式不正确"}),
        ({"delivery": "post", "address": ""}, {"address": "请填写通信地址"}),
        ({"description": ""}, {"description": "请填写所需信息的内容描述"}),
        ({"form_wanted": None}, {"form_wanted": "请填写信息的指定提供形式"}),
        (
            {"agent_name": "李四"},
            {"agent_id_number": "委托代理人申请的，请填写代理人身份证号码（REQ-3）"},
        ),
    ],
)
def test_apply_shows_each_message_next_to_its_field_and_files_nothing(
    client, calendar, dept, overrides, errors
):
    response = client.post("/apply/", form_data(dept, **overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html) == errors
    assert "申请未提交：请按红色提示修改后重新提交。" in html
    assert Application.objects.count() == 0


def test_apply_keeps_what_was_typed_when_input_is_invalid(client, calendar, dept):
    html = client.post("/apply/", form_data(dept, phone="12345")).content.decode()

    assert f'<option value="{dept.pk}" selected>绵阳市自然资源和规划局</option>' in html
    assert 'value="张三"' in html
    assert 'value="zhangsan@example.com"' in html
    assert 'value="12345"' in html
    assert ">\n请公开本村2020年征地补偿安置方案</textarea>" in html
    assert 'value="online" id="id_delivery_3" required checked>' in html


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_apply_stores_the_attached_files(client, calendar, dept, media):
    upload = SimpleUploadedFile("委托书.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")

    client.post("/apply/", {**form_data(dept), "attachments": [upload]})

    app = Application.objects.get()
    assert list(app.attachments.values_list("name", flat=True)) == ["委托书.pdf"]


def test_apply_with_a_refused_file_leaves_nothing_behind(client, calendar, dept, media):
    good = SimpleUploadedFile("委托书.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    bad = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00", "application/pdf")

    response = client.post("/apply/", {**form_data(dept), "attachments": [good, bad]})

    assert field_errors(response.content.decode()) == {
        "attachments": "附件“说明.pdf”的内容不是PDF文件"
    }
    assert (Application.objects.count(), Attachment.objects.count()) == (0, 0)
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_status_with_the_right_code_shows_the_stage(client, calendar, dept):
    app, code = filed(client, dept)
    client.cookies.clear()

    response = client.post("/apply/status/", {"number": app.number.lower(), "code": code.lower()})
    html = client.get(response["Location"]).content.decode()

    assert response["Location"] == f"/apply/status/{app.number}/"
    assert (
        '<span class="stage stage-pending_confirmation" data-testid="stage">待确认收到</span>'
        in html
    )
    assert '<dd data-testid="due">确认收到后起算</dd>' in html


@pytest.mark.parametrize("wrong", ["number", "code"])
def test_status_with_a_wrong_number_or_code_says_the_same(client, calendar, dept, wrong):
    app, code = filed(client, dept)
    client.cookies.clear()
    entered = {"number": app.number, "code": code, wrong: "WRONG234"}

    response = client.post("/apply/status/", entered)

    assert response.status_code == 200
    assert re.findall(r'data-testid="status-error">(.*?)<', response.content.decode()) == [
        "申请编号或查询码不正确，请核对后重新输入。"
    ]


def test_status_stops_checking_after_ten_wrong_codes(client, calendar, dept):
    app, code = filed(client, dept)
    client.cookies.clear()
    for _ in range(10):
        client.post("/apply/status/", {"number": app.number, "code": "WRONG234"})

    response = client.post("/apply/status/", {"number": app.number, "code": code})

    assert response.status_code == 200
    assert re.findall(r'data-testid="status-error">(.*?)<', response.content.decode()) == [
        "查询码错误次数过多，请15分钟后再试。"
    ]


def test_status_page_without_the_code_asks_for_it(client, calendar, dept):
    app, _code = filed(client, dept)
    client.cookies.clear()

    response = client.get(f"/apply/status/{app.number}/")

    assert (response.status_code, response["Location"]) == (
        302,
        f"/apply/status/?number={app.number}",
    )


def test_status_page_shows_the_correction_asked_for(client, calendar, dept, dept_staff):
    app, _code = filed(client, dept)
    services.act(
        confirmed(app, dept_staff),
        Action.REQUEST_CORRECTION,
        by=dept_staff,
        today=date(2021, 3, 1),
        items="请写明所涉村组名称",
        respond_by=date(2021, 3, 15),
    )

    html = client.get(f"/apply/status/{app.number}/").content.decode()

    assert '<span class="stage stage-awaiting_correction" data-testid="stage">待补正</span>' in html
    assert '<p class="pre">请写明所涉村组名称</p>' in html


def test_public_pages_never_show_personal_numbers(client, calendar, dept, applicant):
    client.force_login(applicant)
    client.post("/apply/", form_data(dept))
    pages = [client.get("/apply/receipt/")]
    app = Application.objects.get()

    pages += [client.get(url) for url in ["/apply/status/", f"/apply/status/{app.number}/"]]
    pages += [client.get("/apply/mine/"), client.get("/")]

    assert [p.status_code for p in pages] == [200] * 5
    for page in pages:
        html = page.content.decode()
        assert ID_NUMBER not in html
        assert PHONE not in html
    assert "138****1234" in pages[2].content.decode()


def test_mine_lists_only_the_accounts_applications(client, calendar, dept, applicant):
    services.submit(person(), org=dept, channel=Channel.ONLINE, arrived_at=at(2021, 3, 1, 9))
    client.force_login(applicant)
    client.post("/apply/", form_data(dept))
    own = Application.objects.get(account=applicant)

    html = client.get("/apply/mine/").content.decode()

    assert re.findall(r'href="/apply/status/(\w+)/"', html) == [own.number]


@pytest.mark.parametrize("count", [1, 3])
def test_mine_costs_the_same_queries_for_one_or_three(
    client, calendar, dept, applicant, django_assert_num_queries, count
):
    for n in range(count):
        services.submit(
            person(description=f"第{n}件"),
            org=dept,
            channel=Channel.ONLINE,
            arrived_at=at(2021, 3, 1, 9),
            account=applicant,
        )
    client.force_login(applicant)

    with django_assert_num_queries(3):  # session, user, applications with their orgs
        client.get("/apply/mine/")


def test_mine_requires_login(client, db):
    response = client.get("/apply/mine/")

    assert response["Location"] == "/login/?next=/apply/mine/"


def confirmed(app, by):
    """Confirm receipt, which issues the 收到申请告知书 (a letter to the applicant)."""
    return services.act(
        app, Action.CONFIRM, by=by, today=date(2021, 3, 1), at=app.arrived_at, via="电话"
    )


def test_letter_download_needs_the_code(client, calendar, dept, dept_staff):
    app, _code = filed(client, dept)
    letter = confirmed(app, dept_staff).letters.get()
    client.cookies.clear()

    response = client.get(f"/apply/status/{app.number}/letters/{letter.pk}/pdf/")

    assert (response.status_code, response["Location"]) == (
        302,
        f"/apply/status/?number={app.number}",
    )


def test_letter_not_meant_for_the_applicant_is_not_found(client, calendar, dept, dept_staff):
    app, _code = filed(client, dept)
    letter = confirmed(app, dept_staff).letters.get()
    Letter.objects.filter(pk=letter.pk).update(public_to_applicant=False)

    response = client.get(f"/apply/status/{app.number}/letters/{letter.pk}/pdf/")

    assert response.status_code == 404


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("pdf", b"%PDF")])
def test_letter_downloads_for_the_code_holder(client, calendar, dept, dept_staff, fmt, magic):
    app, _code = filed(client, dept)
    letter = confirmed(app, dept_staff).letters.get()

    html = client.get(f"/apply/status/{app.number}/").content.decode()
    response = client.get(f"/apply/status/{app.number}/letters/{letter.pk}/{fmt}/")

    assert f'href="/apply/status/{app.number}/letters/{letter.pk}/{fmt}/"' in html
    assert response.status_code == 200
    assert response.content[: len(magic)] == magic
    assert response["Content-Disposition"] == (f'attachment; filename="{app.number}-receipt.{fmt}"')
