"""What the alerts app does when the monitor announces something (`ttdn.core.events`)."""

from __future__ import annotations

from typing import Any

from ttdn.alerts.services import alerts_evaluate_for_report
from ttdn.core import events


@events.subscribe(events.REPORT_STORED, name="alerts.evaluate_report")
def evaluate_report(payload: dict[str, Any]) -> None:
    """Evaluate every alert rule on the stored report. Idempotent: a report raises at most
    one alert per rule, so a retry doubles nothing."""
    alerts_evaluate_for_report(int(payload["report_id"]))
