"""The story page: tone over time (JSON for the chart, CSV download), places and provinces
(former units rolled up onto today's 34), nation-brand dimensions; in Vietnamese and English."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import ReportFactory, StoryFactory
from ttdn.monitor.models import PlaceMention, Report, Story
from ttdn.monitor.selectors import story_dimensions, story_places, story_tone_series

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=HCM)


def mention(report: Report, kind: str, key: str, alias: str, *, former: bool = False) -> None:
    PlaceMention.objects.create(
        report=report, kind=kind, key=key, alias=alias, is_former_name=former, start=0, end=1
    )


@pytest.fixture
def story(organisations) -> Story:  # type: ignore[no-untyped-def]
    """Three reports over two hours and a fourth two hours later (an empty hour between)."""
    story = StoryFactory(title="Floods in the Central Highlands", first_seen_at=at(20, 8, 10))
    r1 = ReportFactory(story=story, published_at=at(20, 8, 10), tone_score=-0.5,
                       tone_label="negative", dimensions={"governance": 1.5})  # fmt: skip
    r2 = ReportFactory(story=story, published_at=at(20, 8, 40), tone_score=0.1,
                       tone_label="neutral", dimensions={"governance": 0.5,
                                                         "tourism": 1.0})  # fmt: skip
    r3 = ReportFactory(story=story, published_at=at(20, 9, 5), tone_score=0.3,
                       tone_label="positive", dimensions={})  # fmt: skip
    r4 = ReportFactory(story=story, published_at=at(20, 11, 30), tone_score=None, tone_label="")
    story.dimensions = {"governance": 2.0, "tourism": 1.0}
    story.save()
    # Lâm Đồng by today's name, by a former unit's name (Đắk Nông) and, in older data, by the
    # former unit's slug: all three are one province today
    mention(r1, "unit", "lam-dong", "Lâm Đồng")
    mention(r1, "unit", "lam-dong", "Lâm Đồng")  # the same report twice: still one report
    mention(r2, "unit", "lam-dong", "Đắk Nông", former=True)
    mention(r3, "unit", "dak-nong", "Dak Nong")
    mention(r4, "unit", "hai-phong", "Hải Dương", former=True)
    mention(r1, "country", "VN", "Vietnam")
    mention(r2, "country", "VN", "Viet Nam")
    mention(r2, "country", "LA", "Laos")
    mention(r3, "place", "da-lat", "Đà Lạt")
    mention(r3, "person", "x", "Someone")
    return story


def test_tone_is_bucketed_by_hour_with_empty_hours_kept(story: Story) -> None:
    series = story_tone_series(story=story)
    assert series["totals"]["bucket"] == "hour"
    assert [r["bucket"][:16] for r in series["rows"]] == [
        "2026-11-20T08:00", "2026-11-20T09:00", "2026-11-20T10:00", "2026-11-20T11:00",
    ]  # fmt: skip
    assert [r["reports"] for r in series["rows"]] == [2, 1, 0, 1]
    assert series["rows"][0]["mean_tone"] == pytest.approx(-0.2)
    assert series["rows"][0]["pct_negative"] == 50.0
    assert series["rows"][2]["mean_tone"] is None
    assert series["rows"][3]["mean_tone"] is None  # a report without tone counts, no tone
    assert series["totals"]["reports"] == 4
    assert series["totals"]["mean_tone"] == pytest.approx(-0.0333, abs=1e-4)


def test_older_stories_are_bucketed_by_day() -> None:
    story = StoryFactory(first_seen_at=at(1, 23))
    ReportFactory(story=story, published_at=at(1, 23, 30), tone_score=0.5)
    ReportFactory(story=story, published_at=at(6, 0, 30), tone_score=-0.5)
    series = story_tone_series(story=story)
    assert series["totals"]["bucket"] == "day"
    assert [r["bucket"][:10] for r in series["rows"]] == [
        "2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06",
    ]  # fmt: skip
    assert [r["reports"] for r in series["rows"]] == [1, 0, 0, 0, 0, 1]


def test_a_story_without_dated_reports_has_an_empty_series() -> None:
    story = StoryFactory()
    assert story_tone_series(story=story)["rows"] == []


def test_provinces_roll_former_units_up_and_count_reports(story: Story) -> None:
    places = story_places(story=story)
    provinces = {p["slug"]: p for p in places["provinces"]}
    assert list(provinces) == ["lam-dong", "hai-phong"]  # most reports first
    assert provinces["lam-dong"]["reports"] == 3
    assert provinces["lam-dong"]["name"] == "Lâm Đồng"
    assert provinces["lam-dong"]["former_names"] == ["Dak Nong", "Đắk Nông"]
    assert provinces["hai-phong"]["reports"] == 1
    assert provinces["hai-phong"]["former_names"] == ["Hải Dương"]
    assert [(c["key"], c["reports"]) for c in places["countries"]] == [("VN", 2), ("LA", 1)]
    assert [(p["key"], p["names"]) for p in places["places"]] == [("da-lat", ["Đà Lạt"])]


def test_dimensions_count_tagged_reports_and_keep_the_story_score(story: Story) -> None:
    assert story_dimensions(story=story) == [
        {"key": "governance", "reports": 2, "score": 2.0},
        {"key": "tourism", "reports": 1, "score": 1.0},
    ]


def test_tone_endpoint_gives_json_and_a_csv_download(client: Client, analyst, story) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    data = client.get(f"/theo-doi/cau-chuyen/{story.pk}/sac-thai/").json()
    assert data["columns"] == ["bucket", "reports", "mean_tone", "pct_positive", "pct_negative"]
    assert len(data["rows"]) == 4
    response = client.get(f"/theo-doi/cau-chuyen/{story.pk}/sac-thai/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"story-{story.pk}-tone-by-hour.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == data["columns"]
    assert [r[1] for r in rows[1:]] == ["2", "1", "0", "1"]
    assert client.get("/theo-doi/cau-chuyen/999999/sac-thai/").status_code == 404


def test_tone_endpoint_needs_a_login(client: Client, story: Story) -> None:
    response = client.get(f"/theo-doi/cau-chuyen/{story.pk}/sac-thai/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "vi",
            [
                "Địa danh được nhắc đến",
                "Tên cũ được nhắc",
                "Lâm Đồng",
                "Đắk Nông",
                "Quản trị",
                "Du lịch",
                "Lào",
            ],
        ),
        (
            "en",
            [
                "Places mentioned",
                "Former names mentioned",
                "Lam Dong",
                "Đắk Nông",
                "Governance",
                "Tourism",
                "Laos",
            ],
        ),
    ],  # fmt: skip
)
def test_story_page_shows_tone_places_and_dimensions(  # type: ignore[no-untyped-def]
    client: Client, analyst, story, language, expected
) -> None:
    login(client, analyst)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get(f"/theo-doi/cau-chuyen/{story.pk}/").content.decode()
    for text in expected:
        assert text in html, text
    assert f'data-src="/theo-doi/cau-chuyen/{story.pk}/sac-thai/"' in html
    assert f"/theo-doi/cau-chuyen/{story.pk}/sac-thai/?format=csv" in html
    assert 'id="measure-strings"' in html and "dashboard.js" in html
