"""Children in care: a care period from its start to its end, as one or more episodes as the
legal status and placements change, with adoption, reviews and missing episodes."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo import names
from onestory.demo.council.children_in_need import authorise_assessment, close_cin, open_cin
from onestory.demo.council.state import Child, Simulation
from onestory.lib.dates import add_years


def start_care(sim: Simulation, child: Child, start: date, *, legal: str, rne: str = "S") -> None:
    if not child.episode_id:
        open_cin(
            sim,
            child,
            start - timedelta(days=sim.rng.randrange(5, 60)),
            "N1" if legal.startswith("C") else sim.rng.choice(["N1", "N4", "N5", "N8"]),
        )
        authorise_assessment(sim, child, start)
    end, reason, adopt = care_period(sim, child, start, legal)
    ended = end < sim.today
    cuts = episode_starts(sim, start, end, legal=legal, rne=rne, adopt=adopt)
    care_episodes(
        sim, child, start, cuts, legal=legal, end=end, ended=ended, reason=reason, adopt=adopt
    )
    if adopt:
        adoption(sim, child, start, end, ended)
    care_reviews(sim, child, start, end)
    missing_episodes(sim, child, start, end)
    child.in_care_until = end if ended else date.max
    sim.cases.care_active.append(child)
    close_reason = {"E11": "RC1", "E12": "RC1", "E41": "RC3", "E45": "RC4", "E46": "RC4"}.get(
        reason, "RC7"
    )
    close_cin(sim, child, end + timedelta(days=sim.rng.randrange(0, 60)), close_reason)


def care_period(sim: Simulation, child: Child, start: date, legal: str) -> tuple[date, str, bool]:
    """When the care period ends, why, and whether the child is adopted."""
    age_out = add_years(child.born, 18)
    days = sim.lognormal_days(620, 0.9)
    adopt = legal == "C1" and (start - child.born).days < 4 * 365 and sim.rng.random() < 0.35
    end = min(start + timedelta(days=days), age_out)
    if end <= start + timedelta(days=45):
        end = start + timedelta(days=45)
    if adopt:
        end = start + timedelta(days=sim.rng.randrange(420, 900))
    reason = sim.rng.choices(
        ["E4A", "E41", "E45", "E46", "E13", "E8"], weights=[40, 12, 10, 10, 8, 5]
    )[0]
    if end >= age_out:
        reason = sim.rng.choice(["E17", "E5", "E6", "E8"])
    if adopt:
        reason = sim.rng.choice(["E11", "E12"])
    return end, reason, adopt


def episode_starts(
    sim: Simulation, start: date, end: date, *, legal: str, rne: str, adopt: bool
) -> list[tuple[date, str, str]]:
    """The care period is one or more episodes: a full order follows the interim one, and
    placements change. Each episode's (start, reason for the new episode, new legal status)."""
    cuts: list[tuple[date, str, str]] = [(start, rne, legal)]
    if legal == "C1":
        full = start + timedelta(days=sim.rng.randrange(180, 330))
        if full < end:
            cuts.append((full, "L", "E1" if adopt else "C2"))
    for _ in range(sim.rng.choice([0, 0, 1, 1, 2, 3])):
        move = start + timedelta(days=sim.rng.randrange(30, max(31, (end - start).days)))
        if move < end:
            cuts.append((move, sim.rng.choice(["P", "T"]), ""))
    cuts.sort()
    return cuts


def care_episodes(
    sim: Simulation,
    child: Child,
    start: date,
    cuts: list[tuple[date, str, str]],
    *,
    legal: str,
    end: date,
    ended: bool,
    reason: str,
    adopt: bool,
) -> None:
    episodes = sim.table("families.CareEpisode")
    placement = choose_placement(sim, start, child)
    status = legal
    for index, (begin, kind, new_status) in enumerate(cuts):
        if begin >= sim.today:
            break
        status = new_status or status
        if kind in {"P", "T"} or index == 0:
            placement = choose_placement(sim, begin, child)
        if adopt and status == "E1" and index == len(cuts) - 1:
            placement = sim.rng.choice(["A5", "A6"])
        finish = cuts[index + 1][0] if index + 1 < len(cuts) else (end if ended else None)
        if finish is not None and finish >= sim.today:
            finish = None
        episodes.add(
            child_id=child.person_id,
            reason_new_episode=kind,
            legal_status=status,
            category_of_need="N1"
            if status.startswith(("C", "E"))
            else sim.rng.choice(["N1", "N4", "N5", "N8"]),
            placement=placement,
            provider=sim.rng.choices(["PR1", "PR4", "PR5", "PR2"], weights=[60, 30, 6, 4])[0],
            reason_ceased="X1"
            if index + 1 < len(cuts) and cuts[index + 1][0] < sim.today
            else (reason if finish else ""),
            reason_place_change=sim.rng.choice(["CARPL", "CREQO", "CHILD", "STAND"])
            if index + 1 < len(cuts) and cuts[index + 1][1] in {"P", "T"}
            else "",
            home_postcode=postcode(sim, sim.rng.choice(["BN1", "BN2", "BN3"])),
            placement_postcode=postcode(sim, sim.rng.choice(names.PLACEMENT_POSTCODES)),
            urn=f"SC{sim.rng.randrange(100000, 999999)}" if placement.startswith("K") else "",
            start=begin,
            end=finish,
        )


def adoption(sim: Simulation, child: Child, start: date, end: date, ended: bool) -> None:
    decided = start + timedelta(days=sim.rng.randrange(200, 330))
    if decided < end and decided < sim.today:
        # Adopted children's decisions do not "cease": that is for decisions reversed.
        sim.table("families.AdoptionPlacement").add(
            child_id=child.person_id, start=decided, end=None, reason_ceased=""
        )
        if ended:
            sim.table("families.AdoptionDecision").add(
                child_id=child.person_id,
                decided=decided,
                matched=decided + timedelta(days=sim.rng.randrange(40, 150)),
                foster_carer_adoption=sim.rng.random() < 0.15,
                number_of_adopters=sim.rng.choice([1, 2, 2, 2]),
                adopter_sex=sim.rng.choice(["MF", "MF", "MF", "FF", "MM", "F1"]),
                adopter_legal_status=sim.rng.choice(["L0", "L12", "L0"]),
            )


def care_reviews(sim: Simulation, child: Child, start: date, end: date) -> None:
    """Looked-after reviews: 20 days in, three months later, then every six months."""
    review = start + timedelta(days=20)
    reviews = sim.table("families.Review")
    while review < min(end, sim.today):
        reviews.add(
            child_id=child.person_id,
            date=review,
            participation=sim.rng.choice(["PN1", "PN1", "PN2", "PN3", "PN0", "PN4"]),
        )
        review += timedelta(days=75 if review == start + timedelta(days=20) else 182)


def missing_episodes(sim: Simulation, child: Child, start: date, end: date) -> None:
    """A few older children go missing, or are away without permission, once or more."""
    if sim.rng.random() < 0.1 and (start - child.born).days > 11 * 365:
        for _ in range(sim.rng.randrange(1, 5)):
            gone = sim.day_in(start, (min(end, sim.today) - start).days)
            back = gone + timedelta(days=sim.rng.randrange(0, 4))
            sim.table("families.MissingEpisode").add(
                child_id=child.person_id,
                kind=sim.rng.choice(["M", "M", "A"]),
                start=gone,
                end=back if back < sim.today else None,
            )


def choose_placement(sim: Simulation, day: date, child: Child) -> str:
    age = (day - child.born).days // 365
    if age >= 16 and sim.rng.random() < 0.4:
        return sim.rng.choice(["H5", "P2"]) if day < date(2023, 10, 1) else "P2"
    return sim.rng.choices(
        ["U1", "U3", "U4", "U5", "U6", "K2", "P1", "R1", "S1", "U2"],
        weights=[8, 30, 10, 12, 8, 10, 5, 2, 2, 4],
    )[0]


def postcode(sim: Simulation, district: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    unit = f"{sim.rng.randrange(1, 9)}{sim.rng.choice(letters)}{sim.rng.choice(letters)}"
    return f"{district} {unit}"
