"""A story's outlet countries and places, kept on the story itself.

Why: the story list filters by outlet country and by place. Answering those from the
reports (reports of the country's sources → their stories; mentions → reports → stories)
reads every matching report of the archive, so the filtered list grew with it (95–180 ms
at 300k reports). With the counts on the story (`Story.countries`, `Story.places`: key →
number of its reports) the list walks the stories newest first and stops at the first 100
that match: its cost follows how rare the filter is, not how big the archive is.

The rules live here once, for the pipeline's write (`store._story_attach`), the migration
that fills existing stories and the benchmark's generator.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# what a place filter can name: countries, provincial units, landmarks (never persons)
PLACE_KINDS = ("country", "unit", "landmark")
BATCH = 2000


def facets_add(
    countries: dict[str, int],
    places: dict[str, int],
    outlet_country: str,
    mentions: Iterable[tuple[str, str]],
) -> None:
    """Count one more report: its outlet's country, and each place key it mentions once."""
    if outlet_country:
        countries[outlet_country] = countries.get(outlet_country, 0) + 1
    for key in sorted({key for kind, key in mentions if kind in PLACE_KINDS and key}):
        places[key] = places.get(key, 0) + 1


def facets_fill(
    story_model: Any, report_model: Any, mention_model: Any, *, ids: Iterable[int] | None = None
) -> int:
    """Recount the facets of the given stories (all when `ids` is None) from their reports,
    in batches; the models are parameters so the migration can pass its historical ones.
    Returns how many stories were written."""
    stories = story_model.objects.order_by("id").values_list("id", flat=True)
    if ids is not None:
        stories = stories.filter(id__in=list(ids))
    written, last = 0, 0
    while True:
        batch = list(stories.filter(id__gt=last)[:BATCH])
        if not batch:
            return written
        last = batch[-1]
        reports = list(
            report_model.objects.filter(story_id__in=batch).values_list(
                "id", "story_id", "source__country"
            )
        )
        mentions: dict[int, list[tuple[str, str]]] = {}
        report_ids = [r[0] for r in reports]
        for start in range(0, len(report_ids), BATCH):
            for report_id, kind, key in mention_model.objects.filter(
                report_id__in=report_ids[start : start + BATCH], kind__in=PLACE_KINDS
            ).values_list("report_id", "kind", "key"):
                mentions.setdefault(report_id, []).append((kind, key))
        facets: dict[int, tuple[dict[str, int], dict[str, int]]] = {i: ({}, {}) for i in batch}
        for report_id, story_id, country in reports:
            countries, places = facets[story_id]
            facets_add(countries, places, country or "", mentions.get(report_id, []))
        story_model.objects.bulk_update(
            [story_model(id=i, countries=c, places=p) for i, (c, p) in facets.items()],
            ["countries", "places"],
            batch_size=500,
        )
        written += len(batch)
