"""`manage.py returns ssda903 --year 2026 --out DIR [--check --la E06000043]` and
`manage.py returns cin --year 2026 --out FILE` and
`manage.py returns annex-a --on 2026-11-29 --out FILE.xlsx`: a statutory return from the
records, and its check by the DfE's rules."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onestory.returns.annex_a import spec as annex_a_spec
from onestory.returns.annex_a import workbook as annex_a
from onestory.returns.cin.export import NoChildInNeed
from onestory.returns.cin.export import export as cin_export
from onestory.returns.cin.validate import validate_cin
from onestory.returns.ssda903 import spec
from onestory.returns.ssda903.export import NothingToReturn, export
from onestory.returns.validate import Validation, ValidatorUnavailable, validate_ssda903


class Command(BaseCommand):
    help = "Write a statutory return from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        returns = parser.add_subparsers(dest="return_name", required=True)
        ssda903 = returns.add_parser(
            "ssda903", help="The SSDA903 (children looked after) return, one CSV per table."
        )
        ssda903.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year the collection ends: 2026 is 1 April 2025 to 31 March 2026.",
        )
        ssda903.add_argument("--out", type=Path, required=True, help="The folder to write to.")
        ssda903.add_argument(
            "--check",
            action="store_true",
            help="Check the files with Data to Insight's validator (make returns-validators).",
        )
        ssda903.add_argument(
            "--la",
            default=getattr(settings, "COUNCIL_ONS_CODE", ""),
            help="The council's ONS code, for example E06000043 (for --check).",
        )
        cin = returns.add_parser("cin", help="The children in need census, one XML file.")
        cin.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year the collection ends: 2026 is 1 April 2025 to 31 March 2026.",
        )
        cin.add_argument("--out", type=Path, required=True, help="The XML file to write.")
        cin.add_argument(
            "--check",
            action="store_true",
            help="Check the file with Data to Insight's CIN census validator.",
        )
        annex_a = returns.add_parser(
            "annex-a", help="Ofsted's Annex A lists for an inspection, one xlsx workbook."
        )
        annex_a.add_argument(
            "--on",
            type=date.fromisoformat,
            default=None,
            help="The day the lists are for, as 2026-11-29 (today when left out).",
        )
        annex_a.add_argument("--out", type=Path, required=True, help="The xlsx file to write.")

    def handle(
        self,
        *args: Any,
        return_name: str,
        out: Path,
        year: int = 0,
        check: bool = False,
        la: str = "",
        **options: Any,
    ) -> None:
        if return_name == "annex-a":
            self.write_annex_a(options.get("on") or timezone.localdate(), out)
            return
        if return_name == "cin":
            self.write_cin(year, out, check=check)
            return
        if check and not la:
            raise CommandError("Give the council's ONS code with --la to check the return.")
        try:
            written = export(year, out)
        except (ValueError, NothingToReturn) as error:
            raise CommandError(str(error)) from None
        for file in written:
            rows = "1 row" if file.rows == 1 else f"{file.rows:,} rows"
            self.stdout.write(f"{file.path}: {rows}")
        if check:
            self.check_return(year, out, la)

    def write_annex_a(self, day: date, out: Path) -> None:
        written = annex_a.write(day, out)
        self.stdout.write(f"{out}: Annex A for {day:%d/%m/%Y}")
        for found in annex_a_spec.LISTS:
            rows = written.rows[found.number]
            count = "1 row" if rows == 1 else f"{rows:,} rows"
            note = " (One Story does not record this)" if found.not_held else ""
            self.stdout.write(f"  {found.sheet}: {count}{note}")

    def write_cin(self, year: int, out: Path, *, check: bool) -> None:
        try:
            written = cin_export(year, out)
        except (ValueError, NoChildInNeed) as error:
            raise CommandError(str(error)) from None
        children = "1 child" if written.children == 1 else f"{written.children:,} children"
        self.stdout.write(f"{written.path}: {children}")
        if check:
            try:
                self.report(validate_cin(out, year=year))
            except ValidatorUnavailable as error:
                raise CommandError(str(error)) from None

    def check_return(self, year: int, out: Path, la: str) -> None:
        with tempfile.TemporaryDirectory(prefix="onestory-903-last-") as folder:
            # Last year's files from the same records, for the rules comparing two years.
            previous = None
            if year - 1 in spec.YEARS:
                try:
                    export(year - 1, Path(folder))
                    previous = Path(folder)
                except NothingToReturn:
                    pass
            try:
                result = validate_ssda903(out, year=year, la_code=la, previous=previous)
            except ValidatorUnavailable as error:
                raise CommandError(str(error)) from None
        self.report(result)

    def report(self, result: Validation) -> None:
        if not result.issues:
            self.stdout.write("The validator found no errors.")
        for rule, message, count in result.by_rule():
            self.stdout.write(f"{count:>6}  {rule:<10} {message}")
        if result.failed:
            self.stdout.write(f"Rules the validator could not run: {', '.join(result.failed)}")
