"""Finding 13: the data directory is 0700 and the SQLite file (and its WAL) 0600, whatever
the umask: they hold password hashes, sessions, webhook secrets and the secret key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x integer)")
    cursor.execute("INSERT INTO t VALUES (1)")
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_data_directory_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "TTDN_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "ttdn.settings"}
    env.pop("TTDN_DATABASE_URL", None)
    env.pop("TTDN_SECRET_KEY", None)
    subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, check=True, preexec_fn=lambda: os.umask(0o022)
    )
    assert _mode(data) == 0o700
    assert _mode(data / "ttdn.sqlite3") == 0o600
    assert _mode(data / "secret_key") == 0o600
    for extra in ("ttdn.sqlite3-wal", "ttdn.sqlite3-shm"):
        if (data / extra).exists():
            assert _mode(data / extra) == 0o600, extra


def test_an_existing_world_readable_data_directory_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "old"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "ttdn.sqlite3").touch()
    (data / "ttdn.sqlite3").chmod(0o644)
    env = {**os.environ, "TTDN_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "ttdn.settings"}
    env.pop("TTDN_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, check=True)
    assert _mode(data) == 0o700
    assert _mode(data / "ttdn.sqlite3") == 0o600
