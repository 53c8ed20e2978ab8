"""Deduplication: the same article arriving twice is one report, not two (the `dedupe` stage).

Two checks, in order:

1. **Canonical URL** — scheme and host lower-cased, default ports, fragments, `www.`, tracking
   parameters (utm_*, fbclid, …) and trailing slashes dropped, the query sorted. The same
   canonical URL is a duplicate whatever the text says.
2. **Near-duplicate text** — syndicated wire copy, republished or lightly edited articles.
   Word 5-shingles of the NFC-normalised, case-folded text are summarised by a 128-value
   MinHash; locality-sensitive hashing (64 bands of 2 rows, loose enough that a short excerpt
   of a long wire story is still a candidate) finds candidates, and a candidate
   is a duplicate when its estimated Jaccard similarity is ≥ `jaccard_threshold` or when the
   shorter text is (almost) contained in the longer one (`containment_threshold`), which is
   how a shortened wire story looks.

The index is explicit state (`DedupeIndex`), passed in and mutated, serialisable with
`to_dict` / `from_dict` so the application can persist it; `prune` forgets old entries.

Thresholds were calibrated on real data (see `ttdn.evaluation.dedupe`): ECB+ articles about
the same event written independently share well under 0.3 of their shingles, while
syndicated copies share > 0.5 or are > 0.8 contained in each other.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from ttdn.pipeline.normalize import canonical_url as canonical_url_for_fetch

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 64
ROWS = NUM_PERM // BANDS
#: Estimated Jaccard similarity of word 5-shingle sets at or above which texts are duplicates.
JACCARD_THRESHOLD = 0.5
#: Share of the shorter text's shingles found in the longer one that makes it a duplicate.
CONTAINMENT_THRESHOLD = 0.8
#: Texts with fewer shingles than this are not checked for near-duplication (too little text
#: to tell syndicated copy from a shared stock phrase); they still get the URL check.
MIN_SHINGLES = 8

_MERSENNE = (1 << 61) - 1
_MASK32 = np.uint64(0xFFFFFFFF)


def _permutations() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    # Fixed seed: signatures must be comparable across processes and releases.
    rng = np.random.Generator(np.random.PCG64(20250701))
    a = rng.integers(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
    b = rng.integers(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)
    return a, b


_PERM_A, _PERM_B = _permutations()


def canonical_url(url: str) -> str:
    """A stable form of `url` for "same page?" checks (not for fetching).

    `normalize.canonical_url` (the one canonicaliser: case, default ports, fragments,
    tracking parameters, sorted query, percent escapes, dot segments) plus the foldings that
    are right for equality but wrong for fetching: http and https are one page (sites serve
    both), a leading ``www.`` is dropped, repeated and trailing slashes are ignored.
    """
    base = canonical_url_for_fetch(url)
    if not base:
        return ""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https"):
        return base
    host = (parts.hostname or "").removeprefix("www.")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", netloc, path, parts.query, ""))


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """NFC-normalised, case-folded word tokens."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
    """Distinct 32-bit hashes of the word k-shingles of `text` (sorted)."""
    w = words(text)
    grams = (
        [" ".join(w)] if 0 < len(w) < k else [" ".join(w[i : i + k]) for i in range(len(w) - k + 1)]
    )
    hashes = {
        int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little")
        for g in grams
    }
    return np.array(sorted(hashes), dtype=np.uint64)


def minhash(hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MinHash signature (NUM_PERM values) of a set of 32-bit shingle hashes."""
    if hashes.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint64)
    # a, b, x < 2**32, so a*x + b < 2**64: no overflow before the Mersenne modulus.
    values = (np.outer(hashes, _PERM_A) + _PERM_B) % np.uint64(_MERSENNE) & _MASK32
    out: npt.NDArray[np.uint64] = values.min(axis=0)
    return out


def _band_keys(signature: npt.NDArray[np.uint64]) -> list[str]:
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        keys.append(f"{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


@dataclass(kw_only=True)
class Fingerprint:
    """What the index keeps per report."""

    signature: list[int]
    size: int  # number of distinct shingles
    time: float | None = None


@dataclass(kw_only=True)
class DedupeIndex:
    """Seen URLs and text fingerprints. Mutated by `check`; persist with `to_dict`."""

    urls: dict[str, str] = field(default_factory=dict)  # canonical URL -> report id
    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)  # report id -> fp
    buckets: dict[str, list[str]] = field(default_factory=dict)  # LSH band key -> report ids
    url_times: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "version": 1,
            "urls": dict(self.urls),
            "url_times": dict(self.url_times),
            "fingerprints": {
                rid: {"signature": fp.signature, "size": fp.size, "time": fp.time}
                for rid, fp in self.fingerprints.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DedupeIndex:
        index = cls()
        urls = data.get("urls", {})
        times = data.get("url_times", {})
        fps = data.get("fingerprints", {})
        if not isinstance(urls, dict) or not isinstance(fps, dict) or not isinstance(times, dict):
            raise ValueError("not a DedupeIndex dump")
        index.urls = {str(k): str(v) for k, v in urls.items()}
        index.url_times = {str(k): (None if v is None else float(v)) for k, v in times.items()}
        for rid, raw in fps.items():
            fp = Fingerprint(
                signature=[int(x) for x in raw["signature"]],
                size=int(raw["size"]),
                time=None if raw.get("time") is None else float(raw["time"]),
            )
            _add_fingerprint(index, str(rid), fp)
        return index


@dataclass(kw_only=True, frozen=True)
class DedupeResult:
    status: Literal["new", "duplicate"]
    duplicate_of: str | None = None
    reason: Literal["", "url", "text"] = ""
    similarity: float = 0.0  # estimated Jaccard (text) or 1.0 (url)

    def __str__(self) -> str:
        return "new" if self.status == "new" else f"duplicate of {self.duplicate_of}"


def _add_fingerprint(index: DedupeIndex, report_id: str, fp: Fingerprint) -> None:
    index.fingerprints[report_id] = fp
    for key in _band_keys(np.array(fp.signature, dtype=np.uint64)):
        index.buckets.setdefault(key, []).append(report_id)


def text_similarity(
    sig_a: npt.NDArray[np.uint64], size_a: int, sig_b: npt.NDArray[np.uint64], size_b: int
) -> tuple[float, float]:
    """(estimated Jaccard, estimated containment of the smaller set in the larger)."""
    jaccard = float(np.mean(sig_a == sig_b))
    smaller = max(1, min(size_a, size_b))
    inter = jaccard / (1.0 + jaccard) * (size_a + size_b)
    return jaccard, min(1.0, inter / smaller)


def check(
    index: DedupeIndex,
    *,
    report_id: str,
    text: str,
    url: str = "",
    time: float | None = None,
    jaccard_threshold: float = JACCARD_THRESHOLD,
    containment_threshold: float = CONTAINMENT_THRESHOLD,
) -> DedupeResult:
    """Is this report new, or a duplicate of one already in `index`? Records new ones.

    Deterministic: among several matching earlier reports the most similar wins, ties to the
    earliest indexed. A duplicate is not added to the index (its original stands for it).
    """
    canon = canonical_url(url) if url else ""
    if canon and canon in index.urls and index.urls[canon] != report_id:
        return DedupeResult(
            status="duplicate", duplicate_of=index.urls[canon], reason="url", similarity=1.0
        )
    hashes = shingle_hashes(text)
    signature = minhash(hashes)
    size = int(hashes.size)
    best: tuple[float, int, str] | None = None
    if size >= MIN_SHINGLES:
        order = {rid: i for i, rid in enumerate(index.fingerprints)}
        candidates: set[str] = set()
        for key in _band_keys(signature):
            candidates.update(index.buckets.get(key, ()))
        candidates.discard(report_id)
        for rid in candidates:
            fp = index.fingerprints[rid]
            if fp.size < MIN_SHINGLES:
                continue
            j, c = text_similarity(signature, size, np.array(fp.signature, np.uint64), fp.size)
            if j >= jaccard_threshold or c >= containment_threshold:
                rank = (max(j, c), -order[rid], rid)
                if best is None or rank[:2] > best[:2]:
                    best = rank
    if best is not None:
        return DedupeResult(
            status="duplicate", duplicate_of=best[2], reason="text", similarity=best[0]
        )
    if canon:
        index.urls[canon] = report_id
        index.url_times[canon] = time
    if report_id not in index.fingerprints:
        _add_fingerprint(
            index,
            report_id,
            Fingerprint(signature=[int(x) for x in signature], size=size, time=time),
        )
    return DedupeResult(status="new")


def prune(index: DedupeIndex, *, before: float) -> int:
    """Forget entries whose time is known and earlier than `before`; returns how many."""
    old = {
        rid for rid, fp in index.fingerprints.items() if fp.time is not None and fp.time < before
    }
    if old:
        for key in list(index.buckets):
            kept = [rid for rid in index.buckets[key] if rid not in old]
            if kept:
                index.buckets[key] = kept
            else:
                del index.buckets[key]
        for rid in old:
            del index.fingerprints[rid]
    stale = [u for u, t in index.url_times.items() if t is not None and t < before]
    for u in stale:
        del index.url_times[u]
        index.urls.pop(u, None)
    return len(old) + len(stale)
