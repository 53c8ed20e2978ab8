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
3. A report sharing fewer (Chinese, Japanese, Korean, Russian: the names are written in
   another script) is first filtered on its whole-text vector: its cosine to one of the page's
   versions must reach `LEAD_PREFILTER` (cheap: the report's vector is already stored), then
   its *coverage* of the page must reach `UNANCHORED_COVERAGE`: for each of the page's
   sentences, its best cosine to any report sentence, averaged over the page's sentences and
   then over its other-language versions. WHY coverage and not the two best sentences: a
   translation of the whole page matches every sentence of it, a report on the same place or
   subject one or two of them; on the development set below, the two-best rule left a margin
   of 0.011 between translations and same-subject reports in those scripts, coverage 0.023.
   A short quote in those scripts is not recognised (it covers too little of the page).

Thresholds, set on self-written data only: the nine cases of `tests/portal/test_crosslingual.py`
plus the 27 of `tests/fixtures/portal/pickups_dev.jsonl` (translations and quotes of the demo
article in zh-hans, ja, ru, ko, de, and reports on the same province, the same subject
elsewhere, or the same subject in the same province that reuse nothing), scored against the
article's 11 language versions and against its vi/en/fr versions only:

* anchored (Latin-script names shared), two-best-sentence score: pickups 0.855-0.891 (11
  versions) and 0.874-0.921 (3 versions); non-pickups up to 0.855 and 0.870. `ANCHORED_COSINE`
  is 0.872: no non-pickup reaches it in either setting, translations and two-sentence quotes
  with few versions do; a one-sentence quote scores like a same-province report (0.8555 against
  0.8549) and is missed. The margin is thin, and it depends on how many versions a page has.
* unanchored, coverage: whole-page translations into zh-hans, ja, ru and ko 0.851-0.872 (11
  versions) and 0.846-0.877 (3 versions); every non-pickup in those scripts and es 0.794-0.834
  (the hardest: same subject in the same province, and the same harvest in Brazil).
  `UNANCHORED_COVERAGE` is 0.840, between 0.834 and 0.846. Translations' whole-text cosines
  were 0.831-0.875, so `LEAD_PREFILTER` 0.80 loses none of them.

multilingual-e5-small is a small model: these margins are from 36 cases around one page.
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
ANCHORED_COSINE = 0.872
LEAD_PREFILTER = 0.80
UNANCHORED_COVERAGE = 0.840
#: sentences a page version needs for the unanchored rule: covering a one- or two-sentence
#: page (a section's summary, the home page) is what any report on its subject does
MIN_UNANCHORED_SENTENCES = 3
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

# letters and digits apart: Chinese and Japanese write "2025年" with no space, and the
# number is an anchor
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
# Chinese and Japanese end a sentence with 。！？ and no space after it
_SENTENCE_END = re.compile(r"(?<=[.!?»”])\s+|(?<=[。！？])|\n+")


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


def coverage(report_sentences: Matrix, page_sentences: Matrix) -> float:
    """How much of one page version the report covers: each page sentence's best cosine to a
    report sentence, averaged over the page's sentences (rows are L2-normalised)."""
    if report_sentences.size == 0 or page_sentences.size == 0:
        return 0.0
    return float((report_sentences @ page_sentences.T).max(axis=0).mean())


def unanchored_score(
    report_lead: Matrix,
    report_sentences: Callable[[], Matrix],
    versions: Sequence[tuple[Matrix, Matrix]],
) -> float:
    """The page's score for a report that shares too few of its names (another script):
    0.0 unless the report's whole-text vector reaches `LEAD_PREFILTER` against one of the
    page's other-language versions (lead row, sentence rows); then the coverage averaged over
    those versions; versions of fewer than `MIN_UNANCHORED_SENTENCES` sentences are not
    judged. `report_sentences` is called only past the filter: embedding a report's
    sentences is the costly step, and most reports share no subject with the page."""
    versions = [(lead, rows) for lead, rows in versions if len(rows) >= MIN_UNANCHORED_SENTENCES]
    if not versions or max(float(np.dot(report_lead, lead)) for lead, _ in versions) < (
        LEAD_PREFILTER
    ):
        return 0.0
    rows = report_sentences()
    return float(np.mean([coverage(rows, sentences) for _, sentences in versions]))


def page_match(
    shared_anchors: int,
    report_rows: Callable[[], Matrix],
    report_lead: Matrix | None,
    versions: Sequence[tuple[Matrix, Matrix]],
) -> float | None:
    """The decision for one page against one report: its score when the report quotes or
    republishes it in another language, else None. `versions` are the page's other-language
    versions as (sentence rows, lead row); `report_rows` embeds the report's sentences only
    when needed (anchored pages, or past the unanchored prefilter); `report_lead` is the
    report's stored lead vector.

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
    comparable = [(lead, rows) for rows, lead in versions if lead.shape == report_lead.shape]
    if not comparable:
        return None  # the report was embedded by another model: not comparable
    score = unanchored_score(report_lead, report_rows, comparable)
    return score if score >= UNANCHORED_COVERAGE else None
