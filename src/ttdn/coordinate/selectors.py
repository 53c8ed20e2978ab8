"""Reads for tasks, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ttdn.accounts.models import User
from ttdn.accounts.permissions import scope_to_organisation
from ttdn.coordinate.models import Task


def task_list(*, user: User) -> QuerySet[Task]:
    return scope_to_organisation(user, Task.objects.select_related("organisation"))


def task_get(*, user: User, task_id: int) -> Task:
    """The task if the user may see it; otherwise 404, so other provinces' ids leak nothing."""
    task = task_list(user=user).filter(pk=task_id).first()
    if task is None:
        raise Http404("No such task")
    return task
