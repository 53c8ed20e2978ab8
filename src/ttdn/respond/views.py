"""Thin views for Respond: parse the request, call a selector or service, render.

A refused service call (ValidationError, PermissionDenied) becomes a message on the same
page; since every service runs in one transaction, nothing of a refused step is saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.selectors import organisations_actable, organisations_readable
from ttdn.monitor.models import Report
from ttdn.respond import selectors, services
from ttdn.respond.dashboards import followup_chart_data
from ttdn.respond.forms import (
    AnswerForm,
    CaseForm,
    ClaimForm,
    EvidenceForm,
    FactForm,
    HandOverForm,
    NoteForm,
)
from ttdn.respond.jsonld import claim_review_jsonld, feed_items
from ttdn.respond.models import Answer, CaseStatus, Claim, ClaimStatus, Rating, Severity


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _messages_from(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        return
    for message in exc.messages:
        messages.error(request, message)


def _attempt(request: HttpRequest, action: Callable[[], Any], ok: str) -> Any:
    try:
        result = action()
    except (ValidationError, PermissionDenied) as exc:
        _messages_from(request, exc)
        return None
    messages.success(request, ok)
    return result


# --------------------------------------------------------------------------- board and claims


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = {
        "severity": request.GET.get("muc-do", ""),
        "organisation_id": int(request.GET["don-vi"])
        if request.GET.get("don-vi", "").isdigit()
        else None,
        "query": request.GET.get("q", "").strip(),
    }
    return render(
        request,
        "respond/board.html",
        {
            "columns": selectors.case_board(user=user, **filters),
            "filters": filters,
            "severities": Severity.choices,
            "organisations": organisations_readable(user),
            "notifications": selectors.notification_list(user=user, unread_only=True)[:10],
            "reappearances": selectors.reappearance_list(user=user),
            "claims": selectors.claim_list(user=user).exclude(status=ClaimStatus.DISMISSED)[:30],
        },
    )


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    orgs = organisations_actable(user)
    report = None
    if request.GET.get("bai", "").isdigit() or request.POST.get("report_id", "").isdigit():
        report_id = int(request.GET.get("bai") or request.POST["report_id"])
        report = get_object_or_404(Report.objects.select_related("story"), pk=report_id)
    initial = {"text": request.GET.get("cau", ""), "organisation": user.organisation_id}
    form = ClaimForm(request.POST or None, organisations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        claim = _attempt(
            request,
            lambda: services.claim_create(
                user=user,
                organisation=form.cleaned_data["organisation"],
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                report=report,
            ),
            _("Đã ghi nhận thông tin cần phản hồi."),
        )
        if claim is not None:
            return HttpResponseRedirect(reverse("respond_claim", args=[claim.pk]))
    sentences = []
    if report is not None:
        from ttdn.pipeline.claims import split_sentences

        sentences = split_sentences(report.title, report.text)[:40]
    return render(
        request, "respond/claim_new.html", {"form": form, "report": report, "sentences": sentences}
    )


@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    user = _user(request)
    claim = selectors.claim_get(user=user, claim_id=claim_id)
    orgs = organisations_actable(user)
    case_form = CaseForm(organisations=orgs, initial={"organisation": claim.organisation_id})
    return render(
        request,
        "respond/claim_detail.html",
        {
            "claim": claim,
            "appearances": selectors.appearance_list(user=user, claim=claim),
            "cases": claim.cases.all(),
            "case_form": case_form,
            "can_act": orgs.filter(pk=claim.organisation_id).exists(),
        },
    )


@login_required
@require_POST
def claim_dismiss(request: HttpRequest, claim_id: int) -> HttpResponse:
    user = _user(request)
    claim = selectors.claim_get(user=user, claim_id=claim_id)
    _attempt(
        request,
        lambda: services.claim_dismiss(
            user=user, claim=claim, reason=request.POST.get("reason", "")
        ),
        _("Đã bỏ qua thông tin."),
    )
    return HttpResponseRedirect(reverse("respond_claim", args=[claim.pk]))


@login_required
@require_POST
def case_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ids = [int(x) for x in request.POST.getlist("claim") if x.isdigit()]
    claims = [selectors.claim_get(user=user, claim_id=i) for i in ids]
    form = CaseForm(request.POST, organisations=organisations_actable(user))
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        back = reverse("respond_claim", args=[ids[0]]) if ids else reverse("respond")
        return HttpResponseRedirect(back)
    case = _attempt(
        request,
        lambda: services.case_create(
            user=user,
            organisation=form.cleaned_data["organisation"],
            title=form.cleaned_data["title"],
            claims=claims,
            severity=form.cleaned_data["severity"],
        ),
        _("Đã mở hồ sơ."),
    )
    if case is None:
        return HttpResponseRedirect(
            reverse("respond_claim", args=[ids[0]]) if ids else reverse("respond")
        )
    return HttpResponseRedirect(reverse("respond_case", args=[case.pk]))


# --------------------------------------------------------------------------- case page


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=case_id)
    orgs = organisations_actable(user)
    answers = {a.language: a for a in case.answers.all()}
    ratings = {r.claim_id: r.rating for r in case.ratings.all()}
    return render(
        request,
        "respond/case_detail.html",
        {
            "case": case,
            "claims": [(c, ratings.get(c.pk, "")) for c in case.claims.all()],
            "answers": answers.values(),
            "events": case.events.select_related("actor"),
            "evidence": case.evidence.all(),
            "facts": case.facts.all(),
            "pickups": selectors.case_pickup_list(case),
            "notes": case.notes.all(),
            "can_act": orgs.filter(pk=case.organisation_id).exists(),
            "next_statuses": [
                (s, CaseStatus(s).label) for s in sorted(services.TRANSITIONS.get(case.status, ()))
            ],
            "answer_form": AnswerForm(
                prefix="answer", initial={"language": "vi" if "vi" not in answers else "en"}
            ),
            "evidence_form": EvidenceForm(prefix="evidence"),
            "fact_form": FactForm(prefix="fact"),
            "note_form": NoteForm(prefix="note"),
            "hand_over_form": HandOverForm(
                prefix="handover",
                organisations=Organisation.objects.exclude(pk=case.organisation_id),
            ),
            "ratings": Rating.choices,
            "problems": services.publish_problems(case),
            "user_id": user.pk,
            "overdue": case.overdue(),
        },
    )


def _case_post(request: HttpRequest, case_id: int) -> tuple[User, Any]:
    user = _user(request)
    return user, selectors.case_get(user=user, case_id=case_id)


def _back(case_id: int, anchor: str = "") -> HttpResponse:
    return HttpResponseRedirect(
        reverse("respond_case", args=[case_id]) + (f"#{anchor}" if anchor else "")
    )


@login_required
@require_POST
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    _attempt(
        request,
        lambda: services.case_transition(
            user=user,
            case=case,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Đã chuyển trạng thái hồ sơ."),
    )
    return _back(case.pk)


@login_required
@require_POST
def case_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    form = AnswerForm(request.POST, prefix="answer")
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case.pk, "answers")
    _attempt(
        request,
        lambda: services.answer_save(user=user, case=case, **form.cleaned_data),
        _("Đã lưu bài phản hồi."),
    )
    return _back(case.pk, "answers")


@login_required
@require_POST
def answer_approve(request: HttpRequest, case_id: int, answer_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    answer = get_object_or_404(Answer, pk=answer_id, case=case)
    _attempt(
        request,
        lambda: services.answer_approve(user=user, answer=answer),
        _("Đã phê duyệt bài phản hồi."),
    )
    return _back(case.pk, "answers")


@login_required
@require_POST
def case_rating(request: HttpRequest, case_id: int, claim_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    claim = get_object_or_404(Claim, pk=claim_id)
    _attempt(
        request,
        lambda: services.rating_set(
            user=user, case=case, claim=claim, rating=request.POST.get("rating", "")
        ),
        _("Đã lưu đánh giá."),
    )
    return _back(case.pk, "claims")


@login_required
@require_POST
def case_publish(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    done = _attempt(
        request, lambda: services.case_publish(user=user, case=case), _("Đã công bố bài phản hồi.")
    )
    return _back(case.pk) if done is None else _back(case.pk, "published")


@login_required
@require_POST
def case_evidence(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case.pk, "evidence")
    data = form.cleaned_data
    _attempt(
        request,
        lambda: services.evidence_add(
            user=user,
            case=case,
            kind=data["kind"],
            upload=data.get("file"),
            url=data.get("url") or "",
            note=data.get("note") or "",
        ),
        _("Đã thêm bằng chứng."),
    )
    return _back(case.pk, "evidence")


@login_required
@require_POST
def case_fact(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    form = FactForm(request.POST, prefix="fact")
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case.pk, "facts")
    _attempt(
        request,
        lambda: services.fact_add(user=user, case=case, **form.cleaned_data),
        _("Đã thêm sự thật đã kiểm chứng."),
    )
    return _back(case.pk, "facts")


@login_required
@require_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    _attempt(
        request,
        lambda: services.note_add(user=user, case=case, body=request.POST.get("note-body", "")),
        _("Đã thêm ghi chú."),
    )
    return _back(case.pk, "notes")


@login_required
@require_POST
def case_hand_over(request: HttpRequest, case_id: int) -> HttpResponse:
    user, case = _case_post(request, case_id)
    form = HandOverForm(request.POST, prefix="handover", organisations=Organisation.objects.all())
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back(case.pk)
    done = _attempt(
        request,
        lambda: services.case_hand_over(user=user, case=case, **form.cleaned_data),
        _("Đã chuyển giao hồ sơ."),
    )
    if done is not None and not selectors.case_list(user=user).filter(pk=case.pk).exists():
        return HttpResponseRedirect(reverse("respond"))
    return _back(case.pk)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=_user(request))
    return HttpResponseRedirect(reverse("respond"))


@login_required
def followup(request: HttpRequest) -> HttpResponse:
    data = selectors.followup(user=_user(request))
    chart = followup_chart_data(data)
    return render(
        request,
        "respond/followup.html",
        {
            "data": data,
            "chart_json": json.dumps(chart, default=str),
            "has_tone": bool(chart["tone"]["cases"]),
            "has_pickups": bool(chart["pickups"]["cases"]),
            "prefix": "",
        },
    )


# --------------------------------------------------------------------------- public


def public_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.published_case_list()[:50]
    return render(request, "respond/public_list.html", {"cases": cases})


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = selectors.published_case_get(slug)
    answers = selectors.public_answers(case)
    lang = request.GET.get("lang", "")
    chosen = next((a for a in answers if a.language == lang), None) or next(
        (a for a in answers if a.language == "vi"), answers[0] if answers else None
    )
    url = request.build_absolute_uri(reverse("respond_public", args=[case.slug]))
    return render(
        request,
        "respond/public_detail.html",
        {
            "case": case,
            "answer": chosen,
            "answers": answers,
            "ratings": case.ratings.select_related("claim"),
            "facts": case.facts.all(),
            "jsonld": json.dumps(claim_review_jsonld(case, url), ensure_ascii=False),
        },
    )


def public_feed_json(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/")[:-1]
    items = feed_items(selectors.published_case_list()[:50], base)
    return JsonResponse(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "TTĐN — fact-checks",
            "home_page_url": base + reverse("respond_public_list"),
            "feed_url": base + reverse("respond_feed_json"),
            "items": [{k: v for k, v in i.items() if not k.startswith("_")} for i in items],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _syndication(
    request: HttpRequest, kind: type[Rss201rev2Feed] | type[Atom1Feed]
) -> HttpResponse:
    base = request.build_absolute_uri("/")[:-1]
    feed = kind(
        title="TTĐN — fact-checks",
        link=base + reverse("respond_public_list"),
        description="Clarifications and fact-checks",
        language="vi",
    )
    for item in feed_items(selectors.published_case_list()[:50], base):
        feed.add_item(
            title=item["title"],
            link=item["url"],
            description=item["summary"],
            unique_id=item["id"],
            pubdate=item["_published"],
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response


def public_feed_rss(request: HttpRequest) -> HttpResponse:
    return _syndication(request, Rss201rev2Feed)


def public_feed_atom(request: HttpRequest) -> HttpResponse:
    return _syndication(request, Atom1Feed)
