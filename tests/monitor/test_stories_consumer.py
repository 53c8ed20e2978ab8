"""The single story consumer: queued enrichments become reports exactly once, only under the
lease, and a consumer taking over from another rebuilds its state from the database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from ttdn.monitor import stories_consumer as consumer
from ttdn.monitor.models import ConsumerLease, PendingArticle, Report, StageCounter
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import url_hash
from ttdn.pipeline.analyse import Enrichment, PlaceRef
from ttdn.pipeline.types import Article

pytestmark = pytest.mark.django_db

ARTICLES = [
    Article(url=f"https://news.example/{n}", title=title, text=text)
    for n, (title, text) in enumerate(
        [
            ("Coffee exports from Vietnam hit a record",
             "Vietnam exported more coffee than ever, traders in Lâm Đồng said on Monday."),
            ("Vietnam's coffee exports reach a record high",
             "Coffee shipments from Vietnam reached a record, Lâm Đồng traders said Monday."),
            ("Typhoon floods northern provinces",
             "A typhoon flooded Quảng Ninh and Hải Phòng, officials said."),
        ]
    )
]  # fmt: skip


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> MonitorRuntime:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    return MonitorRuntime()


def _pairs() -> list[tuple[str, Article]]:
    return [(url_hash(a.url), a) for a in ARTICLES]


def test_enqueue_then_assign_stores_each_article_once(runtime: MonitorRuntime) -> None:
    assert consumer.articles_enqueue(articles=_pairs(), source=None, runtime=runtime) == 3
    assert consumer.articles_enqueue(articles=_pairs(), source=None, runtime=runtime) == 0
    summary = consumer.pending_assign(runtime=runtime)
    assert summary["reports_created"] == 3 and not summary["leased_by_other"]
    assert PendingArticle.objects.count() == 0
    reports = {r.url: r for r in Report.objects.all()}
    assert len(reports) == 3 and all(r.story_id for r in reports.values())
    coffee = [reports[a.url].story_id for a in ARTICLES[:2]]
    assert coffee[0] == coffee[1], "the two coffee reports are one story"
    assert reports[ARTICLES[2].url].story_id not in coffee
    assert consumer.articles_enqueue(articles=_pairs(), source=None, runtime=runtime) == 0
    # the lease is left lapsed, so another process may take it at once
    lease = ConsumerLease.objects.get(name=consumer.LEASE)
    assert lease.until is not None and lease.until <= timezone.now()


def test_nothing_is_assigned_while_another_live_process_holds_the_lease(
    runtime: MonitorRuntime,
) -> None:
    consumer.articles_enqueue(articles=_pairs(), source=None, runtime=runtime)
    ConsumerLease.objects.create(
        name=consumer.LEASE, owner="other-host:123:abcd",
        until=timezone.now() + dt.timedelta(seconds=60),
    )  # fmt: skip
    summary = consumer.pending_assign(runtime=runtime)
    assert summary["leased_by_other"] and summary["reports_created"] == 0
    assert PendingArticle.objects.count() == 3 and Report.objects.count() == 0
    ConsumerLease.objects.filter(name=consumer.LEASE).update(
        until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert consumer.pending_assign(runtime=runtime)["reports_created"] == 3


def test_a_dead_local_consumers_lease_is_taken_over_and_state_rebuilt(
    runtime: MonitorRuntime,
) -> None:
    import socket

    dead = f"{socket.gethostname()}:999999:dead"
    ConsumerLease.objects.create(
        name=consumer.LEASE, owner=dead, until=timezone.now() + dt.timedelta(seconds=60)
    )
    consumer.articles_enqueue(articles=_pairs()[:1], source=None, runtime=runtime)
    before = runtime.analyser
    assert consumer.pending_assign(runtime=runtime)["reports_created"] == 1
    assert runtime.analyser is not before, "a takeover rebuilds the in-memory state"
    counter = StageCounter.objects.get(
        stage="stories", reason="lease_taken_over_from_dead_consumer"
    )
    assert counter.count == 1


def test_a_row_whose_report_exists_is_dropped_not_doubled(runtime: MonitorRuntime) -> None:
    consumer.articles_enqueue(articles=_pairs()[:1], source=None, runtime=runtime)
    row = PendingArticle.objects.get()
    consumer.pending_assign(runtime=runtime)
    PendingArticle.objects.create(
        url_hash=row.url_hash, article=row.article, enrichment=row.enrichment,
        embedding=row.embedding,
    )  # fmt: skip
    summary = consumer.pending_assign(runtime=runtime)
    assert summary == {"reports_created": 0, "skipped": 1, "leased_by_other": False}
    assert Report.objects.count() == 1 and PendingArticle.objects.count() == 0


def test_enrichment_round_trips_through_json() -> None:
    enrichment = Enrichment(
        language="vi", language_confidence=0.99,
        mentions=[PlaceRef(kind="unit", key="lam-dong", alias="Đà Lạt", is_former=False,
                           start=3, end=9)],
        is_relevant=True, relevance_score=0.8, tone_score=None, tone_label="unknown",
        tone_confidence=0.0, country_tone_score=0.25, country_tone_label="positive",
        dimensions={"tourism": 0.5}, embedding=np.arange(4, dtype=np.float32),
    )  # fmt: skip
    import json

    data = json.loads(json.dumps(enrichment.to_json()))
    back = Enrichment.from_json(data, np.arange(4, dtype=np.float32))
    assert back.mentions == enrichment.mentions
    assert back.to_json() == enrichment.to_json()
    np.testing.assert_array_equal(back.embedding, enrichment.embedding)


@pytest.mark.usefixtures("registry")
def test_a_chunk_is_announced_together_and_idle_subscribers_get_no_job(
    runtime: MonitorRuntime, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """One chunk: the roll-ups count its reports in one batch call, each subscriber's
    `select` sees the chunk once, and the subscribers with nothing to do (no alert rule, no
    claim, no publication, no link to our hosts) get no job at all."""
    from ttdn.core import events, jobs
    from ttdn.measure.models import RollupState

    dispatched: list[str] = []
    real_dispatch = jobs.dispatch

    def recording(name: str, **kwargs: object) -> None:
        dispatched.append(name)
        real_dispatch(name, **kwargs)

    monkeypatch.setattr(jobs, "dispatch", recording)
    selects: list[int] = []

    def all_of_them(payloads: list[dict[str, object]]) -> list[dict[str, object]]:
        selects.append(len(payloads))
        return payloads

    heard: list[dict[str, object]] = []
    events.subscribe(events.REPORT_STORED, name="tests.heard", select=all_of_them)(heard.append)
    consumer.articles_enqueue(articles=_pairs(), source=None, runtime=runtime)
    with django_capture_on_commit_callbacks(execute=True):
        assert consumer.pending_assign(runtime=runtime)["reports_created"] == 3
    assert selects == [3]
    assert sorted(p["report_id"] for p in heard) == sorted(
        Report.objects.values_list("pk", flat=True)
    )
    assert set(dispatched) == {"tests.heard"}  # alerts, respond, portal: nothing to do
    assert RollupState.objects.get().reports == 3  # counted in the chunk's transaction
