from collections import defaultdict

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.applications import queries
from gongkai.orgs.enums import Kind, Role
from gongkai.orgs.queries import tree_rows, visible_to
from gongkai.portal import desk


def _nest(orgs):
    """Roots and a children map from one flat list in tree order: one query, no SQL recursion."""
    children = defaultdict(list)
    roots = []
    for org in orgs:
        (children[org.parent_id] if org.parent_id else roots).append(org)
    return roots, children


def home(request):
    orgs = tree_rows()
    roots, children = _nest(orgs)
    tree = [
        {
            "org": root,
            "departments": [c for c in children[root.pk] if c.kind != Kind.GOVERNMENT],
            "governments": [
                {
                    "org": gov,
                    "departments": [c for c in children[gov.pk] if c.kind != Kind.GOVERNMENT],
                    "townships": [c for c in children[gov.pk] if c.kind == Kind.GOVERNMENT],
                }
                for gov in children[root.pk]
                if gov.kind == Kind.GOVERNMENT
            ],
        }
        for root in roots
    ]
    return render(request, "portal/home.html", {"tree": tree, "org_count": len(orgs)})


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Staff go to their workbench, citizens to their own applications."""
        user = self.request.user
        if user.is_staff_member or user.is_superuser:
            return super().get_default_redirect_url()
        return "/apply/mine/"


login = LoginView.as_view()


@login_required
def workbench(request):
    if not (request.user.is_staff_member or request.user.is_superuser):
        raise PermissionDenied
    orgs = visible_to(request.user)
    today = timezone.localdate()
    soon = desk.soon_end(today)
    apps = queries.visible_to(request.user).select_related("org")
    mine = desk.in_view(apps, "mine", user=request.user, today=today)[:10]
    urgent = queries.open_(apps).filter(due_date__lte=soon).order_by("due_date")[:10]
    return render(
        request,
        "portal/workbench.html",
        {
            "visible_org_count": orgs.count(),
            "scope": request.user.org,
            "counts": desk.counts(request.user, today),
            "is_handler": request.user.role == Role.HANDLER,
            "mine": [(a, desk.deadline_badge(a, today=today, soon=soon)) for a in mine],
            "urgent": [(a, desk.deadline_badge(a, today=today, soon=soon)) for a in urgent],
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
