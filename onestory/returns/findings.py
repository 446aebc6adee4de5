"""The returns page and a check's findings, built for the templates in a fixed few queries
whatever the number of findings (thousands at the large scale: the list is paginated).

Children's names and links come through the families' chokepoint (`people_for`): a child the
viewer may not see shows as the CHILD of the file only, with no link, and the names shown are
logged as people found, one insert a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import Length
from django.http import HttpRequest
from django.urls import reverse

from onestory.accounts.models import User
from onestory.exports.access import Action as ExportAction
from onestory.exports.access import exports_for
from onestory.exports.models import Export
from onestory.families.access import Action as FamilyAction
from onestory.families.access import log_people_found, people_for
from onestory.families.models import Person
from onestory.returns.access import Action, may
from onestory.returns.making import CANNOT_APPLY, KINDS, YEARS, year_label
from onestory.returns.models import Check, Finding, Return

PER_PAGE = 50


@dataclass
class YearRow:
    year: int
    label: str
    latest: Check | None


@dataclass
class ReturnSection:
    name: str
    label: str
    years: list[YearRow]


@dataclass
class ReturnsPage:
    sections: list[ReturnSection]
    files: list[Export]
    may_make: bool
    may_check: bool
    polling: bool


def returns_page(user: User) -> ReturnsPage:
    """Every return and year One Story writes, with the latest check of each (one query) and
    the user's own return files still kept (one query)."""
    latest = {
        (c.return_name, c.year): c
        for c in Check.objects.order_by("return_name", "year", "-asked_at", "-id")
        .distinct("return_name", "year")
        .select_related("asked_by")
    }
    sections = [
        ReturnSection(
            name=name,
            label=Return(name).label,
            years=[
                YearRow(year, year_label(year), latest.get((name, year)))
                for year in sorted(YEARS[name], reverse=True)
            ],
        )
        for name in Return.values
    ]
    files = []
    if may(user, Action.MAKE):
        files = list(
            exports_for(user, ExportAction.SEE)
            .filter(kind__in=KINDS.values())
            .order_by("-created_at", "-id")[:20]
        )
    return ReturnsPage(
        sections=sections,
        files=files,
        may_make=may(user, Action.MAKE),
        may_check=may(user, Action.CHECK),
        polling=any(c.in_progress for c in latest.values()) or any(f.in_progress for f in files),
    )


@dataclass
class RuleRow:
    rule: str
    message: str
    rows: int
    children: int
    reason: str = ""  # for a rule that cannot apply: why


@dataclass
class Row:
    finding: Finding
    name: str  # the child's name when the viewer may see them, else ""
    child_url: str
    record_url: str


@dataclass
class FindingsPage:
    check: Check
    by: str  # "rule" or "child"
    rule: str  # the rule the list is limited to, or ""
    rules: list[RuleRow]
    not_applied: list[RuleRow]
    page: Page[Finding] | None
    rows: list[Row] = field(default_factory=list)


def _summary(check: Check) -> tuple[list[RuleRow], list[RuleRow]]:
    """The findings by rule, most first, and apart from them the rules that cannot apply to one
    council's return, named with the reason (one query)."""
    cannot = CANNOT_APPLY.get(check.return_name, {})
    counted = (
        Finding.objects.filter(check_run=check)
        .values("rule", "message")
        .annotate(rows=Count("id"), children=Count("child_ref", distinct=True))
        .order_by("-rows", "rule")
    )
    rules, not_applied = [], []
    for item in counted:
        row = RuleRow(item["rule"], item["message"], item["rows"], item["children"])
        if item["rule"] in cannot:
            row.reason = cannot[item["rule"]]
            not_applied.append(row)
        else:
            rules.append(row)
    return rules, not_applied


def ordered(findings: QuerySet[Finding], by: str) -> QuerySet[Finding]:
    """By child (then rule) or by rule (then child); CHILD in number order, as the ids are
    numbers written as text (the shorter first, then by their digits)."""
    child = (Length("child_ref"), "child_ref")
    if by == "child":
        return findings.order_by(*child, "rule", "table", "id")
    return findings.order_by("rule", *child, "table", "id")


def findings_page(
    request: HttpRequest, check: Check, *, by: str, rule: str, page_number: Any
) -> FindingsPage:
    user = request.user
    assert isinstance(user, User)
    rules, not_applied = _summary(check)
    found = Finding.objects.filter(check_run=check).exclude(
        rule__in=list(CANNOT_APPLY.get(check.return_name, {}))
    )
    if rule:
        found = found.filter(rule=rule)
    paginator = Paginator(ordered(found, by), PER_PAGE)
    page = paginator.get_page(page_number) if rules else None
    result = FindingsPage(check, by, rule, rules, not_applied, page)
    if page is None:
        return result
    findings = list(page.object_list)
    children = {f.child_id for f in findings if f.child_id is not None}
    visible: dict[int, Person] = {}
    editable: set[int] = set()
    if children:
        people = people_for(user).filter(pk__in=children).only("uuid", "first_name", "last_name")
        visible = {p.pk: p for p in people}
        # The record's edit screen only for those the viewer may change (a current family).
        wanted = {f.child_id for f in findings if f.record_kind and f.child_id in visible}
        if wanted:
            editable = set(
                people_for(user, FamilyAction.EDIT)
                .filter(pk__in=wanted)
                .values_list("pk", flat=True)
            )
    log_people_found(request, visible.values())
    for finding in findings:
        person = visible.get(finding.child_id or 0)
        child_url = record_url = ""
        if person is not None:
            child_url = reverse("families:person", args=[person.uuid])
            if finding.record_kind and person.pk in editable:
                record_url = reverse(
                    "families:episode_edit",
                    kwargs={
                        "person": person.uuid,
                        "kind": finding.record_kind,
                        "pk": finding.record_pk,
                    },
                )
        name = f"{person.first_name} {person.last_name}".strip() if person else ""
        result.rows.append(Row(finding, name, child_url, record_url))
    return result
