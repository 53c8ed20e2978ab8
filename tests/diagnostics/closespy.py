"""An opt-in pytest plugin that names who closes a database connection under someone else.

    TTDN_CLOSESPY_LOG=/tmp/closes.log python -m pytest -p tests.diagnostics.closespy ...

It logs, with the test, the thread and the stack:
- every close of a Django connection made inside an atomic block (Django then keeps the
  closed handle, and the next query fails with "Cannot operate on a closed database");
- every raw SQLite close made by a thread other than the one that opened the connection.

WHY it exists: a browser test once failed under load with "Cannot operate on a closed
database" in a live-server thread, and no run since has shown it again. This plugin found
`tests/monitor/test_stream.py` closing its own connection inside its transaction during a
whole-suite run under a CPU hog (issue 9). It changes nothing else and is never loaded
unless asked for.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import traceback
from typing import Any

from django.db.backends.base import base
from django.db.backends.sqlite3 import base as sqlite_base

LOG = os.environ.get("TTDN_CLOSESPY_LOG", "closespy.log")
_close = base.BaseDatabaseWrapper.close
_params = sqlite_base.DatabaseWrapper.get_connection_params


def _log(what: str) -> None:
    test = os.environ.get("PYTEST_CURRENT_TEST", "?")
    with open(LOG, "a", encoding="utf-8") as fh:
        fh.write(f"=== {time.strftime('%H:%M:%S')} {test} {what} ")
        fh.write(f"thread={threading.current_thread().name}\n")
        fh.write("".join(traceback.format_stack()))


def _spying_close(self: Any) -> None:
    if self.in_atomic_block and self.connection is not None and not self.closed_in_transaction:
        _log(f"Django close inside an atomic block, alias={self.alias}")
    _close(self)


class _SpyConnection(sqlite3.Connection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._spy_opened_by = threading.current_thread()

    def close(self) -> None:
        if threading.current_thread() is not self._spy_opened_by:
            _log(f"raw SQLite close from another thread (opened by {self._spy_opened_by.name})")
        super().close()


def _spying_params(self: Any) -> dict[str, Any]:
    params: dict[str, Any] = _params(self)
    params.setdefault("factory", _SpyConnection)
    return params


base.BaseDatabaseWrapper.close = _spying_close  # type: ignore[method-assign]
sqlite_base.DatabaseWrapper.get_connection_params = _spying_params  # type: ignore[method-assign]
