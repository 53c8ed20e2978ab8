"""The portal's reactions to what other modules announce (ttdn.core.events)."""

from __future__ import annotations

from typing import Any

from ttdn.core import events
from ttdn.portal.awards import award_winners_drafts
from ttdn.portal.selectors import publications_exist
from ttdn.portal.services import factcheck_drafts_from_case, pickups_find

CASE_PUBLISHED = "respond.case_published"  # announced by ttdn.respond.services
AWARD_PUBLISHED = "coordinate.award_published"  # announced by ttdn.coordinate.services.awards


def _while_published(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nothing published yet: no report can pick anything up, so no job."""
    return payloads if publications_exist() else []


@events.subscribe(events.REPORT_STORED, name="portal.pickups_find", select=_while_published)
def report_stored(payload: dict[str, Any]) -> None:
    """Does this foreign report link to, quote or translate one of our pages? `links` are
    the report's links to our own hosts, which the monitor kept from its HTML."""
    links = payload.get("links") or []
    pickups_find(int(payload["report_id"]), links=[str(link) for link in links])


@events.subscribe(CASE_PUBLISHED, name="portal.factcheck_drafts")
def case_published(payload: dict[str, Any]) -> None:
    """A fact-check answered in Respond becomes portal drafts for editors to review."""
    factcheck_drafts_from_case(int(payload["case_id"]))


@events.subscribe(AWARD_PUBLISHED, name="portal.award_winners_drafts")
def award_published(payload: dict[str, Any]) -> None:
    """The award's winners become portal drafts (vi, en) for editors to approve."""
    award_winners_drafts(int(payload["season_id"]))
