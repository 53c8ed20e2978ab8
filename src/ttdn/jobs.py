"""Periodic jobs of the embedded runtime. Each module adds its own here as it grows."""

from __future__ import annotations

import datetime as dt
import logging

from ttdn.runtime import REPORTS, EmbeddedWorker

logger = logging.getLogger(__name__)


def sessions_clear() -> None:
    """Remove expired sessions so the SQLite file does not grow without bound."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    if deleted:
        logger.info("removed %d expired sessions", deleted)


def monitor_poll_due() -> None:
    """Poll every source whose interval has elapsed, in this (the worker) thread."""
    from ttdn.monitor import services

    for source_id in services.sources_due():
        summary = services.source_poll(source_id=source_id)
        if summary.get("reports_created"):
            logger.info("source %s: %s new reports", source_id, summary["reports_created"])


def monitor_websub() -> None:
    """Ingest what WebSub hubs pushed, then (un)subscribe feeds whose hub or lease is due."""
    from ttdn.monitor import websub

    summary = websub.websub_deliveries_process()
    if summary["deliveries"]:
        logger.info("websub: %s", summary)
    websub.websub_subscribe_due()


def alerts_retry_failed() -> None:
    """Retry failed alert deliveries whose backoff has passed (email, webhook)."""
    from ttdn.alerts.services import alerts_retry_failed as retry

    counts = retry()
    if counts:
        logger.info("alert delivery retries: %s", counts)


def reports_run_due() -> None:
    """Make the periodic reports whose schedule is due (in this thread: the embedded
    runtime's report lane, never the pipeline thread, so polling goes on meanwhile)."""
    from ttdn.reports.services import report_schedules_run_due

    made = report_schedules_run_due()
    if made:
        logger.info("scheduled reports made: %s", made)


def register_periodic_jobs(worker: EmbeddedWorker) -> None:
    worker.every("sessions_clear", dt.timedelta(hours=1).total_seconds(), sessions_clear)
    worker.every("monitor_poll_due", 2.0, monitor_poll_due)
    worker.every("monitor_websub", 2.0, monitor_websub)
    worker.every("alerts_retry_failed", 30.0, alerts_retry_failed)
    worker.every("reports_run_due", 60.0, reports_run_due, lane=REPORTS)
