"""Why a report matched: a short passage of its text with the matched words marked.

Matching is the search's own: the same folding (lower case, no diacritics, đ → d; see
`fulltext.fold`) and the same tokens (`fulltext.terms`), so "Da Lat" marks "Đà Lạt" and a
quoted phrase marks only the whole phrase. The original text is kept for display: each
folded character remembers which original character it came from, so the marks fall on the
words as written.

Cost: plain Python over the rows on the page only (25 reports), never over the result set —
search itself stays the tuned index query of decision 0008.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ttdn.measure.fulltext import fold, terms

WINDOW = 240  # characters of text around the first match


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for folded in fold(char):
            chars.append(folded)
            positions.append(index)
    return "".join(chars), positions


def _pattern(query: str) -> re.Pattern[str] | None:
    phrases = terms(query)
    if not phrases:
        return None
    alternatives = [r"\W+".join(re.escape(word) for word in phrase) for phrase in phrases]
    # whole tokens, as the index matches them ("lat" does not mark "latest")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every match in the original `text`."""
    pattern = _pattern(query)
    if pattern is None or not text:
        return []
    folded, positions = _folded_with_positions(text)
    spans = []
    for found in pattern.finditer(folded):
        if found.end() > found.start():
            end = positions[found.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1  # a decomposed letter keeps its marks
            spans.append((positions[found.start()], end))
    return spans


def _segments(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    cursor = start
    for left, right in spans:
        if right <= start or left >= end:
            continue
        left, right = max(left, start), min(right, end)
        if left > cursor:
            out.append(Segment(text[cursor:left], False))
        out.append(Segment(text[left:right], True))
        cursor = right
    if cursor < end:
        out.append(Segment(text[cursor:end], False))
    return out


def highlight(text: str, query: str) -> list[Segment]:
    """The whole `text` (a title) as segments, matches marked."""
    return _segments(text, match_spans(text, query), 0, len(text))


def snippet(text: str, query: str, *, window: int = WINDOW) -> list[Segment]:
    """A passage of about `window` characters around the first match, cut at word
    boundaries, with "…" where it was cut and every match in it marked. No match in the
    text (the title matched): its opening words."""
    text = " ".join((text or "").split())
    if not text:
        return []
    spans = match_spans(text, query)
    first = spans[0][0] if spans else 0
    start = max(0, first - window // 3)
    end = min(len(text), start + window)
    if start > 0:  # move forward to the next word start
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    if end < len(text):  # back to the last word end
        space = text.rfind(" ", start, end)
        end = space if space > (spans[0][1] if spans else start) else end
    out = _segments(text, spans, start, end)
    if start > 0:
        out.insert(0, Segment("… ", False))
    if end < len(text):
        out.append(Segment(" …", False))
    return out
