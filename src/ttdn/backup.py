"""`ttdn backup` / `ttdn restore`: one archive with the database, the secret key and every
file the platform made (generated reports, uploaded evidence).

Why not copy the data directory: SQLite runs in WAL mode, so a copy of a live
``ttdn.sqlite3`` can miss committed transactions still in ``-wal`` or be torn mid-write. The
database is therefore taken with SQLite's online backup API (a consistent snapshot while the
platform keeps running) or, on PostgreSQL, with ``pg_dump`` (custom format; ``pg_restore``
reads it back). The secret key goes in too: without it every session, password-reset link
and signed token made before the backup is void after a restore.

The archive is a .tar.gz with ``manifest.json`` first, then ``database.sqlite3`` or
``database.pgdump``, then ``files/`` (the data directory minus the database, ``static/``
(rebuilt by collectstatic) and earlier backups). It holds password hashes and the secret
key: it is written 0600; keep it like the data directory itself.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1
SKIPPED = ("static", "backups")


class BackupError(SystemExit):
    """A backup or restore problem the operator must fix; shown as one clear line."""

    def __init__(self, message: str) -> None:
        super().__init__(f"ttdn backup/restore: {message}")


def pg_tool(name: str) -> str:
    """`pg_dump` / `pg_restore` from PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} not found (install the PostgreSQL client tools)")


def _pg_env(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools; the password goes in the environment,
    never on the command line (visible in `ps`)."""
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [flag, str(database[key])]
    return args, env


def _files(data_dir: Path, db_name: str) -> list[Path]:
    out = []
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if rel.parts[0] in SKIPPED or not path.is_file() or path.is_symlink():
            continue
        if rel.parts[0].startswith((db_name, "test_")):
            continue
        out.append(path)
    return out


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup_create(target: Path) -> dict[str, Any]:
    """Write the archive to `target` (a directory gets a dated file name); its manifest."""
    from django.conf import settings
    from django.db import connection

    data_dir = Path(settings.DATA_DIR)
    if target.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = target / f"ttdn-backup-{stamp}.tar.gz"
    database = settings.DATABASES["default"]
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    db_file = Path(str(database["NAME"])) if engine == "sqlite" else None
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "engine": engine,
        "secret_key_from_environment": bool(os.environ.get("TTDN_SECRET_KEY")),
        "files": [],
    }
    with tempfile.TemporaryDirectory(prefix="ttdn-backup-") as tmp:
        snapshot = Path(tmp) / "database"
        if engine == "sqlite":
            assert db_file is not None
            source = sqlite3.connect(db_file)
            dest = sqlite3.connect(snapshot)
            try:
                source.backup(dest)  # online: consistent even while the platform writes
            finally:
                dest.close()
                source.close()
        else:
            args, env = _pg_env(database)
            subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(snapshot),
                 *args, str(database["NAME"])],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
        files = _files(data_dir, db_file.name if db_file else "\0")
        manifest["files"] = [str(p.relative_to(data_dir)) for p in files]
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            name = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
            tar.add(snapshot, arcname=name)
            for path in files:
                tar.add(path, arcname=f"files/{path.relative_to(data_dir)}")
    manifest["archive"] = str(target)
    return manifest


def _has_data() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "monitor_report" not in tables or "accounts_user" not in tables:
            return False
        cursor.execute("SELECT (SELECT count(*) FROM monitor_report) + "
                       "(SELECT count(*) FROM accounts_user)")  # fmt: skip
        return bool(cursor.fetchone()[0])


def backup_restore(archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore `archive` into the configured data directory and database.

    Refuses to overwrite a database that already has users or reports unless `force`:
    a restore replaces everything, and the usual target is a fresh installation.
    """
    from django.conf import settings
    from django.db import connection, connections

    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    data_dir = Path(settings.DATA_DIR)
    try:
        tar = tarfile.open(archive, mode="r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a ttdn backup ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="ttdn-restore-") as tmp:
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupError(f"{archive}: no readable manifest.json ({exc})") from exc
        engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        if manifest.get("engine") != engine:
            raise BackupError(
                f"{archive} holds a {manifest.get('engine')} database; this installation uses "
                f"{engine} (restore into an installation of the same kind)"
            )
        if not force and _has_data():
            raise BackupError(
                "the database already has users or reports; restore into a fresh data "
                "directory, or pass --force to replace them"
            )
        tar.extractall(tmp, filter="data")
        staged = Path(tmp)
        database = settings.DATABASES["default"]
        if engine == "sqlite":
            connections.close_all()
            db_file = Path(str(database["NAME"]))
            source = sqlite3.connect(staged / "database.sqlite3")
            dest = sqlite3.connect(db_file)
            try:
                source.backup(dest)  # page by page into the live file, WAL included
            finally:
                dest.close()
                source.close()
        else:
            connections.close_all()
            args, env = _pg_env(database)
            subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                 "--single-transaction", "--dbname", str(database["NAME"]), *args,
                 str(staged / "database.pgdump")],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
        restored = 0
        files_root = staged / "files"
        for rel in manifest.get("files", []):
            source_path = (files_root / rel).resolve()
            if files_root.resolve() not in source_path.parents or not source_path.is_file():
                continue
            target = data_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copy2(source_path, target)
            restored += 1
        if (data_dir / "secret_key").exists():
            (data_dir / "secret_key").chmod(0o600)
    return {"restored_from": str(archive), "engine": engine, "files": restored,
            "created_at": manifest.get("created_at")}  # fmt: skip
