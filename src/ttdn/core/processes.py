"""Which process holds a lock, a lease or a running job, and whether it is still alive.

An owner is "host:pid:token"; the token is new for every process start, because a container
restarted in place keeps its hostname and often its pid and must not mistake its dead
predecessor's work for its own. Only processes of this host can be known dead; elsewhere an
expiry decides (the callers' time limits)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

_PROCESS_TOKEN = uuid.uuid4().hex[:8]
#: When this process started (to tell work queued before it from work queued since).
STARTED_AT = dt.datetime.now(tz=dt.UTC)


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_PROCESS_TOKEN}"


def owner_is_dead(holder: str) -> bool:
    """True when `holder` ran on this host and that process (this start of it) is gone."""
    host, _, rest = holder.partition(":")
    pid, _, token = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return token != _PROCESS_TOKEN
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
