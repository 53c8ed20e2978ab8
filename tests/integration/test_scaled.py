"""The scaled-out recipe, as an operator runs it: `ttdn scaled` on one machine, a worker
killed mid-batch, and nothing lost, doubled or left stuck.

`ttdn scaled` starts a throwaway PostgreSQL 15 cluster, redis-server, `ttdn setup`, two web
processes, two fetch workers, the story consumer, the reports worker and beat (issue 10,
finding 17). Real feeds come from a real HTTP server on 127.0.0.1 (article pages answer
slowly, so the kill lands mid-batch); the sources are added with `ttdn source-add` and
polled only because beat finds them due. Once reports are stored, the test SIGKILLs the
fetch worker that holds a source's lock and checks, against the database, Redis, the logs
and both web processes' pages:

- the health page (through the second web process, signed in on the first: one key, one
  session store) shows the source stuck on the dead worker's lock, with holder and expiry;
- nobody polls that source while its lease runs (TTDN_SOURCE_LOCK_SECONDS, lowered here from
  120 s), and beat queues it again as soon as the lease runs out (it had moved the source's
  next poll an hour on when it queued the poll that died) — the job left running is
  re-queued, and its own message is still held by the broker for redelivery;
- every feed item ends as exactly one report, in one story, seen on both web processes, and
  the health page counts each fetch's new reports (stored by the consumer, another process);
- the supervisor restarted the killed worker, and SIGTERM stops everything cleanly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import html

from tests.integration.processes import free_ports, rss, tail, wait_for
from tests.monitor.conftest import Site, article_html
from ttdn.scaled import pg_bin

SOURCES = 3
ITEMS_PER_SOURCE = 8
TOTAL = SOURCES * ITEMS_PER_SOURCE
ARTICLE_DELAY_S = 1.0  # per article page, so the kill lands mid-batch
KILL_AFTER_ITEMS = 2  # of a source's items done when its worker is killed
LEASE_S = 30  # the source lock's lease here (120 s in production)
TASK = "monitor.source_poll"
RECEIVED = re.compile(re.escape(TASK) + r"\[([0-9a-f-]+)\] received")
SUCCEEDED = re.compile(re.escape(TASK) + r"\[([0-9a-f-]+)\] succeeded")


def _missing() -> str:
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        return "redis-server is not installed (Debian package redis-server)"
    try:
        pg_bin()
    except SystemExit:
        return "the PostgreSQL server programs are not installed (Debian package postgresql-15)"
    return ""


pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(_missing()), reason=_missing())]


def _serve(site: Site) -> tuple[list[str], dict[str, str]]:
    """SOURCES feeds of ITEMS_PER_SOURCE slow article pages; feed URLs and url → title."""
    now = datetime.now(UTC).replace(microsecond=0)
    feeds, titles = [], {}
    for s in range(SOURCES):
        items = []
        for i in range(ITEMS_PER_SOURCE):
            title = f"Outlet {s} reports on Vietnam, item {i}"
            text = (
                f"Officials in Hà Nội said on Sunday that {1000 + 37 * i + s} people attended. "
                f"Outlet {s} filed report {i} from its correspondent in Vietnam."
            )
            path = f"/s{s}/article/{i}"
            site.add(path, article_html(title, [text] * 3), delay=ARTICLE_DELAY_S)
            url = site.base_url + path
            titles[url] = title
            items.append((title, url, text, now - timedelta(minutes=5 * i)))
        feeds.append(site.add(f"/s{s}/feed.xml", rss(items), content_type="application/rss+xml"))
    return feeds, titles


class Database:
    """Reads of the platform's PostgreSQL database, as the operator would with psql."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def one(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def close(self) -> None:
        self.conn.close()


def _login(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    form = client.get("/dang-nhap/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert form.status_code == 200 and token is not None, form.text[:500]
    answer = client.post(
        "/dang-nhap/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/dang-nhap/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


def _table(client: httpx.Client, base: str, path: str, table_id: str) -> list[list[str]]:
    page = client.get(f"{base}{path}")
    assert page.status_code == 200, page.text[:300]
    tree = html.fromstring(page.content)
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        for row in tree.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def state() -> Iterator[Path]:
    """The supervisor's state directory, outside pytest's 0700 tmp tree: as root the
    PostgreSQL cluster runs as the postgres user, who must be able to reach it."""
    path = Path(tempfile.mkdtemp(prefix="ttdn-scaled-test-", dir="/tmp"))
    path.chmod(0o755)
    yield path / "state"
    shutil.rmtree(path, ignore_errors=True)


def test_scaled_mode_survives_a_killed_worker_and_stops_cleanly(site: Site, state: Path) -> None:
    import redis

    web_ports = free_ports(2)
    pg_port, redis_port = free_ports(2)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TTDN_DATABASE_URL", "TTDN_BROKER_URL", "TTDN_BROKER_TRANSPORT_OPTIONS"}
    }
    env.update(
        TTDN_DATA_DIR=str(state / "data"),
        TTDN_EMBEDDER="hashing",
        TTDN_SOURCE_LOCK_SECONDS=str(LEASE_S),
        TTDN_INGEST_BATCH="2",  # queue for the story consumer every 2 items: kill mid-source
        TTDN_ADMIN_2FA="0",  # the test signs in with the printed password, no authenticator
        TTDN_E5_THREADS="1",
        PYTHONUNBUFFERED="1",
    )
    state.parent.joinpath("supervisor.log").touch()
    sup_log = state.parent / "supervisor.log"
    with sup_log.open("ab") as output:
        supervisor = subprocess.Popen(
            [
                sys.executable, "-m", "ttdn.cli", "scaled", "--state", str(state),
                "--web-ports", ",".join(map(str, web_ports)), "--pg-port", str(pg_port),
                "--redis-port", str(redis_port), "--no-demo", "--throwaway", "--grace", "20",
            ],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    info_path = state / "scaled.json"
    t0 = time.monotonic()

    def _phase(what: str) -> None:  # the figures in the report: where the time goes
        print(f"[{time.monotonic() - t0:6.1f} s] {what}", flush=True)
    db: Database | None = None
    broker: Any = None
    clients: list[httpx.Client] = []

    def logs() -> str:
        names = ["fetch1", "fetch2", "stories", "beat", "web1"]
        return "\n".join([tail(sup_log), *(tail(state / "logs" / f"{n}.log") for n in names)])

    def info() -> dict[str, Any]:
        if supervisor.poll() is not None:
            pytest.fail(f"ttdn scaled exited with {supervisor.returncode}\n{logs()}")
        if not info_path.exists():
            return {}
        data = json.loads(info_path.read_text())
        return data if data.get("ready") else {}

    try:
        started = wait_for("ttdn scaled to be ready", info, 480, logs)
        _phase("ready")
        base1, base2 = (url.rstrip("/") for url in started["web"])
        db = Database(started["database_url"])
        broker = redis.Redis.from_url(started["broker_url"])
        password = re.search(r"Administrator: admin\s+password: (\S+)", sup_log.read_text())
        assert password, tail(sup_log)
        processes = started["processes"]
        assert {"web1", "web2", "fetch1", "fetch2", "stories", "reports", "beat"} <= set(
            processes
        )

        feeds, titles = _serve(site)
        ttdn_env = {**env, "TTDN_DATABASE_URL": started["database_url"],
                    "TTDN_BROKER_URL": started["broker_url"]}  # fmt: skip
        adding = [
            subprocess.Popen(
                [sys.executable, "-m", "ttdn.cli", "source-add", feed_url, "--name",
                 f"Outlet {n}", "--allow-private", "--interval", "3600"],
                env=ttdn_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            )  # fmt: skip
            for n, feed_url in enumerate(feeds)
        ]
        for proc in adding:
            out, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0, out.decode(errors="replace")[-2000:]
        # signed in on the first web process; the second serves the same session (one key,
        # one database), so the health page below is read through the other process
        admin = _login(base1, "admin", password.group(1))
        clients.append(admin)
        # the second process serves that session too; reading its health page now also
        # loads its views, so the read right after the kill is well within the lease
        assert _table(admin, base2, "/theo-doi/tinh-trang/", "source-locks")

        fetchers = {processes[n]["pid"]: n for n in ("fetch1", "fetch2")}

        def reports() -> int:
            return int(db.one("select count(*) from monitor_report"))

        def victim() -> tuple[int, int, str, datetime] | None:
            """A source locked by a fetch worker mid-poll: some of its items done (queued for
            the consumer or stored), most not."""
            for source_id, holder, until in db.rows(
                "select s.id, s.locked_by, s.locked_until from monitor_source s "
                "where s.locked_by != '' and (select count(*) from monitor_report r "
                "where r.source_id = s.id) + (select count(*) from monitor_pendingarticle p "
                "where p.source_id = s.id) between %s and %s",
                (KILL_AFTER_ITEMS, ITEMS_PER_SOURCE - 3),
            ):
                pid = int(holder.split(":")[1])
                if pid in fetchers:
                    return source_id, pid, holder, until
            return None

        _phase("sources added; signed in")
        source_id, pid, holder, _ = wait_for(
            "beat to queue the sources and a fetch worker to hold one mid-poll",
            victim, 240, lambda: f"reports: {reports()}\n{logs()}",
        )  # fmt: skip
        os.killpg(pid, signal.SIGKILL)  # no cleanup, no ack, no unlock
        killed_at = db.one("select now()")
        killed = fetchers[pid]
        # what the dead worker wrote (its restart appends to the same log, seconds later)
        killed_log = (state / "logs" / f"{killed}.log").read_bytes().decode(errors="replace")
        _phase(f"killed {killed} holding source {source_id}")
        # the lock the dead poll last renewed: nobody may poll the source before it runs out
        until_at_kill = db.one("select locked_until from monitor_source where id = %s",
                               (source_id,))  # fmt: skip
        assert db.one("select locked_by from monitor_source where id = %s", (source_id,)) == holder
        stored_at_kill = int(
            db.one("select count(*) from monitor_report where source_id = %s", (source_id,))
        )
        assert stored_at_kill < ITEMS_PER_SOURCE, "the kill must land mid-batch"

        # the supervisor reaps the dead worker (until then it is a zombie, which looks alive
        # to everyone) and starts it again
        def restarted() -> bool:
            return json.loads(info_path.read_text())["processes"][killed]["pid"] != pid

        wait_for(f"the supervisor to restart {killed}", restarted, 60, logs)
        # the health page, through the other web process, shows the source stuck on the
        # dead worker's lock (holder, since when, when the lease runs out)
        name = db.one("select name from monitor_source where id = %s", (source_id,))
        locks = {row[0]: row for row in _table(admin, base2, "/theo-doi/tinh-trang/",
                                                "source-locks")}  # fmt: skip
        assert name in locks, (locks, "the lease ran out before the page was read?")
        assert locks[name][1] == holder
        assert locks[name][4].startswith("Kẹt: tiến trình giữ khóa đã dừng"), locks[name]

        # the job left running: its message is still held by Redis (acks_late; redelivered
        # after the visibility timeout), and beat queues the source again once the lease
        # runs out, although the poll that died had moved its next poll an hour on
        unfinished = set(RECEIVED.findall(killed_log)) - set(SUCCEEDED.findall(killed_log))
        held = {json.loads(raw)[0].get("headers", {}).get("id") for raw in broker.hvals("unacked")}
        assert unfinished and unfinished <= held, (unfinished, held)

        def sources() -> list[tuple[Any, ...]]:
            return db.rows("select id, locked_by, locked_until, next_poll_at from monitor_source")

        def settled() -> bool:
            per_source = db.rows(
                "select source_id, count(*) from monitor_report group by source_id"
            )
            return (
                reports() == TOTAL
                and all(n == ITEMS_PER_SOURCE for _, n in per_source)
                and int(db.one("select count(*) from monitor_pendingarticle")) == 0
                and int(db.one("select count(*) from monitor_source where locked_by != ''")) == 0
            )

        wait_for(
            "every item to become a report after the kill",
            settled, 240,
            lambda: f"reports: {reports()}/{TOTAL}\n{sources()}\n{logs()}",
        )  # fmt: skip

        _phase("settled")
        # nobody polled the source while the dead poll's lease ran; it was polled again
        # after, because its lock lapsed unreleased (not after an hour, not by redelivery)
        feed_id = db.one("select id from monitor_feed where source_id = %s", (source_id,))
        starts = [r[0] for r in db.rows(
            "select started_at from monitor_fetchlog where feed_id = %s order by started_at",
            (feed_id,),
        )]  # fmt: skip
        assert len(starts) >= 2, starts
        assert not [s for s in starts[1:] if s < until_at_kill], (starts, until_at_kill)
        assert int(db.one(
            "select coalesce(sum(count), 0) from monitor_stagecounter "
            "where stage = 'poll' and reason = 'lock_expired_polled_again'"
        )) >= 1  # fmt: skip
        print(json.dumps({"lease_s": LEASE_S, "polled_again_after_kill_s": round(
            (starts[-1] - killed_at).total_seconds(), 1)}))  # fmt: skip

        # every item is exactly one report in exactly one story
        assert int(db.one("select count(distinct url_hash) from monitor_report")) == TOTAL
        assert sorted(r[0] for r in db.rows("select url from monitor_report")) == sorted(titles)
        assert int(db.one("select count(*) from monitor_report where story_id is null")) == 0
        assert int(db.one("select sum(report_count) from monitor_story")) == TOTAL

        # both web processes show every report: each story page, alternating processes
        stories = db.rows("select id from monitor_story order by id")
        seen: set[str] = set()
        for n, (story_id,) in enumerate(stories):
            page = admin.get(f"{(base1, base2)[n % 2]}/theo-doi/cau-chuyen/{story_id}/")
            assert page.status_code == 200
            seen |= {title for title in titles.values() if title in page.text}
        assert seen == set(titles.values())
        # the health page counts each fetch's new reports although the consumer, another
        # process, stored them: over all fetches, every report once
        fetched = _table(admin, base1, "/theo-doi/tinh-trang/", "fetch-logs")
        assert sum(int(row[4]) for row in fetched) == TOTAL, fetched

        # the supervisor restarted the killed worker
        restarted = json.loads(info_path.read_text())["processes"][killed]
        assert restarted["restarts"] >= 1 and restarted["pid"] != pid
        assert f"{killed} (pid {pid}) exited with -9: restarting" in sup_log.read_text()
        pids = [p["pid"] for p in json.loads(info_path.read_text())["processes"].values()]

        # SIGTERM (as Ctrl-C or systemd): everything stops, in order, and the process exits 0
        for client in clients:
            client.close()
        clients.clear()
        db.close()
        db = None
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=180) == 0, tail(sup_log)
        _phase("stopped")
        assert "[ttdn scaled] stopped" in sup_log.read_text()
        assert not [p for p in pids if _alive(p)], "a child outlived the supervisor"
        assert not (state / "postgres").exists()  # --throwaway
        assert not info_path.exists()
    finally:
        for client in clients:
            client.close()
        if db is not None:
            db.close()
        if broker is not None:
            broker.close()
        if supervisor.poll() is None:
            supervisor.send_signal(signal.SIGTERM)
            try:
                supervisor.wait(timeout=120)
            except subprocess.TimeoutExpired:
                supervisor.send_signal(signal.SIGINT)  # a second signal: kill what is left
                supervisor.wait(timeout=60)
