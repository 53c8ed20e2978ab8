"""`ttdn scaled` refuses what it cannot run with one clear line, and leaves nothing running.

The whole mode, started and killed, is `tests/integration/test_scaled.py`; these are the
operator's mistakes that stop it before anything starts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ttdn.scaled import pg_bin


def _scaled(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "scaled", *args],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TTDN_DATABASE_URL", "TTDN_BROKER_URL"}}
    env["TTDN_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_a_taken_web_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _scaled(["--state", str(tmp_path / "st"), "--web-ports", f"{port}"],
                         _env(tmp_path))  # fmt: skip
    assert result.returncode != 0
    assert f"ttdn scaled: port {port} is taken: choose others with --web-ports" in result.stderr
    assert not (tmp_path / "st" / "postgres").exists()  # stopped before the database


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the cluster as another user")
def test_a_state_directory_the_postgres_user_cannot_reach_is_named(tmp_path: Path) -> None:
    try:
        pg_bin()
    except SystemExit:
        pytest.skip("the PostgreSQL server programs are not installed (postgresql-15)")
    hidden = tmp_path / "hidden"
    hidden.mkdir(mode=0o700)  # root's own: the postgres user may not pass
    hidden.chmod(0o700)
    (port,) = _free_ports(1)
    result = _scaled(["--state", str(hidden / "st"), "--web-ports", str(port)], _env(tmp_path))
    assert result.returncode != 0
    assert "ttdn scaled: the postgres user cannot reach" in result.stderr, result.stderr[-2000:]
    assert not (hidden / "st" / "postgres" / "PG_VERSION").exists()


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for sock in sockets:
            sock.close()
