"""Report tests run on Measure's hand-countable world (tests/measure/conftest.py) plus one
story in Chinese about Lâm Đồng, so the PDF must render CJK next to Vietnamese.

For Lâm Đồng in 2025-H1 that gives: r1 (lam-dong), r2 (dak-nong, a former unit, copy of r1),
r6 (lam-dong) and rz (lam-dong, Chinese): 4 reports, 3 unique, 3 stories.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.factories import ReportFactory, StoryFactory
from tests.measure.conftest import World, local
from tests.measure.conftest import viewer_user as viewer_user  # noqa: F401 - re-exported
from tests.measure.conftest import world as world  # noqa: F401 - re-exported fixture
from ttdn.monitor.models import PlaceMention, Report

CJK_TITLE = "林同省旅游业蓬勃发展"


@pytest.fixture(autouse=True)
def _reports_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test writes its report files into its own data dir (the fonts, found once per
    process, stay where the first test cached them)."""
    settings.DATA_DIR = tmp_path


@pytest.fixture(autouse=True)
def _vietnamese_first() -> Iterator[None]:
    """Reports take the language active when requested; start each test in Vietnamese, as
    a request without a language switch would, whatever an earlier test left active."""
    with translation.override("vi"):
        yield


@pytest.fixture
def cjk_world(world: World) -> World:  # noqa: F811
    story = StoryFactory(
        title=CJK_TITLE, language="zh", cluster_key="zh:1", first_seen_at=local(5, 9)
    )
    report: Report = ReportFactory(
        title=CJK_TITLE,
        source=world.sources["gb"],
        story=story,
        published_at=local(5, 9),
        language="zh",
        tone_score=0.4,
        tone_label="positive",
        dimensions={"tourism": 1.0},
    )
    PlaceMention.objects.create(
        report=report, kind="unit", key="lam-dong", alias="林同", start=0, end=2
    )
    story.first_report = report
    story.report_count = story.unique_report_count = 1
    story.save()
    world.stories["stz"] = story
    world.reports["rz"] = report
    return world
