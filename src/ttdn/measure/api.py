"""Measure's APIs (django-ninja).

- `open_api`: the public open-data API at /api/open/ (OpenAPI at /api/open/openapi.json,
  docs at /api/open/docs). Read-only. Without a key it answers at a low rate per address;
  with an `X-API-Key` header at the key's own rate. Indicators (JSON or CSV), story and
  report *metadata*; never the text of third-party articles.
- `staff_router`: session-authenticated endpoints added to the staff API (/api/measure/...):
  search and saved searches, scoped by organisation exactly as the web pages are.

Invalid parameters give 400 with a message per parameter (the same messages as the
dashboard), never 422 or 500, so one rule explains every refusal.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyHeader, django_auth
from ninja.throttling import AnonRateThrottle, AuthRateThrottle
from pydantic import Field

from ttdn.accounts.models import User
from ttdn.measure.filters import FilterError, MeasureFilters, filters_parse
from ttdn.measure.indicators import INDICATORS, indicator_get
from ttdn.measure.models import ApiKey
from ttdn.measure.selectors import (
    REPORT_FIELDS,
    report_metadata_for,
    report_metadata_list,
    report_search,
    saved_search_get,
    saved_search_list,
    story_metadata_get,
    story_metadata_list,
    story_metadata_rows,
    story_search,
)
from ttdn.measure.services import DEFAULT_KEY_RATE as SERVICES_DEFAULT_KEY_RATE
from ttdn.measure.services import api_key_authenticate, saved_search_create, saved_search_delete
from ttdn.web import api_errors
from ttdn.web.api_errors import ERRORS, ErrorOut
from ttdn.web.export import csv_response
from ttdn.web.labels import dimension_keys

try:  # django-ninja >= 1.6 wants Status(...) instead of (code, body) tuples
    from ninja import Status as _Status
except ImportError:  # pragma: no cover - older django-ninja
    _Status = None


def _status(code: int, body: Any) -> Any:
    return _Status(code, body) if _Status is not None else (code, body)


MAX_PAGE = 1000
MAX_OFFSET = 100_000
DEFAULT_PUBLIC_RATE = "60/min"
DEFAULT_KEY_RATE = SERVICES_DEFAULT_KEY_RATE

REPORT_COLUMNS = [
    "id",
    "url",
    "title",
    "language",
    "outlet",
    "outlet_country",
    "source_kind",
    "published_at",
    "tone_score",
    "tone_label",
    "dimensions",
    "story_id",
    "is_duplicate",
]
STORY_COLUMNS = [
    "id",
    "title",
    "language",
    "first_report_url",
    "languages",
    "outlets",
    "outlet_countries",
    "first_seen_at",
    "last_seen_at",
    "report_count",
    "unique_report_count",
    "tone_mean",
    "dimensions",
    "crosslingual_id",
]
assert "text" not in REPORT_FIELDS  # noqa: S101 - the one rule of open data, checked at import


# --- authentication and rate limits ---------------------------------------------------------


def _setting(name: str, default: str) -> str:
    """A Django setting, else the environment variable of the same name, else the default
    (read per request, so a changed setting applies without a restart of the module)."""
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


class PublicAccess:
    """request.auth for a request without a key (so a missing key is not a 401)."""

    def __str__(self) -> str:
        return "public"


PUBLIC = PublicAccess()


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: ttdn_…`. A wrong or revoked key is refused (401) rather than silently
    served at the public rate, so a client notices its key stopped working."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        if not key:
            return None
        found = api_key_authenticate(key)
        if found is None:
            raise AuthenticationError(401, _("Khóa API không hợp lệ hoặc đã bị thu hồi."))
        return found


def public_access(request: HttpRequest) -> PublicAccess:
    return PUBLIC


class PublicRateThrottle(AnonRateThrottle):
    """Requests without a key: TTDN_OPEN_API_PUBLIC_RATE per client address."""

    scope = "open_public"

    def __init__(self) -> None:
        super().__init__(rate=DEFAULT_PUBLIC_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if isinstance(getattr(request, "auth", None), ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: HttpRequest) -> bool:
        rate = _setting("TTDN_OPEN_API_PUBLIC_RATE", DEFAULT_PUBLIC_RATE)
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class ApiKeyRateThrottle(AuthRateThrottle):
    """Requests with a key: the key's own `rate_limit`, else TTDN_OPEN_API_KEY_RATE."""

    scope = "open_key"

    def __init__(self) -> None:
        super().__init__(rate=DEFAULT_KEY_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:  # type: ignore[override]
        auth = getattr(request, "auth", None)
        if not isinstance(auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"key{auth.pk}"}

    def allow_request(self, request: HttpRequest) -> bool:
        auth = getattr(request, "auth", None)
        rate = _setting("TTDN_OPEN_API_KEY_RATE", DEFAULT_KEY_RATE)
        if isinstance(auth, ApiKey) and auth.rate_limit:
            rate = auth.rate_limit
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class OpenNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Say in the description that the key is optional: each operation may be called
        with the ApiKeyAuth scheme *or* with none (`{}` in OpenAPI's security list)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                security = operation.get("security")
                if security and {} not in security:
                    operation["security"] = [*security, {}]
        return schema


open_api = OpenNinjaAPI(
    title="TTĐN Open Data API",
    version="1",
    description=(
        "Indicators of how the world's media cover Viet Nam, and metadata of the stories and "
        "reports behind them (never the text of third-party articles). No key needed for "
        "light use; send `X-API-Key` for a higher rate limit. Invalid parameters give 400 "
        "with a message per parameter; too many requests give 429 with Retry-After. Each "
        "indicator's definition and version: GET /indicators."
    ),
    urls_namespace="open_api",
    auth=[ApiKeyAuth(), public_access],
    throttle=[PublicRateThrottle(), ApiKeyRateThrottle()],
)


def _filters_or_400(params: dict[str, Any], **kwargs: Any) -> MeasureFilters:
    try:
        return filters_parse(params, **kwargs)
    except FilterError as exc:
        raise HttpError(400, exc.message()) from exc


def _page_message(name: str) -> str | None:
    """A clearer message than the type checker's for oversized or negative pages."""
    if name == "limit":
        return _(
            "limit phải từ 1 đến %(max)s bản ghi mỗi trang; dùng offset để lấy các trang tiếp theo."
        ) % {"max": MAX_PAGE}
    if name == "offset":
        return _(
            "offset phải từ 0 đến %(max)s; thu hẹp bộ lọc (date_from, date_to) để lấy dữ "
            "liệu cũ hơn."
        ) % {"max": MAX_OFFSET}
    return None


api_errors.install(open_api, parameter_message=_page_message)


# --- schemas ---------------------------------------------------------------------------------


Bucket = Literal["day", "week", "month"]
ToneLabel = Literal["positive", "neutral", "negative"]
SourceKindName = Literal["international", "domestic", "own"]
GroupBy = Literal["country", "language", "dimension"]
DimensionKey = Literal[dimension_keys()]  # type: ignore[valid-type]


class FilterQuery(Schema):
    """Filters; all optional. Dates are inclusive, local to Viet Nam (UTC+7). Types and
    patterns are checked first; then the rules the schema cannot say (period order and
    bounds, at most 1000 time buckets, the province exists) give 400 with a message."""

    date_from: dt.date | None = Field(
        None, description="first day; default 89 days before date_to; not before 2000-01-01"
    )
    date_to: dt.date | None = Field(None, description="last day; default today; ≤ 10 years")
    bucket: Bucket | None = Field(None, description="time bucket (default week)")
    language: str | None = Field(
        None, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$", description="report language"
    )
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code of the outlet"
    )
    source_kind: SourceKindName | None = None
    tone: ToneLabel | None = None
    dimension: DimensionKey | None = Field(None, description="nation-brand dimension")
    province: str | None = Field(
        None,
        pattern=r"^[a-z0-9-]{1,80}$",
        description="unit slug, e.g. lam-dong (former units such as dak-nong roll up)",
    )
    group_by: GroupBy | None = Field(None, description="tone only")
    top: int | None = Field(None, ge=1, le=100, description="top_stories only")


class IndicatorDefinitionOut(Schema):
    key: str
    version: int
    title: str
    counts: str
    stages: list[str]
    unit: str
    notes: str
    changes: list[dict[str, Any]]
    definition_url: str
    data_url: str


class IndicatorDataOut(Schema):
    indicator: IndicatorDefinitionOut
    filters: dict[str, str]
    columns: list[str]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]


class ReportOut(Schema):
    id: int
    url: str
    title: str
    language: str
    outlet: str
    outlet_country: str
    source_kind: str
    published_at: str | None
    tone_score: float | None
    tone_label: str
    dimensions: dict[str, Any]
    story_id: int | None
    is_duplicate: bool


class StoryOut(Schema):
    id: int
    title: str
    language: str
    first_report_url: str | None
    languages: list[str]
    outlets: list[str]
    outlet_countries: list[str]
    first_seen_at: str
    last_seen_at: str
    report_count: int
    unique_report_count: int
    tone_mean: float | None
    dimensions: dict[str, Any]
    crosslingual_id: int | None


class ReportPage(Schema):
    limit: int
    offset: int
    next_offset: int | None
    items: list[ReportOut]


class StoryPage(Schema):
    limit: int
    offset: int
    next_offset: int | None
    items: list[StoryOut]


CSV_200 = {
    "responses": {
        200: {
            "description": "OK (JSON, or CSV with format=csv)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}
Format = Literal["json", "csv"]


def _definition_out(request: HttpRequest, key: str) -> dict[str, Any]:
    indicator = indicator_get(key)
    return {
        **indicator.definition(),
        "definition_url": request.build_absolute_uri(
            reverse("measure_definition", args=[indicator.key])
        ),
        "data_url": request.build_absolute_uri(
            reverse("open_api:indicator_data", args=[indicator.key])
        ),
    }


def _params(filters: FilterQuery) -> dict[str, Any]:
    out = {}
    for key, value in filters.dict().items():
        if value not in (None, ""):
            out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return out


# --- open endpoints --------------------------------------------------------------------------


@open_api.get(
    "/indicators", response={200: list[IndicatorDefinitionOut], **ERRORS}, url_name="indicator_list"
)
def indicator_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every indicator's written definition and current version."""
    return [_definition_out(request, i.key) for i in INDICATORS]


@open_api.get(
    "/indicators/{key}",
    response={200: IndicatorDataOut, 404: ErrorOut, **ERRORS},
    url_name="indicator_data",
    openapi_extra=CSV_200,
)
def indicator_data(
    request: HttpRequest,
    key: str,
    filters: Query[FilterQuery],
    format: Format = "json",  # noqa: A002 - the public parameter name
) -> Any:
    """One indicator's values for the filters, as JSON or CSV (`format=csv`)."""
    try:
        indicator = indicator_get(key)
    except KeyError as exc:
        raise HttpError(404, _("Không có chỉ số này: %(key)s.") % {"key": key}) from exc
    parsed = _filters_or_400(_params(filters))
    if indicator.key == "province" and not parsed.province:
        raise HttpError(400, _("province: hãy chọn một tỉnh, thành phố (ví dụ lam-dong)."))
    result = indicator.compute(parsed)
    if format == "csv":
        return csv_response(
            result.columns, result.rows, f"{indicator.key}-v{indicator.version}.csv"
        )
    return {
        "indicator": _definition_out(request, indicator.key),
        "filters": parsed.as_params(),
        **result.as_dict(),
    }


def _page(
    items: list[Any], *, limit: int, offset: int, format: str, columns: Any, filename: str
) -> Any:
    """One page of a list fetched with `limit + 1` rows (the extra row says whether there
    is a next page), as CSV or as the JSON page object."""
    more = len(items) > limit
    items = items[:limit]
    if format == "csv":
        return csv_response(columns, items, filename)
    return {
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
        "items": items,
    }


@open_api.get(
    "/stories",
    response={200: StoryPage, **ERRORS},
    url_name="story_list",
    openapi_extra=CSV_200,
)
def story_list(
    request: HttpRequest,
    filters: Query[FilterQuery],
    limit: int = Query(100, ge=1, le=MAX_PAGE, description="page size, at most 1000"),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="rows to skip, at most 100000"),  # type: ignore[type-arg]
    format: Format = "json",  # noqa: A002
) -> Any:
    """Story metadata (stories with at least one report matching the filters), newest
    activity first. At most 1000 per page."""
    parsed = _filters_or_400(_params(filters))
    items = story_metadata_list(filters=parsed, limit=limit + 1, offset=offset)
    return _page(
        items,
        limit=limit,
        offset=offset,
        format=format,
        columns=STORY_COLUMNS,
        filename="stories.csv",
    )


@open_api.get(
    "/stories/{story_id}",
    response={200: StoryOut, 404: ErrorOut, **ERRORS},
    url_name="story_detail",
)
def story_detail(request: HttpRequest, story_id: int) -> Any:
    return story_metadata_get(story_id=story_id)


@open_api.get(
    "/reports",
    response={200: ReportPage, **ERRORS},
    url_name="report_list",
    openapi_extra=CSV_200,
)
def report_list(
    request: HttpRequest,
    filters: Query[FilterQuery],
    limit: int = Query(100, ge=1, le=MAX_PAGE, description="page size, at most 1000"),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="rows to skip, at most 100000"),  # type: ignore[type-arg]
    format: Format = "json",  # noqa: A002
) -> Any:
    """Report metadata (URL, title, language, outlet and its country, date, tone,
    dimensions; never the article text), newest first. At most 1000 per page."""
    parsed = _filters_or_400(_params(filters))
    items = report_metadata_list(filters=parsed, limit=limit + 1, offset=offset)
    return _page(
        items,
        limit=limit,
        offset=offset,
        format=format,
        columns=REPORT_COLUMNS,
        filename="reports.csv",
    )


# --- staff endpoints (added to ttdn.api.api under /measure) ----------------------------------

staff_router = Router(auth=django_auth, tags=["measure"])


class SavedSearchIn(Schema):
    name: str
    query: str
    filters: dict[str, str] = {}


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    filters: dict[str, Any]
    organisation: str | None
    owner: str
    created_at: dt.datetime


class SearchOut(Schema):
    query: str
    reports: list[ReportOut]
    stories: list[StoryOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - django_auth guarantees a logged-in user
    return user


def _saved_out(saved: Any) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "name": saved.name,
        "query": saved.query,
        "filters": saved.filters,
        "organisation": saved.organisation.slug if saved.organisation else None,
        "owner": saved.user.username,
        "created_at": saved.created_at,
    }


@staff_router.get("/saved-searches", response=list[SavedSearchOut])
def saved_searches(request: HttpRequest) -> list[dict[str, Any]]:
    return [_saved_out(s) for s in saved_search_list(user=_user(request))]


@staff_router.post("/saved-searches", response={201: SavedSearchOut, 400: ErrorOut})
def saved_search_new(request: HttpRequest, payload: SavedSearchIn) -> Any:
    try:
        saved = saved_search_create(
            user=_user(request), name=payload.name, query=payload.query, filters=payload.filters
        )
    except ValidationError as exc:
        raise HttpError(400, "; ".join(exc.messages)) from exc
    return _status(201, _saved_out(saved))


@staff_router.get("/saved-searches/{saved_id}", response=SavedSearchOut)
def saved_search_detail(request: HttpRequest, saved_id: int) -> dict[str, Any]:
    return _saved_out(saved_search_get(user=_user(request), saved_search_id=saved_id))


@staff_router.delete("/saved-searches/{saved_id}", response={204: None})
def saved_search_remove(request: HttpRequest, saved_id: int) -> Any:
    user = _user(request)
    saved = saved_search_get(user=user, saved_search_id=saved_id)
    try:
        saved_search_delete(user=user, saved_search=saved)
    except PermissionDenied as exc:
        raise HttpError(403, _("Chỉ người tạo mới xóa được tìm kiếm này.")) from exc
    return _status(204, None)


@staff_router.get("/search", response={200: SearchOut, 400: ErrorOut})
def search(request: HttpRequest, q: str, filters: Query[FilterQuery]) -> Any:
    """Accent-insensitive search over report titles and texts and story titles (the 50
    newest matching reports, 20 stories), as metadata."""
    parsed = _filters_or_400(_params(filters), require_period=False)
    ids = list(report_search(query=q, filters=parsed, newest=50).values_list("id", flat=True)[:50])
    stories = list(story_search(query=q, filters=parsed).select_related("first_report")[:20])
    return {
        "query": q,
        "reports": report_metadata_for(ids),
        "stories": story_metadata_rows(stories),
    }
