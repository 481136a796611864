"""Confirming what an application is about (issue §12): suggested at intake, confirmed by staff.

``services.submit`` stores a suggestion from the text (``topic_confirmed`` stays False);
``set_topic`` is the one way staff confirm or correct it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from gongkai.applications import permissions
from gongkai.applications.models import Application, Topic
from gongkai.audit.services import record
from gongkai.orgs.models import User


def choices() -> QuerySet[Topic]:
    """The topics staff may choose from: the active ones, in the office's order."""
    return Topic.objects.filter(active=True)


@transaction.atomic
def set_topic(app: Application, topic: Topic, *, by: User) -> Application:
    """Set and confirm ``app``'s topic. Raises ``PermissionDenied`` unless ``by`` may act on it
    and ``ValueError`` for an inactive topic."""
    if not permissions.may_act(by, app):
        raise PermissionDenied
    if not topic.active:
        raise ValueError(f"分类“{topic.name}”已停用")
    before = app.topic.code if app.topic_id else None
    app.topic, app.topic_confirmed = topic, True
    app.save(update_fields=["topic", "topic_confirmed"])
    record(
        "applications.set_topic",
        actor=by,
        obj=app,
        summary={"previous": before, "topic": topic.code},
    )
    return app
