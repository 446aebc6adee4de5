"""The continuity and workforce measures' speed and query counts, in a seeded database.

Run it inside a database that already holds a demo council (any scale):

    DATABASE_URL=postgres://... python scripts/bench_measures.py [--day YYYY-MM-DD] [--runs N]

or let `make bench-measures` (SCALE=large by default) seed a throwaway one and run it. Each
measure runs `--runs` times; the table shows the best time and the number of queries. The
query counts are the same at every scale: that is the point of the measures' design.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestory.settings")
os.environ.setdefault("ONESTORY_ENV", "test")

BUDGET_SECONDS = 1.0


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", type=date.fromisoformat, help="the council's today if not given")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from onestory.accounts.models import User
    from onestory.demo.models import DemoCouncil
    from onestory.families.models import Allocation
    from onestory.lib.dates import a_year_before
    from onestory.outcomes.continuity import children_continuity, continuity_at, continuity_by_month
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
    year_ago = a_year_before(day)
    measures: list[tuple[str, Callable[[], Any]]] = [
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
    pages: list[tuple[str, str]] = [
        ("demo-head-of-service", "/pods/"),
        ("demo-head-of-service", "/pods/attention/"),
        ("demo-head-of-service", f"/pods/{pod.pk}/"),
        ("demo-pod-manager", "/pods/attention/"),
        ("demo-pod-manager", f"/pods/{pod.pk}/"),
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
    over = []
    for label, action in measures:
        seconds, queries = measure(action, args.runs)
        flag = "" if seconds < BUDGET_SECONDS else "  over 1 s"
        if flag:
            over.append(label)
        print(f"{label:<58} {seconds:>9.3f}s {queries:>8}{flag}")
    if over:
        print(f"\nOver {BUDGET_SECONDS:.0f} s: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
