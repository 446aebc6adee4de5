"""The outcome measures' speed and query counts, and the outcomes pages', in a seeded database.

Run it inside a database that already holds a demo council (any scale):

    DATABASE_URL=postgres://... python scripts/bench_measures.py [--day YYYY-MM-DD] [--runs N]

or let `make bench-measures` (SCALE=large by default) seed a throwaway one and run it. Each
measure runs `--runs` times; the table shows the best time and the number of queries. The
query counts are the same at every scale: that is the point of the measures' design. Then the
dashboard's p95 from snapshots (budget 100 ms) and a rebuild of every monthly snapshot from
2014 (budget 5 minutes; `--no-rebuild` skips it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestory.settings")
os.environ.setdefault("ONESTORY_ENV", "test")

BUDGET_SECONDS = 1.0
DASHBOARD_P95_MS = 100.0
REBUILD_BUDGET_SECONDS = 300


def measure(action: Callable[[], Any], runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, queries = float("inf"), 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            best = min(best, time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return best, queries


def source_figures(day: date) -> None:
    """The source's figures, from the records alone (issue 16): what the council said, and
    what the demo council's records give."""
    from onestory.outcomes import measures
    from onestory.outcomes.workforce import workforce_on

    october_2015, january_2019 = date(2015, 10, 1), date(2019, 1, 1)
    print("The source's figures, from the records (the source's own in brackets):")
    for label, count, then, later in (
        ("children on CP plans", measures.children_on_cp_plans, 403, 333),
        ("children in care", measures.children_in_care, 473, 375),
    ):
        print(
            f"  {label}: {count(october_2015)} on 1 October 2015 ({then}), "
            f"{count(january_2019)} on 1 January 2019 ({later})"
        )
    print(
        "  care applications a quarter: "
        f"{measures.average_care_applications_a_quarter(2016):.1f} in 2016 to 2017 (26), "
        f"{measures.average_care_applications_a_quarter(2018):.1f} in 2018 to 2019 (15)"
    )
    months = [date(y, m, 1) for y in range(2014, day.year + 1) for m in range(1, 13)]
    months = [m for m in months if m <= day]
    with_agency = [r.day for r in workforce_on([(m, m) for m in months]) if r.total.agency]
    last = max(with_agency) if with_agency else None
    print(f"  last month start with an agency social worker: {last} (none from September 2017)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", type=date.fromisoformat, help="the council's today if not given")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=40, help="for the dashboard's p95")
    parser.add_argument(
        "--no-rebuild", action="store_true", help="skip rebuilding the snapshots from 2014"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from onestory.accounts.models import User
    from onestory.demo.models import DemoCouncil
    from onestory.families.models import Allocation
    from onestory.lib.dates import a_year_before, month_starts
    from onestory.outcomes.continuity import children_continuity, continuity_at, continuity_by_month
    from onestory.outcomes.registry import MEASURES
    from onestory.outcomes.snapshots import BATCH_MONTHS
    from onestory.outcomes.workforce import census_year, workforce_at, workforce_by_month
    from onestory.pods.models import Pod

    day: date = args.day or timezone.localdate()
    # A freshly loaded council has no planner statistics yet; a real one has them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    council = DemoCouncil.objects.first()
    pod = Pod.objects.order_by("pk").first()
    if pod is None:
        print("The database holds no pods: seed a demo council first (manage.py seed_demo).")
        return 1
    allocated = Allocation.objects.open_on(day).count()
    print(
        f"{council or 'A council'}: {Pod.objects.count()} pods, {allocated:,} children "
        f"allocated on {day}, {Allocation.objects.count():,} allocations in all."
    )
    source_figures(day)
    year_ago = a_year_before(day)
    measures: list[tuple[Any, ...]] = [
        ("continuity at a date, service and every pod", lambda: continuity_at(day)),
        ("continuity at a date, one pod", lambda: continuity_at(day, pods=[pod.pk])),
        ("continuity by month, 12 months, service", lambda: continuity_by_month(year_ago, day)),
        (
            "continuity by month, 12 months, one pod",
            lambda: continuity_by_month(year_ago, day, pods=[pod.pk]),
        ),
        ("each allocated child's continuity", lambda: children_continuity(day)),
        ("workforce at a date, service and every pod", lambda: workforce_at(day)),
        ("workforce census year to 30 September", lambda: census_year(day.year - 1)),
        ("workforce by month, 12 months, service", lambda: workforce_by_month(year_ago, day)),
    ]
    # Every measure of the outcomes registry at a date from the records, for the service and
    # (when it has one) for a pod; and a batch of the snapshots' rebuild (12 months at once).
    for m in MEASURES:
        measures.append((f"{m.key} at a date, service", partial(m.at, day)))
        if m.per_pod:
            measures.append((f"{m.key} at a date, one pod", partial(m.at, day, pod=pod.pk)))
    batch = month_starts(a_year_before(day), day)[-BATCH_MONTHS:]
    by_key = {m.key: m for m in MEASURES}
    for key in ("cp_plans", "visits_within_standard"):
        measures.append(
            (
                f"{key} for 12 months at once, all pods",
                partial(by_key[key].values_on, batch),
            )
        )
    # Each of the model's processes adds its own (onestory/<app>/bench.py).
    for app in (
        "supervision",
        "audits",
        "surveys",
        "feedback",
        "preproceedings",
        "returns",
        "retention",
    ):
        measures += importlib.import_module(f"onestory.{app}.bench").measures(day)
    pages: list[tuple[str, str]] = [
        ("demo-head-of-service", "/pods/"),
        ("demo-head-of-service", "/pods/attention/"),
        ("demo-head-of-service", f"/pods/{pod.pk}/"),
        ("demo-pod-manager", "/pods/attention/"),
        ("demo-pod-manager", f"/pods/{pod.pk}/"),
        ("demo-head-of-service", "/outcomes/"),
        ("demo-head-of-service", f"/outcomes/?pod={pod.pk}"),
        ("demo-pod-manager", "/outcomes/"),
        ("demo-head-of-service", "/outcomes/report/?from=2015-10&to=2019-01"),
    ]
    for username, path in pages:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        client.get("/", HTTP_HOST="localhost")

        def get(client: Client = client, path: str = path) -> None:
            response = client.get(path, HTTP_HOST="localhost")
            assert response.status_code == 200, f"{path}: {response.status_code}"

        measures.append((f"page {path} as {username}", get))

    print(f"\n{'measure':<58} {'best time':>10} {'queries':>8}")
    over: list[str] = []
    # A measure may name its own budget as a third item (the statutory returns have 10 s).
    for label, action, *own in measures:
        budget = own[0] if own else BUDGET_SECONDS
        seconds, queries = measure(action, args.runs)
        flag = "" if seconds < budget else f"  over {budget:g} s"
        if flag:
            over.append(label)
        print(f"{label:<58} {seconds:>9.3f}s {queries:>8}{flag}")
    over += dashboard_p95(args.requests)
    if not args.no_rebuild:
        over += rebuild_from_2014(day)
    if over:
        print(f"\nOver budget: {', '.join(over)}")
    return 0


def dashboard_p95(requests: int) -> list[str]:
    """The dashboard reads snapshots: its p95 server time over `requests` requests, as the
    head of service, against its budget (issue 16)."""
    from django.test import Client

    from onestory.accounts.models import User

    user = User.objects.filter(username="demo-head-of-service").first()
    if user is None:
        return []
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    client.get("/outcomes/", HTTP_HOST="localhost")  # warm: templates, the first connection
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/outcomes/", HTTP_HOST="localhost")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    within = p95 < DASHBOARD_P95_MS
    print(
        f"\nThe dashboard from snapshots: p95 {p95:.1f} ms over {requests} requests "
        f"(budget {DASHBOARD_P95_MS:.0f} ms): {'within' if within else 'OVER'}"
    )
    return [] if within else ["the dashboard's p95"]


def rebuild_from_2014(day: date) -> list[str]:
    """Every monthly snapshot from 2014 to `day`, rebuilt as `manage.py rebuild_snapshots`
    does, against its budget (issue 16)."""
    from onestory.outcomes.snapshots import HISTORY_STARTS, rebuild

    started = time.perf_counter()
    written = rebuild(HISTORY_STARTS, day)
    seconds = time.perf_counter() - started
    within = seconds < REBUILD_BUDGET_SECONDS
    print(
        f"Rebuilding every monthly snapshot from {HISTORY_STARTS:%B %Y}: {seconds:.1f} s, "
        f"{written:,} rows (budget {REBUILD_BUDGET_SECONDS // 60} minutes): "
        f"{'within' if within else 'OVER'}"
    )
    return [] if within else ["the snapshots' rebuild"]


if __name__ == "__main__":
    sys.exit(main())
