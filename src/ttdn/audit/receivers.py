"""Signal receivers that feed the audit log.

Models opt in by inheriting `AuditedModel` (plus the user and organisation models, listed
here because they come from elsewhere). Updates record only the fields that changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from ttdn.audit.context import client_ip
from ttdn.audit.models import AuditAction, AuditedModel
from ttdn.audit.services import audit_record, model_snapshot

DEFAULT_EXCLUDE = AuditedModel.AUDIT_EXCLUDE
EXTRA_AUDITED = {"accounts.User", "accounts.Organisation", "accounts.OrganisationAlias"}


def _is_audited(sender: type[models.Model]) -> bool:
    return issubclass(sender, AuditedModel) or sender._meta.label in EXTRA_AUDITED


def _exclude(sender: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(sender, "AUDIT_EXCLUDE", DEFAULT_EXCLUDE))


@receiver(pre_save)
def remember_previous(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or not _is_audited(sender) or instance.pk is None:
        return
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_previous = (  # type: ignore[attr-defined]
        model_snapshot(previous, _exclude(sender)) if previous is not None else None
    )


@receiver(post_save)
def record_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw") or not _is_audited(sender):
        return
    after = model_snapshot(instance, _exclude(sender))
    before = getattr(instance, "_audit_previous", None)
    if created or before is None:
        audit_record(action=AuditAction.CREATE, instance=instance, changes={"after": after})
        return
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_record(action=AuditAction.UPDATE, instance=instance, changes=changed)


@receiver(post_delete)
def record_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _is_audited(sender):
        return
    audit_record(
        action=AuditAction.DELETE,
        instance=instance,
        changes={"before": model_snapshot(instance, _exclude(sender))},
    )


@receiver(user_logged_in)
def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=AuditAction.LOGIN,
        username=user.get_username(),
        user_id=user.pk,
        ip_address=client_ip(request.META) if request is not None else None,
    )


@receiver(user_logged_out)
def record_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(
        action=AuditAction.LOGOUT,
        username=user.get_username(),
        user_id=user.pk,
        ip_address=client_ip(request.META) if request is not None else None,
    )


@receiver(user_login_failed)
def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        ip_address=client_ip(request.META) if request is not None else None,
    )
