from datetime import date
from decimal import Decimal

import pytest

from gongkai.interaction.enums import Action, Status
from gongkai.interaction.rules import (
    TRANSITIONS,
    Situation,
    TransitionRefused,
    accept_due,
    accept_refusal,
    figures,
    mask_personal,
    next_status,
    reply_due,
)
from gongkai.workdays.enums import DayKind
from gongkai.workdays.rules import WorkCalendar

S, A = Status, Action

# Every (status, action) pair that is allowed, and where it leads.
ALLOWED = {
    (S.PENDING, A.ACCEPT): S.ACCEPTED,
    (S.PENDING, A.REFUSE): S.REFUSED,
    (S.ACCEPTED, A.TRANSFER): S.TRANSFERRING,
    (S.HANDLING, A.TRANSFER): S.TRANSFERRING,
    (S.TRANSFERRING, A.BOUNCE): S.ACCEPTED,
    (S.TRANSFERRING, A.TAKE): S.HANDLING,
    (S.ACCEPTED, A.DRAFT): S.REVIEWING,
    (S.HANDLING, A.DRAFT): S.REVIEWING,
    (S.REVIEWING, A.DRAFT): S.REVIEWING,
    (S.REVIEWING, A.APPROVE): S.REVIEWING,
    (S.REVIEWING, A.RETURN): S.HANDLING,
    (S.REVIEWING, A.SEND): S.REPLIED,
    (S.REPLIED, A.PUBLISH): S.PUBLISHED,
    (S.REPLIED, A.RATE): S.REPLIED,
    (S.PUBLISHED, A.RATE): S.PUBLISHED,
}
EVERYTHING_HOLDS = Situation(reviewed=True)
PAIRS = [(status, action) for status in Status for action in Action]


def test_transitions_table_matches_the_spec():
    allowed = {
        (status, action): target or status
        for action, (sources, target) in TRANSITIONS.items()
        for status in sources
    }

    assert allowed == ALLOWED


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_next_status_allows_or_refuses_every_pair(status, action):
    if (status, action) in ALLOWED:
        assert next_status(status, action, EVERYTHING_HOLDS) == ALLOWED[(status, action)]
    else:
        with pytest.raises(TransitionRefused) as refused:
            next_status(status, action, EVERYTHING_HOLDS)
        assert str(refused.value) == f"当前状态为“{status.label}”，不能“{action.label}”"


@pytest.mark.parametrize(
    ("status", "action", "situation", "reason"),
    (
        (S.PENDING, A.ACCEPT, Situation(has_contact=False), "无有效联系方式，不予受理（MBX-3）"),
        (S.PENDING, A.ACCEPT, Situation(has_content=False), "无具体内容，不予受理（MBX-3）"),
        (
            S.REVIEWING,
            A.APPROVE,
            Situation(drafter_is_reviewer=True),
            "答复须由起草人以外的人员审核（MBX-2）",
        ),
        (S.REVIEWING, A.SEND, Situation(reviewed=False), "答复审核通过后才能发送（MBX-2）"),
        (S.REPLIED, A.PUBLISH, Situation(may_publish=False), "来信人不同意公开，不能公开答复"),
        (S.PUBLISHED, A.RATE, Situation(rated=True), "每封信件只能评价一次"),
    ),
)
def test_next_status_refuses_when_a_guard_fails(status, action, situation, reason):
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, action, situation)

    assert str(refused.value) == reason


@pytest.mark.parametrize(
    ("has_contact", "has_content", "reason"),
    (
        (True, True, None),
        (False, True, "无有效联系方式，不予受理（MBX-3）"),
        (True, False, "无具体内容，不予受理（MBX-3）"),
        (False, False, "无有效联系方式，不予受理（MBX-3）"),
    ),
)
def test_accept_refusal_follows_mbx_3(has_contact, has_content, reason):
    assert accept_refusal(has_contact=has_contact, has_content=has_content) == reason


@pytest.mark.parametrize(
    ("received", "holidays", "accept", "reply"),
    (
        (date(2025, 3, 3), set(), date(2025, 3, 6), date(2025, 3, 17)),  # plain weeks
        (date(2025, 3, 3), {date(2025, 3, 5)}, date(2025, 3, 7), date(2025, 3, 18)),  # holiday
    ),
)
def test_clocks_count_working_days_after_receipt(received, holidays, accept, reply):
    cal = WorkCalendar.from_days([(d, DayKind.HOLIDAY, "假日") for d in holidays], [2025])

    assert (accept_due(received, cal), reply_due(received, cal)) == (accept, reply)


@pytest.mark.parametrize(
    ("text", "masked"),
    (
        ("身份证510703199001011237", "身份证5107**********1237"),
        ("身份证510703199001011238", "身份证510703199001011238"),  # bad check digit: not an ID
        ("电话13912345678。", "电话139****5678。"),
        ("电话139123456789", "电话139123456789"),  # 12 digits: not a mobile
        ("我是李四，李四的诉求", "我是李*，李*的诉求"),
    ),
)
def test_mask_personal_masks_ids_mobiles_and_the_name(text, masked):
    assert mask_personal(text, names=("李四",)) == masked


@pytest.mark.parametrize(
    ("mode", "rate"), (("half_up", Decimal("96.5")), ("down", Decimal("96.4")))
)
def test_figures_reply_rate_rounds_per_rpt_25(mode, rate):
    result = figures(received=9000, valid=8858, replied=8545, mode=mode)

    assert result.reply_rate == rate


def test_figures_without_valid_letters_have_no_rate_or_average():
    result = figures(received=2, valid=0, replied=0)

    assert (result.reply_rate, result.average_handling_workdays) == (None, None)


def test_figures_average_handling_rounds_to_one_place():
    result = figures(received=3, valid=3, replied=3, handling_workdays_total=10, handled=3)

    assert result.average_handling_workdays == Decimal("3.3")
