"""Queues the nightly refresh of the outcome snapshots, unless one is already waiting.

Run it as the task worker starts (`scripts/stack.py`); the task queues the next night's run
itself, so this only starts the chain, or restarts it if it was lost."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestory.outcomes.snapshots import schedule_refresh


class Command(BaseCommand):
    help = "Queue the nightly refresh of the outcome snapshots unless one is waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        if schedule_refresh():
            self.stdout.write("The nightly refresh of the outcome snapshots is queued.")
        else:
            self.stdout.write("The nightly refresh of the outcome snapshots was already queued.")
