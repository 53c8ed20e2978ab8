from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ttdn import config


def test_secret_key_is_generated_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TTDN_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    second = config.secret_key(tmp_path)
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "is not a URL"),
        ("mysql://u@h/db", "unsupported scheme 'mysql'"),
        ("postgresql://user@localhost:5432", "no database name"),
        ("postgresql://user@localhost:notaport/db", "cannot be parsed"),
    ],
)
def test_broken_database_url_gives_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    monkeypatch.setenv("TTDN_DATABASE_URL", url)
    with pytest.raises(config.ConfigError) as excinfo:
        config.database(tmp_path)
    assert message in str(excinfo.value.code)


def test_default_database_is_sqlite_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TTDN_DATABASE_URL", raising=False)
    db = config.database(tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "ttdn.sqlite3")


def test_cli_reports_a_broken_database_url_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "TTDN_DATA_DIR": str(tmp_path), "TTDN_DATABASE_URL": "mysql://x@y/z"}
    result = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "TTĐN configuration error: TTDN_DATABASE_URL uses unsupported scheme 'mysql'; "
        "use postgresql:// or sqlite://"
    ]
