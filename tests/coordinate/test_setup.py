"""Reference data on staff pages (once Django admin only): programmes, report templates,
reporting periods and targets — created, changed and archived by central through the pages,
refused to everyone else, bad input refused with a clear message and nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.conftest import login
from ttdn.coordinate.models import (
    Programme,
    ProgrammeGroup,
    ReportIndicator,
    ReportingPeriod,
    ReportTemplate,
    Target,
)
from ttdn.coordinate.selectors.submissions import evaluations_with_targets
from ttdn.coordinate.services.setup import (
    period_save,
    programme_save,
    report_template_save,
    target_save,
)
from ttdn.coordinate.services.submissions import (
    period_get_or_create,
    submission_open,
    submission_save,
)
from ttdn.coordinate.services.tasks import task_assign

pytestmark = pytest.mark.django_db

BASE = "/dieu-phoi/thiet-lap"


def _indicator_post(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    data = {"indicators-TOTAL_FORMS": str(len(rows)), "indicators-INITIAL_FORMS": "0",
            "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "60"}  # fmt: skip
    for n, (key, title, kind) in enumerate(rows):
        data |= {f"indicators-{n}-key": key, f"indicators-{n}-title": title,
                 f"indicators-{n}-kind": kind}  # fmt: skip
    return data


def test_central_manages_programmes_on_pages_and_archives_them(
    client: Client, analyst, central
) -> None:
    login(client, analyst)
    response = client.post(f"{BASE}/chuong-trinh/moi/", {
        "code": "ctr-2030", "name": "Chương trình hành động đến 2030", "owner": central.pk,
        "start_year": 2024, "end_year": 2030, "groups": "Tuyên truyền\nĐào tạo\n\nHợp tác",
    })  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    programme = Programme.objects.get(code="ctr-2030")
    assert list(programme.groups.values_list("number", "name")) == [
        (1, "Tuyên truyền"), (2, "Đào tạo"), (3, "Hợp tác"),
    ]  # fmt: skip
    assert "Chương trình hành động đến 2030" in client.get(f"{BASE}/chuong-trinh/").content.decode()
    # renamed group, fewer groups; the assignment form offers it
    response = client.post(f"{BASE}/chuong-trinh/{programme.pk}/sua/", {
        "code": "ctr-2030", "name": "Chương trình 2030", "owner": central.pk,
        "start_year": 2024, "end_year": 2030, "groups": "Thông tin\nĐào tạo",
    })  # fmt: skip
    assert response.status_code == 302
    assert list(programme.groups.values_list("name", flat=True)) == ["Thông tin", "Đào tạo"]
    assert programme.pk in [p.pk for p in client.get("/dieu-phoi/nhiem-vu/moi/")
                            .context["form"].fields["programme"].queryset]  # fmt: skip
    # archived: kept, listed under "archived", no longer offered for new tasks
    assert client.post(f"{BASE}/chuong-trinh/{programme.pk}/luu-tru/",
                       {"archived": "1"}).status_code == 302  # fmt: skip
    assert Programme.objects.get(pk=programme.pk).archived
    offered = client.get("/dieu-phoi/nhiem-vu/moi/").context["form"].fields["programme"].queryset
    assert programme.pk not in [p.pk for p in offered]
    assert "Chương trình 2030" in client.get(f"{BASE}/chuong-trinh/?archived=1").content.decode()
    assert "Chương trình 2030" not in client.get(f"{BASE}/chuong-trinh/").content.decode()
    client.post(f"{BASE}/chuong-trinh/{programme.pk}/luu-tru/", {"archived": "0"})
    assert not Programme.objects.get(pk=programme.pk).archived


def test_programme_bad_input_is_refused_whole(analyst, central, programme, organisations) -> None:
    before = list(programme.groups.values_list("name", flat=True))
    good = {"user": analyst, "programme": programme, "code": "ctr-2030", "name": "X",
            "owner": central, "start_year": 2024, "end_year": 2030,
            "groups": ["A", "B"]}  # fmt: skip
    task_assign(user=analyst, assigner=central, organisations=[organisations["lam-dong"]],
                title="T", due_date=dt.date(2026, 5, 1), programme=programme,
                group=programme.groups.get(number=5))  # fmt: skip
    for change, field in [
        ({"end_year": 2020}, "end_year"),
        ({"code": "Có dấu"}, "code"),
        ({"groups": ["", " "]}, "groups"),
        ({"groups": ["A", "B"]}, "groups"),  # group 5 has a task: it cannot be dropped
        ({"start_year": 2027}, "start_year"),  # the 2026 plan would fall outside
        ({"name": "  "}, "name"),
    ]:
        with pytest.raises(ValidationError) as caught:
            programme_save(**(good | change))
        assert field in caught.value.message_dict, (change, caught.value)
    programme.refresh_from_db()
    assert programme.name == "Chương trình hành động đến 2030"
    assert list(programme.groups.values_list("name", flat=True)) == before
    with pytest.raises(ValidationError):
        programme_save(**(good | {"programme": None}))  # the code is taken
    assert ProgrammeGroup.objects.filter(programme=programme).count() == 5


def test_report_template_with_indicators_then_archived_is_not_offered(
    client: Client, analyst, officer_lam_dong, organisations
) -> None:
    login(client, analyst)
    data = {"name": "Báo cáo năm về thông tin đối ngoại", "period_kind": "annual"}
    # a computed indicator the platform does not compute is refused, nothing saved
    bad = client.post(f"{BASE}/mau-bao-cao/moi/", data | _indicator_post(
        [("events_held", "Sự kiện", "entered"), ("no_such_figure", "Bí ẩn", "computed")]
    ))  # fmt: skip
    assert bad.status_code == 200
    assert "no_such_figure" in bad.content.decode()
    assert not ReportTemplate.objects.exists() and not ReportIndicator.objects.exists()
    response = client.post(f"{BASE}/mau-bao-cao/moi/", data | _indicator_post(
        [("events_held", "Sự kiện đã tổ chức", "entered"),
         ("world_coverage", "Bài báo quốc tế nhắc đến tỉnh", "computed"), ("", "", "entered")]
    ))  # fmt: skip
    assert response.status_code == 302, response.content[:3000]
    template = ReportTemplate.objects.get()
    indicators = list(template.indicators.values_list("key", "kind", "order"))
    assert indicators == [("events_held", "entered", 1), ("world_coverage", "computed", 2)]
    # the registry's definition is filled in for the computed one
    assert template.indicators.get(key="world_coverage").definition
    # a province opens a report on it; then the indicator with figures cannot be dropped
    period = period_get_or_create(kind="annual", year=2026)
    submission = submission_open(user=officer_lam_dong, template=template, period=period,
                                 organisation=organisations["lam-dong"])  # fmt: skip
    submission_save(user=officer_lam_dong, submission=submission, values={"events_held": 4})
    response = client.post(f"{BASE}/mau-bao-cao/{template.pk}/sua/", data | _indicator_post(
        [("world_coverage", "Bài báo quốc tế", "computed")]
    ))  # fmt: skip
    assert response.status_code == 200
    assert template.indicators.count() == 2
    with pytest.raises(ValidationError) as caught:
        report_template_save(user=analyst, template=template, name="X", period_kind="six_month",
                             indicators=[{"key": "events_held", "title": "S"}])  # fmt: skip
    assert "period_kind" in caught.value.message_dict
    # archived: the province's "open a report" form no longer offers it
    client.post(f"{BASE}/mau-bao-cao/{template.pk}/luu-tru/", {"archived": "1"})
    province = login(Client(), officer_lam_dong)
    assert template.pk not in [t.pk for t in province.get("/dieu-phoi/bao-cao/")
                               .context["templates"]]  # fmt: skip


def test_periods_opened_ahead_with_a_due_date_and_archived_closed(analyst) -> None:
    period = period_save(user=analyst, kind="six_month", year=2027, half=1,
                         due_date=dt.date(2027, 7, 20))  # fmt: skip
    assert (period.start, period.end) == (dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    for change, field in [
        ({"due_date": dt.date(2027, 6, 1)}, "due_date"),  # before the period ends
        ({"half": 3}, "half"),
        ({"year": 1990}, "year"),
    ]:
        args = {"user": analyst, "kind": "six_month", "year": 2027, "half": 2,
                "due_date": dt.date(2028, 1, 15)} | change  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            period_save(**args)
        assert field in caught.value.message_dict, change
    with pytest.raises(ValidationError):  # the same period twice
        period_save(user=analyst, kind="six_month", year=2027, half=1,
                    due_date=dt.date(2027, 8, 1))  # fmt: skip
    assert ReportingPeriod.objects.count() == 1
    client = login(Client(), analyst)
    client.post(f"{BASE}/ky-bao-cao/{period.pk}/luu-tru/", {"archived": "1"})
    period.refresh_from_db()
    assert period.archived and period.closed


def test_targets_national_and_per_organisation_archived_leave_the_evaluation(
    client: Client, analyst, officer_lam_dong, organisations
) -> None:
    ReportIndicator.objects.create(
        template=ReportTemplate.objects.create(name="M", period_kind="annual"),
        key="events_held", title="Sự kiện", kind="entered",
    )  # fmt: skip
    login(client, analyst)
    form = {"indicator_key": "events_held", "year": 2026, "value": 120}
    response = client.post(f"{BASE}/muc-tieu/moi/", form)
    assert response.status_code == 302, response.content[:2000]
    national = Target.objects.get(organisation=None)
    lam_dong = target_save(user=analyst, indicator_key="events_held",
                           organisation=organisations["lam-dong"], year=2026, value=8)  # fmt: skip
    target_save(user=analyst, indicator_key="events_held", organisation=organisations["gia-lai"],
                year=2026, value=5)  # fmt: skip
    for change, field in [
        ({"indicator_key": "nope"}, "indicator_key"),
        ({"value": -1}, "value"),
        ({"year": 2026, "organisation": organisations["lam-dong"]}, "year"),  # twice
    ]:
        args = {"user": analyst, "indicator_key": "events_held", "organisation": None,
                "year": 2027, "value": 1} | change  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            target_save(**args)
        assert field in caught.value.message_dict, change
    assert [e.indicator_key for e in evaluations_with_targets(
        organisation=None, last_year=2026, span=3)] == ["events_held"]  # fmt: skip
    client.post(f"{BASE}/muc-tieu/{national.pk}/luu-tru/", {"archived": "1"})
    assert evaluations_with_targets(organisation=None, last_year=2026, span=3) == []
    # a province reads the country's targets and its own, not another province's
    province = login(Client(), officer_lam_dong)
    listed = {r["pk"] for r in province.get(f"{BASE}/muc-tieu/").context["rows"]}
    assert listed == {lam_dong.pk}
    listed = {r["pk"] for r in province.get(f"{BASE}/muc-tieu/?archived=1").context["rows"]}
    assert listed == {national.pk}
    # and may change none of them: the services refuse whatever the caller
    with pytest.raises(PermissionDenied):
        target_save(user=officer_lam_dong, target=lam_dong, indicator_key="events_held",
                    organisation=organisations["lam-dong"], year=2026, value=80)  # fmt: skip
    assert province.post(f"{BASE}/muc-tieu/{lam_dong.pk}/sua/",
                         {"indicator_key": "events_held", "year": 2026,
                          "value": 80}).status_code == 403  # fmt: skip
    assert Target.objects.get(pk=lam_dong.pk).value == 8
