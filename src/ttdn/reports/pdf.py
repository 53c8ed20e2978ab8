"""The PDF of a periodic report, with fpdf2.

Charts are drawn as PDF vector paths here rather than as images from a plotting library:
they stay sharp when printed, their labels are real text in the report's own fonts (so
Vietnamese and CJK labels render and can be searched), and no plotting stack has to be
imported in the worker — a six-month report renders in well under a second once the fonts
are loaded.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from ttdn.reports.fonts import fonts_get
from ttdn.reports.selectors import ReportData

FAMILY = "NotoSans"
CJK = "NotoSansCJK"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
GRID = (222, 226, 230)
ACCENT = (200, 16, 46)  # the red of the flag, for the main series
SERIES = [(200, 16, 46), (31, 119, 180), (44, 160, 44), (255, 127, 14), (148, 103, 189)]


def nfc(text: object) -> str:
    """Vietnamese arrives in two Unicode forms; fonts have glyphs for the composed one."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def country_name(code: str) -> str:
    """ "Hoa Kỳ (US)" in the report's language (CLDR names via Babel, as the dashboard)."""
    if not code:
        return _("Không rõ")
    try:
        locale = Locale.parse((get_language() or "vi").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("vi")
    name = locale.territories.get(code.upper())
    return f"{name} ({code})" if name else code


def number(value: Any, digits: int = 0) -> str:
    """A number as the report's language writes it: 1.234,5 in Vietnamese, 1,234.5 in
    English (Django's formats for the active language, ttdn/formats)."""
    if value is None:
        return "—"
    if digits:
        return formats.number_format(float(value), digits, use_l10n=True, force_grouping=True)
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


def change_pct(now: Any, before: Any) -> str:
    if not before or now is None:
        return "—"
    pct = 100.0 * (float(now) - float(before)) / float(before)
    return ("+" if pct >= 0 else "") + number(pct, 1) + " %"


class ReportPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        fonts = fonts_get()
        self.add_font(FAMILY, "", fonts.regular)
        self.add_font(FAMILY, "B", fonts.bold)
        if fonts.cjk is not None:
            self.add_font(CJK, "", fonts.cjk, collection_font_number=fonts.cjk_index)
            self.set_fallback_fonts([CJK], exact_match=False)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(nfc(title))
        self.set_creator("TTĐN Platform")
        self.set_lang("vi")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, nfc(self.report_title), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, _("Trang %(n)s/%(total)s") % {"n": self.page_no(), "total": "{nb}"},
                  align="R")  # fmt: skip

    # --- text helpers -------------------------------------------------------------------------

    def heading(self, text: str, size: float = 13) -> None:
        if self.get_y() > self.h - 60:
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", size)
        self.set_text_color(*INK)
        self.multi_cell(0, size * 0.5, nfc(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def para(self, text: str, size: float = 9.5, color: tuple[int, int, int] = INK) -> None:
        self.set_font(FAMILY, "", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, nfc(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def data_table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        align: Sequence[str] | None = None,
    ) -> None:
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*INK)
        self.set_draw_color(*GRID)
        self.set_fill_color(255, 255, 255)  # charts leave their colour behind
        with self.table(
            cell_fill_mode="NONE",
            col_widths=tuple(widths),
            text_align=tuple(align) if align else "LEFT",
            headings_style=FontFace(emphasis="BOLD", fill_color=(241, 243, 245)),
            line_height=4.6,
            padding=1.2,
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as table:
            table.row([nfc(h) for h in header])
            for row in rows:
                table.row([nfc(c) for c in row])
        self.ln(2)

    # --- charts (vector) ----------------------------------------------------------------------

    def _chart_space(self, height: float) -> tuple[float, float]:
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()
        return self.l_margin, self.get_y()

    def line_chart(
        self,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        *,
        height: float = 62,
        fixed_range: tuple[float, float] | None = None,
        integers: bool = False,
    ) -> None:
        """Lines over time; None breaks a line (a bucket with nothing to average).
        `integers`: counts, so no grid line at half a report."""
        x0, y0 = self._chart_space(height + 8)
        width = self.w - self.l_margin - self.r_margin
        values = [v for _n, vs in series for v in vs if v is not None]
        lo, hi = fixed_range or (min([0.0, *values]), max([0.0, *values]))
        lo, hi, step = _nice_range(lo, hi)
        if integers and step < 1:
            lo, hi, step = math.floor(lo), max(1.0, math.ceil(hi)), 1.0
        left, bottom = x0 + 14, y0 + height - 8
        plot_w, plot_h = width - 16, height - 14
        self.set_font(FAMILY, "", 7)
        self.set_line_width(0.2)
        ticks = round((hi - lo) / step)
        for i in range(ticks + 1):
            value = lo + i * step
            y = bottom - plot_h * (value - lo) / (hi - lo)
            self.set_draw_color(*GRID)
            self.line(left, y, left + plot_w, y)
            self.set_text_color(*MUTED)
            self.set_xy(x0, y - 2)
            self.cell(13, 4, _tick(value, step), align="R")
        n = max(1, len(labels))
        dx = plot_w / max(1, n - 1)
        every = max(1, math.ceil(n / 8))
        for i, label in enumerate(labels):
            if i % every == 0 or i == n - 1 and n <= 8:
                self.set_xy(left + i * dx - 10, bottom + 1)
                self.cell(20, 4, nfc(label), align="C")
        for index, (name, vs) in enumerate(series):
            color = SERIES[index % len(SERIES)]
            self.set_draw_color(*color)
            self.set_fill_color(*color)
            self.set_line_width(0.6)
            segment: list[tuple[float, float]] = []
            for i, v in enumerate(vs):
                if v is None:
                    self._segment(segment)
                    segment = []
                    continue
                segment.append((left + i * dx, bottom - plot_h * (float(v) - lo) / (hi - lo)))
            self._segment(segment)
            # legend
            lx = left + index * 55
            self.rect(lx, y0 + 0.5, 4, 2.5, style="F")
            self.set_text_color(*INK)
            self.set_xy(lx + 5, y0 - 0.5)
            self.cell(48, 4.5, nfc(name))
        self.set_line_width(0.2)
        self.set_xy(self.l_margin, y0 + height + 2)

    def _segment(self, points: list[tuple[float, float]]) -> None:
        if len(points) == 1:
            x, y = points[0]
            self.ellipse(x - 0.7, y - 0.7, 1.4, 1.4, style="F")
        elif points:
            self.polyline(points)

    def bar_chart(self, items: Sequence[tuple[str, float]], *, color: tuple[int, int, int] = ACCENT,
                  value_format: str = "{:,.0f}") -> None:  # fmt: skip
        """Horizontal bars, largest first, each labelled with its value."""
        if not items:
            self.para(_("Không có số liệu."), color=MUTED)
            return
        bar, gap = 4.2, 1.6
        height = len(items) * (bar + gap) + 2
        x0, y0 = self._chart_space(height)
        width = self.w - self.l_margin - self.r_margin
        label_w = 52
        plot_w = width - label_w - 22
        top = max(float(v) for _l, v in items) or 1.0
        self.set_font(FAMILY, "", 8)
        for i, (label, value) in enumerate(items):
            y = y0 + i * (bar + gap)
            self.set_text_color(*INK)
            self.set_xy(x0, y)
            self.cell(label_w - 2, bar, nfc(label)[:40], align="R")
            self.set_fill_color(*color)
            length = max(0.3, plot_w * float(value) / top)
            self.rect(x0 + label_w, y, length, bar, style="F")
            self.set_xy(x0 + label_w + length + 1.5, y)
            self.set_text_color(*MUTED)
            digits = 1 if ".1f" in value_format else 2 if ".2f" in value_format else 0
            self.cell(20, bar, number(value, digits) + (" %" if "%" in value_format else ""))
        self.set_xy(self.l_margin, y0 + height + 2)


def _nice_range(lo: float, hi: float) -> tuple[float, float, float]:
    """Axis limits on round numbers with 3-6 grid lines."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _tick(value: float, step: float) -> str:
    if step >= 1:
        return number(value)
    if not value:
        return "0"
    text = number(value, 2)
    separator = formats.get_format("DECIMAL_SEPARATOR")
    return text.rstrip("0").rstrip(separator)


def _bucket_label(bucket: str, kind: str) -> str:
    day = dt.date.fromisoformat(bucket)
    if kind == "month":
        return f"{day:%m/%Y}"
    return f"{day:%d/%m}"


def render_pdf(data: ReportData, *, title: str, subtitle: str, path: Path) -> int:
    """Write the PDF to `path`; returns its page count."""
    pdf = ReportPDF(title)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 8)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 5, _("NỀN TẢNG TTĐN · BÁO CÁO ĐỊNH KỲ"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 18)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 9, nfc(title), new_x="LMARGIN", new_y="NEXT")
    pdf.para(subtitle, size=11, color=MUTED)
    generated = timezone.localtime()
    pdf.para(
        _("Số liệu từ %(a)s đến %(b)s · lập lúc %(t)s")
        % {
            "a": f"{data.period_start:%d/%m/%Y}",
            "b": f"{data.data_end:%d/%m/%Y}",
            "t": f"{generated:%d/%m/%Y %H:%M}",
        },
        size=9,
        color=MUTED,
    )
    if data.data_end < data.period_end:
        pdf.para(_("Kỳ báo cáo chưa kết thúc: số liệu tính đến hết ngày %(d)s.")
                 % {"d": f"{data.data_end:%d/%m/%Y}"}, size=9, color=ACCENT)  # fmt: skip

    totals = data.totals
    pdf.heading(_("Số liệu chính"))
    rows = [
        (_("Bài báo"), number(totals.get("reports"))),
        (_("Bài gốc (không tính bản sao)"), number(totals.get("unique_reports"))),
        (_("Câu chuyện"), number(totals.get("stories"))),
        (_("Sắc thái trung bình (−1…1)"), number(totals.get("mean_tone"), 3)),
        (_("% bài tích cực"), number(totals.get("pct_positive"), 1)),
        (_("% bài tiêu cực"), number(totals.get("pct_negative"), 1)),
        (
            _("Bài báo so với kỳ trước cùng độ dài"),
            change_pct(totals.get("reports"), data.previous_totals.get("reports")),
        ),
    ]
    pdf.data_table((_("Chỉ số"), _("Giá trị")), rows, (120, 60), ("LEFT", "RIGHT"))

    labels = [_bucket_label(r["bucket"], data.bucket) for r in data.volume.rows]
    pdf.heading(_("Lượng tin theo thời gian"))
    pdf.line_chart(
        labels,
        [
            (_("Bài báo"), [r["reports"] for r in data.volume.rows]),
            (_("Bài gốc"), [r["unique_reports"] for r in data.volume.rows]),
        ],
        integers=True,
    )
    if data.tone_series:
        pdf.heading(_("Sắc thái theo thời gian"))
        pdf.line_chart(
            [_bucket_label(r["bucket"], data.bucket) for r in data.tone_series],
            [(_("Sắc thái trung bình"), [r["mean_tone"] for r in data.tone_series])],
            fixed_range=(-1.0, 1.0),
        )

    if data.years:
        pdf.heading(_("Đánh giá theo năm"))
        pdf.bar_chart([(str(y["year"]), y["reports"]) for y in data.years])
        pdf.data_table(
            (_("Năm"), _("Bài báo"), _("Bài gốc"), _("Thay đổi so với năm trước")),
            [
                (
                    y["year"],
                    number(y["reports"]),
                    number(y["unique_reports"]),
                    "—" if y["change_pct"] is None else f"{y['change_pct']:+.1f} %",
                )
                for y in data.years
            ],
            (30, 45, 45, 60),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )

    for evaluation in data.targets:  # Coordinate's figures against the programme's targets
        pdf.heading(_("So với mục tiêu: %(t)s") % {"t": evaluation.title})
        pdf.line_chart(
            [str(y) for y in evaluation.years],
            [(_("Thực hiện"), evaluation.actual), (_("Mục tiêu"), evaluation.target)],
        )
        pdf.data_table(
            (_("Năm"), _("Thực hiện"), _("Mục tiêu"), _("% mục tiêu")),
            [
                (y, "—" if a is None else number(a, 0 if float(a).is_integer() else 2),
                 "—" if t is None else number(t), "—" if p is None else f"{p} %")
                for y, a, t, p in evaluation.rows
            ],
            (30, 50, 50, 50),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )  # fmt: skip

    pdf.heading(_("Đưa tin theo quốc gia của cơ quan báo chí"))
    pdf.bar_chart(
        [(country_name(r["country"]), r["reports"]) for r in data.countries.rows],
        color=SERIES[1],
    )
    if data.countries.rows:
        pdf.data_table(
            (_("Quốc gia"), _("Bài báo"), _("Bài gốc"), _("Sắc thái"), _("% tích cực"),
             _("% tiêu cực")),
            [
                (country_name(r["country"]), number(r["reports"]), number(r["unique_reports"]),
                 number(r["mean_tone"], 2), number(r["pct_positive"], 1),
                 number(r["pct_negative"], 1))
                for r in data.countries.rows
            ],
            (60, 24, 24, 24, 24, 24),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )  # fmt: skip
    if data.share_of_voice is not None:
        pdf.heading(_("Tỷ lệ tiếng nói so với các nước (%)"))
        pdf.bar_chart(
            [(country_name(r["country"]), r["share_pct"]) for r in data.share_of_voice.rows],
            color=SERIES[2],
            value_format="{:.1f} %",
        )
    pdf.heading(_("Khía cạnh hình ảnh quốc gia"))
    pdf.bar_chart([(d["label"], d["reports"]) for d in data.dimensions], color=SERIES[3])

    pdf.heading(_("Câu chuyện nổi bật"))
    if data.top_stories.rows:
        pdf.data_table(
            ("#", _("Câu chuyện"), _("Ngôn ngữ"), _("Bài gốc"), _("Sắc thái")),
            [
                (
                    r["rank"],
                    r["title"],
                    r["language"],
                    number(r["unique_reports"]),
                    number(r["mean_tone"], 2),
                )
                for r in data.top_stories.rows
            ],
            (8, 112, 18, 20, 22),
            ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        )
    else:
        pdf.para(_("Không có câu chuyện nào trong kỳ."), color=MUTED)

    pdf.heading(_("Phương pháp"), size=11)
    pdf.para(
        _(
            "Các số liệu được tính bằng các chỉ số của phân hệ Đo lường, theo định nghĩa có "
            "đánh số phiên bản (xem /do-luong/dinh-nghia/). Với một tỉnh, thành phố, bài báo "
            "nhắc đến tên các tỉnh cũ đã sáp nhập được tính cho đơn vị mới."
        ),
        size=8.5,
        color=MUTED,
    )
    for key, version, indicator_title in data.indicators:
        pdf.para(f"• {indicator_title} ({key}, v{version})", size=8.5, color=MUTED)
    pdf.output(str(path))
    return pdf.pages_count
