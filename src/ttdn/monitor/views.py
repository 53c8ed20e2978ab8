"""Monitor pages: live stories, one story, sources and their fetch health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.permissions import is_administrator
from ttdn.core.jobs import failure_requeue
from ttdn.core.selectors import job_failure_list
from ttdn.measure.export import csv_response
from ttdn.measure.filters import dimension_label
from ttdn.measure.views import chart_context
from ttdn.monitor import stream
from ttdn.monitor.models import Story
from ttdn.monitor.selectors import (
    fetch_log_list,
    monitor_overview,
    stage_counter_list,
    story_change_token,
    story_dimensions,
    story_get,
    story_list,
    story_places,
    story_reports,
    story_siblings,
    story_tone_series,
)
from ttdn.web.labels import language_name
from ttdn.web.navigation import module_get

LANGUAGE_CHOICES = ["vi", "en", "fr", "es", "it", "zh", "ru", "de", "ja", "ko", "th", "lo", "km"]


def _story_row(story: Story) -> dict[str, object]:
    return {
        "id": story.pk,
        "title": story.title,
        "language": story.language,
        "reports": story.report_count,
        "unique_reports": story.unique_report_count,
        "first_seen_at": story.first_seen_at.isoformat(),
        "last_seen_at": story.last_seen_at.isoformat(),
        # what a person reads: local time (Asia/Ho_Chi_Minh), not the ISO instant in UTC
        "last_seen_label": formats.date_format(timezone.localtime(story.last_seen_at), "H:i d/m/Y"),
        "tone": story.tone_mean,
        "crosslingual": story.crosslingual_id,
    }


def _stories_payload(language: str | None) -> dict[str, object]:
    """The live page's rows (newest first, as `story_list` orders them) and headline, for the
    JSON view and for each server-sent event."""
    rows = [_story_row(s) for s in story_list(language=language)[:100]]
    overview = monitor_overview()
    overview_text = _("%(r)s bài báo (%(u)s bài gốc), %(s)s câu chuyện, từ %(src)s nguồn.") % {
        "r": overview["reports"],
        "u": overview["unique_reports"],
        "s": overview["stories"],
        "src": overview["sources"],
    }
    return {"stories": rows, "overview_text": overview_text}


def _language_param(request: HttpRequest) -> str | None:
    language = request.GET.get("lang") or None
    return language if language in LANGUAGE_CHOICES else None


@login_required
def stories(request: HttpRequest) -> HttpResponse:
    language = _language_param(request)
    payload = _stories_payload(language)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse(payload)
    return render(
        request,
        "monitor/stories.html",
        {
            "module": module_get("monitor"),
            "stories": payload["stories"],
            "overview_text": payload["overview_text"],
            # not "languages": the base template's language switcher owns that name
            "language_options": [(code, language_name(code)) for code in LANGUAGE_CHOICES],
            "language": language or "",
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
    language = _language_param(request)
    interface_language = get_language() or "vi"

    def payload() -> dict[str, object]:
        # the body is written after the middleware has returned: pin the reader's language
        with translation.override(interface_language):
            return _stories_payload(language)

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
            "siblings": story_siblings(story=story),
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
