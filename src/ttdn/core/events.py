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

Two ways to spare work that would do nothing (a world stream stores many reports a second,
and most of them concern no alert rule, no claim, no publication):
- `select=`: a subscriber names the payloads it has work for, `select(payloads) -> payloads`,
  called when the facts are announced (in the announcer's transaction, so it reads the state
  as of then; one call per `announce_many`); a payload it leaves out gets no job at all. It
  must be cheap and must not write. A rule or claim created after that moment sees the
  reports stored after it, exactly as if it had been created a moment later.
- `announce_many(event, payloads)`: several facts of one transaction at once; each
  after-commit subscriber still gets one job per selected payload, and an in-transaction
  subscriber with a `batch=` handler gets them all in one call (the roll-ups add a chunk of
  reports in one statement per table).

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
BatchHandler = Callable[[list[dict[str, Any]]], None]
Select = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass(frozen=True)
class Subscriber:
    event: str
    name: str
    handler: Handler
    in_transaction: bool
    select: Select | None = None
    batch: BatchHandler | None = None


_subscribers: dict[str, dict[str, Subscriber]] = {}


def subscribe(
    event: str,
    *,
    name: str,
    in_transaction: bool = False,
    max_retries: int = 3,
    select: Select | None = None,
    batch: BatchHandler | None = None,
) -> Callable[[Handler], Handler]:
    """Register `handler(payload)` for `event` under the job name `name` (`select` and, for
    an in-transaction subscriber, `batch`: see the module docstring)."""
    if batch is not None and not in_transaction:
        raise ValueError("batch= is for in-transaction subscribers (the others run as jobs)")

    def register(handler: Handler) -> Handler:
        _subscribers.setdefault(event, {})[name] = Subscriber(
            event, name, handler, in_transaction, select, batch
        )
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
    announce_many(event, [payload])


def announce_many(event: str, payloads: list[dict[str, Any]]) -> None:
    """Tell every subscriber of `event` about each of `payloads`, facts of the current
    transaction, in order: what `announce` does for each, with one `select` call and one
    `batch` call per subscriber for all of them."""
    if not payloads:
        return
    for payload in payloads:  # a bad payload fails the announcer at once, whoever listens
        jobs.check_json(event, payload)
    for subscriber in subscribers(event):
        chosen = payloads if subscriber.select is None else subscriber.select(list(payloads))
        if not chosen:
            continue
        if subscriber.in_transaction:
            if subscriber.batch is not None:
                subscriber.batch(list(chosen))
            else:
                for payload in chosen:
                    subscriber.handler(payload)
        else:
            for payload in chosen:
                jobs.dispatch(subscriber.name, payload=payload)
