"""Daily roll-ups give exactly the numbers of the exact queries, and are kept and used only
when they account for every stored report.

Each comparison computes an indicator twice on the same data: with the roll-ups current
(rebuilt, or added report by report as the pipeline does) and with them switched off, and
requires the two results to be equal, rows, order and totals alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ReportFactory, SourceFactory, StoryFactory
from tests.measure.conftest import PERIOD, World, local
from ttdn.measure import indicators, rollups
from ttdn.measure.filters import filters_parse
from ttdn.measure.indicators import indicator_compute
from ttdn.measure.models import (
    DimensionRollup,
    MentionRollup,
    ReportRollup,
    RollupState,
    StoryCountryRollup,
    StoryRollup,
)
from ttdn.measure.services import rollups_add_report, rollups_add_reports, rollups_rebuild
from ttdn.monitor.models import PlaceMention, Report

pytestmark = pytest.mark.django_db

ROLLUP_MODELS = (ReportRollup, DimensionRollup, MentionRollup, StoryRollup, StoryCountryRollup)

# (indicator, filters) the roll-ups answer; each must also be answered by the exact queries
ANSWERED: list[tuple[str, dict[str, str]]] = [
    ("volume", {}),
    ("volume", {"bucket": "day"}),
    ("volume", {"bucket": "month"}),
    ("volume", {"language": "fr"}),
    ("volume", {"language": "en", "bucket": "day"}),
    # partial first and last weeks / months: story counts from the day rows
    ("volume", {"date_from": "2025-03-05", "date_to": "2025-03-12"}),
    ("volume", {"date_from": "2025-02-15", "date_to": "2025-03-10", "bucket": "month"}),
    ("volume", {"date_from": "2025-03-10", "date_to": "2025-03-10", "bucket": "day"}),
    ("volume", {"date_from": "2025-03-09", "date_to": "2025-03-09", "bucket": "week"}),
    ("share_of_voice", {}),
    ("share_of_voice", {"language": "en"}),
    ("share_of_voice", {"country": "FR"}),
    ("share_of_voice", {"source_kind": "domestic"}),
    ("share_of_voice", {"tone": "negative"}),
    ("share_of_voice", {"date_from": "2025-03-10", "date_to": "2025-03-16"}),
    ("tone", {}),
    ("tone", {"bucket": "day"}),
    ("tone", {"group_by": "language"}),
    ("tone", {"group_by": "language", "country": "GB"}),
    ("tone", {"group_by": "country", "language": "en"}),
    ("tone", {"group_by": "country", "tone": "positive"}),
    ("tone", {"group_by": "country", "source_kind": "international"}),
    ("tone", {"group_by": "dimension"}),
    ("tone", {"group_by": "dimension", "bucket": "day"}),
    ("tone", {"group_by": "dimension", "language": "fr"}),
    ("tone", {"group_by": "dimension", "dimension": "tourism"}),
    ("tone", {"group_by": "country", "dimension": "tourism"}),
    ("tone", {"group_by": "language", "dimension": "governance", "language": "fr"}),
    ("tone", {"date_from": "2025-03-10", "date_to": "2025-03-10", "bucket": "day"}),
    # the overview's map: reports, tone and distinct stories per outlet country
    ("coverage_by_country", {}),
    ("coverage_by_country", {"bucket": "day"}),
    ("coverage_by_country", {"bucket": "month"}),
    ("coverage_by_country", {"language": "en"}),
    ("coverage_by_country", {"country": "GB"}),
    ("coverage_by_country", {"language": "fr", "country": "FR"}),
    ("coverage_by_country", {"date_from": "2025-03-05", "date_to": "2025-03-12"}),
    (
        "coverage_by_country",
        {"date_from": "2025-02-15", "date_to": "2025-03-10", "bucket": "month"},
    ),
    ("coverage_by_country", {"date_from": "2025-03-10", "date_to": "2025-03-10", "bucket": "day"}),
]

# filters the roll-ups do not hold: the exact queries answer, the same way as before
NOT_ANSWERED: list[tuple[str, dict[str, str]]] = [
    ("volume", {"country": "GB"}),
    ("volume", {"dimension": "tourism"}),
    ("volume", {"tone": "positive"}),
    ("volume", {"province": "lam-dong"}),
    ("share_of_voice", {"dimension": "tourism"}),
    ("share_of_voice", {"language": "en", "country": "GB"}),
    ("tone", {"group_by": "country", "language": "en", "source_kind": "international"}),
    ("tone", {"group_by": "country", "tone": "positive", "source_kind": "international"}),
    ("tone", {"group_by": "dimension", "language": "en", "country": "GB"}),
    ("tone", {"province": "lam-dong"}),
    ("coverage_by_country", {"tone": "negative"}),
    ("coverage_by_country", {"source_kind": "domestic"}),
    ("coverage_by_country", {"dimension": "tourism"}),
    ("coverage_by_country", {"province": "lam-dong"}),
]

ROLLUP_FUNCTIONS = {
    "volume": lambda f: indicators._volume_rollup(f),
    "share_of_voice": lambda f: indicators._share_rollup(f, indicators.peer_countries()),
    "tone": lambda f: indicators._tone_rollup(f),
    "coverage_by_country": lambda f: indicators._coverage_rollup(f),
}


def _params(extra: dict[str, str]) -> dict[str, str]:
    return {**PERIOD, **extra}


def _exact(key: str, params: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as m:
        m.setattr(rollups, "rollups_current", lambda: False)
        return indicator_compute(key, filters_parse(params)).as_dict()


def _compare(key: str, params: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    filters = filters_parse(params)
    assert ROLLUP_FUNCTIONS[key](filters) is not None, f"{key} {params}: roll-ups not used"
    with_rollups = indicator_compute(key, filters).as_dict()
    assert with_rollups == _exact(key, params, monkeypatch), f"{key} {params}"


def _snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every roll-up row without its id (tone sums rounded: float addition order differs)."""
    out = {}
    for model in ROLLUP_MODELS:
        names = [f.name for f in model._meta.fields if f.name != "id"]
        out[model.__name__] = {
            tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in model.objects.values_list(*names)
        }
    return out


def _extras(world: World) -> None:
    """Edge cases beyond the hand-counted world: a report without a source and one from a
    source without a country (one "" group), a report naming the same country twice, a
    report at the very first and very last instant of a local day, and an untoned report."""
    blank = SourceFactory(name="No Country", country="")
    edge_story = StoryFactory(title="Edge of the day", first_seen_at=local(10, 0))
    first = ReportFactory(
        title="midnight",
        source=None,
        story=edge_story,
        published_at=local(10, 0, 0),
        tone_score=0.25,
        tone_label="positive",
        dimensions={"tourism": 0.5, "exports": 0.5},
    )
    last = ReportFactory(
        title="one microsecond to midnight",
        source=blank,
        story=edge_story,
        published_at=local(9, 23, 59) + dt.timedelta(seconds=59, microseconds=999_999),
        tone_score=-0.75,
        tone_label="negative",
    )
    untoned = ReportFactory(
        title="no tone",
        source=world.sources["gb"],
        story=world.stories["st3"],
        published_at=local(15, 12),
        tone_score=None,
        tone_label="",
        duplicate_of=world.reports["r5"],
    )
    for report, places in (
        (first, [("country", "VN"), ("country", "VN"), ("country", "TH")]),
        (last, [("country", "CN"), ("unit", "lam-dong")]),
        (untoned, [("country", "VN")]),
    ):
        PlaceMention.objects.bulk_create(
            PlaceMention(report=report, kind=kind, key=key, alias=key, start=0, end=1)
            for kind, key in places
        )


@pytest.fixture
def rebuilt(world: World) -> World:
    _extras(world)
    rollups_rebuild()
    return world


@pytest.mark.parametrize(("key", "extra"), ANSWERED)
def test_rollups_give_the_exact_numbers(rebuilt, key, extra, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _compare(key, _params(extra), monkeypatch)


@pytest.mark.parametrize(
    "extra",
    [{}, {"bucket": "day"}, {"bucket": "month"}, {"language": "fr"}, {"dimension": "tourism"}],
)
def test_tone_not_split_gives_the_exact_numbers(rebuilt, extra, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """group_by=TONE_ALL, the national tone line of a periodic report (not a form value)."""
    filters = replace(filters_parse(_params(extra)), group_by=indicators.TONE_ALL)
    assert indicators._tone_rollup(filters) is not None
    with_rollups = indicator_compute("tone", filters).as_dict()
    with monkeypatch.context() as m:
        m.setattr(rollups, "rollups_current", lambda: False)
        exact = indicator_compute("tone", filters).as_dict()
    assert with_rollups == exact
    assert {r["group"] for r in exact["rows"]} == {""}
    assert sum(r["reports"] for r in exact["rows"]) == exact["totals"]["reports"]


@pytest.mark.parametrize(("key", "extra"), NOT_ANSWERED)
def test_filters_outside_the_rollups_fall_back(rebuilt, key, extra, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    filters = filters_parse(_params(extra))
    assert ROLLUP_FUNCTIONS[key](filters) is None
    assert indicator_compute(key, filters).as_dict() == _exact(key, _params(extra), monkeypatch)


def test_hand_counted_numbers_from_the_rollups(rebuilt) -> None:  # type: ignore[no-untyped-def]
    """The world's numbers (conftest) plus the extras, read from the roll-ups."""
    assert rollups.rollups_current()
    volume = indicator_compute("volume", filters_parse({**PERIOD, "bucket": "day"}))
    by_day = {r["bucket"]: r for r in volume.rows}
    # the last microsecond of Sunday 9 is Sunday; midnight and r4 (00:30) are Monday 10
    assert (by_day["2025-03-09"]["reports"], by_day["2025-03-10"]["reports"]) == (2, 2)
    assert (by_day["2025-03-09"]["stories"], by_day["2025-03-10"]["stories"]) == (2, 2)
    # r2 is a copy of r1, "no tone" a copy of r5: all reports vs unique reports
    assert volume.totals == {"reports": 9, "unique_reports": 7, "stories": 4}
    share = {
        r["country"]: r for r in indicator_compute("share_of_voice", filters_parse(PERIOD)).rows
    }
    # "midnight" names VN twice: counted once
    assert share["VN"]["reports"] == 7 and share["VN"]["unique_reports"] == 5
    assert share["TH"]["reports"] == 4
    tone = indicator_compute("tone", filters_parse({**PERIOD, "group_by": "country"}))
    groups = {r["group"] for r in tone.rows}
    assert "" in groups  # no source and no country: one group
    assert tone.totals["reports"] == 8  # toned relevant reports in the period


def test_rollups_added_report_by_report_equal_the_rebuild(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What the pipeline adds per report (in `_report_save`) is what a rebuild computes."""
    _extras(world)
    for model in ROLLUP_MODELS:
        model.objects.all().delete()
    RollupState.objects.all().delete()
    assert not rollups.rollups_current()
    for report in Report.objects.select_related("source").order_by("id"):
        rollups_add_report(report)
    assert rollups.rollups_current()
    added = _snapshot()
    assert RollupState.objects.get().reports == Report.objects.count()
    rollups_rebuild()
    assert _snapshot() == added
    for key, extra in ANSWERED[:3]:
        _compare(key, _params(extra), monkeypatch)


def test_rollups_added_a_chunk_at_a_time_equal_the_rebuild(world: World) -> None:
    """The story consumer adds a chunk of reports in one call: the same rows as a rebuild,
    in one statement per table, even when the chunk's reports share roll-up rows."""
    _extras(world)
    for model in ROLLUP_MODELS:
        model.objects.all().delete()
    RollupState.objects.all().delete()
    reports = list(Report.objects.select_related("source").order_by("id"))
    assert len(reports) > 3
    with CaptureQueriesContext(connection) as queries:
        rollups_add_reports(reports[:3])
    # the places of all three in one query, then at most one statement per table + state
    assert len(queries) <= 1 + len(ROLLUP_MODELS) + 1
    rollups_add_reports(reports[3:])
    assert rollups.rollups_current()
    assert RollupState.objects.get().reports == len(reports)
    added = _snapshot()
    rollups_rebuild()
    assert _snapshot() == added


def test_adding_twice_increments(world: World) -> None:
    """The upsert adds to an existing row (two workers storing reports of the same day)."""
    rollups_rebuild()
    r1 = world.reports["r1"]
    day = rollups.report_day(r1.published_at)
    row = ReportRollup.objects.get(grouping=0, day=day, is_relevant=True)
    before = (row.reports, row.unique_reports, row.toned, row.tone_sum, row.positive)
    rollups_add_report(r1)
    rollups_add_report(r1)
    row.refresh_from_db()
    assert (row.reports, row.unique_reports, row.toned, row.positive) == (
        before[0] + 2,
        before[1] + 2,
        before[2] + 2,
        before[4] + 2,
    )
    assert row.tone_sum == pytest.approx(before[3] + 1.0)


def test_reports_written_around_the_pipeline_make_indicators_fall_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rollups_rebuild()
    filters = filters_parse(PERIOD)
    assert indicators._volume_rollup(filters) is not None
    ReportFactory(source=world.sources["gb"], published_at=local(5, 12), story=None)
    assert not rollups.rollups_current()
    assert indicators._volume_rollup(filters) is None
    # the exact numbers, which include the new report
    assert indicator_compute("volume", filters).totals["reports"] == 7
    rollups_rebuild()
    assert indicators._volume_rollup(filters) is not None
    assert indicator_compute("volume", filters).totals["reports"] == 7


def test_changing_a_source_country_marks_them_stale(world: World) -> None:
    rollups_rebuild()
    source = world.sources["fr"]
    source.name = "Renamed"
    source.save()
    assert rollups.rollups_current()  # the name is not rolled up
    source.country = "BE"
    source.save()
    assert not rollups.rollups_current()
    rollups_rebuild()
    assert rollups.rollups_current()
    coverage = indicator_compute("share_of_voice", filters_parse({**PERIOD, "country": "BE"}))
    assert coverage.totals["peer_mentions"] == 3  # r3 (VN, TH) and r4 (TH)


def test_another_time_zone_falls_back(rebuilt) -> None:  # type: ignore[no-untyped-def]
    filters = filters_parse(PERIOD)
    assert indicators._volume_rollup(filters) is not None
    with timezone.override("UTC"):
        assert indicators._volume_rollup(filters) is None


def test_open_ended_period_falls_back(rebuilt) -> None:  # type: ignore[no-untyped-def]
    filters = filters_parse({"date_from": PERIOD["date_from"]}, require_period=False)
    assert filters.date_to is None
    assert indicators._volume_rollup(filters) is None


def test_rebuild_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("rollups_rebuild")
    out = capsys.readouterr().out
    assert '"reports": 8' in out
    assert rollups.rollups_current()
    # one row per day with a report in the all-columns set, relevant or not
    days = {(rollups.report_day(r.published_at), r.is_relevant) for r in Report.objects.all()}
    assert ReportRollup.objects.filter(grouping=0).count() == len(days)


def test_upsert_sql_runs_on_this_database() -> None:
    """ON CONFLICT … DO UPDATE needs SQLite ≥ 3.24 or PostgreSQL ≥ 9.5."""
    if connection.vendor == "sqlite":
        assert connection.Database.sqlite_version_info >= (3, 24)
    RollupState.objects.all().delete()
    report = ReportFactory(published_at=local(5, 9), tone_score=None, tone_label="")
    rollups_add_report(report)
    assert RollupState.objects.get().reports == 1
    assert rollups.rollups_current()


def test_article_stored_by_the_pipeline_is_rolled_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook in monitor's `_report_save`: a report stored by the pipeline is in the
    roll-ups in the same transaction, so the indicators keep using them."""
    from ttdn.monitor.runtime import MonitorRuntime
    from ttdn.monitor.services import article_store
    from ttdn.pipeline.types import Article

    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    rollups_rebuild()
    article = Article(
        url="https://news.example/rollups/1",
        title="Viet Nam coffee exports rise",
        text="Officials in Hanoi said Viet Nam exported record coffee from Lâm Đồng this year.",
        published=timezone.now() - dt.timedelta(hours=1),
        language_hint="en",
    )
    report = article_store(
        article=article, source=SourceFactory(country="GB"), runtime=MonitorRuntime()
    )
    assert report is not None
    assert rollups.rollups_current()
    day = rollups.report_day(report.published_at)
    assert (
        ReportRollup.objects.get(grouping=0, day=day, is_relevant=report.is_relevant).reports == 1
    )
    assert StoryRollup.objects.filter(kind="day", start=day, story_id=report.story_id).exists()


def test_rollup_state_is_read_once_inside_a_checked_block(rebuilt) -> None:  # type: ignore[no-untyped-def]
    """The overview's six headline indicators ask whether the roll-ups are current once, and
    a report stored after the block is seen by the next check (nothing is kept outside)."""

    def state_reads(captured: CaptureQueriesContext) -> int:
        return sum("measure_rollupstate" in q["sql"] for q in captured.captured_queries)

    with CaptureQueriesContext(connection) as outside:
        assert rollups.rollups_current() and rollups.rollups_current()
    assert state_reads(outside) == 2
    with CaptureQueriesContext(connection) as inside, rollups.rollups_checked_once():
        assert all(rollups.rollups_current() for _ in range(6))
    assert state_reads(inside) == 1
    ReportFactory()  # not rolled up: the roll-ups are no longer current
    assert rollups.rollups_current() is False


def test_hand_counted_stories_per_outlet_country(rebuilt) -> None:  # type: ignore[no-untyped-def]
    """The map's distinct stories per outlet country, read from the roll-ups: GB has r1
    (st1) and r5 (st3), FR r3 and r4 (both st2); the edge reports without a source and from
    a source without a country are one "" group (one story, "Edge of the day")."""
    filters = filters_parse(PERIOD)
    assert indicators._coverage_rollup(filters) is not None
    rows = {r["country"]: r for r in indicator_compute("coverage_by_country", filters).rows}
    assert {c: (r["reports"], r["stories"]) for c, r in rows.items()} == {
        "GB": (3, 2),  # r1, r5 and the untoned copy of r5 (st3)
        "FR": (2, 1),
        "US": (1, 1),
        "VN": (1, 1),
        "": (2, 1),
    }
    assert rows["GB"]["unique_reports"] == 2 and rows["US"]["unique_reports"] == 0


def test_deleting_a_report_or_a_story_keeps_the_numbers_exact(rebuilt, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A report deleted below the newest leaves the newest id as it was, so the id check
    alone would keep counting it; deleting one (or a story, whose reports lose it) marks
    the roll-ups stale, the indicators answer exactly meanwhile, and a rebuild makes the
    roll-ups answer again with the new numbers."""
    filters = filters_parse(PERIOD)
    before = indicator_compute("coverage_by_country", filters).as_dict()
    rebuilt.reports["r5"].delete()  # not the newest report; it has a copy ("no tone")
    assert not rollups.rollups_current()
    assert indicators._coverage_rollup(filters) is None
    for key in ("volume", "share_of_voice", "tone", "coverage_by_country"):
        assert indicator_compute(key, filters).as_dict() == _exact(key, PERIOD, monkeypatch)
    after = indicator_compute("coverage_by_country", filters).as_dict()
    assert after != before
    rollups_rebuild()
    for key, extra in ANSWERED:
        _compare(key, _params(extra), monkeypatch)
    rebuilt.stories["st2"].delete()  # r3 and r4 lose their story
    assert not rollups.rollups_current()
    rollups_rebuild()
    for key, extra in ANSWERED:
        _compare(key, _params(extra), monkeypatch)
    fr = {r["country"]: r for r in indicator_compute("coverage_by_country", filters).rows}["FR"]
    assert (fr["reports"], fr["stories"]) == (2, 0)


def test_a_source_changing_country_moves_its_stories_on_the_map(rebuilt, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    source = rebuilt.sources["us"]
    source.country = "GB"
    source.save()
    assert not rollups.rollups_current()
    rollups_rebuild()
    for key, extra in ANSWERED:
        _compare(key, _params(extra), monkeypatch)
    rows = {
        r["country"]: r
        for r in indicator_compute("coverage_by_country", filters_parse(PERIOD)).rows
    }
    assert "US" not in rows and (rows["GB"]["reports"], rows["GB"]["stories"]) == (4, 2)


@pytest.mark.parametrize(
    ("days", "today"), [(7, "2025-03-16"), (1, "2025-03-10"), (30, "2025-03-16"), (7, "2025-03-12")]
)
def test_overview_headline_query_equals_the_indicators(rebuilt, days, today, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The overview's one grouped query over the roll-ups gives the figures the indicators
    give (volume, stories, share of voice, mean tone, % negative), for both periods."""
    from ttdn.measure import overview

    current, previous = overview.period_filters(days, dt.date.fromisoformat(today))
    with CaptureQueriesContext(connection) as captured:
        found = overview._headline_rollup(current, previous)
    assert found is not None
    # the state check (2 reads) and the one grouped query
    assert len(captured.captured_queries) == 3
    with monkeypatch.context() as m:
        m.setattr(rollups, "rollups_current", lambda: False)
        exact = (overview._headline(current), overview._headline(previous))
    assert found == exact
    assert found[0]["reports"] or found[1]["reports"]


def test_the_stored_report_subscriber_reads_only_what_the_rollups_need(world: World) -> None:
    """`measure.subscribers.rollups_add` (every stored report, in the storing transaction)
    loads the report once without its text or embedding, and adds what a rebuild computes."""
    from ttdn.measure.subscribers import rollups_add

    _extras(world)
    for model in ROLLUP_MODELS:
        model.objects.all().delete()
    RollupState.objects.all().delete()
    table = Report._meta.db_table
    for report_id in Report.objects.order_by("id").values_list("id", flat=True):
        with CaptureQueriesContext(connection) as queries:
            rollups_add({"report_id": report_id})
        loads = [q["sql"] for q in queries.captured_queries
                 if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]  # fmt: skip
        assert len(loads) == 1, loads  # no deferred column fetched afterwards
        assert f'"{table}"."text"' not in loads[0] and '"embedding"' not in loads[0], loads[0]
    added = _snapshot()
    assert RollupState.objects.get().reports == Report.objects.count()
    rollups_rebuild()
    assert _snapshot() == added
