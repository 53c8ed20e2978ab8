"""Every role against every coordinate endpoint, in one table: what each may read (200),
what is hidden from it (404: another organisation's object), what it may not do (403).
The rules come from ttdn.accounts.selectors through ttdn.coordinate.access only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import OrganisationFactory, UserFactory
from ttdn.coordinate.models import (
    IndicatorKind,
    Programme,
    ReportIndicator,
    ReportTemplate,
    Target,
    Task,
)
from ttdn.coordinate.services.awards import (
    award_entry_submit,
    award_season_advance,
    award_season_create,
)
from ttdn.coordinate.services.submissions import (
    period_get_or_create,
    submission_open,
    submission_save,
    submission_submit,
)
from ttdn.coordinate.services.tasks import task_assign

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "central_analyst", "leader", "provincial_officer",
         "mission_officer", "juror", "viewer"]  # fmt: skip
# who belongs where: the provincial officer and the viewer to Lâm Đồng, the mission officer to
# a mission abroad, the juror to a ministry, the central roles to the steering committee
HOME = {"provincial_officer": "lam-dong", "viewer": "lam-dong", "mission_officer": "mission",
        "juror": "bo-van-hoa-the-thao-va-du-lich"}  # fmt: skip

CENTRAL = {"administrator", "central_analyst"}
READ_ALL = CENTRAL | {"leader"}
LAM_DONG_READERS = READ_ALL | {"provincial_officer", "viewer"}
LAM_DONG_ACTORS = CENTRAL | {"provincial_officer"}


def expect(ok: int, allowed: set[str], otherwise: dict[str, int] | int) -> dict[str, int]:
    out = {}
    for role in ROLES:
        if role in allowed:
            out[role] = ok
        elif isinstance(otherwise, int):
            out[role] = otherwise
        else:
            out[role] = otherwise.get(role, 404)
    return out


HIDDEN_OR_FORBIDDEN = {"leader": 403, "viewer": 403}
SETUP_SECTIONS = ("chuong-trinh", "mau-bao-cao", "ky-bao-cao", "muc-tieu")
# (name, method, url, body, expected status per role)
TABLE = [
    ("home", "get", "/dieu-phoi/", None, expect(200, set(ROLES), 0)),
    ("task list", "get", "/dieu-phoi/nhiem-vu/", None, expect(200, set(ROLES), 0)),
    ("assign form", "get", "/dieu-phoi/nhiem-vu/moi/", None, expect(200, set(ROLES), 0)),
    ("own task", "get", "/dieu-phoi/nhiem-vu/{ld}/", None, expect(200, LAM_DONG_READERS, 404)),
    ("other task", "get", "/dieu-phoi/nhiem-vu/{gl}/", None, expect(200, READ_ALL, 404)),
    # a task the mission assigned to Gia Lai: the mission (its assigner) reads it; Lâm Đồng,
    # the ministry and anyone else unrelated to it still cannot
    ("task it assigned", "get", "/dieu-phoi/nhiem-vu/{by_mission}/", None,
     expect(200, READ_ALL | {"mission_officer"}, 404)),
    ("api task it assigned", "get", "/api/tasks/{by_mission}", None,
     expect(200, READ_ALL | {"mission_officer"}, 404)),
    ("unrelated organisation's assigned task", "get", "/dieu-phoi/nhiem-vu/{by_ministry}/", None,
     expect(200, READ_ALL, 404)),
    ("api unrelated organisation's assigned task", "get", "/api/tasks/{by_ministry}", None,
     expect(200, READ_ALL, 404)),
    ("edit task", "get", "/dieu-phoi/nhiem-vu/{ld}/sua/", None,
     expect(200, LAM_DONG_ACTORS, HIDDEN_OR_FORBIDDEN)),
    ("plans", "get", "/dieu-phoi/ke-hoach/", None, expect(200, set(ROLES), 0)),
    ("board", "get", "/dieu-phoi/cham-tre/", None, expect(200, READ_ALL, 403)),
    ("notices", "get", "/dieu-phoi/thong-bao/", None, expect(200, set(ROLES), 0)),
    ("reports", "get", "/dieu-phoi/bao-cao/", None, expect(200, set(ROLES), 0)),
    ("report", "get", "/dieu-phoi/bao-cao/{sub}/", None, expect(200, LAM_DONG_READERS, 404)),
    ("report xlsx", "get", "/dieu-phoi/bao-cao/{sub}/tai/xlsx/", None,
     expect(200, LAM_DONG_READERS, 404)),
    ("roll-up", "get", "/dieu-phoi/bao-cao/tong-hop/", None, expect(200, READ_ALL, 403)),
    ("roll-up xlsx", "get", "/dieu-phoi/bao-cao/tong-hop/tai/xlsx/", None,
     expect(200, READ_ALL, 403)),
    ("evaluation", "get", "/dieu-phoi/danh-gia/", None, expect(200, set(ROLES), 0)),
    ("awards", "get", "/dieu-phoi/giai-thuong/", None, expect(200, set(ROLES), 0)),
    ("season", "get", "/dieu-phoi/giai-thuong/{season}/", None, expect(200, set(ROLES), 0)),
    ("score form", "get", "/dieu-phoi/giai-thuong/{season}/tac-pham/{entry}/cham/", None,
     expect(200, {"juror", "administrator"}, 403)),
    ("api tasks", "get", "/api/tasks", None, expect(200, set(ROLES), 0)),
    ("api own task", "get", "/api/tasks/{ld}", None, expect(200, LAM_DONG_READERS, 404)),
    ("api other task", "get", "/api/tasks/{gl}", None, expect(200, READ_ALL, 404)),
    ("api board", "get", "/api/coordinate/board", None, expect(200, READ_ALL, 403)),
    ("api submissions", "get", "/api/coordinate/submissions", None, expect(200, set(ROLES), 0)),
    ("api submission", "get", "/api/coordinate/submissions/{sub}", None,
     expect(200, LAM_DONG_READERS, 404)),
    ("api roll-up", "get", "/api/coordinate/rollup?period={period}&template={template}", None,
     expect(200, READ_ALL, 403)),
    # an assigned task: the title and dates are the assigner's (central), the progress and
    # status the province's
    ("api patch title", "patch", "/api/tasks/{ld}", {"title": "Đổi tên"},
     expect(200, CENTRAL, {**HIDDEN_OR_FORBIDDEN, "provincial_officer": 403})),
    ("api patch due date", "patch", "/api/tasks/{ld}", {"due_date": "2030-01-31"},
     expect(200, CENTRAL, {**HIDDEN_OR_FORBIDDEN, "provincial_officer": 403})),
    ("api patch progress", "patch", "/api/tasks/{ld}", {"progress": 30},
     expect(200, LAM_DONG_ACTORS, HIDDEN_OR_FORBIDDEN)),
    ("edit form (progress)", "form", "/dieu-phoi/nhiem-vu/{ld}/sua/",
     {"title": "Họp báo", "priority": "normal", "progress": 35},
     expect(302, LAM_DONG_ACTORS, HIDDEN_OR_FORBIDDEN)),
    ("api accept", "post", "/api/tasks/{ld}/accept", {},
     expect(200, LAM_DONG_ACTORS, HIDDEN_OR_FORBIDDEN)),
    ("api close (assigner only)", "post", "/api/tasks/{gl_submitted}/close", {},
     expect(200, CENTRAL, {"leader": 403})),
    ("close period", "post", "/dieu-phoi/bao-cao/ky/{period}/khoa/", {},
     expect(302, CENTRAL, 403)),
    # reference data pages (programmes, report templates, periods, targets): read by every
    # role (targets: the country's and the organisations it may read), changed by central
    *[(f"setup {section}", "get", f"/dieu-phoi/thiet-lap/{section}/", None,
       expect(200, set(ROLES), 0)) for section in SETUP_SECTIONS],
    *[(f"setup new {section}", "get", f"/dieu-phoi/thiet-lap/{section}/moi/", None,
       expect(200, CENTRAL, 403)) for section in SETUP_SECTIONS],
    ("setup edit programme", "get", "/dieu-phoi/thiet-lap/chuong-trinh/{programme}/sua/", None,
     expect(200, CENTRAL, 403)),
    ("setup edit template", "get", "/dieu-phoi/thiet-lap/mau-bao-cao/{template}/sua/", None,
     expect(200, CENTRAL, 403)),
    ("setup edit period", "get", "/dieu-phoi/thiet-lap/ky-bao-cao/{period}/sua/", None,
     expect(200, CENTRAL, 403)),
    ("setup edit Gia Lai's target", "get", "/dieu-phoi/thiet-lap/muc-tieu/{gl_target}/sua/",
     None, expect(200, CENTRAL, {"leader": 403})),
    ("setup edit national target", "get", "/dieu-phoi/thiet-lap/muc-tieu/{target}/sua/", None,
     expect(200, CENTRAL, 403)),
    ("setup create target", "form", "/dieu-phoi/thiet-lap/muc-tieu/moi/",
     {"indicator_key": "events", "year": 2029, "value": 10}, expect(302, CENTRAL, 403)),
    ("setup archive programme", "form", "/dieu-phoi/thiet-lap/chuong-trinh/{programme}/luu-tru/",
     {"archived": "1"}, expect(302, CENTRAL, 403)),
    ("setup archive Gia Lai's target", "form",
     "/dieu-phoi/thiet-lap/muc-tieu/{gl_target}/luu-tru/", {"archived": "1"},
     expect(302, CENTRAL, {"leader": 403})),
    ("api assign", "post", "/api/tasks",
     {"assigner": "ban-chi-dao-ttdn", "organisations": ["lam-dong", "gia-lai"], "title": "Mới"},
     expect(201, CENTRAL, 403)),
]  # fmt: skip


@pytest.fixture
def world(organisations, analyst):  # type: ignore[no-untyped-def]
    organisations["mission"] = OrganisationFactory(slug="dsq-tokyo", name="ĐSQ tại Nhật Bản",
                                                   kind="mission")  # fmt: skip
    central = organisations["ban-chi-dao-ttdn"]
    due = dt.date.today() + dt.timedelta(days=30)
    first = task_assign(user=analyst, assigner=central, title="Họp báo",
                        organisations=[organisations["lam-dong"], organisations["gia-lai"]],
                        due_date=due)  # fmt: skip
    second = task_assign(user=analyst, assigner=central, title="Ảnh",
                         organisations=[organisations["gia-lai"]], due_date=due)  # fmt: skip
    submitted = second.tasks.get()
    Task.objects.filter(pk=submitted.pk).update(status="submitted")
    # tasks a non-central organisation assigned to Gia Lai (recorded by central)
    by_mission = task_assign(user=analyst, assigner=organisations["mission"], title="Triển lãm",
                             organisations=[organisations["gia-lai"]], due_date=due)  # fmt: skip
    ministry = organisations["bo-van-hoa-the-thao-va-du-lich"]
    by_ministry = task_assign(user=analyst, assigner=ministry, title="Phim",
                              organisations=[organisations["gia-lai"]], due_date=due)  # fmt: skip
    template = ReportTemplate.objects.create(name="6 tháng", period_kind="six_month")
    ReportIndicator.objects.create(template=template, key="events", title="Sự kiện",
                                   kind=IndicatorKind.ENTERED)  # fmt: skip
    period = period_get_or_create(kind="six_month", year=2026, half=1)
    submission = submission_open(user=analyst, template=template, period=period,
                                 organisation=organisations["lam-dong"])  # fmt: skip
    submission_save(user=analyst, submission=submission, values={"events": 3})
    submission_submit(user=analyst, submission=submission)
    season = award_season_create(user=analyst, name="Giải", year=2026, categories=["Ảnh"],
                                 criteria=[("Nội dung", 10)])  # fmt: skip
    entry = award_entry_submit(user=analyst, season=season, category=season.categories.get(),
                               organisation=organisations["gia-lai"], title="Ảnh", authors="A",
                               url="https://gialai.vn/anh")  # fmt: skip
    award_season_advance(user=analyst, season=season, status="judging")
    programme = Programme.objects.create(code="ctr", name="Chương trình", owner=central,
                                         start_year=2024, end_year=2030)  # fmt: skip
    target = Target.objects.create(indicator_key="events", year=2026, value=100)
    gl_target = Target.objects.create(indicator_key="events", year=2026, value=5,
                                      organisation=organisations["gia-lai"])  # fmt: skip
    return {
        "programme": programme.pk,
        "target": target.pk,
        "gl_target": gl_target.pk,
        "ld": first.tasks.get(organisation__slug="lam-dong").pk,
        "gl": first.tasks.get(organisation__slug="gia-lai").pk,
        "gl_submitted": submitted.pk,
        "by_mission": by_mission.tasks.get().pk,
        "by_ministry": by_ministry.tasks.get().pk,
        "sub": submission.pk,
        "period": period.pk,
        "template": template.pk,
        "season": season.pk,
        "entry": entry.pk,
    }


def _user(role: str, organisations):  # type: ignore[no-untyped-def]
    if role == "administrator":
        return UserFactory(role=role, is_staff=True, is_superuser=True,
                           organisation=organisations["ban-chi-dao-ttdn"])  # fmt: skip
    return UserFactory(role=role, organisation=organisations[HOME.get(role, "ban-chi-dao-ttdn")])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_endpoint(client: Client, organisations, world, role) -> None:
    login(client, _user(role, organisations))
    csrf = client.cookies["csrftoken"].value
    wrong = []
    for name, method, url, body, expected in TABLE:
        if expected[role] == 0:
            expected = {**expected, role: 200}
        path = url.format(**world)
        if method == "get":
            response = client.get(path)
        elif method == "form":  # a page's form: url-encoded, as a browser posts it
            response = client.post(path, data=body)
        else:
            response = getattr(client, method)(
                path, data=json.dumps(body), content_type="application/json",
                HTTP_X_CSRFTOKEN=csrf,
            )  # fmt: skip
        if response.status_code != expected[role]:
            wrong.append(f"{name}: {method.upper()} {path} -> {response.status_code}, "
                         f"expected {expected[role]}")  # fmt: skip
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_anonymous_gets_login_or_401(client: Client, world) -> None:
    for _name, method, url, _body, _expected in TABLE:
        path = url.format(**world)
        response = getattr(client, "post" if method == "form" else method)(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), path
        else:
            assert response.status_code == 302 and "/dang-nhap/" in response["Location"], path
