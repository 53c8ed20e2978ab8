"""Fixtures for the alerts tests: rules, reports with places, and REAL local receivers.

The SMTP server (aiosmtpd) and the webhook receiver (http.server) listen on 127.0.0.1 in
threads of the test process; nothing is mocked between the platform and them.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import factory
import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, ReportFactory
from ttdn.alerts.models import Alert, AlertRule
from ttdn.alerts.services import alerts_evaluate_for_report
from ttdn.monitor.models import PlaceMention, Report


class AlertRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertRule

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Quy tắc {n}")
    keywords = factory.LazyFunction(lambda: ["Viet Nam"])
    cooldown_minutes = 360
    relevant_only = True
    deliver_in_app = True
    webhook_secret = "factory-secret"


def report_with(*, places: tuple[tuple[str, str], ...] = (), **kwargs: Any) -> Report:
    """A stored report (factory) with place mentions (kind, key)."""
    report = ReportFactory(**kwargs)
    PlaceMention.objects.bulk_create(
        PlaceMention(report=report, kind=kind, key=key, alias=key, start=0, end=1)
        for kind, key in places
    )
    return report


@pytest.fixture
def evaluate(django_capture_on_commit_callbacks) -> Callable[[Report], list[Alert]]:  # type: ignore[no-untyped-def]
    """Evaluate a report as the monitor does after its transaction commits (deliveries run)."""

    def run(report: Report) -> list[Alert]:
        with django_capture_on_commit_callbacks(execute=True):
            return alerts_evaluate_for_report(report.pk)

    return run


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a real SMTP server --------------------------------------------------------------------


@dataclass
class SmtpSink:
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    received_at: list[float] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received_at.append(time.time())
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    try:
        from aiosmtpd.controller import Controller
    except ImportError:  # pragma: no cover - the message says what to install
        pytest.fail("aiosmtpd is needed for the email tests: pip install 'aiosmtpd>=1.4,<2'")
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "TTĐN <canh-bao@ttdn.test>"
    yield sink
    controller.stop()


# --- a real webhook receiver ---------------------------------------------------------------


@dataclass
class Receiver:
    url: str = ""
    status: int = 200
    delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)

    def json(self, index: int = -1) -> dict[str, Any]:
        return json.loads(self.requests[index]["body"])


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # type: ignore[no-untyped-def]
    """An HTTP server on 127.0.0.1 recording every POST; webhooks to it are allowed."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                    "at": time.time(),
                }
            )
            if state.delay:
                time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ttdn"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    yield state
    server.shutdown()
    server.server_close()


def minutes_ago(n: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=n)
