"""The 3/5/10-year evaluation reports of ttdn.reports include Coordinate's figures against
their targets (PDF section and XLSX sheet), from approved periodic reports."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from ttdn.coordinate.models import (
    IndicatorKind,
    PeriodKind,
    ReportIndicator,
    ReportTemplate,
    Target,
)
from ttdn.coordinate.services.submissions import (
    period_get_or_create,
    submission_open,
    submission_review,
    submission_save,
    submission_submit,
)
from ttdn.reports.models import ReportStatus
from ttdn.reports.services import report_file_path, report_generate, report_request

pytestmark = pytest.mark.django_db


def test_national_evaluation_report_has_progress_against_targets(
    analyst, organisations, settings, tmp_path
) -> None:
    settings.DATA_DIR = tmp_path
    template = ReportTemplate.objects.create(name="Năm", period_kind=PeriodKind.ANNUAL)
    ReportIndicator.objects.create(
        template=template, key="events_held", title="Sự kiện đã tổ chức", kind=IndicatorKind.ENTERED
    )
    for year, n in [(2023, 30), (2024, 45), (2025, 50)]:
        period = period_get_or_create(kind=PeriodKind.ANNUAL, year=year)
        s = submission_open(
            user=analyst, template=template, period=period, organisation=organisations["lam-dong"]
        )
        submission_save(user=analyst, submission=s, values={"events_held": n})
        submission_review(
            user=analyst, approve=True, submission=submission_submit(user=analyst, submission=s)
        )
        Target.objects.create(indicator_key="events_held", year=year, value=50)
    report = report_request(
        user=analyst, kind="eval_3y", organisation=None, year=2025, language="vi"
    )
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.DONE, report.error
    book = load_workbook(report_file_path(report, "xlsx"))
    assert "So với mục tiêu" in book.sheetnames, book.sheetnames
    sheet = book["So với mục tiêu"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["Sự kiện đã tổ chức", "2023", 30, 50, 60.0],
        ["Sự kiện đã tổ chức", "2024", 45, 50, 90.0],
        ["Sự kiện đã tổ chức", "2025", 50, 50, 100.0],
    ]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext not found: `make test` installs poppler-utils")
    text = subprocess.run(
        [pdftotext, str(report_file_path(report, "pdf")), "-"], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert "So với mục tiêu: Sự kiện đã tổ chức" in text
