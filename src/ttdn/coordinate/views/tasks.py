"""Task pages: the coordinate home, assignment, a task's page and its actions, plans, the
overdue board and the notification centre. Thin: forms parse, services and selectors decide."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.models import User
from ttdn.coordinate.access import (
    can_act_for,
    organisations_actable,
    organisations_readable,
    sees_everything,
)
from ttdn.coordinate.forms import (
    AssignForm,
    CommentForm,
    EvidenceForm,
    PlanCopyForm,
    ReasonForm,
    TaskEditForm,
)
from ttdn.coordinate.models import PlanTemplate, Programme, TaskStatus
from ttdn.coordinate.selectors.tasks import (
    notification_list,
    overdue_board,
    plan_get,
    plan_list,
    task_get,
    task_list,
)
from ttdn.coordinate.services.notifications import (
    notification_mark_read,
    notification_preference_set,
)
from ttdn.coordinate.services.tasks import (
    TRANSITIONS,
    assigner_can_review,
    plan_copy,
    plan_from_template,
    plan_template_from_plan,
    task_assign,
    task_can_edit,
    task_comment_add,
    task_editable_fields,
    task_evidence_add,
    task_transition,
    task_update,
)
from ttdn.web.navigation import module_get


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def add_errors(form: Form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: per field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    tasks = task_list(user=user).exclude(status=TaskStatus.DONE)[:50]
    return render(
        request,
        "coordinate/home.html",
        {
            "module": module_get("coordinate"),
            "tasks": tasks,
            "tasks_late": task_list(user=user, state="late").count(),
            "can_assign": can_act_for(user, user.organisation) or sees_everything(user),
            "sees_everything": sees_everything(user),
        },
    )


@login_required
def task_index(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filters = {
        "organisation_id": _int(request.GET.get("organisation")),
        "group_id": _int(request.GET.get("group")),
        "programme_id": _int(request.GET.get("programme")),
        "year": _int(request.GET.get("year")),
        "state": request.GET.get("state", "")[:20],
        "status": request.GET.get("status", "")[:20],
        "assignment_id": _int(request.GET.get("assignment")),
    }
    page = Paginator(task_list(user=user, **filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordinate/task_list.html",
        {
            "page": page,
            "filters": filters,
            "organisations": organisations_readable(user),
            "statuses": TaskStatus.choices,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = AssignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = task_assign(
                user=user,
                assigner=data["assigner"],
                organisations=data["organisations"],
                title=data["title"],
                description=data["description"],
                start_date=data["start_date"],
                due_date=data["due_date"],
                priority=data["priority"],
                programme=data["programme"],
                group=data["group"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("organisations", str(exc))
        else:
            tasks = list(assignment.tasks.all())
            messages.success(request, _("Đã giao nhiệm vụ cho %(n)s đơn vị.") % {"n": len(tasks)})
            if len(tasks) == 1:
                return HttpResponseRedirect(reverse("task_detail", args=[tasks[0].pk]))
            return HttpResponseRedirect(
                reverse("coordinate_tasks") + f"?assignment={assignment.pk}"
            )
    return render(request, "coordinate/task_form.html", {"form": form, "task": None})


def _actions(user: User, task) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    labels = {
        "accept": _("Nhận nhiệm vụ"),
        "start": _("Bắt đầu thực hiện"),
        "submit": _("Nộp kết quả để duyệt"),
        "return": _("Trả lại"),
        "close": _("Duyệt, đóng nhiệm vụ"),
    }
    owner = can_act_for(user, task.organisation)
    reviewer = assigner_can_review(user, task)
    out = []
    for action, (sources, _target, who) in TRANSITIONS.items():
        allowed = owner if who == "owner" else reviewer
        if allowed and task.status in sources:
            out.append({"action": action, "label": labels[action]})
    return out


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    return render(
        request,
        "coordinate/task_detail.html",
        {
            "task": task,
            "can_edit": task_can_edit(user, task),
            "actions": _actions(user, task),
            "evidence": task.evidence.all(),
            "comments": task.comments.select_related("author"),
            "events": task.events.select_related("actor"),
            "evidence_form": EvidenceForm(),
            "comment_form": CommentForm(),
            "reason_form": ReasonForm(),
            "overdue": task.is_overdue(),
        },
    )


@login_required
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    editable = task_editable_fields(user, task)
    if not editable:
        raise PermissionDenied
    initial = {
        "title": task.title,
        "description": task.description,
        "start_date": task.start_date,
        "due_date": task.due_date,
        "priority": task.priority,
        "progress": task.progress,
        "status": task.status,
        "owner": task.owner_id,
    }
    form = TaskEditForm(
        request.POST or None, initial=initial, organisation=task.organisation, editable=editable
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task_update(
                user=user,
                task=task,
                title=data["title"],
                description=data["description"],
                start_date=data["start_date"],
                due_date=data["due_date"],
                priority=data["priority"],
                progress=data["progress"],
                owner=data["owner"],
                status=data["status"] or None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return HttpResponseRedirect(reverse("task_detail", args=[task.pk]))
    return render(
        request,
        "coordinate/task_form.html",
        {"form": form, "task": task, "locked": bool(task.assigner_id) and "title" not in editable},
    )


def _back(request: HttpRequest, task_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("task_detail", args=[task_id]))


def _flash_errors(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc) or _("Bạn không có quyền làm việc này."))


@require_POST
@login_required
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    try:
        task_transition(user=user, task=task, action=action, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Đã cập nhật trạng thái nhiệm vụ."))
    return _back(request, task_id)


@require_POST
@login_required
def task_comment(request: HttpRequest, task_id: int) -> HttpResponse:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    try:
        task_comment_add(user=user, task=task, text=request.POST.get("text", ""))
    except ValidationError as exc:
        _flash_errors(request, exc)
    return _back(request, task_id)


@require_POST
@login_required
def task_evidence(request: HttpRequest, task_id: int) -> HttpResponse:
    user = user_of(request)
    task = task_get(user=user, task_id=task_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return _back(request, task_id)
    data = form.cleaned_data
    try:
        task_evidence_add(
            user=user,
            task=task,
            kind=data["kind"],
            title=data["title"],
            file=data["file"],
            url=data["url"],
            object_id=data["object_id"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Đã thêm minh chứng."))
    return _back(request, task_id)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The overdue board: what a steering-committee meeting opens."""
    user = user_of(request)
    if not sees_everything(user):
        raise PermissionDenied
    programme_id = _int(request.GET.get("programme"))
    year = _int(request.GET.get("year"))
    data = overdue_board(user=user, programme_id=programme_id, year=year)
    late_rows = [r for r in data.organisations if r.late or r.at_risk][:40]
    chart = {
        "names": [r.name for r in late_rows],
        "late": [r.late for r in late_rows],
        "at_risk": [r.at_risk for r in late_rows],
        "labels": {"late": _("Quá hạn"), "at_risk": _("Sắp đến hạn")},
    }
    return render(
        request,
        "coordinate/board.html",
        {
            "board": data,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "programmes": Programme.objects.all(),
            "programme_id": programme_id,
            "year": year,
        },
    )


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    year = _int(request.GET.get("year"))
    return render(
        request,
        "coordinate/plan_list.html",
        {
            "plans": plan_list(user=user, year=year)[:200],
            "programmes": Programme.objects.filter(archived=False).prefetch_related("groups"),
            "year": year,
            "templates": PlanTemplate.objects.select_related("programme"),
            "organisations": organisations_actable(user),
            "next_year": dt.date.today().year + 1,
        },
    )


@require_POST
@login_required
def plan_template_use(request: HttpRequest) -> HttpResponse:
    """A new annual plan for an organisation from a template (its tasks, this year's dates)."""
    user = user_of(request)
    template = PlanTemplate.objects.filter(pk=_int(request.POST.get("template"))).first()
    organisation = organisations_actable(user).filter(pk=_int(request.POST.get("organisation")))
    year = _int(request.POST.get("year"))
    if template is None or not organisation.exists() or year is None:
        messages.error(request, _("Cần chọn mẫu kế hoạch, đơn vị và năm."))
        return HttpResponseRedirect(reverse("coordinate_plans"))
    try:
        plan = plan_from_template(
            user=user, template=template, organisation=organisation.get(), year=year
        )
    except (ValidationError, PermissionDenied) as exc:
        _flash_errors(request, exc)
        return HttpResponseRedirect(reverse("coordinate_plans"))
    messages.success(request, _("Đã lập kế hoạch từ mẫu."))
    return HttpResponseRedirect(reverse("coordinate_plan", args=[plan.pk]))


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = user_of(request)
    plan = plan_get(user=user, plan_id=plan_id)
    form = PlanCopyForm(request.POST or None, initial={"year": plan.year + 1})
    can_edit = can_act_for(user, plan.organisation)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("template_name") is not None:
            try:
                plan_template_from_plan(user=user, plan=plan, name=request.POST["template_name"])
            except (ValidationError, PermissionDenied) as exc:
                _flash_errors(request, exc)
            else:
                messages.success(request, _("Đã lưu kế hoạch thành mẫu."))
            return HttpResponseRedirect(reverse("coordinate_plan", args=[plan.pk]))
        if form.is_valid():
            try:
                new = plan_copy(user=user, plan=plan, year=form.cleaned_data["year"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Đã sao chép kế hoạch sang năm mới."))
                return HttpResponseRedirect(reverse("coordinate_plan", args=[new.pk]))
    return render(
        request,
        "coordinate/plan_detail.html",
        {"plan": plan, "tasks": plan.tasks.select_related("group"), "form": form,
         "can_edit": can_edit},
    )  # fmt: skip


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if request.method == "POST":
        if "digest" in request.POST:
            notification_preference_set(user=user, daily_digest=request.POST["digest"] == "1")
            messages.success(request, _("Đã lưu cách nhận thư nhắc việc."))
        else:
            notification_mark_read(user=user, notification_id=_int(request.POST.get("id")))
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(reverse("coordinate_notifications"))
    preference = getattr(user, "coordinate_preference", None)
    return render(
        request,
        "coordinate/notifications.html",
        {
            "notices": notification_list(user=user)[:100],
            "daily_digest": bool(preference and preference.daily_digest),
            "today": dt.date.today(),
        },
    )
