from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import TaskFactory
from ttdn.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_business_data_changes_are_recorded_with_who_and_where(
    client: Client, officer_lam_dong, organisations
) -> None:
    login(client, officer_lam_dong)
    client.post(
        "/dieu-phoi/nhiem-vu/moi/",
        {
            "title": "Họp báo quốc tế",
            "assigner": organisations["lam-dong"].pk,
            "organisations": [organisations["lam-dong"].pk],
            "priority": "normal",
        },
        REMOTE_ADDR="203.0.113.7",
    )
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="coordinate.Task")
    assert created.actor_username == officer_lam_dong.username
    assert created.actor_id == officer_lam_dong.pk
    assert created.ip_address == "203.0.113.7"
    assert created.changes["after"]["title"] == "Họp báo quốc tế"

    task_id = created.object_id
    client.post(
        f"/dieu-phoi/nhiem-vu/{task_id}/sua/",
        {"title": "Họp báo quốc tế (dời lịch)", "priority": "normal"},
    )
    updated = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="coordinate.Task", object_id=task_id
    )
    assert updated.changes == {"title": ["Họp báo quốc tế", "Họp báo quốc tế (dời lịch)"]}


def test_delete_is_recorded(db: None) -> None:
    task = TaskFactory()
    task_id = task.pk
    task.delete()
    deleted = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="coordinate.Task")
    assert deleted.object_id == str(task_id)
    assert deleted.changes["before"]["title"] == task.title


def test_logins_success_and_failure_are_recorded(client: Client, officer_lam_dong) -> None:
    client.post(
        "/dang-nhap/",
        {"username": officer_lam_dong.username, "password": "wrong"},
        REMOTE_ADDR="198.51.100.1",
    )
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor_username == officer_lam_dong.username
    assert failed.ip_address == "198.51.100.1"
    login(client, officer_lam_dong)
    ok = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert ok.actor_id == officer_lam_dong.pk


def test_administrator_browses_and_filters_the_log(
    client: Client, administrator, officer_lam_dong
) -> None:
    client.post("/dang-nhap/", {"username": "nobody", "password": "x"})
    login(client, administrator)
    page = client.get("/nhat-ky/", {"action": "login_failed"}).content.decode()
    assert "nobody" in page
    page = client.get(
        "/nhat-ky/", {"action": "login", "username": administrator.username}
    ).content.decode()
    assert "nobody" not in page and administrator.username in page


def test_only_administrators_see_the_log(client: Client, officer_lam_dong, analyst) -> None:
    for user in (officer_lam_dong, analyst):
        c = Client()
        login(c, user)
        assert c.get("/nhat-ky/").status_code == 403
