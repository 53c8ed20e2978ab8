"""Language identification: which language an article is written in.

`detect(text, hint)` returns a BCP 47 primary-language code ("vi", "en", "zh", ...) and a
confidence in [0, 1]. It answers only with a language from a configured set (by default
`DEFAULT_LANGUAGES`, the platform's languages), or "und" with confidence 0 when the text is
empty, has too few letters, or is written in a language outside the set.

How it decides, and why:

1. Letters are counted by Unicode script. Where a script belongs to one language in the set
   it decides on its own: Hangul -> ko, kana -> ja, Thai -> th, Lao -> lo, Khmer -> km,
   Han without kana -> zh (Greek, Hebrew, Georgian, Armenian likewise when configured).
   A character n-gram model is no better than these rules there and is worse on short
   headlines (Han-only Japanese headlines are the known residual error: a "ja" hint fixes it).
2. Otherwise (Latin, Cyrillic, Arabic, Devanagari ... scripts shared by many languages) the
   naive Bayes model of py3langid (langid.py, 140 languages, bundled in its wheel) ranks the
   text over *all* its languages. The guess is the best configured language of that script;
   its confidence is its share among the configured candidates times the probability mass
   the full model puts on those candidates, so Polish text with only {en, fr, ...}
   configured gets a low confidence (and "und" below `MIN_IN_SET_MASS`) instead of a
   confident wrong answer.
3. A hint (the feed's or page's declared language, e.g. "vi-VN") multiplies its language's
   probability by `HINT_WEIGHT`: it breaks near-ties (Malay vs Indonesian, very short texts)
   but does not override clear evidence, and never overrides a decisive script.
4. A declared language is checked cheaply first: the model reads only the first
   `QUICK_CHARS` characters, and when it puts the hinted language first among the
   candidates with a share of at least `QUICK_SHARE` (before the hint's weight) and most of
   its mass on the candidates, that is the answer. Otherwise (no hint, a wrong hint, a
   close call) the whole text is read as in 2. Why: langid's byte-by-byte walk is the
   language stage's cost (about 10 ms for 3,000 characters, every article of a world
   stream), and most pages declare their language; a prefix that clearly agrees with the
   declaration is conclusive, and nothing else changes (undeclared texts are read in full).

The model is loaded once per process (`_identifier`, cached): it is read-only state, and
loading it takes about a second.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

__all__ = [
    "DEFAULT_LANGUAGES",
    "LanguageGuess",
    "UNDETERMINED",
    "detect",
    "normalize_code",
]

UNDETERMINED = "und"

#: The platform's languages (DESIGN: the portal locales plus the languages of the region).
DEFAULT_LANGUAGES: frozenset[str] = frozenset(
    {
        "vi", "en", "fr", "zh", "ru", "es", "de", "ja", "ko",
        "th", "lo", "km", "it", "pt", "ar", "id", "ms",
    }
)  # fmt: skip

#: Text past this many characters is not read: the start of an article decides its language.
MAX_CHARS = 4000
#: Fewer letters than this and the text is undecidable.
MIN_LETTERS = 3
#: Multiplier on the hinted language's probability.
HINT_WEIGHT = 5.0
#: Below this share of the full model's probability on the configured candidates, a text of
#: at least `OUT_OF_SET_MIN_LETTERS` letters is taken to be in a language outside the set
#: ("und"). Shorter texts spread the full model's mass over many small related languages
#: (Venetian, Galician, Pidgin...), so they keep their best guess with a low confidence.
MIN_IN_SET_MASS = 0.2
OUT_OF_SET_MIN_LETTERS = 100
#: In Han+kana text, at least this share of kana means Japanese.
KANA_SHARE_JA = 0.05
#: Characters read by the check of a declared language (step 4 of the module doc).
QUICK_CHARS = 400
#: The hinted language's share among the candidates on that prefix (without the hint's
#: weight) at which the prefix is conclusive, and the least probability mass the full
#: model must put on the candidates there.
QUICK_SHARE = 0.99
QUICK_MASS = 0.9
#: Weighted letters at which a script-decided guess reaches half-way to full confidence.
SCRIPT_HALF_CONFIDENCE = 2.0

# Weight of one letter per script when picking the dominant one: a Han character carries
# about as much text as two or three Latin letters, a Hangul block or a kana (one syllable)
# somewhat less.
_WEIGHT = {"han": 2.5, "kana": 1.5, "hangul": 2.0}

# Script blocks (start, end inclusive, script). Only letters (category L*) are counted.
_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x0250, 0x02AF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B00, 0x0B7F, "oriya"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0C00, 0x0C7F, "telugu"),
    (0x0C80, 0x0CFF, "kannada"),
    (0x0D00, 0x0D7F, "malayalam"),
    (0x0D80, 0x0DFF, "sinhala"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x0F00, 0x0FFF, "tibetan"),
    (0x1000, 0x109F, "myanmar"),
    (0x10A0, 0x10FF, "georgian"),
    (0x1100, 0x11FF, "hangul"),
    (0x1200, 0x139F, "ethiopic"),
    (0x1780, 0x17FF, "khmer"),
    (0x19E0, 0x19FF, "khmer"),
    (0x1C80, 0x1C8F, "cyrillic"),
    (0x1E00, 0x1EFF, "latin"),
    (0x1F00, 0x1FFF, "greek"),
    (0x2C60, 0x2C7F, "latin"),
    (0x2DE0, 0x2DFF, "cyrillic"),
    (0x3005, 0x3007, "han"),
    (0x3040, 0x309F, "kana"),
    (0x30A0, 0x30FF, "kana"),
    (0x3130, 0x318F, "hangul"),
    (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xA640, 0xA69F, "cyrillic"),
    (0xA720, 0xA7FF, "latin"),
    (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7FF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0xFF21, 0xFF5A, "latin"),
    (0xFF66, 0xFF9F, "kana"),
    (0xFFA0, 0xFFDC, "hangul"),
    (0x20000, 0x3134F, "han"),
)
_BLOCK_STARTS = tuple(b[0] for b in _BLOCKS)

# The script a language is written in (languages not listed here: Latin).
_SCRIPT_OF: dict[str, str] = {
    **dict.fromkeys(("ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "tt", "ba"),
                    "cyrillic"),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "sdh", "arz", "ary"), "arabic"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "gom"), "devanagari"),
    **dict.fromkeys(("bn", "as"), "bengali"),
    **dict.fromkeys(("he", "hbo"), "hebrew"),
    **dict.fromkeys(("el", "grc"), "greek"),
    **dict.fromkeys(("zh", "yue", "wuu"), "han"),
    "ja": "kana",
    "ko": "hangul",
    "th": "thai",
    "lo": "lao",
    "km": "khmer",
    "my": "myanmar",
    "ka": "georgian",
    "hy": "armenian",
    "am": "ethiopic",
    "si": "sinhala",
    "ta": "tamil",
    "te": "telugu",
    "kn": "kannada",
    "ml": "malayalam",
    "gu": "gujarati",
    "pa": "gurmukhi",
    "or": "oriya",
    "dz": "tibetan",
}  # fmt: skip

# Scripts that name their language outright when one configured language uses them.
_DECISIVE_SCRIPTS = frozenset(
    {"han", "kana", "hangul", "thai", "lao", "khmer", "greek", "georgian", "armenian",
     "hebrew", "myanmar", "ethiopic", "sinhala", "tamil", "telugu", "kannada", "malayalam",
     "gujarati", "gurmukhi", "oriya", "tibetan"}
)  # fmt: skip

# Legacy or common non-standard codes seen in feeds' language fields.
_ALIASES = {"in": "id", "iw": "he", "ji": "yi", "jp": "ja", "jw": "jv", "cn": "zh", "kr": "ko",
            "vn": "vi", "zsm": "ms", "cmn": "zh", "nb": "no"}  # fmt: skip

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language: BCP 47 primary code (or "und") and a confidence in [0, 1]."""

    code: str
    confidence: float


class _Ranker(Protocol):
    def rank(self, text: str) -> list[tuple[str, float]]: ...


@lru_cache(maxsize=1)
def _identifier() -> _Ranker:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ranker: _Ranker = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return ranker


@lru_cache(maxsize=1)
def _model_languages() -> frozenset[str]:
    return frozenset(lang for lang, _ in _identifier().rank("a"))


def normalize_code(code: str) -> str:
    """Primary language subtag of a BCP 47 tag or locale ("vi-VN", "zh_Hant" -> "zh")."""
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not base.isalpha() or not 2 <= len(base) <= 3:
        return ""
    return _ALIASES.get(base, base)


@lru_cache(maxsize=65536)
def _script(ch: str) -> str:
    """The script block of one character (cached: a text has few distinct letters, and this
    ran ~500k times per 200 articles before, a third of the language stage)."""
    cp = ord(ch)
    lo, hi = 0, len(_BLOCKS)
    while lo < hi:  # last block whose start is <= cp
        mid = (lo + hi) // 2
        if _BLOCK_STARTS[mid] <= cp:
            lo = mid + 1
        else:
            hi = mid
    if lo:
        start, end, name = _BLOCKS[lo - 1]
        if start <= cp <= end:
            return name
    return "other"


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    # count each distinct character once in C (Counter), then map the few distinct letters
    for ch, n in Counter(text).items():
        if ch.isalpha():
            name = _script(ch)
            counts[name] = counts.get(name, 0) + n
    return counts


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFC", text[: MAX_CHARS * 2])
    text = _URL_RE.sub(" ", text)
    return " ".join(text.split())[:MAX_CHARS]


def _clamp(x: float) -> float:
    return 0.0 if x != x else min(1.0, max(0.0, x))  # x != x: NaN


def detect(text: str, hint: str = "", *, languages: Iterable[str] | None = None) -> LanguageGuess:
    """Detect the language of `text` among `languages` (default `DEFAULT_LANGUAGES`).

    `hint` is a declared language (BCP 47 or locale; may be empty or wrong). Never raises on
    any string; returns `LanguageGuess("und", 0.0)` when the text cannot be decided.
    """
    allowed = (
        DEFAULT_LANGUAGES
        if languages is None
        else frozenset(c for c in (normalize_code(x) for x in languages) if c)
    )
    undecided = LanguageGuess(UNDETERMINED, 0.0)
    if not isinstance(text, str) or not allowed:
        return undecided
    prepared = _prepare(text)
    counts = _script_counts(prepared)
    if sum(counts.values()) < MIN_LETTERS:
        return undecided
    hinted = normalize_code(hint) if hint else ""

    # Han and kana are one writing system: kana share separates Japanese from Chinese.
    cjk = counts.get("han", 0) + counts.get("kana", 0)
    weighted = {s: n * _WEIGHT.get(s, 1.0) for s, n in counts.items() if s not in ("han", "kana")}
    if cjk:
        weighted["cjk"] = (
            counts.get("han", 0) * _WEIGHT["han"] + counts.get("kana", 0) * _WEIGHT["kana"]
        )
    total = sum(weighted.values())
    dominant = max(weighted, key=lambda s: weighted[s])
    share = weighted[dominant] / total
    if dominant == "cjk":
        kana_share = counts.get("kana", 0) / cjk
        if "ja" in allowed and (
            kana_share >= KANA_SHARE_JA or (hinted == "ja" and kana_share < 1.0)
        ):
            dominant = "kana"
        elif "zh" in allowed or "ja" not in allowed:
            dominant = "han" if kana_share < KANA_SHARE_JA else "kana"
        else:  # only ja configured: Han-only text can still be Japanese
            dominant = "kana"

    candidates = sorted(c for c in allowed if _SCRIPT_OF.get(c, "latin") == dominant)
    if not candidates:
        return undecided
    if dominant in _DECISIVE_SCRIPTS and len(candidates) == 1:
        units = weighted.get(dominant, weighted.get("cjk", 0.0))
        length_factor = units / (units + SCRIPT_HALF_CONFIDENCE)
        return LanguageGuess(candidates[0], _clamp(share * length_factor))
    if share < 1.0:  # score only the dominant script: quoted foreign script is noise here
        foreign = {ord(ch): " " for ch in set(prepared)
                   if ch.isalpha() and _script(ch) != dominant}  # fmt: skip
        prepared = prepared.translate(foreign)
    long_enough = counts.get(dominant, 0) >= OUT_OF_SET_MIN_LETTERS
    if hinted in candidates and len(prepared) > QUICK_CHARS:
        quick = _declared_prefix(prepared[:QUICK_CHARS], candidates, hinted, share)
        if quick is not None:
            return quick
    return _rank_among(prepared, candidates, hinted, share, long_enough)


def _declared_prefix(
    prefix: str, candidates: list[str], hinted: str, share: float
) -> LanguageGuess | None:
    """The hinted language when the prefix alone clearly agrees with it (else None)."""
    scoreable = [c for c in candidates if c in _model_languages()]
    if hinted not in scoreable:
        return None
    probs = dict(_identifier().rank(prefix))
    mass = sum(probs.get(c, 0.0) for c in scoreable)
    if mass < QUICK_MASS:
        return None
    own = probs.get(hinted, 0.0) / mass
    if own < QUICK_SHARE:
        return None
    return LanguageGuess(hinted, _clamp(own * min(1.0, mass) * share))


def _rank_among(
    text: str, candidates: list[str], hinted: str, share: float, long_enough: bool
) -> LanguageGuess:
    known = _model_languages()
    scoreable = [c for c in candidates if c in known]
    if not scoreable:
        return LanguageGuess(UNDETERMINED, 0.0)
    probs = dict(_identifier().rank(text))
    mass = sum(probs.get(c, 0.0) for c in scoreable)
    if mass <= 0.0 or (long_enough and mass < MIN_IN_SET_MASS):
        return LanguageGuess(UNDETERMINED, 0.0)
    scores = {c: probs.get(c, 0.0) for c in scoreable}
    if hinted in scores:
        scores[hinted] *= HINT_WEIGHT
    norm = sum(scores.values())
    best = max(scores, key=lambda c: scores[c])
    return LanguageGuess(best, _clamp(scores[best] / norm * min(1.0, mass) * share))
