"""Respond reacts to stored reports: each one is matched against open and answered claims."""

from __future__ import annotations

from typing import Any

from ttdn.core.events import REPORT_STORED, subscribe
from ttdn.respond import services, translated


@subscribe(REPORT_STORED, name="respond.match_claims")
def match_claims(payload: dict[str, Any]) -> None:
    services.claims_match_report(int(payload["report_id"]))


@subscribe(REPORT_STORED, name="respond.record_pickups")
def record_pickups(payload: dict[str, Any]) -> None:
    links = payload.get("links") or []  # only when the report links to our own hosts
    if links:
        services.pickups_record(int(payload["report_id"]), [str(link) for link in links])


@subscribe(REPORT_STORED, name="respond.record_translated_pickups")
def record_translated_pickups(payload: dict[str, Any]) -> None:
    translated.pickups_translated_record(int(payload["report_id"]))
