"""The alerts pages by URL: who sees and edits what, forms, inbox badge, latency chart."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.alerts.conftest import AlertRuleFactory, report_with
from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.alerts.models import Alert, AlertRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(organisations, evaluate):  # type: ignore[no-untyped-def]
    """One rule and one alert for Lâm Đồng, the same for Hà Nội."""
    own = AlertRuleFactory(organisation=organisations["lam-dong"], name="Rule of Lâm Đồng")
    other = AlertRuleFactory(organisation=organisations["ha-noi"], name="Rule of Hà Nội")
    evaluate(report_with(title="Viet Nam: a story both provinces follow"))
    return {
        "own": own,
        "other": other,
        "own_alert": Alert.objects.get(rule=own),
        "other_alert": Alert.objects.get(rule=other),
    }


def _form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Bão ở Lâm Đồng",
        "active": "on",
        "keywords": "Lam Dong\nbão",
        "keyword_mode": "any",
        "places": "",
        "entities": "",
        "outlet_countries": "",
        "languages": "",
        "relevant_only": "on",
        "cooldown_minutes": "120",
        "deliver_in_app": "on",
        "email_addresses": "",
        "webhook_url": "",
    }
    data.update(overrides)
    return data


def test_officer_sees_only_own_rules_and_alerts(
    client: Client, officer_lam_dong, two_provinces
) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    rules = client.get("/canh-bao/quy-tac/").content.decode()
    assert "Rule of Lâm Đồng" in rules and "Rule of Hà Nội" not in rules
    inbox = client.get("/canh-bao/").content.decode()
    assert f"/canh-bao/{two_provinces['own_alert'].pk}/" in inbox
    assert f"/canh-bao/{two_provinces['other_alert'].pk}/" not in inbox
    assert client.get(f"/canh-bao/{two_provinces['own_alert'].pk}/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/canh-bao/quy-tac/{other}/"),
        ("post", "/canh-bao/quy-tac/{other}/"),
        ("get", "/canh-bao/quy-tac/{other}/xoa/"),
        ("post", "/canh-bao/quy-tac/{other}/xoa/"),
        ("get", "/canh-bao/{other_alert}/"),
    ],
)
def test_officer_gets_404_for_other_organisations_ids(
    client: Client, officer_lam_dong, two_provinces, method: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    url = path.format(other=two_provinces["other"].pk, other_alert=two_provinces["other_alert"].pk)
    response = getattr(client, method)(url, _form_data() if method == "post" else None)
    assert response.status_code == 404
    assert AlertRule.objects.filter(pk=two_provinces["other"].pk, name="Rule of Hà Nội").exists()


def test_central_analyst_sees_and_edits_all(client: Client, analyst, two_provinces) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    rules = client.get("/canh-bao/quy-tac/").content.decode()
    assert "Rule of Lâm Đồng" in rules and "Rule of Hà Nội" in rules
    other = two_provinces["other"]
    assert client.get(f"/canh-bao/{two_provinces['other_alert'].pk}/").status_code == 200
    response = client.post(
        f"/canh-bao/quy-tac/{other.pk}/",
        _form_data(name="Renamed by the centre", organisation=other.organisation_id),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.name == "Renamed by the centre" and other.keywords == ["Lam Dong", "bão"]


def test_officer_creates_edits_and_deletes_own_rule(
    client: Client, officer_lam_dong, organisations
) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    form = client.get("/canh-bao/quy-tac/moi/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<label for="id_name">Tên quy tắc</label>' in form
    # the organisation list offers only the officer's own
    assert organisations["ha-noi"].name not in form
    lam_dong = organisations["lam-dong"]
    response = client.post(
        "/canh-bao/quy-tac/moi/",
        _form_data(
            organisation=lam_dong.pk,
            places="Lâm Đồng, Đắk Nông, us",
            outlet_countries="us, fr",
            languages="EN, zh",
            source_kinds=["international"],
            tone_at_most="-0,3",  # a decimal comma, as written in Vietnamese
            email_addresses="A@Lamdong.example\nb@lamdong.example",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = AlertRule.objects.get(name="Bão ở Lâm Đồng")
    assert rule.organisation == lam_dong and rule.created_by == officer_lam_dong
    # a former province (Đắk Nông) is stored as the unit it joined
    assert rule.places == ["lam-dong", "US"]
    assert rule.outlet_countries == ["US", "FR"] and rule.languages == ["en", "zh"]
    assert rule.email_addresses == ["a@lamdong.example", "b@lamdong.example"]
    assert rule.tone_at_most == -0.3 and rule.cooldown_minutes == 120
    # posting another organisation's id is refused by the form
    response = client.post(
        "/canh-bao/quy-tac/moi/", _form_data(organisation=organisations["ha-noi"].pk)
    )
    assert response.status_code == 200
    assert not AlertRule.objects.filter(organisation=organisations["ha-noi"]).exists()
    # edit
    response = client.post(
        f"/canh-bao/quy-tac/{rule.pk}/", _form_data(organisation=lam_dong.pk, active="")
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.active is False and rule.places == []
    # delete (confirmation page, then POST)
    assert client.get(f"/canh-bao/quy-tac/{rule.pk}/xoa/").status_code == 200
    assert client.post(f"/canh-bao/quy-tac/{rule.pk}/xoa/").status_code == 302
    assert not AlertRule.objects.filter(pk=rule.pk).exists()


def test_form_errors_are_shown_on_their_fields(
    client: Client, officer_lam_dong, organisations
) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    org = organisations["lam-dong"].pk
    cases = [
        (_form_data(organisation=org, places="Atlantis"), "Atlantis"),
        (_form_data(organisation=org, email_addresses="not-an-address"), "not-an-address"),
        (_form_data(organisation=org, keywords=""), "ít nhất một điều kiện"),
        (
            _form_data(organisation=org, tone_at_most="0.5", tone_at_least="-0.5"),
            "hai đầu cực",
        ),
        (_form_data(organisation=org, webhook_url="http://10.1.2.3/hook"), "bị từ chối"),
    ]
    for data, expected in cases:
        response = client.post("/canh-bao/quy-tac/moi/", data)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'role="alert"' in page and expected in page, expected
    assert not AlertRule.objects.exists()


def test_viewer_sees_rules_but_cannot_create_or_edit(
    client: Client, organisations, two_provinces
) -> None:  # type: ignore[no-untyped-def]
    viewer = UserFactory(role=Role.VIEWER, organisation=organisations["lam-dong"])
    login(client, viewer)
    assert "Rule of Lâm Đồng" in client.get("/canh-bao/quy-tac/").content.decode()
    assert client.get("/canh-bao/quy-tac/moi/").status_code == 403
    own = two_provinces["own"]
    assert client.get(f"/canh-bao/quy-tac/{own.pk}/").status_code == 403
    assert client.post(f"/canh-bao/quy-tac/{own.pk}/xoa/").status_code == 403
    assert AlertRule.objects.filter(pk=own.pk).exists()


def test_csrf_is_enforced(officer_lam_dong, organisations) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_lam_dong)
    response = client.post(
        "/canh-bao/quy-tac/moi/", _form_data(organisation=organisations["lam-dong"].pk)
    )
    assert response.status_code == 403
    assert not AlertRule.objects.exists()


def test_anonymous_users_are_sent_to_login(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    for path in ("/canh-bao/", "/canh-bao/quy-tac/", "/canh-bao/do-tre/", "/canh-bao/quy-tac/moi/"):
        response = client.get(path)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_inbox_badge_counts_unread_and_reading_clears_it(
    client: Client, officer_lam_dong, two_provinces
) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    page = client.get("/nen-tang/").content.decode()
    assert 'id="alerts-badge">1<' in page
    client.get(f"/canh-bao/{two_provinces['own_alert'].pk}/")
    assert 'id="alerts-badge"' not in client.get("/nen-tang/").content.decode()
    # another user of the same province still has it unread
    colleague = UserFactory(
        role=Role.PROVINCIAL_OFFICER, organisation=officer_lam_dong.organisation
    )
    other_client = login(Client(), colleague)
    assert 'id="alerts-badge">1<' in other_client.get("/nen-tang/").content.decode()
    assert other_client.post("/canh-bao/da-xem-tat-ca/").status_code == 302
    assert 'id="alerts-badge"' not in other_client.get("/nen-tang/").content.decode()


def test_alert_detail_shows_deliveries_and_matched_conditions(
    client: Client, analyst, two_provinces
) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    alert = two_provinces["own_alert"]
    page = client.get(f"/canh-bao/{alert.pk}/").content.decode()
    assert "Từ khóa: Viet Nam" in page
    assert "Trong ứng dụng" in page and "Đã gửi" in page
    assert f"/theo-doi/cau-chuyen/{alert.story_id}/" in page


def test_latency_page_draws_an_svg_chart_with_p50_p95(
    client: Client, analyst, two_provinces
) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    response = client.get("/canh-bao/do-tre/?ngay=7")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "<circle" in page  # one day with data: a point per series
    assert "p50" in page and "p95" in page
    assert page.count("<tr><td>") == 7  # a row per day, days without alerts included
    assert "cdn" not in page.lower() and "<script" not in page
    assert response.context["series"]["count"] == 2


def test_latency_page_is_scoped(client: Client, officer_lam_dong, two_provinces) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    response = client.get("/canh-bao/do-tre/?kenh=in_app")
    assert response.context["series"]["count"] == 1


def test_pages_in_english(client: Client, analyst, two_provinces) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/canh-bao/"})
    inbox = client.get("/canh-bao/").content.decode()
    assert "Alert inbox" in inbox
    rules = client.get("/canh-bao/quy-tac/moi/").content.decode()
    assert "Rule name" in rules and "Keywords" in rules
    assert "Alert latency" in client.get("/canh-bao/do-tre/").content.decode()
