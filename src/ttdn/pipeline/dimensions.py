"""Nation-brand dimensions: tag a text with the Anholt-Ipsos NBI hexagon and the GSPI pillars.

Why lexicons and not a trained classifier: there is no labelled data for these dimensions in
any of our languages, the tags must be explainable to the people who act on them ("tagged
tourism because: du khách, khách sạn"), and the lists must be editable by the editorial team.
The method (full write-up: docs/decisions/0003-nation-brand-dimensions.md):

1. Twelve lexicons (`ttdn/data/dimension_lexicons.json`), one per distinct dimension; the two
   schemes share `governance` and `culture_heritage`. Each term has a weight (0.5 weak or
   ambiguous, 1 normal, 1.5–2 specific) and is written in vi and en, with basics in fr, es
   and zh. Terms are whole words or phrases (Vietnamese syllables are separated by spaces, so
   multi-syllable terms are used: "kỳ thi", never "thi" which also occurs in "thi công").
2. Matching: the text is put in canonical form (NFC, new-style tone placement) and matched
   case-insensitively with word boundaries (none for Chinese); diacritics are significant
   ("du lịch" ≠ "dư lịch"). A trailing "*" marks a stem, a leading "=" a case-sensitive term
   ("=AI": "ai" is the Vietnamese "who").
3. Evidence per dimension: sum over the terms found of weight × (TITLE_WEIGHT if in the title)
   plus weight × (1 + ln n) for n occurrences in the body: repeats add little, so one long
   article does not swamp a dimension with one word.
4. Decision (multi-label): a dimension is assigned when its evidence reaches a threshold that
   grows with the length of the text (`base_threshold × (1 + length_slope × log2(words / 60))`,
   at least the base) and is at least `relative` × the strongest dimension's evidence; at
   most `max_labels` labels, strongest first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

from ttdn.data import read_json
from ttdn.pipeline.lexmatch import compile_trie, normalize_tone_placement, tokens_for

LEXICON_FILE = "dimension_lexicons.json"
NBI_DIMENSIONS: tuple[str, ...] = (
    "exports",
    "governance",
    "culture_heritage",
    "people",
    "tourism",
    "investment_immigration",
)
GSPI_PILLARS: tuple[str, ...] = (
    "business_trade",
    "governance",
    "international_relations",
    "culture_heritage",
    "media_communication",
    "education_science",
    "people_values",
    "sustainable_future",
)
ALL_DIMENSIONS: tuple[str, ...] = tuple(dict.fromkeys(NBI_DIMENSIONS + GSPI_PILLARS))
TITLE_WEIGHT = 2.0
_Script = Literal["alpha", "cjk"]
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014.'\u2019\u00b7]+")


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry."""

    text: str
    dimension: str
    weight: float
    language: str
    stem: bool
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled lexicons; build once with `build_lexicon` and pass to `tag`."""

    version: int
    patterns: dict[_Script, re.Pattern[str]]
    index: dict[str, tuple[Term, ...]]
    stem_index: dict[str, tuple[Term, ...]]
    terms: tuple[Term, ...] = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TagParams:
    """Decision parameters (defaults chosen on the development data, see ADR 0003)."""

    base_threshold: float = 1.0
    length_slope: float = 0.5
    relative: float = 0.5
    max_labels: int = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class DimensionTags:
    """Tags of one text: evidence per dimension, the decision, and the terms behind it."""

    scores: dict[str, float]  # evidence per dimension (all twelve keys)
    strength: dict[str, float]  # evidence / length-adjusted threshold (>= 1: strong enough)
    labels: tuple[str, ...]  # assigned dimensions, strongest first
    nbi: tuple[str, ...]  # labels that belong to the NBI hexagon
    gspi: tuple[str, ...]  # labels that are GSPI pillars
    hits: dict[str, tuple[str, ...]]  # terms found, per dimension


def _plain_key(text: str) -> str:
    return _SEPARATORS.sub("", normalize_tone_placement(text)).lower()


def _script(text: str) -> _Script:
    return (
        "cjk"
        if any(0x3040 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF for c in text)
        else "alpha"
    )


def _parse_term(raw: str, dimension: str, language: str) -> Term:
    text, _, weight = raw.partition("|")
    case_sensitive = text.startswith("=")
    text = text.lstrip("=")
    stem = text.endswith("*")
    text = normalize_tone_placement(text.rstrip("*"))
    return Term(
        text=text,
        dimension=dimension,
        weight=float(weight) if weight else 1.0,
        language=language,
        stem=stem,
        case_sensitive=case_sensitive,
    )


def build_lexicon(data: Mapping[str, object] | None = None) -> Lexicon:
    """Compile the lexicons (default: the file shipped in `ttdn.data`)."""
    if data is None:
        loaded = read_json(LEXICON_FILE)
        if not isinstance(loaded, dict):
            raise ValueError("dimension lexicon file must hold a JSON object")
        data = cast(dict[str, object], loaded)
    lexicons = data.get("lexicons")
    if not isinstance(lexicons, dict):
        raise ValueError("dimension lexicons: 'lexicons' must be an object")
    terms: list[Term] = []
    for dimension, by_lang in lexicons.items():
        if dimension not in ALL_DIMENSIONS:
            raise ValueError(f"dimension lexicons: unknown dimension {dimension!r}")
        if not isinstance(by_lang, dict):
            raise ValueError(f"dimension lexicons: {dimension} must map languages to lists")
        for lang, raws in by_lang.items():
            if not isinstance(raws, list):
                raise ValueError(f"dimension lexicons: {dimension}/{lang} must be a list")
            terms.extend(_parse_term(str(r), str(dimension), str(lang)) for r in raws)
    index: dict[str, list[Term]] = {}
    stem_index: dict[str, list[Term]] = {}
    keys: dict[_Script, dict[tuple[str, bool], None]] = {}
    for term in terms:
        (stem_index if term.stem else index).setdefault(_plain_key(term.text), []).append(term)
        key = tokens_for(term.text, fold_letters=False)
        keys.setdefault(_script(term.text), {})[(key, term.stem)] = None
    bounds: dict[_Script, tuple[str, str]] = {"alpha": (r"(?<!\w)", r"(?!\w)"), "cjk": ("", "")}
    patterns = {
        s: compile_trie(list(k), left_boundary=bounds[s][0], right_boundary=bounds[s][1])
        for s, k in keys.items()
    }
    version = data.get("version", 0)
    return Lexicon(
        version=version if isinstance(version, int) else 0,
        patterns=patterns,
        index={k: tuple(v) for k, v in index.items()},
        stem_index={k: tuple(v) for k, v in stem_index.items()},
        terms=tuple(terms),
    )


def count_terms(lexicon: Lexicon, text: str) -> dict[Term, int]:
    """How often each term occurs in `text` (canonical form, word boundaries, stems)."""
    norm = normalize_tone_placement(text)
    counts: dict[Term, int] = {}
    for script, pattern in lexicon.patterns.items():
        for m in pattern.finditer(norm):
            end = m.end()
            if script == "alpha":
                while end < len(norm) and norm[end].isalnum():
                    end += 1
            surface = norm[m.start() : end]
            key = _plain_key(surface)
            found = list(lexicon.index.get(key, ()))
            if lexicon.stem_index:
                found += [
                    t for k in range(len(key), 0, -1) for t in lexicon.stem_index.get(key[:k], ())
                ]
            exact_letters = _SEPARATORS.sub("", surface)
            # One occurrence counts once per dimension: stems from several languages
            # ("export*", "exporter*") may all fit the same word; keep the longest.
            best: dict[str, Term] = {}
            for term in found:
                if term.case_sensitive and not exact_letters.startswith(
                    _SEPARATORS.sub("", term.text)
                ):
                    continue
                if not term.stem and len(_plain_key(term.text)) != len(key):
                    continue
                held = best.get(term.dimension)
                if held is None or len(term.text) > len(held.text):
                    best[term.dimension] = term
            for term in best.values():
                counts[term] = counts.get(term, 0) + 1
    return counts


def _threshold(words: int, params: TagParams) -> float:
    factor = 1.0 + params.length_slope * math.log2(max(1.0, words / 60.0))
    return params.base_threshold * factor


def tag(
    lexicon: Lexicon, *, title: str = "", text: str = "", params: TagParams | None = None
) -> DimensionTags:
    """Score and label one text (title and body); see the module docstring for the method."""
    p = params or TagParams()
    title_counts = count_terms(lexicon, title) if title else {}
    body_counts = count_terms(lexicon, text) if text else {}
    scores = dict.fromkeys(ALL_DIMENSIONS, 0.0)
    hits: dict[str, list[str]] = {}
    for term in {*title_counts, *body_counts}:
        evidence = 0.0
        if title_counts.get(term):
            evidence += term.weight * TITLE_WEIGHT
        n = body_counts.get(term, 0)
        if n:
            evidence += term.weight * (1.0 + math.log(n))
        scores[term.dimension] += evidence
        hits.setdefault(term.dimension, []).append(term.text)
    words = len(title.split()) + len(text.split())
    threshold = _threshold(words, p)
    strength = {d: s / threshold for d, s in scores.items()}
    top = max(scores.values())
    ranked = sorted(
        (d for d, s in scores.items() if s >= threshold and s >= p.relative * top),
        key=lambda d: -scores[d],
    )
    labels = tuple(ranked[: p.max_labels])
    return DimensionTags(
        scores=scores,
        strength=strength,
        labels=labels,
        nbi=tuple(d for d in labels if d in NBI_DIMENSIONS),
        gspi=tuple(d for d in labels if d in GSPI_PILLARS),
        hits={d: tuple(sorted(set(v))) for d, v in sorted(hits.items())},
    )
