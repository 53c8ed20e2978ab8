"""WebSub protocol parts: subscription form, verification of intent, delivery signatures."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.pipeline import websub

TOPIC = "https://example.org/feed.xml"


def test_subscription_form_carries_secret_and_lease_only_when_subscribing() -> None:
    form = websub.subscription_form(topic=TOPIC, callback="https://us/websub/t/", secret="s3")
    assert form == {
        "hub.mode": "subscribe",
        "hub.topic": TOPIC,
        "hub.callback": "https://us/websub/t/",
        "hub.secret": "s3",
        "hub.lease_seconds": str(websub.DEFAULT_LEASE_S),
    }
    off = websub.subscription_form(topic=TOPIC, callback="c", secret="s", mode="unsubscribe")
    assert "hub.secret" not in off and off["hub.mode"] == "unsubscribe"
    with pytest.raises(ValueError, match="mode"):
        websub.subscription_form(topic=TOPIC, callback="c", secret="s", mode="publish")
    with pytest.raises(ValueError, match="200 bytes"):
        websub.subscription_form(topic=TOPIC, callback="c", secret="x" * 200)


def test_intent_is_confirmed_only_for_what_we_asked() -> None:
    ok = websub.intent_answer(
        {"hub.mode": "subscribe", "hub.topic": TOPIC, "hub.challenge": "abc",
         "hub.lease_seconds": "3600"},
        topic=TOPIC, pending_mode="subscribe",
    )  # fmt: skip
    assert ok.confirm and ok.challenge == "abc" and ok.lease_seconds == 3600
    other_topic = websub.intent_answer(
        {"hub.mode": "subscribe", "hub.topic": "https://evil/feed", "hub.challenge": "x"},
        topic=TOPIC, pending_mode="subscribe",
    )  # fmt: skip
    assert not other_topic.confirm and "topic" in other_topic.reason
    unasked = websub.intent_answer(
        {"hub.mode": "unsubscribe", "hub.topic": TOPIC, "hub.challenge": "x"},
        topic=TOPIC, pending_mode="subscribe",
    )  # fmt: skip
    assert not unasked.confirm
    nothing_pending = websub.intent_answer(
        {"hub.mode": "subscribe", "hub.topic": TOPIC, "hub.challenge": "x"},
        topic=TOPIC, pending_mode=None,
    )  # fmt: skip
    assert not nothing_pending.confirm
    bad_lease = websub.intent_answer(
        {"hub.mode": "subscribe", "hub.topic": TOPIC, "hub.challenge": "x",
         "hub.lease_seconds": "soon"},
        topic=TOPIC, pending_mode="subscribe",
    )  # fmt: skip
    assert not bad_lease.confirm and "lease" in bad_lease.reason
    denied = websub.intent_answer(
        {"hub.mode": "denied", "hub.topic": TOPIC, "hub.reason": "not allowed"},
        topic=TOPIC, pending_mode="subscribe",
    )  # fmt: skip
    assert denied.confirm and denied.mode == "denied" and denied.challenge == ""


def test_signature_checks_hmac_for_every_allowed_digest() -> None:
    body = b"<feed>...</feed>"
    for algo in ("sha1", "sha256", "sha384", "sha512"):
        header = websub.sign("secret", body, algo)
        assert websub.signature_valid("secret", body, header)
        assert not websub.signature_valid("other", body, header)
        assert not websub.signature_valid("secret", body + b" ", header)
    md5 = "md5=" + hmac.new(b"secret", body, hashlib.md5).hexdigest()
    assert not websub.signature_valid("secret", body, md5), "digests outside the spec refused"
    assert not websub.signature_valid("secret", body, "")
    assert not websub.signature_valid("", body, "sha1=00"), "no secret, nothing is valid"


@given(secret=st.text(min_size=1, max_size=60), body=st.binary(max_size=500),
       header=st.text(max_size=80))  # fmt: skip
def test_signature_check_never_raises_and_accepts_only_the_true_hmac(
    secret: str, body: bytes, header: str
) -> None:
    algo, _, digest = header.strip().partition("=")
    normalised = f"{algo.strip().lower()}={digest.strip().lower()}"
    genuine = {websub.sign(secret, body, a) for a in ("sha1", "sha256", "sha384", "sha512")}
    assert websub.signature_valid(secret, body, header) == (normalised in genuine)
    assert websub.signature_valid(secret, body, websub.sign(secret, body))
