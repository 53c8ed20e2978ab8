"""The core's own periodic jobs."""

from __future__ import annotations

import logging

from django.contrib.sessions.models import Session
from django.utils import timezone

from ttdn.core.jobs import failures_retry_due, job

logger = logging.getLogger(__name__)


@job("core.failures_retry", every_s=10.0, time_limit_s=300)
def failures_retry() -> None:
    """Send again the failed jobs whose backoff has passed (both modes)."""
    sent = failures_retry_due()
    if sent:
        logger.info("retried %d failed jobs", sent)


@job("core.sessions_clear", every_s=3600.0, time_limit_s=300)
def sessions_clear() -> None:
    """Remove expired sessions so the SQLite file does not grow without bound."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    if deleted:
        logger.info("removed %d expired sessions", deleted)
