"""Template filters that turn stored codes into words (see ttdn.web.labels)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ttdn.web import labels

register = template.Library()


@register.filter
def tone_label(value: str | None) -> str:
    return labels.tone_label(value)


@register.filter
def tone_of_score(score: float | None) -> str:
    return labels.tone_label(labels.tone_of_score(score))


@register.filter
def org_name(organisation: Any) -> str:
    return labels.organisation_name(organisation)


@register.filter
def language_name(code: str | None) -> str:
    return labels.language_name(code)


@register.filter
def country_name(code: str | None) -> str:
    return labels.country_name(code)


@register.filter
def changes_text(changes: Any) -> str:
    return labels.changes_text(changes)


@register.filter
def source_kind_label(value: str | None) -> str:
    from_choices = {
        "international": _("Quốc tế"),
        "domestic": _("Trong nước"),
        "own": _("Của ta"),
    }
    return from_choices.get(value or "", value or "—")


@register.simple_tag
def sparkline(values: list[int], width: int = 120, height: int = 28) -> str:
    """A small inline SVG line of `values` (reports per hour), hidden from screen readers:
    the row says the same in words."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" '
        'focusable="false"><polyline fill="none" stroke="#a3131c" stroke-width="2" '
        'points="{}"/></svg>',
        width,
        height,
        width,
        height,
        points,
    )


@register.filter
def tone_code(score: float | None) -> str:
    return labels.tone_of_score(score)


@register.filter
def words(text: str | None, limit: int = 160) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis: a
    title is never cut in the middle of a word."""
    return labels.cut_at_word(text or "", int(limit))


@register.filter
def marked(segments: list[Any] | None) -> str:
    """Segments from ttdn.measure.snippets as HTML: matches in <mark>, everything escaped."""
    if not segments:
        return ""
    return format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", s.text) if s.match else s.text,) for s in segments),
    )
