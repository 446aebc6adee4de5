"""Your Voice measures for the outcomes dashboard (issue 14): the share of staff who feel safe and
supported, and the share of working time spent with children and families.

Both come from the latest wave of the staff survey that had closed on or before the day asked
about (an open wave's figures still move), through `onestory.surveys.results`, so the same
definitions and the same suppression hold as on the survey's own pages (docs/domain.md):

- **% feeling safe and supported**: respondents who agree or strongly agree with "I feel safe
  and supported", out of all who answered it, "don't know" left out;
- **time with children and families**: the mean over respondents of the percentage of their
  time spent with children and young people plus the percentage with adults in families.

Statements and categories are found by their key, so rewording them between waves keeps the
measure. A figure based on fewer than 5 respondents is None. The survey is anonymous and knows
nothing of pods, so asked for a pod the answer is None.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum

from onestory.surveys.models import (
    AGREEING,
    MIN_RESPONDENTS,
    Agreement,
    AgreementAnswer,
    Response,
    TimeUse,
    Wave,
)
from onestory.surveys.results import WaveResult, wave_results

SAFE_AND_SUPPORTED = "safe_and_supported"
WITH_CHILDREN_AND_FAMILIES = ("children", "adults")


def _latest_closed(day: date) -> Wave | None:
    return Wave.objects.filter(closed__lte=day).order_by("-closed", "-opened").first()


def feeling_safe_and_supported(day: date, *, pod: int | None = None) -> float | None:
    """% agreeing "I feel safe and supported" in the latest wave closed on or before `day`, to
    one decimal place. Two queries."""
    wave = None if pod is not None else _latest_closed(day)
    if wave is None:
        return None
    counts = AgreementAnswer.objects.filter(
        question__wave=wave, question__key=SAFE_AND_SUPPORTED
    ).aggregate(
        agree=Count("pk", filter=Q(answer__in=AGREEING)),
        answered=Count("pk", filter=~Q(answer=Agreement.DONT_KNOW)),
    )
    if counts["answered"] < MIN_RESPONDENTS:
        return None
    return round(100 * int(counts["agree"]) / int(counts["answered"]), 1)


def time_with_children_and_families(day: date, *, pod: int | None = None) -> float | None:
    """Mean % of working time with children and young people and with adults in families, in
    the latest wave closed on or before `day`, to one decimal place. Three queries."""
    wave = None if pod is not None else _latest_closed(day)
    if wave is None:
        return None
    respondents = Response.objects.filter(wave=wave).count()
    if respondents < MIN_RESPONDENTS:
        return None
    total = TimeUse.objects.filter(
        question__wave=wave, question__key__in=WITH_CHILDREN_AND_FAMILIES
    ).aggregate(total=Sum("percent"))["total"]
    if total is None:  # the wave did not ask about it
        return None
    return round(int(total) / respondents, 1)


def by_wave() -> list[tuple[WaveResult, float | None, float | None]]:
    """Every closed wave with both measures, oldest first, for a chart across years: (result,
    % feeling safe and supported, % of time with children and families)."""
    rows = []
    for result in wave_results(Wave.objects.filter(closed__isnull=False)):
        children = [result.time_use_by_key(key) for key in WITH_CHILDREN_AND_FAMILIES]
        time = (
            None
            if any(f.suppressed for f in children)
            else round(sum(f.value or 0 for f in children), 1)
        )
        rows.append((result, result.agreement_by_key(SAFE_AND_SUPPORTED).value, time))
    return rows
