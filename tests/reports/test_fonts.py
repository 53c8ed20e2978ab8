"""Font discovery: the CJK font is optional, and its absence is said once, not fatal."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from ttdn.reports import fonts
from ttdn.reports.models import ReportStatus
from ttdn.reports.services import report_file_path, report_generate, report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_cjk(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_REPORT_CJK_FONT", "/nonexistent/font.ttc:2")
    monkeypatch.setattr(fonts, "CJK_CANDIDATES", ())
    monkeypatch.setattr(fonts, "_cjk_from_fontconfig", lambda: None)
    fonts.fonts_reset()
    yield
    fonts.fonts_reset()


def test_configured_font_path_with_index(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    font = tmp_path / "x.ttc"
    font.write_bytes(b"")
    monkeypatch.setenv("TTDN_REPORT_CJK_FONT", f"{font}:3")
    assert fonts.find_cjk_font() == (font, 3)
    monkeypatch.setenv("TTDN_REPORT_CJK_FONT", str(font))
    assert fonts.find_cjk_font() == (font, 0)


def test_report_without_cjk_font_is_made_and_warns(
    no_cjk, cjk_world, officer_lam_dong, organisations, caplog
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING, logger="ttdn.reports.fonts")
    report = report_request(
        user=officer_lam_dong, kind="annual", organisation=organisations["lam-dong"], year=2025
    )
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.DONE, report.error
    assert any("no CJK font found" in r.getMessage() for r in caplog.records)
    assert any("fonts-noto-cjk" in r.getMessage() for r in caplog.records)
    text = subprocess.run(
        ["pdftotext", str(report_file_path(report, "pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Lâm Đồng" in text  # Vietnamese still renders: Noto Sans comes from PyPI


def test_english_report(world, analyst, organisations) -> None:  # type: ignore[no-untyped-def]
    report = report_request(
        user=analyst,
        kind="six_month",
        organisation=organisations["lam-dong"],
        year=2025,
        half=1,
        language="en",
    )
    assert report.title == "Report for the first half of 2025 — Lâm Đồng"
    report = report_generate(report_id=report.pk)
    text = subprocess.run(
        ["pdftotext", str(report_file_path(report, "pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Key figures" in text and "Coverage over time" in text
