import pytest

from gongkai.workdays import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    return services.load_from_package([2017, 2018, 2019, 2020])


def test_api_add_returns_due_date_and_trace_t_cal_3(client, loaded):
    response = client.get("/api/v1/workdays/add?start=2017-01-20&days=7")

    body = response.json()
    assert response.status_code == 200
    assert (body["start"], body["days"], body["due"]) == ("2017-01-20", 7, "2017-02-04")
    assert len(body["trace"]) == 15
    assert body["trace"][1] == {
        "date": "2017-01-22",
        "weekday": "星期日",
        "kind": "makeup_workday",
        "label": "调休上班（春节）",
        "counted": True,
        "count": 1,
    }


def test_api_add_t_cal_5(client, loaded):
    response = client.get("/api/v1/workdays/add?start=2019-09-27&days=20")

    assert response.json()["due"] == "2019-10-30"


@pytest.mark.parametrize(
    ("query", "detail"),
    (
        ("start=2019-02-30&days=20", "start应为 YYYY-MM-DD 格式的日期：“2019-02-30”"),
        ("days=20", "start应为 YYYY-MM-DD 格式的日期：“”"),
        ("start=2019-09-27&days=-1", "工作日数应为 0 至 1000 的整数：“-1”"),
        ("start=2019-09-27&days=1001", "工作日数应为 0 至 1000 的整数：“1001”"),
    ),
)
def test_api_add_rejects_bad_input_with_422(client, loaded, query, detail):
    response = client.get(f"/api/v1/workdays/add?{query}")

    assert response.status_code == 422
    assert response.json() == {"detail": detail, "year": None}


def test_api_add_into_a_year_without_data_is_pending_cal_3(client, loaded):
    response = client.get("/api/v1/workdays/add?start=2020-12-01&days=20")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "2021年的节假日数据尚未录入，期限待定（2020-12-25 可能受2021年元旦放假安排影响）",
        "year": 2021,
    }


@pytest.mark.parametrize(
    ("day", "workday", "kind", "label"),
    (
        ("2018-01-31", True, "workday", "工作日"),  # T-CAL-7
        ("2018-03-31", False, "weekend", "周末"),
        ("2020-01-31", False, "holiday", "节假日（春节）"),
    ),
)
def test_api_check_t_cal_7(client, loaded, day, workday, kind, label):
    response = client.get(f"/api/v1/workdays/check?date={day}")

    assert response.status_code == 200
    assert response.json()["workday"] is workday
    assert (response.json()["kind"], response.json()["label"]) == (kind, label)


def test_api_check_rejects_bad_date_and_missing_year(client, loaded):
    bad = client.get("/api/v1/workdays/check?date=tomorrow")
    missing = client.get("/api/v1/workdays/check?date=2027-03-01")

    assert (bad.status_code, bad.json()["detail"]) == (
        422,
        "date应为 YYYY-MM-DD 格式的日期：“tomorrow”",
    )
    assert (missing.status_code, missing.json()) == (
        422,
        {"detail": "2027年的节假日数据尚未录入，期限待定", "year": 2027},
    )
