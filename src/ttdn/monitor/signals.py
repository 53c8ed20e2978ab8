"""A story's outlet countries (`Story.countries`) are copied from its reports' sources when
each report is stored. Changing a source's country, or deleting a source with reports
(they lose it), changes that history, so the stories of that source are recounted in the
same transaction (a rare administrative act; the story list's filters stay exact)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from ttdn.monitor.models import Report, Source
from ttdn.monitor.services import story_facets_refresh


def _story_ids(source_id: int) -> list[int]:
    return list(
        Report.objects.filter(source_id=source_id, story__isnull=False)
        .values_list("story_id", flat=True)
        .distinct()
    )


@receiver(pre_save, sender=Source, dispatch_uid="monitor_facets_source_before")
def _source_before(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    instance._facets_stale = False  # type: ignore[attr-defined]
    if instance.pk is None or (fields is not None and "country" not in set(fields)):
        return
    before = Source.objects.filter(pk=instance.pk).values_list("country", flat=True).first()
    instance._facets_stale = before is not None and before != instance.country  # type: ignore[attr-defined]


@receiver(post_save, sender=Source, dispatch_uid="monitor_facets_source_after")
def _source_after(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    if getattr(instance, "_facets_stale", False):
        story_facets_refresh(ids=_story_ids(instance.pk))


@receiver(pre_delete, sender=Source, dispatch_uid="monitor_facets_source_delete")
def _source_deleting(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    instance._facets_stories = _story_ids(instance.pk)  # type: ignore[attr-defined]


@receiver(post_delete, sender=Source, dispatch_uid="monitor_facets_source_deleted")
def _source_deleted(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    stories = getattr(instance, "_facets_stories", [])
    if stories:
        story_facets_refresh(ids=stories)
