"""Disclosure applications over HTTP: the public submits and follows, staff act (REQ-2, REQ-31).

Public routes take no session auth, so ninja checks no CSRF token for them; staff routes use
the session with ninja's CSRF check. Every refusal answers in Chinese. Nothing here holds a
rule: input goes through ``ApplicationForm`` or the action's parameter table, then
``services.submit`` or ``services.act``.
"""

import hashlib
import inspect
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from gongkai.applications import queries, rules, services
from gongkai.applications.enums import (
    Action,
    ApplicantKind,
    Channel,
    ConsultationKind,
    Decision,
    Delivery,
    FeeMethod,
    FormWanted,
    IdType,
    Stage,
)
from gongkai.applications.forms import ApplicationForm, errors_of
from gongkai.applications.models import Application, Consultation, Letter
from gongkai.orgs.models import Org, User

router = Router(tags=["依申请公开 applications"])

NOT_FOUND = "申请编号或查询码不正确"  # one message for both: do not tell which is wrong
STATUS_TRIES = 10  # wrong codes per client address and number …
STATUS_WINDOW = 15 * 60  # … per 15 minutes
TOO_MANY = "查询码错误次数过多，请15分钟后再试"
FINAL = {Stage.REPLIED, Stage.ARCHIVED, Stage.CLOSED}


CSRF_FAILED = "CSRF 校验失败：请在 X-CSRFToken 请求头中带上 csrftoken Cookie 的值"


class StaffSession(SessionAuth):
    """ninja's ``django_auth`` with Chinese refusals; only staff and superusers pass."""

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, CSRF_FAILED) from None

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            raise AuthenticationError(401, "请先登录")
        if not (user.is_superuser or user.is_staff_member):
            raise AuthorizationError(403, "仅限工作人员使用")
        return user


staff = StaffSession()


# --- Shapes --------------------------------------------------------------------------------


class DetailOut(Schema):
    detail: str


class ErrorsOut(Schema):
    errors: dict[str, str]


class SubmittedOut(Schema):
    number: str
    query_code: str
    stage: str
    stage_label: str


class LetterOut(Schema):
    kind: str
    title: str
    issued_on: date


class StatusOut(Schema):
    number: str
    stage: str
    stage_label: str
    received_on: date | None
    due_date: str | None = Field(description="YYYY-MM-DD，或“期限待定”；未确认收到时为空")
    outcome: str
    outcome_label: str
    replied_on: date | None
    letters: list[LetterOut]


class ListItemOut(Schema):
    number: str
    org_id: int
    org_name: str
    applicant_name: str
    channel: str
    arrived_at: datetime
    received_on: date | None
    stage: str
    stage_label: str
    due_date: date | None
    due_pending_year: int | None
    overdue: bool
    handler: str | None

    @staticmethod
    def resolve_org_name(app):
        return app.org.name

    @staticmethod
    def resolve_stage_label(app):
        return str(Stage(app.stage).label)

    @staticmethod
    def resolve_overdue(app):
        open_ = app.stage in queries.OPEN
        return open_ and app.due_date is not None and app.due_date < timezone.localdate()

    @staticmethod
    def resolve_handler(app):
        return app.handler.username if app.handler else None


class ConsultationOut(Schema):
    id: int
    kind: str
    party: str
    sent_on: date
    reply_due: date | None
    answered_on: date | None


class DetailAppOut(ListItemOut):
    channel_label: str
    regime: str
    applicant_kind: str
    applicant_kind_label: str
    id_type: str
    id_number_masked: str
    credit_code: str
    phone_masked: str
    email: str
    agent_name: str
    agent_id_masked: str
    description: str
    document_number: str
    purpose: str
    form_wanted: str
    delivery: str
    base_due_date: date | None
    extension_days: int
    due_trace: list[str]
    outcome: str
    outcome_label: str
    decided_on: date | None
    replied_on: date | None
    closed_on: date | None
    consultations: list[ConsultationOut]
    letters: list[LetterOut]

    @staticmethod
    def resolve_channel_label(app):
        return app.get_channel_display()

    @staticmethod
    def resolve_applicant_kind_label(app):
        return app.get_applicant_kind_display()

    @staticmethod
    def resolve_outcome_label(app):
        return app.get_outcome_display() if app.outcome else ""

    @staticmethod
    def resolve_due_trace(app):
        return [str(line) for line in app.due_trace]

    @staticmethod
    def resolve_consultations(app):
        return list(app.consultations.all())

    @staticmethod
    def resolve_letters(app):
        return list(app.letters.all())  # prefetched: only those issued to the applicant


def _choices(enum) -> dict:
    return {"type": "string", "enum": list(enum.values)}


def _text(max_length: int) -> dict:
    return {"type": "string", "maxLength": max_length}


# The body is parsed here, not by ninja, so malformed JSON gets a Chinese 400 and every field
# error the form's Chinese 422; this is what the schema tells clients to send.
APPLICATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": [
                        "org",
                        "applicant_kind",
                        "applicant_name",
                        "phone",
                        "description",
                        "form_wanted",
                        "delivery",
                    ],
                    "properties": {
                        "org": {"type": "integer", "description": "受理机关 id（/api/v1/orgs）"},
                        "applicant_kind": _choices(ApplicantKind),
                        "applicant_name": _text(100),
                        "id_type": _choices(IdType),
                        "id_number": {**_text(32), "description": "自然人必填"},
                        "credit_code": {**_text(18), "description": "法人或其他组织必填"},
                        "phone": _text(20),
                        "email": {"type": "string", "format": "email"},
                        "address": {**_text(200), "description": "邮寄时必填"},
                        "postcode": {"type": "string", "pattern": r"^\d{6}$"},
                        "agent_name": _text(50),
                        "agent_id_number": _text(32),
                        "description": _text(4000),
                        "document_number": _text(80),
                        "purpose": _text(1000),
                        "form_wanted": _choices(FormWanted),
                        "delivery": _choices(Delivery),
                    },
                }
            }
        },
    }
}

ACTION_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": (
                        "该操作的参数：日期为 YYYY-MM-DD，handler 为用户名，to_org 为机关 id，"
                        "consultation 为征求意见 id"
                    ),
                    "additionalProperties": True,
                }
            }
        },
    }
}


# --- Public: submit and follow -------------------------------------------------------------


class BadBody(Exception):
    pass


def _json_object(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadBody("请求体不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise BadBody("请求体应为 JSON 对象")
    return body


def _form_data(body: dict) -> tuple[dict, dict]:
    """Form data from a JSON object, and errors for values no form field can take."""
    scalar = (str, int, float, bool)
    data = {k: v for k, v in body.items() if v is not None and isinstance(v, scalar)}
    labels = {name: field.label for name, field in ApplicationForm.base_fields.items()}
    errors = {
        k: f"{labels[k]}格式不正确"
        for k, v in body.items()
        if k in labels and v is not None and not isinstance(v, scalar)
    }
    return data, errors


@router.post(
    "",
    response={201: SubmittedOut, 400: DetailOut, 403: DetailOut, 422: ErrorsOut},
    summary="网上提交申请（公开）/ submit an application online",
    openapi_extra=APPLICATION_BODY,
)
def submit(request):
    user = request.user
    # Nothing to forge for an anonymous caller; a signed-in citizen's session is, so the
    # application is tied to their account only with a valid CSRF token.
    if user.is_authenticated and check_csrf(request):
        return Status(403, {"detail": CSRF_FAILED})
    try:
        data, errors = _form_data(_json_object(request))
    except BadBody as error:
        return Status(400, {"detail": str(error)})
    form = ApplicationForm(data)
    if not form.is_valid() or errors:
        return Status(422, {"errors": {**errors_of(form), **errors}})
    citizen = user if user.is_authenticated and not user.is_staff_member else None
    # submit() is one transaction that has committed when it returns (ATOMIC_REQUESTS is
    # off), so a 201 is only ever sent for an application already on disk.
    done = services.submit(
        form.cleaned_data,
        org=form.cleaned_data["org"],
        channel=Channel.ONLINE,
        arrived_at=timezone.now(),
        account=citizen,
    )
    app = done.application
    return Status(
        201,
        {
            "number": app.number,
            "query_code": done.query_code,
            "stage": app.stage,
            "stage_label": str(Stage(app.stage).label),
        },
    )


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _tries_key(request, number: str) -> str:
    raw = f"{_client(request)}|{number}".encode()
    return "api-status-tries:" + hashlib.sha256(raw).hexdigest()


def _due_text(app: Application) -> str | None:
    if app.due_pending_year:
        return "期限待定"
    return app.due_date.isoformat() if app.due_date else None


@router.get(
    "/status",
    response={200: StatusOut, 404: DetailOut, 429: DetailOut},
    summary="凭申请编号和查询码查询办理状态（公开）/ status for the holder of the query code",
)
def status(request, number: str = "", code: str = ""):
    """Public status only: no name, no numbers, not even what was asked.

    The description is left out although the caller holds the code: codes are written on
    receipts and passed on, and what someone asked often names them or their land.
    """
    key = _tries_key(request, number)
    if cache.get(key, 0) >= STATUS_TRIES:
        return Status(429, {"detail": TOO_MANY})
    app = Application.objects.filter(number=number.strip()).first()
    # Same work whether or not the number exists, so timing does not tell either.
    if not services.code_matches(app or Application(code_hash=""), code) or app is None:
        cache.add(key, 0, STATUS_WINDOW)
        cache.incr(key)
        return Status(404, {"detail": NOT_FOUND})
    final = app.stage in FINAL
    return {
        "number": app.number,
        "stage": app.stage,
        "stage_label": str(Stage(app.stage).label),
        "received_on": app.received_on,
        "due_date": _due_text(app),
        "outcome": app.outcome if final else "",
        "outcome_label": str(Decision(app.outcome).label) if final and app.outcome else "",
        "replied_on": app.replied_on,
        "letters": list(app.letters.filter(public_to_applicant=True)),
    }


# --- Staff: list, detail, act ----------------------------------------------------------------


def _flag(text: str, label: str) -> bool | None:
    if not text:
        return None
    if text.lower() in {"1", "true", "yes"}:
        return True
    if text.lower() in {"0", "false", "no"}:
        return False
    raise HttpError(422, f"{label}应为 true 或 false：“{text}”")


class Page(PageNumberPagination):
    """ninja's page-number pagination: 50 a page unless ``page_size`` asks otherwise (≤ 200)."""

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=200, **kwargs)


@router.get(
    "",
    response=list[ListItemOut],
    auth=staff,
    summary="本机关（含下级）的申请 / applications visible to the signed-in staff member",
)
@paginate(Page)
def list_applications(request, stage: str = "", overdue: str = ""):
    qs = queries.visible_to(request.user).select_related("org", "handler")
    if stage:
        if stage not in Stage.values:
            raise HttpError(422, f"办理状态的选项无效：“{stage}”")
        qs = qs.filter(stage=stage)
    late = queries.overdue(qs, on=timezone.localdate())
    wanted = _flag(overdue, "overdue")
    if wanted is True:
        qs = late
    elif wanted is False:
        qs = qs.exclude(pk__in=late.values("pk"))
    return qs


def _for_detail(qs):
    return qs.select_related("org", "handler").prefetch_related(
        "consultations",
        Prefetch("letters", queryset=Letter.objects.filter(public_to_applicant=True)),
    )


def _visible(request, number: str) -> Application:
    app = _for_detail(queries.visible_to(request.user)).filter(number=number).first()
    if app is None:
        raise HttpError(404, "未找到该申请，或不在您的查看范围内")
    return app


@router.get(
    "/{number}",
    response={200: DetailAppOut, 404: DetailOut},
    auth=staff,
    summary="申请详情（个人号码已遮蔽）/ one application, personal numbers masked",
)
def detail(request, number: str):
    return _visible(request, number)


# --- Parameters of actions: JSON value → what ``services.act`` takes ------------------------


class BadParam(ValueError):
    pass


def _str(value, label):
    if not isinstance(value, str):
        raise BadParam(f"{label}应为文字")
    return value


def _day(value, label):
    try:
        return date.fromisoformat(_str(value, label))
    except ValueError:
        raise BadParam(f"{label}应为 YYYY-MM-DD 格式的日期") from None


def _moment(value, label):
    try:
        moment = datetime.fromisoformat(_str(value, label))
    except ValueError:
        raise BadParam(f"{label}应为 ISO 8601 格式的时间，如 2026-03-02T09:30") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _whole(value, label):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadParam(f"{label}应为非负整数")
    return value


def _money(value, label):
    try:
        return Decimal(str(value)) if isinstance(value, (int, str)) else Decimal(value)
    except (InvalidOperation, TypeError):
        raise BadParam(f"{label}应为金额，如 12.50") from None


def _yes_no(value, label):
    if not isinstance(value, bool):
        raise BadParam(f"{label}应为 true 或 false")
    return value


def _choice(enum):
    def convert(value, label):
        if value not in enum.values:
            raise BadParam(f"{label}的选项无效")
        return enum(value)

    return convert


def _user(value, label):
    user = User.objects.filter(username=_str(value, label)).first()
    if user is None:
        raise BadParam(f"未找到用户名为“{value}”的{label}")
    return user


def _org(value, label):
    org = Org.objects.filter(pk=_whole(value, label)).first()
    if org is None:
        raise BadParam(f"{label}不存在")
    return org


def _consultation(value, label):
    consultation = Consultation.objects.filter(pk=_whole(value, label)).first()
    if consultation is None:
        raise BadParam(f"{label}不存在")
    return consultation


def _withheld(value, label):
    keys = {"what", "ground", "basis"}
    ok = isinstance(value, list) and all(
        isinstance(w, dict) and set(w) <= keys and all(isinstance(v, str) for v in w.values())
        for w in value
    )
    if not ok:
        raise BadParam(f"{label}应为列表，每项含 what、ground、basis 文字")
    return [rules.Withheld(**w) for w in value]


# name → (中文, converter); the names are the keyword arguments of the service's handlers.
PARAMS = {
    "at": ("确认时间", _moment),
    "via": ("方式", _str),
    "handler": ("承办人", _user),
    "to_org": ("转办机关", _org),
    "reason": ("理由", _str),
    "items": ("需要补正的事项", _str),
    "respond_by": ("补正期限", _day),
    "received_on": ("收到补正日期", _day),
    "kind": ("征求对象类别", _choice(ConsultationKind)),
    "party": ("征求对象", _str),
    "sent_on": ("送达日期", _day),
    "consultation": ("征求意见", _consultation),
    "answered_on": ("收回日期", _day),
    "opinion": ("意见", _str),
    "days": ("延长工作日数", _whole),
    "approved_by": ("批准人", _str),
    "approved_on": ("批准日期", _day),
    "notified_via": ("告知方式", _str),
    "method": ("计收方式", _choice(FeeMethod)),
    "delivered_on": ("送达日期", _day),
    "pages": ("页数", _whole),
    "cost": ("成本费", _money),
    "paid_on": ("缴费日期", _day),
    "decision": ("决定类型", _choice(Decision)),
    "basis": ("法律依据", _str),
    "text": ("答复内容", _str),
    "withheld": ("不予公开部分", _withheld),
    "checked_no_duty": ("已核对无应当公开之规定", _yes_no),
}
CONTEXT = {"by", "today", "cal"}  # what act() passes itself


def _action_params(action: Action, body: dict) -> dict:
    """The keyword arguments of ``action`` from a JSON object; ``ActionInvalid`` if they do not hold."""
    signature = inspect.signature(services.HANDLERS[action]).parameters
    accepted = {n: p for n, p in signature.items() if p.kind == p.KEYWORD_ONLY and n not in CONTEXT}
    errors, params = {}, {}
    for name, value in body.items():
        if name not in accepted:
            errors[name] = f"“{Action(action).label}”没有参数“{name}”"
            continue
        label, convert = PARAMS.get(name, (name, lambda value, label: value))
        try:
            params[name] = convert(value, label)
        except BadParam as error:
            errors[name] = str(error)
    for name, parameter in accepted.items():
        if parameter.default is parameter.empty and name not in body:
            errors[name] = f"请填写{PARAMS.get(name, (name,))[0]}"
    if errors:
        raise services.ActionInvalid(errors)
    return params


@router.post(
    "/{number}/actions/{action}",
    response={200: DetailAppOut, 400: DetailOut, 404: DetailOut, 409: DetailOut, 422: ErrorsOut},
    auth=staff,
    summary="办理操作（确认、分办、补正、延期、决定、送达…）/ take an action",
    openapi_extra=ACTION_BODY,
)
def act(request, number: str, action: str):
    app = _visible(request, number)
    if action not in Action.values:
        return Status(404, {"detail": f"没有名为“{action}”的办理操作"})
    try:
        params = _action_params(Action(action), _json_object(request))
        app = services.act(
            app, Action(action), by=request.user, today=timezone.localdate(), **params
        )
    except BadBody as error:
        return Status(400, {"detail": str(error)})
    except rules.TransitionRefused as refusal:
        return Status(409, {"detail": str(refusal)})
    except services.ActionInvalid as invalid:
        return Status(422, {"errors": invalid.errors})
    # Reloaded without the visibility filter: after a transfer it may have left the subtree.
    return _for_detail(Application.objects).get(pk=app.pk)
