"""A live-server request that ends leaves no database session behind, even while its client
keeps the connection alive (as Chromium does with the sockets of closed contexts).

Counted on PostgreSQL, where sessions are visible (CI's second run); SQLite has none."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.conftest import db_sessions_settle, other_db_sessions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_kept_alive_connection_holds_no_database_session(live_server) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("database sessions are counted on PostgreSQL (CI's second run)")
    address = urlsplit(live_server.url)
    before = other_db_sessions()
    client = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    try:
        client.request("GET", "/vi/")  # Wagtail looks up the site: the request uses the database
        response = client.getresponse()
        response.read()
        assert response.status in (200, 404)
        assert not response.will_close, "the server closed the connection: nothing is tested"
        # the connection stays open, its server thread waits for a next request
        assert db_sessions_settle(before, timeout_s=30.0) <= before
    finally:
        client.close()
