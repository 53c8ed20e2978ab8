"""The public open-data API: metadata only (never article text), keys, rate limits, errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import login
from tests.measure.conftest import ARTICLE_TEXT, PERIOD
from ttdn.measure.indicators import INDICATORS
from ttdn.measure.models import ApiKey
from ttdn.measure.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def keys_in(value: Any) -> set[str]:
    """Every key of every object anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def open_urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    story = world.stories["st1"].pk
    query = "date_from=2025-03-03&date_to=2025-03-16"
    urls = ["/api/open/indicators", f"/api/open/stories?{query}", f"/api/open/stories/{story}"]
    urls += [f"/api/open/reports?{query}", f"/api/open/reports?{query}&country=GB"]
    urls += [f"/api/open/indicators/{i.key}?{query}&province=lam-dong" for i in INDICATORS]
    return urls


def test_no_endpoint_ever_exposes_article_text(client, world) -> None:  # type: ignore[no-untyped-def]
    for url in open_urls(world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        assert "text" not in keys_in(response.json()), url
        assert ARTICLE_TEXT not in response.content.decode(), url
        csv_url = url + ("&" if "?" in url else "?") + "format=csv"
        if "/stories/" not in csv_url and not csv_url.startswith("/api/open/indicators?"):
            csv_response = client.get(csv_url)
            assert csv_response.status_code == 200, csv_url
            assert ARTICLE_TEXT not in csv_response.content.decode("utf-8-sig"), csv_url
            assert "text" not in csv_response.content.decode("utf-8-sig").splitlines()[0].split(",")


def test_reports_metadata(client, world) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/open/reports", {**PERIOD, "language": "fr"}).json()
    assert [r["title"] for r in body["items"]] == ["r4 title", "r3 title"]
    first = body["items"][0]
    assert first["outlet"] == "Le Quotidien" and first["outlet_country"] == "FR"
    assert first["tone_label"] == "negative" and first["url"].startswith("https://")
    assert body["next_offset"] is None


def test_reports_pagination(client, world) -> None:  # type: ignore[no-untyped-def]
    page1 = client.get("/api/open/reports", {**PERIOD, "limit": 4}).json()
    assert len(page1["items"]) == 4 and page1["next_offset"] == 4
    page2 = client.get("/api/open/reports", {**PERIOD, "limit": 4, "offset": 4}).json()
    assert len(page2["items"]) == 2 and page2["next_offset"] is None
    ids = [r["id"] for r in page1["items"] + page2["items"]]
    assert len(set(ids)) == 6


def test_story_metadata(client, world) -> None:  # type: ignore[no-untyped-def]
    story = world.stories["st1"]
    body = client.get(f"/api/open/stories/{story.pk}").json()
    assert body["title"] == "Tourists flock to Da Lat"
    assert body["first_report_url"] == world.reports["r8"].url  # the earliest report
    assert body["languages"] == ["en"]
    assert body["outlets"] == ["Daily Planet", "Gotham Gazette"]
    assert body["outlet_countries"] == ["GB", "US"]
    assert body["first_seen_at"] and body["last_seen_at"]
    listing = client.get("/api/open/stories", PERIOD).json()
    assert {s["id"] for s in listing["items"]} == {s.pk for s in world.stories.values()}
    assert client.get("/api/open/stories/999999").status_code == 404


def test_indicator_json_and_csv(client, world) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/open/indicators/volume", PERIOD).json()
    assert body["indicator"]["version"] == 2
    assert body["indicator"]["definition_url"].endswith("/do-luong/dinh-nghia/volume/")
    assert body["totals"] == {"reports": 6, "unique_reports": 5, "stories": 3}
    csv_body = client.get("/api/open/indicators/volume", {**PERIOD, "format": "csv"})
    assert csv_body["Content-Type"].startswith("text/csv")
    assert csv_body.content.decode("utf-8-sig").splitlines()[1] == "2025-03-03,3,2,2"
    listing = client.get("/api/open/indicators").json()
    assert [i["key"] for i in listing] == [i.key for i in INDICATORS]


def test_province_indicator_needs_a_province(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/open/indicators/province", PERIOD)
    assert response.status_code == 400
    assert "province" in response.json()["detail"]
    body = client.get("/api/open/indicators/province", {**PERIOD, "province": "dak-nong"}).json()
    assert body["totals"]["province"] == "lam-dong" and body["totals"]["reports"] == 3


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"limit": "5000"}, "1000"),
        ({"limit": "0"}, "1000"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "10000000"}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"date_from": "2025-02-30"}, "date_from"),
        ({"bucket": "year"}, "bucket"),
        ({"format": "xlsx"}, "format"),
    ],
)
def test_bad_requests_are_400_with_a_clear_message(client, world, params, needle) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/open/reports", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert needle in body["detail"] + str(body.get("errors") or "")


def test_unknown_indicator_is_404(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/open/indicators/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


def test_openapi_and_docs_are_served(client, analyst) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/open/openapi.json").json()
    assert schema["info"]["title"] == "TTĐN Open Data API"
    assert "/api/open/reports" in schema["paths"]
    security = schema["paths"]["/api/open/reports"]["get"]["security"]
    assert {"ApiKeyAuth": []} in security and {} in security  # the key is optional
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["name"] == "X-API-Key"
    assert client.get("/api/open/docs").status_code == 200
    # the staff API's schema and docs need a signed-in user (issue 10, finding 14)
    for path in ("/api/openapi.json", "/api/docs"):
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    login(client, analyst)
    staff = client.get("/api/openapi.json")
    assert staff.status_code == 200 and "/api/measure/saved-searches" in staff.json()["paths"]
    assert client.get("/api/docs").status_code == 200


# --- keys and rate limits ---------------------------------------------------------------------


@pytest.fixture
def api_key(analyst, organisations):  # type: ignore[no-untyped-def]
    key, raw = api_key_create(
        user=analyst, organisation=organisations["bo-ngoai-giao"], name="Researchers"
    )
    return key, raw


def test_api_key_is_stored_hashed_and_authenticates(client, world, api_key) -> None:  # type: ignore[no-untyped-def]
    key, raw = api_key
    assert raw.startswith("ttdn_") and raw not in key.key_hash and key.prefix == raw[:11]
    response = client.get("/api/open/indicators", HTTP_X_API_KEY=raw)
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_wrong_or_revoked_key_is_401(client, world, api_key, analyst) -> None:  # type: ignore[no-untyped-def]
    key, raw = api_key
    assert client.get("/api/open/indicators", HTTP_X_API_KEY="ttdn_wrong").status_code == 401
    api_key_revoke(user=analyst, api_key=key)
    assert client.get("/api/open/indicators", HTTP_X_API_KEY=raw).status_code == 401
    assert client.get("/api/open/indicators").status_code == 200  # public still works


def test_officer_cannot_create_keys_for_another_organisation(
    officer_lam_dong, organisations
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_key_create(user=officer_lam_dong, organisation=organisations["ha-noi"], name="not mine")
    key, _raw = api_key_create(
        user=officer_lam_dong, organisation=organisations["lam-dong"], name="mine"
    )
    assert key.organisation.slug == "lam-dong"


@override_settings(TTDN_OPEN_API_PUBLIC_RATE="3/min", TTDN_OPEN_API_KEY_RATE="5/min")
def test_public_rate_limit_gives_429(client, db) -> None:  # type: ignore[no-untyped-def]
    statuses = [client.get("/api/open/indicators").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/open/indicators")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    # another address has its own allowance
    assert client.get("/api/open/indicators", REMOTE_ADDR="10.0.0.9").status_code == 200


@override_settings(TTDN_OPEN_API_PUBLIC_RATE="1/min", TTDN_OPEN_API_KEY_RATE="3/min")
def test_key_rate_limit_is_separate_and_per_key(
    client, db, api_key, administrator, organisations
) -> None:  # type: ignore[no-untyped-def]
    _key, raw = api_key
    assert client.get("/api/open/indicators").status_code == 200
    assert client.get("/api/open/indicators").status_code == 429  # public allowance used up
    with_key = [
        client.get("/api/open/indicators", HTTP_X_API_KEY=raw).status_code for _ in range(4)
    ]
    assert with_key == [200, 200, 200, 429]
    # a key with its own higher limit (only an administrator may set one)
    _fast, fast_raw = api_key_create(
        user=administrator,
        organisation=organisations["bo-ngoai-giao"],
        name="fast",
        rate_limit="10/min",
    )
    fast = [
        client.get("/api/open/indicators", HTTP_X_API_KEY=fast_raw).status_code for _ in range(5)
    ]
    assert fast == [200] * 5
    assert ApiKey.objects.count() == 2
