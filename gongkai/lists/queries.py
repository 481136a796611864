"""Reads of the public lists. Staff visibility has one door: ``visible_to(user)``."""

from django.db.models import Count, Q, QuerySet

from gongkai.lists.enums import Status
from gongkai.lists.models import ListEntry, ListVersion
from gongkai.lists.rules import IN_FORCE, YearOverYear, change_counts
from gongkai.orgs.queries import visible_to as visible_orgs


def visible_to(user) -> QuerySet[ListVersion]:
    """Versions of the orgs a staff user may see (their subtree), drafts included."""
    return ListVersion.objects.filter(org__in=visible_orgs(user)).select_related("org")


def published() -> QuerySet[ListVersion]:
    return ListVersion.objects.filter(status=Status.PUBLISHED).select_related("org")


def with_counts(versions: QuerySet[ListVersion]) -> QuerySet[ListVersion]:
    """Annotate ``in_force`` and ``total`` entry counts, in the same query."""
    return versions.annotate(
        in_force=Count("entries", filter=Q(entries__change__in=IN_FORCE)),
        total=Count("entries"),
    )


def previous(version: ListVersion) -> ListVersion | None:
    """The published version of the year before, same org and list."""
    return published().filter(org=version.org_id, kind=version.kind, year=version.year - 1).first()


def year_over_year(version: ListVersion) -> YearOverYear:
    changes = change_counts(version.entries.values_list("change", flat=True))
    count = sum(changes[c] for c in IN_FORCE) if version.complete else None
    before = previous(version)
    prev_count = None
    if before is not None and before.complete:
        prev_count = before.entries.filter(change__in=IN_FORCE).count()
    return YearOverYear(version.year, count, version.year - 1, prev_count, changes)


def search_entries(version: ListVersion, q: str) -> QuerySet[ListEntry]:
    return _matching(version.entries.all(), q)


def search_all(versions: QuerySet[ListVersion], q: str) -> QuerySet[ListEntry]:
    """Entries of ``versions`` containing every word of ``q``, newest year first."""
    entries = ListEntry.objects.filter(version__in=versions).select_related("version__org")
    return _matching(entries, q).order_by(
        "version__kind", "-version__year", "version__org__path", "seq"
    )


def _matching(entries: QuerySet[ListEntry], q: str) -> QuerySet[ListEntry]:
    for word in q.split():
        entries = entries.filter(
            Q(name__icontains=word)
            | Q(category__icontains=word)
            | Q(basis__icontains=word)
            | Q(department__icontains=word)
            | Q(standard__icontains=word)
            | Q(note__icontains=word)
        )
    return entries
