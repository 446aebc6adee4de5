"""`manage.py restore_drill ARCHIVE`: proves that a backup restores (docs/runbook.md).

Verifies the archive's checksum, restores it into a scratch database on the same server (an
empty one: a database with tables in it is refused), compares every table's row count and
content checksum with the manifest written at backup time (the source as it was dumped),
runs amcheck's bt_index_check on every B-tree index, prints the verdict, and drops the scratch
database. Exits with status 1 on any difference, a damaged archive or a failed restore.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestory.core.management.commands.backup import BackupError, drill


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--target",
            default="onestory_restore_drill",
            help="The scratch database (created, then dropped; refused if it holds tables).",
        )
        parser.add_argument("--pg-bin", help="The directory of pg_restore to use.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            verdict = drill(
                options["archive"], target=options["target"], pg_bin_dir=options["pg_bin"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        width = max(len(r[0]) for r in verdict.rows) if verdict.rows else 10
        self.stdout.write(f"{'table':<{width}}  {'backed up':>10}  {'restored':>10}  verdict")
        for table, before, after, said in verdict.rows:
            self.stdout.write(f"{table:<{width}}  {before:>10}  {after:>10}  {said}")
        differ = [r for r in verdict.rows if r[3] != "same"]
        self.stdout.write(
            f"\nTables: {len(verdict.rows)} compared, {len(differ)} differ. Indexes: "
            f"{verdict.indexes_checked} checked with amcheck, {len(verdict.index_failures)} "
            f"failed."
        )
        for name, problem in verdict.index_failures:
            self.stdout.write(f"  index {name}: {problem}")
        self.stdout.write(
            f"The scratch database {options['target']} has been dropped "
            f"({time.monotonic() - started:.1f}s in all)."
        )
        if not verdict.ok:
            raise CommandError("FAILED: the restore differs from the backup (see above).")
        self.stdout.write("PASSED: the backup restores whole, and every index checks out.")
