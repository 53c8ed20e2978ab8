"""The alerts' background jobs (one registry: `ttdn.core.jobs`). Idempotent: a delivery is
claimed by one UPDATE before it is sent."""

from __future__ import annotations

import logging

from ttdn.alerts import services
from ttdn.core.jobs import job

logger = logging.getLogger(__name__)


@job("alerts.retry_failed", every_s=30.0, time_limit_s=300)
def retry_failed() -> None:
    """Retry failed alert deliveries whose backoff has passed (email, webhook)."""
    counts = services.alerts_retry_failed()
    if counts:
        logger.info("alert delivery retries: %s", counts)
