"""`ttdn bench coordinate [--limit TASKS_PER_PLAN]`: the overdue board and the national
roll-up at 34 provinces × 10 years of plans, tasks and periodic reports.

It runs in its own temporary data directory (own SQLite), loads the 34 provincial units,
and fills ten years (the current one included) with one plan per province and year of
`limit` tasks (default 40: 13,600 tasks) at every status, due dates spread over the year,
and two six-month plus one annual report per province and year (1,020 submissions, each with
seven figures). Then it requests, as a leader, through Django's test client (URL routing,
selectors, template and chart data: the whole page), the overdue board for all years and
for the current one and the national roll-up of the latest six-month period and of an
annual one, 30 times each, and prints the p95 over all of them in ms (target ≤ 200 ms) with
the per-page p95. Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from typing import Any

from ttdn.benchmarks._site import bench_environment

DEFAULT_TASKS_PER_PLAN = 40
YEARS = 10
RUNS = 30


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1)


def _fill(tasks_per_plan: int, today: dt.date) -> dict[str, Any]:
    from ttdn.accounts.models import Organisation
    from ttdn.coordinate.models import (
        IndicatorKind,
        PeriodKind,
        Plan,
        Programme,
        ProgrammeGroup,
        ReportIndicator,
        ReportTemplate,
        Submission,
        SubmissionValue,
        Task,
        TaskStatus,
    )
    from ttdn.coordinate.services.submissions import period_get_or_create

    rng = random.Random(13)
    central = Organisation.objects.get(kind="steering")
    provinces = list(Organisation.objects.filter(kind__in=("province", "city")))
    first_year = today.year - YEARS + 1
    programme = Programme.objects.create(
        code="bench",
        name="Bench programme",
        owner=central,
        start_year=first_year,
        end_year=today.year,
    )
    groups = [
        ProgrammeGroup.objects.create(programme=programme, number=n, name=f"Nhóm {n}")
        for n in range(1, 6)
    ]
    statuses = list(TaskStatus.values)
    tasks: list[Task] = []
    for year in range(first_year, today.year + 1):
        plans = Plan.objects.bulk_create(
            [
                Plan(programme=programme, organisation=o, year=year, title=f"{o.name} {year}")
                for o in provinces
            ]
        )
        for plan in plans:
            for i in range(tasks_per_plan):
                due = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                status = (
                    rng.choice(statuses)
                    if year == today.year
                    else rng.choice([TaskStatus.DONE] * 9 + [TaskStatus.IN_PROGRESS])
                )
                tasks.append(
                    Task(
                        organisation_id=plan.organisation_id,
                        plan=plan,
                        group=groups[i % 5],
                        assigner=central,
                        title=f"Task {i}",
                        start_date=due - dt.timedelta(days=30),
                        due_date=due,
                        status=status,
                    )
                )
    Task.objects.bulk_create(tasks, batch_size=2000)
    templates = {}
    for kind in (PeriodKind.SIX_MONTH, PeriodKind.ANNUAL):
        template = ReportTemplate.objects.create(name=f"Bench {kind}", period_kind=kind)
        for order, key in enumerate(
            (
                "events",
                "publications",
                "trainings",
                "world_coverage",
                "world_stories",
                "world_tone",
                "alerts_received",
            )
        ):
            kind_of = IndicatorKind.ENTERED if order < 3 else IndicatorKind.COMPUTED
            ReportIndicator.objects.create(
                template=template, key=key, title=key, kind=kind_of, order=order
            )
        templates[kind] = template
    periods = []
    submissions: list[Submission] = []
    for year in range(first_year, today.year + 1):
        for kind, half in (
            (PeriodKind.SIX_MONTH, 1),
            (PeriodKind.SIX_MONTH, 2),
            (PeriodKind.ANNUAL, None),
        ):
            period = period_get_or_create(kind=kind, year=year, half=half)
            periods.append(period)
            for o in provinces:
                submissions.append(
                    Submission(
                        template=templates[kind],
                        period=period,
                        organisation=o,
                        version=1,
                        status=rng.choice(["approved"] * 6 + ["submitted", "returned", "draft"]),
                    )
                )
    Submission.objects.bulk_create(submissions, batch_size=2000)
    values = []
    indicators = {k: list(t.indicators.all()) for k, t in templates.items()}
    for submission in Submission.objects.select_related("template"):
        for indicator in indicators[submission.template.period_kind]:
            values.append(
                SubmissionValue(
                    submission=submission, indicator=indicator, value=float(rng.randrange(500))
                )
            )
    SubmissionValue.objects.bulk_create(values, batch_size=5000)
    six = [p for p in periods if p.kind == PeriodKind.SIX_MONTH and p.end < today]
    annual = [p for p in periods if p.kind == PeriodKind.ANNUAL and p.end < today]
    return {
        "tasks": len(tasks),
        "submissions": len(submissions),
        "values": len(values),
        "organisations": len(provinces),
        "six_month": (templates[PeriodKind.SIX_MONTH].pk, six[-1].pk),
        "annual": (templates[PeriodKind.ANNUAL].pk, annual[-1].pk),
    }


def main(ns: argparse.Namespace) -> dict[str, Any]:
    tasks_per_plan = int(getattr(ns, "limit", None) or DEFAULT_TASKS_PER_PLAN)
    bench_environment("ttdn-bench-coordinate-")
    from django.test import Client
    from django.utils import timezone

    from ttdn.accounts.models import Organisation, User
    from ttdn.accounts.services import organisations_load

    organisations_load()
    today = timezone.localdate()
    began = time.perf_counter()
    filled = _fill(tasks_per_plan, today)
    fill_seconds = round(time.perf_counter() - began, 1)
    leader = User.objects.create(
        username="bench-leader",
        role="leader",
        organisation=Organisation.objects.get(kind="steering"),
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(leader)
    six_template, six_period = filled["six_month"]
    year_template, year_period = filled["annual"]
    rollup = "/dieu-phoi/bao-cao/tong-hop/"
    pages = {
        "board": "/dieu-phoi/cham-tre/",
        "board_this_year": f"/dieu-phoi/cham-tre/?year={today.year}",
        "rollup_six_month": f"{rollup}?template={six_template}&period={six_period}",
        "rollup_annual": f"{rollup}?template={year_template}&period={year_period}",
    }
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for url in pages.values():  # one warm-up request each (template compilation)
        response = client.get(url)
        if response.status_code != 200:
            return {"error": f"{url} -> {response.status_code}"}
    for _run in range(RUNS):
        for name, url in pages.items():
            started = time.perf_counter()
            client.get(url)
            timings[name].append(time.perf_counter() - started)
    every = [t for values in timings.values() for t in values]
    return {
        "p95_ms": _p95(every),
        "target_p95_ms": 200,
        "organisations": filled["organisations"],
        "years": YEARS,
        "tasks": filled["tasks"],
        "submissions": filled["submissions"],
        "values": filled["values"],
        "pages_p95_ms": {name: _p95(values) for name, values in timings.items()},
        "requests": len(every),
        "fill_seconds": fill_seconds,
    }
