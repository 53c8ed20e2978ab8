"""Compile the gettext catalogues (.po → .mo) with Babel, so no system gettext is needed.

`make run`, `make test` and the package build call this; compiled .mo files are not kept in
git, the .po files are the source.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every django.po under `locale_dir` (by default also every app's own
    `locale/`, which Django merges with the main catalogue); returns the .mo files written."""
    written = []
    po_paths = sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
    if locale_dir == LOCALE_DIR:  # apps that keep their own catalogue (ttdn/<app>/locale/)
        po_paths += sorted(LOCALE_DIR.parent.glob("*/locale/*/LC_MESSAGES/*.po"))
    for po_path in po_paths:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written
