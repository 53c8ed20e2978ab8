"""Celery tasks of periodic reports (scaled-out mode). Thin: take ids, call services.

Both are idempotent: a report already done is not made again, and a schedule is claimed by
one conditional UPDATE, so a redelivered message doubles nothing.
"""

from __future__ import annotations

from ttdn.celery import app
from ttdn.reports import services


@app.task(name="ttdn.reports.tasks.generate", soft_time_limit=540, time_limit=600)
def generate(report_id: int) -> str:
    return services.report_generate(report_id=report_id).status


@app.task(name="ttdn.reports.tasks.run_due_schedules", soft_time_limit=540, time_limit=600)
def run_due_schedules() -> int:
    return len(services.report_schedules_run_due())
