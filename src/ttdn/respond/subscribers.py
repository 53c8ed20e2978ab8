"""Respond reacts to stored reports: each one is matched against open and answered claims."""

from __future__ import annotations

from typing import Any

from ttdn.core.events import REPORT_STORED, subscribe
from ttdn.respond import selectors, services, translated


def _while_claims_are_matchable(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No open or answered claim to look for: no job for the stored reports."""
    return payloads if selectors.claims_matchable_exist() else []


def _while_answers_are_published(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No published answer: no stored report can be a translated pickup of one."""
    return payloads if selectors.published_cases_exist() else []


def _with_links(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only a report that links to our own hosts can be a pickup of an answer."""
    return [p for p in payloads if p.get("links")]


@subscribe(REPORT_STORED, name="respond.match_claims", select=_while_claims_are_matchable)
def match_claims(payload: dict[str, Any]) -> None:
    services.claims_match_report(int(payload["report_id"]))


@subscribe(REPORT_STORED, name="respond.record_pickups", select=_with_links)
def record_pickups(payload: dict[str, Any]) -> None:
    links = payload.get("links") or []  # only when the report links to our own hosts
    if links:
        services.pickups_record(int(payload["report_id"]), [str(link) for link in links])


@subscribe(
    REPORT_STORED, name="respond.record_translated_pickups", select=_while_answers_are_published
)
def record_translated_pickups(payload: dict[str, Any]) -> None:
    translated.pickups_translated_record(int(payload["report_id"]))
