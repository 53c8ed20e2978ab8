"""What each kind of portal page shows besides its fields (registered in
`ttdn.portal.rendering` from PortalConfig.ready()): the chrome on every page, the latest
pages on a home page, live figures on a fact sheet, and the topics' feeds."""

from __future__ import annotations

from typing import Any

from ttdn.portal import rendering
from ttdn.portal.chrome import chrome_context
from ttdn.portal.feeds import feed_response
from ttdn.portal.models import FactSheetPage, HomePage, PortalPage
from ttdn.portal.selectors import figures_get, latest_list


def _chrome(page: PortalPage, request: Any) -> dict[str, Any]:
    return chrome_context(request, page)


def _home(page: HomePage, request: Any) -> dict[str, Any]:
    return {"latest": latest_list(page.locale, limit=9)}


def _fact_sheet(page: FactSheetPage, request: Any) -> dict[str, Any]:
    return {"figures": figures_get(page.province.slug if page.province else None)}


def register() -> None:
    rendering.context_provider(PortalPage)(_chrome)
    rendering.context_provider(HomePage)(_home)
    rendering.context_provider(FactSheetPage)(_fact_sheet)
    rendering.feed_server_set(feed_response)
