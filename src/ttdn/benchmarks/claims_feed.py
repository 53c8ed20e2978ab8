"""The feed half of `ttdn bench claims`: an answered claim comes back in a local feed.

Seconds from an item appearing in a local RSS feed (served on 127.0.0.1) to the in-app
notice of the claim's owner, on the embedded default: the poll job every 0.5 s, ingestion,
the story consumer, the REPORT_STORED event and Respond's matching subscriber, in a fresh
SQLite database. The items are written for the benchmark (our text, several languages), each
restating one answered claim in other words around other paragraphs, so that near-duplicate
detection keeps them apart as it would real outlets.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from ttdn.benchmarks._site import BenchSite, bench_environment, serve

SPACING_S = 4.0
CLAIM = (
    "Viet Nam banned all rice exports from March 2024 because of the drought in the Mekong Delta."
)
ARTICLES: list[tuple[str, str, str]] = [
    (
        "Viet Nam halts rice exports over Mekong drought",
        "Viet Nam has banned all rice exports from March 2024 because of the drought in the "
        "Mekong Delta, traders in Singapore said on Tuesday.\nBuyers in the Philippines and "
        "Indonesia were looking for other suppliers, according to shipping agents.",
        "en",
    ),
    (
        "Le Vietnam interdit ses exportations de riz",
        "Le Vietnam a interdit toutes les exportations de riz à partir de mars 2024 en raison "
        "de la sécheresse dans le delta du Mékong, selon des négociants.\nLes acheteurs "
        "africains s'inquiètent de la hausse des prix sur le marché mondial.",
        "fr",
    ),
    (
        "Вьетнам запретил экспорт риса",
        "Вьетнам запретил весь экспорт риса с марта 2024 года из-за засухи в дельте Меконга, "
        "сообщают трейдеры.\nЦены на рис в Азии выросли на фоне новостей.",
        "ru",
    ),
    (
        "Rice markets jittery after reported Vietnamese export ban",
        "Markets in Bangkok reacted nervously to reports that Viet Nam banned all rice exports "
        "from March 2024 because of the Mekong Delta drought.\nThai exporters said they could "
        "not fill the gap quickly and prices of fragrant rice rose for a third week.",
        "en",
    ),
    (
        "Drought claims: Vietnam rice export ban worries importers",
        "Importers in West Africa said on Friday that Vietnam's ban on all rice exports, "
        "starting in March 2024 because of drought in the Mekong Delta, would hurt supplies."
        "\nShipping data showed fewer bulk carriers loading at Ho Chi Minh City.",
        "en",
    ),
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def feed_to_alert(items: int) -> dict[str, Any]:
    bench_environment("ttdn-bench-claims-")
    from ttdn.accounts.models import Organisation, Role, User
    from ttdn.accounts.services import organisations_load
    from ttdn.monitor.jobs import poll_due
    from ttdn.monitor.models import Report, Source
    from ttdn.monitor.runtime import runtime_get
    from ttdn.monitor.services import source_add
    from ttdn.respond import matching
    from ttdn.respond.models import Claim, ClaimStatus, Notification
    from ttdn.runtime import EmbeddedWorker

    organisations_load()
    org = Organisation.objects.order_by("pk").first()
    owner = User.objects.create_user("bench-owner", role=Role.CENTRAL_ANALYST, organisation=org)
    Claim.objects.create(
        text=CLAIM, language="en", organisation=org, created_by=owner,
        status=ClaimStatus.ANSWERED, embedding=matching.claim_vector(CLAIM),
    )  # fmt: skip
    articles = (ARTICLES * (1 + items // len(ARTICLES)))[:items]
    site = BenchSite(articles=articles)
    _ = runtime_get().analyser  # models loaded first: latency is measured warm
    with serve(site):
        start = time.time() + 2.0
        site.appear_at = [start + i * SPACING_S for i in range(len(articles))]
        source = source_add(name="Claims bench", feed_url=f"{site.base_url}/feed.xml",
                            allow_private=True, poll_interval_s=1)  # fmt: skip
        Source.objects.filter(pk=source.pk).update(next_poll_at=None)
        worker = EmbeddedWorker()
        worker.every("monitor.poll_due", 0.5, poll_due)
        worker.start()
        deadline = site.appear_at[-1] + 120
        try:
            while time.time() < deadline and (
                Notification.objects.filter(kind="reappeared").count() < len(articles)
                or Report.objects.count() < len(articles)
            ):
                time.sleep(0.2)
        finally:
            worker.stop()
    by_url = {}
    for appearance in Claim.objects.get().appearances.all():
        note = Notification.objects.filter(kind="reappeared", created_at__gte=appearance.found_at)
        first = note.order_by("created_at").first()
        if first is not None:
            by_url[appearance.url] = first.created_at.timestamp()
    latencies = [
        by_url[f"{site.base_url}/a/{i}"] - site.appear_at[i]
        for i in range(len(articles))
        if f"{site.base_url}/a/{i}" in by_url
    ]
    return {
        "feed_items": len(articles),
        "feed_reports_stored": Report.objects.count(),
        "feed_items_alerted": len(latencies),
        "feed_to_alert_p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "feed_to_alert_p95_s": round(_percentile(latencies, 0.95), 2) if latencies else None,
    }
