"""Measure's background jobs (`ttdn.core.jobs`)."""

from __future__ import annotations

import logging

from ttdn.core.jobs import job
from ttdn.measure.bursts import bursts_detect

logger = logging.getLogger(__name__)


@job("measure.bursts_detect", every_s=300.0, time_limit_s=300)
def bursts_detect_job() -> None:
    """Run the burst detector on the hours completed since its last run."""
    made = bursts_detect()
    if made:
        logger.info("bursts detected: %s", made)
