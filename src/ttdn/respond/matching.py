"""The claim index: every open or answered claim's e5 vector in one matrix, for the prefilter.

Why a process-wide cache: matching a stored report against 10,000 claims must cost a few
milliseconds, so the claims' vectors are not read from the database per report. The matrix is
rebuilt when the newest claim change (`Claim.updated_at` and the count) differs from the one
it was built for — one cheap aggregate query per report.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from ttdn.pipeline import claims as matcher
from ttdn.pipeline.analyse import TONE_LEAD_CHARS
from ttdn.pipeline.embed import document_text, encode_e5
from ttdn.respond.models import Claim, ClaimStatus

DIM = 384
MATCHABLE = (ClaimStatus.NEW, ClaimStatus.ASSESSING, ClaimStatus.ANSWERED)


def embed(texts: list[str], query: bool) -> matcher.FloatMatrix:
    """The matcher's embedding (e5: "query: " for claims, "passage: " for report sentences)."""
    return encode_e5([t[: matcher.MAX_SENTENCE_CHARS] or " " for t in texts], is_query=query)


def claim_vector(text: str) -> bytes:
    return embed([text], True)[0].astype(np.float32).tobytes()


@dataclass(frozen=True)
class ClaimIndex:
    version: tuple[object, ...]
    ids: list[int]
    texts: list[str]
    languages: list[str]
    matrix: matcher.FloatMatrix
    centered: matcher.FloatMatrix  # `matcher.center(matrix)`, for the document-level prefilter


_lock = threading.Lock()
_index: ClaimIndex | None = None


def _version() -> tuple[object, ...]:
    agg = Claim.objects.filter(status__in=MATCHABLE).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (agg["n"], agg["last"])


def claim_index() -> ClaimIndex:
    global _index
    version = _version()
    with _lock:
        if _index is not None and _index.version == version:
            return _index
        rows = list(
            Claim.objects.filter(status__in=MATCHABLE, embedding__isnull=False)
            .order_by("id")
            .values_list("id", "text", "language", "embedding")
        )
        matrix = (
            np.stack([np.frombuffer(bytes(r[3]), dtype=np.float32) for r in rows])
            if rows
            else np.zeros((0, DIM), dtype=np.float32)
        )
        _index = ClaimIndex(
            version=version,
            ids=[r[0] for r in rows],
            texts=[r[1] for r in rows],
            languages=[r[2] for r in rows],
            matrix=matrix,
            centered=matcher.center(matrix, matcher.default_model().mean_query),
        )
        return _index


@dataclass(frozen=True)
class Found:
    claim_id: int
    match: matcher.Match


def lead_vector(title: str, text: str) -> matcher.FloatMatrix:
    """The report's document vector as the pipeline makes it (e5 "passage: " of the lead),
    for a report stored without one (or with another embedder's): one e5 call, not sixty."""
    return embed([document_text(title, text, TONE_LEAD_CHARS)], False)[0]


def match_report(
    title: str,
    text: str,
    language: str,
    index: ClaimIndex,
    k: int = matcher.CANDIDATES,
    doc_vector: matcher.FloatMatrix | None = None,
) -> list[Found]:
    """Claims the report states, in three steps of rising cost: the report's document vector
    against every claim (`doc_prefilter`, one matrix-vector product; most reports stop here
    without any sentence embedded), then its sentences against the claims that passed
    (`prefilter`), then the precise decision on the best `k`."""
    if not index.ids:
        return []
    if doc_vector is None or doc_vector.size != index.matrix.shape[1]:
        doc_vector = lead_vector(title, text)
    rows = matcher.doc_prefilter(index.centered, doc_vector)
    if not rows:
        return []
    view = matcher.report_view(title, text, language, embed)
    out = []
    for j in matcher.prefilter(index.matrix[rows], view.vectors, k=k):
        i = rows[j]
        found = matcher.decide(index.texts[i], index.languages[i], index.matrix[i], view)
        if found.same:
            out.append(Found(index.ids[i], found))
    return out
