from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from gongkai.applications import digest, services
from gongkai.applications.enums import Action, Channel
from gongkai.applications.tests.conftest import at, person
from gongkai.audit.models import Entry
from gongkai.orgs.enums import Role
from gongkai.orgs.models import User
from gongkai.workdays.services import delete_years

TODAY = date(2021, 3, 23)  # a Tuesday


@pytest.fixture
def handlers(dept_staff, other_dept_staff):
    dept_staff.email, dept_staff.full_name = "dept_staff@example.com", "王承办"
    dept_staff.save()
    other_dept_staff.email = "other@example.com"
    other_dept_staff.save()
    return dept_staff, other_dept_staff


@pytest.fixture
def assigned(submit, office_head):
    """Submit at 自然资源和规划局 and assign to ``handler`` (each arrival a different request)."""

    def assigned_(handler, arrived_at, description="请公开本村2020年征地补偿安置方案", **kw):
        app = submit(arrived_at=arrived_at, description=description, **kw).application
        return services.act(
            app, Action.ASSIGN, by=office_head, today=arrived_at.date(), handler=handler
        )

    return assigned_


def test_digest_mails_one_mail_for_two_cases_of_one_handler(handlers, assigned, settings):
    settings.SITE_URL = "https://gongkai.example.gov.cn"
    dept_staff, _ = handlers
    assigned(dept_staff, at(2021, 2, 1, 9), description="请公开2020年城区房屋征收补偿方案")
    assigned(
        dept_staff,
        at(2021, 3, 1, 9),
        description="请公开本村2020年征地补偿安置方案及其附件全文\n和历次修改说明",
    )

    mails = digest.digest_mails(TODAY)

    assert [(m.to, m.subject) for m in mails] == [
        (["dept_staff@example.com"], "政府信息公开申请待办提醒（2021-03-23）：2件，其中已超期1件")
    ]
    assert mails[0].body == (
        "王承办：\n"
        "\n"
        "截至2021-03-23（星期二），您承办的以下2件政府信息公开申请需要关注：\n"
        "\n"
        "已超期（1件）\n"
        "  YSQ2021000001　市自然资源和规划局　请公开2020年城区房屋征收补偿方案　"
        "答复期限2021-03-04　已超期13个工作日\n"
        "\n"
        "5个工作日内到期（1件）\n"
        "  YSQ2021000002　市自然资源和规划局　请公开本村2020年征地补偿安置方案及其附件全文 和历次修改…　"
        "答复期限2021-03-29　剩余4个工作日\n"
        "\n"
        "请登录 https://gongkai.example.gov.cn/ 办理。\n"
        "本提醒每日一封，只列出未办结且已超期、临近期限或期限待定的申请；待补正、待缴费期间期限暂停，不列入。\n"
    )


def test_send_digests_sends_one_mail_per_handler_and_nothing_to_a_handler_without_cases(
    handlers, assigned, submit, other_dept, office_head
):
    dept_staff, other_dept_staff = handlers
    idle = User.objects.create_user(
        username="idle", email="idle@example.com", org=dept_staff.org, role=Role.HANDLER
    )
    assigned(dept_staff, at(2021, 3, 1, 9))
    assigned(dept_staff, at(2021, 3, 2, 9), description="请公开2021年度征地计划")
    assigned(idle, at(2021, 3, 22, 9), description="due 2021-04-20: not yet")
    theirs = services.submit(
        person(description="请公开2021年义务教育招生划片方案"),
        org=other_dept,
        channel=Channel.IN_PERSON,
        arrived_at=at(2021, 3, 1, 10),
    ).application
    services.act(theirs, Action.ASSIGN, by=other_dept_staff, today=TODAY, handler=other_dept_staff)

    sent = digest.send_digests(TODAY)

    assert sent == 2
    assert [(m.to, m.body.count("YSQ2021")) for m in mail.outbox] == [
        (["dept_staff@example.com"], 2),
        (["other@example.com"], 1),
    ]
    assert "YSQ2021000001" not in mail.outbox[1].body
    assert theirs.number in mail.outbox[1].body


@pytest.mark.parametrize(
    "account",
    (
        {"email": ""},  # no address
        {"email": "gone@example.com", "is_active": False},  # left the department
    ),
)
def test_send_digests_skips_and_counts_handlers_it_cannot_mail(
    handlers, assigned, dept_staff, account
):
    skipped = User.objects.create_user(
        username="skipped", org=dept_staff.org, role=Role.HANDLER, **account
    )
    assigned(skipped, at(2021, 3, 1, 9))
    assigned(dept_staff, at(2021, 3, 2, 9), description="请公开2021年度征地计划")

    plan = digest.plan_digests(TODAY)
    sent = digest.send_plan(plan, today=TODAY)

    assert (sent, plan.applications, plan.skipped) == (1, 1, ["skipped"])
    assert [m.to for m in mail.outbox] == [["dept_staff@example.com"]]
    assert Entry.objects.get(action="applications.digest").summary == {
        "date": "2021-03-23",
        "mails": 1,
        "applications": 1,
        "skipped": 1,
    }


@pytest.mark.parametrize(
    ("today", "status"),
    (
        (date(2021, 3, 19), None),  # due 03-29 is 6 working days away
        (date(2021, 3, 22), "剩余5个工作日"),
        (date(2021, 3, 26), "剩余1个工作日"),
        (date(2021, 3, 29), "今日到期"),
        (date(2021, 3, 30), "已超期1个工作日"),
        (date(2021, 4, 3), "已超期4个工作日"),  # Saturday
    ),
)
def test_digest_mails_window_is_five_working_days(handlers, assigned, today, status):
    dept_staff, _ = handlers
    assigned(dept_staff, at(2021, 3, 1, 9))

    lines = [m.body.splitlines()[5] for m in digest.digest_mails(today)]

    assert [line.rsplit("　", 1)[1] for line in lines] == ([status] if status else [])


def test_digest_mails_lists_pending_deadlines_and_skips_stopped_clocks(
    handlers, assigned, dept_staff
):
    delete_years([2022])
    pending = assigned(dept_staff, at(2021, 12, 20, 9))
    waiting = assigned(dept_staff, at(2021, 11, 1, 9), description="请公开2021年度征地计划")
    services.act(
        waiting,
        Action.REQUEST_CORRECTION,
        by=dept_staff,
        today=date(2021, 11, 2),
        items="请写明所涉村组名称",
        respond_by=date(2021, 12, 31),
    )

    mails = digest.digest_mails(date(2021, 12, 21))

    assert pending.due_pending_year == 2022
    assert mails[0].body.splitlines()[4:6] == [
        "期限待定（缺少节假日数据）（1件）",
        "  YSQ2021000001　市自然资源和规划局　请公开本村2020年征地补偿安置方案　"
        "答复期限待定　期限待定（缺少2022年节假日数据）",
    ]
    assert waiting.number not in mails[0].body


def test_command_digest_reports_sent_and_skipped(handlers, assigned, dept_staff, capsys):
    nomail = User.objects.create_user(username="nomail", org=dept_staff.org, role=Role.HANDLER)
    assigned(nomail, at(2021, 3, 1, 9))
    assigned(dept_staff, at(2021, 3, 2, 9), description="请公开2021年度征地计划")

    call_command("applications", "digest", "--date", "2021-03-23")

    out, err = capsys.readouterr()
    assert out == "已发送1封待办提醒，涉及1件申请。\n"
    assert err == "1名承办人没有电子邮箱或账号已停用，未发送：nomail\n"
    assert len(mail.outbox) == 1


def test_command_overdue_lists_an_org_subtree(
    handlers, assigned, submit, other_dept, office_head, capsys
):
    dept_staff, _ = handlers
    assigned(dept_staff, at(2021, 2, 1, 9), description="请公开2020年城区房屋征收补偿方案")
    submit(arrived_at=at(2021, 3, 1, 9))  # due 03-29: not overdue yet
    services.submit(
        person(description="请公开2021年义务教育招生划片方案"),
        org=other_dept,
        channel=Channel.IN_PERSON,
        arrived_at=at(2021, 2, 1, 10),
    )

    call_command("applications", "overdue", "--org", "市自然资源和规划局", "--date", "2021-03-23")

    assert capsys.readouterr().out == (
        "YSQ2021000001\t市自然资源和规划局\tdept_staff\t答复期限2021-03-04\t已超期13个工作日\t"
        "请公开2020年城区房屋征收补偿方案\n"
        "截至2021-03-23，共1件申请已超期。\n"
    )


def test_command_overdue_names_an_unknown_org(db):
    with pytest.raises(CommandError, match="找不到机关“不存在的局”"):
        call_command("applications", "overdue", "--org", "不存在的局")
