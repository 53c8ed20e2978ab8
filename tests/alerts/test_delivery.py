"""Delivery through a REAL local SMTP server and a REAL local HTTP receiver.

Also: what leaves the platform (title, URL, outlet, story link, matched conditions — never
the article text), failures recorded and retried with backoff, private addresses refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.alerts.conftest import AlertRuleFactory, free_port, minutes_ago, report_with
from tests.factories import SourceFactory, StoryFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.alerts.models import Alert, Channel, Delivery, DeliveryStatus
from ttdn.alerts.selectors import alert_latency_stats
from ttdn.alerts.services import alert_rule_create, alerts_retry_failed

pytestmark = pytest.mark.django_db

SECRET_TEXT = "The confidential third paragraph the publisher owns."


def _report(**kwargs):  # type: ignore[no-untyped-def]
    source = SourceFactory(name="Daily Planet", outlet="The Daily Planet", country="US")
    story = StoryFactory(title="Landslides in the Central Highlands")
    defaults = {
        "source": source,
        "story": story,
        "title": "Landslide cuts road to Lâm Đồng",
        "url": "https://planet.example/world/landslide",
        "text": f"Heavy rain in Lâm Đồng, Viet Nam, caused landslides. {SECRET_TEXT}",
        "published_at": minutes_ago(3),
    }
    defaults.update(kwargs)
    return report_with(**defaults)


def _delivery(alert: Alert, channel: str) -> Delivery:
    return Delivery.objects.get(alert=alert, channel=channel)


# --- email ---------------------------------------------------------------------------------


def test_email_is_delivered_through_a_real_smtp_server(
    evaluate, organisations, smtp_server, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://ttdn.example.gov.vn"
    AlertRuleFactory(
        organisation=organisations["lam-dong"],
        name="Sạt lở Lâm Đồng",
        keywords=["Lam Dong"],
        email_addresses=["so-ttt@lamdong.example", "ban@ttdn.example"],
    )
    report = _report()
    [alert] = evaluate(report)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    mail_from, rcpt = smtp_server.envelopes[0]
    assert mail_from == "canh-bao@ttdn.test"
    assert sorted(rcpt) == ["ban@ttdn.example", "so-ttt@lamdong.example"]
    assert "Sạt lở Lâm Đồng" in message["Subject"]
    assert "Landslide cuts road to Lâm Đồng" in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "https://planet.example/world/landslide" in body
    assert "The Daily Planet" in body
    assert f"https://ttdn.example.gov.vn/theo-doi/cau-chuyen/{report.story_id}/" in body
    assert "Lam Dong" in body  # the matched keyword
    assert f"https://ttdn.example.gov.vn/canh-bao/{alert.pk}/" in body
    assert SECRET_TEXT not in body and "Heavy rain" not in body
    email = _delivery(alert, Channel.EMAIL)
    assert email.status == DeliveryStatus.DELIVERED
    assert email.attempts == 1 and email.last_error == ""
    assert email.duration_ms is not None and email.duration_ms < 5000


def test_email_failure_is_recorded_and_retried(
    evaluate, organisations, smtp_server, settings
) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"], email_addresses=["a@ttdn.example"])
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    [alert] = evaluate(_report())  # does not raise
    email = _delivery(alert, Channel.EMAIL)
    assert email.status == DeliveryStatus.FAILED
    assert "ConnectionRefused" in email.last_error or "refused" in email.last_error.lower()
    assert email.next_attempt_at is not None
    settings.EMAIL_PORT = real_port
    counts = alerts_retry_failed(now=timezone.now() + dt.timedelta(minutes=2))
    assert counts == {"delivered": 1}
    email.refresh_from_db()
    assert email.status == DeliveryStatus.DELIVERED and email.attempts == 2
    assert len(smtp_server.messages) == 1


def test_unconfigured_email_fails_with_a_clear_error(evaluate, organisations, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    AlertRuleFactory(organisation=organisations["lam-dong"], email_addresses=["a@ttdn.example"])
    [alert] = evaluate(_report())
    email = _delivery(alert, Channel.EMAIL)
    assert email.status == DeliveryStatus.FAILED
    assert "TTDN_EMAIL_HOST" in email.last_error


# --- webhook -------------------------------------------------------------------------------


def test_webhook_is_signed_and_carries_no_article_text(
    evaluate, organisations, receiver, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://ttdn.example.gov.vn"
    rule = AlertRuleFactory(
        organisation=organisations["lam-dong"],
        keywords=["lam dong"],
        webhook_url=receiver.url,
        webhook_secret="s3cr3t-for-tests",
    )
    report = _report()
    [alert] = evaluate(report)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    body: bytes = request["body"]
    headers = request["headers"]
    expected = hmac.new(b"s3cr3t-for-tests", body, hashlib.sha256).hexdigest()
    assert headers["x-ttdn-signature"] == f"sha256={expected}"
    assert hmac.compare_digest(headers["x-ttdn-signature"], "sha256=" + expected)
    assert headers["content-type"].startswith("application/json")
    payload = json.loads(body)
    assert int(headers["x-ttdn-timestamp"]) == payload["timestamp"]
    assert headers["x-ttdn-delivery"] == str(_delivery(alert, Channel.WEBHOOK).pk)
    assert payload["event"] == "ttdn.alert"
    assert payload["rule"] == {"id": rule.pk, "name": rule.name}
    assert payload["organisation"] == "lam-dong"
    assert payload["report"]["title"] == report.title
    assert payload["report"]["url"] == report.url
    assert payload["report"]["outlet"] == "The Daily Planet"
    assert payload["story"]["url"] == (
        f"https://ttdn.example.gov.vn/theo-doi/cau-chuyen/{report.story_id}/"
    )
    assert payload["alert"]["matched"] == {"keywords": ["lam dong"]}
    assert SECRET_TEXT not in body.decode("utf-8")
    assert "text" not in payload["report"]
    # a tampered body no longer verifies
    forged = hmac.new(b"s3cr3t-for-tests", body + b" ", hashlib.sha256).hexdigest()
    assert headers["x-ttdn-signature"] != f"sha256={forged}"
    delivery = _delivery(alert, Channel.WEBHOOK)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_status == 200


def test_webhook_500_is_recorded_then_retried_with_backoff(
    evaluate, organisations, receiver, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ALERTS_RETRY_BASE_S = 60
    AlertRuleFactory(organisation=organisations["lam-dong"], webhook_url=receiver.url)
    receiver.status = 500
    before = timezone.now()
    [alert] = evaluate(_report())
    hook = _delivery(alert, Channel.WEBHOOK)
    assert hook.status == DeliveryStatus.FAILED
    assert hook.attempts == 1 and hook.response_status == 500
    assert hook.last_error == "webhook answered HTTP 500"
    assert (
        before + dt.timedelta(seconds=59)
        < hook.next_attempt_at
        < timezone.now() + dt.timedelta(seconds=61)
    )
    # the in-app delivery still happened: the alert has its latency
    alert.refresh_from_db()
    assert alert.delivered_at is not None
    # not yet due: nothing is retried
    assert alerts_retry_failed() == {}
    # due, still failing: the wait doubles
    second_try = timezone.now() + dt.timedelta(seconds=61)
    assert alerts_retry_failed(now=second_try) == {"failed": 1}
    hook.refresh_from_db()
    assert hook.attempts == 2
    wait = (hook.next_attempt_at - timezone.now()).total_seconds()
    assert 115 < wait < 125
    # the receiver recovers
    receiver.status = 204
    assert alerts_retry_failed(now=timezone.now() + dt.timedelta(minutes=3)) == {"delivered": 1}
    hook.refresh_from_db()
    assert hook.status == DeliveryStatus.DELIVERED and hook.attempts == 3
    assert hook.last_error == "" and len(receiver.requests) == 3


def test_webhook_receiver_down_is_recorded_never_raised(evaluate, organisations, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    url = f"http://127.0.0.1:{free_port()}/hook"
    AlertRuleFactory(organisation=organisations["lam-dong"], webhook_url=url)
    [alert] = evaluate(_report())
    hook = _delivery(alert, Channel.WEBHOOK)
    assert hook.status == DeliveryStatus.FAILED
    assert "ConnectError" in hook.last_error
    assert hook.response_status is None


def test_delivery_gives_up_after_the_last_attempt(
    evaluate, organisations, receiver, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ALERTS_DELIVERY_MAX_ATTEMPTS = 2
    AlertRuleFactory(organisation=organisations["lam-dong"], webhook_url=receiver.url)
    receiver.status = 503
    [alert] = evaluate(_report())
    assert alerts_retry_failed(now=timezone.now() + dt.timedelta(hours=1)) == {"gave_up": 1}
    hook = _delivery(alert, Channel.WEBHOOK)
    assert hook.status == DeliveryStatus.GAVE_UP and hook.next_attempt_at is None
    assert alerts_retry_failed(now=timezone.now() + dt.timedelta(days=1)) == {}


def test_private_webhook_addresses_are_refused_by_default(
    evaluate, organisations, settings, analyst
) -> None:  # type: ignore[no-untyped-def]
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://localhost/hook",
                "http://169.254.169.254/latest/meta-data", "file:///etc/passwd"):  # fmt: skip
        with pytest.raises(ValidationError) as info:
            alert_rule_create(
                user=analyst,
                organisation=organisations["lam-dong"],
                name="hook",
                keywords=["x"],
                webhook_url=url,
            )
        assert "webhook_url" in info.value.error_dict, url
    # a rule saved while private addresses were allowed: the send itself is refused
    AlertRuleFactory(
        organisation=organisations["lam-dong"],
        webhook_url="http://127.0.0.1:9/hook",
        webhook_secret="x",
    )
    [alert] = evaluate(_report())
    hook = _delivery(alert, Channel.WEBHOOK)
    assert hook.status == DeliveryStatus.GAVE_UP  # permanent: retrying cannot help
    assert "refused" in hook.last_error


def test_abandoned_pending_deliveries_are_picked_up(organisations, receiver) -> None:  # type: ignore[no-untyped-def]
    """A worker killed after the alert was committed, before it sent: nothing is lost."""
    from ttdn.alerts.services import alerts_evaluate_for_report

    AlertRuleFactory(organisation=organisations["lam-dong"], webhook_url=receiver.url)
    # no on-commit execution: as if the process died right after the commit
    [alert] = alerts_evaluate_for_report(_report().pk)
    assert _delivery(alert, Channel.WEBHOOK).status == DeliveryStatus.PENDING
    assert alerts_retry_failed() == {}  # less than a minute old: its own worker may send it
    counts = alerts_retry_failed(now=timezone.now() + dt.timedelta(minutes=2))
    assert counts == {"delivered": 2}  # in-app and webhook
    assert len(receiver.requests) == 1


def test_rule_created_through_the_service_gets_a_secret(
    organisations, receiver, officer_lam_dong
) -> None:  # type: ignore[no-untyped-def]
    rule = alert_rule_create(
        user=officer_lam_dong,
        organisation=organisations["lam-dong"],
        name="hook",
        keywords=["Lâm Đồng"],
        webhook_url=receiver.url,
    )
    assert len(rule.webhook_secret) >= 32
    from ttdn.audit.models import AuditEvent

    event = AuditEvent.objects.filter(object_type__icontains="alertrule").latest("at")
    assert rule.webhook_secret not in json.dumps(event.changes, ensure_ascii=False)


def test_latency_is_measured_and_reported(evaluate, organisations, receiver, smtp_server) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(
        organisation=organisations["lam-dong"],
        webhook_url=receiver.url,
        email_addresses=["a@ttdn.example"],
        cooldown_minutes=0,
    )
    for minutes in (1, 2, 3, 4):
        report = _report(
            story=StoryFactory(first_seen_at=minutes_ago(minutes)),
            published_at=minutes_ago(minutes),
        )
        evaluate(report)
    stats = alert_latency_stats(organisations["lam-dong"])
    assert stats["count"] == 4 and stats["undelivered"] == 0
    assert 60 * 2.5 - 5 < stats["p50_s"] < 60 * 2.5 + 30
    assert 60 * 3.85 - 5 < stats["p95_s"] < 60 * 3.85 + 30
    assert alert_latency_stats(organisations["ha-noi"])["count"] == 0
    email_stats = alert_latency_stats(channel="email")
    assert email_stats["count"] == 4
    assert email_stats["p50_s"] >= stats["p50_s"]  # email goes out after the in-app notice


def test_viewer_cannot_create_rules(organisations) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    viewer = UserFactory(role=Role.VIEWER, organisation=organisations["lam-dong"])
    with pytest.raises(PermissionDenied):
        alert_rule_create(
            user=viewer, organisation=organisations["lam-dong"], name="x", keywords=["x"]
        )
