"""Working-day arithmetic over HTTP (CAL-5). Bad input and missing years answer 422 in Chinese."""

from datetime import date

from ninja import Router, Schema, Status

from gongkai.workdays import rules, services
from gongkai.workdays.rules import CalendarYearMissing

router = Router(tags=["工作日 workdays"])

MAX_DAYS = 1000  # statutory periods are at most a few dozen working days


class StepOut(Schema):
    date: date
    weekday: str
    kind: str
    label: str
    counted: bool
    count: int


class AddOut(Schema):
    start: date
    days: int
    due: date
    trace: list[StepOut]


class CheckOut(Schema):
    date: date
    weekday: str
    workday: bool
    kind: str
    label: str


class ErrorOut(Schema):
    detail: str
    year: int | None = None


class BadInput(ValueError):
    pass


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{what}应为 YYYY-MM-DD 格式的日期：“{text}”") from None


def _days(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_DAYS):
        raise BadInput(f"工作日数应为 0 至 {MAX_DAYS} 的整数：“{text}”")
    return int(text)


def _step(step: rules.Step) -> dict:
    return {
        "date": step.day,
        "weekday": step.weekday,
        "kind": step.kind.value,
        "label": step.label,
        "counted": step.counted,
        "count": step.count,
    }


def _refusal(error: Exception) -> Status:
    year = error.year if isinstance(error, CalendarYearMissing) else None
    return Status(422, {"detail": str(error), "year": year})


@router.get(
    "/add",
    response={200: AddOut, 422: ErrorOut},
    summary="收到日后第N个工作日（CAL-5）/ the N-th working day after start",
)
def add(request, start: str = "", days: str = ""):
    try:
        start_day, n = _date(start, "start"), _days(days)
        calendar = services.load_calendar()
        steps = rules.explain(start_day, n, calendar)
        due = rules.add_workdays(start_day, n, calendar)
    except (BadInput, CalendarYearMissing) as error:
        return _refusal(error)
    return {"start": start_day, "days": n, "due": due, "trace": [_step(s) for s in steps]}


@router.get(
    "/check",
    response={200: CheckOut, 422: ErrorOut},
    summary="某日是否工作日（CAL-1）/ is the date a working day",
)
def check(request, date: str = ""):
    try:
        day = _date(date, "date")
        calendar = services.load_calendar()
        step = rules.describe(day, calendar)
    except (BadInput, CalendarYearMissing) as error:
        return _refusal(error)
    return {
        "date": day,
        "weekday": step.weekday,
        "workday": step.counted,
        "kind": step.kind.value,
        "label": step.label,
    }
