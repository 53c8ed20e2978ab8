"""Award pages: seasons, entries, scoring by jurors, results, the public winners page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.coordinate.access import can_review, is_juror, organisations_actable, sees_everything
from ttdn.coordinate.models import AwardEntry, AwardResult, AwardSeason, SeasonStatus
from ttdn.coordinate.selectors.awards import award_portal_url, award_portal_urls
from ttdn.coordinate.services.awards import (
    award_entry_submit,
    award_results_compute,
    award_scores_set,
    award_season_advance,
    juror_may_score,
)
from ttdn.coordinate.views.tasks import user_of


def _flash(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc) or _("Bạn không có quyền làm việc này."))


@login_required
def seasons(request: HttpRequest) -> HttpResponse:
    return render(request, "coordinate/awards.html", {"seasons": AwardSeason.objects.all()})


def _entries_for(user, season: AwardSeason):  # type: ignore[no-untyped-def]
    """Jurors and central see every entry; others only their own organisation's."""
    entries = season.entries.select_related("category", "organisation")
    if sees_everything(user) or is_juror(user):
        return entries
    return entries.filter(organisation__in=organisations_actable(user))


@login_required
def season_detail(request: HttpRequest, season_id: int) -> HttpResponse:
    user = user_of(request)
    season = get_object_or_404(AwardSeason, pk=season_id)
    entries = list(_entries_for(user, season))
    scored = set(season.entries.filter(scores__juror=user).values_list("pk", flat=True).distinct())
    for entry in entries:
        entry.may_score = juror_may_score(user, entry)  # type: ignore[attr-defined]
        entry.scored = entry.pk in scored  # type: ignore[attr-defined]
    return render(
        request,
        "coordinate/award_season.html",
        {
            "season": season,
            "entries": entries,
            "is_juror": is_juror(user),
            "is_central": can_review(user),
            "organisations": organisations_actable(user),
            "results": AwardResult.objects.filter(entry__season=season).select_related(
                "entry", "entry__category", "entry__organisation"
            ),
        },
    )


@require_POST
@login_required
def entry_submit(request: HttpRequest, season_id: int) -> HttpResponse:
    user = user_of(request)
    season = get_object_or_404(AwardSeason, pk=season_id)
    category = season.categories.filter(pk=request.POST.get("category") or 0).first()
    organisation = organisations_actable(user).filter(pk=request.POST.get("organisation") or 0)
    if category is None or not organisation.exists():
        messages.error(request, _("Cần chọn thể loại và đơn vị."))
    else:
        try:
            award_entry_submit(
                user=user, season=season, category=category, organisation=organisation.get(),
                title=request.POST.get("title", ""), authors=request.POST.get("authors", ""),
                file=request.FILES.get("file"), url=request.POST.get("url", ""),
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Đã gửi tác phẩm dự giải."))
    return HttpResponseRedirect(reverse("coordinate_award", args=[season.pk]))


@login_required
def entry_score(request: HttpRequest, season_id: int, entry_id: int) -> HttpResponse:
    user = user_of(request)
    entry = get_object_or_404(AwardEntry.objects.select_related("season"), pk=entry_id,
                              season_id=season_id)  # fmt: skip
    if not is_juror(user):
        raise PermissionDenied
    criteria = list(entry.season.criteria.all())
    if request.method == "POST":
        scores: dict[int, float] = {}
        bad = False
        for criterion in criteria:
            raw = request.POST.get(f"criterion-{criterion.pk}", "").replace(",", ".").strip()
            if raw:
                try:
                    scores[criterion.pk] = float(raw)
                except ValueError:
                    bad = True
        if bad:
            messages.error(request, _("Điểm phải là số."))
        else:
            try:
                award_scores_set(user=user, entry=entry, scores=scores)
            except (ValidationError, PermissionDenied) as exc:
                _flash(request, exc)
            else:
                messages.success(request, _("Đã lưu điểm."))
                return HttpResponseRedirect(reverse("coordinate_award", args=[season_id]))
    mine = {s.criterion_id: s.score for s in entry.scores.filter(juror=user)}
    for criterion in criteria:
        criterion.mine = mine.get(criterion.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "coordinate/award_score.html",
        {"entry": entry, "criteria": criteria, "may_score": juror_may_score(user, entry)},
    )


@require_POST
@login_required
def season_action(request: HttpRequest, season_id: int, action: str) -> HttpResponse:
    user = user_of(request)
    season = get_object_or_404(AwardSeason, pk=season_id)
    try:
        if action == "compute":
            award_results_compute(user=user, season=season)
        elif action in SeasonStatus.values:
            award_season_advance(user=user, season=season, status=action)
        else:
            raise Http404("No such action")
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Đã cập nhật đợt giải."))
    return HttpResponseRedirect(reverse("coordinate_award", args=[season.pk]))


def winners(request: HttpRequest, season_id: int) -> HttpResponse:
    """Public once published (a human published it); before that, nobody sees it here.
    Once a portal editor has published the winners article in the reader's language, that
    article is the one public place: readers are sent there."""
    season = get_object_or_404(AwardSeason, pk=season_id, status=SeasonStatus.PUBLISHED)
    language = (get_language() or "vi")[:2]
    portal_url = award_portal_url(season, language)
    if portal_url:
        return HttpResponseRedirect(portal_url)
    results = (
        AwardResult.objects.filter(entry__season=season)
        .exclude(prize="")
        .select_related("entry", "entry__category", "entry__organisation")
    )
    context = {"season": season, "results": results, "language": language,
               "season_name": season.name_en or season.name if language == "en" else season.name,
               "portal_urls": award_portal_urls(season)}  # fmt: skip
    return render(request, "coordinate/award_winners.html", context)
