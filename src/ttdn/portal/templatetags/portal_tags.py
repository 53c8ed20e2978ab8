"""Template helpers: schema.org JSON-LD and the fact sheet's inline SVG chart."""

from __future__ import annotations

import json
import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

from ttdn.portal.fonts import font_stylesheet
from ttdn.portal.jsonld import jsonld_for

register = template.Library()

# what a rendered rich-text body may contain: the editor's features and nothing else, so a
# body stored by any path (PO import, API, a database edit) cannot carry script or handlers
_OUTPUT_RULES = {
    "[document]": allow_without_attributes,
    **{
        tag: allow_without_attributes
        for tag in (
            "p",
            "h2",
            "h3",
            "h4",
            "b",
            "strong",
            "i",
            "em",
            "ol",
            "ul",
            "li",
            "blockquote",
            "br",
        )
    },
    "a": attribute_rule({"href": check_url}),
}


class _OutputWhitelister(Whitelister):
    element_rules = _OUTPUT_RULES


@register.filter
def richtext_clean(value: Any) -> SafeString:
    """Wagtail's `richtext` (internal links expanded), then reduced to the allowed tags."""
    html = expand_db_html(str(value or ""))
    # script and style go with their content; other unknown tags keep only their text
    html = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", html)
    return mark_safe(_OutputWhitelister().clean(html))  # noqa: S308 - whitelisted above


@register.simple_tag(takes_context=True)
def portal_jsonld(context: Any, page: Any = None) -> SafeString:
    data = jsonld_for(context["request"], page)
    # "</" can never end the script element early
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag
def bar_chart(rows: list[dict[str, Any]], label: str) -> SafeString:
    """Reports per month as an accessible inline SVG (no script, a few hundred bytes)."""
    if not rows:
        return mark_safe("")  # noqa: S308
    peak = max(r["reports"] for r in rows) or 1
    width, height, gap = 24, 120, 6
    bars = []
    for i, row in enumerate(rows):
        h = round(row["reports"] / peak * (height - 20))
        x = i * (width + gap)
        bars.append(
            f"<g><title>{escape(row['month'])}: {row['reports']}</title>"
            f'<rect x="{x}" y="{height - h - 14}" width="{width}" height="{h}" class="bar"/>'
            f'<text x="{x + width / 2}" y="{height}" text-anchor="middle" class="axis">'
            f"{escape(row['month'][5:])}</text></g>"
        )
    total_w = len(rows) * (width + gap)
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {total_w} {height}" '
        f'class="chart" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
    )


@register.simple_tag
def portal_font_css(language: str) -> str:
    """The static path of the language's own font stylesheet, or "" (ttdn.portal.fonts)."""
    return font_stylesheet(language)
