"""Reusable reads of applications. Visibility has one door: ``visible_to(user)``."""

from datetime import date

from django.db.models import Q, QuerySet

from gongkai.applications import rules
from gongkai.applications.enums import Stage, Timeliness
from gongkai.applications.models import Appeal, Application
from gongkai.orgs.models import User
from gongkai.orgs.queries import visible_to as visible_orgs

OPEN = [*rules.OPEN, Stage.DECIDED]


def visible_to(user: User) -> QuerySet[Application]:
    """Applications of the user's org subtree; none for citizens and anonymous visitors."""
    if user.is_authenticated and user.is_superuser:
        return Application.objects.all()
    orgs = visible_orgs(user)
    return Application.objects.filter(org__in=orgs)


def appeals_visible_to(user: User) -> QuerySet[Appeal]:
    if user.is_authenticated and user.is_superuser:
        return Appeal.objects.all()
    return Appeal.objects.filter(org__in=visible_orgs(user))


def open_(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.filter(stage__in=OPEN)


def overdue(qs: QuerySet[Application], *, on: date) -> QuerySet[Application]:
    """Open applications whose answer deadline has passed by ``on`` (derived, never stored)."""
    return open_(qs).filter(due_date__lt=on)


def due_between(qs: QuerySet[Application], *, start: date, end: date) -> QuerySet[Application]:
    return open_(qs).filter(due_date__gte=start, due_date__lte=end)


def deadline_pending(qs: QuerySet[Application]) -> QuerySet[Application]:
    """期限待定: the deadline runs into a year without calendar data (CAL-3)."""
    return open_(qs).filter(due_pending_year__isnull=False)


def awaiting_confirmation(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.filter(stage=Stage.PENDING_CONFIRMATION)


def of_account(user: User) -> QuerySet[Application]:
    """An online applicant's own applications (their account page)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(account=user)


def timeliness(app: Application) -> Timeliness | None:
    """REQ-30 for a replied application; None while open or when its deadline was pending."""
    if app.replied_on is None:
        return None
    return rules.timeliness(
        app.replied_on,
        base_due=app.base_due_date,
        due=app.due_date,
        extended=app.extension_days > 0,
    )


def search(qs: QuerySet[Application], text: str) -> QuerySet[Application]:
    """Staff search by number, name or what was asked."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(number__icontains=text)
        | Q(applicant_name__icontains=text)
        | Q(description__icontains=text)
    )
