"""The staff desk: who sees what, the list's filters, the detail page and every action form."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import attachments, services
from gongkai.applications.enums import Action, Channel, Decision, Stage
from gongkai.applications.models import Application
from gongkai.applications.tests import conftest as applications
from gongkai.applications.tests.conftest import ID_NUMBER, at
from gongkai.audit.models import Entry

calendar = applications.calendar
office_head = applications.office_head
submit = applications.submit
TODAY = date(2021, 3, 24)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2021, 3, 24, 10), tick=False)


def numbers(html: str) -> list[str]:
    """The application numbers in the desk list, top to bottom."""
    return re.findall(r'<td><a href="/desk/applications/\w+/">(\w+)</a></td>', html)


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="id_([\w-]+)_error">(.*?)</p>', html))


def action_errors(html: str) -> list[str]:
    return re.findall(r'data-testid="action-error">(.*?)</p>', html)


def offered(html: str) -> list[str]:
    return re.findall(r'data-testid="action-(\w+)"', html)


@pytest.fixture
def apps(submit):
    """On 2021-03-24: one overdue, one due soon, one far off, one awaiting confirmation."""
    return {
        "overdue": submit(arrived_at=at(2021, 2, 1, 9), description="第1件").application,
        "soon": submit(arrived_at=at(2021, 3, 1, 9), description="第2件").application,
        "later": submit(arrived_at=at(2021, 3, 22, 9), description="第3件").application,
        "pending": submit(
            Channel.ONLINE, arrived_at=at(2021, 3, 23, 9), description="第4件"
        ).application,
    }


def test_desk_list_requires_login(client, db):
    response = client.get("/desk/applications/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/login/?next=/desk/applications/",
    )


def test_desk_refuses_a_citizen(client, applicant):
    client.force_login(applicant)

    assert client.get("/desk/applications/").status_code == 403
    assert client.get("/desk/applications/new/").status_code == 403


def test_desk_list_shows_the_staff_members_subtree_only(client, apps, dept_staff, other_dept_staff):
    client.force_login(dept_staff)
    mine = client.get("/desk/applications/").content.decode()
    client.force_login(other_dept_staff)
    other = client.get("/desk/applications/").content.decode()

    assert numbers(mine) == [
        "YSQ2021000004",
        "YSQ2021000003",
        "YSQ2021000002",
        "YSQ2021000001",
    ]
    assert numbers(other) == []
    assert "没有符合条件的申请。" in other


def test_desk_detail_of_another_departments_application_is_not_found(
    client, apps, other_dept_staff
):
    client.force_login(other_dept_staff)

    assert client.get(f"/desk/applications/{apps['soon'].number}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("view=pending", ["pending"]),
        ("view=overdue", ["overdue"]),
        ("view=due_soon", ["soon"]),
        ("view=open", ["later", "soon", "overdue"]),
        ("stage=pending_confirmation", ["pending"]),
        ("q=YSQ2021000003", ["later"]),
        ("q=第2件", ["soon"]),
    ],
)
def test_desk_list_filters(client, apps, dept_staff, query, expected):
    client.force_login(dept_staff)

    html = client.get(f"/desk/applications/?{query}").content.decode()

    assert numbers(html) == [apps[name].number for name in expected]


def test_desk_list_flags_deadlines_with_a_coloured_badge(client, apps, dept_staff):
    client.force_login(dept_staff)

    html = client.get("/desk/applications/").content.decode()

    badges = re.findall(r'<td class="due">([\d—-]*) (?:<span class="badge badge-(\w+)")?', html)
    assert badges == [
        ("—", ""),
        ("2021-04-20", ""),
        ("2021-03-29", "soon"),
        ("2021-03-04", "overdue"),
    ]


def test_desk_list_shows_a_pending_deadline(client, calendar, dept, dept_staff):
    services.submit(
        applications.person(), org=dept, channel=Channel.IN_PERSON, arrived_at=at(2026, 12, 28, 9)
    )
    client.force_login(dept_staff)

    html = client.get("/desk/applications/?view=deadline_pending").content.decode()

    assert numbers(html) == ["YSQ2026000001"]
    assert '<span class="badge badge-pending" data-testid="badge">期限待定</span>' in html


@pytest.mark.parametrize("count", [1, 3])
def test_desk_list_costs_the_same_queries_for_one_or_three(
    client, submit, dept_staff, django_assert_num_queries, count
):
    for n in range(count):
        submit(description=f"第{n}件")
    client.force_login(dept_staff)
    client.get("/desk/applications/")  # the calendar is cached after the first request

    # session, user, the user's org, count, calendar revision, page
    with django_assert_num_queries(6):
        client.get("/desk/applications/")


def test_desk_detail_shows_masked_numbers_only(client, submit, dept_staff):
    app = submit().application
    client.force_login(dept_staff)

    html = client.get(f"/desk/applications/{app.number}/").content.decode()

    assert '<dd data-testid="id-number">5107**********1237</dd>' in html
    assert '<dd data-testid="phone">138****1234</dd>' in html
    assert ID_NUMBER not in html
    assert "13800001234" not in html
    assert 'data-testid="reveal"' not in html


def test_desk_reveal_shows_the_handler_the_full_numbers_once(client, submit, dept_staff):
    app = submit().application
    services.act(app, Action.ASSIGN, by=dept_staff, today=TODAY, handler=dept_staff)
    client.force_login(dept_staff)

    revealed = client.post(f"/desk/applications/{app.number}/reveal/").content.decode()
    after = client.get(f"/desk/applications/{app.number}/").content.decode()

    assert f'<span class="revealed">{ID_NUMBER}</span>' in revealed
    assert '<span class="revealed">13800001234</span>' in revealed
    assert ID_NUMBER not in after
    assert Entry.objects.filter(action="applications.reveal_personal_data").count() == 1


def test_desk_reveal_refuses_anyone_but_the_handler(client, submit, office_head):
    app = submit().application
    client.force_login(office_head)

    response = client.post(f"/desk/applications/{app.number}/reveal/")

    assert response.status_code == 403
    assert Entry.objects.filter(action="applications.reveal_personal_data").count() == 0


@pytest.mark.parametrize(
    ("channel", "actions"),
    [
        (Channel.ONLINE, ["confirm", "assign", "transfer", "withdraw"]),
        (
            Channel.IN_PERSON,
            [
                "assign",
                "transfer",
                "request_correction",
                "start_consultation",
                "extend",
                "fee_notice",
                "decide",
                "withdraw",
            ],
        ),
    ],
)
def test_desk_detail_offers_one_form_per_action_allowed_now(
    client, submit, dept_staff, channel, actions
):
    app = submit(channel, arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    html = client.get(f"/desk/applications/{app.number}/").content.decode()

    assert offered(html) == actions


def test_desk_detail_shows_the_deadline_trace_and_the_timeline(client, submit, dept_staff):
    app = submit().application
    services.act(app, Action.ASSIGN, by=dept_staff, today=TODAY, handler=dept_staff)
    client.force_login(dept_staff)

    html = client.get(f"/desk/applications/{app.number}/").content.decode()

    assert "<li>期限届满日：2021-03-29（星期一）</li>" in html
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r"<strong>(.*?)</strong>", timeline) == ["提交申请", "分办"]


def post(client, app, action, data):
    return client.post(
        f"/desk/applications/{app.number}/act/{action}/",
        {f"{action}-{name}": value for name, value in data.items()},
    )


def test_confirm_starts_the_clock(client, submit, dept_staff):
    app = submit(Channel.ONLINE, arrived_at=at(2021, 3, 23, 20)).application
    client.force_login(dept_staff)

    response = post(client, app, "confirm", {"at": "2021-03-24T09:30:00", "via": "电话"})

    app.refresh_from_db()
    assert (response.status_code, response["Location"]) == (
        302,
        f"/desk/applications/{app.number}/",
    )
    assert (app.stage, app.received_on, app.confirmed_via) == (
        Stage.RECEIVED,
        date(2021, 3, 24),
        "电话",
    )
    html = client.get(response["Location"]).content.decode()
    assert '<li class="success">已确认收到。</li>' in html


def test_confirm_before_arrival_shows_the_services_message(client, submit, dept_staff):
    app = submit(Channel.ONLINE, arrived_at=at(2021, 3, 23, 20)).application
    client.force_login(dept_staff)

    response = post(client, app, "confirm", {"at": "2021-03-23T08:00:00", "via": "电话"})

    assert field_errors(response.content.decode()) == {"confirm-at": "确认时间不能早于到达时间"}
    app.refresh_from_db()
    assert app.stage == Stage.PENDING_CONFIRMATION


def test_assign_offers_only_handlers_of_the_org_subtree(
    client, submit, dept_staff, office_head, other_dept_staff
):
    app = submit().application
    client.force_login(office_head)

    html = client.get(f"/desk/applications/{app.number}/").content.decode()
    response = post(client, app, "assign", {"handler": dept_staff.pk})

    select = re.search(r'<select name="assign-handler".*?</select>', html, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", select) == ["---------", "dept_staff"]
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.handler == dept_staff


def test_request_and_receive_a_correction(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    post(
        client,
        app,
        "request_correction",
        {"items": "请写明所涉村组名称", "respond_by": "2021-04-07"},
    )
    app.refresh_from_db()
    asked = (app.stage, list(app.corrections.values_list("items", "respond_by")))
    post(client, app, "receive_correction", {"received_on": "2021-03-24"})
    app.refresh_from_db()

    assert asked == (Stage.AWAITING_CORRECTION, [("请写明所涉村组名称", date(2021, 4, 7))])
    assert (app.stage, app.clock_start) == (Stage.RECEIVED, date(2021, 3, 24))


def test_request_correction_needs_the_items(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    response = post(client, app, "request_correction", {"items": "", "respond_by": "2021-04-07"})

    html = response.content.decode()
    assert field_errors(html) == {"request_correction-items": "请填写需要补正的事项"}
    assert '<details class="action" id="act-request_correction" open' in html
    assert app.corrections.count() == 0


EXTENSION = {
    "days": "20",
    "reason": "涉及档案检索，需要调阅",
    "approved_by": "李主任",
    "approved_on": "2021-03-24",
    "notified_via": "电子邮件",
}


def test_extend_by_the_department_head(client, submit, office_head):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(office_head)

    response = post(client, app, "extend", EXTENSION)

    app.refresh_from_db()
    assert response.status_code == 302
    assert (app.extension_days, app.extension.approved_by) == (20, "李主任")


def test_extend_by_a_handler_shows_why_not_next_to_the_field(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    response = post(client, app, "extend", EXTENSION)

    assert field_errors(response.content.decode()) == {
        "extend-approved_by": "延期须经政府信息公开工作机构负责人同意（REQ-9）"
    }
    app.refresh_from_db()
    assert app.extension_days == 0


def decision(**overrides) -> dict:
    data = {
        "decision": Decision.PARTIAL,
        "text": "提供安置方案全文",
        "withheld-TOTAL_FORMS": "2",
        "withheld-INITIAL_FORMS": "0",
        "withheld-0-what": "被安置人身份证号码",
        "withheld-0-ground": Decision.DENY_THIRD_PARTY,
        "withheld-0-basis": "《条例》第十五条",
    }
    return {k: v for k, v in {**data, **overrides}.items() if v is not None}


def test_decide_partial_with_the_withheld_parts(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    response = post(client, app, "decide", decision())

    app.refresh_from_db()
    assert response.status_code == 302
    assert (app.stage, app.outcome, app.outcome_text) == (
        Stage.DECIDED,
        Decision.PARTIAL,
        "提供安置方案全文",
    )
    assert app.withheld == [
        {"what": "被安置人身份证号码", "ground": "deny_third_party", "basis": "《条例》第十五条"}
    ]


def test_decide_partial_without_withheld_parts_says_so(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    response = post(
        client,
        app,
        "decide",
        decision(**{"withheld-0-what": None, "withheld-0-ground": None, "withheld-0-basis": None}),
    )

    assert field_errors(response.content.decode()) == {
        "decide-withheld": "部分公开须列明不予公开的内容及理由（REQ-19）"
    }
    app.refresh_from_db()
    assert app.stage == Stage.RECEIVED


def test_decide_select_groups_decisions_by_table_three_family(client, submit, dept_staff):
    app = submit().application
    client.force_login(dept_staff)

    html = client.get(f"/desk/applications/{app.number}/").content.decode()

    select = re.search(r'<select name="decide-decision".*?</select>', html, re.S).group(0)
    assert re.findall(r'<optgroup label="(.*?)">', select) == [
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
    ]


def test_deliver_replies(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    app = services.act(app, Action.DECIDE, by=dept_staff, today=TODAY, decision=Decision.GRANT)
    client.force_login(dept_staff)

    post(client, app, "deliver", {"delivered_on": "2021-03-24", "via": "email"})

    app.refresh_from_db()
    assert (app.stage, app.replied_on) == (Stage.REPLIED, date(2021, 3, 24))


def test_a_refused_move_shows_its_reason(client, submit, dept_staff):
    app = submit(arrived_at=at(2021, 3, 22, 9)).application
    client.force_login(dept_staff)

    response = post(client, app, "deliver", {"delivered_on": "2021-03-24", "via": "email"})

    assert action_errors(response.content.decode()) == ["当前状态为“办理中”，不能“送达答复”"]
    app.refresh_from_db()
    assert app.stage == Stage.RECEIVED


def test_an_unknown_action_is_not_found(client, submit, dept_staff):
    app = submit().application
    client.force_login(dept_staff)

    assert client.post(f"/desk/applications/{app.number}/act/explode/").status_code == 404


def test_register_in_person_starts_the_clock_and_shows_the_code_once(client, calendar, dept_staff):
    client.force_login(dept_staff)
    data = {
        **applications.person(),
        "org": dept_staff.org_id,
        "channel": Channel.IN_PERSON,
        "arrived_at": "2021-03-24T09:15:00",
    }

    response = client.post("/desk/applications/new/", data)
    first = client.get(response["Location"]).content.decode()
    second = client.get(response["Location"]).content.decode()

    app = Application.objects.get()
    assert response["Location"] == f"/desk/applications/{app.number}/"
    assert (app.channel, app.stage, app.received_on) == (
        Channel.IN_PERSON,
        Stage.RECEIVED,
        date(2021, 3, 24),
    )
    code = re.search(r'<strong class="code">(\w+)</strong>', first).group(1)
    assert services.code_matches(app, code) is True
    assert 'data-testid="new-code"' not in second


def test_register_only_for_orgs_of_the_subtree(client, calendar, dept_staff, other_dept):
    client.force_login(dept_staff)
    data = {
        **applications.person(),
        "org": other_dept.pk,
        "channel": Channel.IN_PERSON,
        "arrived_at": "2021-03-24T09:15:00",
    }

    response = client.post("/desk/applications/new/", data)

    assert field_errors(response.content.decode()) == {"org": "受理机关的选项无效"}
    assert Application.objects.count() == 0


def test_workbench_counts_the_users_applications(client, apps, dept_staff):
    services.act(apps["soon"], Action.ASSIGN, by=dept_staff, today=TODAY, handler=dept_staff)
    client.force_login(dept_staff)

    html = client.get("/workbench/").content.decode()

    counts = dict(re.findall(r'data-testid="count-(\w+)"><strong>(\d+)</strong>', html))
    assert counts == {
        "pending": "1",
        "open": "3",
        "due_soon": "1",
        "overdue": "1",
        "deadline_pending": "0",
        "mine": "1",
    }
    mine = re.search(r'data-testid="mine">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r">(YSQ\d+)</a>", mine) == [apps["soon"].number]


def test_workbench_shows_no_my_tasks_to_an_office_admin(client, apps, city_office):
    client.force_login(city_office)

    html = client.get("/workbench/").content.decode()

    counts = dict(re.findall(r'data-testid="count-(\w+)"><strong>(\d+)</strong>', html))
    assert list(counts) == ["pending", "open", "due_soon", "overdue", "deadline_pending"]


def test_attachment_downloads_for_staff_of_the_org_only(
    client, submit, dept_staff, other_dept_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    app = submit().application
    item = attachments.store(app, SimpleUploadedFile("委托书.pdf", b"%PDF-1.4\n%%EOF\n"))
    url = f"/desk/applications/{app.number}/attachments/{item.pk}/"
    client.force_login(other_dept_staff)
    refused = client.get(url)
    client.force_login(dept_staff)

    response = client.get(url)

    assert refused.status_code == 404
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%A7%94%E6%89%98%E4%B9%A6.pdf"
    )
