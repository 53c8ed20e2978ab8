"""The story list as a working tool: columns, filters (language included), sort orders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.factories import ReportFactory, SourceFactory, StoryFactory
from tests.measure.conftest import world  # noqa: F401 - the shared hand-countable world
from ttdn.monitor.models import PlaceMention
from ttdn.monitor.services import story_facets_refresh
from ttdn.monitor.story_table import story_filters_parse, story_table
from ttdn.web.labels import cut_at_word

pytestmark = pytest.mark.django_db


def _ids(client: Client, **params: str) -> list[int]:
    data = client.get("/theo-doi/", params, HTTP_ACCEPT="application/json").json()
    return [s["id"] for s in data["stories"]]


def test_filters_work_each_alone(client: Client, analyst, world) -> None:  # noqa: F811
    st1, st2, st3 = (world.stories[k] for k in ("st1", "st2", "st3"))
    for story, tone in ((st1, 0.5), (st2, -0.3), (st3, 0.1)):
        story.tone_mean = tone
        story.dimensions = {"tourism": 1.0} if story is st1 else {"exports": 1.0}
        story.save()
    login(client, analyst)
    assert set(_ids(client)) == {st1.pk, st2.pk, st3.pk}
    assert _ids(client, lang="fr") == [st2.pk]
    assert set(_ids(client, country="GB")) == {st1.pk, st3.pk}
    assert _ids(client, country="US") == [st1.pk]
    assert _ids(client, tone="negative") == [st2.pk]
    assert _ids(client, tone="neutral") == [st3.pk]
    assert _ids(client, place="TH") == [st2.pk]
    assert set(_ids(client, place="lam-dong")) == {st1.pk, st3.pk}
    assert _ids(client, dimension="tourism") == [st1.pk]
    assert _ids(client, period="1") == []  # the world is in March 2025
    # a bad value is ignored rather than breaking the page
    assert set(_ids(client, lang="<script>", tone="awful")) == {st1.pk, st2.pk, st3.pk}


def test_columns_and_sorting(client: Client, analyst, world) -> None:  # noqa: F811
    now = timezone.now()
    hot = StoryFactory(title="Hot story", last_seen_at=now, first_seen_at=now)
    source = SourceFactory(country="JP")
    for h in (1, 2, 3):
        ReportFactory(story=hot, source=source, published_at=now - dt.timedelta(hours=h))
    hot.report_count = 3
    hot.save()
    rows = story_table(story_filters_parse({"sort": "reports"}), now=now)
    assert [s.report_count for s, _c in rows] == sorted(
        (s.report_count for s, _c in rows), reverse=True
    )
    growth = story_table(story_filters_parse({"sort": "growth"}), now=now)
    assert growth[0][0] == hot and growth[0][1]["growth"] == 3
    columns = dict((s.pk, c) for s, c in story_table(story_filters_parse({}), now=now))
    st1 = world.stories["st1"]
    assert columns[st1.pk]["countries"] == ["GB", "US"]
    assert {(p["kind"], p["key"]) for p in columns[st1.pk]["places"]} >= {("country", "VN")}
    login(client, analyst)
    page = client.get("/theo-doi/", {"sort": "growth"}).content.decode()
    assert 'aria-sort="descending"><a href="?sort=growth"' in page
    assert "Nhật Bản" in page  # the outlet country by name


def test_language_filter_in_english_and_titles_cut_at_words(client: Client, analyst, world) -> None:  # noqa: F811
    login(client, analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/theo-doi/", {"lang": "fr"}).content.decode()
    assert '<option value="fr" selected>French</option>' in page
    assert "Réforme administrative" in page and "Tourists flock" not in page
    assert "Counted: every collected report" in page
    long = "Viet Nam " + "infrastructure " * 20
    cut = cut_at_word(long, 60)
    assert len(cut) <= 60 and cut.endswith("…") and cut[:-1].split()[-1] in long.split()


def test_place_filter_counts_former_units_too(world) -> None:  # noqa: F811
    # r2 names Đắk Nông (a former unit, now part of Lâm Đồng) by its old slug
    PlaceMention.objects.filter(key="lam-dong").delete()
    story_facets_refresh()
    rows = story_table(story_filters_parse({"place": "lam-dong"}))
    assert [s.pk for s, _c in rows] == [world.stories["st1"].pk]


def test_story_page_says_why_it_matters(client: Client, analyst, world) -> None:  # noqa: F811
    from ttdn.monitor.models import CrossLingualStory

    st1, st2 = world.stories["st1"], world.stories["st2"]
    family = CrossLingualStory.objects.create(title="family")
    for story in (st1, st2):
        story.crosslingual = family
        story.save()
    r1 = world.reports["r1"]
    r1.country_tone_score = -0.6
    r1.save()
    login(client, analyst)
    page = client.get(f"/theo-doi/cau-chuyen/{st1.pk}/").content.decode()
    assert "Vì sao đáng chú ý" in page
    # reach over the family: outlets gb, us, fr; countries GB, US, FR; languages en, fr
    assert "3 cơ quan báo chí ở 3 quốc gia, bằng 2 ngôn ngữ" in page
    assert "Tiêu cực (-0,60, 1 bài nhắc đến Việt Nam)" in page
    assert "r8 title" in page and "r2 title" in page  # first (20 Feb) and latest (4 March)
    assert "Réforme administrative au Vietnam" in page  # the family
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/theo-doi/cau-chuyen/{st1.pk}/").content.decode()
    assert "Why it matters" in page and "3 outlets in 3 countries, in 2 languages" in page
    assert "Negative (-0.60, 1 report naming Viet Nam)" in page


def test_filters_read_the_story_facets_kept_by_the_pipeline(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A story stored by the pipeline carries its outlet countries and places (what the
    list's country and place filters read), equal to a recount from its reports; a source
    that changes country moves its stories with it."""
    from ttdn.monitor.models import Story
    from ttdn.monitor.runtime import MonitorRuntime
    from ttdn.monitor.services import article_store
    from ttdn.pipeline.types import Article

    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    source = SourceFactory(country="GB")
    article = Article(
        url="https://news.example/facets/1",
        title="Viet Nam coffee exports rise",
        text="Officials in Hanoi said Viet Nam exported record coffee from Lâm Đồng this year.",
        published=timezone.now() - dt.timedelta(hours=1),
        language_hint="en",
    )
    report = article_store(article=article, source=source, runtime=MonitorRuntime())
    assert report is not None and report.story_id is not None
    story = Story.objects.get(pk=report.story_id)
    assert story.countries == {"GB": 1}
    assert {"VN", "lam-dong"} <= set(story.places)
    kept = (story.countries, story.places)
    story_facets_refresh(ids=[story.pk])
    story.refresh_from_db()
    assert (story.countries, story.places) == kept
    assert [s.pk for s, _c in story_table(story_filters_parse({"country": "GB"}))] == [story.pk]
    assert [s.pk for s, _c in story_table(story_filters_parse({"place": "lam-dong"}))] == [story.pk]
    assert story_table(story_filters_parse({"country": "FR"})) == []
    source.country = "FR"
    source.save()
    story.refresh_from_db()
    assert story.countries == {"FR": 1}
    assert [s.pk for s, _c in story_table(story_filters_parse({"country": "FR"}))] == [story.pk]
    source.delete()
    story.refresh_from_db()
    assert story.countries == {}


def test_columns_read_the_story_and_its_last_two_days_only(client: Client, analyst) -> None:
    """The columns of a big old story cost what a small one costs: places and countries are
    the story's own counts, languages its language, growth its last 48 hours of reports
    through the story-and-time index (sorted by size, the largest stories of a million
    reports used to read every one of their reports and mentions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ttdn.monitor.story_table import story_columns

    now = timezone.now()
    big = StoryFactory(
        title="Big old story", language="fr", first_seen_at=now - dt.timedelta(days=90)
    )
    source = SourceFactory(country="FR")
    for days in range(30):  # a month of old reports, each naming Viet Nam and Lâm Đồng
        report = ReportFactory(story=big, source=source, language="fr",
                               published_at=now - dt.timedelta(days=days + 3))  # fmt: skip
        PlaceMention.objects.bulk_create(
            PlaceMention(report=report, kind=kind, key=key, alias=key, start=0, end=1)
            for kind, key in (("country", "VN"), ("unit", "lam-dong"))
        )
    for hours in (1, 2, 30):
        ReportFactory(story=big, source=source, language="fr",
                      published_at=now - dt.timedelta(hours=hours))  # fmt: skip
    story_facets_refresh(ids=[big.pk])
    big.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        columns = story_columns([big], now=now)[big.pk]
    assert len(captured.captured_queries) == 1
    assert columns["countries"] == ["FR"] and columns["languages"] == ["fr"]
    assert [(p["kind"], p["key"], p["reports"]) for p in columns["places"]] == [
        ("country", "VN", 30),
        ("unit", "lam-dong", 30),
    ]
    assert (columns["recent"], columns["earlier"], columns["growth"]) == (2, 1, 1)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "report_story_time_idx" in plan, plan
    login(client, analyst)
    page = client.get("/theo-doi/", {"sort": "reports"}).content.decode()
    assert "Lâm Đồng" in page and "Việt Nam" in page  # the places, named
