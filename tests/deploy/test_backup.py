"""Finding 8: `ttdn backup` then `ttdn restore` into a fresh data directory, which then serves
the same data (same users and passwords, same stories, same generated report files, same
secret key, so signed sessions stay valid). Real commands in subprocesses, real SQLite in WAL
mode with the platform's own settings. (PostgreSQL: the same commands use pg_dump and
pg_restore; CI runs this module against PostgreSQL too, see `test_backup_postgresql`.)"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TTDN = [sys.executable, "-m", "ttdn.cli"]

MAKE_DATA = """
import django
django.setup()
from pathlib import Path
from django.conf import settings
from tests.factories import ReportFactory, StoryFactory, UserFactory
UserFactory(username="restored-analyst", role="central_analyst")
story = StoryFactory(title="Câu chuyện được sao lưu")
ReportFactory(story=story, title="Bài được sao lưu")
(Path(settings.DATA_DIR) / "reports").mkdir(exist_ok=True)
(Path(settings.DATA_DIR) / "reports" / "bao-cao.pdf").write_bytes(b"%PDF-1.7 report")
"""

SERVE_CHECK = """
import django
django.setup()
from django.test import Client
from tests.factories import PASSWORD
from ttdn.monitor.models import Story
client = Client()
answer = client.post("/dang-nhap/", {"username": "restored-analyst", "password": PASSWORD})
assert answer.status_code == 302, answer.status_code
story = Story.objects.get(title="Câu chuyện được sao lưu")
page = client.get(f"/theo-doi/cau-chuyen/{story.pk}/")
assert page.status_code == 200 and "Bài được sao lưu" in page.content.decode()
print("SERVED")
"""


PG_URL = os.environ.get("TTDN_DATABASE_URL", "")
DATABASES: dict[Path, str] = {}  # data directory -> database URL (PostgreSQL runs)


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "TTDN_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "ttdn.settings",
           "TTDN_ALLOWED_HOSTS": "testserver", "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}  # fmt: skip
    for name in ("TTDN_DATABASE_URL", "TTDN_SECRET_KEY"):
        env.pop(name, None)
    if data in DATABASES:
        env["TTDN_DATABASE_URL"] = DATABASES[data]
    return env


def _run(args: list[str], data: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=_env(data), cwd=ROOT, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    if check and result.returncode:
        raise AssertionError(f"{args[-2:]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _fresh_postgres_database(name: str) -> str:
    """A new, empty database on the PostgreSQL server of TTDN_DATABASE_URL."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        if not PG_URL.startswith("postgres"):
            pytest.skip("needs TTDN_DATABASE_URL=postgresql://… (CI's PostgreSQL run)")
        DATABASES[tmp_path / "old"] = _fresh_postgres_database("ttdn_backup_old")
        DATABASES[tmp_path / "new"] = _fresh_postgres_database("ttdn_backup_new")
    return str(request.param)


def test_backup_then_restore_into_a_fresh_directory_serves_the_same_data(
    tmp_path: Path, engine: str
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _run([*TTDN, "migrate"], old)
    _run([sys.executable, "-c", MAKE_DATA], old)
    done = _run([*TTDN, "backup", str(tmp_path)], old)
    archives = list(tmp_path.glob("ttdn-backup-*.tar.gz"))
    assert len(archives) == 1, done.stdout + done.stderr
    archive = archives[0]
    assert archive.stat().st_mode & 0o077 == 0  # it holds password hashes and the key
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    database = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
    assert {"manifest.json", database, "files/secret_key",
            "files/reports/bao-cao.pdf"} <= set(names)  # fmt: skip
    assert not any(n.startswith("files/ttdn.sqlite3") for n in names)

    restored = _run([*TTDN, "restore", str(archive)], new)
    assert '"files": ' in restored.stdout
    assert (new / "secret_key").read_bytes() == (old / "secret_key").read_bytes()
    assert (new / "reports" / "bao-cao.pdf").read_bytes() == b"%PDF-1.7 report"
    assert "SERVED" in _run([sys.executable, "-c", SERVE_CHECK], new).stdout

    # a second restore over data that is now there is refused, with one clear line
    again = _run([*TTDN, "restore", str(archive)], new, check=False)
    assert again.returncode != 0 and "--force" in again.stderr


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    result = _run([*TTDN, "restore", str(junk)], tmp_path / "data", check=False)
    assert result.returncode != 0 and "not a ttdn backup" in result.stderr
