"""Configuration read from the environment, with safe defaults for the embedded mode.

Kept apart from `settings.py` so the rules (where the data directory is, how the secret key
is created, how a database URL is checked) are plain functions that can be tested and that
fail with one readable line instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url


class ConfigError(SystemExit):
    """A configuration problem the operator must fix; shown as one clear line."""

    def __init__(self, message: str) -> None:
        super().__init__(f"TTĐN configuration error: {message}")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the SQLite file, the secret key and generated files live (TTDN_DATA_DIR).

    Private to the user running the platform (0700): it holds password hashes, sessions,
    webhook secrets and the secret key."""
    path = Path(os.environ.get("TTDN_DATA_DIR", "data")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _private(path, 0o700)
    return path


def _private(path: Path, mode: int) -> None:
    """Take group and other permissions away from `path` (when it is ours to change)."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(mode)
    except PermissionError:
        pass  # not the owner (a mounted volume): the operator's permissions stand


def private_file(path: Path) -> None:
    """Create `path` empty and 0600 if missing (SQLite then gives its -wal and -shm files
    the same mode), or make an existing one 0600."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    _private(path, 0o600)


def secret_key(directory: Path) -> str:
    """Return TTDN_SECRET_KEY, or the key kept in the data directory, creating it once.

    The key is generated on first start and never committed: a second start on the same
    data directory reuses it, so sessions and signed tokens survive restarts.
    """
    from_env = os.environ.get("TTDN_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    if key_file.exists():
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


SUPPORTED_DB_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "postgis"}


def database(directory: Path) -> dict[str, object]:
    """Parse TTDN_DATABASE_URL (PostgreSQL or SQLite); default SQLite in the data directory."""
    url = os.environ.get("TTDN_DATABASE_URL", "").strip()
    if not url:
        private_file(directory / "ttdn.sqlite3")
        config: dict[str, object] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(directory / "ttdn.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # The test database is a file in WAL mode too, not Django's default shared-cache
            # in-memory database: threads sharing that one get SQLITE_LOCKED ("database table
            # is locked") at once, with no busy timeout, which the file users run never gives.
            # Tests of the worker threads must meet the locking that users meet.
            "TEST": {"NAME": str(directory / "test_ttdn.sqlite3")},
        }
        return config
    scheme = urlsplit(url).scheme.lower()
    if not scheme:
        raise ConfigError(
            "TTDN_DATABASE_URL is not a URL; expected e.g. "
            "postgresql://user:password@host:5432/dbname"
        )
    if scheme not in SUPPORTED_DB_SCHEMES:
        raise ConfigError(
            f"TTDN_DATABASE_URL uses unsupported scheme {scheme!r}; use postgresql:// or sqlite://"
        )
    try:
        parsed = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"TTDN_DATABASE_URL cannot be parsed: {exc}") from exc
    if scheme != "sqlite" and not parsed.get("NAME"):
        raise ConfigError("TTDN_DATABASE_URL has no database name (the path after the host)")
    return parsed
