from datetime import date

import pytest

from gongkai.audit.models import Entry
from gongkai.workdays import services
from gongkai.workdays.models import CalendarYear, SpecialDay
from gongkai.workdays.signals import calendar_changed
from gongkai.workdays.tests.vectors import HOLIDAY, MAKEUP

pytestmark = pytest.mark.django_db

SMALL_2027 = "年份 2027\n来源 测试通知\n元旦 放假 01-01~01-03"


@pytest.fixture
def sent():
    received = []

    def receiver(sender, years, **kwargs):
        received.append(years)

    calendar_changed.connect(receiver)
    yield received
    calendar_changed.disconnect(receiver)


def form_data(year, source, rows, *, initial=0):
    """POST data for the year page: rows are dicts of date/kind/name (+ id, DELETE)."""
    data = {
        "year": year,
        "source": source,
        "days-TOTAL_FORMS": len(rows),
        "days-INITIAL_FORMS": initial,
        "days-MIN_NUM_FORMS": 0,
        "days-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update({f"days-{i}-{key}": value for key, value in row.items()})
    return data


def existing_rows(year):
    return [
        {"id": d.pk, "year": d.year_id, "date": d.date, "kind": d.kind, "name": d.name}
        for d in SpecialDay.objects.filter(year__year=year).order_by("date")
    ]


def test_admin_add_year_goes_through_services(
    admin_client, sent, django_capture_on_commit_callbacks
):
    rows = [
        {"date": "2027-01-01", "kind": HOLIDAY, "name": "元旦"},
        {"date": "2027-02-14", "kind": MAKEUP, "name": "春节"},
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/workdays/calendaryear/add/", form_data(2027, "测试通知", rows)
        )

    assert response.status_code == 302
    assert list(SpecialDay.objects.values_list("date", "kind")) == [
        (date(2027, 1, 1), HOLIDAY),
        (date(2027, 2, 14), MAKEUP),
    ]
    assert list(Entry.objects.values_list("action", "actor")) == [("workdays.edit", "admin")]
    assert sent == [frozenset({2027})]


def test_admin_change_year_is_one_audited_change(
    admin_client, sent, django_capture_on_commit_callbacks
):
    services.import_notice(SMALL_2027)
    year = CalendarYear.objects.get(year=2027)
    rows = existing_rows(2027)
    rows[0]["DELETE"] = "on"
    rows[1]["name"] = "新年"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/workdays/calendaryear/{year.pk}/change/",
            form_data(2027, "测试通知（更正）", rows, initial=3),
        )

    assert response.status_code == 302
    assert list(SpecialDay.objects.values_list("date", "name")) == [
        (date(2027, 1, 2), "新年"),
        (date(2027, 1, 3), "元旦"),
    ]
    assert CalendarYear.objects.get().source == "测试通知（更正）"
    assert [action for (action,) in Entry.objects.values_list("action")] == [
        "workdays.import",
        "workdays.edit",
    ]
    assert sent == [frozenset({2027})]


def test_admin_rejects_a_weekday_makeup_day(admin_client):
    services.import_notice(SMALL_2027)
    year = CalendarYear.objects.get(year=2027)
    rows = [*existing_rows(2027), {"date": "2027-02-15", "kind": MAKEUP, "name": "春节"}]

    response = admin_client.post(
        f"/admin/workdays/calendaryear/{year.pk}/change/",
        form_data(2027, "测试通知", rows, initial=3),
    )

    assert response.status_code == 200
    assert "2027-02-15是星期一，不是周末，不能安排为调休上班" in response.content.decode()
    assert SpecialDay.objects.count() == 3


def test_admin_rejects_a_date_outside_the_notice(admin_client):
    rows = [{"date": "2026-11-30", "kind": HOLIDAY, "name": "元旦"}]

    response = admin_client.post("/admin/workdays/calendaryear/add/", form_data(2027, "x", rows))

    assert response.status_code == 200
    assert "日期不在该年度通知的范围内" in response.content.decode()
    assert CalendarYear.objects.count() == 0


def test_admin_delete_year_goes_through_services(admin_client):
    services.import_notice(SMALL_2027)
    year = CalendarYear.objects.get(year=2027)

    response = admin_client.post(f"/admin/workdays/calendaryear/{year.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert (CalendarYear.objects.count(), SpecialDay.objects.count()) == (0, 0)
    assert Entry.objects.last().action == "workdays.delete"


def test_admin_lists_days_read_only_with_weekday(admin_client):
    services.import_notice(SMALL_2027)

    response = admin_client.get("/admin/workdays/specialday/")

    assert response.status_code == 200
    assert "星期五" in response.content.decode()
