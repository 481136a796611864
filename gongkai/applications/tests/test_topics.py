"""Confirming an application's topic: suggested at intake, confirmed by staff (issue §12)."""

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.applications.models import Application, Topic
from gongkai.applications.topics import choices, set_topic
from gongkai.audit.models import Entry


@pytest.fixture
def land(db):
    """Seeded by migration 0002, as are the other default topics."""
    return Topic.objects.get(code="land_expropriation")


@pytest.fixture
def schools(db):
    return Topic.objects.get(code="education_health")


def test_submit_suggests_a_topic_without_confirming_it(submit, land):
    app = submit().application

    assert (app.topic, app.topic_confirmed) == (land, False)


def test_set_topic_confirms_the_suggestion(submit, land, dept_staff):
    app = submit().application

    set_topic(app, land, by=dept_staff)

    app = Application.objects.get(pk=app.pk)
    assert (app.topic, app.topic_confirmed) == (land, True)


def test_set_topic_corrects_the_suggestion_and_records_it(submit, land, schools, dept_staff):
    app = submit().application

    set_topic(app, schools, by=dept_staff)

    entry = Entry.objects.get(action="applications.set_topic")
    assert Application.objects.get(pk=app.pk).topic == schools
    assert (entry.actor, entry.object_id, entry.summary) == (
        "dept_staff",
        str(app.pk),
        {"previous": "land_expropriation", "topic": "education_health"},
    )


def test_set_topic_refuses_staff_of_another_department(submit, land, other_dept_staff):
    app = submit().application

    with pytest.raises(PermissionDenied):
        set_topic(app, land, by=other_dept_staff)

    assert Application.objects.get(pk=app.pk).topic_confirmed is False
    assert not Entry.objects.filter(action="applications.set_topic").exists()


def test_set_topic_refuses_a_citizen(submit, land, applicant):
    app = submit().application

    with pytest.raises(PermissionDenied):
        set_topic(app, land, by=applicant)


def test_set_topic_refuses_an_inactive_topic(submit, land, schools, dept_staff):
    app = submit().application
    schools.active = False
    schools.save()

    with pytest.raises(ValueError, match="已停用"):
        set_topic(app, schools, by=dept_staff)


def test_choices_lists_active_topics_in_order(land, schools):
    Topic.objects.exclude(pk__in=[land.pk, schools.pk]).update(active=False)
    Topic.objects.create(code="aaa", name="新分类", sort=0)

    assert [t.code for t in choices()] == ["aaa", "land_expropriation", "education_health"]
