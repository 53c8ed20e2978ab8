"""One article through the analysis stages, with the state they need passed in explicitly.

normalised Article → language → dedupe → relevance (places) → embed → cluster → tone →
dimensions. The `Analyser` owns the state (dedupe index, story state) and the loaded models;
it is the only object a worker keeps between articles, and it can be rebuilt from stored
reports (`restore`) after a restart, so the database stays the source of truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ttdn.pipeline import cluster, dedupe, dimensions, language, relevance, tone
from ttdn.pipeline.embed import E5Embedder, Embedder, document_text
from ttdn.pipeline.types import Article

# Tone reads the lead: the headline and first passage carry a news article's framing, and
# scoring one passage instead of four keeps the embedding cost per article low.
TONE_LEAD_CHARS = 600


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceRef:
    kind: str  # country | unit | place | region
    key: str  # ISO country code, or the current unit slug
    alias: str
    is_former: bool
    start: int  # offsets into title + "\n" + text
    end: int


@dataclass(kw_only=True, slots=True)
class ReportAnalysis:
    language: str
    language_confidence: float
    duplicate_of: str | None
    mentions: list[PlaceRef]
    is_relevant: bool
    relevance_score: float
    tone_score: float | None
    tone_label: str
    tone_confidence: float
    country_tone_score: float | None
    country_tone_label: str
    dimensions: dict[str, float]
    embedding: npt.NDArray[np.float32]
    story_key: str
    story_is_new: bool
    crosslingual_key: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredReport:
    """What `restore` needs of a stored report to rebuild the in-memory state."""

    key: str
    url: str
    text: str
    title: str
    language: str
    published: float
    embedding: npt.NDArray[np.float32] | None
    story_key: str


@dataclass
class Analyser:
    embedder: Embedder
    country: str = relevance.HOME_COUNTRY
    gazetteer: relevance.Gazetteer = field(default_factory=relevance.build_gazetteer)
    lexicon: dimensions.Lexicon = field(default_factory=dimensions.build_lexicon)
    tone_models: Mapping[str, tone.ToneModel] | None = None
    dedupe_index: dedupe.DedupeIndex = field(default_factory=dedupe.DedupeIndex)
    stories: cluster.ClusterState = field(default_factory=cluster.ClusterState)
    # Prefix for the ids of stories this analyser starts, so that two analysing processes
    # never mint the same story id for different events ("" keeps ids plain: evaluations).
    namespace: str = ""

    _last: tuple[str, npt.NDArray[np.float32]] | None = None

    def _tone_embed(self, texts: Iterable[str]) -> npt.NDArray[np.float32]:
        """Embed for the tone model, reusing the clustering embedding of the same lead."""
        wanted = list(texts)
        if not isinstance(self.embedder, E5Embedder):
            # the tone models were trained on e5 "passage" vectors: never feed them others
            return tone.default_embedder(wanted)
        if self._last is not None and wanted == [self._last[0]]:
            return self._last[1].reshape(1, -1)
        return np.asarray(self.embedder.embed(wanted), dtype=np.float32)

    def analyse(self, article: Article, *, key: str, published: float) -> ReportAnalysis:
        full = f"{article.title}\n{article.text}" if article.title else article.text
        guess = language.detect(full, article.language_hint)
        lang = guess.code
        found = dedupe.check(
            self.dedupe_index, report_id=key, text=full, url=article.url, time=published
        )
        rel = relevance.assess(self.gazetteer, title=article.title, text=article.text,
                               country=self.country)  # fmt: skip
        mentions = _places(rel, title_length=len(article.title) + 1 if article.title else 0)
        lead = document_text(article.title, article.text, TONE_LEAD_CHARS)
        vector = np.asarray(self.embedder.embed([lead])[0], dtype=np.float32)
        self._last = (lead, vector)
        assignment = cluster.assign(
            self.stories,
            report_id=key,
            language=lang,
            embedding=vector,
            title=article.title,
            text=article.text,
            time=published,
        )
        article_tone = tone.score(lead, lang, embedder=self._tone_embed, models=self.tone_models)
        country_tone = None
        span = _first_country_span(mentions, self.country)
        if span is not None and rel.relevant:
            country_tone = tone.score(full, lang, span, embedder=self._tone_embed,
                                      models=self.tone_models)  # fmt: skip
        tags = dimensions.tag(self.lexicon, title=article.title, text=article.text)
        return ReportAnalysis(
            language=lang,
            language_confidence=guess.confidence,
            duplicate_of=found.duplicate_of if found.status == "duplicate" else None,
            mentions=mentions,
            is_relevant=rel.relevant,
            relevance_score=rel.score,
            tone_score=None if article_tone.label == tone.UNKNOWN else article_tone.score,
            tone_label=article_tone.label,
            tone_confidence=article_tone.confidence,
            country_tone_score=(
                country_tone.score
                if country_tone is not None and country_tone.label != tone.UNKNOWN
                else None
            ),
            country_tone_label=country_tone.label if country_tone is not None else "",
            dimensions={label: round(tags.strength[label], 3) for label in tags.labels},
            embedding=np.asarray(vector, dtype=np.float32),
            story_key=self._story_key(assignment.story_id),
            story_is_new=assignment.is_new,
            crosslingual_key=assignment.crosslingual_id,
        )

    def _story_key(self, story_id: str) -> str:
        if not self.namespace or ":" in story_id:  # restored ids already carry theirs
            return story_id
        return f"{self.namespace}:{story_id}"

    def restore(self, reports: Iterable[StoredReport]) -> int:
        """Rebuild dedupe and story state from stored reports, oldest first."""
        count = 0
        for report in reports:
            full = f"{report.title}\n{report.text}" if report.title else report.text
            dedupe.check(self.dedupe_index, report_id=report.key, text=full, url=report.url,
                         time=report.published)  # fmt: skip
            if report.embedding is not None:
                cluster.restore(
                    self.stories,
                    report_id=report.key,
                    story_id=report.story_key,
                    language=report.language,
                    embedding=report.embedding,
                    title=report.title,
                    text=report.text,
                    time=report.published,
                )
            count += 1
        return count


def _places(rel: relevance.Relevance, *, title_length: int) -> list[PlaceRef]:
    refs: list[PlaceRef] = []
    for offset, group in ((0, rel.title_mentions), (title_length, rel.text_mentions)):
        for m in group:
            if m.kind == "person":
                continue
            if m.kind == "country":
                keys = [m.country]
            else:
                keys = list(m.unit_slugs or ((m.unit_slug,) if m.unit_slug else ()))
            for key in keys:
                refs.append(
                    PlaceRef(
                        kind=m.kind,
                        key=key,
                        alias=m.alias,
                        is_former=m.former,
                        start=m.start + offset,
                        end=m.end + offset,
                    )  # fmt: skip
                )
    return refs


def _first_country_span(mentions: list[PlaceRef], country: str) -> tuple[int, int] | None:
    for m in mentions:
        if m.kind == "country" and m.key == country:
            return (m.start, m.end)
    return None
