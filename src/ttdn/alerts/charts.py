"""A server-drawn SVG line chart of alert latency per day (p50 and p95).

Why server-side: the chart is small, must work without JavaScript, and must not pull a
charting library from a CDN. The SVG carries a <title>/<desc> for screen readers and every
point has a <title>; the page shows the same numbers in a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 16, 44
SERIES = (
    ("p50_s", "p50", "#0b4f9c", ""),
    ("p95_s", "p95", "#a3131c", "6 4"),
)


def format_duration(seconds: float | None) -> str:
    """Seconds as a short human duration: 42 s, 3,5 phút, 2,1 giờ, 1,5 ngày."""
    if seconds is None:
        return "—"
    if seconds == 0:
        return "0"
    if seconds < 90:
        return _("%(n)s giây") % {"n": _num(seconds, 1 if seconds < 10 else 0)}
    if seconds < 90 * 60:
        return _("%(n)s phút") % {"n": _num(seconds / 60, 1)}
    if seconds < 36 * 3600:
        return _("%(n)s giờ") % {"n": _num(seconds / 3600, 1)}
    return _("%(n)s ngày") % {"n": _num(seconds / 86400, 1)}


def _num(value: float, digits: int) -> str:
    return str(number_format(round(value, digits), decimal_pos=digits if digits else None))


def _nice_max(value: float) -> float:
    """Round the axis top up to 1, 2 or 5 × 10^k."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return float(top)
    return float(10 ** (exponent + 1))


def latency_svg(rows: Sequence[dict[str, Any]], *, title: str) -> SafeString:
    """SVG markup for per-day rows of {"day", "count", "p50_s", "p95_s"}."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    values = [r[key] for r in rows for key, *_rest in SERIES if r[key] is not None]
    highest = max(values) if values else 1.0
    # nice round ticks in the unit the axis will be read in (seconds, minutes, hours, days)
    unit = (
        1 if highest < 90 else 60 if highest < 90 * 60 else 3600 if highest < 36 * 3600 else 86400
    )
    top = _nice_max(highest / unit) * unit
    n = max(1, len(rows) - 1)

    def x(i: int) -> float:
        return LEFT + plot_w * i / n

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts: list[str] = []
    desc = _(
        "Độ trễ cảnh báo theo ngày: trung vị (p50) và phân vị 95 (p95), trục dọc từ 0 đến %(top)s."
    ) % {"top": format_duration(top)}
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="latency-chart" role="img" aria-labelledby="latency-title latency-desc">'
        f'<title id="latency-title">{escape(title)}</title>'
        f'<desc id="latency-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>'
    )
    for k in range(5):
        value = top * k / 4
        yy = y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
            f'stroke="#c9ced6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#4a5360">{escape(format_duration(value))}</text>'
        )
    label_every = max(1, math.ceil(len(rows) / 8))
    for i, row in enumerate(rows):
        if i % label_every == 0 or i == len(rows) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="11" fill="#4a5360">{row["day"]:%d/%m}</text>'
            )
    for key, label, colour, dash in SERIES:
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, row in enumerate(rows):
            value = row[key]
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(value):.1f}")
            shown = format_duration(value)
            point_title = f"{row['day']:%d/%m/%Y} {label}: {shown} (n={row['count']})"
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(point_title)}</title></circle>"
            )
        if segment:
            segments.append(segment)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
    legend_y = HEIGHT - 10
    for j, (_key, label, colour, dash) in enumerate(SERIES):
        lx = LEFT + j * 90
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            f'<text x="{lx + 30}" y="{legend_y}" font-size="12" fill="#1b1f24">{label}</text>'
        )
    if not values:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
            f'font-size="14" fill="#4a5360">{escape(_("Chưa có cảnh báo nào được gửi."))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
