"""The morning overview: figures against the previous period (the indicators' own numbers),
rising stories, the map's drill-down, tiles that other modules register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.factories import PASSWORD, ReportFactory, SourceFactory, StoryFactory
from tests.measure.conftest import PERIOD, world  # noqa: F401 - the shared hand-countable world
from ttdn.measure.filters import filters_parse
from ttdn.measure.overview import country_outlet_list, overview_figures, story_rising_list
from ttdn.web import tiles
from ttdn.web.tiles import Tile, TileValue

pytestmark = pytest.mark.django_db


def test_figures_against_the_previous_week(world) -> None:  # noqa: F811
    figures = {f.key: f for f in overview_figures(days=7, today=dt.date(2025, 3, 16))}
    # 10-16 March: r4, r5, r6 about Viet Nam (r7 is not); 3-9 March: r1, r2, r3
    assert (figures["reports"].value, figures["reports"].previous) == (3, 3)
    assert figures["reports"].direction == "flat" and figures["reports"].change_pct == 0
    assert (figures["stories"].value, figures["stories"].previous) == (2, 2)
    assert figures["mean_tone"].value == pytest.approx((-0.2 + 0.0 + 0.3) / 3, abs=1e-3)
    assert figures["mean_tone"].previous == pytest.approx((0.5 + 0.5 - 0.4) / 3, abs=1e-3)
    assert figures["mean_tone"].direction == "down" and figures["mean_tone"].tendency == "bad"
    assert figures["pct_negative"].value == pytest.approx(33.33, abs=0.01)
    # share of voice counts every stored report: VN in r5, r6; TH in r4, r7; CN r5; SG r7
    assert figures["share_pct"].value == pytest.approx(100 * 2 / 6, abs=0.01)
    assert figures["share_pct"].scope == "all" and figures["reports"].scope == "country"


def test_empty_previous_period_says_so(world) -> None:  # noqa: F811
    figures = {f.key: f for f in overview_figures(days=1, today=dt.date(2025, 3, 12))}
    assert figures["reports"].value == 1 and figures["reports"].previous == 0
    assert figures["reports"].change_pct is None and figures["reports"].change == 1


def _story_with(hours_ago: list[float], *, title: str, country: str = "GB", lang: str = "en"):
    now = timezone.now()
    story = StoryFactory(title=title, language=lang)
    source = SourceFactory(country=country)
    for h in hours_ago:
        ReportFactory(
            story=story,
            source=source,
            language=lang,
            published_at=now - dt.timedelta(hours=h),
            is_relevant=True,
            tone_score=-0.5,
            tone_label="negative",
        )
    return story


def test_rising_stories_rank_by_last_24_hours_with_growth_and_sparkline(db) -> None:
    steady = _story_with([1, 2, 30, 31, 32, 33], title="Steady")
    rising = _story_with([0.5, 1.5, 2.5, 23.5], title="Rising", country="FR", lang="fr")
    _story_with([40, 41], title="Yesterday only")
    rows = story_rising_list()
    assert [r["story"].pk for r in rows] == [rising.pk, steady.pk]
    top = rows[0]
    assert (top["recent"], top["earlier"], top["growth"]) == (4, 0, 4)
    assert rows[1]["growth"] == 2 - 4
    assert sum(top["hours"]) == 4 and len(top["hours"]) == 24 and top["hours"][0] == 1
    assert top["languages"] == ["fr"] and top["countries"] == ["FR"]
    assert top["mean_tone"] == pytest.approx(-0.5)


def test_country_drill_down_lists_outlets_and_their_stories(world) -> None:  # noqa: F811
    outlets = country_outlet_list(country="gb", filters=filters_parse(PERIOD))
    assert len(outlets) == 1
    daily = outlets[0]
    assert daily["source"].name == "Daily Planet"
    assert (daily["reports"], daily["stories"]) == (2, 2)  # r1, r5 (r7 is not about VN)
    assert {s["story"].title for s in daily["top_stories"]} == {
        "Tourists flock to Da Lat",
        "Exports from Hanoi rise",
    }


def test_overview_is_the_first_page_after_login_in_both_languages(client: Client, analyst) -> None:
    rising = _story_with([1, 2], title="Hội An lantern festival draws crowds")
    response = client.post("/dang-nhap/", {"username": analyst.username, "password": PASSWORD})
    assert response["Location"] == "/tong-quan/"
    page = client.get("/tong-quan/").content.decode()
    assert "Tổng quan buổi sáng" in page and "Lượng tin về Việt Nam" in page
    assert f'data-story="{rising.pk}"' in page and '<svg class="sparkline"' in page
    assert 'data-key="alerts.unread"' in page  # the alerts app registered its tile
    assert "Phạm vi đếm" in page and "/do-luong/dinh-nghia/#pham-vi" in page
    assert client.get("/nen-tang/").status_code == 200
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/tong-quan/", {"ky": "30"}).content.decode()
    assert "Morning overview" in page and "Rising in the last 24 hours" in page
    assert "Negative" in page  # the rising story's tone, in words
    assert "Tổng quan" not in page
    drill = client.get("/do-luong/tong-quan/quoc-gia/gb/").content.decode()
    assert "United Kingdom" in drill and rising.title in drill


def test_tiles_show_only_when_a_module_gives_a_value(client: Client, analyst) -> None:
    def boom(user: object) -> TileValue:
        raise RuntimeError("broken module")

    tiles.tile_register(Tile(key="test.none", title="Never", value=lambda user: None))
    tiles.tile_register(Tile(key="test.broken", title="Broken", value=boom))
    tiles.tile_register(
        Tile(key="test.cases", title="Hồ sơ đang mở", value=lambda user: TileValue(value=3))
    )
    try:
        login(client, analyst)
        page = client.get("/tong-quan/").content.decode()
        assert 'data-key="test.cases"' in page and "Hồ sơ đang mở" in page
        assert "test.none" not in page and "test.broken" not in page
    finally:
        for key in ("test.none", "test.broken", "test.cases"):
            tiles._TILES.pop(key, None)


def test_overview_periods_equal_what_the_filter_form_gives(db) -> None:
    """The overview builds its periods without the request form (whose choices cost a
    query and a sort); they must be the filters the form would have validated."""
    from ttdn.measure.overview import period_filters

    today = dt.date(2026, 3, 1)  # a leap-free month edge: the previous week crosses it
    for days in (1, 7, 30):
        for made in period_filters(days, today):
            assert made.date_from is not None and made.date_to is not None
            params = {
                "date_from": made.date_from.isoformat(),
                "date_to": made.date_to.isoformat(),
                "bucket": "day",
            }
            assert made == filters_parse(params)
            assert (made.date_to - made.date_from).days == days - 1
