"""Plans and tasks: assignment to many organisations, the review loop, bad input refused with
nothing half-saved, evidence limits, reminders and escalation, the overdue board."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import login
from tests.factories import StoryFactory
from ttdn.audit.models import AuditEvent
from ttdn.coordinate.models import (
    Notification,
    Plan,
    PlanTemplate,
    Task,
    TaskAssignment,
    TaskEvidence,
)
from ttdn.coordinate.selectors.tasks import overdue_board
from ttdn.coordinate.services import notifications as notification_services
from ttdn.coordinate.services.tasks import (
    plan_copy,
    plan_from_template,
    task_assign,
    task_create,
    task_evidence_add,
    task_transition,
    task_update,
)

pytestmark = pytest.mark.django_db

PROVINCES = ["lam-dong", "gia-lai", "ha-noi"]


def _assign(analyst, organisations, central, programme=None, **kw):  # type: ignore[no-untyped-def]
    return task_assign(
        user=analyst,
        assigner=central,
        organisations=[organisations[s] for s in PROVINCES],
        title=kw.pop("title", "Tổ chức họp báo quốc tế"),
        start_date=kw.pop("start_date", dt.date(2026, 3, 1)),
        due_date=kw.pop("due_date", dt.date(2026, 6, 30)),
        programme=programme,
        group=programme.groups.first() if programme else None,
        **kw,
    )


def test_one_assignment_one_tracked_task_per_organisation(
    analyst, organisations, central, programme
) -> None:
    assignment = _assign(analyst, organisations, central, programme)
    tasks = list(assignment.tasks.order_by("organisation__slug"))
    assert [t.organisation.slug for t in tasks] == sorted(PROVINCES)
    assert {t.status for t in tasks} == {"assigned"}
    assert {t.assigner_id for t in tasks} == {central.pk}
    # each in its organisation's 2026 plan of the programme
    assert Plan.objects.filter(programme=programme, year=2026).count() == 3
    assert all(t.plan.organisation_id == t.organisation_id for t in tasks)
    assert AuditEvent.objects.filter(object_type="coordinate.Task", action="create").count() == 3


def test_due_before_start_is_refused_and_nothing_saved(analyst, organisations, central) -> None:
    with pytest.raises(ValidationError) as err:
        _assign(analyst, organisations, central, due_date=dt.date(2026, 2, 1))
    assert "due_date" in err.value.message_dict
    assert not Task.objects.exists() and not TaskAssignment.objects.exists()


def test_organisation_the_user_may_not_act_for_is_refused_whole(
    officer_lam_dong, organisations
) -> None:
    with pytest.raises(PermissionDenied):
        task_assign(
            user=officer_lam_dong,
            assigner=organisations["lam-dong"],
            organisations=[organisations["lam-dong"], organisations["gia-lai"]],
            title="x",
        )
    assert not Task.objects.exists()  # not even Lâm Đồng's own one


def test_review_loop_accept_submit_return_resubmit_close(
    analyst, officer_lam_dong, officer_gia_lai, organisations, central
) -> None:
    assignment = _assign(analyst, organisations, central)
    task = assignment.tasks.get(organisation__slug="lam-dong")
    # another province's officer can do nothing with it
    with pytest.raises(PermissionDenied):
        task_transition(user=officer_gia_lai, task=task, action="accept")
    task = task_transition(user=officer_lam_dong, task=task, action="accept")
    # the owner cannot close its own assigned task, nor submit before accepting twice
    with pytest.raises(PermissionDenied):
        task_transition(user=officer_lam_dong, task=task, action="close")
    with pytest.raises(ValidationError):
        task_transition(user=officer_lam_dong, task=task, action="accept")
    task_evidence_add(user=officer_lam_dong, task=task, kind="url", title="Bài đăng",
                      url="https://baolamdong.vn/hop-bao")  # fmt: skip
    task = task_transition(user=officer_lam_dong, task=task, action="submit")
    with pytest.raises(PermissionDenied):
        task_transition(user=officer_lam_dong, task=task, action="close")
    with pytest.raises(ValidationError) as err:
        task_transition(user=analyst, task=task, action="return", reason="  ")
    assert "reason" in err.value.message_dict
    task = task_transition(user=analyst, task=task, action="return", reason="Thiếu ảnh")
    assert (task.status, task.returned_reason) == ("returned", "Thiếu ảnh")
    assert Notification.objects.filter(user=officer_lam_dong, kind="task_return").exists()
    task = task_transition(user=officer_lam_dong, task=task, action="submit")
    task = task_transition(user=analyst, task=task, action="close")
    assert (task.status, task.progress) == ("done", 100)
    history = [e.action for e in task.events.all()]
    assert history == ["create", "accept", "evidence", "submit", "return", "submit", "close"]
    # the other two are untouched
    others = assignment.tasks.exclude(pk=task.pk)
    assert set(others.values_list("status", flat=True)) == {"assigned"}


def test_evidence_files_are_limited_by_type_and_size(
    analyst, officer_lam_dong, organisations, central, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = _assign(analyst, organisations, central).tasks.get(organisation__slug="lam-dong")
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as err:
        task_evidence_add(user=officer_lam_dong, task=task, kind="file", title="x", file=bad)
    assert ".exe" in err.value.message_dict["file"][0]
    big = SimpleUploadedFile("report.pdf", b"0" * 10, content_type="application/pdf")
    big.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError) as err:
        task_evidence_add(user=officer_lam_dong, task=task, kind="file", title="x", file=big)
    assert "MB" in err.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        task_evidence_add(user=officer_lam_dong, task=task, kind="story", title="x", object_id=999)
    assert not TaskEvidence.objects.exists()
    ok = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    evidence = task_evidence_add(user=officer_lam_dong, task=task, kind="file", title="Báo cáo",
                                 file=ok)  # fmt: skip
    assert evidence.file_size == len(b"%PDF-1.4 ...")
    story = StoryFactory()
    linked = task_evidence_add(user=officer_lam_dong, task=task, kind="story", title="Câu chuyện",
                               object_id=story.pk)  # fmt: skip
    assert linked.url == f"/theo-doi/cau-chuyen/{story.pk}/"


def _patcher(client: Client, user, task):  # type: ignore[no-untyped-def]
    login(client, user)
    csrf = client.cookies["csrftoken"].value

    def patch(body: dict):  # type: ignore[no-untyped-def]
        return client.patch(f"/api/tasks/{task.pk}", data=json.dumps(body),
                            content_type="application/json", HTTP_X_CSRFTOKEN=csrf)  # fmt: skip

    return patch


def test_api_patch_bad_status_or_empty_title_is_400_with_the_field(
    client: Client, analyst, officer_lam_dong, organisations, central
) -> None:
    task = _assign(analyst, organisations, central).tasks.get(organisation__slug="lam-dong")
    patch = _patcher(client, officer_lam_dong, task)
    for body, field in [
        ({"status": "bogus"}, "status"),
        ({"status": "done"}, "status"),  # not from "assigned", and not the owner's to close
        ({"progress": 140}, "progress"),
    ]:
        response = patch(body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    assert patch({"status": "accepted", "progress": 20}).json()["status"] == "accepted"
    # the title and dates are the assigner's: central gets the 400s for bad values
    patch = _patcher(Client(), analyst, task)
    for body, field in [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"start_date": "2026-07-01"}, "due_date"),
    ]:
        response = patch(body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    assert Task.objects.get(pk=task.pk).title == "Tổ chức họp báo quốc tế"


def test_assigned_task_title_dates_are_the_assigners_progress_the_doers_by_api(
    client: Client, analyst, officer_lam_dong, organisations, central
) -> None:
    task = _assign(analyst, organisations, central).tasks.get(organisation__slug="lam-dong")
    patch = _patcher(client, officer_lam_dong, task)
    for body in [
        {"title": "Đổi tên"},
        {"due_date": "2026-12-31"},
        {"start_date": "2026-01-01"},
        {"description": "Khác"},
        {"priority": "low"},
        {"title": "Đổi tên", "progress": 30},  # one refused field refuses the whole edit
    ]:
        response = patch(body)
        assert response.status_code == 403, (body, response.content)
        assert "Ban Chỉ đạo" in response.json()["detail"] or "giao" in response.json()["detail"]
    task.refresh_from_db()
    assert (task.title, task.due_date, task.progress, task.priority) == (
        "Tổ chức họp báo quốc tế", dt.date(2026, 6, 30), 0, "normal",
    )  # fmt: skip
    # sending the unchanged values back is not a change: allowed with the doer's own fields
    ok = patch({"title": task.title, "due_date": "2026-06-30", "status": "accepted",
                "progress": 40})  # fmt: skip
    assert ok.status_code == 200, ok.content
    assert (ok.json()["status"], ok.json()["progress"]) == ("accepted", 40)
    # the assigning organisation (central) changes the title and the due date
    central_patch = _patcher(Client(), analyst, task)
    response = central_patch({"title": "Họp báo quốc tế (mở rộng)", "due_date": "2026-07-15"})
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["due_date"]) == (
        "Họp báo quốc tế (mở rộng)", "2026-07-15",
    )  # fmt: skip
    # the province's own task (no assigner above it) is all the province's to edit
    own = task_create(user=officer_lam_dong, organisation=organisations["lam-dong"],
                      title="Việc riêng", due_date=dt.date(2026, 5, 1))  # fmt: skip
    own_patch = _patcher(Client(), officer_lam_dong, own)
    assert own_patch({"title": "Việc riêng (sửa)", "due_date": "2026-05-20"}).status_code == 200


def test_assigned_task_edit_form_locks_the_assigners_fields(
    client: Client, analyst, officer_lam_dong, organisations, central
) -> None:
    task = _assign(analyst, organisations, central).tasks.get(organisation__slug="lam-dong")
    login(client, officer_lam_dong)
    url = f"/dieu-phoi/nhiem-vu/{task.pk}/sua/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert {n for n, f in form.fields.items() if f.disabled} == {
        "title", "description", "start_date", "due_date", "priority",
    }  # fmt: skip
    assert b'id="assigned-from-above"' in page.content
    # a hand-made POST with a new title and due date changes neither; progress is saved
    response = client.post(url, {"title": "Đổi tên", "due_date": "2026-12-31",
                                 "priority": "urgent", "progress": 25})  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_date, task.priority, task.progress) == (
        "Tổ chức họp báo quốc tế", dt.date(2026, 6, 30), "normal", 25,
    )  # fmt: skip
    # the service refuses the same change whatever the caller (forms and API alike)
    with pytest.raises(PermissionDenied):
        task_update(user=officer_lam_dong, task=task, title="Đổi tên")
    # central's form has every field open and saves the new dates
    central_client = login(Client(), analyst)
    page = central_client.get(url)
    assert not any(f.disabled for f in page.context["form"].fields.values())
    response = central_client.post(url, {"title": "Họp báo (mở rộng)", "due_date": "2026-07-15",
                                         "priority": "high", "progress": 25})  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_date, task.priority) == (
        "Họp báo (mở rộng)", dt.date(2026, 7, 15), "high",
    )  # fmt: skip


def test_reminders_before_due_and_overdue_with_escalation_once(
    analyst, officer_lam_dong, organisations, central
) -> None:
    today = dt.date(2026, 6, 28)
    assignment = _assign(analyst, organisations, central, due_date=dt.date(2026, 6, 30))
    late = _assign(analyst, organisations, central, title="Cũ", due_date=dt.date(2026, 6, 1))
    counts = notification_services.tasks_remind(today=today)
    assert counts == {"reminded": 3, "overdue": 3, "escalated": 3}
    assert notification_services.tasks_remind(today=today) == {
        "reminded": 0, "overdue": 0, "escalated": 0,
    }  # fmt: skip
    kinds = set(Notification.objects.filter(user=officer_lam_dong).values_list("kind", flat=True))
    assert {"task_due_soon", "task_overdue", "task_assigned"} <= kinds
    assert Notification.objects.filter(user=analyst, kind="task_escalated").count() == 3
    assert assignment and late


def test_emails_sent_once_and_digest_groups(analyst, officer_lam_dong, mailoutbox) -> None:
    officer_lam_dong.email = "lamdong@example.vn"
    officer_lam_dong.save()
    notification_services.notify([officer_lam_dong], kind="x", text="Một")
    assert notification_services.notifications_email_send() == 1
    assert notification_services.notifications_email_send() == 0
    notification_services.notification_preference_set(user=officer_lam_dong, daily_digest=True)
    notification_services.notify([officer_lam_dong], kind="x", text="Hai")
    notification_services.notify([officer_lam_dong], kind="x", text="Ba")
    assert notification_services.notifications_email_send() == 0
    assert notification_services.notifications_email_send(digest=True) == 2
    assert len(mailoutbox) == 2 and "Hai" in mailoutbox[1].body and "Ba" in mailoutbox[1].body


def test_overdue_board_by_organisation_and_group(
    analyst, leader, officer_lam_dong, organisations, central, programme, client: Client
) -> None:
    today = dt.date(2026, 6, 28)
    _assign(analyst, organisations, central, programme, due_date=dt.date(2026, 6, 1))
    soon = _assign(analyst, organisations, central, programme, title="Sắp",
                   due_date=dt.date(2026, 7, 2))  # fmt: skip
    done = soon.tasks.get(organisation__slug="ha-noi")
    for action in ("accept", "submit"):
        done = task_transition(user=analyst, task=done, action=action)
    task_transition(user=analyst, task=done, action="close")
    board = overdue_board(user=leader, today=today)
    rows = {r.name: r for r in board.organisations}
    assert (rows["Lâm Đồng"].late, rows["Lâm Đồng"].at_risk) == (1, 1)
    assert (rows["Hà Nội"].late, rows["Hà Nội"].at_risk, rows["Hà Nội"].done) == (1, 0, 1)
    assert board.totals.late == 3 and board.totals.at_risk == 2
    assert sum(g.late for g in board.groups) == 3
    login(client, leader)
    assert client.get("/dieu-phoi/cham-tre/").status_code == 200
    client.logout()
    login(client, officer_lam_dong)
    assert client.get("/dieu-phoi/cham-tre/").status_code == 403


def test_plan_copied_to_next_year(analyst, organisations, central, programme) -> None:
    _assign(analyst, organisations, central, programme, due_date=dt.date(2026, 6, 30))
    plan = Plan.objects.get(organisation=organisations["lam-dong"], year=2026)
    new = plan_copy(user=analyst, plan=plan, year=2027)
    copied = new.tasks.get()
    assert (copied.start_date, copied.due_date) == (dt.date(2027, 3, 1), dt.date(2027, 6, 30))
    with pytest.raises(ValidationError):
        plan_copy(user=analyst, plan=plan, year=2027)


def test_plan_template_saved_and_used_next_year_by_pages(
    client: Client, analyst, officer_lam_dong, organisations, central, programme
) -> None:
    _assign(analyst, organisations, central, programme, due_date=dt.date(2026, 6, 30))
    plan = Plan.objects.get(organisation=organisations["lam-dong"], year=2026)
    login(client, officer_lam_dong)
    response = client.post(f"/dieu-phoi/ke-hoach/{plan.pk}/", {"template_name": "Mẫu họp báo"})
    assert response.status_code == 302
    template = PlanTemplate.objects.get(name="Mẫu họp báo")
    item = template.tasks.get()
    assert (item.start_month, item.start_day, item.due_month, item.due_day) == (3, 1, 6, 30)
    form = {"template": template.pk, "organisation": organisations["lam-dong"].pk, "year": 2027}
    response = client.post("/dieu-phoi/ke-hoach/tu-mau/", form)
    new = Plan.objects.get(organisation=organisations["lam-dong"], year=2027)
    assert response["Location"] == f"/dieu-phoi/ke-hoach/{new.pk}/"
    assert new.tasks.get().due_date == dt.date(2027, 6, 30)
    # a second plan for the same year, or one for another province, is refused: nothing made
    client.post("/dieu-phoi/ke-hoach/tu-mau/", form)
    other = {**form, "organisation": organisations["gia-lai"].pk}
    client.post("/dieu-phoi/ke-hoach/tu-mau/", other)
    assert Plan.objects.filter(year=2027).count() == 1
    with pytest.raises(PermissionDenied):
        plan_from_template(user=officer_lam_dong, template=template,
                           organisation=organisations["gia-lai"], year=2027)  # fmt: skip


def test_person_in_charge_is_one_of_the_organisations_people(
    client: Client, analyst, officer_lam_dong, officer_gia_lai, organisations, central
) -> None:
    task = _assign(analyst, organisations, central).tasks.get(organisation__slug="lam-dong")
    login(client, officer_lam_dong)
    form = {"title": task.title, "priority": "normal", "owner": officer_gia_lai.pk}
    response = client.post(f"/dieu-phoi/nhiem-vu/{task.pk}/sua/", form)
    assert response.status_code == 200  # not a choice: Gia Lai's officer is not Lâm Đồng's
    assert Task.objects.get(pk=task.pk).owner_id is None
    form["owner"] = officer_lam_dong.pk
    assert client.post(f"/dieu-phoi/nhiem-vu/{task.pk}/sua/", form).status_code == 302
    assert Task.objects.get(pk=task.pk).owner_id == officer_lam_dong.pk
    # reminders then go to the person in charge only
    notification_services.tasks_remind(today=dt.date(2026, 6, 29))
    reminded = Notification.objects.filter(kind="task_due_soon").values_list("user_id", flat=True)
    assert officer_lam_dong.pk in set(reminded)
