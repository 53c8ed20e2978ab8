"""What Measure does when the monitor announces something (`ttdn.core.events`)."""

from __future__ import annotations

from typing import Any

from ttdn.core import events
from ttdn.measure.services import rollups_add_reports
from ttdn.monitor.models import Report

#: What `rollups_add_report` reads of a report (anything else would be a query per access).
ROLLUP_FIELDS = (
    "published_at", "language", "tone_label", "tone_score", "duplicate_of", "is_relevant",
    "dimensions", "story", "source", "source__country", "source__kind",
)  # fmt: skip


def rollups_add_many(payloads: list[dict[str, Any]]) -> None:
    """A chunk of reports stored in one transaction: one load, one statement per table."""
    ids = [int(p["report_id"]) for p in payloads]
    by_id = Report.objects.select_related("source").only(*ROLLUP_FIELDS).in_bulk(ids)
    rollups_add_reports([by_id[i] for i in ids])


@events.subscribe(
    events.REPORT_STORED,
    name="measure.rollups_add_report",
    in_transaction=True,
    batch=rollups_add_many,
)
def rollups_add(payload: dict[str, Any]) -> None:
    """In the monitor's transaction (in_transaction): the roll-ups count each stored report
    exactly once, never one that was rolled back (an after-commit job could be lost or
    repeated between the two). Only the columns the roll-ups read are loaded: this runs for
    every stored report, and the text, clean text and embedding columns are most of a row."""
    rollups_add_many([payload])
