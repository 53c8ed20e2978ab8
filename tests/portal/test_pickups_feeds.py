"""Pickups end to end through real local feeds: a real HTTP server on 127.0.0.1 serves two
outlets' RSS feeds and article pages; the monitor's own fetcher and pipeline (with the real
multilingual e5 model) store them; the portal's REPORT_STORED subscriber recognises which
reports link to or republish a portal page, in the page's language or another; Measure's
pickups page shows them per page, language, outlet and country with the reports' tone."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login
from tests.monitor.conftest import Site, article_html, rss
from tests.monitor.conftest import site as site  # noqa: F401 - the local server fixture
from ttdn.monitor.models import Report, Source
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add, source_poll
from ttdn.portal.models import Pickup, PickupKind, Publication

pytestmark = pytest.mark.django_db

# a British travel piece that links to the English page (the address is only in an href)
LINKING = (
    "Where to drink coffee in the Vietnamese highlands",
    [
        "Coffee lovers heading to Viet Nam this winter should leave the cities behind. The "
        "highland farms open their doors in the harvest season and welcome visitors.",
        'According to <a href="{url}">the government portal\'s report on the harvest</a>, '
        "many farms now show guests every step from the tree to the cup.",
        "Our correspondent spent three days on the farms and tasted a dozen cups a day.",
    ],
)
# a French outlet republishing the English page in its own French translation (not ours)
REPUBLISHED = (
    "Lam Dong, la récolte du café",
    [
        "Sur les hauts plateaux de Lam Dong, les paysans récoltent les cerises de café bien "
        "mûres et testent d'autres façons de les traiter.",
        "À partir de novembre, c'est la récolte sur les collines de Bao Loc et de Di Linh. "
        "Beaucoup de coopératives ne ramassent que les cerises rouges pour garder le goût.",
        "Des familles sont passées au lavage et au séchage sur des claies surélevées, et "
        "vendent leurs grains plus cher.",
    ],
)
# same outlet, same places, same subject: it quotes nothing of ours
UNRELATED = (
    "Pluies sur les plateaux du Viet Nam",
    [
        "Les prix du café à Bao Loc et Di Linh ont chuté de 10 % cette semaine au Viet Nam.",
        "De fortes pluies ont endommagé les routes de la province de Lam Dong, et les camions "
        "ne peuvent plus rejoindre les entrepôts.",
    ],
)


def _feed(site: Site, prefix: str, articles: list[tuple[str, list[str]]], lang: str) -> str:
    items = []
    for number, (title, paragraphs) in enumerate(articles, 1):
        path = f"/{prefix}/{number}"
        site.add(path, article_html(title, paragraphs, lang=lang))
        items.append((title, site.base_url + path, "x"))
    return site.add(f"/{prefix}/feed.xml", rss(items), content_type="application/rss+xml")


def _poll(site: Site, name: str, outlet: str, country: str, feed_url: str, runtime) -> Source:  # type: ignore[no-untyped-def]
    source = source_add(name=name, feed_url=feed_url, country=country, allow_private=True)
    Source.objects.filter(pk=source.pk).update(outlet=outlet)
    source_poll(source_id=source.pk, runtime=runtime)
    return source


def test_pickups_from_real_feeds_by_link_and_across_languages_shown_in_measure(
    portal, site: Site, client: Client, analyst, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "e5")  # the real multilingual model
    english = Publication.objects.get(language="en", title="Lam Dong coffee at harvest time")
    linking = (LINKING[0], [p.format(url=english.url) for p in LINKING[1]])
    guardian_feed = _feed(site, "gb", [linking], "en")
    monde_feed = _feed(site, "fr", [REPUBLISHED, UNRELATED], "fr")
    runtime = MonitorRuntime()
    with django_capture_on_commit_callbacks(execute=True):
        _poll(site, "Guardian (local)", "The Guardian", "GB", guardian_feed, runtime)
        _poll(site, "Le Monde (local)", "Le Monde", "FR", monde_feed, runtime)
    assert Report.objects.count() == 3, "all three articles went through the real pipeline"
    assert site.hits.count("/fr/1") == 1 and site.hits.count("/gb/1") == 1

    link_report = Report.objects.get(url=site.base_url + "/gb/1")
    assert english.url not in link_report.text  # only the href carried the address
    link = Pickup.objects.get(report=link_report)
    assert (link.publication_id, link.kind) == (english.pk, PickupKind.LINK)

    republished = Report.objects.get(url=site.base_url + "/fr/1")
    assert republished.language == "fr"
    translation = Pickup.objects.get(report=republished)
    assert translation.kind == PickupKind.TRANSLATION
    assert translation.publication.translation_key == english.translation_key
    assert translation.publication.language in {"en", "vi"}  # another language than the report
    assert translation.score >= 0.87

    unrelated = Report.objects.get(url=site.base_url + "/fr/2")
    assert unrelated.language == "fr" and unrelated.is_relevant
    assert not Pickup.objects.filter(report=unrelated).exists()

    login(client, analyst)
    html = client.get("/do-luong/luot-dan-lai/").content.decode()
    for text in ("Lam Dong coffee at harvest time", "The Guardian", "Le Monde", "GB", "FR"):
        assert text in html
    # the tone of each picking-up report is shown, as the pipeline labelled it
    for pickup in Pickup.objects.select_related("report__source", "publication"):
        row = f'data-outlet="{pickup.report.source.outlet}" data-tone="{pickup.report.tone_label}"'
        assert row in html
        assert f'data-language="{pickup.publication.language}"' in html
