"""What an alert says outside the platform, and the two outbound channels (email, webhook).

Outbound content is the report's title, URL and outlet, a link to the story in the
platform, and the conditions that matched — never the article text: the text belongs to a
third-party publisher and the platform only analyses it inside (DESIGN: nothing that leaves
the system carries it).

Senders never raise: they return an `Outcome`, and `services` records it on the delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ttdn.alerts.conf import setting
from ttdn.alerts.models import Alert
from ttdn.pipeline.addresses import check_url
from ttdn.pipeline.errors import PipelineError, RefusedURLError
from ttdn.pipeline.fetch import FetchPolicy, HttpClients
from ttdn.pipeline.urls import safe_http_url

SIGNATURE_HEADER = "X-TTDN-Signature"
TIMESTAMP_HEADER = "X-TTDN-Timestamp"
DELIVERY_HEADER = "X-TTDN-Delivery"
EVENT = "ttdn.alert"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    ok: bool
    error: str = ""
    response_status: int | None = None
    duration_ms: int = 0
    # a refusal that a retry cannot fix (a private webhook address, no recipients)
    permanent: bool = False


def site_url(path: str) -> str:
    return f"{str(setting('SITE_URL')).rstrip('/')}{path}"


def alert_payload(alert: Alert, *, timestamp: int | None = None) -> dict[str, Any]:
    """The JSON document a webhook receives (and what the email says, in prose).

    `timestamp` is inside the signed body, so a receiver can refuse replays of old calls;
    the `X-TTDN-Timestamp` header repeats it for receivers that check before parsing.
    """
    report = alert.report
    story = alert.story
    source = report.source if report is not None else None
    return {
        "event": EVENT,
        "timestamp": int(time.time()) if timestamp is None else timestamp,
        "alert": {
            "id": alert.pk,
            "url": site_url(reverse("alerts:alert_detail", args=[alert.pk])),
            "created_at": alert.created_at.isoformat(),
            "trigger": alert.trigger,
            "matched": alert.matched,
        },
        "rule": {"id": alert.rule_id, "name": alert.rule_name},
        "organisation": alert.organisation.slug,
        "report": {
            "id": alert.report_id,
            "title": alert.title,
            "url": safe_http_url(alert.url),
            "outlet": alert.outlet,
            "outlet_country": source.country if source is not None else "",
            "language": report.language if report is not None else "",
            "published_at": report.published_at.isoformat()
            if report is not None and report.published_at
            else None,
            "tone_score": report.tone_score if report is not None else None,
        },
        "story": None
        if story is None
        else {
            "id": story.pk,
            "title": story.title,
            "url": site_url(reverse("story_detail", args=[story.pk])),
            "report_count": story.report_count,
            "first_seen_at": story.first_seen_at.isoformat(),
        },
    }


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex HMAC-SHA256 of the body>`, the value of the signature header."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def matched_items(matched: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of an alert's matched conditions, in the active language."""
    labels = {
        "keywords": pgettext("alerts", "Từ khóa"),
        "entities": _("Nhân vật, tổ chức"),
        "places": _("Địa danh"),
        "language": _("Ngôn ngữ"),
        "source_kind": _("Loại nguồn"),
        "outlet_country": _("Quốc gia của cơ quan báo chí"),
        "tone": _("Sắc thái"),
        "burst": _("Tăng đột biến"),
    }
    items = []
    for key, value in (matched or {}).items():
        if key == "burst" and isinstance(value, dict):
            shown = _("%(reports)s bài") % {"reports": value.get("reports")}
            if value.get("window_minutes"):
                shown += " / " + _("%(minutes)s phút") % {"minutes": value["window_minutes"]}
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        items.append((str(labels.get(key, key)), shown))
    return items


def email_message(alert: Alert) -> tuple[str, str]:
    """Subject and plain-text body, in the platform's default language (Vietnamese)."""
    payload = alert_payload(alert)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[TTĐN] Cảnh báo “%(rule)s”: %(title)s") % {
            "rule": alert.rule_name,
            "title": alert.title or alert.url,
        }
        lines = [
            _("Quy tắc: %(rule)s") % {"rule": alert.rule_name},
            _("Bài báo: %(title)s") % {"title": alert.title or "—"},
            _("Địa chỉ: %(url)s") % {"url": alert.url},
            _("Cơ quan báo chí: %(outlet)s") % {"outlet": alert.outlet or "—"},
        ]
        if payload["story"] is not None:
            lines.append(
                _("Câu chuyện (%(count)s bài): %(url)s")
                % {"count": payload["story"]["report_count"], "url": payload["story"]["url"]}
            )
        matched = [f"- {label}: {value}" for label, value in matched_items(alert.matched)]
        lines += ["", _("Điều kiện khớp:"), *matched, ""]
        lines.append(_("Xem cảnh báo: %(url)s") % {"url": payload["alert"]["url"]})
    subject = " ".join(subject.split())[:200]
    return subject, "\n".join(lines) + "\n"


def send_email(alert: Alert, addresses: list[str]) -> Outcome:
    """Send one plain-text email to the rule's addresses through Django's email backend."""
    if not addresses:
        return Outcome(ok=False, error="no email addresses", permanent=True)
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend.endswith("smtp.EmailBackend") and not getattr(settings, "EMAIL_HOST", ""):
        return Outcome(ok=False, error="email is not configured: set TTDN_EMAIL_HOST")
    subject, body = email_message(alert)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
        headers={"Auto-Submitted": "auto-generated", "X-TTDN-Alert": str(alert.pk)},
    )
    started = time.perf_counter()
    try:
        with get_connection(fail_silently=False) as connection:
            message.connection = connection
            sent = message.send()
    except Exception as exc:  # noqa: BLE001 - SMTP, DNS, TLS, timeouts: all recorded, retried
        return Outcome(ok=False, error=_error_text(exc), duration_ms=_ms(started))
    if not sent:
        return Outcome(ok=False, error="the email backend sent nothing", duration_ms=_ms(started))
    return Outcome(ok=True, duration_ms=_ms(started))


def send_webhook(alert: Alert, url: str, secret: str, *, delivery_id: int) -> Outcome:
    """POST the signed JSON payload; any 2xx is success, anything else is recorded.

    The URL is vetted with the fetcher's `check_url`, and the request goes through the
    fetcher's guarded client, which re-checks every resolved address at connect time, so a
    name that resolves to 10.0.0.5 is refused as well as a literal one. Redirects are not
    followed (a redirect to an internal address would bypass the check).
    """
    allow_private = bool(setting("ALERTS_WEBHOOK_ALLOW_PRIVATE"))
    try:
        check_url(url, allow_private=allow_private)
    except RefusedURLError as exc:
        return Outcome(ok=False, error=str(exc), permanent=True)
    except PipelineError as exc:
        return Outcome(ok=False, error=str(exc), permanent=True)
    timestamp = int(time.time())
    body = json.dumps(
        alert_payload(alert, timestamp=timestamp),
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(body, secret),
        TIMESTAMP_HEADER: str(timestamp),
        DELIVERY_HEADER: str(delivery_id),
        "X-TTDN-Event": EVENT,
    }
    started = time.perf_counter()
    try:
        client = _clients().client_for(allow_private=allow_private)
        with client.stream("POST", url, content=body, headers=headers) as response:
            status = response.status_code
            # the answer's body is not needed; read a little so keep-alive stays sane
            for _chunk in response.iter_bytes(chunk_size=4096):
                break
    except RefusedURLError as exc:
        return Outcome(ok=False, error=str(exc), permanent=True, duration_ms=_ms(started))
    except Exception as exc:  # noqa: BLE001 - timeouts, refused connections, TLS: retried
        return Outcome(ok=False, error=_error_text(exc), duration_ms=_ms(started))
    if 200 <= status < 300:
        return Outcome(ok=True, response_status=status, duration_ms=_ms(started))
    return Outcome(
        ok=False,
        error=f"webhook answered HTTP {status}",
        response_status=status,
        duration_ms=_ms(started),
    )


_CLIENTS: dict[float, HttpClients] = {}
_CLIENTS_LOCK = threading.Lock()


def _clients() -> HttpClients:
    """The process's webhook clients, built once per timeout setting.

    Building `HttpClients` costs tens of milliseconds (TLS contexts, connection pools);
    per alert that was most of a webhook's delivery time on a local network. httpx clients
    are thread-safe, so the web threads, the worker thread and Celery threads share them.
    """
    timeout = float(setting("ALERTS_WEBHOOK_TIMEOUT_S"))
    with _CLIENTS_LOCK:
        clients = _CLIENTS.get(timeout)
        if clients is None:
            policy = FetchPolicy(connect_timeout=timeout, read_timeout=timeout, max_concurrency=2)
            clients = _CLIENTS[timeout] = HttpClients(policy)
        return clients


def _ms(started: float) -> int:
    return max(0, round((time.perf_counter() - started) * 1000))


def _error_text(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:1000]
