"""人大建议 / 政协提案 (MBX-5) and the MON-12 helper."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.audit.models import Entry
from gongkai.interaction import proposals, queries, services
from gongkai.interaction.enums import Opinion, ProposalKind
from gongkai.interaction.figures import report_figures
from gongkai.interaction.services import TransitionRefused
from gongkai.interaction.tests.conftest import at


@pytest.mark.parametrize(
    ("assigned", "deadline"),
    (
        (date(2017, 3, 10), date(2017, 6, 10)),
        (date(2017, 11, 30), date(2018, 2, 28)),
        (date(2016, 11, 30), date(2017, 2, 28)),
        (date(2019, 11, 29), date(2020, 2, 29)),
    ),
)
def test_deadline_is_three_months_after_assignment(assigned, deadline):
    assert proposals.deadline(assigned) == deadline


def _register(dept, number="001", kind=ProposalKind.NPC, co_orgs=()):
    return proposals.register(
        kind=kind,
        year=2017,
        number=number,
        title="关于加强停车管理的建议",
        proposers="张代表、李代表",
        lead_org=dept,
        co_orgs=co_orgs,
        assigned_on=date(2017, 3, 10),
    )


def test_reply_opinion_close_publish_and_closure_rate(dept, dept_staff, city, other_dept):
    first = _register(dept, co_orgs=[other_dept])
    _register(dept, number="002")
    _register(dept, number="001", kind=ProposalKind.CPPCC)

    with pytest.raises(TransitionRefused) as refused:
        proposals.close(first, by=dept_staff, on=date(2017, 5, 1))
    proposals.reply(first, by=dept_staff, text="已采纳。", on=date(2017, 5, 1))
    proposals.record_opinion(first, by=dept_staff, opinion=Opinion.SATISFIED)
    proposals.close(first, by=dept_staff, on=date(2017, 5, 2))
    proposals.publish_reply(first, by=dept_staff)

    assert str(refused.value) == "尚未答复，不能办结"
    figures = queries.proposal_figures([city, dept], 2017)
    assert (figures["npc"].handled, figures["npc"].closed, figures["npc"].closed_rate) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert report_figures([city, dept], 2017) == {
        "npc.suggestions": Decimal(2),
        "npc.closed": Decimal(1),
        "cppcc.proposals": Decimal(1),
        "cppcc.closed": Decimal(0),
    }
    assert [e for e in Entry.objects.values_list("action", flat=True) if "proposal" in e] == [
        "interaction.proposal_register",
        "interaction.proposal_register",
        "interaction.proposal_register",
        "interaction.proposal_reply",
        "interaction.proposal_opinion",
        "interaction.proposal_close",
        "interaction.proposal_publish",
    ]


def test_co_handling_org_sees_it_others_do_not(dept, other_dept, other_dept_staff, city):
    shared = _register(dept, co_orgs=[other_dept])
    alone = _register(dept, number="002")

    assert list(queries.proposals_visible_to(other_dept_staff)) == [shared]
    with pytest.raises(PermissionDenied):
        proposals.reply(alone, by=other_dept_staff, text="答复", on=date(2017, 5, 1))


def test_oldest_unanswered_valid_letter(write, city_office, city, dept):
    assert queries.oldest_unanswered_valid([city]) is None
    first = services.accept(write(when=at(2025, 3, 3, 10)).letter, by=city_office)
    services.accept(write(when=at(2025, 3, 5, 10), content="另一件事").letter, by=city_office)
    write(when=at(2025, 3, 1, 10), content="未受理的信")  # not valid yet

    assert queries.oldest_unanswered_valid([city]) == date(2025, 3, 3)
    assert queries.oldest_unanswered_valid([dept]) is None
    first = services.draft_reply(first, by=city_office, text="答复")
    assert first.status == "reviewing"


def test_mailbox_figures_count_leader_mailboxes_only(write, city_office, city, mailbox):
    services.accept(write().letter, by=city_office)
    assert report_figures([city], 2025) == {}

    mailbox.leader = True
    mailbox.save()
    assert report_figures([city], 2025) == {
        "mailbox.letters": Decimal(1),
        "mailbox.replies": Decimal(0),
    }
