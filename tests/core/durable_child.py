"""The child process of test_durable_queue.py (run as a script, never collected).

    durable_child.py store FILE.jsonl LOG   store the reports with the embedded worker running
                                            and its pipeline lane held, print STORED, wait
    durable_child.py resume LOG N           start the embedded worker (which re-queues what
                                            a dead process left), wait until both test
                                            subscribers saw N reports, print DONE

Two test subscribers of REPORT_STORED append "<name> <report_id>" to LOG (one line per
delivery, flushed and fsynced), so the test can count deliveries across the kill.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
django.setup()

from ttdn import runtime  # noqa: E402 - after django.setup()
from ttdn.core import events, jobs  # noqa: E402
from ttdn.core.models import PendingJob  # noqa: E402
from ttdn.monitor.ingest import reports_import_jsonl  # noqa: E402

SUBSCRIBERS = ("tests.durable_a", "tests.durable_b")


def _recorder(name: str, log: Path) -> events.Handler:
    def record(payload: dict) -> None:  # type: ignore[type-arg]
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{name} {payload['report_id']}\n")
            out.flush()
            os.fsync(out.fileno())

    return record


def main() -> int:
    mode, *args = sys.argv[1:]
    log = Path(args[-1] if mode == "store" else args[0])
    for name in SUBSCRIBERS:
        events.subscribe(events.REPORT_STORED, name=name)(_recorder(name, log))
    if mode == "store":
        held = threading.Event()
        runtime.worker.start()  # the worker runs, so jobs go to its in-memory queues
        runtime.worker.submit("tests.hold", held.wait, lane=runtime.PIPELINE)
        summary = reports_import_jsonl(path=args[0])
        pending = PendingJob.objects.filter(name__in=SUBSCRIBERS).count()
        print(f"STORED {summary['created']} {pending}", flush=True)
        held.wait()  # until killed
        return 1
    expected = int(args[1])
    jobs.embedded_start()  # re-queues what the killed process left
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        done = not PendingJob.objects.filter(name__in=SUBSCRIBERS).exists()
        # a row goes only after its job ran: none left means nothing more will be delivered
        if len(lines) >= expected * len(SUBSCRIBERS) and done:
            print("DONE", flush=True)
            return 0
        time.sleep(0.2)
    print("TIMEOUT", flush=True)
    return 2


if __name__ == "__main__":
    sys.exit(main())
