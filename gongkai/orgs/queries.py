"""Reusable reads for orgs. Visibility has one door: ``visible_to(user)``."""

from django.db.models import QuerySet

from gongkai.orgs.enums import Kind
from gongkai.orgs.models import Org, User


def subtree(org: Org) -> QuerySet[Org]:
    """The org itself and everything below it, in tree order."""
    return Org.objects.filter(path__startswith=org.path)


def visible_to(user: User) -> QuerySet[Org]:
    """Orgs a signed-in user may see as staff: their org's subtree.

    Superusers see every org; anyone without an org and role (a citizen, an
    anonymous visitor) sees none through this door — the public tree is
    ``public_tree()``.
    """
    if not user.is_authenticated:
        return Org.objects.none()
    if user.is_superuser:
        return Org.objects.all()
    if not user.is_staff_member:
        return Org.objects.none()
    return subtree(user.org)


def public_tree() -> QuerySet[Org]:
    """Every org, for the public home page: names, levels and websites are public facts."""
    return Org.objects.all()


def tree_rows(root: Org | None = None) -> list[Org]:
    """Every org (or ``root``'s subtree) depth-first, siblings by ``sort`` then age. One query.

    Indent by ``org.depth``; each row's parent comes before it.
    """
    orgs = list(subtree(root) if root is not None else Org.objects.all())
    sort_of = {org.pk: org.sort for org in orgs}

    def key(org: Org) -> list[tuple[int, int]]:
        ids = [int(pk) for pk in org.path.strip("/").split("/")]
        return [(sort_of[pk], pk) for pk in ids if pk in sort_of]

    return sorted(orgs, key=key)


def governments() -> QuerySet[Org]:
    """人民政府 of every level (市, 县/市/区, 乡镇), higher levels first."""
    return Org.objects.filter(kind=Kind.GOVERNMENT).order_by("depth", "sort", "pk")


def by_name(names: list[str]) -> dict[str, Org]:
    """Look several orgs up by name in one query; missing names are absent from the result."""
    return {org.name: org for org in Org.objects.filter(name__in=names)}
