"""Your Voice results: mean time use by category and role, % agreeing per statement, and the
response rate, per wave and across waves, with small numbers suppressed.

Definitions (docs/domain.md, "The measures"):
- time use: the mean of each respondent's percentage per category (each respondent's
  categories add up to 100);
- agreement: % agreeing = (agree + strongly agree) / all who answered the statement, "don't know"
  left out;
- response rate: responses / staff in post (pods.Staff) on the day the wave closed (today for an
  open wave).

Suppression: no figure based on fewer than `MIN_RESPONDENTS` is shown, charted or exported
(primary suppression). Because the overall figure is the respondent-weighted mean of the role
groups, one suppressed group could be worked out from the overall figure and the others; so
while the suppressed groups of a wave hold between 1 and 4 respondents between them, the next
smallest group is suppressed too (secondary suppression), and if no group is left to hide, the
overall figure goes. Every figure comes out of `wave_results`, so pages, charts, CSV and
measures all see the same suppressed numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from onestory.pods.models import Staff
from onestory.surveys.models import (
    AGREEING,
    MIN_RESPONDENTS,
    Agreement,
    AgreementAnswer,
    Kind,
    Response,
    RoleGroup,
    TimeUse,
    Wave,
    WaveQuestion,
)

ALL = "all"
GROUPS = [g.value for g in RoleGroup]
GROUP_LABELS = {**dict(RoleGroup.choices), ALL: "All respondents"}


def suppressed_groups(counts: dict[str, int]) -> set[str]:
    """The groups (and `ALL`) whose figures may not be shown, given respondents per group."""
    if sum(counts.values()) < MIN_RESPONDENTS:
        return {*counts, ALL}
    hidden = {g for g, n in counts.items() if n < MIN_RESPONDENTS}
    while 0 < sum(counts[g] for g in hidden) < MIN_RESPONDENTS:
        rest = sorted((n, GROUPS.index(g), g) for g, n in counts.items() if g not in hidden)
        if not rest:
            return {*counts, ALL}
        hidden.add(rest[0][2])
    return hidden


@dataclass(frozen=True)
class Figure:
    """A figure and the respondents it rests on; both None when suppressed."""

    value: float | None
    respondents: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


HIDDEN = Figure(None, None)


@dataclass
class WaveResult:
    wave: Wave
    respondents: Figure  # value: the number of responses
    staff_in_post: int
    response_rate: Figure  # value: a percentage
    time_questions: list[WaveQuestion] = field(default_factory=list)
    statements: list[WaveQuestion] = field(default_factory=list)
    # [question id][group or ALL] -> mean percentage of time
    time_use: dict[int, dict[str, Figure]] = field(default_factory=dict)
    # respondents per group, as shown (None where suppressed)
    group_respondents: dict[str, Figure] = field(default_factory=dict)
    # [question id] -> % agreeing
    agreement: dict[int, Figure] = field(default_factory=dict)
    responses_to_read: int = 0

    @property
    def year(self) -> int:
        return self.wave.opened.year

    def time_use_by_key(self, key: str) -> Figure:
        for q in self.time_questions:
            if q.key == key:
                return self.time_use[q.pk][ALL]
        return HIDDEN

    def agreement_by_key(self, key: str) -> Figure:
        for q in self.statements:
            if q.key == key:
                return self.agreement[q.pk]
        return HIDDEN


def _staff_in_post(day_field: str) -> Subquery:
    day = OuterRef(day_field)
    in_post = Staff.objects.filter(Q(end__isnull=True) | Q(end__gt=day), start__lte=day)
    return Subquery(
        in_post.order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def wave_results(waves: QuerySet[Wave] | None = None, day: date | None = None) -> list[WaveResult]:
    """Every wave's results (or those of `waves`), oldest first, suppressed. Five queries
    whatever the number of waves, questions or responses."""
    today = day or timezone.localdate()
    chosen = (waves if waves is not None else Wave.objects.all()).annotate(
        as_of=Coalesce("closed", Value(today)),
    )
    chosen = chosen.annotate(staff=Coalesce(_staff_in_post("as_of"), 0)).order_by("opened")
    found = list(chosen)
    ids = [w.pk for w in found]
    questions: dict[int, list[WaveQuestion]] = defaultdict(list)
    for q in WaveQuestion.objects.filter(wave__in=ids).order_by("kind", "position"):
        questions[q.wave_id].append(q)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(GROUPS, 0))
    texts: dict[int, int] = defaultdict(int)
    for row in (
        Response.objects.filter(wave__in=ids)
        .values("wave", "role_group")
        .annotate(n=Count("id"), texts=Count("id", filter=~Q(free_text="")))
        .order_by()
    ):
        counts[row["wave"]][row["role_group"]] = row["n"]
        texts[row["wave"]] += row["texts"]
    sums: dict[tuple[int, str], int] = {}
    for time_row in (
        TimeUse.objects.filter(question__wave__in=ids)
        .values("question", "response__role_group")
        .annotate(total=Sum("percent"))
        .order_by()
    ):
        sums[(time_row["question"], time_row["response__role_group"])] = time_row["total"]
    agreeing: dict[int, tuple[int, int]] = {}
    for agree_row in (
        AgreementAnswer.objects.filter(question__wave__in=ids)
        .values("question")
        .annotate(
            agree=Count("pk", filter=Q(answer__in=AGREEING)),
            answered=Count("pk", filter=~Q(answer=Agreement.DONT_KNOW)),
        )
        .order_by()
    ):
        agreeing[agree_row["question"]] = (agree_row["agree"], agree_row["answered"])
    return [
        _one(wave, questions[wave.pk], counts[wave.pk], sums, agreeing, texts[wave.pk])
        for wave in found
    ]


def _one(
    wave: Wave,
    questions: list[WaveQuestion],
    counts: dict[str, int],
    sums: dict[tuple[int, str], int],
    agreeing: dict[int, tuple[int, int]],
    texts: int,
) -> WaveResult:
    hidden = suppressed_groups(counts)
    total = sum(counts.values())
    staff = int(getattr(wave, "staff", 0) or 0)
    shown_total = ALL not in hidden
    result = WaveResult(
        wave=wave,
        respondents=Figure(total, total) if shown_total else HIDDEN,
        staff_in_post=staff,
        response_rate=(
            Figure(round(100 * total / staff, 1), total) if shown_total and staff else HIDDEN
        ),
        time_questions=[q for q in questions if q.kind == Kind.TIME_USE],
        statements=[q for q in questions if q.kind == Kind.AGREEMENT],
        responses_to_read=texts if shown_total else 0,
    )
    result.group_respondents = {
        g: HIDDEN if g in hidden else Figure(counts[g], counts[g]) for g in GROUPS
    }
    for q in result.time_questions:
        row: dict[str, Figure] = {}
        for g in GROUPS:
            n = counts[g]
            row[g] = (
                HIDDEN if g in hidden or n == 0 else Figure(round(sums.get((q.pk, g), 0) / n, 1), n)
            )
        everyone = sum(sums.get((q.pk, g), 0) for g in GROUPS)
        row[ALL] = Figure(round(everyone / total, 1), total) if shown_total else HIDDEN
        result.time_use[q.pk] = row
    for q in result.statements:
        agree, answered = agreeing.get(q.pk, (0, 0))
        result.agreement[q.pk] = (
            Figure(round(100 * agree / answered, 1), answered)
            if answered >= MIN_RESPONDENTS
            else HIDDEN
        )
    return result


@dataclass
class Row:
    label: str
    figures: list[Figure]


def across_waves(results: list[WaveResult], kind: str, group: str = ALL) -> list[Row]:
    """The source's table: one row per question, one column per wave (time use for everyone or
    for one role group). Questions are matched across waves by key (so rewording keeps the
    row), or by their text."""
    order: list[str] = []
    labels: dict[str, str] = {}
    cells: dict[str, dict[int, Figure]] = defaultdict(dict)
    for result in results:
        asked = result.time_questions if kind == Kind.TIME_USE else result.statements
        for q in asked:
            ident = q.key or q.text
            if ident not in labels:
                order.append(ident)
            labels[ident] = q.text  # the latest wording
            cells[ident][result.wave.pk] = (
                result.time_use[q.pk][group] if kind == Kind.TIME_USE else result.agreement[q.pk]
            )
    return [Row(labels[i], [cells[i].get(r.wave.pk, HIDDEN) for r in results]) for i in order]
