"""Writes for plans and tasks: assignment downward, reporting upward.

Every write checks the user against `access` (the accounts selectors), validates everything
before it saves anything (inside one transaction, so a refused step leaves nothing
half-saved), records the task's history, and is written to the audit log by the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.access import can_act_for, ensure_can_act_for
from ttdn.coordinate.models import (
    EvidenceKind,
    Plan,
    PlanTemplate,
    Priority,
    Programme,
    ProgrammeGroup,
    Task,
    TaskAssignment,
    TaskComment,
    TaskEvent,
    TaskEvidence,
    TaskStatus,
    TaskTemplate,
)
from ttdn.coordinate.services.notifications import notify, organisation_officers

# files people attach as evidence: documents, images, sheets, short video
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".txt",
     ".jpg", ".jpeg", ".png", ".webp", ".mp4", ".zip"}
)  # fmt: skip
EVIDENCE_MAX_BYTES = int(getattr(settings, "TTDN_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))

# links to objects inside the platform: kind -> "app_label.Model" (apps that may not exist)
LINKED_MODELS = {
    EvidenceKind.REPORT: "monitor.Report",
    EvidenceKind.STORY: "monitor.Story",
    EvidenceKind.CASE: "respond.Case",
    EvidenceKind.PORTAL_PAGE: "portal.Page",
    EvidenceKind.PERIODIC_REPORT: "reports.PeriodicReport",
}

# action -> (statuses it starts from, status it leads to, who: "owner" | "assigner")
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "accept": ((TaskStatus.ASSIGNED,), TaskStatus.ACCEPTED, "owner"),
    "start": ((TaskStatus.ACCEPTED, TaskStatus.RETURNED), TaskStatus.IN_PROGRESS, "owner"),
    "submit": (
        (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED),
        TaskStatus.SUBMITTED,
        "owner",
    ),
    "return": ((TaskStatus.SUBMITTED,), TaskStatus.RETURNED, "assigner"),
    "close": ((TaskStatus.SUBMITTED,), TaskStatus.DONE, "assigner"),
}


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _check_dates(start: dt.date | None, due: dt.date | None) -> None:
    if start and due and due < start:
        raise _err("due_date", _("Hạn hoàn thành không được trước ngày bắt đầu."))


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise _err("title", _("Cần nhập tiêu đề."))
    return title


def _ensure_org(user: User, organisation: Organisation | None, field: str = "organisation") -> None:
    if organisation is None:
        raise _err(field, _("Cần chọn đơn vị."))
    if not can_act_for(user, organisation):
        raise PermissionDenied(
            _("Bạn không được giao việc hoặc cập nhật cho đơn vị %(name)s.")
            % {"name": organisation.name}
        )


def _event(task: Task, user: User | None, action: str, old: str = "", note: str = "") -> None:
    TaskEvent.objects.create(
        task=task,
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        from_status=old,
        to_status=task.status,
        note=note,
    )


def _assigner_of(task: Task) -> Organisation:
    return task.assigner or task.organisation


def assigner_can_review(user: User, task: Task) -> bool:
    return can_act_for(user, _assigner_of(task))


def plan_get_or_create(
    *, user: User, programme: Programme, organisation: Organisation, year: int
) -> Plan:
    plan = Plan.objects.filter(programme=programme, organisation=organisation, year=year).first()
    if plan is not None:
        return plan
    if not (programme.start_year <= year <= programme.end_year):
        raise _err(
            "year",
            _("Năm %(year)s nằm ngoài thời gian của chương trình (%(a)s–%(b)s).")
            % {"year": year, "a": programme.start_year, "b": programme.end_year},
        )
    return Plan.objects.create(
        programme=programme,
        organisation=organisation,
        year=year,
        title=_("Kế hoạch %(year)s — %(org)s") % {"year": year, "org": organisation.name},
        created_by=user,
    )


@transaction.atomic
def task_create(
    *,
    user: User,
    organisation: Organisation | None,
    title: str,
    description: str = "",
    start_date: dt.date | None = None,
    due_date: dt.date | None = None,
    priority: str = Priority.NORMAL,
    plan: Plan | None = None,
    group: ProgrammeGroup | None = None,
    owner: User | None = None,
    assigner: Organisation | None = None,
    assignment: TaskAssignment | None = None,
) -> Task:
    _ensure_org(user, organisation)
    assert organisation is not None
    title = _check_title(title)
    _check_dates(start_date, due_date)
    if plan is not None and plan.organisation_id != organisation.pk:
        raise _err("plan", _("Kế hoạch này là của đơn vị khác."))
    if owner is not None and owner.organisation_id != organisation.pk:
        raise _err("owner", _("Người phụ trách phải thuộc đơn vị được giao."))
    if priority not in Priority.values:
        raise _err("priority", _("Mức ưu tiên không hợp lệ."))
    task = Task(
        organisation=organisation,
        title=title,
        description=description,
        start_date=start_date,
        due_date=due_date,
        priority=priority,
        plan=plan,
        group=group,
        owner=owner,
        assigner=assigner if assigner is not None and assigner.pk != organisation.pk else None,
        assignment=assignment,
        created_by=user,
    )
    task.full_clean()
    task.save()
    _event(task, user, "create")
    if task.assigner_id is not None:
        notify(
            organisation_officers(organisation, owner),
            kind="task_assigned",
            text=_("Nhiệm vụ mới được giao: %(title)s") % {"title": task.title},
            url=f"/dieu-phoi/nhiem-vu/{task.pk}/",
        )
    return task


@transaction.atomic
def task_assign(
    *,
    user: User,
    assigner: Organisation,
    organisations: Iterable[Organisation],
    title: str,
    description: str = "",
    start_date: dt.date | None = None,
    due_date: dt.date | None = None,
    priority: str = Priority.NORMAL,
    programme: Programme | None = None,
    group: ProgrammeGroup | None = None,
) -> TaskAssignment:
    """One assignment, one tracked task per organisation, each in that organisation's plan
    for the due date's year when a programme is given. All or nothing."""
    _ensure_org(user, assigner, "assigner")
    targets = list(dict.fromkeys(organisations))
    if not targets:
        raise _err("organisations", _("Cần chọn ít nhất một đơn vị được giao."))
    title = _check_title(title)
    _check_dates(start_date, due_date)
    if group is not None and (programme is None or group.programme_id != programme.pk):
        raise _err("group", _("Nhóm nhiệm vụ không thuộc chương trình đã chọn."))
    assignment = TaskAssignment.objects.create(assigner=assigner, title=title, created_by=user)
    year = (due_date or start_date or timezone.localdate()).year
    for organisation in targets:
        plan = (
            plan_get_or_create(user=user, programme=programme, organisation=organisation, year=year)
            if programme is not None
            else None
        )
        task_create(
            user=user,
            organisation=organisation,
            title=title,
            description=description,
            start_date=start_date,
            due_date=due_date,
            priority=priority,
            plan=plan,
            group=group,
            assigner=assigner,
            assignment=assignment,
        )
    return assignment


@transaction.atomic
def task_transition(*, user: User, task: Task, action: str, reason: str = "") -> Task:
    """Move a task along assigned → accepted → in progress → submitted → done / returned."""
    if action not in TRANSITIONS:
        raise _err("action", _("Thao tác không hợp lệ: %(a)s.") % {"a": action})
    sources, target, who = TRANSITIONS[action]
    task = Task.objects.select_for_update().get(pk=task.pk)
    if who == "owner":
        ensure_can_act_for(user, task.organisation)
    elif not assigner_can_review(user, task):
        raise PermissionDenied(_("Chỉ đơn vị giao nhiệm vụ mới được duyệt hoặc trả lại."))
    if task.status not in sources:
        raise _err(
            "status",
            _("Không thể chuyển nhiệm vụ từ “%(old)s” sang “%(new)s”.")
            % {"old": task.get_status_display(), "new": TaskStatus(target).label},
        )
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise _err("reason", _("Cần ghi lý do trả lại."))
    old = task.status
    task.status = target
    now = timezone.now()
    if action == "submit":
        task.submitted_at = now
    elif action == "return":
        task.returned_reason = reason
    elif action == "close":
        task.done_at = now
        task.progress = 100
    task.save()
    _event(task, user, action, old, reason)
    url = f"/dieu-phoi/nhiem-vu/{task.pk}/"
    if action == "submit" and task.created_by_id and task.assigner_id:
        notify(
            [task.created_by],  # type: ignore[list-item]
            kind="task_submitted",
            text=_("%(org)s đã nộp kết quả: %(title)s")
            % {"org": task.organisation.name, "title": task.title},
            url=url,
        )
    elif action in ("return", "close"):
        text = (
            _("Nhiệm vụ bị trả lại: %(title)s — %(reason)s")
            % {"title": task.title, "reason": reason}
            if action == "return"
            else _("Nhiệm vụ đã được duyệt hoàn thành: %(title)s") % {"title": task.title}
        )
        notify(organisation_officers(task.organisation, task.owner), kind=f"task_{action}",
               text=text, url=url)  # fmt: skip
    return task


def _action_for_status(task: Task, status: str) -> str:
    if status not in TaskStatus.values:
        raise _err("status", _("Trạng thái không hợp lệ: %(s)s.") % {"s": status})
    for action, (sources, target, _who) in TRANSITIONS.items():
        if target == status and task.status in sources:
            return action
    raise _err(
        "status",
        _("Không thể chuyển nhiệm vụ từ “%(old)s” sang “%(new)s”.")
        % {"old": task.get_status_display(), "new": TaskStatus(status).label},
    )


# what the assigning organisation decided when it assigned a task downward: only it (or a
# role that acts for it: central) may change them; the organisation doing the task may not
ASSIGNER_FIELDS = ("title", "description", "start_date", "due_date", "priority")
# what the organisation doing the task reports (status moves along TRANSITIONS' own rules)
OWNER_FIELDS = ("progress", "owner")


def task_editable_fields(user: User, task: Task) -> frozenset[str]:
    """The fields of `task` this user may change: one rule for the edit form and the API.

    A task assigned from above keeps its title, description, dates and priority as the
    assigner set them; the organisation doing it updates its progress and person in charge
    (and its status, by the transitions). A task an organisation gave itself is all its own.
    """
    fields: set[str] = set()
    doer = can_act_for(user, task.organisation)
    if doer:
        fields.update(OWNER_FIELDS)
        fields.add("status")
    if task.assigner_id is None:
        if doer:
            fields.update(ASSIGNER_FIELDS)
    elif assigner_can_review(user, task):
        fields.update(ASSIGNER_FIELDS)
        fields.add("status")  # return / close, still checked by task_transition
    return frozenset(fields)


def task_can_edit(user: User, task: Task) -> bool:
    return bool(task_editable_fields(user, task))


@transaction.atomic
def task_update(
    *,
    user: User,
    task: Task,
    title: str | None = None,
    description: str | None = None,
    start_date: dt.date | None = None,
    due_date: dt.date | None = None,
    priority: str | None = None,
    progress: int | None = None,
    owner: User | None = None,
    status: str | None = None,
    reason: str = "",
) -> Task:
    """Edit a task's fields; a status change goes through `task_transition`'s rules.

    Which fields the user may change is `task_editable_fields`: a value that differs from the
    task's and is not the user's to change refuses the whole edit (PermissionDenied naming
    the fields), so a form that posts every field unchanged still saves what is allowed."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    allowed = task_editable_fields(user, task)
    if not allowed:
        raise PermissionDenied(_("Bạn không được thay đổi nhiệm vụ này."))
    wanted = {
        "title": None if title is None else (title or "").strip(),
        "description": description,
        "start_date": start_date,
        "due_date": due_date,
        "priority": priority,
        "progress": None if progress is None else int(progress),
        "owner": owner,
        "status": status or None,
    }
    changed = [
        name for name, value in wanted.items() if value is not None and value != getattr(task, name)
    ]
    refused = [name for name in changed if name not in allowed]
    if refused:
        labels = ", ".join(str(Task._meta.get_field(name).verbose_name) for name in refused)
        raise PermissionDenied(
            _(
                "Nhiệm vụ do %(assigner)s giao: chỉ đơn vị giao mới được sửa %(fields)s; "
                "đơn vị thực hiện cập nhật trạng thái, tiến độ và ý kiến."
            )
            % {"assigner": _assigner_of(task).name, "fields": labels}
            if task.assigner_id
            else _("Bạn không được sửa %(fields)s của nhiệm vụ này.") % {"fields": labels}
        )
    if title is not None:
        task.title = _check_title(title)
    if description is not None:
        task.description = description
    if start_date is not None:
        task.start_date = start_date
    if due_date is not None:
        task.due_date = due_date
    _check_dates(task.start_date, task.due_date)
    if priority is not None:
        if priority not in Priority.values:
            raise _err("priority", _("Mức ưu tiên không hợp lệ."))
        task.priority = priority
    if progress is not None:
        if not 0 <= int(progress) <= 100:
            raise _err("progress", _("Tiến độ phải từ 0 đến 100 %."))
        task.progress = int(progress)
    if owner is not None:
        if owner.organisation_id != task.organisation_id:
            raise _err("owner", _("Người phụ trách phải thuộc đơn vị được giao."))
        task.owner = owner
    action = _action_for_status(task, status) if status and status != task.status else None
    task.full_clean()
    task.save()
    _event(task, user, "update")
    if action is not None:
        task = task_transition(user=user, task=task, action=action, reason=reason)
    return task


@transaction.atomic
def task_delete(*, user: User, task: Task) -> None:
    ensure_can_act_for(user, _assigner_of(task))
    task.delete()


@transaction.atomic
def task_comment_add(*, user: User, task: Task, text: str) -> TaskComment:
    """Anyone who can read the task may comment on it (the assigner and the owner alike)."""
    from ttdn.coordinate.selectors.tasks import task_get  # a read, for the scope rule

    task_get(user=user, task_id=task.pk)
    text = (text or "").strip()
    if not text:
        raise _err("text", _("Ý kiến không được để trống."))
    comment = TaskComment.objects.create(task=task, author=user, text=text)
    _event(task, user, "comment", task.status, text[:200])
    return comment


def _check_file(upload: UploadedFile | None) -> None:
    if upload is None:
        raise _err("file", _("Cần chọn tệp."))
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        raise _err(
            "file",
            _("Không nhận tệp loại “%(ext)s”. Chỉ nhận: %(allowed)s.")
            % {"ext": suffix or "?", "allowed": ", ".join(sorted(EVIDENCE_EXTENSIONS))},
        )
    if upload.size is None or upload.size > EVIDENCE_MAX_BYTES:
        raise _err(
            "file",
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {
                "size": round((upload.size or 0) / 1048576, 1),
                "max": EVIDENCE_MAX_BYTES // 1048576,
            },
        )


# the page of a linked object: URL name and its argument (a module not installed: no page)
LINKED_PAGES = {
    EvidenceKind.STORY: ("story_detail", "story_id"),
    EvidenceKind.CASE: ("respond_case", "case_id"),
    EvidenceKind.PORTAL_PAGE: ("portal_page", "page_id"),
}


def evidence_target_url(kind: str, object_id: int) -> str:
    """Where a linked platform object lives (its page), or raise if it does not exist."""
    label = LINKED_MODELS[EvidenceKind(kind)]
    try:
        model = apps.get_model(label)
    except LookupError as exc:
        raise _err("kind", _("Phân hệ này chưa có trong nền tảng.")) from exc
    obj: Any = model._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise _err("object_id", _("Không có đối tượng số %(id)s.") % {"id": object_id})
    if kind == EvidenceKind.REPORT:
        return str(obj.url)  # the article itself (shown through safe_href)
    if hasattr(obj, "get_absolute_url"):
        return str(obj.get_absolute_url())
    if kind in LINKED_PAGES:
        name, argument = LINKED_PAGES[EvidenceKind(kind)]
        try:
            return reverse(name, kwargs={argument: object_id})
        except NoReverseMatch:
            return ""
    return reverse("reports:archive") if kind == EvidenceKind.PERIODIC_REPORT else ""


@transaction.atomic
def task_evidence_add(
    *,
    user: User,
    task: Task,
    kind: str,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    object_id: int | None = None,
) -> TaskEvidence:
    ensure_can_act_for(user, task.organisation)
    if task.status == TaskStatus.DONE:
        raise _err("task", _("Nhiệm vụ đã hoàn thành, không thêm minh chứng được nữa."))
    if kind not in EvidenceKind.values:
        raise _err("kind", _("Loại minh chứng không hợp lệ."))
    title = (title or "").strip()
    if not title:
        raise _err("title", _("Cần mô tả minh chứng."))
    evidence = TaskEvidence(task=task, kind=kind, title=title[:250], added_by=user)
    if kind == EvidenceKind.FILE:
        _check_file(file)
        assert file is not None
        evidence.file = file
        evidence.file_size = int(file.size or 0)
    elif kind == EvidenceKind.URL:
        url = (url or "").strip()
        if not url.startswith(("https://", "http://")):
            raise _err("url", _("Đường dẫn phải bắt đầu bằng https:// hoặc http://."))
        evidence.url = url[:1000]
    else:
        if not object_id:
            raise _err("object_id", _("Cần nhập số của đối tượng trong nền tảng."))
        evidence.object_id = int(object_id)
        evidence.url = evidence_target_url(kind, int(object_id))[:1000]
    evidence.save()
    _event(task, user, "evidence", task.status, title[:200])
    return evidence


@transaction.atomic
def plan_copy(*, user: User, plan: Plan, year: int) -> Plan:
    """Next year's plan from this one: the same tasks, dates moved by the years between."""
    ensure_can_act_for(user, plan.organisation)
    if Plan.objects.filter(
        programme=plan.programme, organisation=plan.organisation, year=year
    ).exists():
        raise _err("year", _("Đơn vị đã có kế hoạch năm %(year)s.") % {"year": year})
    new = plan_get_or_create(
        user=user, programme=plan.programme, organisation=plan.organisation, year=year
    )
    shift = year - plan.year
    for task in plan.tasks.all():
        task_create(
            user=user,
            organisation=plan.organisation,
            title=task.title,
            description=task.description,
            start_date=_shift(task.start_date, shift),
            due_date=_shift(task.due_date, shift),
            priority=task.priority,
            plan=new,
            group=task.group,
        )
    return new


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def plan_template_from_plan(*, user: User, plan: Plan, name: str) -> PlanTemplate:
    ensure_can_act_for(user, plan.organisation)
    template = PlanTemplate.objects.create(programme=plan.programme, name=_check_title(name))
    for task in plan.tasks.all():
        start = task.start_date or dt.date(plan.year, 1, 1)
        due = task.due_date or dt.date(plan.year, 12, 31)
        TaskTemplate.objects.create(
            template=template, title=task.title, description=task.description,
            group=task.group, priority=task.priority, start_month=start.month,
            start_day=start.day, due_month=due.month, due_day=due.day,
        )  # fmt: skip
    return template


@transaction.atomic
def plan_from_template(
    *, user: User, template: PlanTemplate, organisation: Organisation, year: int
) -> Plan:
    _ensure_org(user, organisation)
    if Plan.objects.filter(
        programme=template.programme, organisation=organisation, year=year
    ).exists():
        raise _err("year", _("Đơn vị đã có kế hoạch năm %(year)s.") % {"year": year})
    plan = plan_get_or_create(
        user=user, programme=template.programme, organisation=organisation, year=year
    )
    for item in template.tasks.all():
        task_create(
            user=user,
            organisation=organisation,
            title=item.title,
            description=item.description,
            start_date=_day(year, item.start_month, item.start_day),
            due_date=_day(year, item.due_month, item.due_day),
            priority=item.priority,
            plan=plan,
            group=item.group,
        )
    return plan


def _day(year: int, month: int, day: int) -> dt.date:
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
