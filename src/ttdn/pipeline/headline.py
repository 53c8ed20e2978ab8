"""Headlines: a report's own, and the one that names its story.

A report's headline is its title unless that title is its outlet's boilerplate (a series
note extracted as the title), else the first sentence of its cleaned text, shortened on a
word boundary. A story's title is the headline of the member closest to the story's
embedding centroid among its first `MAX_CANDIDATES` members: representative of what the
reports say, never a passage, and stable (it changes only when another member becomes
more central). The state (`StoryTitles`) is passed in explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

#: A headline longer than this is shortened on a word boundary, with "…".
HEADLINE_CHARS = 160
MAX_CANDIDATES = 16

_SPACE = re.compile(r"\s+")
# places to cut a text written without spaces (CJK, Thai): after a comma-like mark
_SOFT_BREAK = re.compile(r"[、，,；;：:]")
_FIRST_SENTENCE = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")


def shorten(text: str, limit: int = HEADLINE_CHARS) -> str:
    """`text` on one line, cut to at most `limit` characters (plus "…") between words."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    if " " in head[limit // 2 :]:
        cut = head.rsplit(" ", 1)[0]
    else:  # no spaces (CJK, Thai): after the last comma-like mark, else at the limit
        marks = [m.end() for m in _SOFT_BREAK.finditer(head[:limit])]
        cut = head[: marks[-1]] if marks and marks[-1] > limit // 2 else head[:limit]
    return cut.rstrip(" ,;:、，；：-–—") + "…"


def headline(title: str, clean_text: str, *, title_is_boilerplate: bool = False) -> str:
    """The report's headline (see the module docstring); "" when it has no words at all."""
    title = _SPACE.sub(" ", title).strip()
    if title and not title_is_boilerplate:
        return shorten(title)
    for line in clean_text.split("\n"):
        if line.strip():
            first = _FIRST_SENTENCE.split(line.strip(), maxsplit=1)[0]
            return shorten(first)
    return shorten(title)


@dataclass
class StoryTitles:
    """Per story: up to MAX_CANDIDATES (headline, unit embedding) of its first members."""

    candidates: dict[str, list[tuple[str, npt.NDArray[np.float32]]]] = field(default_factory=dict)

    def forget(self, keep: Container[str]) -> None:
        """Drop the stories that are not in `keep` (the clusterer forgot them)."""
        for story_id in [s for s in self.candidates if s not in keep]:
            del self.candidates[story_id]


def story_title(
    state: StoryTitles,
    story_id: str,
    *,
    headline: str,
    embedding: npt.NDArray[np.floating],
    centroid: npt.NDArray[np.floating],
) -> str:
    """Add the report's headline as a candidate and return the story's current title."""
    members = state.candidates.setdefault(story_id, [])
    if headline and len(members) < MAX_CANDIDATES:
        members.append((headline, np.asarray(embedding, dtype=np.float32)))
    if not members:
        return headline
    centre = np.asarray(centroid, dtype=np.float32)
    scores = [float(np.dot(vector, centre)) for _, vector in members]
    return members[int(np.argmax(scores))][0]
