"""Celery tasks of the alerts app (scaled-out mode). Thin: take ids, call services.

Both are idempotent: a report raises at most one alert per rule, and a delivery is claimed
by one UPDATE before it is sent, so a redelivered message neither doubles alerts nor sends
a delivery twice (except after a worker died mid-send: at-least-once, see models).
"""

from __future__ import annotations

from ttdn.alerts import services
from ttdn.celery import app


@app.task(name="ttdn.alerts.tasks.evaluate_report", soft_time_limit=120, time_limit=180)
def evaluate_report(report_id: int) -> int:
    return len(services.alerts_evaluate_for_report(report_id))


@app.task(name="ttdn.alerts.tasks.retry_failed", soft_time_limit=240, time_limit=300)
def retry_failed() -> dict[str, int]:
    return services.alerts_retry_failed()
