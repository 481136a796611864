from datetime import date
from decimal import Decimal

import pytest

from gongkai.interaction import queries, services
from gongkai.interaction.enums import Channel, Satisfaction
from gongkai.interaction.tests.conftest import at
from gongkai.orgs.enums import Role
from gongkai.orgs.models import User


@pytest.fixture
def reviewer(city):
    return User.objects.create_user(
        username="city_reviewer", password="Gongkai-test-2026", org=city, role=Role.OFFICE_ADMIN
    )


@pytest.fixture
def answer(city_office, reviewer):
    def answer_(letter, on):
        letter = services.accept(letter, by=city_office)
        letter = services.draft_reply(letter, by=city_office, text="答复")
        letter = services.review(letter, by=reviewer, approve=True)
        return services.send(letter, by=city_office, on=on)

    return answer_


def test_visible_to_shows_mailbox_and_transferred_letters_only(
    write, city_office, dept, dept_staff, other_dept_staff
):
    kept = write().letter
    sent = services.accept(write(content="另一件事").letter, by=city_office)
    sent = services.transfer(sent, by=city_office, to_org=dept, handler=dept_staff)

    assert list(queries.visible_to(city_office)) == [kept, sent]
    assert list(queries.visible_to(dept_staff)) == [sent]
    assert list(queries.visible_to(other_dept_staff)) == []


def test_overdue_lists_late_acceptance_and_late_replies(write, city_office, answer):
    pending = write(content="一").letter  # accept due 2025-03-06
    unanswered = services.accept(write(content="二").letter, by=city_office)  # reply due 03-17
    answer(write(content="三").letter, on=date(2025, 3, 10))

    assert list(queries.overdue(on=date(2025, 3, 7))) == [pending]
    assert list(queries.overdue(on=date(2025, 3, 18))) == [pending, unanswered]


def test_figures_count_a_small_year_exactly(write, city_office, answer, django_assert_num_queries):
    first = write(content="一")
    on_time = answer(first.letter, on=date(2025, 3, 10))  # 5 working days
    services.publish(on_time, by=city_office, on=date(2025, 3, 11))
    services.rate(on_time.number, code=first.code, satisfaction=Satisfaction.SATISFIED)
    second = write(content="二")
    late = answer(second.letter, on=date(2025, 3, 20))  # 13 working days, due 03-17
    services.rate(late.number, code=second.code, satisfaction=Satisfaction.UNSATISFIED)
    services.accept(write(content="三", when=at(2025, 3, 4, 9, 0)).letter, by=city_office)
    write(content="一", when=at(2025, 3, 3, 12, 0))  # duplicate: not counted
    no_contact = write(content="四", contact="", channel=Channel.POST, by=city_office).letter
    services.refuse(no_contact, by=city_office, reason="无有效联系方式")  # received, not valid
    test = services.accept(write(content="测试").letter, by=city_office)
    services.mark_test(test, by=city_office)  # not counted
    write(content="去年", when=at(2024, 12, 31, 23, 0))  # another year

    with django_assert_num_queries(1):
        result = queries.figures([city_office.org], 2025, on=date(2025, 4, 1))
    down = queries.figures([city_office.org], 2025, on=date(2025, 4, 1), mode="down")

    assert (result.received, result.valid, result.replied, result.published) == (4, 3, 2, 1)
    assert (result.reply_rate, down.reply_rate) == (Decimal("66.7"), Decimal("66.6"))
    assert result.average_handling_workdays == Decimal("9.0")
    assert (result.overdue, result.oldest_unanswered) == (2, date(2025, 3, 4))
    assert result.satisfaction == {"satisfied": 1, "basic": 0, "unsatisfied": 1}


def test_figures_of_another_org_are_empty(write, city_office, other_dept):
    services.accept(write().letter, by=city_office)

    result = queries.figures([other_dept], 2025, on=date(2025, 4, 1))

    assert (result.received, result.valid, result.reply_rate) == (0, 0, None)
