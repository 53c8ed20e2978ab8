"""The JSON API (django-ninja; OpenAPI at /api/openapi.json, interactive docs at /api/docs).

Session-authenticated for staff; every endpoint goes through the same selectors and services
as the web views, so role rules hold identically by URL and by API.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from ttdn.accounts.models import Organisation
from ttdn.coordinate.selectors import task_get, task_list
from ttdn.coordinate.services import task_update
from ttdn.web import api_errors

api = NinjaAPI(
    title="TTĐN Platform API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)
api_errors.install(api)


class OrganisationOut(Schema):
    slug: str
    name: str
    name_en: str
    kind: str
    former_units: list[str]


class TaskOut(Schema):
    id: int
    organisation: str
    title: str
    description: str
    due_date: dt.date | None
    status: str


class TaskPatch(Schema):
    title: str | None = None
    description: str | None = None
    due_date: dt.date | None = None
    status: str | None = None


def _task_out(task) -> TaskOut:  # type: ignore[no-untyped-def]
    return TaskOut(
        id=task.pk,
        organisation=task.organisation.slug,
        title=task.title,
        description=task.description,
        due_date=task.due_date,
        status=task.status,
    )


@api.get("/organisations", response=list[OrganisationOut])
def organisations(request: HttpRequest) -> list[OrganisationOut]:
    return [
        OrganisationOut(
            slug=o.slug,
            name=o.name,
            name_en=o.name_en,
            kind=o.kind,
            former_units=[a.name for a in o.aliases.all()],
        )
        for o in Organisation.objects.prefetch_related("aliases")
    ]


@api.get("/tasks", response=list[TaskOut])
def tasks(request: HttpRequest) -> list[TaskOut]:
    return [_task_out(t) for t in task_list(user=request.user)]  # type: ignore[arg-type]


@api.get("/tasks/{task_id}", response=TaskOut)
def task_detail(request: HttpRequest, task_id: int) -> TaskOut:
    return _task_out(task_get(user=request.user, task_id=task_id))  # type: ignore[arg-type]


@api.patch("/tasks/{task_id}", response=TaskOut)
def task_patch(request: HttpRequest, task_id: int, payload: TaskPatch) -> TaskOut:
    task = task_get(user=request.user, task_id=task_id)  # type: ignore[arg-type]
    try:
        task = task_update(user=request.user, task=task, **payload.dict(exclude_unset=True))  # type: ignore[arg-type]
    except PermissionDenied as exc:
        raise HttpError(403, _("Bạn không được thay đổi nhiệm vụ của đơn vị này.")) from exc
    return _task_out(task)
