"""`manage.py import_ssda903 DIR... --pod NAME --by USERNAME`: past SSDA903 returns, one folder a
collection year, read into the records; all or nothing (onestory/returns/ssda903/importer.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestory.pods.models import Pod
from onestory.returns.ssda903.importer import Refused, import_folders, not_imported


class Command(BaseCommand):
    help = (
        "Import past SSDA903 returns (one folder a collection year, the CSV files named as "
        "Data to Insight's tools name them). Nothing is written if any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folders",
            nargs="+",
            type=Path,
            metavar="DIR",
            help="A folder of one year's files; its name ends with the year the collection "
            "ends (2026 for 2025-26), or the year is told from the latest date in its files.",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="The year the collection ends, when one folder is given and its name does "
            "not say it.",
        )
        parser.add_argument(
            "--pod", required=True, help="The pod to hold the families of the children imported."
        )
        parser.add_argument(
            "--by",
            required=True,
            help="The username of the person running the import, named in every record's history.",
        )

    def handle(
        self, *args: Any, folders: list[Path], year: int | None, pod: str, by: str, **options: Any
    ) -> None:
        if year is not None and len(folders) > 1:
            raise CommandError("--year names the year of one folder: give one folder with it.")
        try:
            holder = Pod.objects.get(name=pod)
        except Pod.DoesNotExist:
            raise CommandError(f"There is no pod named {pod!r}.") from None
        try:
            user = get_user_model().objects.get(username=by)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no account with the username {by!r}.") from None
        began = time.perf_counter()
        try:
            imported = import_folders(by=user, folders=[(f, year) for f in folders], pod=holder)
        except Refused as refused:
            for line in refused.lines():
                self.stderr.write(line)
            raise CommandError(
                f"Nothing was imported: {len(refused.problems)} "
                f"problem{'s' if len(refused.problems) != 1 else ''} in the files."
            ) from None
        for line in imported.lines():
            self.stdout.write(line)
        if not_imported():
            self.stdout.write(
                "Not imported yet (One Story holds no such records): " + ", ".join(not_imported())
            )
        self.stdout.write(f"Imported in {time.perf_counter() - began:.1f} s.")
