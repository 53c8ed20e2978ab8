"""Rich text from people (answers, notes) is sanitised here, once, before it is stored.

Why store the cleaned HTML rather than clean on output: the public page, the feed and the
open-data API all serve the same text, and one cleaning on the way in means none of them can
forget it. nh3 (ammonia) keeps a small allow-list of tags; scripts, event handlers, styles
and `javascript:` links are dropped, and links get rel="noopener noreferrer".
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "h2",
    "h3",
    "h4",
    "q",
    "cite",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def clean_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    """Text without any markup (for JSON-LD, feeds' summaries and search)."""
    return " ".join(nh3.clean(html or "", tags=set()).split())
