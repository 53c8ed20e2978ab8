"""Two workers evaluating reports of the same story at once raise one alert, not two."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.alerts.conftest import AlertRuleFactory, report_with
from tests.factories import StoryFactory
from ttdn.alerts.models import Alert
from ttdn.alerts.services import alerts_evaluate_for_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_evaluations_of_one_story_alert_once(organisations) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        # The test database is SQLite's in-memory shared cache, whose table locks fail at
        # once ("database table is locked") instead of waiting like the WAL file database
        # the platform runs on; and embedded mode evaluates on a single worker thread.
        pytest.skip("concurrent writers need PostgreSQL (CI runs this test there)")
    rule = AlertRuleFactory(organisation=organisations["lam-dong"])
    story = StoryFactory()
    reports = [report_with(story=story) for _ in range(4)]
    # the same report twice, too: the unique constraint is the last line of defence
    ids = [r.pk for r in reports] + [reports[0].pk]
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def work(report_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            alerts_evaluate_for_report(report_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert Alert.objects.filter(rule=rule, story=story).count() == 1
