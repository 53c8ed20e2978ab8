"""Writes for Measure: saved searches and open-data API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import can_act_for, is_central
from ttdn.measure.filters import FilterError, filters_parse
from ttdn.measure.models import ApiKey, SavedSearch

KEY_PREFIX = "ttdn_"
RATE_RE = re.compile(r"^\d{1,7}/(s|sec|m|min|h|hour|d|day)$")
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def saved_search_create(
    *, user: User, name: str, query: str, filters: dict[str, Any] | None = None
) -> SavedSearch:
    """Save a search for the user's organisation. The filters are validated now (so a saved
    search always runs) and stored as the parameters the person gave."""
    name, query = (name or "").strip(), (query or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên cho tìm kiếm.")})
    if not query:
        raise ValidationError({"query": _("Hãy nhập từ khóa tìm kiếm.")})
    params = {k: str(v) for k, v in (filters or {}).items() if v not in (None, "")}
    try:
        parsed = filters_parse(params, require_period=False)
    except FilterError as exc:
        raise ValidationError(exc.errors) from exc
    saved = SavedSearch(
        user=user,
        organisation_id=user.organisation_id,
        name=name[:200],
        query=query[:500],
        # what the person chose, normalised (e.g. "us" → "US"), without the defaults
        filters={k: v for k, v in parsed.as_params().items() if k in params},
    )
    saved.full_clean()
    saved.save()
    return saved


def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    """Its author, or a central role, may delete a saved search."""
    if not (is_central(user) or saved_search.user_id == user.pk):
        raise PermissionDenied("Only its author may delete this saved search.")
    saved_search.delete()


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_create(
    *, user: User, organisation: Organisation, name: str, rate_limit: str = ""
) -> tuple[ApiKey, str]:
    """Create a key for `organisation`; returns the key object and the key itself, which is
    shown once and never stored (only its SHA-256)."""
    if not can_act_for(user, organisation):
        raise PermissionDenied("You may not create keys for this organisation.")
    rate_limit = (rate_limit or "").strip()
    if rate_limit and not RATE_RE.match(rate_limit):
        raise ValidationError({"rate_limit": _("Giới hạn phải có dạng 600/min hoặc 10000/day.")})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        organisation=organisation,
        name=(name or "").strip()[:200] or _("Khóa API"),
        prefix=raw[: len(KEY_PREFIX) + 6],
        key_hash=_hash(raw),
        rate_limit=rate_limit,
        created_by=user,
    )
    key.full_clean()
    key.save()
    return key, raw


def api_key_revoke(*, user: User, api_key: ApiKey) -> ApiKey:
    if not can_act_for(user, api_key.organisation):
        raise PermissionDenied("You may not revoke this organisation's keys.")
    api_key.active = False
    api_key.save(update_fields=["active"])
    return api_key


def api_key_authenticate(raw_key: str) -> ApiKey | None:
    """The active key with this value, or None. Records when it was last used (at most once
    a minute per key, so a busy client does not turn every read into a write)."""
    if not raw_key or len(raw_key) > 200:
        return None
    key = ApiKey.objects.filter(key_hash=_hash(raw_key), active=True).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
