"""Published fact-checks in the open-data API (/api/open/fact-checks/): the same items as the
public JSON feed (approved answers, ratings, dates; nothing internal)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ttdn.respond import selectors
from ttdn.respond.jsonld import feed_items
from ttdn.web.api_errors import ERRORS

router = Router(tags=["fact-checks"])


# ERRORS: a bad parameter (e.g. `limit=abc`) gets the open API's documented 400, as on
# every other open-data endpoint (schemathesis checks the description against the answers)
@router.get(
    "/",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Published fact-checks and clarifications, newest first",
)
def fact_checks(request: HttpRequest, limit: int = 50) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 200))
    base = request.build_absolute_uri("/")[:-1]
    items = feed_items(selectors.published_case_list()[:limit], base)
    return [{k: v for k, v in item.items() if not k.startswith("_")} for item in items]
