"""`ttdn bench report [--limit N]`: time to make a six-month report (PDF + XLSX) for one
province, Lâm Đồng, with its former units rolled up.

It runs in its own temporary data directory (own SQLite), fills it with N synthetic reports
(default 50,000, the `queries` benchmark's generator: two years of skewed languages,
countries, tones, places — Lâm Đồng and Đắk Nông among them — and dimensions), then makes
the report for the last whole half-year twice through `report_generate`, the function the
background job runs. The first run (`cold_seconds`) includes making the static font
weights, which happens once per data directory; `seconds` is the second run, what every
later report costs. The target is `seconds` ≤ 30 on 2 cores. Prints JSON.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from ttdn.benchmarks._site import bench_environment

DEFAULT_LIMIT = 50_000
PROVINCE = "lam-dong"


def main(ns: argparse.Namespace) -> dict[str, Any]:
    limit = int(getattr(ns, "limit", None) or DEFAULT_LIMIT)
    bench_environment("ttdn-bench-report-")
    from django.utils import timezone

    from ttdn.accounts.models import Organisation
    from ttdn.accounts.services import organisations_load
    from ttdn.benchmarks.queries import _generate
    from ttdn.measure.filters import MeasureFilters
    from ttdn.measure.indicators import indicator_compute
    from ttdn.monitor.models import Report
    from ttdn.reports.fonts import fonts_get
    from ttdn.reports.models import PeriodicReport
    from ttdn.reports.periods import ReportKind, period_before
    from ttdn.reports.services import report_generate, report_title

    organisations_load()
    started = time.perf_counter()
    _generate(limit)
    fill_seconds = time.perf_counter() - started
    organisation = Organisation.objects.get(slug=PROVINCE)
    start, end = period_before(ReportKind.SIX_MONTH, timezone.localdate())
    runs = []
    for _attempt in range(2):
        report = PeriodicReport.objects.create(
            kind=ReportKind.SIX_MONTH,
            organisation=organisation,
            period_start=start,
            period_end=end,
            title=report_title(ReportKind.SIX_MONTH, organisation, start, end),
        )
        began = time.perf_counter()
        report = report_generate(report_id=report.pk)
        runs.append(time.perf_counter() - began)
        if report.status != "done":
            return {"error": report.error, "reports": limit}
    counted = indicator_compute(
        "province",
        MeasureFilters(date_from=start, date_to=end).with_province(PROVINCE),
    ).totals
    return {
        "seconds": round(runs[1], 3),
        "cold_seconds": round(runs[0], 3),
        "target_seconds": 30,
        "pages": report.pages,
        "reports": Report.objects.count(),
        "province_reports": counted["reports"],
        "province": PROVINCE,
        "period": f"{start}/{end}",
        "pdf_bytes": report.pdf_bytes,
        "xlsx_bytes": report.xlsx_bytes,
        "cjk_font": fonts_get().cjk is not None,
        "fill_seconds": round(fill_seconds, 1),
    }
