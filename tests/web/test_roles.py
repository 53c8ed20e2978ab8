"""A provincial officer of Lâm Đồng cannot read or change another province's data — by URL
or by API — while central roles can; the rules live in selectors/services, not menus."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.conftest import login
from tests.factories import TaskFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.coordinate.models import Task
from ttdn.coordinate.selectors import task_list
from ttdn.coordinate.services import task_create, task_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(organisations):  # type: ignore[no-untyped-def]
    return {
        "own": TaskFactory(
            organisation=organisations["lam-dong"], title="Lâm Đồng: đón đoàn báo chí"
        ),
        "other": TaskFactory(organisation=organisations["gia-lai"], title="Gia Lai: bí mật"),
    }


def test_selector_scopes_officer_to_own_organisation(officer_lam_dong, analyst, tasks) -> None:
    assert list(task_list(user=officer_lam_dong)) == [tasks["own"]]
    assert set(task_list(user=analyst)) == {tasks["own"], tasks["other"]}


def test_service_refuses_writes_for_another_province(
    officer_lam_dong, organisations, tasks
) -> None:
    with pytest.raises(PermissionDenied):
        task_create(user=officer_lam_dong, organisation=organisations["gia-lai"], title="x")
    with pytest.raises(PermissionDenied):
        task_update(user=officer_lam_dong, task=tasks["other"], title="changed")
    assert Task.objects.get(pk=tasks["other"].pk).title == "Gia Lai: bí mật"


def test_officer_cannot_read_other_province_by_url(client: Client, officer_lam_dong, tasks) -> None:
    login(client, officer_lam_dong)
    assert client.get(f"/dieu-phoi/nhiem-vu/{tasks['own'].pk}/").status_code == 200
    assert client.get(f"/dieu-phoi/nhiem-vu/{tasks['other'].pk}/").status_code == 404
    listing = client.get("/dieu-phoi/").content.decode()
    assert "Lâm Đồng: đón đoàn báo chí" in listing
    assert "Gia Lai: bí mật" not in listing


def test_officer_cannot_change_other_province_by_url(
    client: Client, officer_lam_dong, tasks, organisations
) -> None:
    login(client, officer_lam_dong)
    response = client.post(
        f"/dieu-phoi/nhiem-vu/{tasks['other'].pk}/sua/",
        {"title": "hacked", "organisation": organisations["gia-lai"].pk},
    )
    assert response.status_code == 404
    # creating a task for another province is refused: the form offers only their own unit
    response = client.post(
        "/dieu-phoi/nhiem-vu/moi/",
        {
            "title": "hacked",
            "assigner": organisations["lam-dong"].pk,
            "organisations": [organisations["gia-lai"].pk],
            "priority": "normal",
        },
    )
    assert response.status_code == 200  # re-rendered with an error, nothing created
    assert not Task.objects.filter(title="hacked").exists()
    # and the other province's profile cannot be edited
    response = client.post("/to-chuc/gia-lai/", {"website": "https://evil.example"})
    assert response.status_code == 403
    assert organisations["gia-lai"].website == ""


def test_officer_can_change_own_province(
    client: Client, officer_lam_dong, tasks, organisations
) -> None:
    login(client, officer_lam_dong)
    response = client.post(
        f"/dieu-phoi/nhiem-vu/{tasks['own'].pk}/sua/",
        {
            "title": "Đã cập nhật",
            "status": "accepted",
            "priority": "high",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=tasks["own"].pk)
    assert (task.title, task.status, task.priority) == ("Đã cập nhật", "accepted", "high")


def test_officer_cannot_read_or_change_other_province_by_api(
    client: Client, officer_lam_dong, tasks
) -> None:
    login(client, officer_lam_dong)
    listed = client.get("/api/tasks").json()
    assert [t["id"] for t in listed] == [tasks["own"].pk]
    assert client.get(f"/api/tasks/{tasks['other'].pk}").status_code == 404
    csrf = client.cookies["csrftoken"].value
    response = client.patch(
        f"/api/tasks/{tasks['other'].pk}",
        data=json.dumps({"title": "hacked"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 404
    assert Task.objects.get(pk=tasks["other"].pk).title == "Gia Lai: bí mật"
    response = client.patch(
        f"/api/tasks/{tasks['own'].pk}",
        data=json.dumps({"status": "accepted"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"


def test_viewer_of_own_province_cannot_write(client: Client, organisations, tasks) -> None:
    viewer = UserFactory(role=Role.VIEWER, organisation=organisations["lam-dong"])
    login(client, viewer)
    assert client.get(f"/dieu-phoi/nhiem-vu/{tasks['own'].pk}/").status_code == 200
    assert client.get(f"/dieu-phoi/nhiem-vu/{tasks['own'].pk}/sua/").status_code == 403


def test_analyst_sees_every_province(client: Client, analyst, tasks) -> None:
    login(client, analyst)
    assert client.get(f"/dieu-phoi/nhiem-vu/{tasks['other'].pk}/").status_code == 200
    assert {t["id"] for t in client.get("/api/tasks").json()} == {
        tasks["own"].pk,
        tasks["other"].pk,
    }


def test_api_requires_login(client: Client, tasks) -> None:
    assert client.get("/api/tasks").status_code == 401


def test_pages_require_login(client: Client, organisations) -> None:
    for url in ["/nen-tang/", "/theo-doi/", "/dieu-phoi/", "/to-chuc/", "/nhat-ky/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url
