"""The Wagtail admin under the platform's Content-Security-Policy (no inline script).

WHY: Wagtail 8 still renders a few form widgets with an inline `<script>` that starts them
(`initDateChooser("id_date", {...})`, `new ImageChooser("id_cover_image", {...})`, inline
panels). Our policy allows scripts only from our own origin or with the request's nonce, so
the browser refused them: in the portal's editor the date pickers, the image chooser and
inline panels silently did not start. Allowing 'unsafe-inline' for the admin would disarm
the policy where it matters most (signed-in editors). Stamping every inline script with the
nonce, or hashing it, would do the same in disguise (anything injected gets stamped too).

Instead this middleware rewrites ONLY the known initialiser calls, recognised exactly, into
inert data (`<script type="application/json" data-ttdn-init="initDateChooser">["id_date",
{...}]</script>`), and `portal/admin-init.js` (served from our origin) calls the matching
function from a fixed list. Anything else inline is left as it is, so the browser still
blocks it and the admin browser test reports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

ADMIN_PREFIX = "/quang-ba/quan-tri/"
#: functions and constructors the initialiser script may call (admin-init.js has the same list)
FUNCTIONS = ("initDateChooser", "initTimeChooser", "initDateTimeChooser")
CONSTRUCTORS = (
    "ImageChooser",
    "DocumentChooser",
    "PageChooser",
    "SnippetChooser",
    "TaskChooser",
    "InlinePanel",
    "MultipleChooserPanel",
)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_CALL = re.compile(r"(?:new\s+)?([A-Za-z]+)\((.*)\);?", re.S)
_PARSED_PANEL = re.compile(
    r"\(function\(\)\s*\{\s*var\s+panel\s*=\s*new\s+([A-Za-z]+)\(JSON\.parse\(\"(.*)\"\)\);"
    r"\s*\}\)\(\);",
    re.S,
)

# wagtail-localize's translation editor: the chooser URLs, as a JS object literal
_CHOOSER_URLS = re.compile(
    r'if\s*\(typeof window\.chooserUrls === "undefined"\)\s*\{\s*window\.chooserUrls = '
    r"\{((?:\s*[A-Za-z]+:\s*\"[^\"\\<]*\",?)+)\s*\}\s*\}",
)


def _inert(name: str, arguments: list[Any]) -> str:
    data = json.dumps(arguments, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" data-ttdn-init="{name}">{data}</script>'


def rewrite_call(code: str) -> str | None:
    """The inert form of one known initialiser call, or None if `code` is anything else."""
    code = code.strip()
    urls = _CHOOSER_URLS.fullmatch(code)
    if urls is not None:
        found = dict(re.findall(r'([A-Za-z]+):\s*"([^"]*)"', urls.group(1)))
        return _inert("chooserUrls", [found])
    panel = _PARSED_PANEL.fullmatch(code)
    if panel is not None:
        name, literal = panel.groups()
        if name not in CONSTRUCTORS:
            return None
        try:
            options = json.loads(json.loads(f'"{literal}"'))
        except ValueError:
            return None
        return _inert(name, [options])
    call = _CALL.fullmatch(code)
    if call is None:
        return None
    name, arguments = call.groups()
    is_new = code.startswith("new")
    if (is_new and name not in CONSTRUCTORS) or (not is_new and name not in FUNCTIONS):
        return None
    try:
        parsed = json.loads(f"[{arguments}]")
    except ValueError:
        return None
    return _inert(name, parsed)


def rewrite_html(html: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return rewrite_call(match.group(1)) or match.group(0)

    return _SCRIPT.sub(replace, html)


class AdminInlineScriptMiddleware:
    """Applies `rewrite_html` to the Wagtail admin's HTML pages and to the HTML its modal
    dialogs receive as JSON (`{"html": ...}`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(ADMIN_PREFIX) or response.streaming:
            return response
        kind = response.headers.get("Content-Type", "")
        if kind.startswith("text/html"):
            content = response.content.decode(response.charset or "utf-8")
            if "<script>" in content:
                self._replace(response, rewrite_html(content))
        elif kind.startswith("application/json") and b"<script>" in response.content:
            try:
                data = json.loads(response.content)
            except ValueError:
                return response
            if isinstance(data, dict) and isinstance(data.get("html"), str):
                data["html"] = rewrite_html(data["html"])
                self._replace(response, json.dumps(data))
        return response

    @staticmethod
    def _replace(response: HttpResponse, content: str) -> None:
        response.content = content.encode(response.charset or "utf-8")
        if "Content-Length" in response.headers:
            response.headers["Content-Length"] = str(len(response.content))
