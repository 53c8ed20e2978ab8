"""A real headless Chromium (Debian's package) driven by Playwright; never `playwright install`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TTDN_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium")
    # Playwright's sync API runs an event loop; Django must allow ORM use from this thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def live_server_sessions_end_with_their_requests() -> Iterator[None]:
    """Each live-server request closes its database connection when it ends.

    WHY: Django's live server gives every keep-alive connection a thread of its own, and
    PostgreSQL connections persist for `CONN_MAX_AGE` (60 s in production, where waitress
    has a fixed number of threads). Chromium's network process keeps sockets of closed
    contexts open, so their threads wait for a next request that never comes, each
    holding a session: 51 such threads and sessions were open at once, well into a
    whole-suite run on PostgreSQL (seen with py-spy and `ss`; the default limit is 100
    sessions). With a maximum age of 0 a session ends with its request, as on SQLite."""
    database = connections.databases["default"]
    before_age = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    try:
        yield
    finally:
        database["CONN_MAX_AGE"] = before_age


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page; any Content-Security-Policy violation on it fails the test, so every
    browser test also proves its pages' scripts, styles and requests pass the policy."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    yield page
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"
