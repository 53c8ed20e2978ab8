from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.accounts.services import organisations_load
from ttdn.core import events, jobs


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Every test starts (and leaves) in the default language, Vietnamese. Django keeps the
    active language per thread, so a test that switched to English (a request through the
    test client, a report made in English) used to leave it active for the next test, and
    messages checked in Vietnamese then failed depending on the order tests ran in."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _admin_two_factor_off(settings):  # type: ignore[no-untyped-def]
    """Administrators' TOTP step (ttdn.accounts.twofactor) is off in tests that sign in an
    administrator for something else; tests/accounts/test_two_factor.py turns it on."""
    settings.TTDN_ADMIN_2FA = False


@pytest.fixture
def organisations(db: None) -> dict[str, Organisation]:
    organisations_load()
    return {o.slug: o for o in Organisation.objects.all()}


@pytest.fixture
def officer_lam_dong(organisations: dict[str, Organisation]):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


@pytest.fixture
def analyst(organisations: dict[str, Organisation]):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.CENTRAL_ANALYST, organisation=organisations["ban-chi-dao-ttdn"])


@pytest.fixture
def administrator(organisations: dict[str, Organisation]):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def other_db_sessions() -> int:
    """Other sessions on the test database (PostgreSQL; 0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def db_sessions_settle(at_most: int, timeout_s: float = 5.0) -> int:
    """Wait until at most `at_most` other sessions remain (a backend ends a moment after
    its client closed the socket); returns how many there are. Threads that leave theirs
    open make the test database impossible to drop at the end of a PostgreSQL run."""
    deadline = time.monotonic() + timeout_s
    while (count := other_db_sessions()) > at_most and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


@pytest.fixture
def registry() -> Iterator[None]:
    """Jobs and subscribers a test registers are forgotten after it."""
    saved_jobs = dict(jobs._registry)
    saved_subscribers = {event: dict(subs) for event, subs in events._subscribers.items()}
    try:
        yield
    finally:
        jobs._registry.clear()
        jobs._registry.update(saved_jobs)
        events._subscribers.clear()
        events._subscribers.update(saved_subscribers)
