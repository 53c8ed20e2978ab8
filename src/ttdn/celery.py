"""Celery application for the scaled-out mode (TTDN_BROKER_URL set).

Workers must not fork after the embedding model is loaded: run them with
`--pool=threads` or `--pool=solo` (see README). The embedded default does not use Celery at
all; it calls the same task bodies from its worker thread.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")

app = Celery("ttdn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,  # a worker killed mid-task leaves the message for another worker
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_time_limit=600,
    task_soft_time_limit=540,
    broker_connection_retry_on_startup=True,
    # the single story consumer has a queue of its own (see ttdn.monitor.stories_consumer);
    # so do reports, so that a ten-year report never holds a thread that polls feeds
    task_routes={
        "ttdn.monitor.tasks.stories_assign": {"queue": "stories"},
        "ttdn.reports.tasks.*": {"queue": "reports"},
    },
    beat_schedule={
        "monitor-poll-due": {"task": "ttdn.monitor.tasks.poll_due_sources", "schedule": 5.0},
        "monitor-stories-assign": {
            "task": "ttdn.monitor.tasks.stories_assign",
            "schedule": 5.0,
        },  # fmt: skip
        "monitor-websub": {"task": "ttdn.monitor.tasks.websub", "schedule": 5.0},
        "alerts-retry-failed": {"task": "ttdn.alerts.tasks.retry_failed", "schedule": 30.0},
        "reports-run-due": {"task": "ttdn.reports.tasks.run_due_schedules", "schedule": 60.0},
    },
)
app.autodiscover_tasks(["ttdn.monitor", "ttdn.alerts", "ttdn.reports"])
