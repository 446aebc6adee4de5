"""`make bench`: the slow measurements that stay out of the test suite.

Seed time and database size of the demo council at each scale, each in a fresh throwaway
database. Run through `python scripts/stack.py with-db -- python scripts/bench.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SCALES = sys.argv[1:] or ["small", "default", "large"]


def database_url(name: str) -> str:
    base = os.environ["DATABASE_URL"]
    return base.rsplit("/", 1)[0] + f"/{name}"


def recreate(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def size(name: str) -> tuple[int, int]:
    with psycopg.connect(database_url(name)) as conn:
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        rows = conn.execute("SELECT SUM(n_live_tup)::bigint FROM pg_stat_user_tables").fetchone()
    return int(total[0] if total else 0), int(rows[0] or 0 if rows else 0)


def main() -> int:
    env = {**os.environ, "ONESTORY_ENV": "test", "ONESTORY_DEMO": "1"}
    results = []
    for scale in SCALES:
        name = f"bench_{scale}"
        recreate(name)
        env["DATABASE_URL"] = database_url(name)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        started = time.monotonic()
        subprocess.run(
            [*manage, "seed_demo", "--scale", scale, "--seed", "2015"], env=env, check=True
        )
        seconds = time.monotonic() - started
        with psycopg.connect(database_url(name), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        total, rows = size(name)
        results.append((scale, seconds, total, rows))
    print()
    print(f"{'scale':<8} {'seed time':>10} {'database size':>14} {'rows':>12}")
    for scale, seconds, total, rows in results:
        print(f"{scale:<8} {seconds:>9.1f}s {total / 2**20:>11.0f} MiB {rows:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
