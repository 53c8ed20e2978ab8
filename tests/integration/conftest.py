"""Fixtures shared with the monitor tests: the real HTTP server on 127.0.0.1."""

from tests.monitor.conftest import site  # noqa: F401 - re-exported fixture
