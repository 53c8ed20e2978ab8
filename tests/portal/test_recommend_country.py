"""Recommendations use the reader's declared country (sent from their browser, never
stored): pages the media of that country picked up come before the merely newest; another
country, or a malformed code, changes nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from ttdn.monitor.models import Report, Source
from ttdn.portal.models import Publication
from ttdn.portal.services import pickups_find

pytestmark = pytest.mark.django_db


def _recommended(client: Client, **params: str) -> list[str]:
    data = client.get("/en/for-you/pages.json", params).json()
    return [page["title"] for page in data["pages"]]


def test_pages_picked_up_in_the_readers_country_come_first(portal, client: Client) -> None:
    newest_first = _recommended(client)
    assert len(newest_first) >= 3
    older = newest_first[-1]  # not first when nothing else counts
    publication = Publication.objects.get(language="en", title=older)
    source = Source.objects.create(name="Le Monde (test)", outlet="Le Monde", country="FR")
    url = "https://example.org/monde/vietnam"
    report = Report.objects.create(
        source=source,
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha256(url.encode()).hexdigest(),
        title="Le Vietnam vu d'ici",
        text=f"Source : {publication.url}",
        language="fr",
        is_relevant=True,
    )
    assert len(pickups_find(report.pk)) == 1

    assert _recommended(client, country="FR")[0] == older
    assert _recommended(client, country="fr")[0] == older  # as the reader typed it
    assert _recommended(client, country="GB") == newest_first
    assert _recommended(client, country="FR' OR 1=1") == newest_first
    # a page read in this visit is never suggested, even if picked up in the country
    read = str(publication.page_id)
    assert older not in _recommended(client, country="FR", read=read)
