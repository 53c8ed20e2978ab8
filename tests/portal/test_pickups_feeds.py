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


# translations of the whole English page into scripts that write its names differently, and
# reports on the same province or subject that reuse nothing (tests/fixtures/portal/
# pickups_dev.jsonl has them with their scores); each names the country, as real coverage does
OTHER_SCRIPTS = {
    "zh": [
        ("越南林同省咖啡进入采收季", [
            "在林同高原上，农民们正在采摘成熟的咖啡果，并尝试新的加工方式。",
            "自十一月起，宝禄和底灵一带的咖啡山坡进入收获期。许多合作社只摘红色成熟的咖啡果，以保持风味。",  # noqa: E501
            "一些农户改为湿法处理，并在高架床上晾晒，使咖啡豆干得更均匀，也能卖出更好的价格。",
            "游客可以参观开放的农场，看到从成熟咖啡果到一杯咖啡的完整过程。"], True),
        ("越南林同咖啡农推广湿法加工", [
            "林同省农业部门表示，今年将在全省推广湿法加工技术，帮助农户提高咖啡品质。",
            "官员称，湿法加工的咖啡每公斤可多卖五千越南盾，全省已有三十个合作社参加培训。"], False),
    ],
    "ja": [
        ("ベトナム・ラムドン省のコーヒー、収穫の季節", [
            "ラムドン高原では、農家が熟したコーヒーチェリーを摘み取り、新しい加工方法を試している。",
            "11月から、バオロックとジリン周辺のコーヒーの丘は収穫期を迎える。多くの協同組合は風味を保つため、赤く熟した実だけを摘む。",  # noqa: E501
            "一部の農家は水洗式の加工と高床式の棚での乾燥に切り替え、豆がより均一に乾き、より高い値段で売れるようになった。",  # noqa: E501
            "観光客は農園を訪れ、熟した実から一杯のコーヒーになるまでの全工程を見学できる。"], True),  # noqa: E501
        ("ベトナム・ラムドン省で大雨、コーヒー価格下落", [
            "今週、ラムドン省のバオロックとジリンでコーヒーの買い取り価格が1割下落した。",
            "大雨で道路が損壊し、トラックが倉庫に到着できない状態が続いている。業者は12月に輸出が回復すると見ている。"], False),  # noqa: E501
    ],
    "ru": [
        ("Вьетнам: кофе Ламдонга, время урожая", [
            "На плато Ламдонг фермеры собирают спелые кофейные ягоды и пробуют новые способы их обработки.",  # noqa: E501
            "С ноября кофейные холмы вокруг Баолока и Дилиня вступают в пору урожая. Многие кооперативы собирают только красные, спелые ягоды, чтобы сохранить вкус.",  # noqa: E501
            "Некоторые хозяйства перешли на мокрую обработку и сушку на приподнятых стеллажах: зёрна сохнут равномернее и продаются дороже.",  # noqa: E501
            "Туристы могут посетить открытые фермы и увидеть весь путь от спелой ягоды до чашки кофе."], True),  # noqa: E501
        ("Вьетнам: Ламдонг переходит на мокрую обработку кофе", [
            "Сельскохозяйственное управление провинции Ламдонг намерено в этом году распространить мокрую обработку кофе.",  # noqa: E501
            "По словам чиновников, такой кофе стоит на 5000 донгов за килограмм дороже, обучение уже прошли 30 кооперативов."], False),  # noqa: E501
    ],
}  # fmt: skip


def test_whole_page_translations_in_other_scripts_are_pickups_same_subject_reports_are_not(
    portal, site: Site, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_EMBEDDER", "e5")
    english = Publication.objects.get(language="en", title="Lam Dong coffee at harvest time")
    runtime = MonitorRuntime()
    feeds = {
        lang: _feed(site, lang, [(title, paras) for title, paras, _ in cases], lang)
        for lang, cases in OTHER_SCRIPTS.items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        for lang, feed_url in feeds.items():
            _poll(site, f"Outlet {lang} (local)", f"Outlet {lang}", "SG", feed_url, runtime)
    for lang, cases in OTHER_SCRIPTS.items():
        for number, (title, _paragraphs, is_pickup) in enumerate(cases, 1):
            report = Report.objects.get(url=f"{site.base_url}/{lang}/{number}")
            assert report.language.startswith(lang), (title, report.language)
            pickups = list(Pickup.objects.filter(report=report).select_related("publication"))
            if is_pickup:
                found = [(p.kind, p.publication.title, p.score) for p in pickups]
                assert [p.kind for p in pickups] == [PickupKind.TRANSLATION], (title, found)
                assert pickups[0].publication.translation_key == english.translation_key
                assert pickups[0].score >= 0.84
            else:
                assert pickups == [], f"{title}: {[(p.kind, p.score) for p in pickups]}"
