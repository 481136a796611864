import inspect
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from gongkai.api.applications import PARAMS
from gongkai.applications import services
from gongkai.applications.enums import Action, ApplicantKind, Channel, Decision
from gongkai.applications.models import Application, Letter
from gongkai.applications.tests.conftest import ID_NUMBER, person
from gongkai.workdays.services import load_from_package

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
PHONE = "13800001234"
NAME = "张三"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the status endpoint counts wrong codes there


@pytest.fixture
def calendar(db):
    load_from_package(years=[2025, 2026])


def body(to, **overrides) -> dict:
    data = {**person(), "org": to.pk, **overrides}
    return {k: v for k, v in data.items() if v is not None}


def post(client, url, data=None, **kwargs):
    payload = data if isinstance(data, str) else json.dumps(data or {})
    return client.post(url, payload, content_type="application/json", **kwargs)


def submitted(org, channel=Channel.ONLINE, **overrides) -> services.Submitted:
    return services.submit(person(**overrides), org=org, channel=channel, arrived_at=timezone.now())


def private_data_in(response) -> list[str]:
    text = response.content.decode()
    return [s for s in (ID_NUMBER, PHONE, NAME, "5107", "征地补偿") if s in text]


# --- POST /api/v1/applications ---------------------------------------------------------------


def test_submit_answers_201_with_number_and_code_without_a_csrf_token(calendar, dept):
    client = Client(enforce_csrf_checks=True)

    response = post(client, "/api/v1/applications", body(dept))

    answer = response.json()
    app = Application.objects.get()
    assert response.status_code == 201
    assert answer == {
        "number": "YSQ2026000001",
        "query_code": answer["query_code"],
        "stage": "pending_confirmation",
        "stage_label": "待确认收到",
    }
    assert (app.number, app.org, app.channel, app.account) == (
        "YSQ2026000001",
        dept,
        "online",
        None,
    )
    assert services.code_matches(app, answer["query_code"]) is True


def test_submit_ties_the_application_to_a_signed_in_citizen(client, calendar, dept, applicant):
    client.force_login(applicant)

    response = post(client, "/api/v1/applications", body(dept))

    assert response.status_code == 201
    assert Application.objects.get().account == applicant


def test_submit_by_a_signed_in_citizen_needs_the_csrf_token(calendar, dept, applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)

    response = post(client, "/api/v1/applications", body(dept))

    assert response.status_code == 403
    assert response.json() == {
        "detail": "CSRF 校验失败：请在 X-CSRFToken 请求头中带上 csrftoken Cookie 的值"
    }
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    (
        ({"id_number": "510703199001011230"}, "id_number", "身份证号码校验位错误：应为7，实为0"),
        ({"phone": None}, "phone", "请填写联系电话"),
        ({"phone": "12345"}, "phone", "联系电话格式不正确：请填写手机号码或带区号的固定电话"),
        (
            {
                "applicant_kind": ApplicantKind.COMMERCIAL,
                "applicant_name": "绵阳某某科技有限公司",
                "id_type": None,
                "id_number": None,
                "credit_code": "91510700MA62470B10",
            },
            "credit_code",
            "统一社会信用代码校验位错误，应为T实为0",
        ),
        ({"org": 999999}, "org", "受理机关的选项无效"),
        ({"description": ["a", "b"]}, "description", "所需信息的内容描述格式不正确"),
    ),
)
def test_submit_names_the_invalid_field_in_chinese(
    client, calendar, dept, overrides, field, message
):
    response = post(client, "/api/v1/applications", body(dept, **overrides))

    assert response.status_code == 422
    assert response.json() == {"errors": {field: message}}
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "message"),
    (
        ('{"org": 1,', "请求体不是有效的 JSON"),
        ("[1, 2]", "请求体应为 JSON 对象"),
    ),
)
def test_submit_refuses_malformed_json_with_400(client, db, payload, message):
    response = post(client, "/api/v1/applications", payload)

    assert response.status_code == 400
    assert response.json() == {"detail": message}


# --- GET /api/v1/applications/status ------------------------------------------------------------


def test_status_answers_the_code_holder_without_personal_data(client, calendar, dept):
    done = submitted(dept)

    response = client.get(
        f"/api/v1/applications/status?number=YSQ2026000001&code={done.query_code}"
    )

    assert response.status_code == 200
    assert response.json() == {
        "number": "YSQ2026000001",
        "stage": "pending_confirmation",
        "stage_label": "待确认收到",
        "received_on": None,
        "due_date": None,
        "outcome": "",
        "outcome_label": "",
        "replied_on": None,
        "letters": [],
    }
    assert private_data_in(response) == []


def test_status_shows_outcome_and_the_letters_issued_to_the_applicant(
    client, calendar, dept, dept_staff
):
    done = submitted(dept, channel=Channel.IN_PERSON)
    app = services.act(
        done.application,
        Action.DECIDE,
        by=dept_staff,
        today=date(2026, 3, 2),
        decision=Decision.GRANT,
        text="见附件",
    )
    services.act(
        app, Action.DELIVER, by=dept_staff, today=date(2026, 3, 2), delivered_on=NOW.date()
    )
    for title, public in (("补充答复书", True), ("征求第三方意见函", False)):
        Letter.objects.create(
            application=app,
            kind="reply_supplement" if public else "consultation",
            number="绵自然资公开〔2026〕1号",
            title=title,
            content={},
            issued_on=date(2026, 3, 2),
            public_to_applicant=public,
        )

    response = client.get(f"/api/v1/applications/status?number={app.number}&code={done.query_code}")

    answer = response.json()
    issued = app.letters.filter(public_to_applicant=True)
    assert {k: v for k, v in answer.items() if k != "letters"} == {
        "number": "YSQ2026000001",
        "stage": "replied",
        "stage_label": "已答复",
        "received_on": "2026-03-02",
        "due_date": "2026-03-30",
        "outcome": "grant",
        "outcome_label": "予以公开",
        "replied_on": "2026-03-02",
    }
    assert answer["letters"] == [
        {"kind": x.kind, "title": x.title, "issued_on": "2026-03-02"} for x in issued
    ]
    assert answer["letters"][-1]["title"] == "补充答复书"
    assert "征求第三方意见函" not in response.content.decode()


def test_status_says_deadline_pending_when_the_calendar_lacks_a_year(client, db, dept):
    load_from_package(years=[2026])
    done = services.submit(
        person(),
        org=dept,
        channel=Channel.IN_PERSON,
        arrived_at=datetime(2026, 12, 14, 9, tzinfo=NOW.tzinfo),
    )

    response = client.get(
        f"/api/v1/applications/status?number={done.application.number}&code={done.query_code}"
    )

    assert response.json()["due_date"] == "期限待定"


@pytest.mark.parametrize(
    "query",
    (
        "number=YSQ2026000001&code=WRONGCOD",  # right number, wrong code
        "number=YSQ2026999999&code={code}",  # unknown number, a real code
        "number=&code=",
    ),
)
def test_status_refuses_wrong_number_or_code_alike(client, calendar, dept, query):
    done = submitted(dept)

    response = client.get("/api/v1/applications/status?" + query.format(code=done.query_code))

    assert response.status_code == 404
    assert response.json() == {"detail": "申请编号或查询码不正确"}
    assert private_data_in(response) == []


def test_status_locks_a_client_out_after_ten_wrong_codes(client, calendar, dept):
    done = submitted(dept)
    for _ in range(10):
        client.get("/api/v1/applications/status?number=YSQ2026000001&code=WRONGCOD")

    response = client.get(
        f"/api/v1/applications/status?number=YSQ2026000001&code={done.query_code}"
    )
    other = client.get(
        f"/api/v1/applications/status?number=YSQ2026000001&code={done.query_code}",
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 429
    assert response.json() == {"detail": "查询码错误次数过多，请15分钟后再试"}
    assert other.status_code == 200


# --- Staff: GET /api/v1/applications, GET /api/v1/applications/{number} ---------------------------


def numbers(response) -> list[str]:
    return [item["number"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    (
        ("dept_staff", ["YSQ2026000001"]),
        ("city_office", ["YSQ2026000001"]),
        ("other_dept_staff", []),
    ),
)
def test_staff_list_shows_only_the_users_subtree(
    client, calendar, dept, request, persona, expected
):
    submitted(dept)
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/api/v1/applications")

    assert response.status_code == 200
    assert numbers(response) == expected
    assert response.json()["count"] == len(expected)


def test_staff_list_item_shape(client, calendar, dept, dept_staff):
    submitted(dept, channel=Channel.IN_PERSON)
    client.force_login(dept_staff)

    response = client.get("/api/v1/applications")

    assert response.json() == {
        "count": 1,
        "items": [
            {
                "number": "YSQ2026000001",
                "org_id": dept.pk,
                "org_name": "绵阳市自然资源和规划局",
                "applicant_name": "张三",
                "channel": "in_person",
                "arrived_at": "2026-03-02T02:00:00Z",
                "received_on": "2026-03-02",
                "stage": "received",
                "stage_label": "办理中",
                "due_date": "2026-03-30",
                "due_pending_year": None,
                "overdue": False,
                "handler": None,
            }
        ],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        ("stage=pending_confirmation", ["YSQ2026000002"]),
        ("stage=received", ["YSQ2026000001"]),
        ("overdue=true", ["YSQ2026000001"]),
        ("overdue=false", ["YSQ2026000002"]),
    ),
)
def test_staff_list_filters_by_stage_and_overdue(
    client, calendar, dept, dept_staff, query, expected
):
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=NOW.tzinfo), tick=False):
        submitted(dept, channel=Channel.IN_PERSON)  # due 2026-02-02: overdue now
    submitted(dept)
    client.force_login(dept_staff)

    response = client.get("/api/v1/applications?" + query)

    assert numbers(response) == expected


def test_staff_list_refuses_an_unknown_stage_in_chinese(client, db, dept_staff):
    client.force_login(dept_staff)

    response = client.get("/api/v1/applications?stage=lost")

    assert response.status_code == 422
    assert response.json() == {"detail": "办理状态的选项无效：“lost”"}


@pytest.mark.parametrize(
    ("persona", "status", "detail"),
    ((None, 401, "请先登录"), ("applicant", 403, "仅限工作人员使用")),
)
def test_staff_list_refuses_anonymous_visitors_and_citizens(
    client, db, request, persona, status, detail
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get("/api/v1/applications")

    assert response.status_code == status
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("count", (1, 3))
def test_staff_list_costs_the_same_queries_for_1_and_3_items(
    client, calendar, dept, dept_staff, django_assert_num_queries, count
):
    for _ in range(count):
        submitted(dept)
    client.force_login(dept_staff)

    with django_assert_num_queries(5):  # session, user, the user's org, count, page
        response = client.get("/api/v1/applications")

    assert response.json()["count"] == count


def test_staff_detail_masks_personal_numbers(client, calendar, dept, dept_staff):
    submitted(dept, channel=Channel.IN_PERSON)
    client.force_login(dept_staff)

    response = client.get("/api/v1/applications/YSQ2026000001")

    detail = response.json()
    assert response.status_code == 200
    assert (detail["id_number_masked"], detail["phone_masked"]) == (
        "5107**********1237",
        "138****1234",
    )
    assert detail["due_date"] == "2026-03-30"
    assert (detail["due_trace"][0], detail["due_trace"][-1]) == (
        "收到日 2026-03-02（星期一）当日不计，自次日起计 20 个工作日（CAL-5）",
        "期限届满日：2026-03-30（星期一）",
    )
    assert ID_NUMBER not in response.content.decode()
    assert PHONE not in response.content.decode()


def test_staff_detail_is_404_outside_the_subtree(client, calendar, dept, other_dept_staff):
    submitted(dept)
    client.force_login(other_dept_staff)

    response = client.get("/api/v1/applications/YSQ2026000001")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该申请，或不在您的查看范围内"}


# --- Staff: POST /api/v1/applications/{number}/actions/{action} -------------------------------


def test_action_confirm_starts_the_clock(client, calendar, dept, dept_staff):
    submitted(dept)
    client.force_login(dept_staff)

    response = post(
        client,
        "/api/v1/applications/YSQ2026000001/actions/confirm",
        {"at": "2026-03-02T10:30", "via": "电话"},
    )

    answer = response.json()
    assert response.status_code == 200
    assert (answer["stage"], answer["received_on"], answer["due_date"]) == (
        "received",
        "2026-03-02",
        "2026-03-30",
    )
    assert Application.objects.get().confirmed_by == dept_staff


def test_action_refused_by_the_state_machine_is_409(client, calendar, dept, dept_staff):
    submitted(dept)
    client.force_login(dept_staff)

    response = post(
        client,
        "/api/v1/applications/YSQ2026000001/actions/deliver",
        {"delivered_on": "2026-03-02"},
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "当前状态为“待确认收到”，不能“送达答复”"}


@pytest.mark.parametrize(
    ("payload", "errors"),
    (
        (
            {"at": "2026-03-02T10:30", "via": " "},
            {"via": "请写明确认方式（电话、短信、电子邮件等）"},
        ),
        ({}, {"at": "请填写确认时间", "via": "请填写方式"}),
        (
            {"at": "昨天", "via": "电话", "days": 5},
            {
                "at": "确认时间应为 ISO 8601 格式的时间，如 2026-03-02T09:30",
                "days": "“确认收到”没有参数“days”",
            },
        ),
    ),
)
def test_action_with_invalid_input_is_422(client, calendar, dept, dept_staff, payload, errors):
    submitted(dept)
    client.force_login(dept_staff)

    response = post(client, "/api/v1/applications/YSQ2026000001/actions/confirm", payload)

    assert response.status_code == 422
    assert response.json() == {"errors": errors}
    assert Application.objects.get().stage == "pending_confirmation"


def test_action_assign_takes_the_handler_by_username(
    client, calendar, dept, dept_staff, city_office
):
    submitted(dept)
    client.force_login(city_office)

    response = post(
        client, "/api/v1/applications/YSQ2026000001/actions/assign", {"handler": "dept_staff"}
    )

    assert response.json()["handler"] == "dept_staff"


def test_action_end_consultation_takes_the_consultation_by_id(client, calendar, dept, dept_staff):
    submitted(dept, channel=Channel.IN_PERSON)
    client.force_login(dept_staff)
    url = "/api/v1/applications/YSQ2026000001/actions/"
    started = post(
        client,
        url + "start_consultation",
        {"kind": "third_party", "party": "绵阳某某公司", "sent_on": "2026-03-02"},
    ).json()
    consultation = started["consultations"][0]

    response = post(
        client,
        url + "end_consultation",
        {"consultation": consultation["id"], "answered_on": "2026-03-02", "opinion": "同意公开"},
    )

    answer = response.json()
    assert (started["stage"], consultation["party"]) == ("consulting", "绵阳某某公司")
    assert answer["stage"] == "received"
    assert answer["consultations"][0]["answered_on"] == "2026-03-02"


def test_action_outside_the_subtree_is_404(client, calendar, dept, other_dept_staff):
    submitted(dept)
    client.force_login(other_dept_staff)

    response = post(
        client,
        "/api/v1/applications/YSQ2026000001/actions/confirm",
        {"at": "2026-03-02T10:30", "via": "电话"},
    )

    assert response.status_code == 404
    assert Application.objects.get().stage == "pending_confirmation"


def test_action_needs_the_csrf_token_of_the_session(calendar, dept, dept_staff):
    submitted(dept)
    client = Client(enforce_csrf_checks=True)
    client.force_login(dept_staff)
    client.cookies["csrftoken"] = "k" * 32  # what a browser got from any page
    url = "/api/v1/applications/YSQ2026000001/actions/confirm"
    payload = {"at": "2026-03-02T10:30", "via": "电话"}

    without = post(client, url, payload)
    with_token = post(client, url, payload, HTTP_X_CSRFTOKEN="k" * 32)

    assert without.status_code == 403
    assert without.json() == {
        "detail": "CSRF 校验失败：请在 X-CSRFToken 请求头中带上 csrftoken Cookie 的值"
    }
    assert with_token.status_code == 200


def test_action_parameter_table_covers_every_service_handler():
    wanted = {
        name
        for handler in services.HANDLERS.values()
        for name, p in inspect.signature(handler).parameters.items()
        if p.kind == p.KEYWORD_ONLY
    }

    assert wanted - {"by", "today", "cal"} - set(PARAMS) == set()


# --- The schema ------------------------------------------------------------------------------


def test_openapi_schema_lists_the_application_paths(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert {
        "/api/v1/applications",
        "/api/v1/applications/status",
        "/api/v1/applications/{number}",
        "/api/v1/applications/{number}/actions/{action}",
    } <= set(paths)
    assert set(paths["/api/v1/applications"]) == {"get", "post"}
    assert (
        "org"
        in paths["/api/v1/applications"]["post"]["requestBody"]["content"]["application/json"][
            "schema"
        ]["required"]
    )
