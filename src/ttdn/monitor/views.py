"""Monitor pages: live stories, one story, sources and their fetch health."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.models import Organisation, OrganisationKind
from ttdn.accounts.permissions import is_administrator
from ttdn.collation import vi_sort_key
from ttdn.core.jobs import failure_requeue
from ttdn.core.selectors import job_failure_list
from ttdn.monitor import stream
from ttdn.monitor.models import Source, Story
from ttdn.monitor.selectors import (
    fetch_log_list,
    monitor_overview,
    source_lock_list,
    stage_counter_list,
    story_change_token,
    story_dimensions,
    story_get,
    story_places,
    story_reports,
    story_siblings,
    story_significance,
    story_tone_series,
)
from ttdn.monitor.story_table import (
    COUNT_SCOPE,
    LANGUAGE_CODES,
    SORTS,
    TONES,
    StoryFilters,
    story_filters_parse,
    story_table,
)
from ttdn.peers import peer_countries
from ttdn.web.charts import chart_context
from ttdn.web.export import csv_response
from ttdn.web.labels import (
    country_name,
    dimension_keys,
    dimension_label,
    sorted_by_name,
    tone_label,
)
from ttdn.web.navigation import module_get


def _place_labels(columns: dict[int, dict[str, Any]]) -> None:
    """Name each place of the rows in the interface language (units by their organisation's
    name, countries by their CLDR name)."""
    slugs = {p["key"] for c in columns.values() for p in c["places"] if p["kind"] == "unit"}
    units = {o.slug: o.display_name for o in Organisation.objects.filter(slug__in=slugs)}
    for entry in columns.values():
        for place in entry["places"]:
            if place["kind"] == "unit":
                place["label"] = units.get(place["key"], place["key"])
            elif place["kind"] == "country":
                place["label"] = country_name(place["key"])
            else:
                place["label"] = place["key"]


def _rows_html(request: HttpRequest | None, rows: list[tuple[Story, dict[str, Any]]]) -> str:
    columns = {story.pk: c for story, c in rows}
    _place_labels(columns)
    return render_to_string("monitor/_story_rows.html", {"rows": rows}, request=request)


def _stories_payload(filters: StoryFilters, request: HttpRequest | None = None) -> dict[str, Any]:
    """The live page's rows (rendered, so the page and its updates are one template) and
    headline, for the JSON view and for each server-sent event."""
    rows = story_table(filters)
    overview = monitor_overview()
    overview_text = _("%(r)s bài báo (%(u)s bài gốc), %(s)s câu chuyện, từ %(src)s nguồn.") % {
        "r": formats.number_format(overview["reports"], force_grouping=True),
        "u": formats.number_format(overview["unique_reports"], force_grouping=True),
        "s": formats.number_format(overview["stories"], force_grouping=True),
        "src": overview["sources"],
    }
    return {
        "stories": [
            {"id": story.pk, "title": story.title, "reports": story.report_count}
            for story, _columns in rows
        ],
        "rows_html": _rows_html(request, rows),
        "overview_text": overview_text,
    }


def _filter_options() -> dict[str, Any]:
    names = chart_context()["names"]
    provinces = Organisation.objects.filter(
        kind__in=[OrganisationKind.PROVINCE, OrganisationKind.CITY]
    )
    countries = set(Source.objects.exclude(country="").values_list("country", flat=True))
    return {
        "language_options": [(c, names["languages"].get(c, c)) for c in LANGUAGE_CODES],
        "country_options": sorted(
            ((c, names["countries"].get(c, c)) for c in countries),
            key=lambda pair: vi_sort_key(pair[1]),
        ),
        "place_options": [(o.slug, o.display_name) for o in sorted_by_name(list(provinces))],
        "place_country_options": sorted(
            ((c, names["countries"].get(c, c)) for c in peer_countries()),
            key=lambda pair: vi_sort_key(pair[1]),
        ),
        "dimension_options": [(k, dimension_label(k)) for k in dimension_keys()],
        "tone_options": [(t, tone_label(t)) for t in TONES],
    }


@login_required
def stories(request: HttpRequest) -> HttpResponse:
    filters = story_filters_parse(request.GET)
    payload = _stories_payload(filters, request)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse(payload)
    params = filters.as_params()

    def sort_url(key: str) -> str:
        return "?" + urlencode({**params, "sort": key})

    return render(
        request,
        "monitor/stories.html",
        {
            "module": module_get("monitor"),
            "rows_html": payload["rows_html"],
            "has_rows": bool(payload["stories"]),
            "overview_text": payload["overview_text"],
            # not "languages": the base template's language switcher owns that name
            **_filter_options(),
            "filters": filters,
            "filtered": any(v for k, v in params.items() if k != "sort"),
            "sort_urls": {key: sort_url(key) for key in SORTS},
            "count_scope": COUNT_SCOPE,
            "live_strings": {
                "stream": _("Cập nhật trực tiếp (máy chủ đẩy tin mới)."),
                "polling": _("Cập nhật bằng cách hỏi lại máy chủ mỗi 2 giây."),
            },
        },
    )


@login_required
def stories_stream(request: HttpRequest) -> HttpResponse:
    """Server-sent events for the live page; bounded in time and in number (see stream.py).
    A full house gets 204, which makes EventSource give up and the page poll instead."""
    if not stream.slots.acquire(stream.slot_limit()):
        return HttpResponse(status=204)
    filters = story_filters_parse(request.GET)
    interface_language = get_language() or "vi"

    def payload() -> dict[str, object]:
        # the body is written after the middleware has returned: pin the reader's language
        with translation.override(interface_language):
            return _stories_payload(filters)

    body = stream.EventStream(
        token=story_change_token,
        payload=payload,
        lifetime_s=stream.setting("SECONDS", stream.STREAM_SECONDS),
        check_s=stream.setting("CHECK_SECONDS", stream.CHECK_SECONDS),
        keepalive_s=stream.setting("KEEPALIVE_SECONDS", stream.KEEPALIVE_SECONDS),
    )
    response = StreamingHttpResponse(body, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response


def _story_or_404(story_id: int) -> Story:
    try:
        return story_get(story_id=story_id)
    except Story.DoesNotExist as exc:
        raise Http404(_("Không có câu chuyện này.")) from exc


@login_required
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _story_or_404(story_id)
    places = story_places(story=story)
    english = (get_language() or "vi").startswith("en")
    charts = chart_context()
    countries = charts["names"]["countries"]
    for province in places["provinces"]:
        province["label"] = province["name_en"] if english else province["name"]
    for country in places["countries"]:
        country["label"] = countries.get(country["key"], country["key"])
    dimensions = [dict(d, label=dimension_label(d["key"])) for d in story_dimensions(story=story)]
    return render(
        request,
        "monitor/story_detail.html",
        {
            "story": story,
            "reports": story_reports(story=story),
            "siblings": story_siblings(story=story).annotate(n=Count("reports")),
            "why": story_significance(story=story),
            "places": places,
            "dimensions": dimensions,
            **charts,
        },
    )


@login_required
def story_tone(request: HttpRequest, story_id: int) -> HttpResponse:
    """A story's tone by hour or day as JSON (drawn by dashboard.js) or CSV (?format=csv)."""
    story = _story_or_404(story_id)
    series = story_tone_series(story=story)
    if request.GET.get("format") == "csv":
        name = f"story-{story.pk}-tone-by-{series['totals']['bucket']}.csv"
        return csv_response(series["columns"], series["rows"], name)
    return JsonResponse(series, json_dumps_params={"ensure_ascii": False})


@login_required
def health(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "monitor/health.html",
        {
            "fetch_logs": fetch_log_list(),
            "locks": source_lock_list(),
            "counters": stage_counter_list()[:200],
            "failures": job_failure_list()[:200],
            "can_requeue": is_administrator(user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def job_failure_requeue(request: HttpRequest, failure_id: int) -> HttpResponse:
    """An administrator sends a quarantined (or waiting) job again (the health page)."""
    if not is_administrator(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    if failure_requeue(failure_id):
        messages.success(request, _("Đã xếp lại công việc vào hàng đợi."))
    else:
        messages.error(request, _("Không xếp lại được công việc này."))
    return redirect(reverse("monitor_health") + "#failures")
