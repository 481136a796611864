import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.audit.models import Entry
from gongkai.interaction import services
from gongkai.interaction.enums import Channel, Satisfaction, Status
from gongkai.interaction.models import Letter
from gongkai.interaction.services import LetterInvalid, TransitionRefused
from gongkai.interaction.tests.conftest import ID_NUMBER, MOBILE, at
from gongkai.lib.crypto import decrypt


def test_submit_stores_the_writer_encrypted_and_masked(write):
    letter = write().letter

    # mailbox id, year, sequence within the mailbox's year (ids differ between databases)
    expected = f"{letter.mailbox_id:03d}-2025-00001"
    assert (letter.number, letter.status, letter.valid) == (expected, Status.PENDING, None)
    assert (letter.writer_name_masked, letter.contact_masked) == ("李*", "138****1234")
    assert (decrypt(letter.writer_name), decrypt(letter.contact)) == ("李四", MOBILE)
    assert (letter.accept_due, letter.reply_due) == (date(2025, 3, 6), date(2025, 3, 17))


@pytest.mark.parametrize(
    ("overrides", "errors"),
    (
        ({"contact": ""}, {"contact": "请填写联系方式"}),
        ({"content": " "}, {"content": "请填写留言内容"}),
        ({"contact": "12345"}, {"contact": "联系方式应为手机号码、固定电话或电子邮箱"}),
        ({"contact": "a@b"}, {"contact": "电子邮箱格式不正确"}),
        ({"subject": ""}, {"subject": "请填写标题"}),
    ),
)
def test_submit_refuses_bad_web_letters(write, overrides, errors):
    with pytest.raises(LetterInvalid) as invalid:
        write(**overrides)

    assert invalid.value.errors == errors
    assert Letter.objects.count() == 0


def test_full_workflow_from_letter_to_rating(write, city_office, dept, dept_staff, other_dept):
    submitted = write()
    letter = services.accept(submitted.letter, by=city_office)
    letter = services.transfer(letter, by=city_office, to_org=other_dept)
    letter = services.bounce(letter, by=city_office, reason="不属于本单位职责")
    letter = services.transfer(letter, by=city_office, to_org=dept, handler=dept_staff)
    letter = services.take(letter, by=dept_staff)
    letter = services.draft_reply(letter, by=dept_staff, text="李四您好：停车位将于4月开放。")
    letter = services.review(letter, by=city_office, approve=True)
    letter = services.send(letter, by=city_office, on=date(2025, 3, 10))
    letter = services.publish(letter, by=city_office, on=date(2025, 3, 11))
    letter = services.rate(letter.number, code=submitted.code, satisfaction=Satisfaction.SATISFIED)

    assert (letter.status, letter.valid, letter.satisfaction) == (
        Status.PUBLISHED,
        True,
        Satisfaction.SATISFIED,
    )
    assert (letter.replied_on, letter.handling_workdays) == (date(2025, 3, 10), 5)
    assert [(t.to_org, t.bounce_reason) for t in letter.transfers.all()] == [
        (other_dept, "不属于本单位职责"),
        (dept, ""),
    ]
    assert letter.published_question == (
        "我叫李*，身份证号5107**********1237，手机139****5678，请问停车位何时开放？"
    )
    assert letter.published_answer == "李*您好：停车位将于4月开放。"
    assert list(
        Entry.objects.filter(action__startswith="interaction.").values_list("action", flat=True)
    ) == [
        "interaction.submit",
        "interaction.accept",
        "interaction.transfer",
        "interaction.bounce",
        "interaction.transfer",
        "interaction.take",
        "interaction.draft",
        "interaction.approve",
        "interaction.send",
        "interaction.publish",
        "interaction.rate",
    ]


def test_audit_entries_hold_no_personal_data(write, city_office, dept_staff, dept):
    letter = write().letter
    letter = services.accept(letter, by=city_office)
    services.transfer(letter, by=city_office, to_org=dept, handler=dept_staff)

    logged = json.dumps(list(Entry.objects.values("actor", "summary")), ensure_ascii=False)

    for personal in ("李四", MOBILE, "138****1234", ID_NUMBER, "停车位"):
        assert personal not in logged


@pytest.mark.parametrize(
    ("overrides", "reason"),
    (
        ({"contact": ""}, "无有效联系方式，不予受理（MBX-3）"),
        ({"content": ""}, "无具体内容，不予受理（MBX-3）"),
    ),
)
def test_accept_refuses_a_post_letter_without_contact_or_content(
    write, city_office, overrides, reason
):
    letter = write(channel=Channel.POST, by=city_office, **overrides).letter

    with pytest.raises(TransitionRefused) as refused:
        services.accept(letter, by=city_office)
    letter = services.refuse(letter, by=city_office, reason=reason)

    assert str(refused.value) == reason
    assert (letter.status, letter.valid, letter.refusal_reason) == (Status.REFUSED, False, reason)


def test_submit_by_post_needs_a_staff_member(write):
    with pytest.raises(LetterInvalid) as invalid:
        write(channel=Channel.POST)

    assert invalid.value.errors == {"channel": "来信、来电由工作人员登记"}


def test_submit_marks_a_duplicate_within_24_hours_and_keeps_it(write):
    first = write(when=at(2025, 3, 3, 10, 0)).letter
    second = write(when=at(2025, 3, 4, 9, 59)).letter
    later = write(when=at(2025, 3, 5, 10, 0)).letter

    assert Letter.objects.count() == 3
    assert (second.duplicate_of, later.duplicate_of) == (first, None)
    assert Entry.objects.filter(action="interaction.submit").last().summary == {
        "number": later.number,
        "channel": "web",
        "duplicate_of": None,
    }


def test_review_refuses_the_drafter_as_reviewer(write, city_office):
    letter = services.accept(write().letter, by=city_office)
    letter = services.draft_reply(letter, by=city_office, text="答复")

    with pytest.raises(TransitionRefused) as refused:
        services.review(letter, by=city_office, approve=True)

    assert str(refused.value) == "答复须由起草人以外的人员审核（MBX-2）"


def test_send_refuses_an_unreviewed_reply(write, city_office):
    letter = services.accept(write().letter, by=city_office)
    letter = services.draft_reply(letter, by=city_office, text="答复")

    with pytest.raises(TransitionRefused) as refused:
        services.send(letter, by=city_office)

    assert str(refused.value) == "答复审核通过后才能发送（MBX-2）"


def test_publish_refuses_when_the_writer_did_not_agree(write, city_office):
    letter = services.accept(write(may_publish=False).letter, by=city_office)
    letter = services.draft_reply(letter, by=city_office, text="答复")
    letter = services.review(letter, by=_another_reviewer(city_office), approve=True)
    letter = services.send(letter, by=city_office, on=date(2025, 3, 5))

    with pytest.raises(TransitionRefused) as refused:
        services.publish(letter, by=city_office)

    assert str(refused.value) == "来信人不同意公开，不能公开答复"


def _another_reviewer(colleague):
    from gongkai.orgs.models import User

    return User.objects.create_user(
        username="city_reviewer",
        password="Gongkai-test-2026",
        org=colleague.org,
        role=colleague.role,
    )


def test_rate_refuses_a_wrong_code_and_a_second_rating(write, city_office):
    submitted = write()
    letter = services.accept(submitted.letter, by=city_office)
    letter = services.draft_reply(letter, by=city_office, text="答复")
    letter = services.review(letter, by=_another_reviewer(city_office), approve=True)
    letter = services.send(letter, by=city_office, on=date(2025, 3, 5))
    services.rate(letter.number, code=submitted.code, satisfaction=Satisfaction.BASIC)

    with pytest.raises(LetterInvalid) as wrong:
        services.rate(letter.number, code="WRONGCOD", satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(TransitionRefused) as again:
        services.rate(letter.number, code=submitted.code, satisfaction=Satisfaction.SATISFIED)

    assert wrong.value.errors == {"code": "信件编号或查询码不正确"}
    assert str(again.value) == "每封信件只能评价一次"
    assert Letter.objects.get().satisfaction == Satisfaction.BASIC


def test_accept_refuses_staff_of_another_department(write, other_dept_staff):
    letter = write().letter

    with pytest.raises(PermissionDenied):
        services.accept(letter, by=other_dept_staff)

    assert Letter.objects.get().status == Status.PENDING
