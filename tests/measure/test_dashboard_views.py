"""Dashboard pages, JSON/CSV data endpoints, definitions, validation of filters (no 500s)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import login
from tests.measure.conftest import PERIOD
from ttdn.measure.indicators import INDICATORS

pytestmark = pytest.mark.django_db

BAD_FILTERS = [
    ({"date_from": "2025-13-01"}, "date_from"),
    ({"date_from": "yesterday"}, "date_from"),
    ({"date_from": "2025-03-10", "date_to": "2025-03-01"}, "date_to"),
    ({"date_from": "1900-01-01", "date_to": "2025-01-01"}, "date_from"),
    ({"date_from": "2025-01-01", "date_to": "2999-01-01"}, "date_to"),
    ({"date_from": "2001-01-01", "date_to": "2025-01-01"}, "date_from"),  # > 10 years
    ({"date_from": "2020-01-01", "date_to": "2025-01-01", "bucket": "day"}, "bucket"),
    ({"bucket": "year"}, "bucket"),
    ({"language": "english!"}, "language"),
    ({"country": "USA"}, "country"),
    ({"source_kind": "blog"}, "source_kind"),
    ({"tone": "angry"}, "tone"),
    ({"dimension": "weather"}, "dimension"),
    ({"province": "atlantis"}, "province"),
    ({"group_by": "outlet"}, "group_by"),
    ({"top": "1000"}, "top"),
    ({"top": "many"}, "top"),
]


def test_dashboard_renders_every_panel_with_definition_links(client, analyst, world) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    response = client.get("/do-luong/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for indicator in INDICATORS:
        assert f'id="panel-{indicator.key}"' in html
        assert f"/do-luong/dinh-nghia/{indicator.key}/" in html
        assert f"/do-luong/du-lieu/{indicator.key}/?" in html
    assert "measure/vendor/echarts.min.js" in html
    assert "cdn" not in html.lower()


def test_dashboard_defaults_to_the_last_90_days(client, analyst, world) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    response = client.get("/do-luong/")
    assert response.status_code == 200
    assert response.context["filters"].date_to is not None
    assert (response.context["filters"].date_to - response.context["filters"].date_from).days == 89


def test_province_panel_opens_on_the_officers_own_province(client, officer_lam_dong, world) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    panels = {p["indicator"].key: p for p in client.get("/do-luong/", PERIOD).context["panels"]}
    assert "province=lam-dong" in panels["province"]["data_url"]
    assert "province=" not in panels["volume"]["data_url"]
    data = client.get(panels["province"]["data_url"]).json()
    assert data["totals"]["reports"] == 3


def test_provincial_officer_sees_world_coverage(client, officer_lam_dong, analyst, world) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    officer = client.get("/do-luong/du-lieu/coverage_by_country/", PERIOD).json()
    client.logout()
    login(client, analyst)
    central = client.get("/do-luong/du-lieu/coverage_by_country/", PERIOD).json()
    assert officer["rows"] == central["rows"]
    assert {r["country"] for r in officer["rows"]} == {"FR", "GB", "US", "VN"}


def test_data_endpoint_json(client, analyst, world) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    data = client.get("/do-luong/du-lieu/volume/", PERIOD).json()
    assert data["indicator"]["key"] == "volume" and data["indicator"]["version"] == 2
    assert data["columns"] == ["bucket", "reports", "unique_reports", "stories"]
    assert data["totals"] == {"reports": 6, "unique_reports": 5, "stories": 3}
    assert data["names"]["countries"]["FR"]  # country names for the chart labels


def test_data_endpoint_csv(client, analyst, world) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    response = client.get("/do-luong/du-lieu/volume/", {**PERIOD, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["bucket", "reports", "unique_reports", "stories"],
        ["2025-03-03", "3", "2", "2"],
        ["2025-03-10", "3", "3", "2"],
    ]


def test_csv_neutralises_spreadsheet_formulas(client, analyst, world) -> None:  # type: ignore[no-untyped-def]
    world.stories["st2"].title = '=HYPERLINK("http://evil.example","x")'
    world.stories["st2"].save()
    login(client, analyst)
    response = client.get("/do-luong/du-lieu/top_stories/", {**PERIOD, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2].startswith("'=HYPERLINK")


@pytest.mark.parametrize(("params", "field"), BAD_FILTERS)
def test_invalid_filters_give_400_with_a_message(client, analyst, world, params, field) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    response = client.get("/do-luong/du-lieu/volume/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["errors"][field][0]
    page = client.get("/do-luong/", params)
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    assert f'id="id_{field}"' in page.content.decode()


def test_messages_are_translated(client, analyst, world) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    vi = client.get("/do-luong/du-lieu/volume/", {"bucket": "year"}).json()
    client.cookies["django_language"] = "en"  # the language switch's choice
    en = client.get("/do-luong/du-lieu/volume/", {"bucket": "year"}).json()
    assert vi["errors"]["bucket"] != en["errors"]["bucket"]
    page = client.get("/do-luong/", PERIOD).content.decode()
    assert "Volume: reports and stories" in page and "Download CSV data" in page
    definition = client.get("/do-luong/dinh-nghia/share_of_voice/")
    assert "Share of voice against peer countries" in definition.content.decode()
    client.cookies["django_language"] = "vi"
    assert "Lượng tin: bài báo và câu chuyện" in client.get("/do-luong/", PERIOD).content.decode()


def test_unknown_indicator_is_404(client, analyst) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    assert client.get("/do-luong/du-lieu/nope/").status_code == 404
    assert client.get("/do-luong/dinh-nghia/nope/").status_code == 404


def test_definition_pages(client, viewer_user) -> None:  # type: ignore[no-untyped-def]
    login(client, viewer_user)
    listing = client.get("/do-luong/dinh-nghia/").content.decode()
    for indicator in INDICATORS:
        assert f"/do-luong/dinh-nghia/{indicator.key}/" in listing
        page = client.get(f"/do-luong/dinh-nghia/{indicator.key}/")
        assert page.status_code == 200
        assert f'id="definition-version">{indicator.version}<' in page.content.decode()


def test_empty_state_without_data(client, analyst) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    html = client.get("/do-luong/").content.decode()
    assert 'id="measure-empty"' in html
    data = client.get("/do-luong/du-lieu/volume/").json()
    assert sum(r["reports"] for r in data["rows"]) == 0


def test_pages_need_login(client) -> None:  # type: ignore[no-untyped-def]
    for url in ["/do-luong/", "/do-luong/du-lieu/volume/", "/do-luong/tim-kiem/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
