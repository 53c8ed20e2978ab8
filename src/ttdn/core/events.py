"""Events between modules: the module where a fact happens announces it; the modules that
react subscribe, so the announcer never imports them.

    # in monitor (the announcer)
    events.announce(events.REPORT_STORED, {"report_id": report.pk, "story_id": story.pk})

    # in alerts/subscribers.py (imported from AlertsConfig.ready())
    @events.subscribe(events.REPORT_STORED, name="alerts.evaluate_report")
    def evaluate(payload: dict) -> None: ...

A subscriber runs as its own background job (`ttdn.core.jobs`, named by `name`) queued when
the announcer's transaction commits: never for a rolled-back fact, never holding up the
announcer, and a subscriber that fails is recorded and retried on its own, without the
others noticing. So handlers must be idempotent (a retry may repeat part of the work).

`in_transaction=True` is for the rare reaction that must commit or roll back together with
the fact (the measure roll-ups count each stored report exactly once): it runs at once,
inside the announcer's transaction, and its failure rolls the fact back. Use it only for
invariants of that kind.

Payloads are plain JSON values (ids): they travel in Celery messages when scaled out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ttdn.core import jobs

#: A report was stored. {"report_id": int, "story_id": int | None}
REPORT_STORED = "monitor.report_stored"
#: A story got a report, or changed otherwise. {"story_id": int}
STORY_CHANGED = "monitor.story_changed"

Handler = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Subscriber:
    event: str
    name: str
    handler: Handler
    in_transaction: bool


_subscribers: dict[str, dict[str, Subscriber]] = {}


def subscribe(
    event: str, *, name: str, in_transaction: bool = False, max_retries: int = 3
) -> Callable[[Handler], Handler]:
    """Register `handler(payload)` for `event` under the job name `name`."""

    def register(handler: Handler) -> Handler:
        _subscribers.setdefault(event, {})[name] = Subscriber(event, name, handler, in_transaction)
        if not in_transaction:
            jobs.job(name, lane=jobs.PIPELINE, max_retries=max_retries)(_deliver(handler))
        return handler

    return register


def _deliver(handler: Handler) -> Callable[..., None]:
    def deliver(*, payload: dict[str, Any]) -> None:
        handler(payload)

    deliver.__qualname__ = f"deliver.{getattr(handler, '__qualname__', handler)}"
    return deliver


def subscribers(event: str) -> list[Subscriber]:
    return list(_subscribers.get(event, {}).values())


def announce(event: str, payload: dict[str, Any]) -> None:
    """Tell every subscriber of `event` (see the module docstring for when and how)."""
    for subscriber in subscribers(event):
        if subscriber.in_transaction:
            subscriber.handler(payload)
        else:
            jobs.dispatch(subscriber.name, payload=payload)
