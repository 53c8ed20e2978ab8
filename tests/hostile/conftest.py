"""The hostile server, one per test session (its bombs are built once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ttdn.benchmarks.hostile_site import HostileServer


@pytest.fixture(scope="session")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer().start()
    yield server
    server.stop()
