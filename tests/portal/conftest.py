"""The portal's demo is loaded once per test module inside a transaction that is rolled
back at the module's end; each test runs in a savepoint inside it (pytest-django's `db`), so
tests may publish, unpublish and delete without seeing each other's changes. Loading it per
test would cost ~20 s each (translations through wagtail-localize, search indexing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction

from ttdn.accounts.services import organisations_load
from ttdn.portal.demo import portal_demo_load


@pytest.fixture(scope="module")
def portal_module(django_db_setup, django_db_blocker) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        organisations_load()
        summary = portal_demo_load(all_languages=False)
        yield summary
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def portal(portal_module: dict[str, object], db: None) -> Iterator[dict[str, object]]:
    cache.clear()  # the page cache is per process, not per transaction
    yield portal_module
    cache.clear()
