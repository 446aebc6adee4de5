"""Workforce measures, for the service and per pod, at any date and by month.

Definitions follow the DfE's children's social work workforce census and its statistics
("Children's social work workforce", methodology on explore-education-statistics.service.gov.uk),
which count at 30 September and over the year to 30 September (1 October to 30 September):

- **Social workers**: staff in social-work roles (`SOCIAL_WORK_ROLES`: social workers, senior
  social workers, social workers in training and pod managers, who are registered social
  workers managing casework). Business support officers are not social workers.
- **In post** at d: social workers *employed by the council* (permanent contracts) in post at
  d, as FTE and headcount. Agency workers are counted separately, as the census does.
- **Agency workers** at d: social workers engaged through an agency and in post at d
  (docs/domain.md, "Agency social workers at d"). **Agency rate** = agency FTE / (agency FTE +
  in-post FTE), the census's "agency worker rate".
- **Vacancies** at d: establishment posts not filled by an employed social worker, in FTE,
  whether or not an agency worker covers them (the census definition). **Vacancy rate** =
  vacancies / (vacancies + in-post FTE).
- **Establishment**: the posts the model of practice designs each pod with (its composition
  rules: 1 FTE pod manager, 2 FTE senior social workers, 5 FTE social workers, 1 social worker
  in training), for each pod running at d. There is no separate establishment record; a
  council that funds other posts would add one. Vacancies are counted post by post: a pod with
  an extra social worker but no senior still has a senior vacancy.
- **Starters** and **leavers**: employed social workers who started or left in the period
  (the census's year to 30 September, or a month for the monthly figures), FTE and headcount.
  For a pod, those who joined or left the pod. **Turnover rate** = leavers FTE / in-post FTE at
  the end of the period, as the census calculates it.
- **Stability**: of the social workers (employed or agency: families meet both) in post 12
  months before d, the share still in post at d; for a pod, still in the pod. The census has no
  such measure; this is the issue's definition.

FTE within a pod is the membership's FTE; for the service, a social worker's FTE is their pod
membership's at d, or their own record's when they are in no pod. Everything is computed from
three queries (pods, memberships, staff) however many days are asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from onestory.lib.dates import a_year_before, month_end, month_starts
from onestory.outcomes.continuity import Share
from onestory.pods.composition import ESTABLISHMENT
from onestory.pods.models import SOCIAL_WORK_ROLES, Contract, Pod, PodMembership, PodRole, Staff

# The pod roles that are social-work posts (the business support officer's is not).
SOCIAL_WORK_POSTS = (
    PodRole.POD_MANAGER,
    PodRole.SENIOR_SOCIAL_WORKER,
    PodRole.SOCIAL_WORKER,
    PodRole.SOCIAL_WORKER_IN_TRAINING,
)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Workforce:
    """The workforce figures for a pod, or the service, at `day` (starters and leavers over
    the period after `since`, up to and including `day`)."""

    day: date
    since: date
    establishment_fte: Decimal = ZERO
    in_post_fte: Decimal = ZERO
    in_post: int = 0
    agency_fte: Decimal = ZERO
    agency: int = 0
    vacancy_fte: Decimal = ZERO
    starters_fte: Decimal = ZERO
    starters: int = 0
    leavers_fte: Decimal = ZERO
    leavers: int = 0
    stable: int = 0
    stable_of: int = 0

    @property
    def filled_fte(self) -> Decimal:
        """Social workers in post, employed or agency."""
        return self.in_post_fte + self.agency_fte

    @property
    def vacancy_rate(self) -> Share:
        return Share(self.vacancy_fte, self.vacancy_fte + self.in_post_fte)

    @property
    def agency_rate(self) -> Share:
        return Share(self.agency_fte, self.agency_fte + self.in_post_fte)

    @property
    def turnover_rate(self) -> Share:
        return Share(self.leavers_fte, self.in_post_fte)

    @property
    def stability(self) -> Share:
        return Share(self.stable, self.stable_of)


@dataclass(frozen=True)
class WorkforceReport:
    day: date
    since: date
    total: Workforce
    pods: dict[int, Workforce] = field(default_factory=dict)

    def pod(self, pod_id: int) -> Workforce:
        return self.pods.get(pod_id, Workforce(day=self.day, since=self.since))


@dataclass(frozen=True)
class _Member:
    staff_id: int
    pod_id: int
    role: str
    fte: Decimal
    start: date
    end: date | None
    agency: bool

    def open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


@dataclass(frozen=True)
class _Worker:
    staff_id: int
    fte: Decimal
    start: date
    end: date | None
    agency: bool

    def open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


def _in(day: date | None, since: date, until: date) -> bool:
    return day is not None and since < day <= until


class _Records:
    """Pods, social-work memberships and social workers: three queries, then pure Python."""

    def __init__(self, pods: Iterable[int] | None = None) -> None:
        pod_rows = Pod.objects.all()
        if pods is not None:
            pod_rows = pod_rows.filter(pk__in=list(pods))
        self.pods = list(pod_rows.values_list("pk", "formed", "disbanded"))
        wanted = {pk for pk, _, _ in self.pods}
        members = PodMembership.objects.filter(role__in=SOCIAL_WORK_POSTS)
        if pods is not None:
            members = members.filter(pod__in=wanted)
        self.members = [
            _Member(staff, pod, role, fte, start, end, contract == Contract.AGENCY)
            for staff, pod, role, fte, start, end, contract in members.values_list(
                "staff_id", "pod_id", "role", "fte", "start", "end", "staff__contract"
            )
        ]
        self.by_pod: dict[int, list[_Member]] = defaultdict(list)
        self.by_staff: dict[int, list[_Member]] = defaultdict(list)
        for member in self.members:
            self.by_pod[member.pod_id].append(member)
            self.by_staff[member.staff_id].append(member)
        self.workers = (
            [
                _Worker(pk, fte, start, end, contract == Contract.AGENCY)
                for pk, fte, start, end, contract in Staff.objects.filter(
                    role__in=SOCIAL_WORK_ROLES
                ).values_list("pk", "fte", "start", "end", "contract")
            ]
            if pods is None
            else []
        )

    def running(self, day: date) -> list[int]:
        return [
            pk
            for pk, formed, disbanded in self.pods
            if formed <= day and (disbanded is None or disbanded > day)
        ]

    def pod_figures(self, pod_id: int, day: date, since: date) -> Workforce:
        members = self.by_pod.get(pod_id, [])
        now = [m for m in members if m.open_on(day)]
        employed = [m for m in now if not m.agency]
        agency = [m for m in now if m.agency]
        filled: dict[str, Decimal] = defaultdict(Decimal)
        for m in employed:
            filled[m.role] += m.fte
        vacancy = sum(
            (max(ZERO, ESTABLISHMENT[role] - filled[role]) for role in SOCIAL_WORK_POSTS), ZERO
        )
        joined, left = self._stints_moving(members, since, day)
        before = {m.staff_id for m in members if m.open_on(a_year_before(day))}
        still = {m.staff_id for m in now}
        return Workforce(
            day=day,
            since=since,
            establishment_fte=sum((ESTABLISHMENT[r] for r in SOCIAL_WORK_POSTS), ZERO),
            in_post_fte=sum((m.fte for m in employed), ZERO),
            in_post=len({m.staff_id for m in employed}),
            agency_fte=sum((m.fte for m in agency), ZERO),
            agency=len({m.staff_id for m in agency}),
            vacancy_fte=vacancy,
            starters_fte=sum((m.fte for m in joined), ZERO),
            starters=len(joined),
            leavers_fte=sum((m.fte for m in left), ZERO),
            leavers=len(left),
            stable=len(before & still),
            stable_of=len(before),
        )

    @staticmethod
    def _stints_moving(
        members: list[_Member], since: date, day: date
    ) -> tuple[list[_Member], list[_Member]]:
        """Employed members who joined or left the pod in the period. A change of role or FTE
        (one membership ending the day the next begins) is neither."""
        starts = {(m.staff_id, m.start) for m in members}
        ends = {(m.staff_id, m.end) for m in members if m.end is not None}
        joined = [
            m
            for m in members
            if not m.agency and _in(m.start, since, day) and (m.staff_id, m.start) not in ends
        ]
        left = [
            m
            for m in members
            if not m.agency and _in(m.end, since, day) and (m.staff_id, m.end) not in starts
        ]
        return joined, left

    def service_figures(self, day: date, since: date, pods: dict[int, Workforce]) -> Workforce:
        def fte_on(worker: _Worker, on: date) -> Decimal:
            spells = self.by_staff.get(worker.staff_id, [])
            member = next((m for m in spells if m.open_on(on)), None)
            return member.fte if member is not None else worker.fte

        now = [w for w in self.workers if w.open_on(day)]
        employed = [w for w in now if not w.agency]
        agency = [w for w in now if w.agency]
        starters = [w for w in self.workers if not w.agency and _in(w.start, since, day)]
        leavers = [w for w in self.workers if not w.agency and _in(w.end, since, day)]
        year_ago = a_year_before(day)
        before = {w.staff_id for w in self.workers if w.open_on(year_ago)}
        return Workforce(
            day=day,
            since=since,
            establishment_fte=sum((p.establishment_fte for p in pods.values()), ZERO),
            in_post_fte=sum((fte_on(w, day) for w in employed), ZERO),
            in_post=len(employed),
            agency_fte=sum((fte_on(w, day) for w in agency), ZERO),
            agency=len(agency),
            vacancy_fte=sum((p.vacancy_fte for p in pods.values()), ZERO),
            starters_fte=sum((fte_on(w, w.start) for w in starters), ZERO),
            starters=len(starters),
            leavers_fte=sum((fte_on(w, w.end - timedelta(days=1)) for w in leavers if w.end), ZERO),
            leavers=len(leavers),
            stable=len(before & {w.staff_id for w in now}),
            stable_of=len(before),
        )

    def report(self, day: date, since: date, *, service: bool) -> WorkforceReport:
        pods = {pk: self.pod_figures(pk, day, since) for pk in self.running(day)}
        if service:
            total = self.service_figures(day, since, pods)
        else:
            total = _add(day, since, pods.values())
        return WorkforceReport(day=day, since=since, total=total, pods=pods)


def _add(day: date, since: date, parts: Iterable[Workforce]) -> Workforce:
    """The figures of several pods together (when the service as a whole was not asked)."""
    parts = list(parts)

    def total(name: str) -> Decimal:
        return sum((getattr(p, name) for p in parts), ZERO)

    def count(name: str) -> int:
        return sum(getattr(p, name) for p in parts)

    return Workforce(
        day=day,
        since=since,
        establishment_fte=total("establishment_fte"),
        in_post_fte=total("in_post_fte"),
        in_post=count("in_post"),
        agency_fte=total("agency_fte"),
        agency=count("agency"),
        vacancy_fte=total("vacancy_fte"),
        starters_fte=total("starters_fte"),
        starters=count("starters"),
        leavers_fte=total("leavers_fte"),
        leavers=count("leavers"),
        stable=count("stable"),
        stable_of=count("stable_of"),
    )


def workforce_on(
    periods: Sequence[tuple[date, date]], *, pods: Iterable[int] | None = None
) -> list[WorkforceReport]:
    """The figures at the end of each (since, day) period: the stock at `day`, starters and
    leavers after `since` up to `day`. With `pods`, those pods only (and their sum as the
    total); otherwise every pod and the whole service."""
    records = _Records(pods)
    return [records.report(day, since, service=pods is None) for since, day in periods]


def workforce_at(
    day: date, *, since: date | None = None, pods: Iterable[int] | None = None
) -> WorkforceReport:
    """At `day`, with starters and leavers over the 12 months to it unless `since` is given."""
    return workforce_on([(since or a_year_before(day), day)], pods=pods)[0]


def census_year(year: int, *, pods: Iterable[int] | None = None) -> WorkforceReport:
    """The census's figures for the year to 30 September `year`: the workforce at 30 September,
    starters and leavers from 1 October the year before."""
    return workforce_at(date(year, 9, 30), since=date(year - 1, 9, 30), pods=pods)


def workforce_by_month(
    first: date, last: date, *, pods: Iterable[int] | None = None
) -> list[WorkforceReport]:
    """One report per month from the month of `first` to the month of `last`: the workforce
    on the month's last day, starters and leavers during the month."""
    periods = [(month - timedelta(days=1), month_end(month)) for month in month_starts(first, last)]
    return workforce_on(periods, pods=pods)
