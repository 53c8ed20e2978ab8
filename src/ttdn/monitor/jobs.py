"""The monitor's background jobs (one registry: `ttdn.core.jobs`). Thin: take ids, call
services. Idempotent: reports are unique by URL hash and a source is polled under a lock
with expiry, so a redelivered or repeated job neither loses nor doubles reports."""

from __future__ import annotations

import logging

from ttdn.core.jobs import PIPELINE, STORIES, dispatch, job
from ttdn.monitor import services, websub
from ttdn.monitor.ingest import item_ingest_again
from ttdn.monitor.runtime import runtime_get
from ttdn.monitor.stories_consumer import pending_assign

logger = logging.getLogger(__name__)


@job("monitor.poll_due", lane=PIPELINE, every_s=2.0, time_limit_s=60)
def poll_due() -> None:
    """Queue a poll of every source whose interval has elapsed (claimed first, so the next
    run of this job does not queue the same source again)."""
    for source_id in services.sources_claim_due():
        dispatch("monitor.source_poll", source_id=source_id)


@job("monitor.source_poll", lane=PIPELINE, time_limit_s=600, max_retries=2)
def source_poll(*, source_id: int) -> None:
    summary = services.source_poll(source_id=source_id)
    if summary.get("reports_created"):
        logger.info("source %s: %s new reports", source_id, summary["reports_created"])


@job("monitor.item_ingest", lane=PIPELINE, time_limit_s=120, max_retries=5)
def item_ingest(*, source_id: int, item: dict[str, str]) -> None:
    """An item whose page fetch failed transiently, tried again (`ingest._item_park`)."""
    item_ingest_again(source_id=source_id, item=item)


@job("monitor.stories_assign", lane=STORIES, every_s=5.0, time_limit_s=600)
def stories_assign() -> None:
    """The single story consumer's work; also a sweep for rows a dead worker left."""
    pending_assign(runtime=runtime_get())


@job("monitor.websub", lane=PIPELINE, every_s=2.0, time_limit_s=300)
def websub_process() -> None:
    """Ingest what WebSub hubs pushed, then (un)subscribe feeds whose hub or lease is due."""
    summary = websub.websub_deliveries_process()
    if summary["deliveries"]:
        logger.info("websub: %s", summary)
    websub.websub_subscribe_due()
