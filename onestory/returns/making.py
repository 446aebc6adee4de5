"""The returns in the app: their files made in the background by onestory/exports, and their
checks by the DfE's rules run by the same task worker (docs/decisions/0025-returns-in-the-app.md).

- **Files.** Two kinds of export, `returns.ssda903` (a zip of the year's CSV files) and
  `returns.cin` (the census XML), for a collection year. The exports app gives the rest:
  progress, the file for the person who asked only, each download logged, gone after 7 days.
- **Checks.** `request_check` records a `Check` and enqueues `run_check` in one transaction;
  the worker (`manage.py task_worker`, the one that makes the exports) claims it with a
  conditional UPDATE, writes the return to a temporary folder, runs the validator in its own
  environment (seconds to a minute: never in a web request), and saves one `Finding` per row
  it reports. Nothing of the files is kept: the findings are what the page needs.
"""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from onestory.accounts.models import User
from onestory.exports import registry
from onestory.exports.models import Export
from onestory.families.models import (
    AdoptionPlacement,
    CareEpisode,
    MissingEpisode,
    Person,
    Review,
    UASCPeriod,
)
from onestory.lib.history import recorded
from onestory.returns.access import Action, may
from onestory.returns.cin import export as cin
from onestory.returns.cin.validate import validate_cin
from onestory.returns.collection import CollectionYear
from onestory.returns.models import Check, Finding, Return, Status
from onestory.returns.ssda903 import export as ssda903
from onestory.returns.ssda903 import spec
from onestory.returns.validate import Validation, ValidatorUnavailable, validate_ssda903

logger = logging.getLogger(__name__)

# The collection years One Story writes each return for, by the year they end in.
YEARS: dict[str, tuple[int, ...]] = {
    Return.SSDA903: tuple(sorted(spec.YEARS)),
    Return.CIN: tuple(sorted(cin.YEARS)),
}

KINDS = {Return.SSDA903: "returns.ssda903", Return.CIN: "returns.cin"}

SORRY = (
    "Sorry, the return could not be checked. Try again; if it fails again, tell the service "
    "desk, giving the time you asked for it."
)
NO_LONGER_ALLOWED = "You may no longer check returns, so this one was not checked."
NO_ONS_CODE = (
    "The council's ONS code is not set (ONESTORY_COUNCIL_ONS_CODE), and the SSDA903 rules on "
    "where children are placed need it. Ask the system administrator to set it."
)

# Rules that cannot apply to one council's return, named with the reason
# (docs/decisions/0023-statutory-returns.md): shown apart from the findings, never as errors.
CANNOT_APPLY: dict[str, dict[str, str]] = {
    Return.SSDA903: {
        **dict.fromkeys(
            ("1008", "219", "221", "224", "227", "228", "229"),
            "Needs Ofsted's lists of registered providers, which One Story does not hold.",
        ),
        **dict.fromkeys(
            ("SW17STG2", "SW11bSTG2", "SW12STG2"),
            "Expects a social worker episode open on 31 March for every child, even one whose "
            "case closed; One Story reports the workers children actually had.",
        ),
    },
    Return.CIN: {},
}


def year_is_offered(return_name: str, year: object) -> bool:
    return isinstance(year, int) and year in YEARS.get(return_name, ())


def year_label(year: int) -> str:
    return CollectionYear(year).label


# --- The files, as background exports -----------------------------------------------------


def _may_ask(return_name: str) -> registry.MayAsk:
    def may_ask(user: Any, parameters: dict[str, Any]) -> bool:
        return may(user, Action.MAKE) and year_is_offered(return_name, parameters.get("year"))

    return may_ask


def title_for(return_name: str, year: int) -> str:
    label = year_label(year)
    if return_name == Return.CIN:
        return f"Children in need census {label} (XML)"
    return f"SSDA903 return {label} (CSV files, zipped)"


def build_ssda903(export: Export, progress: registry.Progress) -> registry.Made:
    year = int(export.parameters["year"])
    with tempfile.TemporaryDirectory(prefix="onestory-903-") as folder:
        try:
            # One transaction, so the tables' server-side cursors stay open while written.
            with transaction.atomic():
                written = ssda903.export(year, Path(folder))
        except (ValueError, ssda903.NothingToReturn) as reason:
            raise registry.CannotMake(str(reason)) from None
        progress(80)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in written:
                archive.write(file.path, arcname=file.path.name)
    return registry.Made(f"ssda903-{year}.zip", "application/zip", buffer.getvalue())


def build_cin(export: Export, progress: registry.Progress) -> registry.Made:
    year = int(export.parameters["year"])
    with tempfile.TemporaryDirectory(prefix="onestory-cin-") as folder:
        path = Path(folder) / f"cin-census-{year}.xml"
        try:
            cin.export(year, path)
        except (ValueError, cin.NoChildInNeed) as reason:
            raise registry.CannotMake(str(reason)) from None
        progress(90)
        content = path.read_bytes()
    return registry.Made(path.name, "application/xml", content)


def register() -> None:
    registry.register(
        KINDS[Return.SSDA903],
        label="SSDA903 return (CSV files, zipped)",
        build=build_ssda903,
        may_ask=_may_ask(Return.SSDA903),
    )
    registry.register(
        KINDS[Return.CIN],
        label="Children in need census (XML)",
        build=build_cin,
        may_ask=_may_ask(Return.CIN),
    )


# --- The checks -----------------------------------------------------------------------------


class NotAllowed(Exception):
    """The user may not check returns, or not this return and year."""


def request_check(*, by: User, return_name: str, year: int) -> Check:
    """The check of this return and year still waiting or running, or a new one enqueued for
    the task worker. Asking again while one runs (a double click, a colleague asking at the
    same moment) gives the same check: the validator is the slow part, and two runs on the
    same records would find the same things."""
    if not may(by, Action.CHECK) or not year_is_offered(return_name, year):
        raise NotAllowed(return_name)
    with recorded(by, "returns.check"):
        # The race: two people (or one double click) each find no check running and each
        # start one. A check is council-wide, so requests for the same return and year wait
        # for each other on a transaction-scoped advisory lock (there is no row to lock yet);
        # the database's own constraint (one check in progress a return and year) is the
        # backstop.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"onestory.returns.check:{return_name}:{year}"],
            )
        current = Check.objects.filter(
            return_name=return_name, year=year, status__in=[Status.QUEUED, Status.RUNNING]
        ).first()
        if current is not None:
            return current
        check = Check.objects.create(return_name=return_name, year=year, asked_by=by)
        # In the same transaction as the check: the worker never sees one without the other.
        run_check.enqueue(check.pk)
    check.refresh_from_db()
    return check


@dataclass(frozen=True)
class Checked:
    children: int
    validation: Validation


class CannotCheck(Exception):
    """Why a return could not be checked, in plain English for the person who asked."""


def _check_ssda903(year: int) -> Checked:
    la_code = str(getattr(settings, "COUNCIL_ONS_CODE", "") or "")
    if not la_code:
        raise CannotCheck(NO_ONS_CODE)
    with tempfile.TemporaryDirectory(prefix="onestory-903-check-") as folder:
        this_year, last_year = Path(folder) / "this", Path(folder) / "last"
        with transaction.atomic():
            written = ssda903.export(year, this_year)
            previous: Path | None = None
            # Last year's files from the same records, so the rules comparing two years run.
            if year - 1 in spec.YEARS:
                try:
                    ssda903.export(year - 1, last_year)
                    previous = last_year
                except ssda903.NothingToReturn:
                    previous = None
        children = next(w.rows for w in written if w.table.name == spec.HEADER.name)
        result = validate_ssda903(this_year, year=year, la_code=la_code, previous=previous)
    return Checked(children, result)


def _check_cin(year: int) -> Checked:
    with tempfile.TemporaryDirectory(prefix="onestory-cin-check-") as folder:
        path = Path(folder) / "census.xml"
        written = cin.export(year, path)
        result = validate_cin(path, year=year)
    return Checked(written.children, result)


def _fail(check_id: int, error: str) -> None:
    now = timezone.now()
    Check.objects.filter(pk=check_id, status=Status.RUNNING).update(
        status=Status.FAILED, error=error, finished_at=now
    )


@task()
def run_check(check_id: int) -> str:
    """Check one return by the DfE's rules and keep what the validator found."""
    # Claim it: a conditional UPDATE, so a second worker (or a retry) finds nothing to do.
    claimed = Check.objects.filter(pk=check_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "gone"
    check = Check.objects.select_related("asked_by").get(pk=check_id)
    if not may(check.asked_by, Action.CHECK):
        _fail(check.pk, NO_LONGER_ALLOWED)
        return "refused"
    try:
        # The exports read the records inside their own savepoints (a database error there
        # does not spoil the transaction the failure is then written in: under the immediate
        # backend used by tests, the request's own); the validator, the slow part, runs with
        # no transaction open.
        if check.return_name == Return.CIN:
            checked = _check_cin(check.year)
        else:
            checked = _check_ssda903(check.year)
    except (
        CannotCheck,
        ValidatorUnavailable,
        ValueError,
        ssda903.NothingToReturn,
        cin.NoChildInNeed,
    ) as reason:
        _fail(check.pk, str(reason) or SORRY)
        return "failed"
    except Exception:
        logger.exception("The check %s (%s %s) failed", check.pk, check.return_name, check.year)
        _fail(check.pk, SORRY)
        return "failed"
    save_findings(check, checked)
    return "done"


def save_findings(check: Check, checked: Checked) -> None:
    """The findings and the finished check, in one transaction: the page never shows a check
    as done with half its findings."""
    issues = checked.validation.issues
    with recorded(check.asked_by, "returns.checked"):
        people = _people(i.child for i in issues)
        records = (
            _records(check.year, issues, people) if check.return_name == Return.SSDA903 else {}
        )
        Finding.objects.bulk_create(
            (
                Finding(
                    check_run=check,
                    child_ref=issue.child[:20],
                    child_id=people.get(issue.child),
                    table=issue.table[:60],
                    rule=issue.rule[:20],
                    message=issue.message,
                    record_kind=records.get((issue.table, issue.child), ("", None))[0],
                    record_pk=records.get((issue.table, issue.child), ("", None))[1],
                )
                for issue in issues
            ),
            batch_size=2000,
        )
        Check.objects.filter(pk=check.pk, status=Status.RUNNING).update(
            status=Status.DONE,
            finished_at=timezone.now(),
            children=checked.children,
            found=len(issues),
            failed_rules=sorted(checked.validation.failed),
            skipped_rules=sorted(checked.validation.skipped),
        )


def _people(refs: Iterable[str]) -> dict[str, int]:
    """CHILD as written in the file -> the person's id, for those One Story still holds. CHILD
    is the person's database id today (decision 0023)."""
    ids = {int(ref) for ref in refs if ref.isdigit() and len(ref) < 10}
    found = Person.objects.filter(pk__in=ids).values_list("pk", flat=True)
    return {str(pk): pk for pk in found}


@dataclass(frozen=True)
class TableRecords:
    kind: str  # the kind in families.forms.EPISODES, for families:episode_edit
    model: type[models.Model]
    in_year: Any  # CollectionYear -> Q


def _overlapping(year: CollectionYear) -> Q:
    return Q(start__lte=year.end) & (Q(end__isnull=True) | Q(end__gte=year.start))


# The SSDA903 tables whose rows are one record each, and the records of a child's year they
# come from (onestory/returns/ssda903/export.py).
TABLES: dict[str, TableRecords] = {
    spec.EPISODES.name: TableRecords("care-episode", CareEpisode, _overlapping),
    spec.REVIEWS.name: TableRecords(
        "review", Review, lambda y: Q(date__gte=y.start, date__lte=y.end)
    ),
    spec.MISSING.name: TableRecords("missing", MissingEpisode, _overlapping),
    spec.UASC.name: TableRecords("uasc", UASCPeriod, lambda y: Q()),
    spec.PLACED_ADOPTION.name: TableRecords("adoption-placement", AdoptionPlacement, _overlapping),
}


def _records(
    ending: int, issues: list[Any], people: dict[str, int]
) -> dict[tuple[str, str], tuple[str, int]]:
    """(table, CHILD) -> the one record of the child's in that table's year, where there is
    exactly one. The validator names the child and the table, not the row: with several
    records the child's page, which lists them, is where to look. One query a table."""
    year = CollectionYear(ending)
    wanted: dict[str, set[int]] = defaultdict(set)
    for issue in issues:
        if issue.table in TABLES and issue.child in people:
            wanted[issue.table].add(people[issue.child])
    found: dict[tuple[str, str], tuple[str, int]] = {}
    for table, children in wanted.items():
        spec_ = TABLES[table]
        rows = spec_.model.objects.filter(spec_.in_year(year), child_id__in=children)  # type: ignore[attr-defined]
        by_child: dict[int, list[int]] = defaultdict(list)
        for child_id, pk in rows.values_list("child_id", "pk"):
            by_child[child_id].append(pk)
        for child_id, pks in by_child.items():
            if len(pks) == 1:
                found[(table, str(child_id))] = (spec_.kind, pks[0])
    return found
