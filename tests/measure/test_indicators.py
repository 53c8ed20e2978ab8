"""Indicator selectors on the hand-countable world of conftest.py (expected numbers by hand)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import override_settings

from tests.measure.conftest import PERIOD
from ttdn.measure.filters import filters_parse
from ttdn.measure.indicators import (
    INDICATORS,
    TONE_ALL,
    coverage_by_country,
    province,
    share_of_voice,
    tone,
    top_stories,
    volume,
)

pytestmark = pytest.mark.django_db


def f(**params: str):  # type: ignore[no-untyped-def]
    return filters_parse({**PERIOD, **params})


def test_volume_by_week_in_local_time(world) -> None:  # type: ignore[no-untyped-def]
    result = volume(f(bucket="week"))
    assert result.rows == [
        # r1, r2 (copy of r1), r3 — r3 at 23:30 Sunday local time
        {"bucket": "2025-03-03", "reports": 3, "unique_reports": 2, "stories": 2},
        # r4 (00:30 Monday local, still Sunday in UTC), r5, r6
        {"bucket": "2025-03-10", "reports": 3, "unique_reports": 3, "stories": 2},
    ]
    # st2 spans both weeks but is one story over the period
    assert result.totals == {"reports": 6, "unique_reports": 5, "stories": 3}


def test_volume_by_day_fills_empty_days(world) -> None:  # type: ignore[no-untyped-def]
    rows = volume(f(bucket="day")).rows
    assert len(rows) == 14
    by_day = {r["bucket"]: r["reports"] for r in rows}
    assert by_day["2025-03-09"] == 1  # r3
    assert by_day["2025-03-10"] == 1  # r4
    assert by_day["2025-03-05"] == 0
    assert sum(by_day.values()) == 6


def test_volume_by_month(world) -> None:  # type: ignore[no-untyped-def]
    result = volume(
        filters_parse({"date_from": "2025-02-01", "date_to": "2025-03-31", "bucket": "month"})
    )
    assert [(r["bucket"], r["reports"], r["stories"]) for r in result.rows] == [
        ("2025-02-01", 1, 1),  # r8
        ("2025-03-01", 6, 3),
    ]
    assert result.totals["stories"] == 3  # r8 belongs to st1 too


@pytest.mark.parametrize(
    ("params", "reports", "unique_reports", "stories"),
    [
        ({"language": "fr"}, 2, 2, 1),  # r3, r4
        ({"country": "GB"}, 2, 2, 2),  # r1, r5 (r7 is not relevant)
        ({"country": "gb"}, 2, 2, 2),  # codes are case-insensitive
        ({"source_kind": "domestic"}, 1, 1, 1),  # r6
        ({"tone": "negative"}, 2, 2, 1),  # r3, r4
        ({"tone": "positive"}, 3, 2, 2),  # r1, r2, r6
        ({"dimension": "tourism"}, 2, 1, 1),  # r1, r2
        ({"province": "lam-dong"}, 3, 2, 2),  # r1, r2 (former Đắk Nông), r6
        ({"province": "dak-nong"}, 3, 2, 2),  # a former unit's slug means today's unit
        ({"province": "ha-noi"}, 1, 1, 1),  # r5
        ({"province": "ha-noi", "language": "fr"}, 0, 0, 0),
        ({"date_from": "2025-03-10"}, 3, 3, 2),  # r4, r5, r6
    ],
)
def test_filters(world, params, reports, unique_reports, stories) -> None:  # type: ignore[no-untyped-def]
    totals = volume(f(**params)).totals
    assert totals == {"reports": reports, "unique_reports": unique_reports, "stories": stories}


def test_share_of_voice_counts_every_stored_report(world) -> None:  # type: ignore[no-untyped-def]
    result = share_of_voice(f())
    rows = {r["country"]: r for r in result.rows}
    # VN: r1 r2 r3 r5 r6; TH: r3 r4 r7 (r7 not relevant, still counted); CN: r5; SG: r7
    assert result.totals["peer_mentions"] == 10
    assert rows["VN"] == {"country": "VN", "reports": 5, "unique_reports": 4, "share_pct": 50.0}
    assert rows["TH"]["reports"] == 3 and rows["TH"]["share_pct"] == 30.0
    assert rows["CN"]["share_pct"] == 10.0 and rows["SG"]["share_pct"] == 10.0
    assert rows["MY"] == {"country": "MY", "reports": 0, "unique_reports": 0, "share_pct": 0.0}
    assert [r["country"] for r in result.rows][:2] == ["VN", "TH"]


@override_settings(TTDN_PEER_COUNTRIES=["VN", "TH"])
def test_share_of_voice_peers_are_configurable(world) -> None:  # type: ignore[no-untyped-def]
    result = share_of_voice(f())
    assert [(r["country"], r["reports"], r["share_pct"]) for r in result.rows] == [
        ("VN", 5, 62.5),
        ("TH", 3, 37.5),
    ]


def test_tone_by_outlet_country(world) -> None:  # type: ignore[no-untyped-def]
    result = tone(f(group_by="country"))
    rows = {(r["group"], r["bucket"]): r for r in result.rows}
    assert rows[("GB", "2025-03-03")]["mean_tone"] == 0.5
    assert rows[("GB", "2025-03-03")]["pct_positive"] == 100.0
    assert rows[("GB", "2025-03-10")]["mean_tone"] == 0.0
    assert rows[("GB", "2025-03-10")]["pct_positive"] == 0.0
    assert rows[("FR", "2025-03-03")]["mean_tone"] == -0.4
    assert rows[("FR", "2025-03-10")]["pct_negative"] == 100.0
    assert rows[("US", "2025-03-10")]["reports"] == 0
    assert rows[("US", "2025-03-10")]["mean_tone"] is None
    assert {g for g, _b in rows} == {"GB", "FR", "US", "VN"}
    # overall: (0.5 + 0.5 - 0.4 - 0.2 + 0.0 + 0.3) / 6; 3 of 6 positive, 2 of 6 negative
    assert result.totals["mean_tone"] == pytest.approx(0.1167, abs=1e-4)
    assert result.totals["pct_positive"] == 50.0
    assert result.totals["pct_negative"] == 33.33


def test_tone_not_split_is_one_line_over_every_report(world) -> None:  # type: ignore[no-untyped-def]
    """group_by=TONE_ALL (the national tone chart of a periodic report): one group "", one
    row per bucket, the same totals as any split."""
    result = tone(replace(f(), group_by=TONE_ALL))
    assert [(r["group"], r["bucket"], r["reports"]) for r in result.rows] == [
        ("", "2025-03-03", 3),  # r1 r2 r3
        ("", "2025-03-10", 3),  # r4 r5 r6
    ]
    first, second = result.rows
    assert (first["mean_tone"], first["pct_positive"], first["pct_negative"]) == (
        0.2,  # (0.5 + 0.5 - 0.4) / 3
        66.67,
        33.33,
    )
    assert (second["mean_tone"], second["pct_positive"], second["pct_negative"]) == (
        0.0333,  # (-0.2 + 0.0 + 0.3) / 3
        33.33,
        33.33,
    )
    by_country = tone(f(group_by="country"))
    assert {k: v for k, v in result.totals.items() if k != "group_by"} == {
        k: v for k, v in by_country.totals.items() if k != "group_by"
    }
    # a bucket without toned reports is a gap (None), not a zero
    days = tone(replace(f(bucket="day"), group_by=TONE_ALL)).rows
    assert len(days) == 14
    assert next(r for r in days if r["bucket"] == "2025-03-05")["mean_tone"] is None


def test_tone_by_language_and_by_dimension(world) -> None:  # type: ignore[no-untyped-def]
    by_language = tone(f(group_by="language", bucket="month")).rows
    assert {(r["group"], r["reports"], r["mean_tone"]) for r in by_language} == {
        ("en", 3, 0.3333),  # r1 r2 r5: (0.5 + 0.5 + 0.0) / 3, rounded to 4 places
        ("fr", 2, -0.3),
        ("vi", 1, 0.3),
    }
    by_dimension = tone(f(group_by="dimension", bucket="month")).rows
    assert {(r["group"], r["reports"], r["mean_tone"]) for r in by_dimension} == {
        ("tourism", 2, 0.5),
        ("governance", 1, -0.4),
        ("exports", 1, 0.0),
    }


def test_top_stories(world) -> None:  # type: ignore[no-untyped-def]
    rows = top_stories(f()).rows
    # st2 and st3 have two unique reports each (ties broken by id), st1 one (r2 is a copy)
    assert [(r["title"], r["unique_reports"], r["reports"]) for r in rows] == [
        ("Réforme administrative au Vietnam", 2, 2),
        ("Exports from Hanoi rise", 2, 2),
        ("Tourists flock to Da Lat", 1, 2),
    ]
    assert rows[0]["outlet_countries"] == 1 and rows[1]["outlet_countries"] == 2
    assert rows[0]["mean_tone"] == -0.3 and rows[2]["mean_tone"] == 0.5
    assert [r["rank"] for r in top_stories(f(top="2")).rows] == [1, 2]


def test_coverage_by_country(world) -> None:  # type: ignore[no-untyped-def]
    rows = coverage_by_country(f()).rows
    assert [(r["country"], r["reports"], r["unique_reports"], r["stories"]) for r in rows] == [
        ("FR", 2, 2, 1),
        ("GB", 2, 2, 2),
        ("US", 1, 0, 1),
        ("VN", 1, 1, 1),
    ]


def test_province_rolls_up_former_units(world) -> None:  # type: ignore[no-untyped-def]
    result = province(f(province="lam-dong"))
    assert [(r["bucket"], r["reports"], r["unique_reports"]) for r in result.rows] == [
        ("2025-03-03", 2, 1),  # r1 (Lâm Đồng) and r2 (Đắk Nông, now Lâm Đồng)
        ("2025-03-10", 1, 1),  # r6
    ]
    assert result.totals["province"] == "lam-dong"
    assert set(result.totals["unit_keys"]) == {"lam-dong", "dak-nong", "binh-thuan"}
    assert result.totals["reports"] == 3 and result.totals["stories"] == 2


def test_province_without_a_province_is_empty(world) -> None:  # type: ignore[no-untyped-def]
    assert province(f()).rows == []


def test_empty_database_gives_zero_rows_not_errors(db, organisations) -> None:  # type: ignore[no-untyped-def]
    for indicator in INDICATORS:
        result = indicator.compute(f(province="lam-dong"))
        assert all(not r.get("reports") for r in result.rows), indicator.key


def test_every_indicator_has_a_written_versioned_definition() -> None:
    keys = [i.key for i in INDICATORS]
    assert len(keys) == len(set(keys))
    for indicator in INDICATORS:
        definition = indicator.definition()
        assert definition["version"] >= 1
        assert definition["title"] and definition["counts"] and definition["unit"]
        assert definition["stages"]
        assert definition["changes"][-1]["version"] == indicator.version
