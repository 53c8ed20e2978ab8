from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ttdn.cli import build_parser
from ttdn.portal.demo_languages import EXTRA


def test_help_lists_the_subcommands() -> None:
    help_text = build_parser().format_help()
    commands = ("run", "migrate", "createadmin", "demo", "setup", "scaled", "eval", "bench")
    for command in (*commands, "import"):
        assert command in help_text


def _ttdn(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    env["TTDN_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "ttdn.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # setup migrates Wagtail too; generous on a busy machine
    )


@pytest.mark.slow
def test_second_setup_on_the_same_data_dir_keeps_the_data(tmp_path: Path) -> None:
    first = _ttdn(["setup"], tmp_path)
    assert first.returncode == 0, first.stderr
    password_line = [line for line in first.stdout.splitlines() if "password:" in line]
    assert password_line, first.stdout
    password = password_line[0].rsplit("password:", 1)[1].strip()
    secret = (tmp_path / "secret_key").read_text()

    db = sqlite3.connect(tmp_path / "ttdn.sqlite3")
    org_id = db.execute("select id from accounts_organisation where slug='lam-dong'").fetchone()[0]
    db.execute(
        "insert into coordinate_task"
        " (organisation_id, title, description, status, created_at, updated_at)"
        " values (?, 'kept across restarts', '', 'assigned', datetime('now'), datetime('now'))",
        (org_id,),
    )
    db.commit()
    db.close()

    second = _ttdn(["setup"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert f"password: {password}" in second.stdout  # same admin, same password shown again
    assert (tmp_path / "secret_key").read_text() == secret
    db = sqlite3.connect(tmp_path / "ttdn.sqlite3")
    assert (
        db.execute(
            "select count(*) from coordinate_task where title='kept across restarts'"
        ).fetchone()[0]
        == 1
    )
    assert db.execute("select count(*) from accounts_organisation").fetchone()[0] == 37
    # one administrator (the portal demo adds one provincial officer, no login)
    assert db.execute("select count(*) from accounts_user where is_superuser").fetchone()[0] == 1
    # the portal demo is loaded once: one home per demo language (vi, en, fr and EXTRA's)
    homes, locales = db.execute(
        "select count(*), count(distinct p.locale_id) from portal_homepage h"
        " join wagtailcore_page p on p.id = h.page_ptr_id"
    ).fetchone()
    assert homes == locales == 3 + len(EXTRA)
    # Respond's demo authors ("demo.*", no password) are created once
    demo = "select count(*) from accounts_user where username in ('demo.phanhoi', 'demo.pheduyet')"
    assert db.execute(demo).fetchone()[0] == 2
