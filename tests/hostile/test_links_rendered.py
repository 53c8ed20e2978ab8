"""Finding 1: a non-http URL already stored (before the pipeline check, or by another path)
never becomes a live link on a page, in the open API or in a webhook; the ingest path
stores none."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.factories import ReportFactory, StoryFactory
from ttdn.alerts.channels import alert_payload
from ttdn.alerts.models import Alert
from ttdn.monitor.models import Report, StageCounter
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import items_ingest
from ttdn.pipeline.types import FeedItem

pytestmark = pytest.mark.django_db

EVIL = "JaVa\tScRiPt:alert(document.cookie)"


@pytest.fixture
def evil_story(organisations):  # type: ignore[no-untyped-def]
    story = StoryFactory(title="Evil story")
    report = ReportFactory(story=story, url=EVIL, title="Evil report")
    story.first_report = report
    story.save()
    return story


def test_story_page_never_links_a_non_http_url(client, analyst, evil_story) -> None:  # type: ignore[no-untyped-def]
    page = login(client, analyst).get(f"/theo-doi/cau-chuyen/{evil_story.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Evil report" in html
    assert "cript:alert" not in html.lower().replace("\t", "")
    assert 'href="#"' in html


def test_open_api_gives_no_non_http_first_report_url(client, evil_story) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/open/stories/{evil_story.pk}").json()
    assert body["first_report_url"] is None


def test_webhook_payload_carries_no_non_http_url(organisations) -> None:  # type: ignore[no-untyped-def]
    org = next(iter(organisations.values()))
    alert = Alert(pk=1, organisation=org, url=EVIL, title="t", created_at=timezone.now())
    assert alert_payload(alert, timestamp=0)["report"]["url"] == ""


def test_ingest_refuses_non_http_items_and_counts_them(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    errors: list[str] = []
    items = [
        FeedItem(url="javascript:alert(1)", title="Xấu", summary="Việt Nam xuất khẩu"),
        FeedItem(url="data:text/html,x", title="Xấu 2", summary="Việt Nam xuất khẩu"),
    ]
    items_ingest(items=items, source=None, runtime=MonitorRuntime(), errors=errors)
    assert Report.objects.count() == 0
    assert StageCounter.objects.get(stage="article", reason="refused_scheme").count == 2
    assert len(errors) == 2 and all("not an http(s) URL" in e for e in errors)
