"""The topic form on the desk detail page: the suggestion shown, confirmed, corrected."""

import re

import pytest

from gongkai.applications.models import Application, Topic
from gongkai.applications.tests import conftest as applications
from gongkai.applications.tests.conftest import at
from gongkai.audit.models import Entry

calendar = applications.calendar
submit = applications.submit


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(at(2021, 3, 24, 10), tick=False)


def selected(html: str) -> list[str]:
    return re.findall(r'<option value="(\d+)" selected>', html)


def test_desk_detail_shows_the_suggested_topic_preselected(client, submit, dept_staff):
    app = submit().application  # 征地补偿 → 土地征收
    client.force_login(dept_staff)

    html = client.get(f"/desk/applications/{app.number}/").content.decode()

    assert 'data-testid="topic">土地征收<span class="muted" data-testid="topic-suggested">' in html
    assert "（系统建议，待确认）" in html
    assert selected(html) == [str(app.topic_id)]


def test_desk_topic_confirms_and_drops_the_suggestion_note(client, submit, dept_staff):
    app = submit().application
    client.force_login(dept_staff)

    response = client.post(f"/desk/applications/{app.number}/topic/", {"topic": app.topic_id})
    html = client.get(f"/desk/applications/{app.number}/").content.decode()

    assert (response.status_code, response["Location"]) == (
        302,
        f"/desk/applications/{app.number}/",
    )
    assert Application.objects.get(pk=app.pk).topic_confirmed is True
    assert "（系统建议，待确认）" not in html
    assert Entry.objects.filter(action="applications.set_topic").count() == 1


def test_desk_topic_corrects_the_topic(client, submit, dept_staff):
    app = submit().application
    other = Topic.objects.get(code="education_health")
    client.force_login(dept_staff)

    client.post(f"/desk/applications/{app.number}/topic/", {"topic": other.pk})

    assert Application.objects.get(pk=app.pk).topic == other


def test_desk_topic_refuses_an_inactive_topic(client, submit, dept_staff):
    app = submit().application
    other = Topic.objects.get(code="education_health")
    other.active = False
    other.save()
    client.force_login(dept_staff)

    response = client.post(f"/desk/applications/{app.number}/topic/", {"topic": other.pk})

    assert response.status_code == 200
    assert '<p class="field-error" id="id_topic_error">请选择启用中的事项分类。</p>' in (
        response.content.decode()
    )
    assert Application.objects.get(pk=app.pk).topic_confirmed is False


def test_desk_topic_is_not_found_for_another_department(client, submit, other_dept_staff):
    app = submit().application
    client.force_login(other_dept_staff)

    response = client.post(f"/desk/applications/{app.number}/topic/", {"topic": app.topic_id})

    assert response.status_code == 404
    assert Application.objects.get(pk=app.pk).topic_confirmed is False


def test_desk_topic_refuses_get(client, submit, dept_staff):
    app = submit().application
    client.force_login(dept_staff)

    assert client.get(f"/desk/applications/{app.number}/topic/").status_code == 405
