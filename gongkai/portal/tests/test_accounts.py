"""Citizen accounts: sign up, sign in, and see one's own applications on /apply/mine/."""

import re

import pytest

from gongkai.applications.models import Application
from gongkai.applications.tests import conftest as applications
from gongkai.applications.tests.conftest import at, person
from gongkai.audit.models import Entry
from gongkai.orgs.models import User

calendar = applications.calendar
PASSWORD = "Qingshui-He-2026"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2021, 3, 1, 10), tick=False)


def field_errors(html: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, message in re.findall(r'<p class="field-error" id="id_(\w+)_error">(.*?)</p>', html):
        errors.setdefault(name, []).append(message)
    return errors


def signup(client, **overrides):
    data = {
        "username": "lisi",
        "email": "lisi@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post("/account/signup/", {**data, **overrides})


def test_signup_creates_a_citizen_and_signs_them_in(client, db):
    response = signup(client)

    user = User.objects.get(username="lisi")
    assert (response.status_code, response["Location"]) == (302, "/apply/mine/")
    assert (user.email, user.org, user.role, user.is_staff_member) == (
        "lisi@example.com",
        None,
        "",
        False,
    )
    assert user.check_password(PASSWORD)
    assert client.get("/apply/mine/").status_code == 200


def test_signup_records_an_audit_entry_without_personal_data(client, db):
    signup(client)

    entry = Entry.objects.get(action="accounts.signup")
    user = User.objects.get(username="lisi")
    assert (entry.actor, entry.object_id, entry.summary) == (
        "lisi",
        str(user.pk),
        {"citizen": True},
    )
    assert "lisi@example.com" not in str(entry.summary)


def test_signup_refuses_a_weak_password_in_chinese(client, db):
    response = signup(client, password1="12345678", password2="12345678")

    assert response.status_code == 200
    assert field_errors(response.content.decode())["password1"] == [
        "密码太短，至少需要 10 个字符。",
        "这个密码太常见，请换一个。",
        "密码不能全是数字。",
    ]
    assert not User.objects.filter(username="lisi").exists()


def test_signup_refuses_a_password_like_the_username(client, db):
    response = signup(client, username="qingshuihe2026", password1=PASSWORD, password2=PASSWORD)

    assert field_errors(response.content.decode()) == {"password1": ["密码与用户名太相似。"]}


def test_signup_refuses_two_different_passwords(client, db):
    response = signup(client, password2="Qingshui-He-2027")

    assert field_errors(response.content.decode()) == {"password2": ["两次填写的密码不一致。"]}
    assert not User.objects.filter(username="lisi").exists()


def test_signup_refuses_a_taken_username(client, applicant):
    response = signup(client, username="Applicant")

    assert field_errors(response.content.decode()) == {"username": ["该用户名已被使用，请换一个。"]}
    assert User.objects.filter(username__iexact="applicant").count() == 1
    assert not Entry.objects.filter(action="accounts.signup").exists()


def test_signup_sends_a_signed_in_user_to_their_applications(client, applicant):
    client.force_login(applicant)

    response = client.get("/account/signup/")

    assert (response.status_code, response["Location"]) == (302, "/apply/mine/")


def test_login_page_is_for_staff_and_applicants_and_links_to_signup(client, db):
    html = client.get("/login/").content.decode()

    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == "登录"
    assert 'href="/account/signup/" data-testid="signup-link"' in html


def test_mine_shows_a_new_account_only_its_own_applications(client, calendar, dept, applicant):
    client.force_login(applicant)
    client.post("/apply/", {**person(delivery="online", description="别人的申请"), "org": dept.pk})
    client.logout()
    signup(client)

    client.post("/apply/", {**person(delivery="online", description="我的申请"), "org": dept.pk})
    html = client.get("/apply/mine/").content.decode()

    mine = Application.objects.get(account__username="lisi")
    theirs = Application.objects.get(account=applicant)
    assert re.findall(r'href="/apply/status/(\w+)/"', html) == [mine.number]
    assert theirs.number not in html
    assert "别人的申请" not in html
