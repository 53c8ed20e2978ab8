"""What a page needs to draw charts with Measure's dashboard.js: country and language names
(CLDR, via Babel) and the chart labels, in the interface language.

Why in the shell: the dashboards, the morning overview and the monitor's story page all draw
with the same script; the story page (monitor) sits below Measure in the layer order, so the
helpers it shares live here, below both.
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def chart_names() -> dict[str, dict[str, str]]:
    """Country and language names in the interface language (from CLDR via Babel)."""
    try:
        locale = Locale.parse((get_language() or "vi").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("vi")
    countries = {k: v for k, v in locale.territories.items() if len(k) == 2 and k.isalpha()}
    languages = {k: v for k, v in locale.languages.items() if "_" not in k and len(k) <= 3}
    return {"countries": countries, "languages": languages}


COMMON_LANGUAGES = (
    "vi",
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "ru",
    "zh",
    "ja",
    "ko",
    "th",
    "lo",
    "km",
    "id",
    "ms",
    "ar",
    "hi",
    "nl",
    "pl",
)


def chart_strings() -> dict[str, str]:
    """Labels the browser needs (series, columns, messages), in the interface language."""
    return {
        "bucket": _("Kỳ"),
        "reports": _("Bài báo"),
        "unique_reports": _("Bài gốc"),
        "stories": _("Câu chuyện"),
        "share_pct": _("Tỷ lệ tiếng nói (%)"),
        "mean_tone": _("Sắc thái trung bình"),
        "pct_positive": _("% tích cực"),
        "pct_negative": _("% tiêu cực"),
        "country": _("Quốc gia"),
        "group": _("Nhóm"),
        "group_label": _("Nhóm"),
        "rank": _("Hạng"),
        "story_id": _("Mã câu chuyện"),
        "title": _("Tiêu đề"),
        "language": _("Ngôn ngữ"),
        "first_seen_at": _("Xuất hiện lần đầu"),
        "outlet_countries": _("Số quốc gia đưa tin"),
        "unknown": _("Không rõ"),
        "loading": _("Đang tải số liệu…"),
        "loaded": _("Đã tải số liệu."),
        "error": _("Không tải được số liệu. Hãy thử lại."),
        "empty": _("Không có số liệu cho bộ lọc này."),
        "no_chart_lib": _("Không tải được thư viện biểu đồ; xem bảng số liệu bên dưới."),
        "summary": _("%(n)s dòng số liệu; xem bảng số liệu bên dưới."),
        # the world map draws both archipelagos as part of Viet Nam (see vendor/README.md)
        "archipelagos": _("Quần đảo của Việt Nam"),
        "archipelago_hoang-sa": _("Quần đảo Hoàng Sa (Việt Nam)"),
        "archipelago_truong-sa": _("Quần đảo Trường Sa (Việt Nam)"),
    }


def chart_context() -> dict[str, Any]:
    """What a page needs to draw charts with dashboard.js: country/language names and the
    labels, in the interface language (Measure's dashboards, the overview, the story page)."""
    return {"names": chart_names(), "chart_strings": chart_strings()}
