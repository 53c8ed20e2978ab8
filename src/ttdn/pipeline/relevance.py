"""Relevance: is an article about Vietnam (or a peer country), and which provinces and places.

A multilingual gazetteer matched with one compiled regex per script group. Why this shape:
share of voice needs the same treatment for Vietnam and its peers (the country set is a
parameter), and the tone stage needs the exact character span of each mention.

What is in the gazetteer (built by `gazetteer.build_gazetteer`, data in `ttdn/data/`):

- country names and demonyms of the selected countries in ~18 languages (`gazetteer.json`);
- for Vietnam: the 34 provincial units in force since 1 July 2025 (`vn_admin_units_2025.json`)
  under their Vietnamese and English names, the 63 former units as aliases of the unit that
  absorbed them (`Mention.former`), spelling variants and foreign exonyms of the six cities,
  and well-known places (Hạ Long Bay, Hội An, Sa Pa ...) and regions (Mekong Delta) each
  assigned to its current unit(s);
- stop phrases that contain a name but mean something else ("Thái Bình Dương" = Pacific
  Ocean, "lao động" = labour, "South China Sea"): the longer phrase wins and yields nothing.

Matching rules (each one answers a false positive or negative seen in news text):

1. Unicode: text may be NFC or NFD; Vietnamese tone marks may sit old-style ("Thanh Hoá") or
   new-style ("Thanh Hóa"). Both are compared in one canonical form; offsets always index the
   caller's string, whatever its normalisation.
2. Accents: a Latin-script name matches when the text carries the same diacritics or only a
   subset of them ("Viêt Nam", "Viet Nam", "Da Nang" all match "Việt Nam"/"Đà Nẵng"), never
   different ones ("Huệ", a person's name or a lily, does not match "Huế").
   In text written in Vietnamese with diacritics, a stripped form is not accepted ("lao" in
   "lao dốc" is not Laos); nor are ASCII aliases that are also Vietnamese syllables ("Thai",
   "Lao": `skip_in_vi_text`).
3. Word boundaries for alphabetic scripts (Latin, Cyrillic); a trailing "*" in the data marks
   a stem for inflected forms ("Вьетнама", "vietnamienne"). Thai, Lao, Khmer, Chinese,
   Japanese and Korean have no spaces between words, so their names match anywhere; Japanese
   katakana names must not touch other katakana ("タイ" in "ネクタイ" is a necktie).
   Arabic names may carry attached clitics ("بفيتنام").
4. Case: a word capitalised in an alias must be capitalised in the text (or the whole match
   upper-case), so "hue" (a colour) and "long an" never match while "vietnamien" may be lower
   case. Names that are also common Vietnamese words ("hòa bình" = peace) do not accept the
   all-upper-case form either (`no_upper`).
5. Ambiguous forms ("Hue", "Central Highlands") count only when the same text (title and body
   together) has an unambiguous mention of the same country.
6. A place name directly after a Vietnamese family or middle name ("Nguyễn Thái Bình",
   "Lê Văn Hòa Bình") is a person, not a place.
7. The bare name "Hồ Chí Minh" is the president as often as the city: it is a Vietnam signal
   (`kind="person"`) but not a unit mention; "TP.HCM", "Ho Chi Minh City", "Saigon" ... are.
8. Overlaps: the longest match wins (leftmost first).

Relevance score: each mention adds a weight by kind (country or unit 1.0, place 0.8, region
0.5, person 0.7) times a position factor (title 2.5, first 500 characters of the body 1.5,
elsewhere 1.0); `score = 1 - exp(-W / 2)`. With the default threshold 0.5 a title mention, a
lead mention or two body mentions make an article relevant; one passing mention deep in a long
text does not. `share` is the country's weight over all selected countries' (share of voice).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, cast

# the gazetteer is built in its own module; these names are still importable from here
from ttdn.pipeline.gazetteer import DEFAULT_COUNTRIES as DEFAULT_COUNTRIES
from ttdn.pipeline.gazetteer import GAZETTEER_FILE as GAZETTEER_FILE
from ttdn.pipeline.gazetteer import HOME_COUNTRY as HOME_COUNTRY
from ttdn.pipeline.gazetteer import Alias, Gazetteer, is_katakana
from ttdn.pipeline.gazetteer import build_gazetteer as build_gazetteer
from ttdn.pipeline.lexmatch import (
    Cluster,
    fold_with_offsets,
    letter_clusters,
    letters_key,
    normalize_tone_placement,
)

MentionKind = Literal["country", "unit", "place", "region", "person"]


KIND_WEIGHT: dict[MentionKind, float] = {
    "country": 1.0,
    "unit": 1.0,
    "place": 0.8,
    "region": 0.5,
    "person": 0.7,
}
TITLE_FACTOR = 2.5
LEAD_FACTOR = 1.5
LEAD_CHARS = 500
SCORE_SCALE = 2.0
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A name found in a text: where (offsets into the caller's string) and what it means."""

    start: int
    end: int
    text: str  # the text[start:end] surface form
    alias: str  # the gazetteer alias it matched
    kind: MentionKind
    country: str
    unit_slug: str | None  # current provincial unit (for units and places)
    unit_slugs: tuple[str, ...]  # all units concerned (several for a region)
    former: bool  # the alias is the name of a former (pre-2025) unit now merged
    former_unit_slug: str | None
    place: str  # canonical place name for kind place/region
    language: str
    degraded: bool  # written with fewer diacritics than the alias
    ambiguous: bool  # accepted only because the text names the country elsewhere


@dataclass(frozen=True, slots=True, kw_only=True)
class Relevance:
    """Relevance of one article to one country, plus everything found on the way."""

    country: str
    score: float
    relevant: bool
    share: float  # the country's weight / weight of all selected countries
    title_mentions: tuple[Mention, ...]
    text_mentions: tuple[Mention, ...]
    weights: dict[str, float]  # weight per country
    unit_counts: dict[str, int]  # mentions per current unit slug (home country)


# --- matching ------------------------------------------------------------------------------

_VI_SPECIFIC = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_PREV_WORD = re.compile(r"(\w+)[ \u00a0]$")


def is_vietnamese_text(text: str) -> bool:
    """True when `text` is written in Vietnamese with diacritics (rule 2).

    Counts letters only Vietnamese uses (ă đ ơ ư and the tone-marked vowels of Latin Extended
    Additional): three or more, making at least 2% of the characters. French or English text
    quoting one Vietnamese name stays below that.
    """
    nfc = unicodedata.normalize("NFC", text)
    n = len(_VI_SPECIFIC.findall(nfc))
    return n >= 3 and n >= 0.02 * max(1, len(nfc))


@dataclass(frozen=True, slots=True)
class _Candidate:
    alias: Alias
    degraded: bool


def _check_alpha(alias: Alias, span: tuple[Cluster, ...]) -> bool | None:
    """None if `span` cannot spell `alias`; else whether it drops some of its diacritics."""
    n = len(alias.clusters)
    if len(span) < n or (not alias.stem and len(span) != n):
        return None
    degraded = False
    for a, s in zip(alias.clusters, span, strict=False):
        if a.base.lower() != s.base.lower() or not s.marks <= a.marks:
            return None
        degraded = degraded or s.marks != a.marks
    letters = [c.base for c in span[:n] if c.base.isalpha()]
    all_upper = len(letters) > 1 and all(c.isupper() for c in letters)
    if all_upper:
        return None if alias.no_upper else degraded
    if any(not span[i].base.isupper() for i in alias.cap_positions):
        return None
    return degraded


def _choose(
    gaz: Gazetteer, text: str, start: int, end: int, key: str, vi_text: bool
) -> _Candidate | None:
    pool: list[Alias] = list(gaz.index.get(key, ()))
    if gaz.stem_index:
        pool += [a for k in range(len(key), 0, -1) for a in gaz.stem_index.get(key[:k], ())]
    if not pool:
        return None
    surface = text[start:end]
    span = letter_clusters(surface) if pool[0].script == "alpha" else ()
    best: _Candidate | None = None
    for alias in pool:
        if alias.script == "alpha":
            degraded = _check_alpha(alias, span)
            if degraded is None:
                continue
            if vi_text and (alias.skip_in_vi_text or (degraded and not surface.isascii())):
                continue
            if vi_text and degraded:
                continue
        else:
            degraded = False
            if alias.all_katakana and (
                (start > 0 and is_katakana(text[start - 1]))
                or (end < len(text) and is_katakana(text[end]))
            ):
                continue
        if alias.kind in ("unit", "place", "region"):
            prev = _PREV_WORD.search(text[max(0, start - 24) : start])
            if prev and normalize_tone_placement(prev.group(1)) in gaz.family_names:
                continue  # rule 6
        cand = _Candidate(alias, degraded)
        if best is None or (best.degraded and not degraded):
            best = cand
        if not degraded:
            break
    return best


def _scan(gaz: Gazetteer, text: str, vi_text: bool) -> list[Mention]:
    folded, offsets = fold_with_offsets(text)

    def orig(i: int) -> int:
        return offsets[i] if offsets is not None else i

    found: list[Mention] = []
    for script, pattern in gaz.patterns.items():
        pos = 0
        while True:
            m = pattern.search(folded, pos)
            if m is None:
                break
            ms, me = m.start(), m.end()
            accepted = False
            while me > ms:
                end = me
                if script in ("alpha", "arabic"):  # a stem extends to the end of its word
                    while end < len(folded) and folded[end].isalnum():
                        end += 1
                key = letters_key(folded[ms:end])
                s, e = orig(ms), orig(end)
                cand = _choose(gaz, text, s, e, key, vi_text)
                if cand is not None:
                    if cand.alias.kind != "stop":
                        a = cand.alias
                        found.append(
                            Mention(
                                start=s,
                                end=e,
                                text=text[s:e],
                                alias=a.text,
                                kind=cast(MentionKind, a.kind),
                                country=a.country,
                                unit_slug=a.unit_slug,
                                unit_slugs=a.unit_slugs,
                                former=a.former,
                                former_unit_slug=a.former_unit_slug,
                                place=a.place,
                                language=a.language,
                                degraded=cand.degraded,
                                ambiguous=key in gaz.ambiguous_keys and text[s:e].isascii(),
                            )
                        )
                    pos = end
                    accepted = True
                    break
                # Rejected: a shorter name may still start here ("Thai binh" → "Thai").
                shorter = pattern.match(folded, ms, me - 1)
                me = shorter.end() if shorter is not None else ms
            if not accepted:
                pos = ms + 1
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    for mention in found:  # rule 8 across script groups: drop overlaps, keep the longest
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return out


def _resolve_ambiguous(groups: Sequence[list[Mention]]) -> list[list[Mention]]:
    context = {m.country for g in groups for m in g if not m.ambiguous}
    return [[m for m in g if not m.ambiguous or m.country in context] for g in groups]


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """All gazetteer mentions in `text`, in order; offsets index `text` as given."""
    if not text:
        return []
    mentions = _scan(gazetteer, text, is_vietnamese_text(text))
    return _resolve_ambiguous([mentions])[0]


def _weight(mentions: Iterable[Mention], *, title: bool) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in mentions:
        factor = TITLE_FACTOR if title else (LEAD_FACTOR if m.start < LEAD_CHARS else 1.0)
        out[m.country] = out.get(m.country, 0.0) + KIND_WEIGHT[m.kind] * factor
    return out


def is_about_any(
    rel: Relevance, countries: Iterable[str], threshold: float = DEFAULT_THRESHOLD
) -> bool:
    """Whether the article is about any of `countries` by the same rule that makes it
    relevant to its own country (score from that country's mention weight >= threshold)."""
    if rel.relevant:
        return True
    return any(
        1.0 - math.exp(-rel.weights.get(c, 0.0) / SCORE_SCALE) >= threshold for c in countries
    )


def assess(
    gazetteer: Gazetteer,
    *,
    title: str = "",
    text: str = "",
    country: str = HOME_COUNTRY,
    threshold: float = DEFAULT_THRESHOLD,
) -> Relevance:
    """Score how much an article (title + body) is about `country`; see the module docstring."""
    vi_text = is_vietnamese_text(f"{title}\n{text}")
    title_m = _scan(gazetteer, title, vi_text) if title else []
    text_m = _scan(gazetteer, text, vi_text) if text else []
    title_m, text_m = _resolve_ambiguous([title_m, text_m])
    weights: dict[str, float] = {}
    for part in (_weight(title_m, title=True), _weight(text_m, title=False)):
        for c, w in part.items():
            weights[c] = weights.get(c, 0.0) + w
    w_country = weights.get(country, 0.0)
    total = sum(weights.values())
    score = 1.0 - math.exp(-w_country / SCORE_SCALE)
    units = Counter(
        slug for m in (*title_m, *text_m) if m.country == country for slug in m.unit_slugs
    )
    return Relevance(
        country=country,
        score=score,
        relevant=score >= threshold,
        share=w_country / total if total else 0.0,
        title_mentions=tuple(title_m),
        text_mentions=tuple(text_m),
        weights=weights,
        unit_counts=dict(units),
    )
