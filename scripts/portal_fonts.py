"""Build the portal's web fonts (WOFF, regular weight, subset) from OFL fonts on PyPI, so
readers get them from our own static files, never a CDN:

* Noto Sans (fontpkg-noto-sans, already a dependency): Latin incl. Vietnamese, Cyrillic
* Noto Sans Khmer (fontpkg-noto-sans-khmer, downloaded only to run this script)
* Noto Sans Lao (Debian's fonts-noto-core, downloaded only to run this script)
* Noto Sans CJK SC, JP, KR (Debian's fonts-noto-cjk, installed on the build machine)

    pip download --no-deps -d /tmp/fonts 'fontpkg-noto-sans-khmer>=2.4,<3'
    (cd /tmp/fonts && apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb core)
    apt-get install fonts-noto-cjk          # /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
    pip install 'ttdn[fonts]'               # Brotli, for WOFF2
    python scripts/portal_fonts.py /tmp/fonts/fontpkg_noto_sans_khmer-2.4-py3-none-any.whl \
        /tmp/fonts/core/usr/share/fonts/truetype/noto/NotoSansLao-Regular.ttf \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

All are under the SIL Open Font License 1.1 (the OFL-*.txt files beside them). The CJK
fonts are cut to each language's common repertoire — GB 2312 level 1 (3,755 hanzi) for
Simplified Chinese, JIS X 0208 level 1 (2,965 kanji) and kana for Japanese, the 2,350 KS X
1001 hangul syllables for Korean — with CJK punctuation and full-width forms; rarer
characters fall back to the reader's system fonts (named after ours in portal.css). Chinese
and Japanese are split BY CHARACTER FREQUENCY into many small slices (as Google Fonts does),
each with its `unicode-range`, so a page downloads only the few slices its characters fall
in (see `cjk_ranking`: the portal's own words first, then frequency in the Chinese and
Japanese text of the shared evaluation data, then the legacy "common" level sets as a prior).

Only the CJK slices (after a change to the catalogue, the demo or the ranking), with the
shared data beside the repository (../shared/data, or TTDN_SHARED_DATA):

    python scripts/portal_fonts.py --cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc A tiny "Portal Names" font holds just the
characters of the language switcher's names, so a Vietnamese page never downloads a CJK
slice to show "简体中文". `fonts.css` (the @font-face rules) is written by this script.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from fontpkg_noto_sans import ROOT as NOTO_ROOT
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "src" / "ttdn" / "portal" / "static" / "portal" / "fonts"
LATIN = "U+0000-024F,U+0300-036F,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20AB,U+20AC"
KHMER = "U+1780-17FF,U+19E0-19FF,U+200B-200D,U+25CC"
LAO = "U+0E80-0EFF,U+200B-200D,U+25CC"
CJK_PUNCTUATION = [*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)]
KANA = [*range(0x3040, 0x3100), *range(0x31F0, 0x3200)]
HANGUL_JAMO = [*range(0x1100, 0x1200), *range(0x3130, 0x3190)]
#: face index in NotoSansCJK-Regular.ttc, repertoire, slices (by code point)
CJK_FACES = {"JP": 0, "KR": 1, "SC": 2}
#: the portal language whose pages link each CJK stylesheet (fonts-<language>.css)
CJK_LANGUAGES = {"JP": "ja", "KR": "ko", "SC": "zh-hans"}
#: code points per slice (the last one may be shorter); Korean stays one subset
SLICE_SIZE = {"SC": 36, "JP": 36}
#: OpenType features kept in the CJK slices. WHY not all: "*" keeps aalt, vert, jp78, trad,
#: … and their alternate glyphs (a 48-character slice held 120 glyphs, twice the bytes); a
#: browser applies none of them to horizontal text, and each face is served to its own
#: language only, so its default forms are the right ones (no locl).
CJK_FEATURES = ["ccmp", "kern", "liga", "calt", "rlig", "mark", "mkmk"]
#: name records kept: the family and style names, plus copyright (0) and licence (13, 14)
CJK_NAMES = [0, 1, 2, 3, 4, 5, 6, 13, 14]
ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u9fff]")
KANA_RE = re.compile(r"[\u3040-\u30ff]")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _encoding_set(encoding: str, first: int, last: int) -> list[int]:
    """The characters of a double-byte legacy set's rows `first`..`last` (EUC lead bytes)."""
    found = set()
    for lead in range(first, last + 1):
        for trail in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([lead, trail]).decode(encoding)))
            except (UnicodeDecodeError, TypeError):
                continue
    return sorted(found)


def repertoire(language: str) -> list[int]:
    if language == "SC":  # GB 2312 level 1: rows 16-55
        own = _encoding_set("gb2312", 0xB0, 0xD7)
    elif language == "JP":  # JIS X 0208 level 1: rows 16-47
        own = _encoding_set("euc_jp", 0xB0, 0xCF) + KANA
    else:  # KS X 1001 hangul: rows 16-40
        own = _encoding_set("euc_kr", 0xB0, 0xC8) + HANGUL_JAMO
    return sorted(set(own) | set(CJK_PUNCTUATION) | set(own_text(CJK_LANGUAGES[language])))


def own_text(language: str) -> list[int]:
    """Every character of the portal's own words in `language` (its interface catalogue and
    the demo translations), so our pages are covered even where a word is outside the common
    set (浏 of 浏览器, "browser", is GB 2312 level 2)."""
    import polib

    from ttdn.portal.demo_languages import EXTRA

    folder = language.replace("-hans", "_Hans")
    po = ROOT / "src/ttdn/portal/locale" / folder / "LC_MESSAGES/django.po"
    words = [entry.msgstr for entry in polib.pofile(str(po))] if po.exists() else []
    words.append(repr(EXTRA.get(language, {})))
    return sorted({ord(c) for text in words for c in text if ord(c) >= 0x2E80})


def _ranges(codes: list[int]) -> str:
    """U+XXXX-YYYY ranges for a sorted code point list (a compact unicode-range)."""
    out: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        out.append(f"U+{start:04X}" if start == prev else f"U+{start:04X}-{prev:04X}")
        start = prev = code
    return ", ".join(out)


def _subset(font: Any, codes: list[int], target: Path, *, cjk: bool = False) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = CJK_FEATURES if cjk else ["*"]
    options.name_IDs = CJK_NAMES if cjk else ["*"]
    options.desubroutinize = cjk  # smaller once WOFF2's Brotli has compressed it
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(str(target))
    return target.stat().st_size


def _face_rule(family: str, file: str, codes: str) -> str:
    return (
        f'@font-face {{ font-family: "{family}"; src: url("fonts/{file}") format("woff2");\n'
        f"  font-display: swap; unicode-range: {codes}; }}\n"
    )


def shared_data() -> Path:
    """The shared evaluation data (read-only, beside the repository or TTDN_SHARED_DATA)."""
    for candidate in (os.environ.get("TTDN_SHARED_DATA"), ROOT.parent / "shared" / "data",
                      ROOT.parent.parent / "shared" / "data"):  # fmt: skip
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise SystemExit("no shared data: set TTDN_SHARED_DATA (the ranking is built from it)")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030", "shift_jis", "euc_jp", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "ignore")


def corpus_documents() -> dict[str, list[str]]:
    """Every Chinese and Japanese text in the shared data ({"SC": [...], "JP": [...]}): each
    JSON line or page is a document; Japanese if kana make up 5 % of its han characters.
    Markup is dropped; a document with fewer than 20 han characters is skipped."""
    docs: dict[str, list[str]] = {"SC": [], "JP": []}
    for path in sorted(shared_data().rglob("*")):
        if not path.is_file() or path.stat().st_size > 20_000_000:
            continue
        raw = path.read_bytes()
        text = _decode(gzip.decompress(raw) if path.suffix == ".gz" else raw)
        units = text.splitlines() if path.suffix == ".jsonl" else [text]
        for unit in units:
            if path.suffix == ".jsonl":
                with contextlib.suppress(ValueError):  # a line that is not JSON stays text
                    unit = json.dumps(json.loads(unit), ensure_ascii=False)
            unit = html.unescape(TAGS.sub(" ", unit))
            han = len(HAN.findall(unit))
            if han >= 20:
                docs["JP" if len(KANA_RE.findall(unit)) > 0.05 * han else "SC"].append(unit)
    return docs


def held_out(document: str) -> bool:
    """One document in five (by a hash of its text) is kept out of the ranking, so the
    script can report what an UNSEEN text of that language costs a first visit."""
    return hashlib.sha256(document.encode()).digest()[0] % 5 == 0


def _legacy_prior(code: int) -> int:
    """How many legacy "common character" sets hold the character (GB 2312 level 1, JIS X
    0208 level 1, Big5 level 1): a character every region's standard calls common is, on
    average, more frequent than one only a single standard has. Ties after frequency."""
    char = chr(code)
    tests = (("gb2312", 0xB0A1, 0xD7F9), ("shift_jis", 0x889F, 0x9872), ("big5", 0xA440, 0xC67E))
    count = 0
    for encoding, low, high in tests:
        try:
            value = int.from_bytes(char.encode(encoding), "big")
        except UnicodeEncodeError:
            continue
        count += low <= value <= high
    return count


def cjk_ranking(language: str, codes: list[int], docs: dict[str, list[str]]) -> list[int]:
    """The repertoire `codes` in the order a page is likely to need them. WHY this order:
    a page downloads every slice holding one of its characters, so frequent characters must
    share slices. First the portal's own words in that language (its interface is on every
    page), then frequency in the shared data's texts of that language, plus a quarter of the
    frequency in the other one (most hanzi and kanji share a form, and our Chinese text is
    thin), then the number of legacy common sets holding it, then code point."""
    other = "JP" if language == "SC" else "SC"
    counts = {lang: Counter(c for d in docs[lang] if not held_out(d) for c in d) for lang in docs}
    totals = {lang: max(1, sum(counts[lang].values())) for lang in counts}
    own = set(own_text(CJK_LANGUAGES[language]))

    def key(code: int) -> tuple[int, float, int, int]:
        char = chr(code)
        share = counts[language][char] / totals[language]
        share += 0.25 * counts[other][char] / totals[other]
        return (0 if code in own else 1, -share, -_legacy_prior(code), code)

    return sorted(codes, key=key)


def first_visit_bytes(text: str, slices: list[tuple[set[int], int]]) -> int:
    """Bytes of the slices a page showing `text` downloads (each slice once)."""
    chars = {ord(c) for c in text}
    return sum(size for held, size in slices if held & chars)


def build_cjk(ttc: Path) -> dict[str, list[str]]:
    """Each CJK language's repertoire, in slices by frequency rank; its rules go in a
    stylesheet of its own (the exact unicode-ranges are long), linked by its pages only.
    Prints, per language, the slices and what an unseen (held-out) text costs."""
    rules: dict[str, list[str]] = {}
    docs = corpus_documents()
    for old in OUT.glob("NotoSansCJK[js][pc]-*.woff2"):
        old.unlink()
    for language, index in CJK_FACES.items():
        codes = repertoire(language)
        if language in SLICE_SIZE:
            codes = cjk_ranking(language, codes, docs)
        base = OUT / f"NotoSansCJK{language.lower()}-common.ttf"
        font = TTFont(str(ttc), fontNumber=index)
        options = subset.Options()
        options.layout_features = CJK_FEATURES
        options.name_IDs = CJK_NAMES
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)  # once: slicing the small font is fast, the TTC is not
        font.save(str(base))
        size = SLICE_SIZE.get(language, len(codes))
        slices: list[tuple[set[int], int]] = []
        for n in range(-(-len(codes) // size)):
            part = sorted(codes[n * size : (n + 1) * size])
            name = f"NotoSansCJK{language.lower()}-{n}.woff2"
            slices.append((set(part), _subset(TTFont(str(base)), part, OUT / name, cjk=True)))
            rules.setdefault(CJK_LANGUAGES[language], []).append(
                _face_rule(f"Portal {language}", name, _ranges(part))
            )
        base.unlink()
        unseen = [d for d in docs.get(language, []) if held_out(d)]
        print(json.dumps({
            "language": language, "slices": len(slices),
            "bytes": sum(s for _, s in slices),
            "own_text_bytes": first_visit_bytes("".join(map(chr, own_text(CJK_LANGUAGES[language]))), slices),
            "held_out_texts": [{"han": len(HAN.findall(d)), "bytes": first_visit_bytes(d, slices)}
                               for d in unseen],
        }))  # fmt: skip
    return rules


def build_names(ttc: Path) -> list[str]:
    """The switcher's language names in CJK scripts (Lao and Khmer have their own small
    fonts): a few glyphs, so no page downloads a CJK slice just for its menu."""
    from ttdn.portal.conf import LOCAL_NAMES

    codes = sorted(
        {ord(c) for name in LOCAL_NAMES.values() for c in name if ord(c) >= 0x2E80}
    )
    name = "PortalNames.woff2"
    print("names", _subset(TTFont(str(ttc), fontNumber=CJK_FACES["JP"]), codes, OUT / name))
    return [_face_rule("Portal Names", name, _ranges(codes))]


def licence(font_file: Path, target: Path) -> None:
    """The font's own copyright line (name ID 0), then the OFL 1.1 text (as shipped with
    Noto Sans): the licence travels with every font we serve."""
    owner = TTFont(str(font_file), fontNumber=0, lazy=True)["name"].getDebugName(0)
    body = (NOTO_ROOT / "LICENSE").read_text(encoding="utf-8").split("\n", 1)[1]
    target.write_text(f"{owner}\n{body}", encoding="utf-8")


def build_lao(ttf: Path) -> list[str]:
    name = "NotoSansLao-Regular.woff2"
    print("Lao", _subset(TTFont(str(ttf)), list(subset.parse_unicodes(LAO)), OUT / name))
    return [_face_rule("Portal Lao", name, LAO.replace(",", ", "))]


def build(source: Path, target: Path, unicodes: str) -> int:
    font = TTFont(str(source))
    axes = {axis.axisTag for axis in font["fvar"].axes} if "fvar" in font else set()
    if axes:
        font = instancer.instantiateVariableFont(
            font, {tag: (400 if tag == "wght" else 100) for tag in axes}
        )
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)
    font.flavor = "woff"
    font.save(str(target))
    return target.stat().st_size


def main(khmer_wheel: str, lao_ttf: str, cjk_ttc: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print("NotoSans", build(NOTO_ROOT / "files" / "NotoSans[wdth,wght].ttf", OUT / "NotoSans-Regular.woff", LATIN))
    shutil.copy(NOTO_ROOT / "LICENSE", OUT / "OFL-NotoSans.txt")
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(khmer_wheel) as wheel:
        wheel.extractall(tmp)
        root = Path(tmp) / "fontpkg_noto_sans_khmer"
        print("Khmer", build(root / "files" / "NotoSansKhmer[wdth,wght].ttf", OUT / "NotoSansKhmer-Regular.woff", KHMER))
        shutil.copy(root / "LICENSE", OUT / "OFL-NotoSansKhmer.txt")
    for family, source in (("Lao", lao_ttf), ("CJK", cjk_ttc)):
        licence(Path(source), OUT / f"OFL-NotoSans{family}.txt")
    header = "/* Written by scripts/portal_fonts.py: OFL 1.1 fonts (OFL-*.txt), subset. */\n"
    rules = build_lao(Path(lao_ttf)) + build_names(Path(cjk_ttc))
    (OUT.parent / "fonts.css").write_text(header + "".join(rules), encoding="utf-8")
    for language, css in build_cjk(Path(cjk_ttc)).items():
        (OUT.parent / f"fonts-{language}.css").write_text(header + "".join(css), encoding="utf-8")


def main_cjk(cjk_ttc: str) -> None:
    """Only the CJK slices and their stylesheets (the other fonts stay as they are)."""
    header = "/* Written by scripts/portal_fonts.py: OFL 1.1 fonts (OFL-*.txt), subset. */\n"
    for language, css in build_cjk(Path(cjk_ttc)).items():
        (OUT.parent / f"fonts-{language}.css").write_text(header + "".join(css), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "--cjk":
        main_cjk(sys.argv[2])
    else:
        main(*sys.argv[1:4])
