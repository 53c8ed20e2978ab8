"""Periodic jobs of the embedded runtime. Each module adds its own here as it grows."""

from __future__ import annotations

import datetime as dt
import logging

from ttdn.runtime import EmbeddedWorker

logger = logging.getLogger(__name__)


def sessions_clear() -> None:
    """Remove expired sessions so the SQLite file does not grow without bound."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    if deleted:
        logger.info("removed %d expired sessions", deleted)


def register_periodic_jobs(worker: EmbeddedWorker) -> None:
    worker.every("sessions_clear", dt.timedelta(hours=1).total_seconds(), sessions_clear)
