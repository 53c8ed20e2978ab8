"""Measure pages: dashboards, indicator definitions, search, saved searches, API keys.

Thin views: validate with the shared filter form, call a selector or service, render. The
charts are drawn in the browser from the JSON data endpoint (`indicator_data`), which also
gives the same table as CSV with ?format=csv.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.models import User
from ttdn.accounts.selectors import organisations_actable
from ttdn.measure.bursts import burst_list
from ttdn.measure.filters import (
    PARAMS,
    FilterError,
    FilterForm,
    MeasureFilters,
    filters_parse,
    peer_countries,
)
from ttdn.measure.indicators import INDICATORS, indicator_get
from ttdn.measure.overview import country_outlet_list, period_filters
from ttdn.measure.panels import panel_values
from ttdn.measure.selectors import (
    api_key_list,
    report_search_facets,
    report_search_page,
    saved_search_get,
    saved_search_list,
    story_search,
)
from ttdn.measure.services import (
    api_key_create,
    api_key_revoke,
    saved_search_create,
    saved_search_delete,
)
from ttdn.measure.snippets import highlight, snippet
from ttdn.monitor.models import Report, Source
from ttdn.web.charts import COMMON_LANGUAGES, chart_names, chart_strings
from ttdn.web.export import csv_response
from ttdn.web.labels import country_name, tone_label
from ttdn.web.navigation import module_get
from ttdn.web.overview import period_days
from ttdn.web.tiles import period_of

FALLBACK_PROVINCE = "ha-noi"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def default_province(user: User) -> str:
    """The province view opens on the officer's own province, else on the capital."""
    organisation = user.organisation
    if organisation is not None and organisation.is_provincial:
        return organisation.slug
    return FALLBACK_PROVINCE


def _options() -> dict[str, list[tuple[str, str]]]:
    names = chart_names()
    countries = set(Source.objects.exclude(country="").values_list("country", flat=True))
    countries |= set(peer_countries())
    return {
        "language_options": [(c, names["languages"].get(c, c)) for c in COMMON_LANGUAGES],
        "country_options": sorted(
            ((c, names["countries"].get(c, c)) for c in countries), key=lambda x: x[1]
        ),
    }


def _query(params: dict[str, str]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    params = {k: request.GET.get(k, "") for k in PARAMS}
    form = FilterForm({k: v for k, v in params.items() if v} or None, require_period=True)
    filters: MeasureFilters | None = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = form.filters()
        else:
            status = 400
    else:
        filters = filters_parse({})
        form = FilterForm(initial=filters.as_params())
    panels: list[dict[str, Any]] = []
    extra_panels = panel_values(request, filters) if filters is not None else []
    if filters is not None:
        query = filters.as_params()
        province_query = dict(query)
        province_query.setdefault("province", default_province(user))
        for indicator in INDICATORS:
            own = province_query if indicator.key == "province" else query
            data_url = reverse("measure_data", args=[indicator.key]) + "?" + _query(own)
            panels.append(
                {
                    "indicator": indicator,
                    "data_url": data_url,
                    "csv_url": data_url + "&format=csv",
                    "province": own.get("province", ""),
                }
            )
    context = {
        "module": module_get("measure"),
        "form": form,
        "filters": filters,
        "panels": panels,
        # other modules' panels (`ttdn.measure.panels`) and the scripts they need, once each
        "extra_panels": extra_panels,
        "extra_scripts": list(dict.fromkeys(js for p, _d in extra_panels for js in p.scripts)),
        "has_data": Report.objects.exists(),
        "bursts": burst_list(),
        "names": chart_names(),
        "chart_strings": chart_strings(),
        **_options(),
    }
    return render(request, "measure/dashboard.html", context, status=status)


@login_required
def indicator_data(request: HttpRequest, key: str) -> HttpResponse:
    """One indicator as JSON (for the charts) or CSV (?format=csv); 400 on bad filters."""
    try:
        indicator = indicator_get(key)
    except KeyError as exc:
        raise Http404(_("Không có chỉ số này.")) from exc
    try:
        filters = filters_parse(request.GET)
    except FilterError as exc:
        return JsonResponse({"detail": exc.message(), "errors": exc.errors}, status=400)
    if indicator.key == "province" and not filters.province:
        filters = filters.with_province(default_province(_user(request)))
    result = indicator.compute(filters)
    if request.GET.get("format") == "csv":
        name = f"{indicator.key}-v{indicator.version}-{filters.date_from}-{filters.date_to}.csv"
        return csv_response(result.columns, result.rows, name)
    return JsonResponse(
        {
            "indicator": indicator.definition(),
            "filters": filters.as_params(),
            **result.as_dict(),
            "names": chart_names(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def definition_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measure/definition_list.html",
        {"module": module_get("measure"), "indicators": INDICATORS},
    )


@login_required
def definition(request: HttpRequest, key: str) -> HttpResponse:
    try:
        indicator = indicator_get(key)
    except KeyError as exc:
        raise Http404(_("Không có chỉ số này.")) from exc
    return render(
        request,
        "measure/definition.html",
        {"module": module_get("measure"), "indicator": indicator},
    )


SEARCH_PAGE = 25


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over reports and stories, with the dashboard's filters (period
    optional here), and the organisation's saved searches."""
    user = _user(request)
    query = (request.GET.get("q") or "").strip()[:500]
    params = {k: request.GET.get(k, "") for k in PARAMS if request.GET.get(k)}
    form = FilterForm(params or None, require_period=False)
    status = 200
    reports_page = stories = facets = None
    filters = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else MeasureFilters()
    if filters is not None and query:
        reports_page = report_search_page(
            query=query, filters=filters, page=request.GET.get("page") or 1, per_page=SEARCH_PAGE
        )
        stories = list(story_search(query=query, filters=filters)[:10])
        # why each shown row matched: snippets for the page's rows only (decision 0008)
        for report in reports_page.object_list:
            report.title_marked = highlight(report.title or report.url, query)  # type: ignore[attr-defined]
            report.snippet = snippet(report.text, query)  # type: ignore[attr-defined]
        for story in stories:
            story.title_marked = highlight(story.title, query)  # type: ignore[attr-defined]
        facets = _facet_links(report_search_facets(query=query, filters=filters), query, params)
    if request.method == "POST":
        return _search_save(request, user, query, params)
    context = {
        "module": module_get("measure"),
        "form": form,
        "query": query,
        "reports_page": reports_page,
        "stories": stories,
        "facets": facets,
        "saved": saved_search_list(user=user)[:50],
        "params_query": _query({"q": query, **params}),
        **_options(),
    }
    return render(request, "measure/search.html", context, status=status)


def _facet_links(facets: dict[str, Any], query: str, params: dict[str, str]) -> dict[str, Any]:
    """Each facet value with its count, its name in the interface language and the link that
    narrows the search to it (or widens it again, when it is the filter in force)."""
    names = chart_names()
    label = {
        "language": lambda v: names["languages"].get(v, v) if v else _("Không rõ"),
        "country": lambda v: names["countries"].get(v, v) if v else _("Không rõ"),
        "tone": tone_label,
    }
    titles = {"language": _("Ngôn ngữ"), "country": _("Quốc gia đưa tin"), "tone": _("Sắc thái")}
    out = []
    for key in ("language", "country", "tone"):
        values = []
        for value, count in facets[key]:
            if key == "tone" and value == "unknown":
                link = None  # the filter has no "unknown" value
            else:
                active = params.get(key) == value
                narrowed = {k: v for k, v in params.items() if k != key}
                if not active:
                    narrowed[key] = value
                link = "?" + _query({"q": query, **narrowed})
            values.append(
                {"value": value, "label": label[key](value), "count": count, "url": link,
                 "active": params.get(key) == value}
            )  # fmt: skip
        out.append({"key": key, "title": titles[key], "values": values})
    return {"groups": out, "counted": facets["counted"], "partial": facets["partial"]}


def _search_save(
    request: HttpRequest, user: User, query: str, params: dict[str, str]
) -> HttpResponse:
    name = (request.POST.get("name") or "").strip()
    query = (request.POST.get("q") or query).strip()
    post_params = {k: request.POST.get(k, "") for k in PARAMS if request.POST.get(k)}
    try:
        saved_search_create(user=user, name=name, query=query, filters=post_params or params)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã lưu tìm kiếm."))
    return HttpResponseRedirect(
        reverse("measure_search") + "?" + _query({"q": query, **(post_params or params)})
    )


@login_required
def saved_search_run(request: HttpRequest, saved_id: int) -> HttpResponse:
    """Run a saved search (404 when it belongs to another organisation)."""
    saved = saved_search_get(user=_user(request), saved_search_id=saved_id)
    return HttpResponseRedirect(
        reverse("measure_search") + "?" + _query({"q": saved.query, **saved.filters})
    )


@login_required
@require_POST
def saved_search_remove(request: HttpRequest, saved_id: int) -> HttpResponse:
    user = _user(request)
    saved = saved_search_get(user=user, saved_search_id=saved_id)
    saved_search_delete(user=user, saved_search=saved)
    messages.success(request, _("Đã xóa tìm kiếm đã lưu."))
    return HttpResponseRedirect(reverse("measure_search"))


@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    """Open-data API keys of the user's organisation (central roles: every organisation).
    A new key is shown once, on the page that created it."""
    user = _user(request)
    organisations = list(organisations_actable(user))
    created_key = None
    if request.method == "POST":
        slug = request.POST.get("organisation", "")
        organisation = next((o for o in organisations if o.slug == slug), None)
        if organisation is None:
            raise PermissionDenied
        try:
            _key, created_key = api_key_create(
                user=user,
                organisation=organisation,
                name=request.POST.get("name", ""),
                rate_limit=request.POST.get("rate_limit", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return render(
        request,
        "measure/api_keys.html",
        {
            "module": module_get("measure"),
            "keys": api_key_list(user=user),
            "organisations": organisations,
            "created_key": created_key,
        },
    )


@login_required
@require_POST
def api_key_revoke_view(request: HttpRequest, key_id: int) -> HttpResponse:
    user = _user(request)
    key = api_key_list(user=user).filter(pk=key_id).first()
    if key is None:
        raise Http404("No such key")
    api_key_revoke(user=user, api_key=key)
    messages.success(request, _("Đã thu hồi khóa API."))
    return HttpResponseRedirect(reverse("measure_api_keys"))


@login_required
def overview_country(request: HttpRequest, country: str) -> HttpResponse:
    """Drill-down from the map: one country's outlets and their stories in the period."""
    period = period_of(period_days(request), timezone.localdate())
    code = country.upper()[:2]
    return render(
        request,
        "measure/overview_country.html",
        {
            "days": period.days,
            "period": period,
            "country": code,
            "country_label": country_name(code),
            "outlets": country_outlet_list(
                country=code, filters=period_filters(period.days, period.date_to)[0]
            ),
        },
    )
