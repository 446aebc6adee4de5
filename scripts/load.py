"""The load test (`make load`): about 600 signed-in staff using One Story at once, on this machine.

    python scripts/load.py [--users 600] [--spawn-rate 10] [--minutes 3] [--workers 5]

Uses the council in DATABASE_URL (the owner's URL: it creates sessions), or a throwaway
embedded PostgreSQL seeded at SCALE (default large, about 5 minutes to seed). Then:

1. Signs in N of the council's real staff (social workers, pod managers, business support,
   leads, the head of service, analysts), as production sign-in leaves them: a session in the
   database that passed password and MFA, and a TOTP authenticator on the account (added for
   staff that have none, and removed again afterwards, with the sessions). The requests then
   go through the real middleware, access checks and access log.
2. Starts gunicorn on 127.0.0.1 as `make demo` does (the application's role, demo mode, no
   debug), with an access log that records each request's server time and page.
3. Runs locust headless against 127.0.0.1 only (scripts/locustfile.py): the users arrive at
   --spawn-rate a second, then the statistics are reset and the steady state runs for
   --minutes. Everything stops by itself.
4. Prints requests per second, error rate and p50/p95/p99 per page (as the client saw it, and
   the server's own time from its access log, so queueing shows as the difference), then an
   account of the slowest page: its time under load split into the database, the access log
   and Python (py-spy samples of the web workers during the run), and the same page alone
   (its SQL time, captured, against its server time), and the load generator's own full
   garbage collections (each one counts as time for every request in flight; locust's
   long-lived objects are frozen once everyone has arrived, `LOAD_GC_FREEZE=0` to measure
   without). Ends with PASS or FAIL against the budgets: no errors, no page's p95 over 500 ms.

Writes made by the load (entries starting "Load test:", access log rows) stay in the council:
it is the demo council, and they are what the day's work leaves.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
PYTHON = sys.executable
BIN = Path(PYTHON).parent

P95_BUDGET_MS = 500.0
# Each page's view, to find its frames in the profile of the web workers.
VIEWS = {
    "family page": "family_detail",
    "family story, next page": "family_story",
    "child's story": "child_story",
    "search": "search",
    "what's due": "due_mine",
    "pod's what's due": "due_pod",
    "home": "home",
    "pod page": "pod_detail",
    "outcomes dashboard": "dashboard_page",
    "outcomes report": "report_page",
    "add to the story": "entry_new",
    "save a new draft": "entry_new",
    "draft entry": "entry_detail",
    "autosave": "entry_autosave",
    "finalise": "entry_finalise",
}
# Who, out of the council's staff: every role that works in One Story, roughly as many as
# the council has; social workers are most of any day's users.
ROLE_SHARE = {
    "social_worker": 0.50,
    "senior_social_worker": 0.12,
    "social_worker_in_training": 0.08,
    "pod_manager": 0.10,
    "business_support": 0.10,
    "practice_lead": 0.03,
    "quality_lead": 0.02,
    "head_of_service": 0.01,
    "performance_analyst": 0.02,
    "information_governance": 0.01,
    "complaints_officer": 0.01,
}


def say(message: str) -> None:
    print(f"[load] {message}", flush=True)


# --- the council ------------------------------------------------------------------------------


@contextlib.contextmanager
def council(scale: str) -> Any:
    """Yields (owner URL, application URL): DATABASE_URL's server, or a throwaway one seeded."""
    from stack import APP_ROLE, as_role, create_app_role, database

    given = os.environ.get("DATABASE_URL")
    if given:
        import psycopg

        with psycopg.connect(given) as connection:
            # The application's role, as `make demo` serves, when `migrate` granted it its
            # privileges (ONESTORY_APP_ROLE); otherwise the URL as given.
            granted = connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s "
                "AND has_table_privilege(%s, 'stories_entry', 'INSERT')",
                [APP_ROLE, APP_ROLE],
            ).fetchone()
        yield given, as_role(given, APP_ROLE) if granted else given
        return
    with database(throwaway=True) as (app_url, owner_url):
        create_app_role(owner_url)
        env = {**os.environ, "DATABASE_URL": owner_url, "ONESTORY_ENV": "development"}
        env["ONESTORY_APP_ROLE"] = APP_ROLE
        say(f"Seeding a {scale} demo council (large takes about 5 minutes)")
        run = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*run, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        env["ONESTORY_DEMO"] = "1"
        subprocess.run([*run, "seed_demo", "--scale", scale], env=env, cwd=ROOT, check=True)
        yield owner_url, app_url


def setup_django(owner_url: str) -> None:
    os.environ["DATABASE_URL"] = owner_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "onestory.settings"
    os.environ["ONESTORY_ENV"] = "development"
    os.environ["ONESTORY_DEMO"] = "1"
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


# --- signing the staff in ---------------------------------------------------------------------


def choose_staff(n: int) -> list[Any]:
    """N active staff accounts, by the role shares above, deterministically."""
    import random

    from onestory.accounts.models import User

    rng = random.Random(2026)  # noqa: S311  (which staff, not a secret)
    chosen: list[Any] = []
    by_role: dict[str, list[Any]] = defaultdict(list)
    for user in User.objects.filter(is_active=True).exclude(role="administrator").order_by("pk"):
        by_role[user.role].append(user)
    for role, share in ROLE_SHARE.items():
        people = by_role.get(role, [])
        rng.shuffle(people)
        chosen += people[: max(1, round(n * share))]
    # Any shortfall (a small council has fewer staff) from social workers again, or whoever.
    rest = [u for users in by_role.values() for u in users if u not in chosen]
    rng.shuffle(rest)
    return (chosen + rest)[:n]


def plan_for(user: Any) -> dict[str, Any]:
    """What this person may open, from the access functions the pages use."""
    from django.utils import timezone

    from onestory.families.access import Action, families_for
    from onestory.families.models import FamilyMember
    from onestory.outcomes import access as outcomes
    from onestory.pods import access as pods

    families = list(
        families_for(user, Action.VIEW).order_by("?").values_list("uuid", flat=True)[:6]
    )
    writable = list(
        families_for(user, Action.EDIT, emergency=False)
        .order_by("?")
        .values_list("uuid", flat=True)[:3]
    )
    # A child of each family: the uuid for the child's story, the id for the entry form's
    # "Who this is about" (its checkboxes' values).
    children = {
        family: (person_uuid, person_id)
        for family, person_uuid, person_id in FamilyMember.objects.current()
        .filter(family__uuid__in=families + writable, role="child")
        .order_by("family_id", "-pk")
        .values_list("family__uuid", "person__uuid", "person_id")
    }
    member_pods = pods._memberships_today(user, timezone.localdate())
    return {
        "user": user.pk,
        "role": user.role,
        "families": [str(f) for f in families],
        "children": [str(children[f][0]) for f in families if f in children],
        "writable": [[str(f), str(children[f][1]) if f in children else ""] for f in writable],
        "pods": list(pods.visible_pods(user).order_by("?").values_list("pk", flat=True)[:3]),
        "own_pods": sorted(set(member_pods.values_list("pod_id", flat=True))),
        "outcomes": outcomes.can_see_outcomes(user),
        "report": outcomes.can(user, outcomes.Action.REPORT),
    }


def sign_in(users: list[Any]) -> tuple[list[dict[str, Any]], list[str], list[int]]:
    """Sessions as a password-and-MFA sign-in leaves them; returns the plan, the session keys
    and the ids of the authenticators made here (both removed afterwards)."""

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    have = set(Authenticator.objects.filter(user__in=users).values_list("user_id", flat=True))
    made = Authenticator.objects.bulk_create(
        Authenticator(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": get_adapter().encrypt(secrets.token_hex(10))},
        )
        for user in users
        if user.pk not in have
    )
    authenticator = dict(
        Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP).values_list(
            "user_id", "pk"
        )
    )
    plan, keys = [], []
    now = time.time()
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "username": user.username},
            {"method": "mfa", "at": now, "id": authenticator[user.pk], "type": "totp"},
        ]
        # allauth keeps whose records they are beside them (flows/login.py).
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session["onestory_started"] = now
        session["onestory_last_seen"] = now
        session.create()
        assert session.session_key is not None
        keys.append(session.session_key)
        person = plan_for(user)
        person.update(
            session=session.session_key,
            cookie=settings.SESSION_COOKIE_NAME,
            csrf=secrets.token_hex(16),
        )
        plan.append(person)
    return plan, keys, [a.pk for a in made]


def sign_out(keys: list[str], authenticators: list[int]) -> None:
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=keys).delete()
    Authenticator.objects.filter(pk__in=authenticators).delete()


# --- the server ---------------------------------------------------------------------------------


def start_gunicorn(app_url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": app_url,
        "ONESTORY_DEMO": "1",
        "ONESTORY_ENV": "development",
        "DEBUG": "0",
    }
    from stack import gunicorn

    # Server time in microseconds, and the page named by the load's header; six hundred
    # people's keep-alive connections wait in the backlog, not refused.
    command = gunicorn(
        port, workers=workers, log=str(log), log_format="%(s)s %(D)s %({x-load-page}i)s"
    )
    server = subprocess.Popen(
        [*command, "--backlog", "2048"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        health = f"http://127.0.0.1:{port}/healthz"
        with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=2) as r:
            if r.status == 200:
                return server
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it answered /healthz")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def profile(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy samples every web worker, waiting included (--idle): a worker waiting for
    PostgreSQL's answer is in psycopg's wait, which is the database's time."""
    spy = BIN / "py-spy"
    if not spy.exists():
        return None
    return subprocess.Popen(
        [
            str(spy),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--idle",
            "--rate",
            "50",
            "--duration",
            str(seconds),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def where_the_time_goes(raw: Path, view: str) -> dict[str, float] | None:
    """Shares of the samples inside `view`: waiting on PostgreSQL, writing the access log
    (its own SQL included), and the rest (Python: Django, templates, our code)."""
    if not raw.exists():
        return None
    counts: Counter[str] = Counter()
    frame = re.compile(rf"(^|;){re.escape(view)} \(onestory/")
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit() or not frame.search(stack):
            continue
        in_log = "log_access (" in stack or "log_seen_in_search (" in stack
        in_db = "psycopg/" in stack and ("execute (" in stack or "wait" in stack)
        if in_log:
            counts["access log (its SQL included)"] += int(n)
        elif in_db:
            counts["database (waiting on PostgreSQL)"] += int(n)
        else:
            counts["Python (Django, templates, our code)"] += int(n)
    total = sum(counts.values())
    if not total:
        return None
    return {name: 100 * n / total for name, n in counts.items()} | {"samples": float(total)}


# --- the slowest page, alone --------------------------------------------------------------------


def page_alone(plan: list[dict[str, Any]], page: str, rounds: int = 20) -> dict[str, float] | None:
    """The page's server time in this process (Django's test client, the same middleware), its
    SQL time (every query timed as the database driver ran it), and the access log's share
    (the page with the log switched off), medians of `rounds` requests."""
    from django.db import connection
    from django.test import Client

    from onestory.families import access

    urls: dict[str, Callable[[dict[str, Any]], str | None]] = {
        "family page": lambda p: f"/families/{p['families'][0]}/" if p["families"] else None,
        "child's story": lambda p: f"/people/{p['children'][0]}/story/" if p["children"] else None,
        "search": lambda _p: "/stories/search/?q=school+teacher",
        "add to the story": lambda p: (
            f"/families/{p['writable'][0][0]}/story/new/" if p["writable"] else None
        ),
        "what's due": lambda _p: "/due/",
        "home": lambda _p: "/",
        "outcomes dashboard": lambda p: "/outcomes/" if p["outcomes"] else None,
        "outcomes report": lambda p: "/outcomes/report/" if p["report"] else None,
        "pod page": lambda p: f"/pods/{p['pods'][0]}/" if p["pods"] else None,
        "pod's what's due": lambda p: f"/due/pods/{p['own_pods'][0]}/" if p["own_pods"] else None,
    }
    if page not in urls:
        return None
    person, url = next(((p, urls[page](p)) for p in plan if urls[page](p)), (None, None))
    if person is None or url is None:
        return None
    # The person's own session from the load: signed in with MFA, as under load.
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[person["cookie"]] = person["session"]
    sql: list[float] = []

    def timer(execute: Any, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            sql.append(time.perf_counter() - started)

    real_log = access.log_access
    totals, sqls, unlogged = [], [], []
    for i in range(rounds + 3):
        sql.clear()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
        access.log_access = lambda *a, **k: None  # type: ignore[assignment]
        try:
            started = time.perf_counter()
            client.get(url)
            without = time.perf_counter() - started
        finally:
            access.log_access = real_log
        if i >= 3:  # warmed up
            totals.append(elapsed * 1000)
            sqls.append(sum(sql) * 1000)
            unlogged.append(without * 1000)
    return {
        "server ms": statistics.median(totals),
        "SQL ms": statistics.median(sqls),
        "queries": float(len(sql)),
        "without access log ms": statistics.median(unlogged),
    }


# --- the report ---------------------------------------------------------------------------------


def server_times(log: Path, start: int = 0) -> dict[str, list[float]]:
    """Each page's server times from the access log, from byte `start`: where the log stood
    when the steady state began, so that the server columns cover the same requests as
    locust's (which resets its statistics then). The arrival of everyone, each worker's first
    requests among them, is not part of either."""
    times: dict[str, list[float]] = defaultdict(list)
    if log.exists():
        with log.open("rb") as file:
            file.seek(start)
            text = file.read().decode(errors="replace")
        for line in text.splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[1].isdigit() and parts[2] != "-":
                times[parts[2]].append(int(parts[1]) / 1000)
    return times


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[q - 1]


def _number(text: str | None) -> float:
    """A figure from locust's CSV, which writes "N/A" where it has none."""
    try:
        return float(text or 0)
    except ValueError:
        return 0.0


def report(
    stats_csv: Path, log: Path, seconds: float, log_from: int = 0
) -> tuple[bool, str | None, list[str]]:
    rows = list(csv.DictReader(stats_csv.open()))
    server = server_times(log, log_from)
    lines = [
        f"{'page':<26} {'requests':>8} {'per s':>6} {'errors':>7} {'p50':>6} {'p95':>6} "
        f"{'p99':>6}   {'server p50':>10} {'server p95':>10}"
    ]
    ok, worst, worst_p95 = True, None, -1.0
    for row in rows:
        name = row["Name"]
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        if count == 0 and name != "Aggregated":
            # A page nobody happened to open in the steady state (the outcomes report is
            # opened by two people now and then): locust writes "N/A" for its times.
            lines.append(f"{name:<26} {0:>8}   no requests in the steady state")
            continue
        p50, p95, p99 = (_number(row[k]) for k in ("50%", "95%", "99%"))
        rate = _number(row["Requests/s"])
        error_rate = 100 * failures / count if count else 0.0
        if name == "Aggregated":
            lines.append("-" * 100)
            total = (count, failures, rate, error_rate, p50, p95, p99)
            continue
        times = server.get(name, [])
        s50 = f"{pct(times, 50):>10.0f}" if times else f"{'':>10}"
        s95 = f"{pct(times, 95):>10.0f}" if times else f"{'':>10}"
        flag = ""
        if failures or p95 > P95_BUDGET_MS:
            ok = False
            flag = "  <- over budget" if p95 > P95_BUDGET_MS else "  <- errors"
        lines.append(
            f"{name:<26} {count:>8} {rate:>6.1f} {error_rate:>6.2f}% {p50:>6.0f} {p95:>6.0f} "
            f"{p99:>6.0f}   {s50} {s95}{flag}"
        )
        if p95 > worst_p95 and name in VIEWS:
            worst, worst_p95 = name, p95
    count, failures, rate, error_rate, p50, p95, p99 = total
    lines.append(
        f"{'all pages':<26} {count:>8} {rate:>6.1f} {error_rate:>6.2f}% {p50:>6.0f} {p95:>6.0f} "
        f"{p99:>6.0f}"
    )
    lines.append(
        f"Times in ms; client times include waiting for a free web worker, server times do not "
        f"(gunicorn's access log). Measured over {seconds:.0f} s of steady state."
    )
    if count == 0:
        ok = False
    return ok, worst, lines


def run_and_report(
    args: argparse.Namespace,
    plan: list[dict[str, Any]],
    app_url: str,
    work: Path,
    load_before: tuple[float, float, float],
) -> bool:
    """Serves, loads, reports; true when every budget is met."""
    from django.db import connection

    (work / "plan.json").write_text(json.dumps(plan))
    connection.close()
    log = work / "access.log"
    server = start_gunicorn(app_url, args.port, args.workers, log)
    ramp = args.users / args.spawn_rate
    steady = args.minutes * 60
    spy_out = work / "profile.txt"
    spy: list[subprocess.Popen[bytes] | None] = [None]
    # Profile a minute of the steady state, once everyone has arrived.
    timer = threading.Timer(ramp + 20, lambda: spy.__setitem__(0, profile(server.pid, 60, spy_out)))
    # Where the access log stands when locust resets its statistics: the steady state's start.
    steady_from = [0]
    marker = threading.Timer(ramp, lambda: steady_from.__setitem__(0, log.stat().st_size))
    try:
        say(
            f"gunicorn ({args.workers} workers) on 127.0.0.1:{args.port}; {args.users} users "
            f"arrive over {ramp:.0f}s, then {steady:.0f}s measured"
        )
        timer.start()
        marker.start()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "scripts" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(ramp + steady)}s",
                "--stop-timeout",
                "15",
                "--reset-stats",
                "--only-summary",
                "--csv",
                str(work / "load"),
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LOAD_PLAN": str(work / "plan.json"),
                "LOAD_GC_LOG": str(work / "gc.json"),
            },
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        load_during = os.getloadavg()
    finally:
        timer.cancel()
        marker.cancel()
        if spy[0] is not None:
            spy[0].wait(timeout=90)
        server.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)
    ok, worst, lines = report(work / "load_stats.csv", log, steady, steady_from[0])
    print()
    print("\n".join(lines))
    print(
        f"Load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}; at the end: {load_during[0]:.2f} {load_during[1]:.2f} "
        f"{load_during[2]:.2f} (2 cores, shared with other work)."
    )
    pauses = json.loads((work / "gc.json").read_text()) if (work / "gc.json").exists() else []
    if pauses:
        print(
            f"The load generator's own full garbage collections: {len(pauses)}, the longest "
            f"{1000 * max(pauses):.0f} ms, {1000 * sum(pauses):.0f} ms in all (every request in "
            f"flight waits them out, and counts them as its time)."
        )
    if worst:
        print(f"\nThe slowest page at p95: {worst}. Where its time goes:")
        shares = where_the_time_goes(spy_out, VIEWS[worst])
        if shares:
            samples = int(shares.pop("samples"))
            print(f"  Under load (py-spy, {samples} samples of its view in the web workers):")
            for name, share in sorted(shares.items(), key=lambda kv: -kv[1]):
                print(f"    {name:<40} {share:5.1f}%")
        alone = page_alone(plan, worst)
        if alone:
            print(
                f"  Alone, after the load: {alone['server ms']:.1f} ms in the server, of which "
                f"{alone['SQL ms']:.1f} ms in {alone['queries']:.0f} SQL queries "
                f"({100 * alone['SQL ms'] / alone['server ms']:.0f}%); without the access "
                f"log {alone['without access log ms']:.1f} ms."
            )
    errors = sum(
        int(r["Failure Count"])
        for r in csv.DictReader((work / "load_stats.csv").open())
        if r["Name"] == "Aggregated"
    )
    failures = work / "load_failures.csv"
    if errors and failures.exists():
        print("\nErrors:")
        for row in list(csv.DictReader(failures.open()))[:10]:
            print(f"  {row['Occurrences']} x {row['Name']}: {row['Error']}")
    verdict = "PASS" if ok else "FAIL"
    print(
        f"\n{verdict}: budgets are no errors and no page's p95 over {P95_BUDGET_MS:.0f} ms "
        f"with {args.users} staff signed in."
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--spawn-rate", type=float, default=10.0)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scale", default=os.environ.get("SCALE", "large"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="onestory-load-"))
    load_before = os.getloadavg()
    with council(args.scale) as (owner_url, app_url):
        setup_django(owner_url)
        started = time.monotonic()
        users = choose_staff(args.users)
        plan, keys, made = sign_in(users)
        roles = Counter(p["role"] for p in plan)
        say(
            f"Signed in {len(plan)} staff in {time.monotonic() - started:.0f}s: "
            + ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in roles.most_common())
        )
        try:
            ok = run_and_report(args, plan, app_url, work, load_before)
        finally:
            sign_out(keys, made)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
