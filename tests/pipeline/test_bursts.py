"""Burst detection (ttdn.pipeline.bursts): EWMA baseline + Poisson/z tests, online and batch."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.pipeline.bursts import (
    BurstParams,
    BurstState,
    detect,
    episodes,
    poisson_sf,
    prune,
    update,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "bursts" / "egypt_2011q1.json"


def test_flat_series_bursts_only_when_it_first_appears() -> None:
    # A key that appears with 5 reports at once is news (a new story); then 5 is its normal.
    assert [b.bucket for b in detect([5] * 100)] == [0]
    assert detect([0, 1] * 50) == []


def test_a_spike_above_a_steady_baseline_bursts_once_where_it_is() -> None:
    series = [2] * 60 + [12] + [2] * 30
    bursts = detect(series, key="story:1", start=1000)
    assert [(b.key, b.bucket, b.count) for b in bursts] == [("story:1", 1060, 12)]
    b = bursts[0]
    assert b.expected == pytest.approx(2.0, abs=0.2)
    assert b.z > 2.0 and b.p_value < 0.05


def test_min_count_is_an_editorial_floor() -> None:
    # One article against a near-zero baseline is statistically odd but not news.
    assert detect([0] * 50 + [2] + [0] * 10) == []
    assert detect([0] * 50 + [6] + [0] * 10) != []


def test_noisy_keys_need_bigger_jumps() -> None:
    calm = [4] * 80 + [11]
    noisy = [0, 8] * 40 + [11]
    assert 80 in {b.bucket for b in detect(calm)}
    assert 80 not in {b.bucket for b in detect(noisy)}


def test_a_sustained_rise_keeps_bursting_for_a_while_then_becomes_the_baseline() -> None:
    bursts = detect([1] * 60 + [10] * 60)
    days = [b.bucket for b in bursts]
    assert days[0] == 60 and len(days) >= 3
    assert max(days) < 100  # after a month at the new level it is no longer abnormal


def test_online_updates_equal_batch_and_keys_are_independent() -> None:
    a = [1, 0, 2, 1, 0, 1, 9, 1, 0, 1, 0, 0, 8, 1]
    b = [3, 3, 4, 3, 3, 3, 3, 12, 3, 3, 4, 3, 3, 3]
    state = BurstState()
    online: list[tuple[str, int]] = []
    for day, (x, y) in enumerate(zip(a, b, strict=True)):
        counts = {k: v for k, v in (("a", x), ("b", y)) if v}
        state, found = update(state, day, counts)
        online += [(f.key, f.bucket) for f in found]
    batch = [(f.key, f.bucket) for f in detect(a, key="a") + detect(b, key="b")]
    assert sorted(online) == sorted(batch)
    assert {k for k, _ in online} == {"a", "b"}


def test_state_is_passed_in_and_returned_not_mutated() -> None:
    s0 = BurstState()
    s1, _ = update(s0, 1, {"topic:tourism": 3})
    s2, _ = update(s1, 2, {"topic:tourism": 4})
    assert s0.keys == {} and s0.bucket is None
    assert s1.keys["topic:tourism"].last == 1 and s2.keys["topic:tourism"].last == 2
    assert s1.keys["topic:tourism"] != s2.keys["topic:tourism"]


def test_gaps_decay_the_baseline() -> None:
    s, _ = update(BurstState(), 0, {"k": 10})
    s, _ = update(s, 1, {"k": 10})
    high = s.keys["k"].mean
    s, _ = update(s, 100, {"k": 1})
    assert s.keys["k"].mean < high / 5
    assert s.keys["k"].seen == 101


def test_buckets_must_increase_and_counts_be_non_negative() -> None:
    s, _ = update(BurstState(), 5, {"k": 1})
    with pytest.raises(ValueError, match="not after"):
        update(s, 5, {"k": 1})
    with pytest.raises(ValueError, match="negative"):
        update(s, 6, {"k": -1})


def test_prune_drops_forgotten_keys_only() -> None:
    s, _ = update(BurstState(), 0, {"old": 1, "live": 1})
    for day in range(1, 400):
        s, _ = update(s, day, {"live": 1})
    pruned = prune(s)
    assert set(pruned.keys) == {"live"}
    assert prune(BurstState()) == BurstState()


def test_poisson_tail_matches_the_formula() -> None:
    lam = 2.5
    for x in range(0, 12):
        exact = 1 - sum(math.exp(-lam) * lam**k / math.factorial(k) for k in range(x))
        assert poisson_sf(x, lam) == pytest.approx(exact, abs=1e-12)
    assert poisson_sf(3, 0.0) == 0.0
    assert 0.0 < poisson_sf(700, 600.0) < 0.01


def test_episodes_merge_adjacent_buckets() -> None:
    bursts = detect([1] * 40 + [9, 10, 1, 1, 1] + [1] * 40 + [12], key="k")
    eps = episodes(bursts)
    assert [(first, last) for _, first, last, _ in eps][0] == (40, 41)
    assert eps[-1][1] == eps[-1][2] == 85


def test_recorded_egypt_series_flags_the_day_mubarak_fell() -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    series = {date.fromisoformat(d).toordinal(): n for d, n in data["daily_counts"].items()}
    days = {date.fromordinal(b.bucket).isoformat() for b in detect(series, key="egypt")}
    assert "2011-02-11" in days  # Mubarak steps down: 10 reports after a lull
    assert any("2011-01-28" <= d <= "2011-02-01" for d in days)  # the uprising's first week
    assert not any(d >= "2011-03-01" for d in days)  # the quiet tail of ones


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=50), max_size=120),
    st.floats(min_value=0.01, max_value=0.9),
)
def test_detect_never_raises_and_respects_its_thresholds(series: list[int], alpha: float) -> None:
    params = BurstParams(alpha=alpha)
    for b in detect(series, params):
        assert b.count == series[b.bucket] >= params.min_count
        assert b.z >= params.z_threshold and b.p_value <= params.p_threshold
