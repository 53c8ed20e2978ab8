"""Roll-ups copy each report's outlet country and source kind from its source when the report
is stored. Changing a source's country or kind, or deleting a source with reports (its
reports lose it), changes what the exact queries count for history, so the roll-ups are
marked stale: the indicators fall back to the exact queries until they are rebuilt.

The same holds for deleting a report (its counts, and its copies become originals) or a
story with reports (they lose it): the pipeline never deletes either, an operator may (the
admin), and the `RollupState` check by newest id cannot see a hole below the newest."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from ttdn.measure.services import rollups_mark_stale
from ttdn.monitor.models import Report, Source, Story


@receiver(pre_save, sender=Source, dispatch_uid="measure_rollups_source_save")
def _source_saved(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.pk is None or (fields is not None and not {"country", "kind"} & set(fields)):
        return
    before = Source.objects.filter(pk=instance.pk).values_list("country", "kind").first()
    if before is not None and before != (instance.country, instance.kind):
        rollups_mark_stale(f"source {instance.pk} changed country or kind")


@receiver(pre_delete, sender=Source, dispatch_uid="measure_rollups_source_delete")
def _source_deleted(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    if Report.objects.filter(source_id=instance.pk).exists():
        rollups_mark_stale(f"source {instance.pk} deleted")


@receiver(pre_delete, sender=Report, dispatch_uid="measure_rollups_report_delete")
def _report_deleted(sender: type[Report], instance: Report, **kwargs: Any) -> None:
    rollups_mark_stale(f"report {instance.pk} deleted")


@receiver(pre_delete, sender=Story, dispatch_uid="measure_rollups_story_delete")
def _story_deleted(sender: type[Story], instance: Story, **kwargs: Any) -> None:
    if Report.objects.filter(story_id=instance.pk).exists():
        rollups_mark_stale(f"story {instance.pk} deleted")
