"""WebSub push for feeds that declare a hub: subscribe, answer the hub, ingest what it pushes.

Off unless `TTDN_WEBSUB_CALLBACK_URL` names the public base URL at which hubs reach this
platform (e.g. `https://ttdn.example.gov.vn`): a hub must be able to call us back, and an
installation behind a firewall would only collect failed subscriptions. Polling continues
beside push at each source's interval, so push only ever shortens the time to a story.

Flow (W3C WebSub): `websub_subscribe_due` asks the hub of every feed that has one
(`Feed.hub_url`, found by polling) → the hub verifies our intent with a GET to the callback
(`websub_verify`) → it POSTs new content, signed with our per-subscription secret
(`websub_receive` stores it and answers at once) → the worker ingests stored deliveries
through the same pipeline as polled items (`websub_deliveries_process`). Leases are renewed
when less than a tenth is left.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from typing import Any

import httpx
from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ttdn.monitor.counters import counter_increment
from ttdn.monitor.ingest import items_ingest
from ttdn.monitor.models import Feed, WebSubDelivery, WebSubState, WebSubSubscription
from ttdn.monitor.runtime import MonitorRuntime, runtime_get
from ttdn.pipeline import feeds as feeds_stage
from ttdn.pipeline import websub as protocol
from ttdn.pipeline.addresses import check_url
from ttdn.pipeline.errors import PipelineError
from ttdn.pipeline.fetch import wall_clock_limit

logger = logging.getLogger(__name__)

#: A failed or denied subscription is retried after this long.
RETRY_AFTER = dt.timedelta(hours=1)
#: A request we sent but the hub never verified is sent again after this long.
VERIFY_TIMEOUT = dt.timedelta(minutes=30)
HUB_TIMEOUT_S = 10.0


def callback_base() -> str:
    """The public base URL for callbacks, or "" when push is off."""
    configured = getattr(settings, "WEBSUB_CALLBACK_URL", None)
    if configured is None:
        configured = os.environ.get("TTDN_WEBSUB_CALLBACK_URL", "")
    return str(configured).strip().rstrip("/")


def callback_url(subscription: WebSubSubscription) -> str:
    return callback_base() + reverse("websub_callback", args=[subscription.token])


def websub_subscribe(
    *, feed: Feed, mode: str = "subscribe", client: httpx.Client | None = None
) -> WebSubSubscription:
    """Ask the feed's hub to (un)subscribe us; the hub confirms later through the callback.

    The pending mode is saved *before* the request, because a hub may verify while our
    request is still open. A refused hub address, a network error or a non-2xx answer is
    recorded on the subscription (state "failed") and retried after `RETRY_AFTER`.
    """
    if not feed.hub_url:
        raise ValueError(f"feed {feed.pk} declares no WebSub hub")
    if not callback_base():
        raise ValueError("set TTDN_WEBSUB_CALLBACK_URL to the public base URL to use WebSub")
    subscription, _ = WebSubSubscription.objects.get_or_create(
        feed=feed,
        defaults={
            "hub_url": feed.hub_url,
            "topic": feed.url,
            "token": secrets.token_urlsafe(24),
            "secret": protocol.new_secret(),
            "state": WebSubState.REQUESTED,
        },
    )
    if mode == "subscribe":
        subscription.secret = protocol.new_secret()  # a new lease, a new secret
    subscription.hub_url, subscription.topic = feed.hub_url, feed.url
    subscription.pending_mode = mode
    subscription.requested_at = timezone.now()
    subscription.state = WebSubState.REQUESTED
    subscription.last_error = ""
    subscription.save()
    form = protocol.subscription_form(
        topic=subscription.topic, callback=callback_url(subscription),
        secret=subscription.secret, mode=mode,
    )  # fmt: skip
    error = ""
    try:
        allow_private = feed.source.allow_private
        check_url(subscription.hub_url, allow_private=allow_private, resolve=True)
        # the fetcher's guarded client checks the address again at connect time, so a name
        # that resolved to a public address above cannot rebind to an internal one now
        http = client or runtime_get().clients.client_for(allow_private=allow_private)
        with wall_clock_limit(HUB_TIMEOUT_S):
            response = http.post(subscription.hub_url, data=form, timeout=HUB_TIMEOUT_S)
        if not 200 <= response.status_code < 300:
            error = f"hub answered {response.status_code}: {response.text[:300]}"
    except PipelineError as exc:
        error = f"{exc.reason}: {exc}"
    except httpx.HTTPError as exc:
        error = f"hub unreachable: {type(exc).__name__}: {exc}"
    if error:
        counter_increment("websub", "subscribe_failed")
        WebSubSubscription.objects.filter(pk=subscription.pk).update(
            state=WebSubState.FAILED, last_error=error[:2000]
        )
        subscription.refresh_from_db()
    return subscription


def websub_subscribe_due(*, now: dt.datetime | None = None) -> int:
    """Subscribe feeds with a hub and no live subscription; renew leases running out."""
    if not callback_base():
        return 0
    now = now or timezone.now()
    feeds = Feed.objects.filter(source__active=True).exclude(hub_url="")
    due = feeds.filter(
        Q(websub__isnull=True)
        | Q(websub__state__in=[WebSubState.FAILED, WebSubState.DENIED],
            websub__requested_at__lt=now - RETRY_AFTER)
        | Q(websub__state=WebSubState.REQUESTED, websub__requested_at__lt=now - VERIFY_TIMEOUT)
        | Q(websub__state=WebSubState.ACTIVE, websub__renew_after__lt=now)
    ).select_related("source")  # fmt: skip
    count = 0
    for feed in due:
        websub_subscribe(feed=feed)
        count += 1
    return count


def websub_verify(*, token: str, params: dict[str, str]) -> tuple[int, str]:
    """The hub's verification of intent: (HTTP status, body) to answer it with."""
    subscription = WebSubSubscription.objects.filter(token=token).first()
    if subscription is None:
        return 404, "unknown subscription"
    answer = protocol.intent_answer(
        params, topic=subscription.topic, pending_mode=subscription.pending_mode or None
    )
    if not answer.confirm:
        counter_increment("websub", "verification_refused")
        return 404, answer.reason
    now = timezone.now()
    if answer.mode == "denied":
        subscription.state = WebSubState.DENIED
        subscription.last_error = f"hub denied the subscription: {answer.reason}"[:2000]
    elif answer.mode == "unsubscribe":
        subscription.state = WebSubState.UNSUBSCRIBED
    else:
        subscription.state = WebSubState.ACTIVE
        subscription.verified_at = now
        lease = answer.lease_seconds or protocol.DEFAULT_LEASE_S
        subscription.lease_expires_at = now + dt.timedelta(seconds=lease)
        subscription.renew_after = now + dt.timedelta(seconds=lease * 0.9)
    subscription.pending_mode = ""
    subscription.save()
    return 200, answer.challenge


def websub_receive(
    *, token: str, body: bytes, signature: str, content_type: str = ""
) -> tuple[int, str]:
    """A content delivery: stored when its signature is valid, else ignored.

    Invalid signatures are answered 202 like valid ones, as the spec allows, so that the
    answer tells a forger nothing; they are counted and never stored.
    """
    subscription = WebSubSubscription.objects.filter(token=token).first()
    if subscription is None or subscription.state == WebSubState.UNSUBSCRIBED:
        return 410, "no such subscription"
    if len(body) > protocol.MAX_DELIVERY_BYTES:
        counter_increment("websub", "delivery_too_large")
        return 413, f"deliveries are limited to {protocol.MAX_DELIVERY_BYTES} bytes"
    if not protocol.signature_valid(subscription.secret, body, signature):
        counter_increment("websub", "bad_signature")
        return 202, "ignored"
    WebSubDelivery.objects.create(
        subscription=subscription, body=body, content_type=content_type[:200]
    )
    return 202, "accepted"


def websub_deliveries_process(
    *, limit: int = 20, runtime: MonitorRuntime | None = None
) -> dict[str, Any]:
    """Ingest stored deliveries, oldest first. A delivery is marked processed only after
    its items are stored, so a worker killed here redoes it, and the reports' unique URL
    hash keeps the redo from doubling anything."""
    runtime = runtime or runtime_get()
    summary = {"deliveries": 0, "reports_created": 0}
    pending = (
        WebSubDelivery.objects.filter(processed_at__isnull=True)
        .select_related("subscription__feed__source")
        .order_by("received_at", "pk")[:limit]
    )
    for delivery in pending:
        feed = delivery.subscription.feed
        errors: list[str] = []
        try:
            parsed = feeds_stage.parse(
                bytes(delivery.body), url=feed.url, content_type=delivery.content_type
            )
            errors.extend(parsed.errors)
            created = items_ingest(
                items=parsed.items, source=feed.source, runtime=runtime, errors=errors
            )
        except Exception as exc:  # noqa: BLE001 - one poisoned delivery must not be retried
            # forever in front of the others; polling reads the same feed, so nothing is lost
            logger.exception("websub delivery %s failed", delivery.pk)
            counter_increment("websub", "delivery_failed")
            errors.append(f"delivery failed: {type(exc).__name__}: {exc}")
            created = 0
        WebSubDelivery.objects.filter(pk=delivery.pk).update(
            processed_at=timezone.now(), reports_created=created, error="\n".join(errors)[:2000]
        )
        WebSubSubscription.objects.filter(pk=delivery.subscription_id).update(
            deliveries=F("deliveries") + 1
        )
        summary["deliveries"] += 1
        summary["reports_created"] += created
    return summary
