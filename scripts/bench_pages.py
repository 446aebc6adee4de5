"""Server time of record pages in a seeded database, as ratios to a trivial page in the same run.

    DATABASE_URL=postgres://... python scripts/bench_pages.py [--requests N]

Signs in as the demo social worker (Django's test client, no network), then requests, in
interleaved rounds so that machine noise hits every page alike:
- a trivial page (the accessibility statement) as the baseline;
- the family page of the family with the longest story in the worker's pod;
- the same page with the access log write switched off, to measure what logging costs;
- One Story: the child's own story (the child with most entries in that family), and full-text
  searches of the stories the worker may see, of a common pair of words and a rarer phrase, and
  the same common words searched by the head of service, who may see the whole service;
- What's due for the worker and, as the pod manager, for the pod.
Prints p50 and p95 in milliseconds and each page's ratio to the baseline, and checks the
budgets at the large scale: pages under 150 ms and search under 300 ms at p95.

Then, for the family page, the child's story and search, the database's own time: the page's
queries are captured with their parameters (one request, after the warm-up) and run again
directly on a raw psycopg cursor, in a transaction rolled back afterwards (the page writes its
access log); the median of the sum over the rounds is set against the page's median server
time. The goal is a ratio within 3x: the rest is Python (Django, templates, our code).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestory.settings")
os.environ.setdefault("ONESTORY_ENV", "test")


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> int:
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from onestory.accounts.models import User
    from onestory.families import access

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    user = User.objects.get(username="demo-social-worker")
    family = (
        access.visible_families(user)
        .annotate(size=Count("entries"))
        .order_by("-size", "pk")
        .first()
    )
    assert family is not None, "the demo social worker sees no family: seed a demo council first"
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    client = Client()
    client.force_login(user, backend=backend)
    head = Client()
    head.force_login(User.objects.get(username="demo-head-of-service"), backend=backend)
    # Demo accounts skip MFA only in demo mode.
    from django.conf import settings

    settings.DEMO_MODE = True
    family_url = reverse("families:detail", args=[family.uuid])
    real_log = access.log_access

    def without_log(*a: object, **k: object) -> None:
        return None

    def timed(url: str, log: Callable[..., object], by: Client | None = None) -> float:
        access.log_access = log  # type: ignore[assignment]
        started = time.perf_counter()
        response = (by or client).get(url)
        elapsed = (time.perf_counter() - started) * 1000
        access.log_access = real_log
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    from onestory.stories.models import Entry

    busiest = (
        Entry.objects.filter(family=family)
        .values("concerns__uuid")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    search = reverse("stories:search")
    pages: dict[str, tuple[str, Callable[..., object], Client | None]] = {
        "trivial page": (reverse("core:accessibility"), real_log, None),
        "family page": (family_url, real_log, None),
        "family page, no access log": (family_url, without_log, None),
        "search": (search + "?q=school+teacher", real_log, None),
        "search, rarer phrase": (search + '?q="swimming+badge"', real_log, None),
        "search, head of service": (search + "?q=school+teacher", real_log, head),
    }
    from onestory.pods.models import PodMembership

    manager_user = User.objects.get(username="demo-pod-manager")
    manager = Client()
    manager.force_login(manager_user, backend=backend)
    pod = PodMembership.objects.filter(staff__user=manager_user).latest("start").pod_id
    pages["what's due, the worker"] = (reverse("stories:due"), real_log, None)
    pages["what's due, the pod"] = (reverse("stories:due_pod", args=[pod]), real_log, manager)
    # Each role's home (onestory/core/homes.py), as the demo account of that role.
    home = reverse("core:home")
    for username in (
        "demo-social-worker",
        "demo-pod-manager",
        "demo-business-support",
        "demo-head-of-service",
        "demo-quality-lead",
        "demo-complaints-officer",
    ):
        someone = User.objects.filter(username=username).first()
        if someone is not None:
            as_them = Client()
            as_them.force_login(someone, backend=backend)
            pages[f"home, {username.removeprefix('demo-')}"] = (home, real_log, as_them)
    if busiest and busiest["concerns__uuid"]:
        pages["child's story"] = (
            reverse("stories:child", args=[busiest["concerns__uuid"]]),
            real_log,
            None,
        )
    samples: dict[str, list[float]] = {name: [] for name in pages}
    for url, log, by in pages.values():  # warm up
        for _ in range(5):
            timed(url, log, by)
    for _ in range(args.requests):
        for name, (url, log, by) in pages.items():
            samples[name].append(timed(url, log, by))

    base = statistics.median(samples["trivial page"])
    print(f"\nFamily {family.reference}: {args.requests} requests a page")
    base95 = p95(samples["trivial page"])
    print(f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'p50 / trivial':>14} {'p95 / trivial':>14}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:<30} {median:>8.1f} {p95(values):>8.1f} {median / base:>14.1f} "
            f"{p95(values) / base95:>14.1f}"
        )
    logged = statistics.median(samples["family page"])
    unlogged = statistics.median(samples["family page, no access log"])
    cost = 100 * (logged / unlogged - 1)
    print(f"Access logging costs {cost:.1f}% of the family page (budget 10%).")
    entries = Entry.objects.filter(family=family).count()
    print(f"The family's story has {entries} entries; the council's, {Entry.objects.count()}.")
    budgets = {
        "family page": 150.0,
        "child's story": 150.0,
        "search": 300.0,
        "search, rarer phrase": 300.0,
        "search, head of service": 300.0,
        "what's due, the worker": 150.0,
        "what's due, the pod": 150.0,
        **{name: 150.0 for name in pages if name.startswith("home, ")},
    }
    for name, budget in budgets.items():
        if name in samples:
            verdict = "within" if p95(samples[name]) <= budget else "OVER"
            print(f"{name}: p95 {p95(samples[name]):.1f} ms, {verdict} the {budget:.0f} ms budget")
    print()
    ratios = [name for name in ("family page", "child's story", "search") if name in pages]
    print(f"{'page':<30} {'queries':>8} {'SQL p50 ms':>11} {'page p50 ms':>12} {'ratio':>6}")
    for name in ratios:
        url, log, by = pages[name]
        queries = captured(by or client, url)
        sql_ms = direct_sql_ms(queries, rounds=min(args.requests, 50))
        page_ms = statistics.median(samples[name])
        ratio = page_ms / sql_ms if sql_ms else float("inf")
        verdict = "within" if ratio <= 3 else "OVER"
        print(
            f"{name:<30} {len(queries):>8} {sql_ms:>11.1f} {page_ms:>12.1f} {ratio:>5.1f}x"
            f"  {verdict} the 3x goal"
        )
    return 0


def captured(by: object, url: str) -> list[tuple[str, object]]:
    """The SQL one request of `url` runs, with its parameters, in order."""
    from django.db import connection

    queries: list[tuple[str, object]] = []

    def keep(execute: Callable[..., object], sql: str, params: object, *rest: object) -> object:
        queries.append((sql, params))
        return execute(sql, params, *rest)

    with connection.execute_wrapper(keep):
        response = by.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, (url, response.status_code)
    return queries


def direct_sql_ms(queries: list[tuple[str, object]], *, rounds: int) -> float:
    """Median over `rounds` of the time to run `queries` on the raw psycopg connection under
    Django's, fetching every row, inside a transaction that is rolled back."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    totals = []
    for _ in range(rounds + 2):
        with raw.cursor() as cursor:
            cursor.execute("BEGIN")
            started = time.perf_counter()
            for sql, params in queries:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
            cursor.execute("ROLLBACK")
    return statistics.median(totals[2:])


if __name__ == "__main__":
    sys.exit(main())
