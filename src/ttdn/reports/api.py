"""Staff API of periodic reports (added to ttdn.api.api under /reports): list, status and
request. Same selectors and services as the pages, so an officer gets 404 for another
organisation's report here too; downloads stay on the page's download view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from ttdn.accounts.models import Organisation, User
from ttdn.reports.selectors import periodic_report_get, periodic_report_list
from ttdn.reports.services import report_request
from ttdn.reports.views import status_json

try:  # django-ninja >= 1.6 wants Status(...) instead of (code, body) tuples
    from ninja import Status as _Status
except ImportError:  # pragma: no cover - older django-ninja
    _Status = None

router = Router(auth=django_auth, tags=["reports"])


class ReportOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    progress: int
    error: str
    pages: int
    pdf_url: str | None
    xlsx_url: str | None


class ReportIn(Schema):
    kind: str
    organisation: str | None = None  # slug; empty for the whole country
    year: int | None = None
    half: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - django_auth guarantees a logged-in user
    return user


@router.get("/", response=list[ReportOut])
def reports(request: HttpRequest) -> list[dict[str, Any]]:
    return [status_json(r) for r in periodic_report_list(user=_user(request))[:100]]


@router.get("/{report_id}", response=ReportOut)
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return status_json(periodic_report_get(user=_user(request), report_id=report_id))


@router.post("/", response={202: ReportOut})
def report_new(request: HttpRequest, payload: ReportIn) -> Any:
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise HttpError(404, "No such organisation")
    try:
        report = report_request(
            user=_user(request),
            kind=payload.kind,
            organisation=organisation,
            year=payload.year,
            half=payload.half,
            date_from=payload.date_from,
            date_to=payload.date_to,
            language=get_language(),
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(404, "No such organisation") from exc
    body = status_json(report)
    return _Status(202, body) if _Status is not None else (202, body)
