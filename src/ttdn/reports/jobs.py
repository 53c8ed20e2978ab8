"""The periodic reports' background jobs, on the report lane (`ttdn.core.jobs`): a
ten-year report must never hold up polling and story assignment. Idempotent: a report
already done is not made again, and a schedule is claimed by one conditional UPDATE."""

from __future__ import annotations

import logging

from ttdn.core.jobs import REPORTS, job
from ttdn.reports import services

logger = logging.getLogger(__name__)


@job("reports.generate", lane=REPORTS, time_limit_s=services.REPORT_TIME_LIMIT_S, max_retries=0)
def generate(*, report_id: int) -> None:
    # a failure of the report itself ends as a readable `failed` status, not an exception
    services.report_generate(report_id=report_id)


@job("reports.recover", every_s=120.0, time_limit_s=120)
def recover() -> None:
    """Fail reports whose process died, re-queue those whose job was lost (runs at start)."""
    counts = services.reports_recover()
    if any(counts.values()):
        logger.warning("reports recovered: %s", counts)


@job("reports.run_due", lane=REPORTS, every_s=60.0, time_limit_s=services.REPORT_TIME_LIMIT_S)
def run_due() -> None:
    """Make the periodic reports whose schedule is due."""
    made = services.report_schedules_run_due()
    if made:
        logger.info("scheduled reports made: %s", made)
