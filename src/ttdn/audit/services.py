"""Writing audit events."""

from __future__ import annotations

from typing import Any

from django.db import models

from ttdn.audit.context import current
from ttdn.audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def model_snapshot(instance: models.Model, exclude: tuple[str, ...]) -> dict[str, Any]:
    """Field values of `instance` (foreign keys as ids) for diffing before/after a save."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        values[field.attname] = _jsonable(getattr(instance, field.attname))
    return values


def audit_record(
    *,
    action: str,
    instance: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    username: str = "",
    user_id: int | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event; the acting user and address default to the current request's."""
    ctx = current.get()
    return AuditEvent.objects.create(
        action=action,
        actor_id=user_id if user_id is not None else (ctx.user_id if ctx else None),
        actor_username=username or (ctx.username if ctx else ""),
        object_type=instance._meta.label if instance is not None else "",
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=str(instance)[:250] if instance is not None else "",
        changes=changes or {},
        ip_address=ip_address or (ctx.ip_address if ctx else None),
        user_agent=ctx.user_agent if ctx else "",
    )
