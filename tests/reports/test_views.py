"""The report page, its status endpoint and downloads, as each role sees them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.audit.models import AuditEvent
from ttdn.core.processes import owner
from ttdn.reports.models import PeriodicReport, ReportStatus
from ttdn.reports.services import report_generate

pytestmark = pytest.mark.django_db

URL = "/do-luong/bao-cao/"


@pytest.fixture
def officer_ha_noi(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["ha-noi"])


def _request(client: Client, **data: str):  # type: ignore[no-untyped-def]
    return client.post(URL, {"kind": "six_month", "year": "2025", "half": "1", **data})


def _lam_dong_report(officer, django_capture_on_commit_callbacks) -> PeriodicReport:  # type: ignore[no-untyped-def]
    client = login(Client(), officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _request(client, organisation="lam-dong")
    assert response.status_code == 302, response.content[:500]
    assert len(callbacks) == 1  # the background job is handed over after commit
    report = PeriodicReport.objects.get()
    assert report.status == ReportStatus.QUEUED and report.requested_by == officer
    return report


def test_officer_requests_polls_and_downloads(
    world, officer_lam_dong, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _lam_dong_report(officer_lam_dong, django_capture_on_commit_callbacks)
    client = login(Client(), officer_lam_dong)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Báo cáo 6 tháng đầu năm 2025 — Lâm Đồng" in page.content.decode()
    status = client.get(f"{URL}{report.pk}/trang-thai/").json()
    assert status["status"] == "queued" and status["pdf_url"] is None

    report_generate(report_id=report.pk)  # what the worker thread does
    status = client.get(f"{URL}{report.pk}/trang-thai/").json()
    assert status["status"] == "done" and status["progress"] == 100
    pdf = client.get(status["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = client.get(status["xlsx_url"])
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    # the request and its outcome are in the audit log
    actions = list(
        AuditEvent.objects.filter(object_type="reports.PeriodicReport").values_list(
            "action", flat=True
        )
    )
    assert "create" in actions and "update" in actions


def test_other_province_gets_404_central_sees_all(
    world, officer_lam_dong, officer_ha_noi, analyst, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _lam_dong_report(officer_lam_dong, django_capture_on_commit_callbacks)
    report_generate(report_id=report.pk)
    other = login(Client(), officer_ha_noi)
    for path in ("trang-thai/", "tai/pdf/", "tai/xlsx/"):
        assert other.get(f"{URL}{report.pk}/{path}").status_code == 404, path
    assert "Lâm Đồng" not in other.get(URL).content.decode()
    # nor can they ask for a report of another province
    response = _request(other, organisation="lam-dong")
    assert response.status_code == 400 and not PeriodicReport.objects.exclude(pk=report.pk)

    central = login(Client(), analyst)
    assert "Báo cáo 6 tháng đầu năm 2025 — Lâm Đồng" in central.get(URL).content.decode()
    assert central.get(f"{URL}{report.pk}/tai/pdf/").status_code == 200
    assert central.get(f"{URL}{report.pk}/tai/doc/").status_code == 404


def test_bad_period_is_a_clear_400(world, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), officer_lam_dong)
    response = _request(client, organisation="lam-dong", year="2099")
    assert response.status_code == 400
    assert "Kỳ báo cáo chưa bắt đầu" in response.content.decode()
    response = client.post(
        URL,
        {"kind": "custom", "organisation": "lam-dong", "date_from": "2025-03-16",
         "date_to": "2025-03-03"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”" in response.content.decode()
    assert not PeriodicReport.objects.exists()


def test_failed_job_shows_a_readable_error(
    world, officer_lam_dong, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _lam_dong_report(officer_lam_dong, django_capture_on_commit_callbacks)

    def broken(*args: object, **kwargs: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr("ttdn.reports.pdf.render_pdf", broken)
    assert report_generate(report_id=report.pk).status == ReportStatus.FAILED
    client = login(Client(), officer_lam_dong)
    status = client.get(f"{URL}{report.pk}/trang-thai/").json()
    assert status["status"] == "failed" and status["status_label"] == "Lỗi"
    assert "disk full" in status["error"] and "Hãy thử lại" in status["error"]
    assert client.get(f"{URL}{report.pk}/tai/pdf/").status_code == 404
    assert "disk full" in client.get(URL).content.decode()


def test_viewer_sees_no_form_and_cannot_request(world, viewer_user) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), viewer_user)
    page = client.get(URL)
    assert page.status_code == 200 and 'id="report-form"' not in page.content.decode()
    assert _request(client, organisation="bo-ngoai-giao").status_code == 400
    assert not PeriodicReport.objects.exists()


def test_english_interface(world, analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    page = client.get(URL).content.decode()
    assert "Periodic reports" in page and "Six-month report" in page


def test_staff_api_scopes_like_the_pages(
    world, officer_lam_dong, officer_ha_noi, analyst, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    own = login(Client(), officer_lam_dong)
    with django_capture_on_commit_callbacks(execute=False):
        created = own.post(
            "/api/reports/",
            {"kind": "six_month", "organisation": "lam-dong", "year": 2025, "half": 1},
            content_type="application/json",
        )
    assert created.status_code == 202, created.content
    report_id = created.json()["id"]
    assert created.json()["status"] == "queued"
    assert own.get(f"/api/reports/{report_id}").json()["id"] == report_id
    bad = own.post(
        "/api/reports/",
        {"kind": "annual", "organisation": "lam-dong", "year": 2099},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "chưa bắt đầu" in bad.json()["detail"]
    other = login(Client(), officer_ha_noi)
    assert other.get(f"/api/reports/{report_id}").status_code == 404
    assert other.get("/api/reports/").json() == []
    assert (
        other.post(
            "/api/reports/",
            {"kind": "annual", "organisation": "lam-dong", "year": 2025},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert [r["id"] for r in login(Client(), analyst).get("/api/reports/").json()] == [report_id]
    schema = own.get("/api/openapi.json")
    assert schema.status_code == 200 and "/api/reports/{report_id}" in schema.json()["paths"]


def test_retry_failed_and_delete(
    world, officer_lam_dong, officer_ha_noi, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from ttdn.reports.services import report_file_path

    report = _lam_dong_report(officer_lam_dong, django_capture_on_commit_callbacks)
    with monkeypatch.context() as patch:
        patch.setattr("ttdn.reports.pdf.render_pdf", lambda *a, **k: 1 / 0)
        assert report_generate(report_id=report.pk).status == ReportStatus.FAILED
    other = login(Client(), officer_ha_noi)
    assert other.post(f"{URL}{report.pk}/thu-lai/").status_code == 404
    assert other.post(f"{URL}{report.pk}/xoa/").status_code == 404

    client = login(Client(), officer_lam_dong)
    assert "Thử lại" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(f"{URL}{report.pk}/thu-lai/").status_code == 302
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.error == ""
    # a report being made (by a live process: this one) cannot be deleted
    PeriodicReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, worker=owner(), started_at=timezone.now()
    )
    client.post(f"{URL}{report.pk}/xoa/")
    assert PeriodicReport.objects.filter(pk=report.pk).exists()
    PeriodicReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, worker="")
    report = report_generate(report_id=report.pk)
    assert report.status == ReportStatus.DONE
    pdf = report_file_path(report, "pdf")
    assert client.post(f"{URL}{report.pk}/xoa/").status_code == 302
    assert not PeriodicReport.objects.filter(pk=report.pk).exists() and not pdf.exists()
    assert client.post(f"{URL}{report.pk}/nhan-ban/").status_code == 404
