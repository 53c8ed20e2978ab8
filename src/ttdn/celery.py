"""Celery application for the scaled-out mode (TTDN_BROKER_URL set): `celery -A ttdn.celery
worker|beat`. Its tasks, queues, time limits and beat schedule all come from the one job
registry (`ttdn.core.jobs.celery_app`), so they cannot drift from the embedded mode's.

Workers must not fork after the embedding model is loaded: run them with
`--pool=threads` or `--pool=solo` (see README). The embedded default does not use Celery.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
# the apps declare their jobs when Django starts (AppConfig.ready); only then is the
# registry complete, so the imports below must follow setup()
django.setup()

from ttdn.core.jobs import celery_app  # noqa: E402 - needs the apps loaded (see above)

app = celery_app()
