"""Newest-first search that reads only what it shows (SQLite's time-keyed index, migration
0008) must give exactly what a search over every match gives, on both databases."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from tests.conftest import login
from tests.factories import ReportFactory, SourceFactory
from ttdn.measure import selectors
from ttdn.measure.filters import MeasureFilters, filters_parse
from ttdn.measure.selectors import report_search, report_search_page
from ttdn.monitor.models import Report

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def stream(db):  # type: ignore[no-untyped-def]
    """120 reports that all say "mekong", in two languages, published in random order over
    40 days; several share one second (with other microseconds), a few have no date."""
    rng = random.Random(7)
    source = SourceFactory()
    reports = []
    for i in range(120):
        if i % 20 == 0:
            published = None
        elif i % 7 == 0:  # the same second as its neighbours, another microsecond
            published = NOW - dt.timedelta(days=3) + dt.timedelta(microseconds=rng.randrange(10**6))
        else:
            published = NOW - dt.timedelta(seconds=rng.randrange(40 * 86400))
        reports.append(
            ReportFactory(
                source=source,
                language="vi" if i % 5 == 0 else "en",
                title=f"Mekong delta report {i}",
                published_at=published,
            )
        )
    return reports


def brute_force(reports: list[Report], keep) -> list[int]:  # type: ignore[no-untyped-def]
    """The reference: every match, filtered in Python, newest first (no date last), id desc."""
    chosen = [r for r in reports if keep(r)]
    dated = sorted((r for r in chosen if r.published_at), key=lambda r: (r.published_at, r.pk))
    undated = sorted((r for r in chosen if not r.published_at), key=lambda r: r.pk)
    return [r.pk for r in reversed(dated)] + [r.pk for r in reversed(undated)]


@pytest.mark.parametrize("newest", [1, 5, 30])
def test_newest_rows_equal_the_full_search(stream, monkeypatch, newest) -> None:  # type: ignore[no-untyped-def]
    # a tiny first read, so the rare language filter makes the search widen several times
    monkeypatch.setattr(selectors, "SEARCH_MIN_DEPTH", 2)
    for filters, keep in [
        (MeasureFilters(), lambda r: True),
        (filters_parse({"language": "vi"}, require_period=False), lambda r: r.language == "vi"),
    ]:
        expected = brute_force(stream, keep)
        fast = list(
            report_search(query="mekong", filters=filters, newest=newest).values_list(
                "id", flat=True
            )[:newest]
        )
        full = list(report_search(query="mekong", filters=filters).values_list("id", flat=True))
        assert full == expected
        assert fast == expected[:newest]


def test_period_filter_bounds_are_exact_at_the_microsecond(db) -> None:  # type: ignore[no-untyped-def]
    day = dt.date(2025, 3, 10)
    filters = filters_parse(
        {"date_from": day.isoformat(), "date_to": day.isoformat()}, require_period=False
    )
    start, end = filters.period()
    assert start is not None and end is not None
    tick = dt.timedelta(microseconds=1)
    ReportFactory(title="Hue before", published_at=start - tick)
    first = ReportFactory(title="Hue first", published_at=start)
    last = ReportFactory(title="Hue last", published_at=end - tick)
    ReportFactory(title="Hue after", published_at=end)
    for newest in (None, 1, 10):
        found = set(report_search(query="hue", filters=filters, newest=newest)[: newest or 10])
        assert found == ({last} if newest == 1 else {first, last})


def test_moving_a_report_in_time_moves_it_in_the_index(db) -> None:  # type: ignore[no-untyped-def]
    old = ReportFactory(title="Sa Pa snow", published_at=NOW - dt.timedelta(days=400))
    ReportFactory(title="Sa Pa trek", published_at=NOW - dt.timedelta(days=1))
    assert [r.title for r in report_search(query="sa pa", newest=1)[:1]] == ["Sa Pa trek"]
    old.published_at = NOW
    old.save(update_fields=["published_at"])
    assert [r.title for r in report_search(query="sa pa", newest=1)[:1]] == ["Sa Pa snow"]
    old.published_at = None
    old.save(update_fields=["published_at"])
    assert [r.title for r in report_search(query="sa pa")] == ["Sa Pa trek", "Sa Pa snow"]
    old.delete()
    assert [r.title for r in report_search(query="sa pa snow")] == []


def test_search_page_counts_up_to_the_cap(stream, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 50)
    page = report_search_page(query="mekong", page="2", per_page=20)
    assert (page.total, page.more, page.num_pages, page.number) == (50, True, 3, 2)
    assert [r.pk for r in page.object_list] == brute_force(stream, lambda r: True)[20:40]
    # past the end: the last page; not a number: the first
    assert report_search_page(query="mekong", page="99", per_page=20).number == 3
    assert report_search_page(query="mekong", page="x", per_page=20).number == 1
    exact = report_search_page(
        query="mekong", filters=filters_parse({"language": "vi"}, require_period=False)
    )
    assert (exact.total, exact.more) == (24, False)


def test_search_page_reads_shallow_with_filters_and_stays_exact(stream, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a shallow first read and a small cap: the count widens, then the page reads only as
    # deep as the filter's pass rate says (both paths of report_search_page)
    monkeypatch.setattr(selectors, "SEARCH_MIN_DEPTH", 2)
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 10)
    vi = filters_parse({"language": "vi"}, require_period=False)
    expected = brute_force(stream, lambda r: r.language == "vi")
    for number in (1, 2):
        page = report_search_page(query="mekong", filters=vi, page=number, per_page=5)
        assert (page.total, page.more, page.number) == (10, True, number)
        assert [r.pk for r in page.object_list] == expected[(number - 1) * 5 : number * 5]


def test_search_page_says_more_than_the_cap(client, officer_lam_dong, stream, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 50)
    login(client, officer_lam_dong)
    html = client.get("/do-luong/tim-kiem/", {"q": "mekong"}).content.decode()
    assert "Hơn 50 bài báo khớp" in html and "1 / 2" in html
    html = client.get("/do-luong/tim-kiem/", {"q": "mekong", "language": "vi"}).content.decode()
    assert "24 bài báo khớp." in html and "1 / 1" in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite index key")
def test_sqlite_refuses_an_id_the_key_cannot_hold(db) -> None:  # type: ignore[no-untyped-def]
    report = ReportFactory.build(id=2**31, source=SourceFactory(), story=None)
    refused = pytest.raises((IntegrityError, OperationalError), match="cannot be indexed")
    with refused, transaction.atomic():
        report.save(force_insert=True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="migration 0008 changes SQLite only")
@pytest.mark.django_db(transaction=True)
def test_migration_0008_rekeys_stored_reports_and_goes_back(db) -> None:  # type: ignore[no-untyped-def]
    from django.db.migrations.executor import MigrationExecutor

    old = ReportFactory(title="Phong Nha cave", published_at=NOW - dt.timedelta(days=9))
    new = ReportFactory(title="Phong Nha rafting", published_at=NOW - dt.timedelta(days=1))
    executor = MigrationExecutor(connection)
    executor.migrate([("measure", "0007_rollupstate_max_report_id")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM measure_report_fts ORDER BY rowid")
            assert [row[0] for row in cursor.fetchall()] == sorted([old.pk, new.pk])
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("measure", "0008_report_fts_time_key")])
        assert [r.title for r in report_search(query="phong nha", newest=1)[:1]] == [
            "Phong Nha rafting"
        ]
        later = ReportFactory(title="Phong Nha boat", published_at=NOW)
        assert [r.title for r in report_search(query="phong nha")] == [
            "Phong Nha boat",
            "Phong Nha rafting",
            "Phong Nha cave",
        ]
        assert later.pk
    finally:
        # back to the latest schema: the tests after this one need every later migration
        # (without this, measure 0009-0012 stayed unapplied and the next test that stored a
        # report failed on the missing story-country roll-up table)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_more_than_message_is_translated() -> None:
    from django.utils import translation

    with translation.override("en"):
        message = translation.gettext(
            "Hơn %(n)s bài báo khớp: đây là những bài mới nhất. Thu hẹp thời gian hoặc "
            "thêm bộ lọc để xem các bài cũ hơn."
        )
    assert message.startswith("More than %(n)s matching reports")


def test_absurd_dates_are_stored_and_found(db) -> None:  # type: ignore[no-untyped-def]
    # far beyond what the SQLite key's seconds can hold, both ways: clamped, never refused
    late = ReportFactory(
        title="Cát Bà far future", published_at=dt.datetime(2300, 1, 1, tzinfo=dt.UTC)
    )
    early = ReportFactory(
        title="Cát Bà long ago", published_at=dt.datetime(1700, 1, 1, tzinfo=dt.UTC)
    )
    ReportFactory(title="Cát Bà today", published_at=NOW)
    assert [r.title for r in report_search(query="cat ba")] == [
        "Cát Bà far future",
        "Cát Bà today",
        "Cát Bà long ago",
    ]
    assert [r.pk for r in report_search(query="cat ba", newest=1)[:1]] == [late.pk]
    late.delete()
    early.delete()
    assert [r.title for r in report_search(query="cat ba")] == ["Cát Bà today"]
