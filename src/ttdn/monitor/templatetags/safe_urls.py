"""`{{ url|safe_href }}`: the link target for a URL read from a feed, or "#".

The pipeline stores only http(s) URLs (`ttdn.pipeline.urls`), but rows stored before that
check, or written by another path, must not become live ``javascript:`` links: every
template that links to a foreign URL goes through this filter (defence in depth; Django's
escaping stops markup, not a hostile scheme).
"""

from __future__ import annotations

from django import template

from ttdn.pipeline.urls import safe_http_url

register = template.Library()


@register.filter
def safe_href(value: object) -> str:
    return safe_http_url(value) or "#"
