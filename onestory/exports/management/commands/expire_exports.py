"""Deletes expired documents now, and queues the nightly expiry unless it is already waiting.

Run it as the task worker starts (`scripts/stack.py`, beside `schedule_snapshots`): the
`expire_exports` task queues its next night's run itself, so this only starts the chain, or
restarts it if it was lost. Every document the worker makes also deletes the expired ones first,
and the pages never show or serve an expired document, whether or not it is deleted yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestory.exports.making import forget_expired, schedule_expiry


class Command(BaseCommand):
    help = "Delete expired documents now and queue the nightly expiry unless it is waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = forget_expired()
        self.stdout.write(f"{deleted} expired document{'s' if deleted != 1 else ''} deleted.")
        if schedule_expiry():
            self.stdout.write("The nightly expiry of documents is queued.")
        else:
            self.stdout.write("The nightly expiry of documents was already queued.")
