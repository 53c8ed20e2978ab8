"""Text-matching helpers shared by the gazetteer (`relevance`) and the lexicons (`dimensions`).

Why a module of its own: both stages look up hundreds of multilingual names or keywords in
long texts, and both must treat Vietnamese the same way:

- Vietnamese diacritics arrive in two Unicode encodings (precomposed NFC and decomposed NFD)
  and with two tone-mark placements ("Thanh Hoá" old style, "Thanh Hóa" new style). We compare
  text in one canonical form: NFC, new-style placement (`normalize_tone_placement`).
- Foreign writers drop some or all diacritics ("Viêt Nam", "Da Nang"). `fold_with_offsets`
  strips Latin diacritics while keeping a map back to the caller's character offsets, so a
  match found in the folded text can still point at the exact span of the original (tone
  toward the country is scored at that span).
- Python's `re` tries alternatives one by one; a flat alternation of a thousand names is slow.
  `trie_pattern` factors the names into a prefix trie so each position costs one walk.

All functions are pure; the only module-level values are constant tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Latin diacritics live in this block; marks of other scripts (Thai, Lao, Devanagari ...) are
# letters of those words and must never be stripped.
_COMBINING_LO, _COMBINING_HI = 0x0300, 0x036F
STROKE = "stroke"  # pseudo-mark so that "đ" compares as "d" + a mark

# Separator between the words of a multi-word name: spaces (incl. no-break), hyphens and
# dashes, full stops ("TP.HCM") and apostrophes ("baie d'Along"); zero or more, so that
# compact spellings ("HaNoi", "TPHCM") match too. Capitalisation rules (see relevance) keep
# the zero-width case from matching ordinary words.
SEPARATOR = r"[\s\-\u2010\u2011\u2012\u2013\u2014.'\u2019\u00b7]*"
_SEPARATOR_CHARS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014.'\u2019\u00b7]+")


def is_latin_mark(ch: str) -> bool:
    """True for a combining Latin diacritic (U+0300–U+036F)."""
    return _COMBINING_LO <= ord(ch) <= _COMBINING_HI


def _is_foldable(ch: str) -> bool:
    o = ord(ch)
    # Latin-1 Supplement, Latin Extended-A/B, Latin Extended Additional (Vietnamese),
    # Cyrillic (й, ё decompose to и/е + a mark).
    return 0x00C0 <= o < 0x0250 or 0x1E00 <= o <= 0x1EFF or 0x0400 <= o <= 0x04FF


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {0x0110: "D", 0x0111: "d"}  # Đ đ do not decompose under NFD
    for o in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)) + list(range(0x400, 0x500)):
        ch = chr(o)
        if o in table:
            continue
        nfd = unicodedata.normalize("NFD", ch)
        if len(nfd) > 1 and all(is_latin_mark(m) for m in nfd[1:]):
            table[o] = nfd[0]
    return table


_FOLD_TABLE = _build_fold_table()
_HAS_LATIN_MARK = re.compile("[\u0300-\u036f]")


def fold_char(ch: str) -> str:
    """The base letter of a precomposed Latin/Cyrillic letter ("ệ" → "e", "đ" → "d")."""
    return _FOLD_TABLE.get(ord(ch), ch)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Strip Latin diacritics; return the folded text and a map folded index → text index.

    The map is None when the folded text has the same length as the input (no combining
    marks to drop: the usual NFC case), so callers pay for the map only on decomposed input.
    When it is a list it has one extra entry, `len(text)`, so `offsets[end]` is valid.
    """
    folded = text.translate(_FOLD_TABLE)
    if not _HAS_LATIN_MARK.search(folded):
        return folded, None
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(folded):
        if is_latin_mark(ch):
            continue
        chars.append(ch)
        offsets.append(i)
    offsets.append(len(text))
    return "".join(chars), offsets


def fold(text: str) -> str:
    """Folded form of `text` (no offsets), e.g. for building lookup keys."""
    return fold_with_offsets(text)[0]


def letters_key(text: str) -> str:
    """Lookup key: folded, lower-case, separators removed ("Bà Rịa - Vũng Tàu" → "bariavungtau")."""
    return _SEPARATOR_CHARS.sub("", fold(text)).lower()


_WORD = re.compile(r"\w+")
_OPEN_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})


def _fix_tone(word: str) -> str:
    # Old style puts the tone on the second vowel of a final "oa", "oe", "uy" ("hoà", "khoẻ",
    # "thuỷ"); new style (the 1980s/2018 orthography, used by units.json) on the first ("hòa").
    nfd = unicodedata.normalize("NFD", word)
    clusters: list[list[str]] = []
    for ch in nfd:
        if is_latin_mark(ch) and clusters:
            clusters[-1].append(ch)
        else:
            clusters.append([ch])
    if len(clusters) < 2:
        return word
    v1, v2 = clusters[-2], clusters[-1]
    if (v1[0].lower(), v2[0].lower()) not in _OPEN_PAIRS:
        return word
    if v1[0].lower() == "u" and len(clusters) >= 3 and clusters[-3][0].lower() == "q":
        return word  # "quý": the u belongs to the consonant "qu"
    v1_marks, v2_marks = v1[1:], v2[1:]
    if any(m not in TONE_MARKS for m in v1_marks + v2_marks) or v1_marks:
        return word  # ô/ơ/ư/â/ê: not one of the ambiguous pairs, or already new style
    if not v2_marks:
        return word
    clusters[-2] = [v1[0], *v2_marks]
    clusters[-1] = [v2[0]]
    return unicodedata.normalize("NFC", "".join("".join(c) for c in clusters))


def normalize_tone_placement(text: str) -> str:
    """NFC text with Vietnamese tone marks in new-style placement ("Thanh Hoá" → "Thanh Hóa")."""
    nfc = unicodedata.normalize("NFC", text)
    if nfc.isascii():
        return nfc
    return _WORD.sub(lambda m: m.group(0) if m.group(0).isascii() else _fix_tone(m.group(0)), nfc)


@dataclass(frozen=True, slots=True)
class Cluster:
    """One letter of a name: its base (case kept) and the diacritics on it."""

    base: str
    marks: frozenset[str]


def letter_clusters(text: str) -> tuple[Cluster, ...]:
    """Letters of `text` with their diacritics, separators dropped (tone placement normalised)."""
    out: list[tuple[str, set[str]]] = []
    for ch in unicodedata.normalize("NFD", normalize_tone_placement(text)):
        if is_latin_mark(ch):
            if out:
                out[-1][1].add(ch)
            continue
        if not ch.isalnum():
            continue
        if ch in "đĐ":
            out.append(("d" if ch == "đ" else "D", {STROKE}))
        else:
            out.append((fold_char(ch), set()))
    return tuple(Cluster(b, frozenset(m)) for b, m in out)


def word_starts(text: str) -> tuple[int, ...]:
    """Indices (in `letter_clusters` space) of the first letter of each word of `text`."""
    starts: list[int] = []
    count = 0
    prev_letter = False
    for ch in unicodedata.normalize("NFD", normalize_tone_placement(text)):
        if is_latin_mark(ch):
            continue
        if ch.isalnum():
            if not prev_letter:
                starts.append(count)
            count += 1
            prev_letter = True
        else:
            prev_letter = False
    return tuple(starts)


# --- prefix-trie regular expressions -------------------------------------------------------

SEP_CHAR = "\x00"  # stands for SEPARATOR inside trie keys


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    bounded_end: bool = False  # a name ends here and needs a right boundary
    open_end: bool = False  # a stem ends here: anything may follow


def tokens_for(name: str, *, fold_letters: bool = True) -> str:
    """Trie key of a name: lower-case (folded unless told not to), words joined by SEP_CHAR."""
    base = fold(name) if fold_letters else normalize_tone_placement(name)
    words = [w for w in _SEPARATOR_CHARS.split(base.lower()) if w]
    return SEP_CHAR.join(words)


def _emit(node: _Node, right_boundary: str) -> str:
    branches = []
    # Longer continuations first: `re` takes the first alternative that matches, so this
    # yields the longest name at a position ("Thai Binh" before "Thai").
    for ch in sorted(node.children, key=lambda c: (c == SEP_CHAR, c)):
        child = node.children[ch]
        head = SEPARATOR if ch == SEP_CHAR else re.escape(ch)
        branches.append(head + _emit(child, right_boundary))
    if node.bounded_end and not node.open_end:
        branches.append(right_boundary)
    elif node.open_end:
        branches.append("")
    if len(branches) == 1:
        only = branches[0]
        return only if not node.children or len(node.children) == 1 else f"(?:{only})"
    return "(?:" + "|".join(branches) + ")"


def trie_pattern(
    keys: Iterable[tuple[str, bool]], *, left_boundary: str = "", right_boundary: str = ""
) -> str:
    """Regex source matching any of `keys` ((trie key, is_stem)) with the given boundaries.

    Keys come from `tokens_for`. A stem key matches as a prefix of a longer word (inflected
    languages: "вьетнам" in "Вьетнама"); other keys need `right_boundary` after them.
    """
    root = _Node()
    for key, stem in keys:
        if not key:
            continue
        node = root
        for ch in key:
            node = node.children.setdefault(ch, _Node())
        if stem:
            node.open_end = True
        else:
            node.bounded_end = True
    if not root.children:
        return r"(?!x)x"  # matches nothing
    return left_boundary + _emit(root, right_boundary)


def compile_trie(
    keys: Sequence[tuple[str, bool]], *, left_boundary: str = "", right_boundary: str = ""
) -> re.Pattern[str]:
    """Compile `trie_pattern` case-insensitively (texts are matched in folded form)."""
    source = trie_pattern(keys, left_boundary=left_boundary, right_boundary=right_boundary)
    return re.compile(source, re.IGNORECASE)
