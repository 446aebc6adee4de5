"""The registry of measures: one line each drives the snapshots, the dashboard, the CSV and
the evaluation report.

A measure is a function `at(day, *, pod=None) -> float | int | None` (the dashboard contract:
None when there is nothing to show) with its key, label, unit, whether it has a value per pod,
and whether a higher value is better (None: neither, a count of demand). A measure may also
give `many(days) -> {(day, pod or None): value}`, all days and pods at once, which the
snapshots use to rebuild years of history in a few queries; without it they call `at` for
each month (and each pod, when it has per-pod values).

To add a measure, add one line to `MEASURES`, for example:

    Measure("supervision_on_time", "Supervision on time", Unit.PERCENT, supervision.on_time,
            section=Section.IMPLEMENTATION, per_pod=True, higher_is_better=True),
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from onestory.lib.dates import a_year_before
from onestory.outcomes import audit, feedback, measures, preproceedings, supervision, your_voice
from onestory.outcomes.continuity import continuity_at, continuity_on
from onestory.outcomes.measures import ByDayAndPod
from onestory.outcomes.visits import visits_within_standard_on, visits_within_standard_rate
from onestory.outcomes.workforce import workforce_at, workforce_on

AtDay = Callable[..., float | int | None]
Many = Callable[[Sequence[date]], ByDayAndPod]


class Unit(StrEnum):
    CHILDREN = "children"  # a count of children: small numbers are suppressed when shown
    RATE = "per 10,000 children"
    PERCENT = "%"
    COUNT = "count"  # applications, social workers: not children, not suppressed
    MONTHS = "months"


class Section(StrEnum):
    """The evaluation report's sections, in the source's order."""

    IMPLEMENTATION = "How the model was implemented"
    FAMILIES = "Has the experience of families improved?"
    STAFF = "Has the experience of staff improved?"
    SAFE = "Are we supporting families to be safe and stable?"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: Unit
    at: AtDay
    section: Section
    per_pod: bool = False
    higher_is_better: bool | None = None
    many: Many | None = None
    about: str = ""  # one sentence: what is counted, for the dashboard and the report
    # A count of things: a pod with nothing counted has 0, not "no value" (counts of children
    # are always so).
    empty_is_zero: bool = False

    @property
    def zero_when_empty(self) -> bool:
        return self.empty_is_zero or self.unit is Unit.CHILDREN

    @property
    def suppressible(self) -> bool:
        """Counts of children fewer than 5 are not shown in anything printed."""
        return self.unit is Unit.CHILDREN

    def values_on(self, days: Sequence[date], pods: Iterable[int] = ()) -> ByDayAndPod:
        """Every value for `days`, for the service and (with a value per pod) each of `pods`."""
        if self.many is not None:
            return self.many(days)
        found: ByDayAndPod = {}
        for day in days:
            found[(day, None)] = self.at(day)
            if self.per_pod:
                for pod in pods:
                    found[(day, pod)] = self.at(day, pod=pod)
        return found


# --- Continuity and workforce (outcomes/continuity.py, outcomes/workforce.py) --------------


def _continuity_many(figure: Callable[..., float | None]) -> Many:
    def many(days: Sequence[date]) -> ByDayAndPod:
        found: ByDayAndPod = {}
        for report in continuity_on(days):
            found[(report.day, None)] = figure(report.total)
            for pod_id, values in report.pods.items():
                found[(report.day, pod_id)] = figure(values)
        return found

    return many


def _continuity_at(figure: Callable[..., float | None]) -> AtDay:
    def at(day: date, *, pod: int | None = None) -> float | None:
        report = continuity_at(day, pods=None if pod is None else [pod])
        return figure(report.total if pod is None else report.pod(pod))

    return at


def _workforce_many(figure: Callable[..., float | int | None]) -> Many:
    def many(days: Sequence[date]) -> ByDayAndPod:
        found: ByDayAndPod = {}
        for report in workforce_on([(a_year_before(day), day) for day in days]):
            found[(report.day, None)] = figure(report.total)
            for pod_id, values in report.pods.items():
                found[(report.day, pod_id)] = figure(values)
        return found

    return many


def _workforce_at(figure: Callable[..., float | int | None]) -> AtDay:
    def at(day: date, *, pod: int | None = None) -> float | int | None:
        report = workforce_at(day, pods=None if pod is None else [pod])
        return figure(report.total if pod is None else report.pod(pod))

    return at


def _percent(share: object) -> float | None:
    value = getattr(share, "percent", None)
    return None if value is None else round(float(value), 1)


def one_worker(c: object) -> float | None:
    return _percent(c.one_worker_share)  # type: ignore[attr-defined]


def many_workers(c: object) -> float | None:
    return _percent(c.three_or_more_share)  # type: ignore[attr-defined]


def months_with_worker(c: object) -> float | None:
    months = c.median_months  # type: ignore[attr-defined]
    return None if months is None else round(months, 1)


def agency(w: object) -> int:
    return int(w.agency)  # type: ignore[attr-defined]


def vacancy_rate(w: object) -> float | None:
    return _percent(w.vacancy_rate)  # type: ignore[attr-defined]


def turnover_rate(w: object) -> float | None:
    return _percent(w.turnover_rate)  # type: ignore[attr-defined]


def stability(w: object) -> float | None:
    return _percent(w.stability)  # type: ignore[attr-defined]


def _rate_many(counts: Many) -> Many:
    return lambda days: measures.rates_on(counts(days))


S, U = Section, Unit
# fmt: off
MEASURES: list[Measure] = [
    # Safe and stable family lives.
    Measure("cp_plans", "Children on child protection plans", U.CHILDREN, measures.children_on_cp_plans, S.SAFE, per_pod=True, higher_is_better=False, many=measures.cp_plans_on, about="Children with a child protection plan open on the day."),  # noqa: E501
    Measure("cp_rate", "Children on child protection plans per 10,000 children", U.RATE, measures.cp_plan_rate, S.SAFE, higher_is_better=False, many=_rate_many(measures.cp_plans_on), about="Per 10,000 children under 18 in the area, from the population the council enters."),  # noqa: E501
    Measure("in_care", "Children in care", U.CHILDREN, measures.children_in_care, S.SAFE, per_pod=True, higher_is_better=False, many=measures.in_care_on, about="Children looked after on the day, not counting short breaks."),  # noqa: E501
    Measure("in_care_rate", "Children in care per 10,000 children", U.RATE, measures.in_care_rate, S.SAFE, higher_is_better=False, many=_rate_many(measures.in_care_on), about="Per 10,000 children under 18 in the area."),  # noqa: E501
    Measure("care_applications", "Care applications a quarter", U.COUNT, measures.care_applications_a_quarter, S.SAFE, higher_is_better=False, many=measures.applications_a_quarter_on, about="Section 31 applications to court, averaged a quarter over the 12 months to the day."),  # noqa: E501
    Measure("children_in_need", "Children in need", U.CHILDREN, measures.children_in_need, S.SAFE, per_pod=True, many=measures.children_in_need_on, about="Children with a child in need episode open on the day, including those on plans and in care."),  # noqa: E501
    Measure("referrals", "Referrals in the last 12 months", U.COUNT, measures.referrals, S.SAFE, many=measures.referrals_on, about="Referrals to children's social care in the 12 months to the day."),  # noqa: E501
    Measure("rereferrals", "Re-referrals within 12 months", U.PERCENT, measures.rereferral_rate, S.SAFE, higher_is_better=False, many=measures.rereferrals_on, about="Of the referrals in the 12 months to the day, those within 12 months of the child's previous referral."),  # noqa: E501
    Measure("second_plans", "Second or subsequent child protection plans", U.PERCENT, measures.second_plan_rate, S.SAFE, higher_is_better=False, many=measures.second_plans_on, about="Of the plans starting in the 12 months to the day, those for a child who had a plan before."),  # noqa: E501
    Measure("long_plans", "Child protection plans lasting 2 years or more", U.PERCENT, measures.long_plan_rate, S.SAFE, higher_is_better=False, many=measures.long_plans_on, about="Of the plans ending in the 12 months to the day, those that had lasted 2 years or more."),  # noqa: E501
    # Continuity and consistency (outcomes/continuity.py).
    Measure("one_worker", "Children with one social worker in 12 months", U.PERCENT, _continuity_at(one_worker), S.SAFE, per_pod=True, higher_is_better=True, many=_continuity_many(one_worker), about="Of the children allocated on the day, those who had one social worker in the 12 months to it."),  # noqa: E501
    Measure("many_workers", "Children with 3 or more social workers in 12 months", U.PERCENT, _continuity_at(many_workers), S.SAFE, per_pod=True, higher_is_better=False, many=_continuity_many(many_workers), about="Of the children allocated on the day, those who had 3 or more social workers in the 12 months to it."),  # noqa: E501
    Measure("months_with_worker", "Median time with the current social worker", U.MONTHS, _continuity_at(months_with_worker), S.SAFE, per_pod=True, higher_is_better=True, many=_continuity_many(months_with_worker), about="The median, over the children allocated on the day, of the time with their current worker."),  # noqa: E501
    Measure("visits_within_standard", "Children visited within the standard", U.PERCENT, visits_within_standard_rate, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=visits_within_standard_on, about="Of the children with a visiting standard on the day, those whose next visit was not overdue."),  # noqa: E501
    # Staff experience and stability (outcomes/workforce.py).
    Measure("agency", "Agency social workers", U.COUNT, _workforce_at(agency), S.STAFF, per_pod=True, higher_is_better=False, many=_workforce_many(agency), about="Social workers engaged through an agency and in post on the day."),  # noqa: E501
    Measure("vacancy_rate", "Social worker vacancy rate", U.PERCENT, _workforce_at(vacancy_rate), S.STAFF, per_pod=True, higher_is_better=False, many=_workforce_many(vacancy_rate), about="Posts in the pods' establishment not filled by an employed social worker."),  # noqa: E501
    Measure("turnover_rate", "Social worker turnover rate", U.PERCENT, _workforce_at(turnover_rate), S.STAFF, per_pod=True, higher_is_better=False, many=_workforce_many(turnover_rate), about="Employed social workers who left in the 12 months to the day, as a share of those in post."),  # noqa: E501
    Measure("stability", "Social workers still in post after 12 months", U.PERCENT, _workforce_at(stability), S.STAFF, per_pod=True, higher_is_better=True, many=_workforce_many(stability), about="Of the social workers in post 12 months before the day, those still in post (in the pod, for a pod)."),  # noqa: E501
    # The model's processes, one line each.
    Measure("supervised", "Workers supervised in the last 4 weeks", U.PERCENT, supervision.supervised_share, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=supervision.supervised_on, about="Of the workers in social work posts in the pods, those with a 1:1 supervision held in the 28 days to the day."),  # noqa: E501
    Measure("supervision_minutes", "Supervision minutes a worker in the month", U.COUNT, supervision.minutes_per_worker, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=supervision.minutes_on, about="Minutes of 1:1 supervision held in the month to the day, per worker in a social work post (the standard is at least 90)."),  # noqa: E501
    Measure("families_discussed", "Open families discussed in supervision in 6 weeks", U.PERCENT, supervision.families_discussed_share, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=supervision.families_discussed_on, about="Of the open families, those with a supervision casework record in the 42 days to the day."),  # noqa: E501
    Measure("rpg_attendance", "Workers at a Reflective Practice Group in the month", U.PERCENT, supervision.rpg_attendance, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=supervision.rpg_on, about="Of the workers in social work posts, those who went to an RPG in the month to the day."),  # noqa: E501
    Measure("safe_and_stable", "Children rated safe and stable in supervision", U.PERCENT, supervision.safe_and_stable_share, S.SAFE, per_pod=True, higher_is_better=True, many=supervision.safe_and_stable_on, about="Of the ratings of children's experience given in supervision in the 42 days to the day, those rating it safe and stable."),  # noqa: E501
    Measure("audits_good", "Audits graded good or better", U.PERCENT, audit.good_or_better, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=audit.good_or_better_on, about="Of the practitioner-led audits finished in the 12 months to the day, those graded Good or Outstanding overall (the moderated grade where there is one)."),  # noqa: E501
    Measure("audit_actions_done", "Audit actions done on time", U.PERCENT, audit.action_completion, S.IMPLEMENTATION, per_pod=True, higher_is_better=True, many=audit.action_completion_on, about="Of the audit actions due in the 12 months to the day, those done by their due date."),  # noqa: E501
    Measure("safe_supported", "Staff who feel safe and supported", U.PERCENT, your_voice.feeling_safe_and_supported, S.STAFF, higher_is_better=True, about="Your Voice: of those who answered the latest survey closed by the day, the share agreeing they feel safe and supported (fewer than 5 answers are not shown)."),  # noqa: E501
    Measure("time_with_families", "Time spent with children and families", U.PERCENT, your_voice.time_with_children_and_families, S.STAFF, higher_is_better=True, about="Your Voice: the mean share of working time spent with children and young people and with adults in families, from the latest survey closed by the day."),  # noqa: E501
    Measure("compliments", "Compliments this financial year", U.COUNT, feedback.compliments, S.FAMILIES, per_pod=True, higher_is_better=True, many=feedback.compliments_on, empty_is_zero=True, about="Compliments received from 1 April to the day."),  # noqa: E501
    Measure("complaints", "Complaints this financial year", U.COUNT, feedback.complaints, S.FAMILIES, per_pod=True, higher_is_better=False, many=feedback.complaints_on, empty_is_zero=True, about="Complaints received from 1 April to the day."),  # noqa: E501
    Measure("complaints_in_time", "Complaints answered in time at stage 1", U.PERCENT, feedback.stage_1_in_time, S.FAMILIES, per_pod=True, higher_is_better=True, many=feedback.stage_1_in_time_on, about="Of the stage 1 responses sent from 1 April to the day, those sent by their due date (extended or not)."),  # noqa: E501
    Measure("fgdm_offered", "Care applications after an FGDM meeting was offered", U.PERCENT, preproceedings.offered_share, S.SAFE, per_pod=True, higher_is_better=True, many=preproceedings.offered_on, about="Of the care applications in the 12 months to the day, those that followed pre-proceedings in which a family group decision-making meeting was offered."),  # noqa: E501
    Measure("fgdm_held", "Care applications after an FGDM meeting was held", U.PERCENT, preproceedings.held_share, S.SAFE, per_pod=True, higher_is_better=True, many=preproceedings.held_on, about="Of the care applications in the 12 months to the day, those that followed pre-proceedings in which a family group decision-making meeting was held."),  # noqa: E501
]
# fmt: on

BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}
# The head of service's home and the report's opening figures.
HEADLINE = ("cp_plans", "in_care", "care_applications", "one_worker", "agency")


def get(key: str) -> Measure | None:
    return BY_KEY.get(key)
