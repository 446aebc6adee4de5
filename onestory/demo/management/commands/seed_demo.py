from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from onestory.accounts.models import User
from onestory.demo.accounts import demo_password
from onestory.demo.council import SCALES
from onestory.demo.load import load_demo_council
from onestory.demo.models import DemoCouncil


class Command(BaseCommand):
    help = "Create the fictional demo council in an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="default")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The day the records run up to (YYYY-MM-DD); today by default.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds any account.",
        )

    def handle(
        self, *args: Any, scale: str, seed: int, today: date | None, if_empty: bool, **options: Any
    ) -> None:
        if User.objects.exists() or DemoCouncil.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds accounts: demo council not loaded.")
                return
            raise CommandError(
                "The database already holds accounts. The demo council is only loaded into an "
                "empty database, so that nothing real is ever mixed with it."
            )
        started = time.monotonic()
        counts = load_demo_council(
            scale=scale,
            seed=seed,
            today=today or timezone.localdate(),
            password=demo_password(),
            say=self.stdout.write,
        )
        if not connection.in_atomic_block:
            # As after pg_restore: marks the new rows visible to all and refreshes statistics
            # now, rather than leaving autovacuum to work through millions of rows while the
            # first pages are served. (Not possible inside a caller's transaction, as in tests.)
            vacuumed = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            self.stdout.write(f"Vacuumed in {time.monotonic() - vacuumed:.1f}s")
        summary = ", ".join(f"{n:,} {label.split('.')[1]}" for label, n in counts.items())
        self.stdout.write(
            f"Demo council loaded ({scale}, seed {seed}) in {time.monotonic() - started:.1f}s: "
            f"{summary}."
        )
