"""Pickups of a published answer in translation: an outlet that republishes or quotes our
fact-check in another language (the English answer in a French report).

Why here and not in the text query of `selectors._pickup_filter`: a translation shares no
sentence with the answer, so it is recognised by the portal's cross-language rule
(`ttdn.pipeline.crosslingual`: names and numbers that survive translation, then sentence
vectors of the other-language versions) when the report is stored, and written down as an
`AnswerPickup` of kind "translation". An answer in the report's own language is left to the
word-for-word test, so a same-language paraphrase is not counted by this route either.
"""

from __future__ import annotations

import html
import threading
from typing import Any

import numpy as np
from django.utils.html import strip_tags

from ttdn.monitor.analysis import embedder_build, embedding_from_bytes
from ttdn.monitor.models import Report
from ttdn.pipeline import crosslingual
from ttdn.pipeline.embed import document_text, embedder_key
from ttdn.respond.models import Answer, AnswerPickup, AnswerStatus, Case, PickupKind

#: published cases looked at per report, newest first (as the portal's CANDIDATES)
CANDIDATES = 500

Matrix = crosslingual.Matrix


def answer_text(title: str, body: str) -> str:
    """An answer version as plain text: its title, then its sanitised body's paragraphs."""
    return f"{title}\n" + html.unescape(strip_tags(body.replace("</p>", "</p>\n")))


# (answer id, embedder key) → (answer's updated_at, sentence rows, lead row); per process, so a
# published answer is embedded once, not once per stored report
_VECTORS: dict[tuple[int, str], tuple[Any, Matrix, Matrix]] = {}
_ANCHORS: dict[int, tuple[Any, frozenset[str]]] = {}
_lock = threading.Lock()


def _vectors(answer: Any, embedder: Any, key: str) -> tuple[Matrix, Matrix]:
    cached = _VECTORS.get((answer.pk, key))
    if cached is None or cached[0] != answer.updated_at:
        text = answer_text(answer.title, answer.body)
        lines = crosslingual.sentences(text)
        rows = np.asarray(
            embedder.embed([document_text(answer.title, text), *lines]), dtype=np.float32
        )
        cached = (answer.updated_at, rows[1:], rows[0])
        with _lock:
            if len(_VECTORS) > 4 * CANDIDATES:
                _VECTORS.clear()
            _VECTORS[(answer.pk, key)] = cached
    return cached[1], cached[2]


def _anchors(case_id: int, answers: list[Any]) -> frozenset[str]:
    stamp = tuple(sorted((a.pk, a.updated_at) for a in answers))
    cached = _ANCHORS.get(case_id)
    if cached is None or cached[0] != stamp:
        texts = [answer_text(a.title, a.body) for a in answers]
        cached = (stamp, frozenset(crosslingual.page_anchors(texts)))
        with _lock:
            _ANCHORS[case_id] = cached
    return cached[1]


def pickups_translated_record(report_id: int) -> list[AnswerPickup]:
    """Write down the published answers the stored report republishes or quotes in another
    language. Idempotent: a case and report pair is recorded once, whatever its kind."""
    cases = list(
        Case.objects.filter(published_at__isnull=False, slug__isnull=False)
        .exclude(slug="")
        .order_by("-published_at", "-id")[:CANDIDATES]
    )
    if not cases:  # nothing published: do not load the report at all
        return []
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not (report.title or report.text):
        return []
    answers: dict[int, list[Any]] = {}
    for answer in Answer.objects.filter(case__in=cases, status=AnswerStatus.APPROVED).order_by(
        "case_id", "language"
    ):
        answers.setdefault(answer.case_id, []).append(answer)
    done = set(
        AnswerPickup.objects.filter(report=report, case__in=cases).values_list("case_id", flat=True)
    )
    report_text = f"{report.title}\n{report.text}"
    words = crosslingual.tokens(report_text)
    lead = embedding_from_bytes(report.embedding)
    embedder = None
    key = ""
    report_rows: list[Matrix] = []

    def rows() -> Matrix:
        if not report_rows:
            lines = crosslingual.sentences(report_text)[: crosslingual.MAX_REPORT_SENTENCES]
            report_rows.append(np.asarray(embedder.embed(lines), dtype=np.float32))  # type: ignore[union-attr]
        return report_rows[0]

    found = []
    for case in cases:
        versions = answers.get(case.pk, [])
        others = [a for a in versions if a.language != report.language]
        if case.pk in done or not others:
            continue
        shared = len(_anchors(case.pk, versions) & words)
        if shared < crosslingual.MIN_SHARED_ANCHORS and lead is None:
            continue  # nothing to compare without embedding anything
        if embedder is None:
            embedder = embedder_build()
            key = embedder_key(embedder)
        score = crosslingual.page_match(
            shared, rows, lead, [_vectors(a, embedder, key) for a in others]
        )
        if score is not None:
            pickup, _made = AnswerPickup.objects.get_or_create(
                case=case,
                report=report,
                defaults={"kind": PickupKind.TRANSLATION, "score": round(score, 4)},
            )
            found.append(pickup)
    return found
