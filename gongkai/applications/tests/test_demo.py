from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from gongkai.applications import queries, services
from gongkai.applications.demo import DEMO_DOMAIN, build_demo_applications
from gongkai.applications.enums import Channel, Decision, Stage
from gongkai.applications.models import (
    Appeal,
    Application,
    Consultation,
    Correction,
    Extension,
    FeeNotice,
)
from gongkai.applications.rules import TABLE3_ROW
from gongkai.audit.models import Entry
from gongkai.audit.services import verify
from gongkai.lib.crypto import decrypt
from gongkai.lib.identity import resident_id_error
from gongkai.orgs.demo import build_demo_city
from gongkai.orgs.rules import credit_code_error
from gongkai.workdays.services import load_from_package

TODAY = date(2026, 7, 15)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One demo year for the whole module (building it takes seconds), rolled back at the end.

    Each test's own transaction nests inside this one as a savepoint.
    """
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        load_from_package(years=range(2025, 2027))
        build_demo_city()
        built = build_demo_applications(year=2026, count=300, seed=42, today=TODAY)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def built(world, db):
    return world


def test_build_demo_applications_reaches_every_stage(built):
    stages = Counter(Application.objects.values_list("stage", flat=True))

    assert built == 300 == Application.objects.count()
    assert {stage: stages[stage] > 0 for stage in Stage} == {stage: True for stage in Stage}
    assert queries.overdue(Application.objects.all(), on=TODAY).count() >= 3


def test_build_demo_applications_covers_the_outcomes_and_procedures(built):
    outcomes = set(Application.objects.exclude(outcome="").values_list("outcome", flat=True))
    rows = {TABLE3_ROW[Decision(outcome)] for outcome in outcomes}

    assert {row[:4] for row in rows} == {"三(一)", "三(二)", "三(三)", "三(四)", "三(五)", "三(六)"}
    assert {Decision.ABANDONED_NO_CORRECTION, Decision.ABANDONED_NO_PAYMENT, Decision.OTHER} <= (
        outcomes
    )
    assert Extension.objects.count() == 2
    assert (Correction.objects.exists(), Consultation.objects.exists()) == (True, True)
    assert FeeNotice.objects.filter(paid_on__isnull=False).exists()
    assert set(Appeal.objects.values_list("kind", flat=True)) == {
        "reconsideration",
        "litigation",
    }


def test_build_demo_applications_channels_follow_the_seed(built):
    channels = Counter(Application.objects.values_list("channel", flat=True))
    online = channels[Channel.ONLINE] + channels[Channel.EMAIL]
    post = channels[Channel.POST_SIGNED] + channels[Channel.POST_PLAIN]

    assert channels[Channel.IN_PERSON] > online > post > channels[Channel.FAX] > 0
    assert 0.5 < channels[Channel.IN_PERSON] / 300 < 0.7


def event_dates() -> list[date]:
    """Every date on which something happened (deadlines such as ``due_date`` excluded)."""
    rows = [
        *Application.objects.values_list("received_on", "decided_on", "replied_on", "closed_on"),
        *Correction.objects.values_list("notified_on", "received_on"),
        *Consultation.objects.values_list("sent_on", "answered_on"),
        *Extension.objects.values_list("approved_on", "notified_on"),
        *FeeNotice.objects.values_list("delivered_on", "paid_on"),
        *Appeal.objects.values_list("filed_on", "closed_on"),
    ]
    moments = Application.objects.values_list("arrived_at", "confirmed_at")
    days = [services.local_date(m) for row in moments for m in row if m]
    return sorted([d for row in rows for d in row if d] + days)


def test_build_demo_applications_dates_nothing_after_today(built):
    dates = event_dates()

    assert date(2026, 1, 1) <= dates[0] <= dates[-1] <= TODAY


def test_build_demo_applications_people_are_valid_and_obviously_fake(built):
    apps = list(Application.objects.all())
    people = [app for app in apps if app.applicant_kind == "person"]
    companies = [app for app in apps if app.applicant_kind != "person"]

    assert {app.email.rsplit("@", 1)[1] for app in apps} == {DEMO_DOMAIN}
    assert {decrypt(app.phone_enc)[:6] for app in apps} == {"138000"}
    assert [resident_id_error(decrypt(app.id_number_enc)) for app in people] == [None] * len(people)
    assert [credit_code_error(app.credit_code) for app in companies] == [None] * len(companies)
    assert len(companies) > 0


@pytest.mark.parametrize("again", ({}, {"count": 50, "seed": 7}, {"today": date(2026, 7, 20)}))
def test_build_demo_applications_twice_adds_nothing(built, again):
    apps, entries = Application.objects.count(), Entry.objects.count()

    assert build_demo_applications(**{"year": 2026, "today": TODAY, **again}) == 0
    assert (Application.objects.count(), Entry.objects.count()) == (apps, entries)


def test_command_demo_says_when_the_year_is_already_there(built, capsys):
    call_command("applications", "demo", "--year", "2026", "--date", "2026-07-15")

    assert capsys.readouterr().out == "演示城市已有2026年的演示申请，未作改动。\n"


def test_build_demo_applications_leaves_an_audit_trail_that_verifies(built):
    submitted = set(
        Entry.objects.filter(action="applications.submit").values_list("object_id", flat=True)
    )

    assert verify() is None
    assert submitted == {str(pk) for pk in Application.objects.values_list("pk", flat=True)}


def test_build_demo_applications_assigns_to_the_demo_handlers(built):
    handlers = dict(
        Application.objects.exclude(handler=None)
        .values_list("handler__username")
        .annotate(n=Count("pk"))
    )

    assert set(handlers) == {"guotu", "jiaoyu"}
    assert handlers["guotu"] > handlers["jiaoyu"] > 0


def test_build_demo_applications_in_the_current_year_stops_at_this_moment(built):
    now = datetime(2025, 3, 10, 10, 0, tzinfo=SHANGHAI)

    with time_machine.travel(now, tick=False):
        made = build_demo_applications(year=2025, count=40)

    this_year = Application.objects.filter(arrived_at__year=2025)
    assert made == 40 == this_year.count()
    assert this_year.filter(arrived_at__gt=now).count() == 0
    assert this_year.filter(confirmed_at__gt=now).count() == 0
    assert [d for d in event_dates() if date(2025, 3, 10) < d < date(2026, 1, 1)] == []
