"""Coordinate's periodic jobs (ttdn.core.jobs): reminders before due dates and on overdue
with escalation to the assigner, email of new notices, and the daily digest.

Each is idempotent (a task remembers the reminders it got; a notice remembers it was
mailed), so a second scheduler, a retry or a late run sends nothing twice."""

from __future__ import annotations

import logging

from ttdn.coordinate.services.notifications import notifications_email_send, tasks_remind
from ttdn.core.jobs import job

logger = logging.getLogger(__name__)


@job("coordinate.tasks_remind", every_s=3600.0, time_limit_s=300)
def tasks_remind_job() -> None:
    counts = tasks_remind()
    if any(counts.values()):
        logger.info("coordinate reminders: %s", counts)


@job("coordinate.notifications_email", every_s=60.0, time_limit_s=120)
def notifications_email_job() -> None:
    sent = notifications_email_send()
    if sent:
        logger.info("coordinate: %s notices emailed", sent)


@job("coordinate.notifications_digest", every_s=86400.0, time_limit_s=300)
def notifications_digest_job() -> None:
    sent = notifications_email_send(digest=True)
    if sent:
        logger.info("coordinate: daily digest of %s notices", sent)
