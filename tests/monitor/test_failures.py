"""The failure contract, end to end against a real local server: an item whose page fails
transiently is retried with backoff that honours Retry-After and is stored once the site
answers; a permanent failure is quarantined with its reason, listed on the health page and
re-queued by an administrator; a feed that says Retry-After is not polled sooner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.monitor.conftest import Site, article_html, rss
from ttdn.core.jobs import failures_retry_due
from ttdn.core.models import FailureStatus, JobFailure
from ttdn.monitor.models import Report, Source
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add, source_poll

pytestmark = pytest.mark.django_db

TITLE = "Vietnam's coffee exports hit a record"
TEXT = ["Vietnam exported more coffee than ever this year, traders in Ho Chi Minh City said."]


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> MonitorRuntime:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    return MonitorRuntime()


def _source(site: Site, path: str) -> Source:
    # no title and no summary in the feed: nothing to fall back on when the page fails
    feed = site.add("/feed.xml", rss([("", site.base_url + path, "")]),
                    content_type="application/rss+xml")  # fmt: skip
    return source_add(name="Example", feed_url=feed, country="GB", allow_private=True)


def test_a_transient_failure_is_retried_after_retry_after_and_then_stored(
    site: Site, runtime: MonitorRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ttdn.monitor.runtime.runtime_get", lambda: runtime)
    monkeypatch.setattr("ttdn.monitor.ingest.runtime_get", lambda: runtime)
    site.add("/a/1", "busy", status=503, content_type="text/plain")
    site.headers["/a/1"] = {"Retry-After": "1200"}
    source = _source(site, "/a/1")
    before = timezone.now()
    assert source_poll(source_id=source.pk, runtime=runtime)["reports_created"] == 0
    failure = JobFailure.objects.get()
    assert failure.name == "monitor.item_ingest" and failure.status == FailureStatus.RETRYING
    assert failure.reason == "http_503" and failure.kwargs["item"]["url"].endswith("/a/1")
    assert failure.next_attempt_at >= before + dt.timedelta(seconds=1200)  # honoured

    assert failures_retry_due() == 0  # not before the server's Retry-After
    site.add("/a/1", article_html(TITLE, TEXT))  # the site is back
    runtime.fetch_state.slow_until.clear()
    assert failures_retry_due(now=timezone.now() + dt.timedelta(seconds=1300)) == 1
    assert Report.objects.filter(url=site.base_url + "/a/1").count() == 1
    assert not JobFailure.objects.exists()


def test_a_permanent_failure_is_quarantined_listed_and_requeued_by_an_administrator(
    site: Site,
    runtime: MonitorRuntime,
    monkeypatch,
    administrator,
    officer_lam_dong,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ttdn.monitor.ingest.runtime_get", lambda: runtime)
    source = _source(site, "/gone")  # 404
    source_poll(source_id=source.pk, runtime=runtime)
    failure = JobFailure.objects.get()
    assert failure.status == FailureStatus.QUARANTINED and failure.reason == "http_404"
    assert failure.next_attempt_at is None
    assert failures_retry_due(now=timezone.now() + dt.timedelta(days=30)) == 0  # never alone

    officer = login(Client(), officer_lam_dong)
    page = officer.get("/theo-doi/tinh-trang/").content.decode()
    assert "monitor.item_ingest" in page and "http_404" in page and "/gone" in page
    assert "xep-lai" not in page  # only administrators re-queue
    requeue = f"/theo-doi/tinh-trang/cong-viec/{failure.pk}/xep-lai/"
    assert officer.post(requeue).status_code == 403

    site.add("/gone", article_html(TITLE, TEXT))  # the page was restored
    admin = login(Client(), administrator)
    assert "xep-lai" in admin.get("/theo-doi/tinh-trang/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(requeue).status_code == 302
    assert Report.objects.filter(url=site.base_url + "/gone").count() == 1
    assert not JobFailure.objects.exists()


def test_a_feed_that_says_retry_after_is_not_polled_sooner(
    site: Site, runtime: MonitorRuntime
) -> None:
    source = _source(site, "/a/1")
    site.add("/feed.xml", "slow down", status=429, content_type="text/plain")
    site.headers["/feed.xml"] = {"Retry-After": "7200"}
    before = timezone.now()
    source_poll(source_id=source.pk, runtime=runtime)
    source.refresh_from_db()
    assert source.poll_interval_s < 7200
    assert source.next_poll_at >= before + dt.timedelta(seconds=7200)
