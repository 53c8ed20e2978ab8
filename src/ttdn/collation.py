"""Vietnamese alphabetical order for names, without ICU.

Why: Python and SQLite sort by code point, which puts "Đ" (U+0110) after "Z", so "Đà Nẵng"
and "Đồng Nai" come last. Vietnamese orders letters a ă â b c d đ e ê g h i k l m n o ô ơ p q
r s t u ư v x y, and tone marks only break ties (unmarked, grave, hook, tilde, acute, dot —
the order of Vietnamese dictionaries). `vi_sort_key` gives exactly that: a primary key of
base letters and a secondary key of tones. It is framework-free, so selectors, forms and
the PDF reports all sort names the same way.
"""

from __future__ import annotations

import unicodedata

# base letters in Vietnamese order (other Latin letters keep their usual place)
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
# tone marks (combining characters after NFD), in dictionary order; 0 = no tone
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# vowel-shape marks that make a distinct letter: breve, circumflex, horn
_SHAPES = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
           ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}  # fmt: skip


def _letters(text: str) -> list[tuple[str, int]]:
    """(base letter, tone) per letter of `text`, lower-cased."""
    out: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in _TONES and out:
            out[-1] = (out[-1][0], _TONES[char])
        elif unicodedata.combining(char) and out:
            shaped = _SHAPES.get((out[-1][0], char))
            if shaped:
                out[-1] = (shaped, out[-1][1])
        else:
            out.append(("đ" if char == "đ" else char, 0))
    return out


def _primary(letter: str) -> tuple[int, str]:
    """Spaces and punctuation first, then letters in Vietnamese order, then the rest."""
    if letter in _RANK:
        return (1, f"{_RANK[letter]:03d}")
    return (2, letter) if letter.isalnum() else (0, letter)


def vi_sort_key(text: str) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...]]:
    """A sort key that orders `text` as a Vietnamese dictionary does."""
    letters = _letters(text or "")
    primary = tuple(_primary(letter) for letter, _tone in letters)
    return primary, tuple(tone for _letter, tone in letters)
