"""The audit trail: every state change made by a person is written as a named event."""

from typing import Any

from django.db import models

from concord.core.models import AuditEvent


def subject_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def log_event(action: str, subject: models.Model, actor=None, **data: Any) -> AuditEvent:
    """Record `action` (e.g. "membership.approved") by `actor` on `subject`."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action, actor=actor, subject=subject_of(subject), data=data
    )


def forget_address(addresses) -> int:
    """Blank an address recorded in events' data (e.g. who was invited) once its owner has
    deleted their account; the event itself stays, so the trail keeps what happened."""
    events = list(AuditEvent.objects.filter(data__email__in=list(addresses)))
    for event in events:
        event.data = {**event.data, "email": ""}
    AuditEvent.objects.bulk_update(events, ["data"])
    return len(events)
