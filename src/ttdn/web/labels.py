"""What a person reads instead of a stored code: tone labels, organisation names, audit
changes, language and country names — each in the interface language.

Why one module: the same code ("negative", "VN", "lam-dong") is shown on many pages and in
the API; one table per kind keeps every page saying the same words, and the translation
test (tests/web/test_translations_complete.py) checks every one has its English.
"""

from __future__ import annotations

import json
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ttdn.collation import vi_sort_key
from ttdn.data import read_json

TONE_LABELS: dict[str, Promise] = {
    "positive": gettext_lazy("Tích cực"),
    "neutral": gettext_lazy("Trung tính"),
    "negative": gettext_lazy("Tiêu cực"),
    "unknown": gettext_lazy("Chưa xác định"),
}


def tone_label(value: str | None) -> str:
    """A tone label in words ("" and unknown codes read as "not determined")."""
    return str(TONE_LABELS.get(value or "unknown", TONE_LABELS["unknown"]))


def tone_of_score(score: float | None) -> str:
    """The label a mean tone score reads as (the thresholds the tone stage uses)."""
    if score is None:
        return "unknown"
    if score >= 0.15:
        return "positive"
    if score <= -0.15:
        return "negative"
    return "neutral"


def cut_at_word(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word (never inside one), with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 3:
        cut = cut[:space]
    return cut.rstrip(" ,.;:–-") + "…"


def english() -> bool:
    return (get_language() or "vi").startswith("en")


def organisation_name(organisation: Any) -> str:
    """An organisation's name in the interface language (English name where there is one)."""
    if organisation is None:
        return ""
    if english() and getattr(organisation, "name_en", ""):
        return str(organisation.name_en)
    return str(organisation.name)


def sorted_by_name(items: list[Any], name: Any = organisation_name) -> list[Any]:
    """Items in the alphabetical order of the interface language (Vietnamese collation)."""
    return sorted(items, key=lambda item: vi_sort_key(name(item)))


def _locale() -> Locale:
    try:
        return Locale.parse((get_language() or "vi").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("vi")


def language_name(code: str | None) -> str:
    if not code:
        return _("Không rõ")
    return str(_locale().languages.get(code, code))


def country_name(code: str | None) -> str:
    if not code:
        return _("Không rõ")
    return str(_locale().territories.get(code.upper(), code))


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes_text(changes: Any) -> str:
    """An audit event's changes as a sentence: "title: A → B; status: open → done".

    Stored as {field: [old, new]} (or {field: value} for a creation); anything else is
    shown as it is, so nothing recorded is ever hidden."""
    if not changes:
        return "—"
    if not isinstance(changes, dict):
        return _value_text(changes)
    if set(changes) in ({"after"}, {"before"}) and isinstance(next(iter(changes.values())), dict):
        # a creation ("after") or a deletion ("before"): the whole record, field by field
        snapshot = next(iter(changes.values()))
        filled = {k: v for k, v in snapshot.items() if v not in ("", None)}
        return "; ".join(f"{k}: {_value_text(v)}" for k, v in filled.items())
    parts = []
    for field, value in changes.items():
        if isinstance(value, (list, tuple)) and len(value) == 2:
            parts.append(f"{field}: {_value_text(value[0])} → {_value_text(value[1])}")
        elif isinstance(value, dict) and set(value) >= {"old", "new"}:
            parts.append(f"{field}: {_value_text(value['old'])} → {_value_text(value['new'])}")
        else:
            parts.append(f"{field}: {_value_text(value)}")
    return "; ".join(parts)


# --- nation-brand dimensions (the pipeline's tags; shown by Measure, the story page, reports)


def dimension_keys() -> tuple[str, ...]:
    """The nation-brand dimensions the pipeline can tag (both schemes, each key once)."""
    data = read_json("dimension_lexicons.json")
    assert isinstance(data, dict)
    schemes = data.get("schemes", {})
    keys: list[str] = []
    for scheme_keys in schemes.values():
        for key in scheme_keys:
            if key not in keys:
                keys.append(key)
    return tuple(keys)


DIMENSION_LABELS: dict[str, Promise] = {
    "exports": gettext_lazy("Xuất khẩu"),
    "governance": gettext_lazy("Quản trị"),
    "culture_heritage": gettext_lazy("Văn hóa và di sản"),
    "people": gettext_lazy("Con người"),
    "tourism": gettext_lazy("Du lịch"),
    "investment_immigration": gettext_lazy("Đầu tư và nhập cư"),
    "business_trade": gettext_lazy("Kinh doanh và thương mại"),
    "international_relations": gettext_lazy("Quan hệ quốc tế"),
    "media_communication": gettext_lazy("Truyền thông"),
    "education_science": gettext_lazy("Giáo dục và khoa học"),
    "people_values": gettext_lazy("Con người và giá trị"),
    "sustainable_future": gettext_lazy("Tương lai bền vững"),
}


def dimension_label(key: str) -> str:
    return str(DIMENSION_LABELS.get(key, key))
