"""Writing to and checking the audit log. Every change of state elsewhere calls ``record``."""

import json
from collections.abc import Iterator
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from gongkai.audit.models import Entry, Head
from gongkai.audit.rules import Break, Link, entry_hash, first_break

SYSTEM = "system"


def actor_label(user) -> str:
    """How an actor is named in the log: the username (never a personal name or ID number)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return SYSTEM
    return user.get_username()


def record(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    summary: dict | None = None,
    at=None,
) -> Entry:
    """Append one entry. Call inside the transaction that makes the change, so both or neither land.

    ``summary`` holds what changed (field names, old and new codes, counts); callers
    pass masked values for anything personal.
    """
    with transaction.atomic():
        head, _ = Head.objects.select_for_update().get_or_create(pk=1)
        fields = {
            "seq": head.seq + 1,
            # Stored and hashed in UTC, so the hash survives the database round trip.
            "at": (at or timezone.now()).astimezone(UTC),
            "actor": actor if isinstance(actor, str) else actor_label(actor),
            "action": action,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            # Dates and decimals become the strings the JSON column will give back.
            "summary": json.loads(json.dumps(summary or {}, cls=DjangoJSONEncoder)),
        }
        digest = entry_hash(prev_hash=head.hash, **fields)
        entry = Entry.objects.create(prev_hash=head.hash, hash=digest, **fields)
        head.seq, head.hash = entry.seq, digest
        head.save(update_fields=["seq", "hash"])
    return entry


def _links() -> Iterator[Link]:
    for row in Entry.objects.order_by("seq").values(*Link.__dataclass_fields__).iterator(2000):
        yield Link(**row)


def verify() -> Break | None:
    """Return the first broken entry of the whole log, or None when the chain holds."""
    head = Head.objects.filter(pk=1).first()
    return first_break(
        _links(),
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else "",
    )
