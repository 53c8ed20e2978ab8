"""Evaluating stored reports: idempotency, cool-down per story, old reports, inactive rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.alerts.conftest import AlertRuleFactory, minutes_ago, report_with
from tests.factories import StoryFactory
from ttdn.alerts.models import Alert, Delivery, DeliveryStatus
from ttdn.alerts.services import alerts_evaluate_for_report
from ttdn.monitor.models import StageCounter

pytestmark = pytest.mark.django_db


def test_evaluating_a_report_twice_raises_one_alert(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    rule = AlertRuleFactory(organisation=organisations["lam-dong"])
    report = report_with()
    first = evaluate(report)
    assert [a.rule_id for a in first] == [rule.pk]
    assert evaluate(report) == []
    assert Alert.objects.count() == 1
    assert Delivery.objects.count() == 1  # in-app only


def test_one_alert_per_rule_and_story_within_the_cooldown(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    rule = AlertRuleFactory(organisation=organisations["lam-dong"], cooldown_minutes=60)
    story = StoryFactory()
    assert len(evaluate(report_with(story=story))) == 1
    assert evaluate(report_with(story=story)) == []  # same story: quiet
    assert len(evaluate(report_with())) == 1  # another story alerts
    # once the cool-down has passed the same story may alert again
    Alert.objects.filter(rule=rule, story=story).update(
        created_at=timezone.now() - dt.timedelta(minutes=61)
    )
    assert len(evaluate(report_with(story=story))) == 1
    assert StageCounter.objects.get(stage="alerts", reason="cooldown").count == 1


def test_each_rule_has_its_own_cooldown(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"])
    AlertRuleFactory(organisation=organisations["ha-noi"])
    story = StoryFactory()
    assert len(evaluate(report_with(story=story))) == 2
    assert evaluate(report_with(story=story)) == []


def test_zero_cooldown_alerts_on_every_report(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"], cooldown_minutes=0)
    story = StoryFactory()
    assert len(evaluate(report_with(story=story))) == 1
    assert len(evaluate(report_with(story=story))) == 1


def test_inactive_rules_and_old_reports_do_not_alert(evaluate, organisations, settings) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"], active=False)
    assert evaluate(report_with()) == []
    AlertRuleFactory(organisation=organisations["lam-dong"])
    settings.ALERTS_MAX_REPORT_AGE_HOURS = 48
    assert evaluate(report_with(published_at=minutes_ago(49 * 60))) == []
    assert StageCounter.objects.get(stage="alerts", reason="report_too_old").count == 1
    settings.ALERTS_MAX_REPORT_AGE_HOURS = 0  # no limit
    assert len(evaluate(report_with(published_at=minutes_ago(49 * 60)))) == 1


def test_missing_report_is_counted_not_raised(organisations) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"])
    assert alerts_evaluate_for_report(987654) == []
    assert StageCounter.objects.get(stage="alerts", reason="report_missing").count == 1


def test_without_active_rules_a_report_costs_one_query(  # type: ignore[no-untyped-def]
    organisations, django_assert_num_queries
) -> None:
    # the hot path of a world stream on an install with no rules (issue 14): the report,
    # its story and source are not loaded at all
    AlertRuleFactory(organisation=organisations["lam-dong"], active=False)
    report = report_with()
    with django_assert_num_queries(1):
        assert alerts_evaluate_for_report(report.pk) == []


def test_a_broken_rule_does_not_stop_the_others(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    broken = AlertRuleFactory(organisation=organisations["lam-dong"])
    # a value no form would save (bypassing the service): a number instead of a phrase list
    type(broken).objects.filter(pk=broken.pk).update(keywords=12)
    good = AlertRuleFactory(organisation=organisations["ha-noi"])
    alerts = evaluate(report_with())
    assert [a.rule_id for a in alerts] == [good.pk]
    assert StageCounter.objects.get(stage="alerts", reason="rule_error").count == 1


def test_alert_snapshot_and_latency_reference(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"])
    story = StoryFactory(first_seen_at=minutes_ago(30), last_seen_at=minutes_ago(5))
    report = report_with(story=story, published_at=minutes_ago(5))
    [alert] = evaluate(report)
    alert.refresh_from_db()
    assert alert.title == report.title and alert.url == report.url
    assert alert.outlet == report.source.outlet
    assert alert.organisation.slug == "lam-dong"
    # latency is measured from the story's first publication, not this report's
    assert alert.reference_at == story.first_seen_at
    assert alert.delivered_at is not None
    assert 30 * 60 - 5 < alert.latency_s < 30 * 60 + 60
    [in_app] = alert.deliveries.all()
    assert in_app.status == DeliveryStatus.DELIVERED and in_app.attempts == 1


def test_report_without_story_uses_its_own_publication(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"])
    report = report_with(story=None, published_at=minutes_ago(2))
    [alert] = evaluate(report)
    alert.refresh_from_db()
    assert alert.story is None and alert.reference_at == report.published_at
    assert 120 - 5 < alert.latency_s < 120 + 60


def test_deliveries_wait_for_the_commit(organisations, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [alert] = alerts_evaluate_for_report(report_with().pk)
    # inside the caller's transaction nothing was sent yet
    assert alert.deliveries.get().status == DeliveryStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    assert alert.deliveries.get().status == DeliveryStatus.DELIVERED


def test_one_event_in_several_languages_alerts_once(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    from ttdn.monitor.models import CrossLingualStory

    AlertRuleFactory(organisation=organisations["lam-dong"])
    group = CrossLingualStory.objects.create(title="Flood")
    english = StoryFactory(language="en", crosslingual=group)
    french = StoryFactory(language="fr", crosslingual=group)
    unrelated = StoryFactory(language="fr")
    assert len(evaluate(report_with(story=english))) == 1
    assert evaluate(report_with(story=french, language="fr")) == []
    assert len(evaluate(report_with(story=unrelated, language="fr"))) == 1
