"""What the pages show: the audits home, a cycle and how its sample was drawn, an audit, the
cycle report and learning over time, with server-side SVG charts that always come with their
data table. Each builder runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from onestory.accounts.models import User
from onestory.audits.access import Action, may, samples_for
from onestory.audits.agreement import Agreement, weighted_kappa
from onestory.audits.models import (
    Audit,
    AuditAction,
    AuditStatus,
    Cycle,
    CycleDomain,
    DomainGrade,
    Grade,
    ModeratedGrade,
    Moderation,
    SampledChild,
    SampleStatus,
    Stratum,
)

GRADE_COLOURS = {1: "#00703c", 2: "#1d70b8", 3: "#f47738", 4: "#d4351c"}


# --- Charts -------------------------------------------------------------------------------


@dataclass
class Segment:
    label: str
    value: int
    x: float
    width: float
    colour: str


@dataclass
class Bar:
    label: str
    total: int
    segments: list[Segment]
    y: int = 0


@dataclass
class Chart:
    """A horizontal bar chart of shares (each bar 100%), drawn by templates/audits/_chart.html.
    The page shows the same numbers in a table beside it."""

    title: str
    bars: list[Bar]
    legend: list[tuple[str, str]]
    width: int = 640
    label_width: int = 260
    row: int = 28

    @property
    def height(self) -> int:
        return self.row * len(self.bars) + 10

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 10


def stacked(title: str, rows: list[tuple[str, dict[int, int]]]) -> Chart:
    """One bar per row, split by grade in proportion to its counts."""
    chart = Chart(
        title=title, bars=[], legend=[(Grade(g).label, c) for g, c in GRADE_COLOURS.items()]
    )
    for i, (label, counts) in enumerate(rows):
        total = sum(counts.values())
        x, segments = float(chart.label_width), []
        for grade, colour in GRADE_COLOURS.items():
            n = counts.get(grade, 0)
            width = chart.plot_width * n / total if total else 0
            if n:
                segments.append(
                    Segment(Grade(grade).label, n, round(x, 1), round(width, 1), colour)
                )
            x += width
        chart.bars.append(Bar(label, total, segments, y=i * chart.row + 5))
    return chart


def shares(title: str, rows: list[tuple[str, float | None, int]]) -> Chart:
    """One bar per row, its length the share (0 to 100) of good or better."""
    chart = Chart(title=title, bars=[], legend=[("Good or better", GRADE_COLOURS[2])])
    for i, (label, share, total) in enumerate(rows):
        width = chart.plot_width * (share or 0) / 100
        segment = Segment(
            f"{share}%",
            round(share or 0),
            float(chart.label_width),
            round(width, 1),
            GRADE_COLOURS[2],
        )
        chart.bars.append(Bar(label, total, [segment] if share else [], y=i * chart.row + 5))
    return chart


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Home ---------------------------------------------------------------------------------


@dataclass
class Home:
    to_audit: list[SampledChild]
    my_cases: list[SampledChild]
    actions: list[AuditAction]
    cycles: list[Cycle]
    may_open: bool
    may_report: bool
    may_edit_domains: bool


def home(user: User) -> Home:
    mine = samples_for(user, Action.AUDIT).select_related("cycle", "child", "audit")
    held = SampledChild.objects.filter(assignment__case_holder__user=user).select_related(
        "cycle", "child", "audit", "assignment__auditor"
    )
    may_report = may(user, Action.SEE_REPORT)
    return Home(
        to_audit=list(mine.filter(cycle__status="open").order_by("-cycle__starts", "pk")),
        my_cases=list(held.order_by("-cycle__starts", "pk")[:20]),
        actions=list(
            AuditAction.objects.filter(owner=user, done_on__isnull=True)
            .select_related("audit__sample__cycle")
            .order_by("due", "pk")
        ),
        cycles=list(Cycle.objects.select_related("theme")[:40]) if may_report else [],
        may_open=may(user, Action.OPEN_CYCLE),
        may_report=may_report,
        may_edit_domains=may(user, Action.EDIT_DOMAINS),
    )


# --- A cycle ------------------------------------------------------------------------------


@dataclass
class CyclePage:
    strata: list[Stratum]
    eligible: int
    drawn: int
    sample: list[SampledChild]
    finished: int
    moderated: int


def cycle_page(cycle: Cycle, *, names: bool) -> CyclePage:
    strata = list(Stratum.objects.filter(cycle=cycle).select_related("pod"))
    sample: list[SampledChild] = list(
        SampledChild.objects.filter(cycle=cycle)
        .select_related("child", "pod", "assignment__auditor", "assignment__case_holder", "audit")
        .annotate(moderated=Count("audit__moderation"))
        .order_by("pod__name", "status", "child__last_name", "child__first_name")
    )
    return CyclePage(
        strata=strata,
        eligible=sum(s.eligible for s in strata),
        drawn=sum(s.drawn for s in strata),
        sample=sample if names else [],
        finished=sum(1 for s in sample if s.audit.status == AuditStatus.FINISHED),
        moderated=sum(1 for s in sample if getattr(s, "moderated", 0)),
    )


# --- An audit -----------------------------------------------------------------------------


YES_NO: dict[bool | None, str] = {True: "yes", False: "no"}


def audit_initial(audit: Audit, domains: list[CycleDomain]) -> dict[str, Any]:
    grades = {g.domain_id: g for g in DomainGrade.objects.filter(audit=audit)}
    initial: dict[str, Any] = {
        "version": audit.version,
        "overall_grade": audit.overall_grade,
        "overall_evidence": audit.overall_evidence,
        "family_view_possible": YES_NO.get(audit.family_view_possible, ""),
        "family_view": audit.family_view,
        "themes": list(audit.themes.all()),
    }
    for d in domains:
        g = grades.get(d.pk)
        initial[f"grade_{d.position}"] = g.grade if g else None
        initial[f"evidence_{d.position}"] = g.evidence if g else ""
        initial[f"better_{d.position}"] = g.better if g else ""
    return initial


@dataclass
class Row:
    domain: str
    grade: str
    evidence: str = ""
    better: str = ""
    moderated: str = ""
    moderator_note: str = ""


@dataclass
class AuditPage:
    rows: list[Row]
    overall: str
    moderated_overall: str
    moderation: Moderation | None
    actions: list[AuditAction]
    themes: list[str] = field(default_factory=list)
    may_moderate: bool = False


def _label(grade: int | None) -> str:
    return Grade(grade).label if grade else "Not graded yet"


def audit_summary(audit: Audit) -> list[Row]:
    """What is saved now, domain by domain (shown beside a loser's text after a conflict)."""
    grades = DomainGrade.objects.filter(audit=audit).select_related("domain")
    rows = [Row(g.domain.name, _label(g.grade), g.evidence, g.better) for g in grades]
    rows.append(Row("Overall", _label(audit.overall_grade), audit.overall_evidence))
    return rows


def audit_page(audit: Audit, user: User) -> AuditPage:
    moderation = Moderation.objects.filter(audit=audit).select_related("moderator").first()
    moderated = (
        {m.domain_id: m for m in ModeratedGrade.objects.filter(moderation=moderation)}
        if moderation
        else {}
    )
    rows = []
    for g in DomainGrade.objects.filter(audit=audit).select_related("domain"):
        m = moderated.get(g.domain_id)
        rows.append(
            Row(
                g.domain.name,
                _label(g.grade),
                g.evidence,
                g.better,
                _label(m.grade) if m else "",
                m.note if m else "",
            )
        )
    return AuditPage(
        rows=rows,
        overall=_label(audit.overall_grade),
        moderated_overall=_label(moderation.overall_grade) if moderation else "",
        moderation=moderation,
        actions=list(audit.actions.select_related("owner", "done_by")),
        themes=[t.name for t in audit.themes.all()],
        may_moderate=may(user, Action.MODERATE) and audit.is_finished and moderation is None,
    )


# --- The cycle report ---------------------------------------------------------------------


def agreement_for(cycles: Any) -> Agreement:
    """Auditor's and moderator's grades, each domain and the overall grade one pair."""
    pairs = list(
        ModeratedGrade.objects.filter(moderation__audit__sample__cycle__in=cycles)
        .filter(domain__grades__audit=F("moderation__audit"))
        .values_list("domain__grades__grade", "grade")
    )
    pairs += list(
        Moderation.objects.filter(audit__sample__cycle__in=cycles).values_list(
            "audit__overall_grade", "overall_grade"
        )
    )
    return weighted_kappa((a, b) for a, b in pairs if a and b)


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[Any]]


@dataclass
class Report:
    finished: int
    sampled: int
    good_or_better: float | None
    by_domain: Chart
    by_domain_table: Table
    by_pod: Chart
    by_pod_table: Table
    by_status: Chart
    by_status_table: Table
    agreement: Agreement
    moderated: int
    themes: list[tuple[str, int]]
    actions: int
    actions_done: int
    actions_overdue: int


GRADE_HEAD = [g.label for g in Grade]


def _grade_rows(counts: dict[str, dict[int, int]], order: list[str]) -> list[list[Any]]:
    rows = []
    for name in order:
        c = counts.get(name, {})
        total = sum(c.values())
        good = c.get(1, 0) + c.get(2, 0)
        rows.append([name, *[c.get(g, 0) for g in Grade.values], total, percent(good, total)])
    return rows


def cycle_report(cycle: Cycle) -> Report:
    finished = Audit.objects.filter(sample__cycle=cycle, status=AuditStatus.FINISHED)
    domains = list(cycle.domains.values_list("name", flat=True))
    by_domain: dict[str, dict[int, int]] = defaultdict(dict)
    for name, grade, n in (
        DomainGrade.objects.filter(audit__in=finished, grade__isnull=False)
        .values_list("domain__name", "grade")
        .annotate(n=Count("pk"))
    ):
        by_domain[name][grade] = n
    by_pod: dict[str, dict[int, int]] = defaultdict(dict)
    by_status: dict[str, dict[int, int]] = defaultdict(dict)
    for pod, status, grade, n in finished.values_list(
        "sample__pod__name", "sample__status", "overall_grade"
    ).annotate(n=Count("pk")):
        by_pod[pod][grade] = by_pod[pod].get(grade, 0) + n
        label = SampleStatus(status).label
        by_status[label][grade] = by_status[label].get(grade, 0) + n
    pods = sorted(by_pod)
    statuses = [s.label for s in SampleStatus if s.label in by_status]
    overall = Counter[int]()
    for counts in by_pod.values():
        overall.update(counts)
    total = sum(overall.values())
    actions = AuditAction.objects.filter(audit__sample__cycle=cycle).aggregate(
        all=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        overdue=Count("pk", filter=Q(done_on__isnull=True, due__lt=timezone.localdate())),
    )
    head = ["", *GRADE_HEAD, "Audits", "Good or better (%)"]
    return Report(
        finished=total,
        sampled=SampledChild.objects.filter(cycle=cycle).count(),
        good_or_better=percent(overall[1] + overall[2], total),
        by_domain=stacked("Grades by domain", [(d, by_domain.get(d, {})) for d in domains]),
        by_domain_table=Table(
            "Grades by domain (audits finished)",
            ["Domain", *head[1:]],
            _grade_rows(by_domain, domains),
        ),
        by_pod=stacked("Overall grades by pod", [(p, by_pod[p]) for p in pods]),
        by_pod_table=Table("Overall grades by pod", ["Pod", *head[1:]], _grade_rows(by_pod, pods)),
        by_status=stacked("Overall grades by status", [(s, by_status[s]) for s in statuses]),
        by_status_table=Table(
            "Overall grades by the child's status when drawn",
            ["Status", *head[1:]],
            _grade_rows(by_status, statuses),
        ),
        agreement=agreement_for([cycle.pk]),
        moderated=Moderation.objects.filter(audit__sample__cycle=cycle).count(),
        themes=list(
            finished.values_list("themes__name")
            .annotate(n=Count("pk"))
            .filter(themes__isnull=False)
            .order_by("-n", "themes__name")
        ),
        actions=actions["all"],
        actions_done=actions["done"],
        actions_overdue=actions["overdue"],
    )


# --- Over time ----------------------------------------------------------------------------


@dataclass
class OverTime:
    chart: Chart
    table: Table
    domains: Table
    themes: Table


def over_time() -> OverTime:
    """Every cycle: audits finished and the share good or better overall; each domain's share
    good or better by year; the themes that recur, by the number of cycles that found them."""
    cycles = list(Cycle.objects.order_by("starts"))
    finished = Audit.objects.filter(status=AuditStatus.FINISHED)
    per_cycle: dict[int, Counter[int]] = defaultdict(Counter)
    for cycle_id, grade, n in finished.values_list("sample__cycle", "overall_grade").annotate(
        n=Count("pk")
    ):
        per_cycle[cycle_id][grade] += n
    rows: list[tuple[str, int, float | None]] = []
    for one in cycles:
        counts = per_cycle.get(one.pk, Counter())
        total = sum(counts.values())
        rows.append((one.label, total, percent(counts[1] + counts[2], total)))
    years: dict[str, dict[int, Counter[int]]] = defaultdict(lambda: defaultdict(Counter))
    for name, year, grade, n in (
        DomainGrade.objects.filter(audit__in=finished, grade__isnull=False)
        .values_list("domain__name", "audit__sample__cycle__starts__year", "grade")
        .annotate(n=Count("pk"))
    ):
        years[name][year][grade] += n
    all_years = sorted({y for by_year in years.values() for y in by_year})
    domain_rows = []
    for name in sorted(years):
        cells: list[Any] = [name]
        for y in all_years:
            got = years[name].get(y, Counter())
            cells.append(percent(got[1] + got[2], sum(got.values())))
        domain_rows.append(cells)
    theme_rows = [
        [name, cycles_n, audits_n]
        for name, cycles_n, audits_n in finished.filter(themes__isnull=False)
        .values_list("themes__name")
        .annotate(c=Count("sample__cycle", distinct=True), a=Count("pk"))
        .order_by("-c", "-a", "themes__name")[:15]
    ]
    return OverTime(
        chart=shares("Audits good or better, by cycle", [(r[0], r[2], r[1]) for r in rows if r[1]]),
        table=Table(
            "Audits finished and the share good or better, by cycle",
            ["Cycle", "Audits finished", "Good or better (%)"],
            [list(r) for r in rows],
        ),
        domains=Table(
            "Share good or better by domain and year (%)",
            ["Domain", *[str(y) for y in all_years]],
            domain_rows,
        ),
        themes=Table("Recurring themes", ["Theme", "Cycles that found it", "Audits"], theme_rows),
    )
