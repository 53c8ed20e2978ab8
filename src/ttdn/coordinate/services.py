"""Writes for tasks. Every write checks that the user may act for the task's organisation."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import ensure_can_act_for
from ttdn.coordinate.models import Task, TaskStatus


@transaction.atomic
def task_create(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    description: str = "",
    due_date: dt.date | None = None,
) -> Task:
    ensure_can_act_for(user, organisation)
    task = Task(
        organisation=organisation,
        title=title,
        description=description,
        due_date=due_date,
        created_by=user,
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_update(
    *,
    user: User,
    task: Task,
    title: str | None = None,
    description: str | None = None,
    due_date: dt.date | None = None,
    status: str | None = None,
) -> Task:
    ensure_can_act_for(user, task.organisation)
    if title is not None:
        task.title = title
    if description is not None:
        task.description = description
    if due_date is not None:
        task.due_date = due_date
    if status is not None:
        task.status = TaskStatus(status)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def task_delete(*, user: User, task: Task) -> None:
    ensure_can_act_for(user, task.organisation)
    task.delete()
