"""Staff desk pages beyond the letter workflow: entry by post/phone, hotline import with a
remembered mapping, proposals from registration to closure, the overdue command."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gongkai.interaction import services
from gongkai.interaction.enums import Channel
from gongkai.interaction.models import HotlineCall, HotlineMapping, Letter, Proposal
from gongkai.interaction.tests.conftest import at


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2025, 3, 20, 10), tick=False)


def test_staff_enter_a_phone_letter_without_contact(client, city_office, mailbox):
    client.force_login(city_office)
    response = client.post(
        "/desk/mailbox/new/",
        {
            "mailbox": mailbox.pk,
            "channel": Channel.PHONE,
            "category": "complaint",
            "subject": "来电反映噪音",
            "content": "夜间施工噪音",
            "received_at": "2025-03-19T15:30",
        },
    )

    letter = Letter.objects.get()
    assert response.url == f"/desk/mailbox/{letter.number}/"
    assert (letter.channel, letter.contact, letter.received_at) == (
        Channel.PHONE,
        "",
        at(2025, 3, 19, 15, 30),
    )
    html = client.get(response.url).content.decode()
    assert "已登记，查询码" in html


def test_hotline_import_page_saves_the_mapping_and_reports_errors(client, city_office, city):
    client.force_login(city_office)
    good = "单号,日期,办结\nH1,2025-01-02,是\nH2,2025-01-03,否\n".encode()
    bad = "单号,日期,办结\nH1,2025-01-02,是\nH2,,否\n".encode()
    columns = {"col_number": "单号", "col_received_on": "日期", "col_closed": "办结"}

    html = client.post(
        "/desk/hotline/",
        {
            "file": SimpleUploadedFile("bad.csv", bad),
            "org": city.pk,
            "mapping": "我的系统",
            **columns,
        },
    ).content.decode()
    assert "第3行：受理日期“”无法识别，应为 2017-03-01 格式" in html
    assert HotlineCall.objects.count() == 0

    # The mapping was remembered: a second import names it only.
    client.post(
        "/desk/hotline/",
        {"file": SimpleUploadedFile("good.csv", good), "org": city.pk, "mapping": "我的系统"},
    )
    assert HotlineMapping.objects.get().columns == {
        "number": "单号",
        "received_on": "日期",
        "closed": "办结",
    }
    assert HotlineCall.objects.count() == 2
    html = client.get("/desk/hotline/?mapping=我的系统").content.decode()
    assert 'value="单号"' in html
    assert re.search(r"<td>2025</td><td>2</td><td>1</td><td>50.0%</td>", html)


def test_proposal_pages_register_reply_close(client, city_office, dept):
    client.force_login(city_office)
    response = client.post(
        "/desk/proposals/new/",
        {
            "kind": "cppcc",
            "year": 2025,
            "number": "0101",
            "title": "关于发展夜间经济的提案",
            "proposers": "王委员",
            "lead_org": dept.pk,
            "assigned_on": "2025-03-01",
        },
    )
    proposal = Proposal.objects.get()
    assert response.url == f"/desk/proposals/{proposal.pk}/"
    assert proposal.deadline == date(2025, 6, 1)

    base = f"/desk/proposals/{proposal.pk}"
    client.post(f"{base}/reply/", {"reply": "已采纳", "replied_on": "2025-03-18"})
    client.post(f"{base}/opinion/", {"opinion": "satisfied"})
    client.post(f"{base}/close/")
    client.post(f"{base}/publish/")

    proposal.refresh_from_db()
    assert (
        proposal.replied_on,
        proposal.opinion,
        proposal.closed_on,
        proposal.reply_published,
    ) == (
        date(2025, 3, 18),
        "satisfied",
        date(2025, 3, 20),
        True,
    )
    assert "0101" in client.get("/desk/proposals/?kind=cppcc").content.decode()


def test_overdue_command_lists_late_letters(write, city_office, capsys):
    late = services.accept(write(when=at(2025, 3, 3, 10)).letter, by=city_office)
    write(when=at(2025, 3, 19, 10), content="新来信")

    call_command("interaction", "overdue")

    assert capsys.readouterr().out.splitlines() == [
        f"{late.number}\t市长信箱\t已受理\t期限2025-03-17",
        "共1件超期。",
    ]


def test_reveal_shows_the_contact_once_and_is_audited(client, write, city_office):
    from gongkai.audit.models import Entry

    letter = write().letter
    client.force_login(city_office)

    masked = client.get(f"/desk/mailbox/{letter.number}/").content.decode()
    revealed = client.post(f"/desk/mailbox/{letter.number}/reveal/").content.decode()

    assert "13800001234" not in masked and "138****1234" in masked
    assert '<span class="revealed">13800001234</span>' in revealed
    assert Entry.objects.filter(action="interaction.reveal").count() == 1


def test_contact_limit_holds_the_fourth_letter_of_a_day(write):
    letters = [
        write(when=at(2025, 3, 3, 9 + i), content=f"第{i}件事", address=f"10.0.0.{i}").letter
        for i in range(4)
    ]

    assert [(x.held, x.held_reason) for x in letters] == [(False, "")] * 3 + [
        (True, "同一联系方式24小时内来信超过3封")
    ]


def test_a_held_letter_must_be_released_before_it_is_accepted(write, city_office):
    letter = write().letter
    Letter.objects.filter(pk=letter.pk).update(held=True, held_reason="联系方式在屏蔽名单中")
    letter.refresh_from_db()

    with pytest.raises(services.TransitionRefused) as refused:
        services.accept(letter, by=city_office)
    services.release(letter, by=city_office)
    letter = services.accept(letter, by=city_office)

    assert str(refused.value) == "暂存待核的信件须先放行，才能受理"
    assert letter.status == "accepted"


def test_figures_page_per_handling_org(client, write, city_office, dept, dept_staff):
    letter = services.accept(write().letter, by=city_office)
    services.transfer(letter, by=city_office, to_org=dept, handler=dept_staff)
    client.force_login(city_office)

    html = client.get("/desk/mailbox/figures/?year=2025").content.decode()

    assert "<td>绵阳市自然资源和规划局</td><td>1</td><td>0</td><td>1</td>" in html
    dept_only = client.get(f"/desk/mailbox/figures/?year=2025&org={dept.pk}").content.decode()
    assert 'data-testid="total"><td>合计</td><td>0</td>' in dept_only
