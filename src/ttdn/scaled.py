"""`ttdn scaled`: the whole scaled-out mode on one machine, started and stopped as one.

It runs exactly the README's scaled-out recipe — the same commands an operator would put in
systemd units — so the recipe is tested (`tests/integration/test_scaled.py`) instead of only
written down:

- PostgreSQL: `TTDN_DATABASE_URL` when set, else a local cluster it creates once in
  `STATE/postgres` (password auth on 127.0.0.1 only; as root it runs as the `postgres` user,
  since `initdb` refuses root), kept between runs unless `--throwaway`;
- Redis: `TTDN_BROKER_URL` when set, else a `redis-server` on 127.0.0.1 without persistence
  (a lost queue costs nothing: the scheduler queues every due source again);
- `ttdn setup` (catalogues, schema, static files, demo data unless `--no-demo`, the
  administrator, whose password it prints once);
- web processes (`ttdn run --no-worker`, one per `--web-ports` entry), fetch workers
  (`-Q celery`, threads), the single story consumer (`-Q stories`, solo), the reports
  worker (`-Q reports`) and one beat, each in its own process group, all with one data
  directory, one secret key (the key file in it), one database and one broker.

A child that dies is restarted (the source locks and acks_late make that safe); Ctrl-C or
SIGTERM stops beat, the web processes and the workers (warm shutdown: running tasks end,
after `--grace` seconds they are killed, and acks_late hands them to the next start), then
Redis and PostgreSQL. `STATE/scaled.json` says what runs where (pids, ports, logs).

No Django here: this process only supervises; every child sets Django up itself.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A child restarted this many times within RESTART_WINDOW_S is given up on (and everything
#: stops), so a crash loop (a wrong setting) is reported instead of spinning forever.
MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0
READY_TIMEOUT_S = 300.0


class ScaledError(SystemExit):
    """A problem the operator must fix, shown as one clear line."""

    def __init__(self, message: str) -> None:
        super().__init__(f"ttdn scaled: {message}")


@dataclass
class Child:
    name: str
    argv: list[str]
    ready_text: str  # in its log when it is ready ("" for web: the port answers instead)
    port: int | None = None
    proc: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)
    log: Path = Path()


def _say(message: str) -> None:
    print(f"[ttdn scaled] {message}", flush=True)


def _free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _redis_pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def pg_bin(explicit: str | None = None) -> Path:
    """The PostgreSQL server programs: `--pg-bin`, `initdb` on PATH, else the newest
    /usr/lib/postgresql/*/bin (Debian keeps them off PATH)."""
    if explicit:
        return Path(explicit)
    found = shutil.which("initdb")
    if found:  # resolve a symlink (e.g. /usr/local/bin/initdb) to the full set of programs
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise ScaledError(
            "no PostgreSQL server programs (initdb): install postgresql-15 "
            "(Debian) or set TTDN_DATABASE_URL to a database you run"
        )
    return Path(candidates[-1]).parent


class Supervisor:
    def __init__(self, ns: argparse.Namespace) -> None:
        self.ns = ns
        self.state = Path(ns.state).resolve()
        self.logs = self.state / "logs"
        self.env: dict[str, str] = dict(os.environ)
        self.children: list[Child] = []
        self.redis: subprocess.Popen[bytes] | None = None
        self.pg_dir: Path | None = None
        self.pg_started = False
        self.stopping = False
        self.hurry = False
        self.info: dict[str, Any] = {"ready": False}

    # ------------------------------------------------------------------ start-up
    def _as_postgres(self, argv: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return argv
        return ["runuser", "-u", "postgres", "--", *argv]

    def _run(self, argv: list[str], what: str, **kwargs: Any) -> str:
        proc = subprocess.run(argv, capture_output=True, text=True, **kwargs)
        if proc.returncode != 0:
            raise ScaledError(f"{what} failed: {(proc.stderr or proc.stdout).strip()[-1500:]}")
        return proc.stdout

    def database(self) -> str:
        if self.env.get("TTDN_DATABASE_URL"):
            _say("PostgreSQL: TTDN_DATABASE_URL (yours)")
            return self.env["TTDN_DATABASE_URL"]
        binaries = pg_bin(self.ns.pg_bin)
        pg_dir = self.pg_dir = self.state / "postgres"
        password_file = self.state / "postgres.password"
        port = self.ns.pg_port
        no_user = subprocess.run(["id", "postgres"], capture_output=True).returncode != 0
        if os.geteuid() == 0 and no_user:
            self._run(["useradd", "--system", "--no-create-home", "postgres"], "useradd")
        if not (pg_dir / "PG_VERSION").exists():
            _say(f"PostgreSQL: creating a cluster in {pg_dir}")
            pg_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            password = secrets.token_urlsafe(24)
            password_file.write_text(password)
            password_file.chmod(0o600)
            setup_pw = self.state / ".initdb-pw"
            setup_pw.write_text(password + "\n")
            if os.geteuid() == 0:
                shutil.chown(pg_dir, "postgres")
                shutil.chown(setup_pw, "postgres")
                probe = ["runuser", "-u", "postgres", "--", "test", "-w", str(pg_dir)]
                if subprocess.run(probe).returncode != 0:
                    raise ScaledError(
                        f"the postgres user cannot reach {pg_dir}: every directory above it "
                        "must be searchable by others (chmod o+x), or use --state elsewhere"
                    )
            try:
                self._run(
                    self._as_postgres([
                        str(binaries / "initdb"), "-D", str(pg_dir), "-U", "ttdn",
                        "--auth=scram-sha-256", f"--pwfile={setup_pw}", "-E", "UTF8",
                        "--locale=C.UTF-8",
                    ]),
                    "initdb",
                )  # fmt: skip
            finally:
                setup_pw.unlink(missing_ok=True)
        if not password_file.exists():
            raise ScaledError(f"{password_file} is missing: remove {pg_dir} to start afresh")
        if not _free(port):
            raise ScaledError(f"port {port} is taken: choose another with --pg-port")
        _say(f"PostgreSQL: starting on 127.0.0.1:{port}")
        self._run(
            self._as_postgres([
                str(binaries / "pg_ctl"), "-D", str(pg_dir), "-w", "-t", "120",
                "-l", str(pg_dir / "server.log"),
                "-o", f"-p {port} -k {pg_dir} -c listen_addresses=127.0.0.1",
                "start",
            ]),
            "pg_ctl start",
        )  # fmt: skip
        self.pg_started = True
        password = password_file.read_text().strip()
        env = {**os.environ, "PGPASSWORD": password}
        psql = [str(binaries / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "ttdn"]
        exists = self._run(
            [*psql, "-d", "postgres", "-tAc", "select 1 from pg_database where datname='ttdn'"],
            "psql",
            env=env,
        )
        if exists.strip() != "1":
            self._run([*psql, "-d", "postgres", "-c", "create database ttdn"], "createdb", env=env)
        quoted = urllib.parse.quote(password, safe="")
        return f"postgresql://ttdn:{quoted}@127.0.0.1:{port}/ttdn"

    def broker(self) -> str:
        if self.env.get("TTDN_BROKER_URL"):
            _say("Redis: TTDN_BROKER_URL (yours)")
            return self.env["TTDN_BROKER_URL"]
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise ScaledError(
                "redis-server is not installed (Debian package redis-server), "
                "or set TTDN_BROKER_URL to a Redis you run"
            )
        port = self.ns.redis_port
        if not _free(port):
            raise ScaledError(f"port {port} is taken: choose another with --redis-port")
        workdir = self.state / "redis"
        workdir.mkdir(mode=0o700, exist_ok=True)
        _say(f"Redis: starting on 127.0.0.1:{port} (no persistence)")
        self.redis = subprocess.Popen(
            [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(workdir), "--daemonize", "no",
                "--logfile", str(self.logs / "redis.log"),
            ],
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self._wait("Redis", lambda: _redis_pong(port), 30, self.redis)
        return f"redis://127.0.0.1:{port}/0"

    def _wait(self, what: str, ready: Any, timeout: float,
              proc: subprocess.Popen[bytes] | None = None) -> None:  # fmt: skip
        deadline = time.monotonic() + timeout
        while not ready():
            if self.stopping:
                raise KeyboardInterrupt
            if proc is not None and proc.poll() is not None:
                raise ScaledError(f"{what} exited with {proc.returncode} while starting")
            if time.monotonic() > deadline:
                raise ScaledError(f"{what} not ready after {timeout:.0f} s")
            time.sleep(0.2)

    def setup(self) -> None:
        argv = [sys.executable, "-m", "ttdn.cli", "setup"]
        if not self.ns.demo:
            argv.append("--no-demo")
        _say("setup: catalogues, schema, static files" + (", demo data" if self.ns.demo else ""))
        proc = subprocess.run(argv, env=self.env, cwd=self.state, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
        for line in proc.stdout.splitlines():
            if line.startswith("Administrator"):
                _say(line)
        (self.logs / "setup.log").write_text(proc.stdout)
        if proc.returncode != 0:
            raise ScaledError(f"ttdn setup failed (see {self.logs / 'setup.log'}):\n"
                              f"{proc.stdout[-2000:]}")  # fmt: skip

    def plan(self) -> None:
        """The processes of the README's recipe, with this installation's ports and paths."""
        celery = [sys.executable, "-m", "celery", "-A", "ttdn.celery"]
        for n, port in enumerate(self.ns.web_ports, start=1):
            self.children.append(Child(
                f"web{n}",
                [sys.executable, "-m", "ttdn.cli", "run", "--no-worker",
                 "--host", self.ns.host, "--port", str(port)],
                "", port=port,
            ))  # fmt: skip
        for n in range(1, self.ns.fetch_workers + 1):
            self.children.append(Child(
                f"fetch{n}",
                [*celery, "worker", "-n", f"fetch{n}@%h", "-l", "info", "--pool=threads",
                 f"--concurrency={self.ns.fetch_concurrency}", "-Q", "celery"],
                " ready.",
            ))  # fmt: skip
        self.children.append(Child(
            "stories",
            [*celery, "worker", "-n", "stories@%h", "-l", "info", "--pool=solo", "-Q", "stories"],
            " ready.",
        ))  # fmt: skip
        self.children.append(Child(
            "reports",
            [*celery, "worker", "-n", "reports@%h", "-l", "info", "--pool=threads",
             "--concurrency=1", "-Q", "reports"],
            " ready.",
        ))  # fmt: skip
        beat_dir = self.state / "beat"
        beat_dir.mkdir(mode=0o700, exist_ok=True)
        self.children.append(Child(
            "beat",
            [*celery, "beat", "-l", "info", "-s", str(beat_dir / "celerybeat-schedule"),
             "--pidfile", str(beat_dir / "celerybeat.pid")],
            "beat: Starting",
        ))  # fmt: skip
        for child in self.children:
            child.log = self.logs / f"{child.name}.log"

    def spawn(self, child: Child) -> None:
        with child.log.open("ab") as output:  # the child keeps its own descriptor
            child.proc = subprocess.Popen(
                child.argv, env=self.env, cwd=self.state, stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def child_ready(self, child: Child, since: int) -> bool:
        if child.port is not None:
            wildcard = self.ns.host in {"0.0.0.0", "::"}  # noqa: S104 - a comparison
            return _answers("127.0.0.1" if wildcard else self.ns.host, child.port)
        with child.log.open("rb") as handle:
            handle.seek(since)
            return child.ready_text.encode() in handle.read()

    def write_info(self) -> None:
        self.info["processes"] = {
            c.name: {"pid": c.proc.pid if c.proc else None, "log": str(c.log),
                     "restarts": len(c.restarts)}
            for c in self.children
        }  # fmt: skip
        path = self.state / "scaled.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.info, indent=2))
        tmp.chmod(0o600)  # it holds the database URL with its password
        tmp.replace(path)

    def start(self) -> None:
        self.state.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.geteuid() == 0 and not self.env.get("TTDN_DATABASE_URL"):
            self.state.chmod(0o711)  # the postgres user must pass through to its cluster
        self.logs.mkdir(mode=0o700, exist_ok=True)
        (self.state / "scaled.json").unlink(missing_ok=True)
        for port in self.ns.web_ports:
            if not _free(port):
                raise ScaledError(f"port {port} is taken: choose others with --web-ports")
        data_dir = self.env.setdefault("TTDN_DATA_DIR", str(self.state / "data"))
        self.env["TTDN_DATABASE_URL"] = self.database()
        self.env["TTDN_BROKER_URL"] = self.broker()
        self.env.setdefault("TTDN_BROKER_TRANSPORT_OPTIONS", '{"visibility_timeout": 900}')
        first_web = f"http://127.0.0.1:{self.ns.web_ports[0]}"
        self.env.setdefault("TTDN_DEMO_BASE_URL", first_web)
        # the embedding model's threads: share the cores among the fetch workers
        cores = os.cpu_count() or 1
        self.env.setdefault("TTDN_E5_THREADS", str(max(1, cores // self.ns.fetch_workers)))
        self.env["DJANGO_SETTINGS_MODULE"] = "ttdn.settings"
        self.env["PYTHONUNBUFFERED"] = "1"
        began = time.monotonic()
        self.setup()
        _say(f"setup done in {time.monotonic() - began:.0f} s")
        self.plan()
        self.info.update({
            "web": [f"http://{self.ns.host}:{p}/" for p in self.ns.web_ports],
            "data_dir": data_dir,
            "database_url": self.env["TTDN_DATABASE_URL"],
            "broker_url": self.env["TTDN_BROKER_URL"],
            "supervisor_pid": os.getpid(),
        })  # fmt: skip
        for child in self.children:
            self.spawn(child)
        for child in self.children:
            self._wait(child.name, lambda c=child: self.child_ready(c, 0), READY_TIMEOUT_S,
                       child.proc)  # fmt: skip
        self.info["ready"] = True
        self.write_info()
        _say("ready: " + ", ".join(self.info["web"]) + f" (logs: {self.logs})")
        _say(f"processes: {', '.join(c.name for c in self.children)}; Ctrl-C stops them all")

    # ------------------------------------------------------------------ running
    def watch(self) -> None:
        while not self.stopping:
            for child in self.children:
                assert child.proc is not None
                code = child.proc.poll()
                if code is None or self.stopping:
                    continue
                now = time.monotonic()
                child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_S]
                if len(child.restarts) >= MAX_RESTARTS:
                    raise ScaledError(
                        f"{child.name} keeps dying ({MAX_RESTARTS} restarts in "
                        f"{RESTART_WINDOW_S:.0f} s); see {child.log}"
                    )
                _say(f"{child.name} (pid {child.proc.pid}) exited with {code}: restarting")
                child.restarts.append(now)
                self.spawn(child)
                self.write_info()
            time.sleep(0.5)

    # ------------------------------------------------------------------ shutdown
    def _signal(self, signum: int, _frame: object) -> None:
        if self.stopping:
            self.hurry = True  # a second Ctrl-C: kill what is left now
        self.stopping = True

    def _stop_group(self, procs: list[subprocess.Popen[bytes]], grace: float) -> None:
        live = [p for p in procs if p.poll() is None]
        for proc in live:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while any(p.poll() is None for p in live) and time.monotonic() < deadline:
            if self.hurry:
                break
            time.sleep(0.2)
        for proc in live:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)

    def stop(self) -> None:
        self.stopping = True
        self.info["ready"] = False
        by_name = {c.name: c.proc for c in self.children if c.proc is not None}
        beat = [p for n, p in by_name.items() if n == "beat"]
        web = [p for n, p in by_name.items() if n.startswith("web")]
        workers = [p for n, p in by_name.items() if n not in {"beat"} and not n.startswith("web")]
        if by_name:
            _say("stopping: beat, then web and workers (running tasks end; at most "
                 f"{self.ns.grace:.0f} s)")  # fmt: skip
        self._stop_group(beat, 15)  # first: nothing new is queued while the rest stops
        self._stop_group(web + workers, self.ns.grace)
        if self.redis is not None:
            self._stop_group([self.redis], 15)
        if self.pg_started and self.pg_dir is not None:
            subprocess.run(
                self._as_postgres([str(pg_bin(self.ns.pg_bin) / "pg_ctl"), "-D",
                                   str(self.pg_dir), "-m", "fast", "-w", "stop"]),
                capture_output=True,
            )  # fmt: skip
        if self.ns.throwaway:
            for path in (self.state / "postgres", self.state / "redis"):
                shutil.rmtree(path, ignore_errors=True)
            (self.state / "postgres.password").unlink(missing_ok=True)
        (self.state / "scaled.json").unlink(missing_ok=True)
        _say("stopped")


def scaled_run(ns: argparse.Namespace) -> int:
    supervisor = Supervisor(ns)
    previous = {s: signal.signal(s, supervisor._signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        supervisor.start()
        supervisor.watch()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", default="scaled",
                        help="directory for the cluster, Redis, beat, logs and scaled.json "
                        "(default ./scaled); the data directory is TTDN_DATA_DIR, else "
                        "STATE/data")  # fmt: skip
    parser.add_argument("--host", default=os.environ.get("TTDN_HOST", "127.0.0.1"),
                        help="address the web processes listen on")  # fmt: skip
    parser.add_argument("--web-ports", default="8001,8002",
                        type=lambda v: [int(p) for p in v.split(",") if p.strip()],
                        help="one web process per port (default 8001,8002)")  # fmt: skip
    parser.add_argument("--fetch-workers", type=int, default=2)
    parser.add_argument("--fetch-concurrency", type=int, default=2)
    parser.add_argument("--pg-port", type=int, default=5433)
    parser.add_argument("--pg-bin", default=None, help="PostgreSQL server programs' directory")
    parser.add_argument("--redis-port", type=int, default=6380)
    parser.add_argument("--no-demo", dest="demo", action="store_false",
                        help="no demo data and sources")  # fmt: skip
    parser.add_argument("--grace", type=float, default=30.0,
                        help="seconds running tasks get to end at shutdown")  # fmt: skip
    parser.add_argument("--throwaway", action="store_true",
                        help="delete the local PostgreSQL cluster on exit")  # fmt: skip
