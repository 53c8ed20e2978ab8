"""The one answer to "may this URL be stored, linked or sent on?": only http(s).

Links come from feeds, pages and pushes we do not control. A ``javascript:`` or ``data:``
link stored as a report's URL becomes a live ``<a href>`` on every page that lists the
report (stored XSS) and travels on in the open API and webhooks. Browsers are lenient
about schemes: they drop ASCII tab and newline anywhere in a URL, strip leading and
trailing control characters and spaces, and ignore the scheme's case, so
``" JaVa\\tScRiPt:alert(1)"`` is still JavaScript. `safe_http_url` reads the URL the way
a browser would and accepts it only when the scheme is then http or https and there is a
host; everything else is refused (the empty string), never "repaired".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
# What the WHATWG URL parser removes before reading a URL.
_TAB_NEWLINE_RE = re.compile(r"[\t\n\r]")
_EDGE = "".join(chr(c) for c in range(0x21)) + "\x7f"
# Left in the middle of a URL, these are percent-encoded (as browsers do) so the stored
# value is one unambiguous token.
_INNER_UNSAFE_RE = re.compile(r"[\x00-\x20\x7f]")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
MAX_URL_LENGTH = 8192


def safe_http_url(value: object) -> str:
    """`value` as an http(s) URL fit to store and link, or "" when it is not one.

    Tabs and newlines are removed and edge whitespace / control characters stripped (what
    a browser does), the remaining spaces and control characters percent-encoded. Refused:
    any other scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:``), no scheme at
    all (a relative link must be resolved against its page first), no host, an
    unparseable URL, or one longer than `MAX_URL_LENGTH`.
    """
    if not isinstance(value, str):
        return ""
    text = _TAB_NEWLINE_RE.sub("", value).strip(_EDGE)
    if not text or len(text) > MAX_URL_LENGTH:
        return ""
    match = _SCHEME_RE.match(text)
    if match is None or match.group(1).lower() not in ALLOWED_SCHEMES:
        return ""
    text = _INNER_UNSAFE_RE.sub(lambda m: f"%{ord(m.group()):02X}", text)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        return ""
    return text


def is_safe_http_url(value: object) -> bool:
    """True when `value` may be linked as it is (`safe_http_url` would not change it)."""
    return isinstance(value, str) and bool(value) and safe_http_url(value) == value
