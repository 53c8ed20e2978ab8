"""Fonts for the PDF: Noto Sans for Latin and Vietnamese, Noto Sans CJK for Chinese,
Japanese and Korean story titles.

Noto Sans comes from a PyPI package (`fontpkg-noto-sans`), so `make run` on a bare machine
renders Vietnamese with no system packages. It ships as a variable font; the regular and
bold weights are instanced from it once with fontTools (a few seconds) and cached under
`$TTDN_DATA_DIR/cache/fonts/`.

The CJK font is too large to bundle (≈ 20 MB per weight): it is looked up on the system
(Debian's `fonts-noto-cjk`, which `make test` installs), or given in
`TTDN_REPORT_CJK_FONT` (a path, optionally `path.ttc:index`). Without one, reports are still
made and the missing glyphs show as blanks; a warning says so once per process.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
# fpdf2 subsets the fonts of every report through fontTools, which logs each table at INFO
logging.getLogger("fontTools").setLevel(logging.WARNING)

CJK_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian fonts-noto-cjk: SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Arch, Fedora
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
CJK_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    cjk: Path | None
    cjk_index: int = 0


_lock = threading.Lock()
_cached: FontSet | None = None
_warned = False


def _noto_variable() -> Path:
    from fontpkg_noto_sans import ROOT  # lazy: only a PDF needs the font files

    return Path(ROOT) / "files" / "NotoSans[wdth,wght].ttf"


def _static_instance(variable: Path, weight: int) -> Path:
    """One weight of the variable font as a static font, made once and kept in the data dir.

    The OpenType layout tables (GSUB, GPOS, GDEF) are dropped first: fpdf2 does not shape
    text here (Vietnamese is written precomposed, after NFC), and without them instancing
    takes about two seconds instead of twenty, and subsetting each report is faster too."""
    cache = Path(settings.DATA_DIR) / "cache" / "fonts"
    target = cache / f"NotoSans-{weight}-{variable.stat().st_size}.ttf"
    if target.exists():
        return target
    try:
        # lazy: fontTools is only needed once, to cut the static fonts into the cache
        from fontTools.ttLib import TTFont
        from fontTools.varLib import instancer

        cache.mkdir(parents=True, exist_ok=True)
        font = TTFont(variable)
        for tag in ("GSUB", "GPOS", "GDEF"):
            if tag in font:
                del font[tag]
        static = instancer.instantiateVariableFont(
            font, {"wght": weight, "wdth": 100}, updateFontNames=False
        )
        partial = target.with_suffix(f".{os.getpid()}.part")
        static.save(partial)
        partial.replace(target)  # atomic: a concurrent reader sees all of it or nothing
        return target
    except Exception:  # noqa: BLE001 - a report in the variable font beats no report
        logger.exception("could not make a static weight %s of %s", weight, variable)
        return variable


def _cjk_from_fontconfig() -> tuple[Path, int] | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_match, "-f", "%{file}\n%{index}\n%{family}", f"{CJK_FAMILY}:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or "CJK" not in out[2] and "WenQuanYi" not in out[2]:
        return None  # fontconfig fell back to some non-CJK font
    path = Path(out[0])
    return (path, int(out[1] or 0)) if path.is_file() else None


def find_cjk_font() -> tuple[Path, int] | None:
    """TTDN_REPORT_CJK_FONT, else a known system path, else whatever fontconfig matches."""
    configured = os.environ.get("TTDN_REPORT_CJK_FONT", "").strip()
    if configured:
        head, sep, tail = configured.rpartition(":")
        path, index = (Path(head), int(tail)) if sep and tail.isdigit() else (Path(configured), 0)
        if path.is_file():
            return path, index
        logger.warning("TTDN_REPORT_CJK_FONT=%s is not a file; looking elsewhere", configured)
    for candidate, index in CJK_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate), index
    return _cjk_from_fontconfig()


def fonts_get() -> FontSet:
    """The fonts reports use, found once per process."""
    global _cached, _warned
    with _lock:
        if _cached is not None:
            return _cached
        variable = _noto_variable()
        cjk = find_cjk_font()
        if cjk is None and not _warned:
            _warned = True
            logger.warning(
                "no CJK font found: Chinese, Japanese and Korean text in PDF reports will be "
                "left blank. Install Debian's fonts-noto-cjk or set TTDN_REPORT_CJK_FONT."
            )
        _cached = FontSet(
            regular=_static_instance(variable, 400),
            bold=_static_instance(variable, 700),
            cjk=cjk[0] if cjk else None,
            cjk_index=cjk[1] if cjk else 0,
        )
        return _cached


def fonts_reset() -> None:
    """Forget the fonts found (tests change the environment)."""
    global _cached, _warned
    with _lock:
        _cached, _warned = None, False
