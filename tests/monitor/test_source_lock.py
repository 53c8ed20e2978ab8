"""Finding 16: a source locked by a worker that died on another machine (whose process this
host cannot check) is free again within two minutes, because a live poll renews its lock
before each feed and article instead of holding a ten-minute lock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.monitor.conftest import Site, article_html, rss
from ttdn.monitor import leases
from ttdn.monitor.models import Source
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add, source_poll

pytestmark = pytest.mark.django_db


def test_a_remote_dead_workers_lock_expires_within_two_minutes() -> None:
    source = source_add(name="Remote", feed_url="https://news.example.org/feed")
    assert leases.source_lock(source.pk)
    until = Source.objects.get(pk=source.pk).locked_until
    assert until is not None and until - timezone.now() <= dt.timedelta(minutes=2)
    # as another machine's worker that was killed: its lock, after the expiry, is free
    Source.objects.filter(pk=source.pk).update(
        locked_by="other-host:4242:deadbeef", locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert source.pk in leases.sources_due()
    assert leases.source_lock(source.pk)


def test_renewing_only_works_for_the_holder() -> None:
    source = source_add(name="Held", feed_url="https://news.example.org/feed2")
    Source.objects.filter(pk=source.pk).update(
        locked_by="other-host:1:x", locked_until=timezone.now() + dt.timedelta(seconds=5)
    )
    assert not leases.source_lock_renew(source.pk)
    Source.objects.filter(pk=source.pk).update(locked_by="", locked_until=None)
    assert leases.source_lock(source.pk)
    Source.objects.filter(pk=source.pk).update(locked_until=timezone.now())
    assert leases.source_lock_renew(source.pk)
    assert Source.objects.get(pk=source.pk).locked_until > timezone.now()


def test_a_long_poll_keeps_renewing_its_lock(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    paths = [f"/a/{n}" for n in range(3)]
    for path in paths:
        site.add(path, article_html(f"Tin {path}", [f"Việt Nam đưa tin {path} hôm nay."]))
    feed = site.add("/feed.xml", rss([(f"Tin {p}", site.base_url + p, "x") for p in paths]))
    source = source_add(name="Long", feed_url=feed, allow_private=True)
    renewals: list[int] = []
    real = leases.source_lock_renew

    def counted(source_id: int, seconds: int | None = None) -> bool:
        renewals.append(source_id)
        return real(source_id, seconds)

    monkeypatch.setattr("ttdn.monitor.ingest.source_lock_renew", counted)
    source_poll(source_id=source.pk, runtime=MonitorRuntime())
    assert renewals.count(source.pk) >= 1 + len(paths)  # each feed and each article


def test_a_source_whose_poll_died_is_queued_again_once_its_lease_runs_out() -> None:
    """The scheduler moved the next poll one interval (15 min here) on when it queued the
    poll; the worker died mid-poll. Without looking at the lapsed lock, the source would wait
    that whole interval (and the broker's visibility timeout) instead of the lease."""
    from ttdn.monitor.models import StageCounter

    source = source_add(name="Killed", feed_url="https://news.example.org/feed3")
    now = timezone.now()
    assert leases.sources_claim_due(now) == [source.pk]  # the scheduler queues a poll …
    assert leases.source_lock(source.pk)  # … a worker takes it, then is SIGKILLed
    Source.objects.filter(pk=source.pk).update(locked_by="other-host:4242:deadbeef")
    assert leases.sources_claim_due(now + dt.timedelta(seconds=5)) == []  # still leased
    lapsed = Source.objects.get(pk=source.pk).locked_until + dt.timedelta(seconds=1)
    assert lapsed - now < dt.timedelta(minutes=3)
    assert leases.sources_claim_due(lapsed) == [source.pk]  # due again: its poll died
    assert leases.sources_claim_due(lapsed + dt.timedelta(seconds=2)) == []  # queued once
    row = Source.objects.get(pk=source.pk)
    assert (row.locked_by, row.locked_until, row.locked_at) == ("", None, None)
    assert row.next_poll_at is not None and row.next_poll_at > lapsed + dt.timedelta(minutes=10)
    assert StageCounter.objects.get(stage="poll", reason="lock_expired_polled_again").count == 1
    assert leases.source_lock(source.pk)  # the next poll takes the lock normally
