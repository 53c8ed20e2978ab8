"""What a portal page shows besides its own fields, handed to the page at start.

A Wagtail page renders itself (`get_context`, the routes of a `RoutablePageMixin`), but what
it shows is read by the selectors, the chrome and the feeds, which read the page models: a
model importing them closes a cycle. So the models ask this registry, which imports nothing
of the portal, and `ttdn.portal.pages` fills it from PortalConfig.ready() (dependency
inversion: the readers depend on the models, never the other way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (page, request) -> the extra template variables of that kind of page
ContextProvider = Callable[[Any, Any], dict[str, Any]]
# (request, kind, topic) -> the RSS or Atom response of a topic
FeedServer = Callable[..., Any]

_CONTEXT: dict[type, ContextProvider] = {}
_FEED: list[FeedServer] = []


def context_provider(page_class: type) -> Callable[[ContextProvider], ContextProvider]:
    """Register what pages of `page_class` (and its subclasses) add to their context."""

    def register(provider: ContextProvider) -> ContextProvider:
        _CONTEXT[page_class] = provider
        return provider

    return register


def page_context(page: Any, request: Any) -> dict[str, Any]:
    """The extra context of `page`: its base classes' providers first, then its own."""
    out: dict[str, Any] = {}
    for cls in reversed(type(page).__mro__):
        provider = _CONTEXT.get(cls)
        if provider is not None:
            out.update(provider(page, request))
    return out


def feed_server_set(server: FeedServer) -> None:
    _FEED[:] = [server]


def feed_serve(request: Any, *, kind: str, topic: Any) -> Any:
    if not _FEED:
        raise RuntimeError("no feed server registered (ttdn.portal.pages, from ready())")
    return _FEED[0](request, kind=kind, topic=topic)
