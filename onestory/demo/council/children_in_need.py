"""Children in need: a child's CIN episode from referral, its assessment, and its closure."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.state import Child, Simulation
from onestory.lib.working_days import add_working_days, is_working_day

# "No factors identified" (21) is for an assessment that closed the case (rule 8873Q): the
# generator's factors leave it out, and an assessment drawn with it alone gets another factor.
NO_FACTORS = "21"
FACTORS = ["2B", "3A", "4A", "5A", "6A", "8B", "1C", "22A", NO_FACTORS, "3B"]


def open_cin(
    sim: Simulation,
    child: Child,
    referred: date,
    need: str,
    source: str | None = None,
) -> int:
    """Opens the child's CIN episode with its assessment."""
    child.episode_id = sim.table("families.CINEpisode").add(
        child_id=child.person_id,
        family_id=child.family_id,
        referral_source=source
        or sim.rng.choice(["5A", "5A", "3A", "3B", "2A", "1B", "6", "4", "9"]),
        primary_need=need,
        no_further_action=False,
        closure_reason="",
        start=referred,
        end=None,
    )
    begun = referred + timedelta(days=sim.rng.randrange(0, 5))
    factors = [f for f in sim.rng.sample(FACTORS, k=sim.rng.randrange(1, 4)) if f != NO_FACTORS]
    others = [f for f in FACTORS if f != NO_FACTORS]
    assessment = sim.table("families.Assessment").add(
        episode_id=child.episode_id,
        start=begun,
        authorised=None,
        factors=factors or [others[child.episode_id % len(others)]],
    )
    sim.cases.assessment_of[child.episode_id] = sim.tables["families.Assessment"].rows[
        assessment - 1
    ]
    return child.episode_id


def authorise_assessment(sim: Simulation, child: Child, latest: date) -> None:
    row = sim.cases.assessment_of[child.episode_id]
    authorised = min(row["start"] + timedelta(days=sim.rng.randrange(15, 45)), latest)
    row["authorised"] = authorised if authorised < sim.today else None


def complete_assessment(sim: Simulation, child: Child, latest: date) -> None:
    """Authorises an assessment not yet authorised, twenty days after it began or by `latest`
    (no draw: the council is otherwise as it was). An episode does not close, nor an
    assessment run for months, with the assessment unfinished (rules 8867, 8670Q, 8736)."""
    row = sim.cases.assessment_of.get(child.episode_id)
    if row is None or row["authorised"] is not None:
        return
    authorised = max(row["start"], min(row["start"] + timedelta(days=20), latest))
    row["authorised"] = authorised if authorised < sim.today else None


def close_cin(sim: Simulation, child: Child, on: date, reason: str) -> None:
    if on >= sim.today:
        child.cin_end = None
        return
    row = sim.tables["families.CINEpisode"].rows[child.episode_id - 1]
    row["end"] = max(on, row["start"])
    row["closure_reason"] = reason
    child.cin_end = row["end"]
    complete_assessment(sim, child, row["end"])


def no_assessment(sim: Simulation, child: Child) -> None:
    """A referral with no further action has no assessment (rule 8831): the one just opened
    with the episode is taken back."""
    assessments = sim.tables["families.Assessment"]
    assert assessments.rows[-1] is sim.cases.assessment_of.pop(child.episode_id)
    assessments.rows.pop()


def authorised_in_year_of(sim: Simulation, child: Child, day: date) -> None:
    """The assessment shows in the census of the year of `day`, the day the case closed after
    it (RC8, RC9: rule 8825Q) or its initial conference was held (a section 47 enquiry needs
    an assessment in the census with it, 2991Q): one authorised before that year began is
    authorised on its first working day instead (the day itself is kept: the child's workers
    and the council's counts follow it)."""
    row = sim.cases.assessment_of[child.episode_id]
    began = date(year_end(day).year - 1, 4, 1)
    if row["authorised"] is not None and row["authorised"] < began <= day:
        row["authorised"] = min(day, began if is_working_day(began) else add_working_days(began, 1))


def year_end(day: date) -> date:
    """The last day of the collection year (1 April to 31 March) that `day` is in."""
    return date(day.year + (day.month >= 4), 3, 31)
