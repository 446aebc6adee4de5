from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestory.accounts.demo import create_demo_accounts, demo_password
from onestory.accounts.models import DemoCouncil, User

SCALES = ("small", "default", "large")


class Command(BaseCommand):
    help = "Create the fictional demo council in an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="default")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds any account.",
        )

    def handle(self, *args: Any, scale: str, seed: int, if_empty: bool, **options: Any) -> None:
        if User.objects.exists() or DemoCouncil.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds accounts: demo council not loaded.")
                return
            raise CommandError(
                "The database already holds accounts. The demo council is only loaded into an "
                "empty database, so that nothing real is ever mixed with it."
            )
        users = create_demo_accounts(password=demo_password(), scale=scale, seed=seed)
        self.stdout.write(f"Demo council loaded ({scale}, seed {seed}): {len(users)} accounts.")
