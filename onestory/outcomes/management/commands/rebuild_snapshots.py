"""Recomputes the monthly snapshots of every measure from the records, with a progress bar."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onestory.outcomes.snapshots import HISTORY_STARTS, rebuild

BAR_WIDTH = 30


def month(text: str) -> date:
    try:
        year, number = text.split("-")
        return date(int(year), int(number), 1)
    except ValueError as error:
        raise CommandError(
            f"Give the month as YYYY-MM, for example 2015-10, not {text!r}."
        ) from error


class Command(BaseCommand):
    help = "Recompute the monthly outcome snapshots from the records (from January 2014)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="first",
            type=month,
            default=HISTORY_STARTS,
            help="the first month to recompute, YYYY-MM (default 2014-01)",
        )

    def handle(self, *args: Any, first: date, **options: Any) -> None:
        today = timezone.localdate()
        if first > today:
            raise CommandError("The first month cannot be after this month.")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stdout.write(f"[{bar}] {done}/{total} months, {time.monotonic() - started:.0f} s")

        written = rebuild(first, today, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{written:,} snapshots from {first:%B %Y} to {today:%B %Y} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
