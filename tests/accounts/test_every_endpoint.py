"""Every staff page and API route × every role, built from the URL resolver.

The endpoints are not listed by hand: the test walks Django's URL resolver (every named
route of every app, the staff API and the open API; the two admin sites and the portal's
Wagtail pages have their own tests), so a new endpoint is checked the day it is added — and
an endpoint with no rule in `RULES` fails the test until someone decides who may open it.

A rule says who may GET the endpoint, and what they get: "KIND" or "KIND STATUS", where
STATUS is the answer of those who may (200 unless said: 302 for a page that sends on).
- "public": anyone, signed in or not;
- "absent": nobody: django-ninja's API root, a marker it needs to build paths (404);
- "staff": every signed-in role; nobody anonymous;
- "roles:a,b": those roles; the others get 403 (or 404: hidden);
- "readable": an object of an organisation (its id filled from the fixtures below): a role
  gets it exactly when that organisation is in `organisations_readable(user)` — the one
  selector — and 404 (or 403) otherwise;
- "actable": a form that changes such an object (its edit page, a delete's confirmation):
  exactly when the organisation is in `organisations_actable(user)`; 404 or 403 otherwise;
- "acting": a form that creates something for an organisation: a role gets it exactly when
  `organisations_actable(user)` is not empty, 403 otherwise;
- "post": it only changes things (GET answers 405, anonymous POST goes to the login);
- "stream": a live event stream (checked anonymously here; signed in: tests/monitor).
Anonymous callers never get a 2xx from anything but "public". Each endpoint is called with
valid parameters (`world["queries"]`), so the table checks permission, not validation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import ReportFactory, StoryFactory, UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.accounts.selectors import organisations_actable, organisations_readable
from ttdn.alerts.models import Alert
from ttdn.alerts.services import alert_rule_create
from ttdn.coordinate.demo import coordinate_demo_load
from ttdn.coordinate.models.awards import AwardEntry, AwardSeason, SeasonStatus
from ttdn.coordinate.models.submissions import ReportingPeriod, Submission
from ttdn.coordinate.models.tasks import Plan, Task
from ttdn.core.models import FailureStatus, JobFailure
from ttdn.demo.corpus import feed_items
from ttdn.measure.services import api_key_create, saved_search_create
from ttdn.reports.models import PeriodicReport, ReportSchedule, ReportStatus
from ttdn.reports.services import reports_dir
from ttdn.respond.demo import respond_demo_load
from ttdn.respond.models import Answer, Case, Claim

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
# namespaces with tests of their own: Django's admin and Wagtail's (the CMS)
SKIPPED_NAMESPACES = ("admin", "wagtail")
SKIPPED_PREFIXES = ("quang-ba/", "vi/", "^(?P<code>", "i18n/", "static/", "media/")

RULES: dict[str, str] = {
    # the shell
    "home": "staff",
    "overview": "staff",
    "robots_txt": "public",
    "favicon": "public 301",  # to the static file
    "login": "public",
    "logout": "post",
    "two_factor": "staff",
    # monitor
    "monitor": "staff",
    "monitor_stream": "stream",
    "story_detail": "staff",
    "story_tone": "staff",
    "monitor_health": "staff",
    "job_failure_requeue": "post",
    # a hub's verification of intent: the same answer for everyone, the unknown token's
    # 404 here (a real verification changes the subscription: tests/monitor/test_websub*)
    "websub_callback": "public 404",
    # measure and its reports
    "measure": "staff",
    "measure_data": "staff",
    "measure_definitions": "staff",
    "measure_definition": "staff",
    "measure_search": "staff",
    "measure_saved_search": "readable 302",  # runs it: to the search page
    "measure_saved_search_delete": "post",
    "overview_country": "staff",
    "measure_api_keys": "staff",
    "measure_api_key_revoke": "post",
    "reports:archive": "staff",
    "reports:status": "readable",
    "reports:download": "readable",
    "reports:action": "post",
    "reports:schedule_create": "post",
    "reports:schedule_delete": "post",
    # alerts
    "alerts:inbox": "staff",
    "alerts:alert_detail": "readable",
    "alerts:mark_all_read": "post",
    "alerts:rule_list": "staff",
    "alerts:rule_new": "acting",
    "alerts:rule_edit": "actable",
    "alerts:rule_delete": "actable",  # GET: the confirmation
    "alerts:latency": "staff",
    # respond
    "respond": "staff",
    "respond_claim_new": "staff",
    "respond_claim": "readable",
    "respond_claim_dismiss": "post",
    "respond_case_new": "post",  # opened from a claim's page
    "respond_case": "readable",
    "respond_case_status": "post",
    "respond_case_answer": "post",
    "respond_answer_approve": "post",
    "respond_case_rating": "post",
    "respond_case_publish": "post",
    "respond_case_evidence": "post",
    "respond_case_fact": "post",
    "respond_case_note": "post",
    "respond_case_hand_over": "post",
    "respond_notifications_read": "post",
    "respond_followup": "staff",
    "respond_public_list": "public",
    "respond_feed_json": "public",
    "respond_feed_rss": "public",
    "respond_feed_atom": "public",
    "respond_public": "public",
    # coordinate (its object rules in detail: tests/coordinate/test_roles_table.py)
    "coordinate": "staff",
    "coordinate_tasks": "staff",
    "task_new": "staff",
    "task_detail": "readable",
    "task_edit": "actable",
    "coordinate_task_comment": "post",
    "coordinate_task_evidence": "post",
    "coordinate_task_action": "post",
    "coordinate_plans": "staff",
    "coordinate_plan": "readable",
    "coordinate_plan_from_template": "post",
    "coordinate_board": "roles:administrator,central_analyst,leader",
    "coordinate_notifications": "staff",
    "coordinate_reports": "staff",
    "coordinate_report_open": "post",
    "coordinate_rollup": "roles:administrator,central_analyst,leader",
    "coordinate_rollup_download": "roles:administrator,central_analyst,leader",
    "coordinate_report": "readable",
    "coordinate_report_download": "readable",
    "coordinate_report_action": "post",
    "coordinate_period": "post",
    "coordinate_evaluation": "staff",
    "coordinate_awards": "staff",
    "coordinate_award": "staff",
    "coordinate_award_entry": "post",
    "coordinate_award_score": "roles:administrator,juror",
    "coordinate_award_winners": "public",  # once published
    "coordinate_award_action": "post",
    "coordinate_setup_index": "staff 302",  # to its first section
    "coordinate_setup": "staff",
    "coordinate_setup_new": "roles:administrator,central_analyst",
    "coordinate_setup_edit": "roles:administrator,central_analyst",
    "coordinate_setup_archive": "post",
    # organisations and the audit log
    "organisation_list": "staff",
    # the directory card (name, kind, former units, website): like the list, for every
    # signed-in role; editing it is acting for the organisation (tests/accounts)
    "organisation_detail": "staff",
    "audit_log": "roles:administrator",
    # the portal's staff page and its public doors
    "portal_pickups": "staff",
    "portal_sitemap": "public",
    "root": "public 302",  # to the reader's language
    # the demo site (fake news outlets for the replay)
    "demo_feed": "public",
    "demo_article": "public",
    # the staff API (/api/, session sign-in)
    "api:openapi-json": "staff",
    "api:openapi-view": "staff",
    "api:api-root": "absent",
    "api:organisations": "staff",
    "api:saved_searches": "staff",
    "api:saved_search_new": "post",
    "api:saved_search_detail": "readable",
    "api:saved_search_remove": "post",
    "api:search": "staff",
    "api:reports": "staff",
    "api:report_new": "post",
    "api:report_detail": "readable",
    "api:tasks": "staff",
    "api:task_assign_api": "post",
    "api:task_detail": "readable",
    "api:task_patch": "post",
    "api:task_action": "post",
    "api:board": "roles:administrator,central_analyst,leader",
    "api:submissions": "staff",
    "api:submission_detail": "readable",
    "api:rollup": "roles:administrator,central_analyst,leader",
    # the open API (keys, rate limits: tests/measure)
    "open_api:openapi-json": "public",
    "open_api:openapi-view": "public",
    "open_api:api-root": "absent",
    "open_api:indicator_list": "public",
    "open_api:indicator_data": "public",
    "open_api:story_list": "public",
    "open_api:story_detail": "public",
    "open_api:report_list": "public",
    "open_api:fact_checks": "public",
    "open_api:portal_page_list": "public",
    "open_api:portal_fact_sheets": "public",
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str
    params: tuple[str, ...]


def endpoints() -> list[Endpoint]:
    """Every named route outside the admin sites and the portal's pages."""
    found: dict[str, Endpoint] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace and pattern.namespace.startswith(SKIPPED_NAMESPACES):
                    continue
                walk(pattern, route, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if route.startswith(SKIPPED_PREFIXES):
                    continue
                name = namespace + pattern.name
                params = tuple(pattern.pattern.regex.groupindex)
                found.setdefault(name, Endpoint(name, route, params))

    walk(get_resolver(), "", "")
    return sorted(found.values(), key=lambda e: e.name)


def test_every_endpoint_has_a_declared_rule() -> None:
    names = {e.name for e in endpoints()}
    assert len(names) > 120  # the walk found the apps' routes
    assert sorted(names - set(RULES)) == [], "endpoints with no rule: declare who may open them"
    assert sorted(set(RULES) - names) == [], "rules of endpoints that no longer exist"


# --- the fixtures that fill the parameters -------------------------------------------------


@pytest.fixture
def world(organisations: dict[str, Organisation], settings: Any, tmp_path: Any) -> dict[str, Any]:
    """One object of every kind an endpoint takes, each owned by Lâm Đồng when it has an
    organisation (so that a reader of another province must not see it)."""
    settings.DATA_DIR = str(tmp_path)  # report files and the demo replay's start
    # one client calls every open endpoint for nine roles: the anonymous rate limit would
    # answer 429 (the limit itself: tests/measure/test_open_api.py)
    settings.TTDN_OPEN_API_PUBLIC_RATE = "100000/min"
    coordinate_demo_load()
    respond_demo_load()
    lam_dong = organisations["lam-dong"]
    Organisation.objects.create(
        slug="dsq-viet-nam-tai-phap", name="Đại sứ quán Việt Nam tại Pháp", kind="mission"
    )
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    story = StoryFactory()
    ReportFactory(story=story)
    rule = alert_rule_create(
        user=officer, organisation=lam_dong, name="Lâm Đồng", keywords=["Đà Lạt"]
    )
    now = timezone.now()
    alert = Alert.objects.create(
        organisation=lam_dong, rule=rule, rule_name=rule.name, title="x", trigger="match",
        created_at=now, reference_at=now,
    )  # fmt: skip
    saved = saved_search_create(user=officer, name="Đà Lạt", query="Đà Lạt")
    key, _secret = api_key_create(user=officer, organisation=lam_dong, name="k")
    report = PeriodicReport.objects.create(
        organisation=lam_dong, requested_by=officer, kind="custom", status=ReportStatus.DONE,
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 1, 31),
        xlsx_file="lam-dong-2026-01.xlsx",
    )  # fmt: skip
    (reports_dir() / report.xlsx_file).write_bytes(b"PK\x03\x04 not opened here")
    schedule = ReportSchedule.objects.create(
        kind="annual", organisation=lam_dong, next_run_at=now + dt.timedelta(days=30),
        created_by=officer,
    )  # fmt: skip
    failure = JobFailure.objects.create(
        name="monitor.item_ingest", status=FailureStatus.QUARANTINED, reason="http_404"
    )
    case = Case.objects.filter(organisation=lam_dong).first() or Case.objects.first()
    claim = Claim.objects.filter(organisation=case.organisation).first() or Claim.objects.first()
    submission = Submission.objects.filter(organisation=lam_dong).first()
    season = AwardSeason.objects.first()
    published_season = AwardSeason.objects.create(
        name="Giải đã công bố", year=2025, status=SeasonStatus.PUBLISHED, published_at=now
    )
    published_case = Case.objects.exclude(slug="").first()
    demo_item = feed_items("danes-vi")[0]  # among the first shown by the replay
    return {
        "officer": officer,
        "objects": {
            "story_id": story,
            "failure_id": failure,
            "saved_id": saved,
            "key_id": key,
            "report_id": report,
            "alert_id": alert,
            "rule_id": rule,
            "claim_id": claim,
            "case_id": case,
            "answer_id": Answer.objects.filter(case=case).first() or Answer.objects.first(),
            "task_id": Task.objects.filter(organisation=lam_dong).first(),
            "plan_id": Plan.objects.first(),
            "submission_id": submission,
            "period_id": ReportingPeriod.objects.first(),
            "season_id": season,
            "entry_id": AwardEntry.objects.filter(season=season).first(),
            "schedule_id": schedule,
            "slug": lam_dong,
        },
        "values": {
            "key": "volume",
            "fmt": "xlsx",
            "country": "FR",
            "action": "retry",
            "token": "no-such-token",
            "name": demo_item.feed,
            "item_id": demo_item.id,
            "section": "ky-bao-cao",  # coordinate's set-up: reporting periods
            "pk": ReportingPeriod.objects.first().pk,
        },
        # parameters of one endpoint that differ from the shared ones above
        "overrides": {
            "respond_public": {"slug": published_case.slug if published_case else "none"},
            "measure_definition": {"key": "volume"},
            "coordinate_award_winners": {"season_id": published_season.pk},
        },
        # the query string a valid request carries
        "queries": {
            "api:search": {"q": "Đà Lạt"},
            "api:rollup": {"period": submission.period_id, "template": submission.template_id},
        },
    }


def _kwargs(endpoint: Endpoint, world: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for param in endpoint.params:
        obj = world["objects"].get(param)
        if obj is not None:
            out[param] = obj.slug if param == "slug" and hasattr(obj, "slug") else obj.pk
        elif param in world["values"]:
            out[param] = world["values"][param]
        else:
            raise AssertionError(f"{endpoint.name}: no fixture for parameter {param!r}")
    out.update(world["overrides"].get(endpoint.name, {}))
    return out


def _url(endpoint: Endpoint, world: dict[str, Any]) -> str:
    url = reverse(endpoint.name, kwargs=_kwargs(endpoint, world))
    query = world["queries"].get(endpoint.name)
    return f"{url}?{urlencode(query)}" if query else url


def _owner(endpoint: Endpoint, world: dict[str, Any]) -> Organisation | None:
    """The organisation whose readers may open this object (the last object parameter)."""
    for param in reversed(endpoint.params):
        obj = world["objects"].get(param)
        if isinstance(obj, Organisation):
            return obj
        if obj is not None and getattr(obj, "organisation_id", None):
            return obj.organisation
    return None


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/dang-nhap/" in response.get("Location", "")


def _parse(rule: str) -> tuple[str, int]:
    """ "readable 302" → ("readable", 302); the answer of those who may is 200 unless said."""
    kind, _sep, status = rule.partition(" ")
    return kind, int(status or 200)


def _in(organisations: Any, owner: Organisation | None) -> bool:
    return owner is None or organisations.filter(pk=owner.pk).exists()


def _expected(rule: str, role: str, user: Any, owner: Organisation | None) -> set[int]:
    kind, ok = _parse(rule)
    if kind in ("public", "staff"):
        return {ok}
    if kind == "absent":
        return {404}
    if kind.startswith("roles:"):
        return {ok} if role in kind[6:].split(",") else {403, 404}
    if kind == "readable":
        return {ok} if _in(organisations_readable(user), owner) else {403, 404}
    if kind == "actable":
        return {ok} if _in(organisations_actable(user), owner) else {403, 404}
    if kind == "acting":
        return {ok} if organisations_actable(user).exists() else {403}
    if kind == "post":
        return {405}
    raise AssertionError(rule)


def test_anonymous_callers_reach_only_the_public_endpoints(world: dict[str, Any]) -> None:
    """Every endpoint, signed out: only "public" ones answer, as their rule says; pages send
    to the login, the API answers 401/403, and a POST changes nothing."""
    wrong: list[str] = []
    anonymous = Client(raise_request_exception=False)  # a 500 is one more mismatch
    for endpoint in endpoints():
        kind, ok = _parse(RULES[endpoint.name])
        url = _url(endpoint, world)
        api = endpoint.name.startswith(("api:", "open_api:"))
        response = anonymous.get(url) if kind != "post" else anonymous.post(url)
        status = response.status_code
        if kind in ("public", "absent"):
            if status != (ok if kind == "public" else 404) or _is_login_redirect(response):
                wrong.append(f"anonymous GET {url}: {status} (rule {RULES[endpoint.name]})")
        elif 200 <= status < 300:
            wrong.append(f"anonymous {url}: {status} (rule {RULES[endpoint.name]})")
        elif api and status not in (401, 403, 405) and not _is_login_redirect(response):
            wrong.append(f"anonymous {url}: {status}, not 401/403 nor the login page")
        elif not api and kind != "post" and not _is_login_redirect(response):
            wrong.append(f"anonymous GET {url}: {status}, not the login page")
    assert wrong == [], "\n".join(wrong)


def test_every_role_against_every_endpoint(world: dict[str, Any]) -> None:
    """One table: for each endpoint and each role, the status its rule says. Mismatches are
    collected and shown together."""
    wrong: list[str] = []
    users = {role: UserFactory(role=role, organisation=_home(role, world)) for role in ROLES}
    clients = {
        role: login(Client(raise_request_exception=False), user) for role, user in users.items()
    }
    for endpoint in endpoints():
        rule = RULES[endpoint.name]
        if rule == "stream" or (rule == "post" and _shares_path_with_a_read(endpoint)):
            continue
        url = _url(endpoint, world)
        owner = _owner(endpoint, world)
        for role, user in users.items():
            status = clients[role].get(url).status_code
            if status not in _expected(rule, role, user, owner):
                wrong.append(f"{role} GET {url} ({endpoint.name}, {rule}): {status}")
    assert wrong == [], "\n".join(wrong)


def _home(role: str, world: dict[str, Any]) -> Organisation | None:
    slug = {
        "provincial_officer": "lam-dong",
        "viewer": "lam-dong",
        "portal_editor": "lam-dong",
        "translator": "lam-dong",
        "mission_officer": None,
        "juror": "bo-van-hoa-the-thao-va-du-lich",
    }.get(role, "ban-chi-dao-ttdn")
    if slug is None:
        return Organisation.objects.filter(kind="mission").first()
    return Organisation.objects.filter(slug=slug).first()


def _shares_path_with_a_read(endpoint: Endpoint) -> bool:
    """A POST-only API operation on a path whose GET is another operation (ninja)."""
    return any(
        e.route == endpoint.route and RULES.get(e.name) != "post"
        for e in endpoints()
        if e.name != endpoint.name
    )
