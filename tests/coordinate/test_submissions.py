"""Periodic reports: computed figures filled with their definition, overrides need a reason,
closed periods and double submissions refused, review loop, former units on today's map,
the national roll-up and its PDF/XLSX exports, the evaluation against targets."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories import ReportFactory
from ttdn.accounts.models import OrganisationAlias
from ttdn.coordinate.models import (
    IndicatorKind,
    PeriodKind,
    ReportIndicator,
    ReportTemplate,
    Submission,
    SubmissionValue,
    Target,
)
from ttdn.coordinate.selectors.submissions import evaluation_get, rollup_get
from ttdn.coordinate.services.submissions import (
    period_close,
    period_get_or_create,
    submission_open,
    submission_review,
    submission_save,
    submission_submit,
)
from ttdn.core.computed import computed_get, register
from ttdn.monitor.models import PlaceMention

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):  # type: ignore[no-untyped-def]
    template = ReportTemplate.objects.create(
        name="Báo cáo 6 tháng", period_kind=PeriodKind.SIX_MONTH
    )
    ReportIndicator.objects.create(
        template=template,
        key="events",
        title="Sự kiện đã tổ chức",
        kind=IndicatorKind.ENTERED,
        order=1,
    )
    ReportIndicator.objects.create(
        template=template,
        key="world_coverage",
        title="Bài báo quốc tế",
        kind=IndicatorKind.COMPUTED,
        order=2,
    )
    return template


@pytest.fixture
def period(db):  # type: ignore[no-untyped-def]
    return period_get_or_create(kind=PeriodKind.SIX_MONTH, year=2026, half=1)


def _mention(key: str, when: dt.datetime) -> None:
    report = ReportFactory(published_at=when)
    PlaceMention.objects.create(report=report, kind="unit", key=key, alias=key, start=0, end=1)


def test_computed_registry_has_measure_figures_and_accepts_other_apps() -> None:
    assert computed_get("world_coverage") is not None
    assert computed_get("alerts_received") is not None
    register("respond_cases", title="Hồ sơ", definition="d", compute=lambda o, a, b: 7.0)
    assert (
        computed_get("respond_cases").compute(None, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
        == 7.0
    )


def test_open_fills_computed_and_override_needs_reason(
    officer_lam_dong, organisations, template, period
) -> None:
    when = dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)
    _mention("lam-dong", when)
    _mention("lam-dong", when)
    _mention("dak-nong", when)  # a former unit, now part of Lâm Đồng
    _mention("gia-lai", when)
    _mention("lam-dong", dt.datetime(2026, 8, 1, tzinfo=dt.UTC))  # another period
    submission = submission_open(
        user=officer_lam_dong,
        template=template,
        period=period,
        organisation=organisations["lam-dong"],
    )
    computed = submission.values.get(indicator__key="world_coverage")
    assert computed.computed_value == 3 and computed.value == 3  # former units counted
    # an override without a reason is refused, and the entered figure is not half-saved
    with pytest.raises(ValidationError) as err:
        submission_save(
            user=officer_lam_dong,
            submission=submission,
            values={"events": "12", "world_coverage": "999"},
        )
    assert "world_coverage" in err.value.message_dict
    assert submission.values.get(indicator__key="events").value is None
    submission_save(
        user=officer_lam_dong,
        submission=submission,
        values={"events": "12", "world_coverage": "999"},
        reasons={"world_coverage": "Thêm báo in chưa số hóa"},
    )
    row = SubmissionValue.objects.get(submission=submission, indicator__key="world_coverage")
    assert (row.value, row.override_reason) == (999, "Thêm báo in chưa số hóa")
    with pytest.raises(ValidationError):
        submission_save(user=officer_lam_dong, submission=submission, values={"events": "abc"})
    # the same report is returned, not a second one
    again = submission_open(
        user=officer_lam_dong,
        template=template,
        period=period,
        organisation=organisations["lam-dong"],
    )
    assert again.pk == submission.pk and Submission.objects.count() == 1


def test_submit_review_return_resubmit_approve_lock(
    officer_lam_dong, analyst, organisations, template, period
) -> None:
    submission = submission_open(
        user=officer_lam_dong,
        template=template,
        period=period,
        organisation=organisations["lam-dong"],
    )
    with pytest.raises(ValidationError) as err:
        submission_submit(user=officer_lam_dong, submission=submission)
    assert "Sự kiện đã tổ chức" in err.value.messages[0]  # says what is missing
    submission_save(user=officer_lam_dong, submission=submission, values={"events": "5"})
    submission = submission_submit(user=officer_lam_dong, submission=submission)
    with pytest.raises(ValidationError):  # no double submission
        submission_submit(user=officer_lam_dong, submission=submission)
    with pytest.raises(PermissionDenied):  # a province does not review
        submission_review(user=officer_lam_dong, submission=submission, approve=True)
    with pytest.raises(ValidationError):
        submission_review(user=analyst, submission=submission, approve=False, comment="")
    submission = submission_review(
        user=analyst, submission=submission, approve=False, comment="Bổ sung số liệu hội nghị"
    )
    assert submission.status == "returned"
    submission_save(user=officer_lam_dong, submission=submission, values={"events": "7"})
    submission = submission_submit(user=officer_lam_dong, submission=submission)
    assert submission.version == 2
    submission = submission_review(user=analyst, submission=submission, approve=True)
    assert submission.status == "approved"
    with pytest.raises(ValidationError):  # locked
        submission_save(user=officer_lam_dong, submission=submission, values={"events": "9"})
    assert [e.action for e in submission.events.all()] == [
        "open",
        "save",
        "submit",
        "return",
        "save",
        "submit",
        "approve",
    ]


def test_closed_period_refuses_submissions(
    officer_lam_dong, analyst, organisations, template
) -> None:
    period = period_get_or_create(kind=PeriodKind.SIX_MONTH, year=2025, half=2)
    period_close(user=analyst, period=period)
    with pytest.raises(ValidationError) as err:
        submission_open(
            user=officer_lam_dong,
            template=template,
            period=period,
            organisation=organisations["lam-dong"],
        )
    assert "period" in err.value.message_dict
    assert not Submission.objects.exists()
    with pytest.raises(PermissionDenied):
        period_close(user=officer_lam_dong, period=period, closed=False)


def test_rollup_counts_former_units_on_today_province_and_exports(
    analyst, officer_lam_dong, organisations, template, client: Client
) -> None:
    period = period_get_or_create(kind=PeriodKind.SIX_MONTH, year=2024, half=1)
    lam_dong = organisations["lam-dong"]
    former = OrganisationAlias.objects.filter(organisation=lam_dong).exclude(slug="lam-dong")
    assert former.count() >= 2  # Đắk Nông, Bình Thuận
    for alias in former[:2]:
        s = submission_open(
            user=analyst, template=template, period=period, organisation=lam_dong, former_unit=alias
        )
        submission_save(user=analyst, submission=s, values={"events": "4"})
        submission_review(
            user=analyst, submission=submission_submit(user=analyst, submission=s), approve=True
        )
    rollup = rollup_get(period=period, template=template)
    assert len(rollup.rows) >= 34
    row = next(r for r in rollup.rows if r.organisation.slug == "lam-dong")
    assert row.values["events"] == 8.0 and len(row.former_units) == 2
    assert row.status == "approved"
    assert rollup.totals["events"] == 8.0
    assert rollup.status_counts["missing"] == len(rollup.rows) - 1
    login(client, analyst)
    query = f"?period={period.pk}&template={template.pk}"
    page = client.get(f"/dieu-phoi/bao-cao/tong-hop/{query}")
    assert page.status_code == 200 and "rollup-data" in page.content.decode()
    xlsx = client.get(f"/dieu-phoi/bao-cao/tong-hop/tai/xlsx/{query}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=3).value
        for r in range(2, sheet.max_row + 1)
    }
    assert names["Lâm Đồng"] == 8.0
    pdf = client.get(f"/dieu-phoi/bao-cao/tong-hop/tai/pdf/{query}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    one = client.get(f"/dieu-phoi/bao-cao/{row.submission_id}/tai/pdf/")
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    api = client.get(f"/api/coordinate/rollup?period={period.pk}&template={template.pk}").json()
    ld = next(r for r in api["rows"] if r["organisation"] == "lam-dong")
    assert ld["values"]["events"] == 8.0 and api["totals"]["events"] == 8.0
    client.logout()
    login(client, officer_lam_dong)  # a province sees no national roll-up
    assert client.get(f"/dieu-phoi/bao-cao/tong-hop/{query}").status_code == 403


def test_evaluation_against_targets(analyst, organisations, db) -> None:
    template = ReportTemplate.objects.create(name="Năm", period_kind=PeriodKind.ANNUAL)
    ReportIndicator.objects.create(
        template=template, key="events", title="Sự kiện", kind=IndicatorKind.ENTERED
    )
    for year, n in [(2023, 10), (2024, 20)]:
        period = period_get_or_create(kind=PeriodKind.ANNUAL, year=year)
        for slug in ("lam-dong", "gia-lai"):
            s = submission_open(
                user=analyst, template=template, period=period, organisation=organisations[slug]
            )
            submission_save(user=analyst, submission=s, values={"events": n})
            submission_review(
                user=analyst, approve=True, submission=submission_submit(user=analyst, submission=s)
            )
    Target.objects.create(indicator_key="events", year=2024, value=50)
    evaluation = evaluation_get(indicator_key="events", last_year=2025, span=3)
    assert evaluation.years == [2023, 2024, 2025]
    assert evaluation.actual == [20.0, 40.0, None]
    assert evaluation.rows[1] == (2024, 40.0, 50.0, 80.0)
    one = evaluation_get(
        indicator_key="events", last_year=2024, span=3, organisation=organisations["gia-lai"]
    )
    assert one.actual == [None, 10.0, 20.0]
