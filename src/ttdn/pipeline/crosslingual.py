"""Cross-language pickups: does a foreign report quote or republish one of our pages in
another language (a French report translating the English page)?

Shared by the portal (its published pages, `ttdn.portal.services`) and Respond (its
published fact-checks, `ttdn.respond.translated`), hence in the framework-free pipeline
layer: both sit above it, neither may import the other.

WHY not the embedding alone: multilingual-e5-small puts a faithful French translation of a
demo page at cosine 0.90 to the English page, but an unrelated French article on the same
subject (Viet Nam's coffee) at 0.81 and a Spanish one on Brazil's coffee harvest, sentence by
sentence, at 0.86 — too close to tell apart on a vector. What survives translation and
separates them is the page's *names and numbers* (Bảo Lộc, Di Linh, 2025): they are written
the same way, give or take diacritics, in every Latin-script language. So:

1. **Anchors**: the page's names and numbers that appear in at least two of its language
   versions (the words translation does not change), or, for a page with one version, its
   capitalised words inside sentences and its numbers; generic ones (Viet Nam) removed.
2. A report sharing at least `MIN_SHARED_ANCHORS` of them is a candidate; its sentences are
   embedded and compared with each other-language version's sentences. One sentence is not
   enough (a report on the same place paraphrases one of ours at 0.89-0.90), so a version's
   score is the mean of its two best-matched sentences, and the page's score the mean over
   its other-language versions (a real quote matches every version, a chance paraphrase
   mostly one). It must reach `ANCHORED_COSINE`.
3. A report sharing none (e.g. Chinese or Japanese text, where the names are written in
   another script) needs the whole-lead cosine to reach `UNANCHORED_COSINE`, which only a
   close translation of the whole page reaches.

The thresholds were set on nine self-written cases around one demo page (kept as
`tests/portal/test_crosslingual.py`): quotes, translations and republications scored
0.875-0.92, reports on the same places that quote nothing 0.849-0.865. The margin is thin:
multilingual-e5-small is a small model, and a one-sentence quote is near its limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[Any]

MIN_SHARED_ANCHORS = 2
ANCHORED_COSINE = 0.87
UNANCHORED_COSINE = 0.93
#: sentences of a report embedded at most (title first, then the text in order)
MAX_REPORT_SENTENCES = 24
#: sentences of a page kept (title, summary and body, in order)
MAX_PAGE_SENTENCES = 48

# names every report about the country shares: they prove nothing
GENERIC = frozenset(
    {"viet", "nam", "vietnam", "vietnamese", "vietnamien", "vietnamienne", "vietnamesisch",
     "hanoi", "ha", "noi", "ho", "chi", "minh", "tp", "the", "le", "la", "les", "der", "die",
     "das", "el", "los", "las", "un", "une", "a", "an", "in", "on", "of", "de", "du", "des"}
)  # fmt: skip

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？»”])\s+|\n+")


def fold(word: str) -> str:
    """Lower case without diacritics (Bảo Lộc → bao loc; đ → d), so a name matches across
    languages that write it with or without its marks."""
    word = word.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def sentences(text: str, limit: int = MAX_PAGE_SENTENCES) -> list[str]:
    parts = [" ".join(p.split()) for p in _SENTENCE_END.split(text)]
    return [p for p in parts if len(p) >= 12][:limit]


def tokens(text: str) -> set[str]:
    return {fold(t) for t in _TOKEN.findall(text)}


def _candidates(text: str) -> set[str]:
    """Names (capitalised words not opening a sentence) and numbers of two digits or more."""
    found: set[str] = set()
    for sentence in sentences(text, limit=10_000):
        for i, token in enumerate(_TOKEN.findall(sentence)):
            if token.isdigit():
                if len(token) >= 2:
                    found.add(token)
            elif i > 0 and token[:1].isupper() and len(token) >= 2:
                found.add(fold(token))
    return found - GENERIC


def page_anchors(versions: Sequence[str]) -> set[str]:
    """Anchors of one page from the texts of all its language versions: names and numbers
    found in two versions or more; with one version, that version's names and numbers."""
    if len(versions) == 1:
        return _candidates(versions[0])
    words = [tokens(v) for v in versions]
    seen: dict[str, int] = {}
    for candidate in set().union(*(_candidates(v) for v in versions)):
        seen[candidate] = sum(candidate in w for w in words)
    return {a for a, n in seen.items() if n >= 2}


def version_score(report_sentences: Matrix, page_sentences: Matrix) -> float:
    """Mean of the two page sentences best matched by any report sentence (rows are
    L2-normalised): one matched sentence alone may be a chance paraphrase."""
    if report_sentences.size == 0 or page_sentences.size == 0:
        return 0.0
    best = np.sort((report_sentences @ page_sentences.T).max(axis=0))[::-1]
    return float(best[:2].mean())


def page_score(report_sentences: Matrix, versions: Iterable[Matrix]) -> float:
    """The page's score against a report: its other-language versions' scores, averaged."""
    scores = [version_score(report_sentences, v) for v in versions]
    return float(np.mean(scores)) if scores else 0.0


def page_match(
    shared_anchors: int,
    report_rows: Callable[[], Matrix],
    report_lead: Matrix | None,
    versions: Sequence[tuple[Matrix, Matrix]],
) -> float | None:
    """The decision for one page against one report: its score when the report quotes or
    republishes it in another language, else None. `versions` are the page's other-language
    versions as (sentence rows, lead row); `report_rows` embeds the report's sentences only
    when needed (anchored pages); `report_lead` is the report's stored lead vector.

    Why steps 2 and 3 of the module's rule in one function: the portal and Respond apply the
    same thresholds to their own pages, and a threshold changed in one place must hold in both.
    """
    if not versions:
        return None
    if shared_anchors >= MIN_SHARED_ANCHORS:
        score = page_score(report_rows(), (rows for rows, _lead in versions))
        return score if score >= ANCHORED_COSINE else None
    if report_lead is None:
        return None
    leads = [lead for _rows, lead in versions if lead.shape == report_lead.shape]
    if not leads:
        return None  # the report was embedded by another model: not comparable
    score = max(float(np.dot(report_lead, lead)) for lead in leads)
    return score if score >= UNANCHORED_COSINE else None
