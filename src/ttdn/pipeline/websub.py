"""WebSub (W3C Recommendation, formerly PubSubHubbub): push delivery for feeds that declare a hub.

A feed that names a hub (`<link rel="hub">` or an HTTP `Link: <…>; rel="hub"` header, read by
`feeds.parse` and `fetch`) can push new items to us instead of waiting for the next poll,
which cuts the time from publication to story from the poll interval to seconds.

This module holds the protocol's pure parts (no HTTP, no Django), so they are tested on
their own and the monitor app stays thin:

- `subscription_form` — the form fields of a subscribe / unsubscribe request to the hub;
- `intent_answer` — whether to confirm the hub's verification of intent (§5.3) and with
  which challenge: only for a topic and mode we asked for, so nobody can subscribe us to
  something we did not want;
- `signature_valid` — the `X-Hub-Signature: <algo>=<hex>` HMAC of a content delivery (§8),
  compared in constant time; a delivery without a valid signature is refused, since
  anyone can POST to a public callback.

Polling continues beside push at the source's interval: a hub that stops delivering costs
latency, never reports.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

#: Lease we ask for; hubs may grant less. Renewed when less than a tenth is left.
DEFAULT_LEASE_S = 10 * 24 * 3600

#: Digests the spec allows for X-Hub-Signature, by the name used in the header.
_DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
            "sha512": hashlib.sha512}  # fmt: skip

#: A pushed body larger than this is refused (the same cap as a fetched feed).
MAX_DELIVERY_BYTES = 10 * 1024 * 1024


def new_secret() -> str:
    """A fresh HMAC secret for one subscription (the spec caps it at 200 bytes)."""
    return secrets.token_hex(32)


def subscription_form(
    *, topic: str, callback: str, secret: str, mode: str = "subscribe",
    lease_seconds: int = DEFAULT_LEASE_S,
) -> dict[str, str]:  # fmt: skip
    """The `application/x-www-form-urlencoded` fields of a (un)subscription request."""
    if mode not in ("subscribe", "unsubscribe"):
        raise ValueError(f"mode must be 'subscribe' or 'unsubscribe', not {mode!r}")
    if not secret or len(secret.encode("utf-8")) >= 200:
        raise ValueError("the secret must be non-empty and shorter than 200 bytes")
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if mode == "subscribe":
        form["hub.secret"] = secret
        form["hub.lease_seconds"] = str(int(lease_seconds))
    return form


@dataclass(frozen=True, slots=True)
class IntentAnswer:
    """What to answer the hub's GET: `challenge` echoed with 200, or a 404 with `reason`."""

    confirm: bool
    challenge: str = ""
    mode: str = ""
    lease_seconds: int | None = None
    reason: str = ""


def intent_answer(
    params: Mapping[str, str], *, topic: str, pending_mode: str | None
) -> IntentAnswer:
    """Decide on a verification of intent for the subscription of `topic`.

    `pending_mode` is the mode we last asked the hub for ("subscribe" / "unsubscribe"), or
    None when we asked for nothing. A hub's "denied" notice is accepted (and recorded) for a
    pending subscription, with no challenge to echo.
    """
    mode = params.get("hub.mode", "")
    if params.get("hub.topic", "") != topic:
        return IntentAnswer(False, reason="topic does not match the subscription")
    if mode == "denied":
        if pending_mode != "subscribe":
            return IntentAnswer(False, reason="no pending subscription to deny")
        return IntentAnswer(True, mode="denied", reason=params.get("hub.reason", "")[:500])
    if mode not in ("subscribe", "unsubscribe"):
        return IntentAnswer(False, reason=f"unknown hub.mode {mode[:40]!r}")
    if mode != pending_mode:
        return IntentAnswer(False, reason=f"we did not ask to {mode}")
    challenge = params.get("hub.challenge", "")
    if not challenge:
        return IntentAnswer(False, reason="no hub.challenge")
    lease: int | None = None
    raw = params.get("hub.lease_seconds", "")
    if mode == "subscribe" and raw:
        try:
            lease = max(0, int(raw))
        except ValueError:
            return IntentAnswer(False, reason="hub.lease_seconds is not an integer")
    return IntentAnswer(True, challenge=challenge, mode=mode, lease_seconds=lease)


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """True when `header` ("sha256=<hex>" etc.) is the HMAC of `body` under `secret`."""
    algo, _, digest = header.strip().partition("=")
    factory = _DIGESTS.get(algo.strip().lower())
    if factory is None or not digest or not secret:
        return False
    expected = hmac.new(secret.encode("utf-8"), body, factory).hexdigest()
    return hmac.compare_digest(expected, digest.strip().lower())


def sign(secret: str, body: bytes, algo: str = "sha256") -> str:
    """The X-Hub-Signature value a hub sends for `body` (tests and local hubs use it)."""
    factory = _DIGESTS[algo]
    return f"{algo}={hmac.new(secret.encode('utf-8'), body, factory).hexdigest()}"
