"""The monitor announces what it stored, after commit; alerts react from their own app
(the monitor imports no reacting module), and a failing subscriber loses no report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.alerts.conftest import AlertRuleFactory
from tests.factories import SourceFactory
from ttdn.alerts.models import Alert
from ttdn.core import events
from ttdn.core.models import JobFailure
from ttdn.monitor.models import Report
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import article_store
from ttdn.pipeline.types import Article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry")]

MONITOR = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "monitor"


def _article(n: int) -> Article:
    return Article(
        url=f"https://news.example/events/{n}",
        title="Viet Nam coffee exports rise",
        text="Officials in Hanoi said Viet Nam exported record coffee from Lâm Đồng this year.",
        published=timezone.now() - dt.timedelta(hours=1),
        language_hint="en",
    )


def test_a_stored_report_is_announced_after_commit_and_raises_alerts(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks, organisations
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    heard: list[dict[str, Any]] = []
    events.subscribe(events.REPORT_STORED, name="tests.report_heard")(heard.append)
    stories: list[dict[str, Any]] = []
    events.subscribe(events.STORY_CHANGED, name="tests.story_heard")(stories.append)

    def broken(payload: dict[str, Any]) -> None:
        raise RuntimeError("a subscriber with a bug")

    events.subscribe(events.REPORT_STORED, name="tests.broken")(broken)
    rule = AlertRuleFactory(
        organisation=organisations["lam-dong"], keywords=["coffee"], relevant_only=False
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = article_store(
            article=_article(1), source=SourceFactory(), runtime=MonitorRuntime()
        )
        assert report is not None
        assert heard == []  # nothing before the commit
    assert callbacks  # delivered by the commit hooks
    assert heard == [{"report_id": report.pk, "story_id": report.story_id}]
    assert stories == [{"story_id": report.story_id}]
    assert Alert.objects.filter(rule=rule, report=report).count() == 1  # alerts subscribed
    assert Report.objects.filter(pk=report.pk).exists()  # the bug lost no report
    assert JobFailure.objects.get().name == "tests.broken"


def test_the_monitors_write_path_imports_no_reacting_module() -> None:
    """(Its pages may show Measure's charts; its writes announce instead of calling.)"""
    for name in ("services", "ingest", "store", "stories_consumer", "counters", "leases", "jobs"):
        path = MONITOR / f"{name}.py"
        text = path.read_text(encoding="utf-8")
        for app in ("alerts", "measure", "reports", "respond", "portal", "coordinate"):
            assert f"ttdn.{app}" not in text, f"{path.name} imports ttdn.{app}"
