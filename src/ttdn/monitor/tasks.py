"""Celery tasks of the monitor (scaled-out mode). Thin: take ids, call services.

`acks_late` (set on the app) means a worker killed mid-task leaves the message to be
redelivered; services are idempotent (reports unique by URL hash, per-source lock with
expiry), so redelivery neither loses nor doubles reports.
"""

from __future__ import annotations

from typing import Any

from ttdn.celery import app
from ttdn.monitor import services


@app.task(name="ttdn.monitor.tasks.source_poll", soft_time_limit=540, time_limit=600)
def source_poll(source_id: int) -> dict[str, Any]:
    return services.source_poll(source_id=source_id)


@app.task(name="ttdn.monitor.tasks.stories_assign", soft_time_limit=540, time_limit=600)
def stories_assign() -> dict[str, Any]:
    """The single story consumer's work (queue "stories"; see stories_consumer)."""
    from ttdn.monitor.runtime import runtime_get
    from ttdn.monitor.stories_consumer import pending_assign

    return pending_assign(runtime=runtime_get())


@app.task(name="ttdn.monitor.tasks.poll_due_sources")
def poll_due_sources() -> int:
    due = services.sources_due()
    for source_id in due:
        source_poll.delay(source_id)
    return len(due)


@app.task(name="ttdn.monitor.tasks.websub", soft_time_limit=240, time_limit=300)
def websub() -> dict[str, Any]:
    """Ingest pushed WebSub deliveries, then subscribe/renew feeds that are due."""
    from ttdn.monitor import websub as push

    summary = push.websub_deliveries_process()
    summary["subscribed"] = push.websub_subscribe_due()
    return summary
