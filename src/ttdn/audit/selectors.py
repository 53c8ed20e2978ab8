from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ttdn.audit.models import AuditEvent


def audit_event_list(
    *,
    action: str | None = None,
    username: str | None = None,
    object_type: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__icontains=username)
    if object_type:
        events = events.filter(object_type__icontains=object_type)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events
