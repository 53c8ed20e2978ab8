"""Does one report meet one rule? Pure functions over plain facts, so they can be tested and
replayed without a database.

Semantics (documented on the rule form too):

* Every condition a rule sets must hold (AND); a condition left empty is not checked.
* Keywords and entities are phrases matched accent- and case-insensitively on whole words in
  title + text: "Lam Dong" matches "Lâm Đồng" and "LÂM ĐỒNG" (Vietnamese diacritics, đ, and
  both Unicode encodings are folded with the gazetteer's `lexmatch.fold`), but "Lam" does
  not match "Lamb". Phrases in scripts written without spaces (Chinese, Japanese, Thai ...)
  match as substrings. Keywords: any or all, per the rule; entities: any.
* Places: any of the rule's unit slugs (``lam-dong``) or country codes (``US``) is among the
  report's place mentions (former province names were already mapped to today's units).
* Tone: with only "at most x" the report's tone must be ≤ x, with only "at least y" ≥ y;
  with both, either extreme matches (≤ x or ≥ y). A report without a tone never matches.
* Burst: the story has at least N reports, or with a window of M minutes at least N reports
  published in the M minutes up to this report. The burst "newly fires" when it holds now
  and did not hold for the story as it stood before this report: that is the one case in
  which a rule alerts again inside its cool-down.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ttdn.pipeline.lexmatch import fold

# Characters of scripts whose words are separated by spaces (Latin, Greek, Cyrillic ...):
# a phrase edge in these scripts must sit on a word boundary. Thai, CJK etc. have none.
_SPACED_SCRIPTS_END = 0x0590
# Between the words of a phrase: spaces, hyphens and dashes, full stops, apostrophes (as in
# the gazetteer: "Bà Rịa-Vũng Tàu", "TP. Hồ Chí Minh"), but not commas or other punctuation,
# so "province officials" does not match "province, officials".
_PHRASE_SEPARATOR = r"[\s\-\u2010-\u2014.'\u2019\u00b7_]+"


def fold_for_match(text: str) -> str:
    """Accent-free, case-free form of `text` used on both sides of a comparison."""
    return fold(text).casefold()


@functools.lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """Compiled pattern for one keyword or entity (None for a phrase with no letters)."""
    words = re.findall(r"\w+", fold_for_match(phrase))
    if not words:
        return None
    body = _PHRASE_SEPARATOR.join(re.escape(w) for w in words)
    head = r"(?<!\w)" if ord(words[0][0]) < _SPACED_SCRIPTS_END else ""
    tail = r"(?!\w)" if ord(words[-1][-1]) < _SPACED_SCRIPTS_END else ""
    return re.compile(head + body + tail)


def phrase_found(phrase: str, folded_text: str) -> bool:
    pattern = phrase_pattern(phrase)
    return bool(pattern and pattern.search(folded_text))


@dataclass(frozen=True, kw_only=True)
class ReportFacts:
    """What the conditions look at, taken once from a stored report."""

    title: str
    text: str
    place_keys: frozenset[str]
    tone_score: float | None
    source_kind: str
    outlet_country: str
    language: str
    is_relevant: bool
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold_for_match(f"{self.title}\n{self.text}"))


@dataclass(frozen=True, kw_only=True)
class BurstFacts:
    """Reports of the story counted for a burst condition, now and before this report."""

    count_now: int
    count_before: int


class RuleConditions(Protocol):
    """The condition fields of `AlertRule` (a model instance fits)."""

    keywords: Any
    keyword_mode: str
    places: Any
    entities: Any
    min_story_reports: int | None
    burst_window_minutes: int | None
    tone_at_most: float | None
    tone_at_least: float | None
    source_kinds: Any
    outlet_countries: Any
    languages: Any
    relevant_only: bool


@dataclass(frozen=True, kw_only=True)
class MatchResult:
    matched: bool
    details: dict[str, Any] = field(default_factory=dict)
    burst_newly_fired: bool = False


NO_MATCH = MatchResult(matched=False)

BurstLookup = Callable[[int | None], BurstFacts]


def has_conditions(rule: RuleConditions) -> bool:
    """A rule with no condition would alert on every report: forms refuse it."""
    return bool(
        rule.keywords
        or rule.places
        or rule.entities
        or rule.min_story_reports
        or rule.tone_at_most is not None
        or rule.tone_at_least is not None
        or rule.source_kinds
        or rule.outlet_countries
        or rule.languages
    )


def _base_language(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-", 1)[0]


def _tone_matches(rule: RuleConditions, tone: float | None) -> bool:
    if tone is None:
        return False
    low = rule.tone_at_most is not None and tone <= rule.tone_at_most
    high = rule.tone_at_least is not None and tone >= rule.tone_at_least
    return low or high


def _phrases(values: Sequence[str], folded: str) -> list[str]:
    return [v for v in values if phrase_found(v, folded)]


def rule_match(
    rule: RuleConditions, facts: ReportFacts, burst: BurstLookup | None = None
) -> MatchResult:
    """Whether `facts` meet every condition of `rule`, and which ones matched how.

    Cheap checks run first; `burst` (which costs a database query) is called only for a
    rule with a burst condition whose other conditions all hold.
    """
    if not has_conditions(rule):
        return NO_MATCH
    details: dict[str, Any] = {}
    if rule.relevant_only and not facts.is_relevant:
        return NO_MATCH
    if rule.languages:
        wanted = {_base_language(code) for code in rule.languages}
        if _base_language(facts.language) not in wanted:
            return NO_MATCH
        details["language"] = facts.language
    if rule.source_kinds:
        if facts.source_kind not in set(rule.source_kinds):
            return NO_MATCH
        details["source_kind"] = facts.source_kind
    if rule.outlet_countries:
        if facts.outlet_country.upper() not in {c.upper() for c in rule.outlet_countries}:
            return NO_MATCH
        details["outlet_country"] = facts.outlet_country.upper()
    if rule.tone_at_most is not None or rule.tone_at_least is not None:
        if not _tone_matches(rule, facts.tone_score):
            return NO_MATCH
        details["tone"] = round(float(facts.tone_score or 0.0), 3)
    if rule.places:
        found = [p for p in rule.places if p in facts.place_keys]
        if not found:
            return NO_MATCH
        details["places"] = found
    if rule.keywords:
        found = _phrases(rule.keywords, facts.folded)
        need_all = rule.keyword_mode == "all"
        if not found or (need_all and len(found) < len(rule.keywords)):
            return NO_MATCH
        details["keywords"] = found
    if rule.entities:
        found = _phrases(rule.entities, facts.folded)
        if not found:
            return NO_MATCH
        details["entities"] = found
    newly = False
    if rule.min_story_reports:
        if burst is None:
            return NO_MATCH
        counts = burst(rule.burst_window_minutes)
        threshold = rule.min_story_reports
        if counts.count_now < threshold:
            return NO_MATCH
        newly = counts.count_before < threshold
        details["burst"] = {
            "reports": counts.count_now,
            "min_reports": threshold,
            "window_minutes": rule.burst_window_minutes,
        }
    return MatchResult(matched=True, details=details, burst_newly_fired=newly)
