"""The backup and restore drill (`make drill-restore`; docs/runbook.md).

    python scripts/drill_restore.py [--scale small]

Backs up the demo council with `manage.py backup` and proves the backup with
`manage.py restore_drill`: a scratch database restored from it, every table's rows and content
compared with the backup's manifest, every B-tree index checked with amcheck, then dropped.
Uses the database in DATABASE_URL (its owner's URL: a backup reads every table, and the drill
creates a database), or a throwaway embedded PostgreSQL with the demo council seeded at
--scale. The archive is written to a temporary directory and removed afterwards (--keep DIR
keeps it there instead). Exits non-zero when either step fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def manage(*args: str, env: dict[str, str]) -> int:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=False
    ).returncode


def drill(url: str, keep: Path | None) -> int:
    env = {**os.environ, "DATABASE_URL": url, "ONESTORY_ENV": "development"}
    directory = keep or Path(tempfile.mkdtemp(prefix="onestory-backup-"))
    try:
        name = "onestory-drill.dump"
        code = manage("backup", str(directory), "--name", name, env=env)
        if code == 0:
            code = manage("restore_drill", str(directory / name), env=env)
        return code
    finally:
        if keep is None:
            shutil.rmtree(directory, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE", "small"))
    parser.add_argument("--keep", type=Path, help="Keep the backup in this directory.")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        return drill(os.environ["DATABASE_URL"], args.keep)
    from stack import APP_ROLE, database

    with database(throwaway=True) as (_, owner_url):
        env = {**os.environ, "DATABASE_URL": owner_url, "ONESTORY_ENV": "development"}
        env["ONESTORY_APP_ROLE"] = APP_ROLE
        if manage("migrate", "-v0", env=env) != 0:
            return 1
        if manage("seed_demo", "--scale", args.scale, env={**env, "ONESTORY_DEMO": "1"}) != 0:
            return 1
        return drill(owner_url, args.keep)


if __name__ == "__main__":
    sys.exit(main())
