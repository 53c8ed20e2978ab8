"""A six-month report for Lâm Đồng, made for real: PDF read back with poppler, XLSX with
openpyxl, numbers checked against the hand-counted world."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import CJK_TITLE
from ttdn.reports.models import PeriodicReport, ReportStatus
from ttdn.reports.selectors import report_data_collect
from ttdn.reports.services import report_file_path, report_generate, report_request

pytestmark = pytest.mark.django_db

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: `make test` installs poppler-utils")
    return path


def _six_month_lam_dong(officer, organisations) -> PeriodicReport:  # type: ignore[no-untyped-def]
    report = report_request(
        user=officer,
        kind="six_month",
        organisation=organisations["lam-dong"],
        year=2025,
        half=1,
        language="vi",
    )
    assert report.status == ReportStatus.QUEUED
    return report_generate(report_id=report.pk)


def test_province_pdf_has_vietnamese_and_cjk_text_and_charts(
    cjk_world, officer_lam_dong, organisations, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    report = _six_month_lam_dong(officer_lam_dong, organisations)
    assert report.status == ReportStatus.DONE, report.error
    assert report.progress == 100 and report.pages >= 2
    pdf = report_file_path(report, "pdf")
    assert pdf is not None and pdf.is_relative_to(tmp_path / "reports" / "lam-dong")
    text = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Lâm Đồng" in text
    assert "Báo cáo 6 tháng đầu năm 2025 — Lâm Đồng" in text
    assert "gồm cả các đơn vị cũ đã sáp nhập" in text
    if CJK_FONT.exists():
        assert CJK_TITLE in text
    # the pages rasterise (poppler can draw them) and the first page is not blank
    subprocess.run(
        [_tool("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 5_000


def test_province_xlsx_has_native_charts_and_the_right_numbers(
    cjk_world, officer_lam_dong, organisations
) -> None:  # type: ignore[no-untyped-def]
    report = _six_month_lam_dong(officer_lam_dong, organisations)
    xlsx = report_file_path(report, "xlsx")
    assert xlsx is not None
    wb = load_workbook(xlsx)
    summary = wb["Tổng quan"]
    values = {
        summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value
        for r in range(6, 13)
    }
    # r1, r2 (Đắk Nông, a former unit: rolled up) r6 and the Chinese report
    assert values["Bài báo"] == 4
    assert values["Bài gốc (không tính bản sao)"] == 3
    assert values["Câu chuyện"] == 3
    volume = wb["Lượng tin theo thời gian"]
    assert sum(volume.cell(row=r, column=2).value for r in range(2, volume.max_row + 1)) == 4
    assert volume._charts, "the volume sheet has a native line chart"
    assert type(volume._charts[0]).__name__ == "LineChart"
    countries = wb["Quốc gia"]
    rows = {countries.cell(row=r, column=1).value: countries.cell(row=r, column=3).value
            for r in range(2, countries.max_row + 1)}  # fmt: skip
    assert rows == {"GB": 2, "US": 1, "VN": 1}
    assert countries._charts and type(countries._charts[0]).__name__ == "BarChart"
    stories = wb["Câu chuyện nổi bật"]
    titles = [stories.cell(row=r, column=2).value for r in range(2, stories.max_row + 1)]
    assert CJK_TITLE in titles and "Tourists flock to Da Lat" in titles


def test_national_evaluation_compares_years(world, analyst) -> None:  # type: ignore[no-untyped-def]
    report = report_request(user=analyst, kind="eval_3y", organisation=None, year=2025)
    assert (str(report.period_start), str(report.period_end)) == ("2023-01-01", "2025-12-31")
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.DONE, report.error
    wb = load_workbook(report_file_path(report, "xlsx"))
    years = wb["Đánh giá theo năm"]
    table = {years.cell(row=r, column=1).value: years.cell(row=r, column=2).value
             for r in range(2, years.max_row + 1)}  # fmt: skip
    assert table == {"2023": 0, "2024": 0, "2025": 7}  # relevant reports r1-r6 and r8
    assert years._charts
    assert "Tỷ lệ tiếng nói" in wb.sheetnames  # national reports compare with peers


def test_generate_is_idempotent(world, officer_lam_dong, organisations) -> None:  # type: ignore[no-untyped-def]
    report = _six_month_lam_dong(officer_lam_dong, organisations)
    pdf = report_file_path(report, "pdf")
    before = pdf.stat().st_mtime_ns
    again = report_generate(report_id=report.pk)
    assert again.status == ReportStatus.DONE and pdf.stat().st_mtime_ns == before


def test_progress_moves_forward(world, officer_lam_dong, organisations, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ttdn.reports import services

    seen: list[int] = []
    real = services._progress

    def record(report_id: int, percent: int) -> None:
        seen.append(percent)
        real(report_id, percent)

    monkeypatch.setattr(services, "_progress", record)
    report = _six_month_lam_dong(officer_lam_dong, organisations)
    assert report.status == ReportStatus.DONE
    assert seen == sorted(seen) and seen[0] <= 5 and seen[-1] >= 95 and len(seen) >= 6


def test_invalid_stored_period_fails_readably(world, organisations) -> None:  # type: ignore[no-untyped-def]
    """A queued row whose period is wrong (e.g. edited in the admin) ends `failed` with the
    reason, not with an exception in the worker."""
    import datetime as dt

    report = PeriodicReport.objects.create(
        kind="custom",
        organisation=organisations["lam-dong"],
        period_start=dt.date(2025, 3, 16),
        period_end=dt.date(2025, 3, 3),
    )
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.FAILED
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”" in report.error
    assert report_file_path(report, "pdf") is None


def _six_month_national(analyst) -> PeriodicReport:  # type: ignore[no-untyped-def]
    report = report_request(
        user=analyst, kind="six_month", organisation=None, year=2025, half=1, language="vi"
    )
    return report_generate(report_id=report.pk)


def test_national_report_has_a_tone_series(world, analyst) -> None:  # type: ignore[no-untyped-def]
    """The national report's tone over time comes from the tone indicator, not split: one
    point per week of the half-year, gaps where nothing was toned."""
    report = report_request(
        user=analyst, kind="six_month", organisation=None, year=2025, half=1, language="vi"
    )
    data = report_data_collect(report)
    assert not data.is_province and data.bucket == "week"
    assert len(data.tone_series) == len(data.volume.rows) >= 26
    by_week = {r["bucket"]: r for r in data.tone_series}
    assert by_week["2025-02-17"]["mean_tone"] == 0.5  # r8
    assert by_week["2025-03-03"]["mean_tone"] == 0.2  # r1 r2 r3
    assert by_week["2025-03-03"]["pct_positive"] == 66.67
    assert by_week["2025-03-10"]["mean_tone"] == 0.0333  # r4 r5 r6
    assert by_week["2025-01-06"]["mean_tone"] is None
    assert set(by_week["2025-03-03"]) == {"bucket", "mean_tone", "pct_positive", "pct_negative"}


def test_national_pdf_and_xlsx_have_the_tone_chart(world, analyst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = _six_month_national(analyst)
    assert report.status == ReportStatus.DONE, report.error
    wb = load_workbook(report_file_path(report, "xlsx"))
    tone = wb["Sắc thái theo thời gian"]
    weeks = {tone.cell(row=r, column=1).value: tone.cell(row=r, column=2).value
             for r in range(2, tone.max_row + 1)}  # fmt: skip
    assert weeks["2025-03-03"] == 0.2 and weeks["2025-01-06"] is None
    assert tone._charts and type(tone._charts[0]).__name__ == "LineChart"
    # the chart points at the sheet's own cells (a native chart, not a picture)
    with zipfile.ZipFile(report_file_path(report, "xlsx")) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "charts/chart" in n]
    assert any("Sắc thái theo thời gian" in c and "lineChart" in c for c in charts)
    text = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(report_file_path(report, "pdf")), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines = [line.strip() for line in text.splitlines()]
    # the chart's heading (the methods list names the indicator too, as "• … (tone, v2)")
    assert "Sắc thái theo thời gian" in lines
    assert "Sắc thái trung bình" in lines  # the chart's legend
