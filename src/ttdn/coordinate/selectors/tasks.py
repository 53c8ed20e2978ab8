"""Reads for programmes, plans and tasks, always scoped to what the user may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from ttdn.accounts.models import User
from ttdn.coordinate.access import organisations_readable
from ttdn.coordinate.models import (
    OPEN_STATUSES,
    Notification,
    Plan,
    Programme,
    ProgrammeGroup,
    Task,
    TaskStatus,
)

AT_RISK_DAYS = 7


def task_list(
    *,
    user: User,
    organisation_id: int | None = None,
    status: str = "",
    state: str = "",
    group_id: int | None = None,
    programme_id: int | None = None,
    year: int | None = None,
    assignment_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Task]:
    """Tasks the user may read: those of the organisations it may read, and those those
    organisations assigned to others (an assigner follows up and reviews what it asked for);
    `state` is the board's drill-down: late, at_risk, open, done."""
    today = today or timezone.localdate()
    readable = organisations_readable(user)
    queryset = Task.objects.select_related("organisation", "assigner", "group", "owner").filter(
        Q(organisation__in=readable) | Q(assigner__in=readable)
    )
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    if status:
        queryset = queryset.filter(status=status)
    if group_id:
        queryset = queryset.filter(group_id=group_id)
    if programme_id:
        queryset = queryset.filter(plan__programme_id=programme_id)
    if year:
        queryset = queryset.filter(due_date__year=year)
    if assignment_id:
        queryset = queryset.filter(assignment_id=assignment_id)
    if state:
        queryset = queryset.filter(_state_q(state, today))
    return queryset


def _state_q(state: str, today: dt.date) -> Q:
    open_ = Q(status__in=OPEN_STATUSES)
    if state == "late":
        return open_ & Q(due_date__lt=today)
    if state == "at_risk":
        return open_ & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(AT_RISK_DAYS))
    if state == "open":
        return open_
    if state == "submitted":
        return Q(status=TaskStatus.SUBMITTED)
    if state == "done":
        return Q(status=TaskStatus.DONE)
    return Q()


def task_get(*, user: User, task_id: int) -> Task:
    """The task if the user may read it; otherwise 404, so other provinces' ids leak nothing."""
    task = task_list(user=user).filter(pk=task_id).first()
    if task is None:
        raise Http404("No such task")
    return task


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.select_related("owner").prefetch_related("groups")


def programme_get(programme_id: int) -> Programme:
    programme = programme_list().filter(pk=programme_id).first()
    if programme is None:
        raise Http404("No such programme")
    return programme


def plan_list(
    *, user: User, programme_id: int | None = None, year: int | None = None
) -> QuerySet[Plan]:
    queryset = (
        Plan.objects.select_related("organisation", "programme")
        .filter(organisation__in=organisations_readable(user))
        .annotate(
            task_count=Count("tasks"),
            done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
        )
    )
    if programme_id:
        queryset = queryset.filter(programme_id=programme_id)
    if year:
        queryset = queryset.filter(year=year)
    return queryset


def plan_get(*, user: User, plan_id: int) -> Plan:
    plan = plan_list(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


@dataclass
class BoardRow:
    key: int | None
    name: str
    late: int = 0
    at_risk: int = 0
    open: int = 0
    submitted: int = 0
    done: int = 0
    total: int = 0


@dataclass
class OverdueBoard:
    today: dt.date
    organisations: list[BoardRow]
    groups: list[BoardRow]
    totals: BoardRow
    filters: dict[str, Any] = field(default_factory=dict)


def _counts(today: dt.date) -> dict[str, Count]:
    return {
        "late": Count("id", filter=_state_q("late", today)),
        "at_risk": Count("id", filter=_state_q("at_risk", today)),
        "open": Count("id", filter=_state_q("open", today)),
        "submitted": Count("id", filter=_state_q("submitted", today)),
        "done": Count("id", filter=_state_q("done", today)),
        "total": Count("id"),
    }


def overdue_board(
    *,
    user: User,
    programme_id: int | None = None,
    year: int | None = None,
    today: dt.date | None = None,
) -> OverdueBoard:
    """Late and at-risk counts by organisation and by programme group — two GROUP BY
    queries over the task index, whatever the number of tasks (the meeting's page)."""
    today = today or timezone.localdate()
    base = task_list(user=user, programme_id=programme_id, year=year, today=today).order_by()
    by_org = base.values("organisation_id", "organisation__name", "organisation__name_en")
    by_org = by_org.annotate(**_counts(today))
    english = (get_language() or "vi").startswith("en")
    organisations = [
        BoardRow(
            r["organisation_id"],
            (english and r["organisation__name_en"]) or r["organisation__name"],
            **{k: r[k] for k in ("late", "at_risk", "open", "submitted", "done", "total")},
        )
        for r in by_org
    ]  # fmt: skip
    organisations.sort(key=lambda r: (-r.late, -r.at_risk, r.name))
    by_group = base.values("group_id").annotate(**_counts(today))
    names = {g.pk: str(g) for g in ProgrammeGroup.objects.all()}
    groups = [
        BoardRow(
            r["group_id"], names.get(r["group_id"], "") if r["group_id"] else "",
            **{k: r[k] for k in ("late", "at_risk", "open", "submitted", "done", "total")},
        )
        for r in by_group
    ]  # fmt: skip
    groups.sort(key=lambda r: (r.key is None, r.name))
    totals = BoardRow(None, "")
    for row in organisations:
        for k in ("late", "at_risk", "open", "submitted", "done", "total"):
            setattr(totals, k, getattr(totals, k) + getattr(row, k))
    return OverdueBoard(
        today=today,
        organisations=organisations,
        groups=groups,
        totals=totals,
        filters={"programme": programme_id, "year": year},
    )


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
