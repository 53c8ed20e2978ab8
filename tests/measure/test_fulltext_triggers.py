"""The SQLite search indexes are kept by triggers on monitor's tables. A monitor migration
that makes SQLite rebuild `monitor_story` or `monitor_report` (e.g. adding a column with a
callable default) silently drops them, and search stops finding anything new. This test
fails when that happens, so the migration that did it is caught in CI rather than by users."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import StoryFactory
from ttdn.measure.selectors import story_search

TRIGGERS = {
    "measure_report_fts_ai": "monitor_report",
    "measure_report_fts_ad": "monitor_report",
    "measure_report_fts_au": "monitor_report",
    "measure_story_fts_ai": "monitor_story",
    "measure_story_fts_ad": "monitor_story",
    "measure_story_fts_au": "monitor_story",
}

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the triggers exist on SQLite only")
def test_every_search_trigger_exists_after_all_migrations() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        found = dict(cursor.fetchall())
    assert {name: found.get(name) for name in TRIGGERS} == TRIGGERS


def test_a_new_and_a_renamed_story_are_found_by_title() -> None:
    story = StoryFactory(title="Lễ hội pháo hoa Đà Nẵng", language="vi")
    assert [s.id for s in story_search(query="phao hoa")] == [story.id]
    story.title = "Giải marathon Huế"
    story.save(update_fields=["title"])
    assert list(story_search(query="phao hoa")) == []
    assert [s.id for s in story_search(query="marathon hue")] == [story.id]
