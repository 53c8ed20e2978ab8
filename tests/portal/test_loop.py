"""The loop back: every published page is the platform's own publication and is announced;
a stored foreign report that links to, quotes or republishes one is a pickup (through the
monitor's REPORT_STORED event); Measure and the open-data API show them."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from tests.conftest import login
from ttdn.core import events
from ttdn.monitor.models import Report, Source
from ttdn.portal import signals
from ttdn.portal.models import ArticlePage, Pickup, Publication
from ttdn.portal.services import pickups_find

pytestmark = pytest.mark.django_db


def _report(source: Source, *, url: str, title: str, text: str, language: str, tone: str) -> Report:
    return Report.objects.create(
        source=source,
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha256(url.encode()).hexdigest(),
        title=title,
        text=text,
        language=language,
        tone_label=tone,
        is_relevant=True,
    )


def test_every_published_page_in_every_language_is_registered(portal) -> None:
    languages = set(Publication.objects.values_list("language", flat=True))
    assert languages == {"vi", "en", "fr"}
    english = Publication.objects.get(language="en", title="Lam Dong coffee at harvest time")
    assert english.url.endswith("/en/news/lam-dong-coffee-harvest/")
    assert "Bao Loc and Di Linh" in english.text
    # sections and homes are not publications; drafts are not either
    assert not Publication.objects.filter(title="Lâm Đồng chuẩn bị Festival Hoa").exists()


def test_publishing_announces_the_page(
    portal, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    heard: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(signals, "announce", lambda event, payload: heard.append((event, payload)))
    page = ArticlePage.objects.get(slug="lam-dong-chuan-bi-festival-hoa")
    page.save_revision().publish()
    assert heard and heard[0][0] == "portal.page_published"
    assert heard[0][1]["page_id"] == page.pk and heard[0][1]["language"] == "vi"
    assert Publication.objects.filter(page_id=page.pk).exists()
    page.refresh_from_db()  # publish() saved another copy of the page
    page.unpublish()
    assert not Publication.objects.filter(page_id=page.pk).exists()


def test_pickups_by_link_and_by_republished_text_through_report_stored(
    portal, django_capture_on_commit_callbacks
) -> None:
    le_monde = Source.objects.create(name="Le Monde (test)", outlet="Le Monde", country="FR")
    guardian = Source.objects.create(name="Guardian (test)", outlet="The Guardian", country="GB")
    english = Publication.objects.get(language="en", title="Lam Dong coffee at harvest time")
    french = Publication.objects.get(language="fr", title="Le café de Lam Dong à la récolte")
    with django_capture_on_commit_callbacks(execute=True):
        linking = _report(
            guardian,
            url="https://example.org/travel/coffee",
            title="Where to drink coffee in Viet Nam",
            text=f"Highland coffee is in season (source: {english.url}). Other news follows.",
            language="en",
            tone="positive",
        )
        events.announce(events.REPORT_STORED, {"report_id": linking.pk, "story_id": None})
        republished = _report(
            le_monde,
            url="https://example.org/monde/cafe",
            title="Le café vietnamien",
            text="Un reportage repris : " + french.text.split("\n", 1)[1],
            language="fr",
            tone="neutral",
        )
        events.announce(events.REPORT_STORED, {"report_id": republished.pk, "story_id": None})
        unrelated = _report(
            le_monde,
            url="https://example.org/monde/autre",
            title="La bourse de Paris",
            text="Le CAC 40 a reculé de deux pour cent ce vendredi après une séance agitée.",
            language="fr",
            tone="negative",
        )
        events.announce(events.REPORT_STORED, {"report_id": unrelated.pk, "story_id": None})
    link = Pickup.objects.get(report=linking)
    assert link.publication == english and link.kind == "link"
    text = Pickup.objects.get(report=republished)
    assert text.publication == french and text.kind == "text" and text.score >= 0.25
    assert not Pickup.objects.filter(report=unrelated).exists()
    # idempotent: a retried delivery finds nothing new
    assert pickups_find(linking.pk) == []


def test_measure_shows_pickups_by_page_language_outlet_and_country(
    portal, client: Client, analyst
) -> None:
    guardian = Source.objects.create(name="Guardian (test)", outlet="The Guardian", country="GB")
    english = Publication.objects.get(language="en", title="Lam Dong coffee at harvest time")
    report = _report(
        guardian,
        url="https://example.org/a",
        title="Coffee",
        text=f"See {english.url}",
        language="en",
        tone="positive",
    )
    pickups_find(report.pk)
    login(client, analyst)
    html = client.get("/do-luong/luot-dan-lai/").content.decode()
    assert "Lam Dong coffee at harvest time" in html
    assert "The Guardian" in html and "GB" in html


def test_open_data_lists_portal_pages_and_fact_sheets(portal, client: Client) -> None:
    data = client.get("/api/open/portal/pages", {"language": "en"}).json()
    assert data["count"] >= 8
    titles = {row["title"] for row in data["results"]}
    assert "Lam Dong coffee at harvest time" in titles
    article = next(r for r in data["results"] if r["title"] == "Lam Dong coffee at harvest time")
    assert set(article["translations"]) == {"vi", "en", "fr"}
    assert "body" not in article and "text" not in article
    sheets = client.get("/api/open/portal/fact-sheets", {"language": "fr"}).json()
    assert {s["province"] for s in sheets} == {None, "ha-noi", "hue", "lam-dong"}
    assert all("rows" in s["figures"] for s in sheets)
    drafts = client.get("/api/open/portal/pages", {"language": "vi"}).json()
    assert "Lâm Đồng chuẩn bị Festival Hoa" not in {r["title"] for r in drafts["results"]}
