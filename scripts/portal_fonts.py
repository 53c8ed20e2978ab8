"""Build the portal's web fonts (WOFF, regular weight, subset) from OFL fonts on PyPI, so
readers get them from our own static files, never a CDN:

* Noto Sans (fontpkg-noto-sans, already a dependency): Latin incl. Vietnamese, Cyrillic
* Noto Sans Khmer (fontpkg-noto-sans-khmer, downloaded only to run this script)

    pip download --no-deps -d /tmp/fonts 'fontpkg-noto-sans-khmer>=2.4,<3'
    python scripts/portal_fonts.py /tmp/fonts/fontpkg_noto_sans_khmer-2.4-py3-none-any.whl

Chinese, Japanese, Korean and Lao have no OFL font package on PyPI; a CJK font is several
megabytes even subset, past the portal's 500 KB page budget, so those scripts use the
reader's system fonts (named in portal.css). WOFF, not WOFF2: no Brotli module is installed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from fontpkg_noto_sans import ROOT as NOTO_ROOT
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "src" / "ttdn" / "portal" / "static" / "portal" / "fonts"
LATIN = "U+0000-024F,U+0300-036F,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20AB,U+20AC"
KHMER = "U+1780-17FF,U+19E0-19FF,U+200B-200D,U+25CC"


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


def main(khmer_wheel: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print("NotoSans", build(NOTO_ROOT / "files" / "NotoSans[wdth,wght].ttf", OUT / "NotoSans-Regular.woff", LATIN))
    shutil.copy(NOTO_ROOT / "LICENSE", OUT / "OFL-NotoSans.txt")
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(khmer_wheel) as wheel:
        wheel.extractall(tmp)
        root = Path(tmp) / "fontpkg_noto_sans_khmer"
        print("Khmer", build(root / "files" / "NotoSansKhmer[wdth,wght].ttf", OUT / "NotoSansKhmer-Regular.woff", KHMER))
        shutil.copy(root / "LICENSE", OUT / "OFL-NotoSansKhmer.txt")


if __name__ == "__main__":
    main(sys.argv[1])
