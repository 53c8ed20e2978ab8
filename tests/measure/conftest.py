"""A small, hand-countable world for Measure's tests.

Period 3-16 March 2025 (Monday to Sunday, two ISO weeks), Viet Nam time (UTC+7):

rep outlet (country)       story lang local time     tone      dims        places
r1  gb (GB, international) st1   en   Mon 03 10:00   +0.5 pos  tourism     VN, lam-dong
r2  us (US), copy of r1    st1   en   Tue 04 09:00   +0.5 pos  tourism     VN, dak-nong (old)
r3  fr (FR)                st2   fr   Sun 09 23:30   -0.4 neg  governance  VN, TH
r4  fr (FR)                st2   fr   Mon 10 00:30*  -0.2 neg  -           TH
r5  gb (GB)                st3   en   Wed 12 12:00    0.0 neu  exports     VN, CN, ha-noi
r6  vn (VN, domestic)      st3   vi   Fri 14 08:00   +0.3 pos  -           VN, lam-dong
r7  gb, NOT relevant       -     en   Tue 11 10:00   -         -           TH, SG
r8  gb, before the period  st1   en   20 Feb 10:00   +0.5 pos  -           VN

* r4 is still Sunday 9 March in UTC: bucketing in UTC instead of local time would move it
into the first week, which the volume tests would catch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from tests.factories import ReportFactory, SourceFactory, StoryFactory
from ttdn.monitor.models import PlaceMention, Report, Source, Story
from ttdn.monitor.services import story_facets_refresh

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = {"date_from": "2025-03-03", "date_to": "2025-03-16"}
ARTICLE_TEXT = "Secret full text of a third-party article that must never leave the platform."


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN_TZ)


@dataclass
class World:
    sources: dict[str, Source]
    stories: dict[str, Story]
    reports: dict[str, Report]


def _places(report: Report, *places: tuple[str, str]) -> None:
    PlaceMention.objects.bulk_create(
        PlaceMention(report=report, kind=kind, key=key, alias=key, start=0, end=1)
        for kind, key in places
    )


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()


@pytest.fixture
def world(organisations) -> World:  # type: ignore[no-untyped-def]
    sources = {
        "gb": SourceFactory(name="Daily Planet", country="GB"),
        "us": SourceFactory(name="Gotham Gazette", country="US"),
        "fr": SourceFactory(name="Le Quotidien", country="FR", languages=["fr"]),
        "vn": SourceFactory(name="Báo Trong Nước", country="VN", kind="domestic"),
    }
    stories = {
        "st1": StoryFactory(title="Tourists flock to Da Lat", first_seen_at=local(3, 10)),
        "st2": StoryFactory(
            title="Réforme administrative au Vietnam", language="fr", first_seen_at=local(9, 23)
        ),
        "st3": StoryFactory(title="Exports from Hanoi rise", first_seen_at=local(12, 12)),
    }

    def report(name: str, **kwargs: object) -> Report:
        kwargs.setdefault("text", ARTICLE_TEXT)
        return ReportFactory(title=f"{name} title", **kwargs)

    r1 = report(
        "r1",
        source=sources["gb"],
        story=stories["st1"],
        published_at=local(3, 10),
        tone_score=0.5,
        tone_label="positive",
        dimensions={"tourism": 1.0},
    )
    r2 = report(
        "r2",
        source=sources["us"],
        story=stories["st1"],
        published_at=local(4, 9),
        tone_score=0.5,
        tone_label="positive",
        dimensions={"tourism": 1.0},
        duplicate_of=r1,
    )
    r3 = report(
        "r3",
        source=sources["fr"],
        story=stories["st2"],
        published_at=local(9, 23, 30),
        language="fr",
        tone_score=-0.4,
        tone_label="negative",
        dimensions={"governance": 2.0},
    )
    r4 = report(
        "r4",
        source=sources["fr"],
        story=stories["st2"],
        published_at=local(10, 0, 30),
        language="fr",
        tone_score=-0.2,
        tone_label="negative",
    )
    r5 = report(
        "r5",
        source=sources["gb"],
        story=stories["st3"],
        published_at=local(12, 12),
        tone_score=0.0,
        tone_label="neutral",
        dimensions={"exports": 1.0},
    )
    r6 = report(
        "r6",
        source=sources["vn"],
        story=stories["st3"],
        published_at=local(14, 8),
        language="vi",
        tone_score=0.3,
        tone_label="positive",
    )
    r7 = report(
        "r7",
        source=sources["gb"],
        story=None,
        published_at=local(11, 10),
        is_relevant=False,
        tone_score=None,
        tone_label="",
    )
    r8 = report(
        "r8",
        source=sources["gb"],
        story=stories["st1"],
        published_at=local(20, 10, month=2),
        tone_score=0.5,
        tone_label="positive",
    )
    _places(r1, ("country", "VN"), ("unit", "lam-dong"))
    _places(r2, ("country", "VN"), ("unit", "dak-nong"))
    _places(r3, ("country", "VN"), ("country", "TH"))
    _places(r4, ("country", "TH"))
    _places(r5, ("country", "VN"), ("country", "CN"), ("unit", "ha-noi"))
    _places(r6, ("country", "VN"), ("unit", "lam-dong"))
    _places(r7, ("country", "TH"), ("country", "SG"))
    _places(r8, ("country", "VN"))
    reports = {f"r{i}": r for i, r in enumerate([r1, r2, r3, r4, r5, r6, r7, r8], 1)}
    for story in stories.values():
        story.first_report = story.reports.order_by("published_at").first()
        story.report_count = story.reports.count()
        story.unique_report_count = story.reports.filter(duplicate_of=None).count()
        story.save()
    # the factories write around the pipeline: count the stories' outlet countries and
    # places from their reports as the pipeline would have
    story_facets_refresh()
    for story in stories.values():
        story.refresh_from_db(fields=["countries", "places"])
    return World(sources, stories, reports)


@pytest.fixture
def viewer_user(organisations):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory
    from ttdn.accounts.models import Role

    return UserFactory(role=Role.VIEWER, organisation=organisations["bo-ngoai-giao"])
