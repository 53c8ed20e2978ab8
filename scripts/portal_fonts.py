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
and Japanese are split into slices by code point, each with its `unicode-range`, so a page
downloads only the slices its characters fall in. A tiny "Portal Names" font holds just the
characters of the language switcher's names, so a Vietnamese page never downloads a CJK
slice to show "简体中文". `fonts.css` (the @font-face rules) is written by this script.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
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
SLICES = {"SC": 6, "JP": 6, "KR": 1}


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
    po = Path(__file__).resolve().parent.parent / "src/ttdn/portal/locale" / folder / "LC_MESSAGES/django.po"
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


def _subset(font: Any, codes: list[int], target: Path) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
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


def build_cjk(ttc: Path) -> dict[str, list[str]]:
    """Each CJK language's repertoire, in slices of consecutive code points; its rules go in
    a stylesheet of its own (the exact unicode-ranges are long), linked by its pages only."""
    rules: dict[str, list[str]] = {}
    for language, index in CJK_FACES.items():
        codes = repertoire(language)
        base = OUT / f"NotoSansCJK{language.lower()}-common.ttf"
        font = TTFont(str(ttc), fontNumber=index)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)  # once: slicing the small font is fast, the TTC is not
        font.save(str(base))
        count = SLICES[language]
        size = -(-len(codes) // count)
        for n in range(count):
            part = codes[n * size : (n + 1) * size]
            name = f"NotoSansCJK{language.lower()}-{n}.woff2"
            print(language, n, _subset(TTFont(str(base)), part, OUT / name))
            rules.setdefault(CJK_LANGUAGES[language], []).append(
                _face_rule(f"Portal {language}", name, _ranges(part))
            )
        base.unlink()
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


if __name__ == "__main__":
    main(*sys.argv[1:4])
