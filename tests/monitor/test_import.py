"""`ttdn import FILE.jsonl`: the same pipeline as polled items; bad rows are counted, never
fatal; a second import of the same file adds nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ttdn.monitor.models import Report, StageCounter, Story
from ttdn.monitor.services import reports_import_jsonl

ROWS = [
    {"url": "https://news.example/a", "title": "Việt Nam xuất khẩu cà phê kỷ lục",
     "text": "Lâm Đồng - Xuất khẩu cà phê của Việt Nam đạt kỷ lục trong năm nay.",
     "date": "2026-11-20T08:00:00Z", "lang": "vi"},
    {"url": "https://news.example/b", "title": "Vietnam's coffee exports hit a record",
     "text": "Vietnam exported more coffee than ever this year, traders said.",
     "published": "2026-11-20T09:00:00+07:00"},
    {"doc_id": "no-url-7", "title": "Typhoon hits the coast", "text": "A typhoon hit Quảng Ninh."},
    {"url": "https://news.example/future", "title": "From the future",
     "text": "A report dated next year.", "date": "2099-01-01T00:00:00Z"},
    {"url": "https://news.example/a", "title": "The same URL again", "text": "Duplicate row."},
    {"url": "https://news.example/empty", "title": "", "text": "  "},
]  # fmt: skip


def _write(path: Path) -> Path:
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in ROWS]
    lines.insert(2, b"{not json")
    lines.insert(3, b"[1, 2]")
    lines.insert(4, '{"title": "Latin-1 bytes: caf\xe9"}'.encode("latin-1"))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.django_db
def test_import_counts_bad_rows_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    monkeypatch.setattr("ttdn.monitor.runtime._runtime", None)
    path = _write(tmp_path / "rows.jsonl")
    summary = reports_import_jsonl(path=str(path))
    assert summary["created"] == 4
    assert summary["skipped_existing"] == 1
    assert summary["error_count"] == 4
    errors = " | ".join(summary["errors"])
    assert "not JSON" in errors and "not an object" in errors and "not UTF-8" in errors
    assert "no text" in errors
    assert Report.objects.count() == 4
    # about Viet Nam: modelled, in stories; "From the future" names no tracked country: it is
    # stored and counted, without the model stages (no embedding, tone or story)
    future = Report.objects.get(url="https://news.example/future")
    assert future.story_id is None and not future.embedding and future.tone_score is None
    assert all(r.story_id for r in Report.objects.exclude(pk=future.pk))
    assert Story.objects.count() >= 2
    future = Report.objects.get(url="https://news.example/future")
    assert future.published_at <= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    assert Report.objects.get(url="urn:ttdn:import:no-url-7").published_at_estimated
    assert StageCounter.objects.get(stage="normalize", reason="date_in_future_clamped").count == 1

    again = reports_import_jsonl(path=str(path))
    assert again["created"] == 0 and again["skipped_existing"] == 5
    assert Report.objects.count() == 4


@pytest.mark.slow
def test_cli_import_shows_progress_and_prints_a_summary(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    env.update(TTDN_DATA_DIR=str(tmp_path / "data"), TTDN_EMBEDDER="hashing")
    run = [sys.executable, "-m", "ttdn.cli"]
    migrate = subprocess.run([*run, "migrate"], env=env, capture_output=True, text=True,
                             timeout=300)  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    done = subprocess.run([*run, "import", str(_write(tmp_path / "rows.jsonl"))], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["created"] == 4 and summary["error_count"] == 4
    assert "import:" in done.stderr and "rows" in done.stderr, "a tqdm progress bar"
    missing = subprocess.run([*run, "import", str(tmp_path / "nope.jsonl")], env=env,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
