"""Outlet boilerplate: the sentences an outlet repeats across its own articles.

Series notes ("Este post es parte de nuestra cobertura especial…"), "read more" lines,
licence and newsletter blurbs, site descriptions and stray script lines are not news: two
articles that share them are not one story, and a story named after one is misnamed. They
are found per outlet from its own recent articles and removed before embedding, clustering,
tone and titles (`Analyser`; places still read the original text, whose offsets the stored
report keeps).

Method: an article is cut into units (sentences within lines). A unit's fingerprint is the
set of its lower-cased word 4-grams (the whole unit when it has fewer words). For each outlet
the state remembers the fingerprints of its last `memory` distinct articles and, per
shingle, in how many of them it occurs. A unit is boilerplate when at least `share` of its
shingles occur in at least `min_articles` of the outlet's recent articles (the article
itself included). Shingles rather than whole units catch templates with a varying tail
("…de las Protestas en Egipto 2011." / "…de Protestas en Siria 2011."). An outlet's own
articles only: one outlet's series note says nothing about another's text, and wire copy
carried by many outlets is the near-duplicate check's business, not this one's.

All state is in `BoilerplateState`, passed in explicitly; `observe` is idempotent per
article key, so a batch can be observed before it is cleaned (a first poll of 30 items
learns the outlet's template at once) and `restore` can replay stored reports.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+", re.UNICODE)
# sentence ends: . ! ? … and the CJK full stops, followed by space or the end
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")

#: Units shorter than this many characters are never judged alone ("Foto:" lines are
#: kept or dropped with nothing lost either way, and short labels collide by chance).
MIN_UNIT_CHARS = 12


@dataclass(frozen=True, slots=True)
class BoilerplateParams:
    shingle: int = 4
    min_articles: int = 3
    share: float = 0.6
    template_share: float = 0.34  # with the unit's opening words frequent
    memory: int = 200  # recent articles remembered per outlet
    max_outlets: int = 5000  # least recently seen outlets are forgotten first


@dataclass
class _OutletMemory:
    recent: deque[tuple[str, frozenset[int]]] = field(default_factory=deque)
    keys: set[str] = field(default_factory=set)
    counts: Counter[int] = field(default_factory=Counter)


@dataclass
class BoilerplateState:
    params: BoilerplateParams = field(default_factory=BoilerplateParams)
    outlets: OrderedDict[str, _OutletMemory] = field(default_factory=OrderedDict)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """An article's text without its outlet's boilerplate.

    `kept` lists the (start, end) spans of the original text that `text` is made of, joined
    by one space within a line and by newlines between lines, so that an offset of the
    original can be mapped into `text` (`map_span`)."""

    text: str
    title_is_boilerplate: bool
    removed: int  # units removed
    kept: tuple[tuple[int, int, int], ...]  # (original start, original end, start in text)

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the original text [start, end) in `text`, or None if it was removed."""
        for orig_start, orig_end, at in self.kept:
            if orig_start <= start and end <= orig_end:
                return (at + start - orig_start, at + end - orig_start)
        return None


def units(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of each non-empty line, stripped."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            _append(spans, line, start, match.start(), offset)
            start = match.end()
        _append(spans, line, start, len(line), offset)
        offset += len(line) + 1
    return spans


def _append(spans: list[tuple[int, int]], line: str, start: int, end: int, offset: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))


def fingerprint(unit: str, n: int) -> frozenset[int]:
    words = _WORD.findall(unit.lower())
    if not words:
        return frozenset()
    if len(words) < n:
        return frozenset([hash(tuple(words))])
    return frozenset(hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1))


def _article_shingles(title: str, text: str, n: int) -> frozenset[int]:
    found: set[int] = set()
    for start, end in units(text):
        found |= fingerprint(text[start:end], n)
    if title.strip():
        found |= fingerprint(title, n)
    return frozenset(found)


def observe(state: BoilerplateState, outlet: str, *, key: str, title: str, text: str) -> None:
    """Remember an article of `outlet` (once per key; the oldest beyond `memory` is dropped)."""
    if not outlet:
        return
    memory = state.outlets.get(outlet)
    if memory is None:
        memory = state.outlets[outlet] = _OutletMemory()
        while len(state.outlets) > state.params.max_outlets:
            state.outlets.popitem(last=False)
    state.outlets.move_to_end(outlet)
    if key in memory.keys:
        return
    shingles = _article_shingles(title, text, state.params.shingle)
    memory.recent.append((key, shingles))
    memory.keys.add(key)
    memory.counts.update(shingles)
    while len(memory.recent) > state.params.memory:
        old_key, old = memory.recent.popleft()
        memory.keys.discard(old_key)
        memory.counts.subtract(old)
        for shingle in old:
            if memory.counts[shingle] <= 0:
                del memory.counts[shingle]


def is_boilerplate(state: BoilerplateState, outlet: str, unit: str) -> bool:
    memory = state.outlets.get(outlet)
    if memory is None or len(unit.strip()) < MIN_UNIT_CHARS:
        return False
    shingles = fingerprint(unit, state.params.shingle)
    if not shingles:
        return False
    needed = state.params.min_articles
    frequent = sum(1 for s in shingles if memory.counts.get(s, 0) >= needed)
    if frequent >= state.params.share * len(shingles):
        return True
    # a template with a varying tail ("Este post es parte de nuestra cobertura especial
    # <series>"): its opening words are the outlet's, and a third of it is frequent
    words = _WORD.findall(unit.lower())[: state.params.shingle]
    opening = hash(tuple(words))
    return (
        len(words) == state.params.shingle
        and memory.counts.get(opening, 0) >= needed
        and frequent >= state.params.template_share * len(shingles)
    )


def clean(state: BoilerplateState, outlet: str, *, title: str, text: str) -> Cleaned:
    """`text` without the units that are boilerplate for `outlet` (nothing removed for an
    outlet never observed); whether the title itself is one (a series note as headline)."""
    parts: list[str] = []
    kept: list[tuple[int, int, int]] = []
    removed = 0
    length = 0
    previous_line = -1
    for start, end in units(text):
        if is_boilerplate(state, outlet, text[start:end]):
            removed += 1
            continue
        line = text.count("\n", 0, start)
        if parts:
            separator = "\n" if line != previous_line else " "
            parts.append(separator)
            length += 1
        kept.append((start, end, length))
        parts.append(text[start:end])
        length += end - start
        previous_line = line
    if removed == 0:
        return Cleaned(
            text=text, title_is_boilerplate=is_boilerplate(state, outlet, title), removed=0,
            kept=((0, len(text), 0),),
        )  # fmt: skip
    return Cleaned(
        text="".join(parts),
        title_is_boilerplate=is_boilerplate(state, outlet, title),
        removed=removed,
        kept=tuple(kept),
    )
