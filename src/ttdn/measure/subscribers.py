"""What Measure does when the monitor announces something (`ttdn.core.events`)."""

from __future__ import annotations

from typing import Any

from ttdn.core import events
from ttdn.measure.services import rollups_add_report
from ttdn.monitor.models import Report

#: What `rollups_add_report` reads of a report (anything else would be a query per access).
ROLLUP_FIELDS = (
    "published_at", "language", "tone_label", "tone_score", "duplicate_of", "is_relevant",
    "dimensions", "story", "source", "source__country", "source__kind",
)  # fmt: skip


@events.subscribe(events.REPORT_STORED, name="measure.rollups_add_report", in_transaction=True)
def rollups_add(payload: dict[str, Any]) -> None:
    """In the monitor's transaction (in_transaction): the roll-ups count each stored report
    exactly once, never one that was rolled back (an after-commit job could be lost or
    repeated between the two). Only the columns the roll-ups read are loaded: this runs for
    every stored report, and the text, clean text and embedding columns are most of a row."""
    report = (
        Report.objects.select_related("source").only(*ROLLUP_FIELDS).get(pk=payload["report_id"])
    )
    rollups_add_report(report)
