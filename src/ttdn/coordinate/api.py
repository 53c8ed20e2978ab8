"""Staff API of Coordinate (mounted on ttdn.api.api at /api/): tasks, assignment, the overdue
board, periodic-report submissions. Same selectors and services as the pages: another
organisation's object is a 404, a refused write a 403, a bad value a 400 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.access import sees_everything
from ttdn.coordinate.models import (
    Programme,
    ProgrammeGroup,
    ReportingPeriod,
    ReportTemplate,
    Submission,
    Task,
)
from ttdn.coordinate.selectors.submissions import (
    rollup_get,
    submission_get,
    submission_list,
    submission_rows,
)
from ttdn.coordinate.selectors.tasks import overdue_board, task_get, task_list
from ttdn.coordinate.services.tasks import task_assign, task_transition, task_update
from ttdn.web.api_errors import ErrorOut, error_400, status

router = Router(auth=django_auth, tags=["coordinate"])


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - django_auth guarantees a logged-in user
    return user


class TaskOut(Schema):
    id: int
    organisation: str
    assigner: str | None
    title: str
    description: str
    start_date: dt.date | None
    due_date: dt.date | None
    priority: str
    status: str
    progress: int
    returned_reason: str
    overdue: bool


class TaskPatch(Schema):
    title: str | None = None
    description: str | None = None
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    priority: str | None = None
    progress: int | None = None
    status: str | None = None
    reason: str | None = None


class AssignIn(Schema):
    assigner: str  # slug
    organisations: list[str]  # slugs
    title: str
    description: str = ""
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    priority: str = "normal"
    programme: int | None = None
    group: int | None = None


class ActionIn(Schema):
    reason: str = ""


def task_out(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "organisation": task.organisation.slug,
        "assigner": task.assigner.slug if task.assigner_id else None,
        "title": task.title,
        "description": task.description,
        "start_date": task.start_date,
        "due_date": task.due_date,
        "priority": task.priority,
        "status": task.status,
        "progress": task.progress,
        "returned_reason": task.returned_reason,
        "overdue": task.is_overdue(),
    }


@router.get("/tasks", response=list[TaskOut])
def tasks(
    request: HttpRequest, state: str = "", organisation: str = "", limit: int = 500
) -> list[dict[str, Any]]:
    queryset = task_list(user=user_of(request), state=state[:20])
    if organisation:
        queryset = queryset.filter(organisation__slug=organisation)
    return [task_out(t) for t in queryset[: max(1, min(limit, 2000))]]


@router.get("/tasks/{task_id}", response=TaskOut)
def task_detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return task_out(task_get(user=user_of(request), task_id=task_id))


@router.patch("/tasks/{task_id}", response={200: TaskOut, 400: ErrorOut})
def task_patch(request: HttpRequest, task_id: int, payload: TaskPatch) -> Any:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    fields = payload.dict(exclude_unset=True)
    if "title" in fields and fields["title"] is None:
        fields["title"] = ""  # an explicit null title is an empty one: refused, not ignored
    reason = fields.pop("reason", None) or ""
    try:
        task = task_update(user=user, task=task, reason=reason, **fields)
    except ValidationError as exc:
        return error_400(exc)
    except PermissionDenied as exc:
        # the service names the fields that are the assigner's (or refuses the task outright)
        raise HttpError(
            403, str(exc) or _("Bạn không được thay đổi nhiệm vụ của đơn vị này.")
        ) from exc
    return task_out(task)


@router.post("/tasks/{task_id}/{action}", response={200: TaskOut, 400: ErrorOut})
def task_action(request: HttpRequest, task_id: int, action: str, payload: ActionIn) -> Any:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    try:
        task = task_transition(user=user, task=task, action=action, reason=payload.reason)
    except ValidationError as exc:
        return error_400(exc)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return task_out(task)


@router.post("/tasks", response={201: list[TaskOut], 400: ErrorOut})
def task_assign_api(request: HttpRequest, payload: AssignIn) -> Any:
    user = user_of(request)
    slugs = [payload.assigner, *payload.organisations]
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        detail = _("Không có đơn vị: %(list)s.") % {"list": ", ".join(missing)}
        return status(400, {"detail": detail,
                            "errors": {"organisations": missing}})  # fmt: skip
    programme = (
        Programme.objects.filter(pk=payload.programme).first() if payload.programme else None
    )
    group = ProgrammeGroup.objects.filter(pk=payload.group).first() if payload.group else None
    try:
        assignment = task_assign(
            user=user,
            assigner=found[payload.assigner],
            organisations=[found[s] for s in payload.organisations],
            title=payload.title,
            description=payload.description,
            start_date=payload.start_date,
            due_date=payload.due_date,
            priority=payload.priority,
            programme=programme,
            group=group,
        )
    except ValidationError as exc:
        return error_400(exc)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return status(201, [task_out(t) for t in assignment.tasks.select_related("organisation")])


class BoardRowOut(Schema):
    key: int | None
    name: str
    late: int
    at_risk: int
    open: int
    submitted: int
    done: int
    total: int


class BoardOut(Schema):
    today: dt.date
    organisations: list[BoardRowOut]
    groups: list[BoardRowOut]
    totals: BoardRowOut


@router.get("/coordinate/board", response=BoardOut)
def board(request: HttpRequest, programme: int | None = None, year: int | None = None) -> Any:
    user = user_of(request)
    if not sees_everything(user):
        raise HttpError(403, _("Bảng đơn vị chậm trễ dành cho cơ quan trung ương và lãnh đạo."))
    return overdue_board(user=user, programme_id=programme, year=year)


class SubmissionOut(Schema):
    id: int
    template: str
    period: str
    organisation: str
    former_unit: str | None
    status: str
    version: int
    values: dict[str, float | None]


def submission_out(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "template": submission.template.name,
        "period": str(submission.period),
        "organisation": submission.organisation.slug,
        "former_unit": submission.former_unit.slug if submission.former_unit_id else None,
        "status": submission.status,
        "version": submission.version,
        "values": {r["key"]: r["value"] for r in submission_rows(submission)},
    }


@router.get("/coordinate/submissions", response=list[SubmissionOut])
def submissions(request: HttpRequest, period: int | None = None) -> list[dict[str, Any]]:
    queryset = submission_list(user=user_of(request), period_id=period)
    return [submission_out(s) for s in queryset[:500]]


@router.get("/coordinate/submissions/{submission_id}", response=SubmissionOut)
def submission_detail(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return submission_out(submission_get(user=user_of(request), submission_id=submission_id))


class RollupRowOut(Schema):
    organisation: str
    status: str
    values: dict[str, float | None]
    former_units: list[str]


class RollupOut(Schema):
    period: str
    template: str
    status_counts: dict[str, int]
    totals: dict[str, float | None]
    rows: list[RollupRowOut]


@router.get("/coordinate/rollup", response=RollupOut)
def rollup(request: HttpRequest, period: int, template: int) -> dict[str, Any]:
    if not sees_everything(user_of(request)):
        raise HttpError(403, _("Tổng hợp toàn quốc dành cho cơ quan trung ương và lãnh đạo."))
    found_period = ReportingPeriod.objects.filter(pk=period).first()
    found_template = ReportTemplate.objects.filter(pk=template).first()
    if found_period is None or found_template is None:
        raise HttpError(404, _("Không có kỳ báo cáo hoặc mẫu báo cáo này."))
    data = rollup_get(period=found_period, template=found_template)
    return {
        "period": str(data.period),
        "template": data.template.name,
        "status_counts": data.status_counts,
        "totals": data.totals,
        "rows": [
            {"organisation": r.organisation.slug, "status": r.status, "values": r.values,
             "former_units": r.former_units}
            for r in data.rows
        ],
    }  # fmt: skip
