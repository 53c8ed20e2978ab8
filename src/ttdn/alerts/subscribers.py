"""What the alerts app does when the monitor announces something (`ttdn.core.events`)."""

from __future__ import annotations

from typing import Any

from ttdn.alerts.selectors import alert_rules_active_exist
from ttdn.alerts.services import alerts_evaluate_for_report, alerts_raise_for_burst
from ttdn.core import events
from ttdn.measure.bursts import BURST_DETECTED


def _while_rules_are_active(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No active rule (a fresh install, most of a world stream's life): no job at all."""
    return payloads if alert_rules_active_exist() else []


@events.subscribe(events.REPORT_STORED, name="alerts.evaluate_report",
                  select=_while_rules_are_active)  # fmt: skip
def evaluate_report(payload: dict[str, Any]) -> None:
    """Evaluate every alert rule on the stored report. Idempotent: a report raises at most
    one alert per rule, so a retry doubles nothing."""
    alerts_evaluate_for_report(int(payload["report_id"]))


@events.subscribe(BURST_DETECTED, name="alerts.raise_for_burst")
def raise_for_burst(payload: dict[str, Any]) -> None:
    """Breaking alerts for the rules that match what is bursting (idempotent: one alert per
    rule and report)."""
    alerts_raise_for_burst(int(payload["burst_id"]))
