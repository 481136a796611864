"""Reusable reads of reports. Visibility has one door: ``visible_to(user)``."""

from django.db.models import QuerySet

from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.reports.models import ExternalFigure, Report, ReportStatus
from gongkai.reports.tables import Scope


def visible_to(user: User) -> QuerySet[Report]:
    """Every revision of the reports of the user's org subtree (superusers: all; citizens: none)."""
    if user.is_authenticated and user.is_superuser:
        return Report.objects.all()
    return Report.objects.filter(org__in=visible_orgs(user))


def published() -> QuerySet[Report]:
    """What the public may read: published revisions only, newest year first."""
    return Report.objects.filter(status=ReportStatus.PUBLISHED).order_by(
        "org__path", "-year", "-revision"
    )


def current_published(org: Org, year: int, *, scope: Scope | str = Scope.SUBTREE) -> Report | None:
    """The latest published revision of ``org``'s report for ``year`` in ``scope``."""
    return (
        published()
        .filter(org=org, year=year, scope=scope)
        .order_by("-revision", "-published_at")
        .first()
    )


def revisions(report: Report) -> QuerySet[Report]:
    """Every revision of the same report (org, year, format, scope), newest first."""
    return Report.objects.filter(
        org=report.org_id, year=report.year, style=report.style, scope=report.scope
    ).order_by("-revision")


def figures_visible_to(user: User) -> QuerySet[ExternalFigure]:
    if user.is_authenticated and user.is_superuser:
        return ExternalFigure.objects.all()
    return ExternalFigure.objects.filter(org__in=visible_orgs(user))
