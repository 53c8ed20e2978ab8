"""PDF and XLSX of the national roll-up and of one submission, with the periodic reports'
machinery (`ttdn.reports.pdf.ReportPDF`: the report fonts, tables and vector bar charts;
openpyxl with native Excel charts), so a coordinate export looks like every other report."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ttdn.coordinate.models import Submission, SubmissionStatus
from ttdn.coordinate.selectors.submissions import Evaluation, Rollup, submission_rows
from ttdn.reports.pdf import ACCENT, FAMILY, INK, MUTED, ReportPDF, nfc, number

HEADER_FILL = PatternFill("solid", fgColor="F1F3F5")
BOLD = Font(bold=True)


def status_label(status: str) -> str:
    if status == "missing":
        return _("Chưa nộp")
    return str(SubmissionStatus(status).label)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return number(value, 0 if float(value).is_integer() else 2)


def _start(title: str, subtitle: str) -> ReportPDF:
    pdf = ReportPDF(title)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 8)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 5, _("NỀN TẢNG TTĐN · ĐIỀU PHỐI"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 16)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 8, nfc(title), new_x="LMARGIN", new_y="NEXT")
    pdf.para(subtitle, size=10, color=MUTED)
    pdf.para(_("Lập lúc %(t)s") % {"t": f"{timezone.localtime():%d/%m/%Y %H:%M}"}, size=8,
             color=MUTED)  # fmt: skip
    return pdf


def rollup_pdf(rollup: Rollup) -> bytes:
    title = _("Tổng hợp báo cáo định kỳ toàn quốc — %(p)s") % {"p": rollup.period}
    pdf = _start(title, rollup.template.name)
    pdf.heading(_("Tình hình nộp báo cáo"))
    pdf.bar_chart([(status_label(k), float(v)) for k, v in sorted(rollup.status_counts.items())])
    pdf.heading(_("Số liệu toàn quốc (báo cáo đã duyệt)"))
    pdf.data_table(
        [_("Chỉ tiêu"), _("Đơn vị tính"), _("Toàn quốc")],
        [(i.title, i.unit, _fmt(rollup.totals.get(i.key))) for i in rollup.indicators],
        widths=(110, 35, 35),
        align=("LEFT", "LEFT", "RIGHT"),
    )
    first = next(iter(rollup.indicators), None)
    if first is not None:
        pdf.heading(first.title)
        items = [(r.organisation.display_name, r.values[first.key]) for r in rollup.rows
                 if r.values.get(first.key)]  # fmt: skip
        pdf.bar_chart(sorted(items, key=lambda kv: -float(kv[1] or 0))[:34])  # type: ignore[arg-type]
    pdf.heading(_("Theo đơn vị"))
    keys = [i.key for i in rollup.indicators][:5]
    pdf.data_table(
        [_("Đơn vị"), _("Trạng thái"), *[i.title[:28] for i in rollup.indicators][:5]],
        [
            (
                r.organisation.display_name,
                status_label(r.status),
                *[_fmt(r.values.get(k)) for k in keys],
            )
            for r in rollup.rows
        ],
        widths=(45, 30, *([105 / max(1, len(keys))] * len(keys))),
    )
    return bytes(pdf.output())


def submission_pdf(submission: Submission) -> bytes:
    title = str(submission)
    pdf = _start(title, status_label(submission.status))
    rows = submission_rows(submission)
    pdf.data_table(
        [_("Chỉ tiêu"), _("Giá trị"), _("Nền tảng tính"), _("Lý do điều chỉnh")],
        [(r["title"], _fmt(r["value"]), _fmt(r["computed_value"]) if r["kind"] == "computed"
          else "", r["override_reason"]) for r in rows],
        widths=(80, 25, 25, 50),
    )  # fmt: skip
    definitions = [(r["title"], r["definition"]) for r in rows if r["definition"]]
    if definitions:
        pdf.heading(_("Định nghĩa các chỉ tiêu"))
        for name, text in definitions:
            pdf.para(f"{name}: {text}", size=8.5)
    if submission.notes:
        pdf.heading(_("Thuyết minh"))
        pdf.para(submission.notes)
    if submission.review_comment:
        pdf.heading(_("Ý kiến thẩm định"))
        pdf.para(submission.review_comment)
    return bytes(pdf.output())


def evaluation_pdf(evaluations: Sequence[Evaluation], *, title: str) -> bytes:
    pdf = _start(title, _("Tiến độ so với mục tiêu"))
    for evaluation in evaluations:
        pdf.heading(evaluation.title)
        labels = [str(y) for y in evaluation.years]
        pdf.line_chart(labels, [(_("Thực hiện"), evaluation.actual),
                                (_("Mục tiêu"), evaluation.target)])  # fmt: skip
        pdf.data_table(
            [_("Năm"), _("Thực hiện"), _("Mục tiêu"), _("% mục tiêu")],
            [(str(y), _fmt(a), _fmt(t), "—" if p is None else f"{p} %")
             for y, a, t, p in evaluation.rows],
            widths=(30, 50, 50, 50),
        )  # fmt: skip
    return bytes(pdf.output())


def _sheet(ws: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    for col, text in enumerate(header, 1):
        cell = ws.cell(row=1, column=col, value=nfc(text))
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, 2):
        for col, value in enumerate(values, 1):
            if isinstance(value, Promise):  # a lazily translated label (an indicator's help)
                value = str(value)
            ws.cell(row=r, column=col, value=nfc(value) if isinstance(value, str) else value)
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 28 if col <= 2 else 16
    ws.freeze_panes = "A2"
    return len(rows) + 1


def _bar(ws: Any, title: str, last: int, value_col: int, anchor: str) -> None:
    if last < 2:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = nfc(title)
    chart.legend = None
    chart.add_data(Reference(ws, min_col=value_col, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = max(7.5, 0.5 * last + 3), 18
    chart.x_axis.scaling.orientation = "maxMin"
    ws.add_chart(chart, anchor)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rollup_xlsx(rollup: Rollup) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Theo đơn vị")[:31]
    header = [_("Đơn vị"), _("Trạng thái"), *[i.title for i in rollup.indicators]]
    rows = [
        [
            r.organisation.display_name,
            status_label(r.status),
            *[r.values.get(i.key) for i in rollup.indicators],
        ]
        for r in rollup.rows
    ]
    last = _sheet(ws, header, rows)
    if rollup.indicators:
        _bar(ws, rollup.indicators[0].title, last, 3, f"{get_column_letter(len(header) + 2)}2")
    totals = wb.create_sheet(_("Toàn quốc")[:31])
    _sheet(totals, [_("Chỉ tiêu"), _("Đơn vị tính"), _("Toàn quốc (đã duyệt)")],
           [[i.title, i.unit, rollup.totals.get(i.key)] for i in rollup.indicators])  # fmt: skip
    status = wb.create_sheet(_("Tình hình nộp")[:31])
    counts = [[status_label(k), v] for k, v in sorted(rollup.status_counts.items())]
    last = _sheet(status, [_("Trạng thái"), _("Số đơn vị")], counts)
    _bar(status, _("Tình hình nộp báo cáo"), last, 2, "D2")
    return _save(wb)


def submission_xlsx(submission: Submission) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Báo cáo")[:31]
    rows = submission_rows(submission)
    _sheet(
        ws,
        [_("Chỉ tiêu"), _("Mã"), _("Giá trị"), _("Nền tảng tính"), _("Lý do điều chỉnh"),
         _("Định nghĩa")],
        [[r["title"], r["key"], r["value"], r["computed_value"], r["override_reason"],
          r["definition"]] for r in rows],
    )  # fmt: skip
    return _save(wb)
