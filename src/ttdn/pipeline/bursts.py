"""Burst detection: which stories, places or topics rise abnormally against their own baseline.

Method (why: docs/decisions/0004-burst-detection.md): for every key ("story:42",
"unit:da-nang", "dimension:tourism" — any string) we keep an exponentially weighted moving
average (EWMA) of its count per time bucket and of the squared deviation from it. A bucket's
count x is a burst when

    x >= min_count
    and z = (x - mean) / sqrt(max(var, mean, min_var)) >= z_threshold
    and P(X >= x | Poisson(max(mean, prior_rate))) <= p_threshold

The z-score uses the larger of the observed variance and the Poisson variance (the mean), so
an over-dispersed key (news comes in waves) needs a larger jump; the Poisson tail guards the
low counts where z-scores are meaningless (1 article against a mean of 0.01 is z = 10 but not
news); `min_count` is the editorial floor. The baseline is updated after the test, with a
smaller step for bursting buckets (`burst_weight`), so a story that stays high keeps being
flagged for a few buckets instead of becoming its own baseline at once.

A new key is tested against `prior_rate` (a new story with many reports is news), then its
baseline is the plain mean of its buckets so far until 1/alpha buckets have passed, and the
EWMA after that (bias correction: the prior does not linger for weeks).

Buckets are integers (e.g. days since 1970-01-01, or hours); keys absent from a bucket had a
count of zero, applied lazily when the key is next seen. State is explicit: `update` takes a
`BurstState` and returns a new one; nothing is kept between calls.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True, kw_only=True)
class BurstParams:
    """Detector settings (defaults: daily buckets of news about one topic)."""

    alpha: float = 0.05  # EWMA step: ~20-bucket memory
    z_threshold: float = 2.0
    p_threshold: float = 0.05
    min_count: int = 3
    prior_rate: float = 0.5  # baseline of a key never seen before, per bucket
    min_var: float = 0.25
    burst_weight: float = 0.5  # fraction of the EWMA step used on a bursting bucket
    max_gap: int = 200  # zero buckets applied at most (beyond that the baseline is ~0 anyway)


@dataclass(frozen=True, slots=True)
class KeyState:
    """Baseline of one key after the bucket `last` (mean and variance of counts per bucket)."""

    mean: float
    var: float
    last: int
    seen: int  # buckets observed, zeros included


@dataclass(frozen=True, slots=True)
class BurstState:
    """Baselines per key; treat as immutable (functions return a new state)."""

    keys: Mapping[str, KeyState] = field(default_factory=dict)
    bucket: int | None = None  # last bucket processed


@dataclass(frozen=True, slots=True, kw_only=True)
class Burst:
    """One key bursting in one bucket."""

    key: str
    bucket: int
    count: int
    expected: float  # the baseline mean before this bucket
    z: float
    p_value: float


def poisson_sf(x: int, lam: float) -> float:
    """P(X >= x) for X ~ Poisson(lam); exact for lam <= 500, normal approximation above."""
    if x <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if lam > 500:
        z = (x - 0.5 - lam) / math.sqrt(lam)
        return 0.5 * math.erfc(z / math.sqrt(2))
    # Sum the lower tail in log space to survive small lam with large x.
    log_term = -lam
    cdf = 0.0
    for k in range(x):
        if k:
            log_term += math.log(lam) - math.log(k)
        cdf += math.exp(log_term)
    return max(0.0, 1.0 - cdf)


def _rate(alpha: float, seen: int) -> float:
    # Bias-corrected start: a plain running mean until 1/alpha buckets have been seen, so a
    # key's baseline reflects its own first buckets rather than the prior for weeks.
    return max(alpha, 1.0 / (seen + 1))


def _step(ks: KeyState, x: float, a: float) -> tuple[float, float]:
    diff = x - ks.mean
    mean = ks.mean + a * diff
    var = (1 - a) * (ks.var + a * diff * diff)
    return mean, var


def _decay(ks: KeyState, bucket: int, params: BurstParams) -> KeyState:
    """Apply the zero-count buckets between `ks.last` and `bucket` (exclusive)."""
    gap = bucket - ks.last - 1
    if gap <= 0:
        return ks
    mean, var = ks.mean, ks.var
    for i in range(min(gap, params.max_gap)):
        a = _rate(params.alpha, ks.seen + i)
        mean, var = _step(KeyState(mean, var, 0, 0), 0.0, a)
    return KeyState(mean, var, bucket - 1, ks.seen + gap)


def _test(key: str, bucket: int, x: int, ks: KeyState, params: BurstParams) -> Burst | None:
    if x < params.min_count:
        return None
    sd = math.sqrt(max(ks.var, ks.mean, params.min_var))
    z = (x - ks.mean) / sd
    if z < params.z_threshold:
        return None
    p = poisson_sf(x, max(ks.mean, params.prior_rate))
    if p > params.p_threshold:
        return None
    return Burst(key=key, bucket=bucket, count=x, expected=ks.mean, z=z, p_value=p)


def update(
    state: BurstState, bucket: int, counts: Mapping[str, int], params: BurstParams | None = None
) -> tuple[BurstState, list[Burst]]:
    """Process one bucket of counts per key; return the new state and the bursts in it.

    Buckets must come in increasing order (a late bucket would corrupt the baselines);
    `ValueError` says so. Keys with a zero count may be left out of `counts`.
    """
    p = params or BurstParams()
    if state.bucket is not None and bucket <= state.bucket:
        raise ValueError(f"bucket {bucket} is not after the last one processed ({state.bucket})")
    keys = dict(state.keys)
    bursts: list[Burst] = []
    for key in sorted(counts):
        x = int(counts[key])
        if x < 0:
            raise ValueError(f"negative count for {key!r}: {x}")
        old = keys.get(key)
        ks = (
            _decay(old, bucket, p)
            if old is not None
            else KeyState(p.prior_rate, p.prior_rate, bucket - 1, 0)
        )
        burst = _test(key, bucket, x, ks, p)
        if burst is not None:
            bursts.append(burst)
        a = _rate(p.alpha, ks.seen) * (p.burst_weight if burst else 1.0)
        mean, var = _step(ks, float(x), a)
        keys[key] = KeyState(mean, var, bucket, ks.seen + 1)
    return BurstState(keys=keys, bucket=bucket), bursts


def prune(
    state: BurstState, *, below: float = 1e-3, params: BurstParams | None = None
) -> BurstState:
    """Drop keys whose decayed baseline fell below `below`, to bound the state's size.

    A dropped key that comes back restarts from the prior, which is what its decayed
    baseline would be close to anyway.
    """
    if state.bucket is None:
        return state
    p = params or BurstParams()
    kept = {
        k: ks
        for k, ks in state.keys.items()
        if ks.last == state.bucket or _decay(ks, state.bucket + 1, p).mean >= below
    }
    return replace(state, keys=kept)


def detect(
    series: Sequence[int] | Mapping[int, int],
    params: BurstParams | None = None,
    *,
    key: str = "",
    start: int = 0,
) -> list[Burst]:
    """Batch detection over one key's series.

    `series` is either a dense list of counts (bucket `start + i`) or a sparse mapping
    bucket → count; missing buckets count as zero. Same result as feeding `update` bucket by
    bucket.
    """
    items: Iterable[tuple[int, int]]
    if isinstance(series, Mapping):
        items = sorted((int(b), int(c)) for b, c in series.items())
    else:
        items = ((start + i, int(c)) for i, c in enumerate(series))
    state = BurstState()
    out: list[Burst] = []
    for bucket, count in items:
        if count == 0:
            continue  # zeros are applied lazily by the next non-zero bucket
        state, found = update(state, bucket, {key: count}, params)
        out.extend(found)
    return out


def episodes(bursts: Sequence[Burst], *, gap: int = 1) -> list[tuple[str, int, int, int]]:
    """Merge a key's bursting buckets no more than `gap` apart: (key, first, last, peak count)."""
    out: list[tuple[str, int, int, int]] = []
    for b in sorted(bursts, key=lambda b: (b.key, b.bucket)):
        if out and out[-1][0] == b.key and b.bucket - out[-1][2] <= gap:
            k, first, _, peak = out[-1]
            out[-1] = (k, first, b.bucket, max(peak, b.count))
        else:
            out.append((b.key, b.bucket, b.bucket, b.count))
    return out
