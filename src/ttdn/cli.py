"""The `ttdn` command: one entry point for running, administering and evaluating the platform.

Django-backed subcommands set up Django lazily so that the framework-free ones (`eval`,
`bench`) start fast and work without a database.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ttdn.scaled import add_arguments as scaled_arguments

EVAL_KINDS = (
    "claims",
    "clustering",
    "pairs",
    "tone",
    "language",
    "extraction",
    "dimensions",
    "bursts",
    "dedupe",
)
BENCH_KINDS = (
    "claims",
    "pipeline",
    "latency",
    "queries",
    "browser-latency",
    "report",
    "coordinate",
    "hostile",
    "portal",
    "portal-weight",
    "durable-queue",
)
TRAIN_KINDS = ("claims", "tone")


# The commands import Django and the apps inside their bodies on purpose: settings must be
# chosen (and, for `ttdn setup`, the data directory made) before Django is imported, and
# `ttdn --help` must answer without loading the models.


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    _django_setup()
    from django.core.management import call_command

    call_command(*args)


def cmd_migrate(ns: argparse.Namespace) -> int:
    _manage("migrate", "--noinput")
    return 0


def cmd_backup(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.backup import backup_create

    manifest = backup_create(Path(ns.target))
    print(json.dumps({"archive": manifest["archive"], "engine": manifest["engine"],
                      "files": len(manifest["files"])}, ensure_ascii=False))  # fmt: skip
    return 0


def cmd_restore(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.backup import backup_restore

    summary = backup_restore(Path(ns.archive), force=ns.force)
    _manage("migrate", "--noinput")  # a backup from an older version gets today's schema
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_createadmin(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.accounts.services import admin_ensure

    username, password = admin_ensure(username=ns.username, password=ns.password)
    if password:
        print(f"Administrator: {username}  password: {password}")
    else:
        print(f"Administrator {username} already exists; password unchanged.")
    return 0


def cmd_demo(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.demo.services import demo_load

    summary = demo_load()
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_setup(ns: argparse.Namespace) -> int:
    """Everything `make run` does before serving; each step is idempotent."""
    from ttdn.i18n import compile_catalogues

    compile_catalogues()
    _manage("migrate", "--noinput", "-v", "0")
    _manage("collectstatic", "--noinput", "-v", "0")
    if ns.demo:
        cmd_demo(ns)
    else:  # the organisations are reference data every installation needs, demo or not
        from ttdn.accounts.services import organisations_load

        organisations_load()
    return cmd_createadmin(ns)


def cmd_scaled(ns: argparse.Namespace) -> int:
    from ttdn.scaled import scaled_run  # no Django in the supervisor: its children set it up

    return scaled_run(ns)


def cmd_run(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.demo.services import demo_feeds_follow
    from ttdn.server import serve

    # the demo feeds are served by this very process: follow the port it listens on
    demo_feeds_follow(port=ns.port)
    serve(host=ns.host, port=ns.port, with_worker=not ns.no_worker)
    return 0


def cmd_compilemessages(ns: argparse.Namespace) -> int:
    from ttdn.i18n import compile_catalogues

    for path in compile_catalogues():
        print(f"compiled {path}")
    return 0


def cmd_manage(ns: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ttdn manage", *ns.args])
    return 0


def _run_module(package: str, kind: str, ns: argparse.Namespace) -> int:
    module = importlib.import_module(f"ttdn.{package}.{kind.replace('-', '_')}")
    runner: Callable[..., dict[str, object]] = module.main
    result = runner(ns)
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return 0


def cmd_eval(ns: argparse.Namespace) -> int:
    return _run_module("evaluation", ns.kind, ns)


def cmd_bench(ns: argparse.Namespace) -> int:
    return _run_module("benchmarks", ns.kind, ns)


def cmd_train(ns: argparse.Namespace) -> int:
    return _run_module("training", ns.kind, ns)


def cmd_source_add(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.monitor.services import source_add

    source = source_add(
        name=ns.name,
        feed_url=ns.feed_url,
        country=ns.country,
        languages=ns.languages.split(",") if ns.languages else [],
        kind=ns.kind,
        poll_interval_s=ns.interval,
        allow_private=ns.allow_private,
    )
    print(json.dumps({"source": source.pk, "name": source.name}, ensure_ascii=False))
    return 0


def cmd_poll(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.monitor.services import source_poll, sources_due

    ids = [ns.source] if ns.source else sources_due()
    for source_id in ids:
        print(json.dumps(source_poll(source_id=source_id), ensure_ascii=False), flush=True)
    return 0


def cmd_import(ns: argparse.Namespace) -> int:
    _django_setup()
    from ttdn.monitor.services import reports_import_jsonl

    path = Path(ns.file)
    if not path.is_file():
        print(f"ttdn import: {ns.file}: no such file", file=sys.stderr)
        return 2
    summary = reports_import_jsonl(path=str(path), progress=True)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ttdn", description="TTĐN Platform command line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="serve web, worker and scheduler in one process")
    p.add_argument("--host", default=os.environ.get("TTDN_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("TTDN_PORT", "8000")))
    p.add_argument("--no-worker", action="store_true", help="web only (scaled-out mode)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("setup", help="compile translations, migrate, load demo data, create admin")
    p.add_argument("--username", default="admin")
    p.add_argument("--password", default=None)
    p.add_argument("--no-demo", dest="demo", action="store_false",
                   help="load the organisations but no demo data or demo sources")  # fmt: skip
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser(
        "scaled",
        help="start the scaled-out mode on this machine: PostgreSQL, Redis, web, workers, beat",
    )
    scaled_arguments(p)
    p.set_defaults(func=cmd_scaled)

    p = sub.add_parser("migrate", help="create or upgrade the database schema")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "backup", help="write database, secret key and generated files to one .tar.gz"
    )
    p.add_argument("target", nargs="?", default=".", help="file or directory (default: .)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a `ttdn backup` archive into this installation")
    p.add_argument("archive")
    p.add_argument("--force", action="store_true", help="replace a database that has data")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("createadmin", help="create the administrator if missing; prints password")
    p.add_argument("--username", default="admin")
    p.add_argument("--password", default=None, help="default: generate one")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("demo", help="load organisations and bundled demo data (idempotent)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("compilemessages", help="compile the interface translations")
    p.set_defaults(func=cmd_compilemessages)

    p = sub.add_parser("source-add", help="add a monitored source with one feed")
    p.add_argument("feed_url")
    p.add_argument("--name", required=True)
    p.add_argument("--country", default="", help="ISO 3166 code of the outlet's country")
    p.add_argument("--languages", default="", help="comma-separated BCP 47 codes")
    p.add_argument("--kind", default="international", choices=["international", "domestic", "own"])
    p.add_argument("--interval", type=int, default=900, help="poll interval in seconds")
    p.add_argument("--allow-private", action="store_true", help="allow loopback/private hosts")
    p.set_defaults(func=cmd_source_add)

    p = sub.add_parser("poll", help="poll due sources (or one) now, in this process")
    p.add_argument("--source", type=int, default=None)
    p.set_defaults(func=cmd_poll)

    p = sub.add_parser("import", help="import reports from a JSONL file through the pipeline")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("eval", help="evaluate a fuzzy stage on labelled data; prints JSON")
    p.add_argument("kind", choices=EVAL_KINDS)
    p.add_argument("file")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="run a benchmark; prints JSON")
    p.add_argument("kind", choices=BENCH_KINDS)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--mix", choices=("country", "world"), default="country",
                   help="pipeline: every article about a tracked country (default), or a world "
                   "stream in which one in ten is")  # fmt: skip
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("train", help="rebuild a shipped model from the labelled data; prints JSON")
    p.add_argument("kind", choices=TRAIN_KINDS)
    p.add_argument("--data", default=None, help="data folder (default: ../shared/data)")
    p.add_argument("--lang", default=None, choices=("vi", "en", "xx"),
                   help="tone: rebuild only this language's model (default: all)")  # fmt: skip
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    try:
        return int(ns.func(ns))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
