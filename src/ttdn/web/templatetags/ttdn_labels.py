"""Template filters that turn stored codes into words (see ttdn.web.labels)."""

from __future__ import annotations

from typing import Any

from django import template
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
