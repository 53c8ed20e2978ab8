"""Events between modules: delivered after commit, never on rollback; a failing subscriber
is recorded and retried and neither the announcer nor the other subscribers suffer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ttdn.core import events
from ttdn.core.jobs import failures_retry_due
from ttdn.core.models import FailureStatus, JobFailure

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("registry")]

EVENT = "tests.something_happened"


def test_subscribers_hear_after_commit_and_never_on_rollback() -> None:
    heard: list[dict[str, Any]] = []
    events.subscribe(EVENT, name="tests.listener")(heard.append)

    with transaction.atomic():
        events.announce(EVENT, {"n": 1})
        assert heard == []  # not before the commit
    assert heard == [{"n": 1}]

    with pytest.raises(RuntimeError), transaction.atomic():
        events.announce(EVENT, {"n": 2})
        raise RuntimeError("rolled back")
    assert heard == [{"n": 1}]  # the rolled-back fact was never announced


def test_a_failing_subscriber_is_recorded_retried_and_harms_no_one() -> None:
    heard: list[dict[str, Any]] = []
    fail = {"times": 1}

    def flaky(payload: dict[str, Any]) -> None:
        if fail["times"]:
            fail["times"] -= 1
            raise ConnectionError("the receiver was down")
        heard.append(payload)

    events.subscribe(EVENT, name="tests.flaky")(flaky)
    events.subscribe(EVENT, name="tests.steady")(heard.append)

    with transaction.atomic():
        events.announce(EVENT, {"report_id": 7})  # the announcer does not see the failure
    assert heard == [{"report_id": 7}]  # the other subscriber was not stopped
    failure = JobFailure.objects.get()
    assert failure.name == "tests.flaky" and failure.status == FailureStatus.RETRYING
    assert failure.kwargs == {"payload": {"report_id": 7}}
    assert failure.reason == "ConnectionError" and "receiver was down" in failure.error

    assert failures_retry_due() == 0  # its backoff has not passed
    later = timezone.now() + dt.timedelta(hours=2)
    assert failures_retry_due(now=later) == 1
    assert heard == [{"report_id": 7}, {"report_id": 7}]
    assert not JobFailure.objects.exists()  # it succeeded on the retry


def test_an_in_transaction_subscriber_commits_and_rolls_back_with_the_fact() -> None:
    from ttdn.accounts.models import Organisation

    def write(payload: dict[str, Any]) -> None:
        Organisation.objects.create(name=payload["name"], slug=payload["name"], kind="ministry")

    events.subscribe(EVENT, name="tests.writer", in_transaction=True)(write)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.announce(EVENT, {"name": "bo-a"})
        assert Organisation.objects.filter(slug="bo-a").exists()  # ran at once, inside
        raise RuntimeError("rolled back")
    assert not Organisation.objects.filter(slug="bo-a").exists()


def test_a_payload_must_be_plain_json() -> None:
    events.subscribe(EVENT, name="tests.listener")(lambda payload: None)
    with pytest.raises(TypeError, match="plain JSON"):
        events.announce(EVENT, {"when": dt.date(2025, 1, 1)})


def test_select_spares_the_jobs_of_payloads_a_subscriber_has_no_work_for() -> None:
    from ttdn.core.models import PendingJob

    heard: list[dict[str, Any]] = []
    asked: list[list[dict[str, Any]]] = []

    def odd_only(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        asked.append(payloads)
        return [p for p in payloads if p["n"] % 2]

    events.subscribe(EVENT, name="tests.odd", select=odd_only)(heard.append)
    with transaction.atomic():
        events.announce_many(EVENT, [{"n": 1}, {"n": 2}, {"n": 3}])
        assert heard == []  # still after the commit only
    assert asked == [[{"n": 1}, {"n": 2}, {"n": 3}]]  # once for the batch
    assert heard == [{"n": 1}, {"n": 3}]
    with transaction.atomic():
        events.announce(EVENT, {"n": 4})  # selected away: no job ran, none is written down
    assert heard == [{"n": 1}, {"n": 3}]
    assert not PendingJob.objects.exists() and not JobFailure.objects.exists()

    with pytest.raises(RuntimeError), transaction.atomic():
        events.announce_many(EVENT, [{"n": 5}])
        raise RuntimeError("rolled back")
    assert heard == [{"n": 1}, {"n": 3}]  # never on rollback


def test_a_batch_handler_gets_a_transactions_facts_in_one_call_and_rolls_back_with_them() -> None:
    from ttdn.accounts.models import Organisation

    calls: list[list[str]] = []

    def write_many(payloads: list[dict[str, Any]]) -> None:
        calls.append([p["name"] for p in payloads])
        for p in payloads:
            Organisation.objects.create(name=p["name"], slug=p["name"], kind="ministry")

    def write_one(payload: dict[str, Any]) -> None:
        write_many([payload])

    events.subscribe(EVENT, name="tests.writer", in_transaction=True, batch=write_many)(write_one)
    with transaction.atomic():
        events.announce_many(EVENT, [{"name": "bo-b"}, {"name": "bo-c"}])
        events.announce(EVENT, {"name": "bo-d"})
    assert calls == [["bo-b", "bo-c"], ["bo-d"]]
    assert Organisation.objects.filter(slug__in=["bo-b", "bo-c", "bo-d"]).count() == 3
    with pytest.raises(RuntimeError), transaction.atomic():
        events.announce_many(EVENT, [{"name": "bo-e"}, {"name": "bo-f"}])
        raise RuntimeError("rolled back")
    assert not Organisation.objects.filter(slug__in=["bo-e", "bo-f"]).exists()


def test_batch_is_only_for_in_transaction_subscribers() -> None:
    with pytest.raises(ValueError, match="in-transaction"):
        events.subscribe(EVENT, name="tests.bad", batch=lambda payloads: None)


def test_a_payload_must_be_plain_json_even_when_no_subscriber_selects_it() -> None:
    events.subscribe(EVENT, name="tests.none", select=lambda payloads: [])(lambda payload: None)
    with pytest.raises(TypeError, match="plain JSON"):
        events.announce_many(EVENT, [{"n": 1}, {"when": dt.date(2025, 1, 1)}])
