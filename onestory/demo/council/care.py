"""Children in care: a care period from its start to its end, as one or more episodes as the
legal status and placements change, with adoption, reviews and missing episodes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from onestory.demo import names
from onestory.demo.council.children_in_need import authorise_assessment, close_cin, open_cin
from onestory.demo.council.postcodes import OWN_DISTRICTS, POSTCODES
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
    reason, last_placement = care_episodes(
        sim, child, start, cuts, legal=legal, end=end, ended=ended, reason=reason, adopt=adopt
    )
    if adopt:
        order = next((begin for begin, _, status in cuts if status == "E1"), None)
        adoption(
            sim, child, start, end, ended, order=order, placed=cuts[-1][0], placement=last_placement
        )
    care_reviews(sim, child, start, end)
    missing_episodes(sim, child, start, end)
    child.in_care_until = end if ended else date.max
    sim.cases.care_active.append(child)
    close_reason = {
        "E11": "RC1",
        "E12": "RC1",
        "E41": "RC3",
        "E45": "RC4",
        "E46": "RC4",
        "E47": "RC4",
    }.get(reason, "RC7")
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


# Placements a council may make outside its own area even when it provides them itself (rule
# 1015): fostering, adoption and registered supported accommodation. Supported accommodation
# is nonetheless in the council's own area, whoever provides it (rule 241).
PLACED_ANYWHERE = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6", "K3"})
FOSTERING = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
# Semi-independent (H5) and independent living (P2) were withdrawn from the 2025-26 collection
# (rule 146); supported accommodation for 16 and 17 year olds has been registered (K3) since
# October 2023, so a placement lasting into 2025-26 is recorded as that.
WITHDRAWN_FROM = date(2025, 4, 1)
REGISTERED_SUPPORTED_ACCOMMODATION = date(2023, 10, 1)


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
) -> tuple[str, str]:
    """Writes the period's episodes. Returns the reason the period ended, as its last episode
    records it, and the last placement.

    What the SSDA903 rules ask of a period is kept here (the draws are made as they always
    were, so the rest of the council is unchanged): one category of need and one home postcode
    for the whole period (rule 504); a change of legal status only keeps the placement, its
    provider, postcode and URN (434); a placement with parents is provided by them (PR0: rules
    527 to 531, 550) and never under section 20 alone (378); no child under 4 in a residential
    school (373); own provision is in the council's own area unless fostering or adoption
    (1015), and supported accommodation always is (241); placed for adoption with the current
    foster carers (A5) is a change of placement with the same carers (217); every registered
    placement names its provider's URN (218)."""
    episodes = sim.table("families.CareEpisode")
    # The placement as drawn (the draws that follow depend on it) and as recorded.
    drawn = placement = choose_placement(sim, start, child)
    status = legal
    need = home = ""
    previous: dict[str, Any] | None = None
    pending = ""  # the change made on the same day as the next one
    for index, (begin, cut, new_status) in enumerate(cuts):
        if begin >= sim.today:
            break
        kind = same_day(pending, cut) if pending else cut
        status = new_status or status
        if cut in {"P", "T"} or index == 0:  # as drawn, whatever the day's changes make it
            drawn = choose_placement(sim, begin, child)
        last = index == len(cuts) - 1
        if adopt and status == "E1" and last:
            drawn = sim.rng.choice(["A5", "A6"])
            # With the current foster carers (A5) the carers stay the same (rule 217).
            legal_too = kind in {"L", "U", "B"}
            same_carers = drawn == "A5"
            kind = {(True, True): "U", (True, False): "B", (False, True): "T"}.get(
                (legal_too, same_carers), "P"
            )
        finish = cuts[index + 1][0] if index + 1 < len(cuts) else (end if ended else None)
        if finish is not None and finish >= sim.today:
            finish = None
        drawn_need = (
            "N1" if status.startswith(("C", "E")) else sim.rng.choice(["N1", "N4", "N5", "N8"])
        )
        need = need or drawn_need
        provider = sim.rng.choices(["PR1", "PR4", "PR5", "PR2"], weights=[60, 30, 6, 4])[0]
        ceased = (
            "X1"
            if index + 1 < len(cuts) and cuts[index + 1][0] < sim.today
            else (reason if finish else "")
        )
        place_change = (
            sim.rng.choice(["CARPL", "CREQO", "CHILD", "STAND"])
            if index + 1 < len(cuts) and cuts[index + 1][1] in {"P", "T"}
            else ""
        )
        drawn_home = postcode(sim, sim.rng.choice(["BN1", "BN2", "BN3"]))
        home = home or drawn_home
        district = sim.rng.choice(names.PLACEMENT_POSTCODES)
        placement = settled_placement(drawn, status, begin, finish, child)
        if placement == "P1":
            provider = "PR0"
        if placement == "K3" or (provider == "PR1" and placement not in PLACED_ANYWHERE):
            district = OWN_DISTRICTS[names.PLACEMENT_POSTCODES.index(district) % len(OWN_DISTRICTS)]
        placed_at = postcode(sim, district)
        if placed_at == home and placement != "P1":  # not at home unless with parents (392d)
            known = POSTCODES[district][1]
            placed_at = known[(known.index(placed_at) + 1) % len(known)]
        urn = f"SC{sim.rng.randrange(100000, 999999)}" if drawn.startswith("K") else ""
        if not urn and placement not in NO_URN:
            urn = provider_urn(sim, provider)
        if previous is not None and kind == "L":
            placement, provider = previous["placement"], previous["provider"]
            placed_at, urn = previous["placement_postcode"], previous["urn"]
        elif previous is not None and kind == "U":
            provider, placed_at = previous["provider"], previous["placement_postcode"]
            urn = previous["urn"]
        if index + 1 < len(cuts) and cuts[index + 1][0] == begin:
            # Two changes on one day are one episode, not one lasting no time (rules 355, 142):
            # the draws for this one are made all the same.
            pending = kind
            continue
        pending = ""
        if (
            previous is not None
            and kind in {"P", "B", "T", "U"}
            and not previous["reason_place_change"]
        ):
            # A placement change the draws did not foresee (made on the day of an order, or
            # the move to adopters) has its reason too (rule 225): the care plan.
            previous["reason_place_change"] = "CARPL"
        if ceased in {"E45", "E46"} and placement not in FOSTERING:
            # A special guardianship order to carers who were not the child's foster carers.
            ceased = reason = "E47"
        row_id = episodes.add(
            child_id=child.person_id,
            reason_new_episode=kind,
            legal_status=status,
            category_of_need=need,
            placement=placement,
            provider=provider,
            reason_ceased=ceased,
            reason_place_change=place_change,
            home_postcode=home,
            placement_postcode=placed_at,
            urn=urn,
            start=begin,
            end=finish,
        )
        previous = episodes.rows[row_id - episodes.first_id]
    return reason, placement


# Placements with no Ofsted registration to name (SSDA903 rule 218's list): with parents,
# residential employment, residential care homes, hospitals, young offender institutions,
# temporary moves and other placements.
NO_URN = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"}
)
# The demo council's own fostering and adoption service, and the agencies it buys placements
# from: made-up Ofsted URNs in Ofsted's format.
OWN_SERVICE_URN = "SC043043"
AGENCY_URNS = tuple(f"SC{number}" for number in range(480101, 480131, 3))


def provider_urn(sim: Simulation, provider: str) -> str:
    """The Ofsted URN of the service providing a placement (rule 218), for placements other
    than children's homes (whose URN the first councils drew already): the council's own
    service, or one of the agencies. From the detail generator: the council is otherwise
    unchanged."""
    if provider == "PR1":
        return OWN_SERVICE_URN
    return sim.detail_rng.choice(AGENCY_URNS)


def same_day(first: str, then: str) -> str:
    """The reason for a new episode when two changes fell on one day."""
    legal = bool({first, then} & {"L", "U", "B"})
    carers = "P" in {first, then} or "B" in {first, then}
    if legal:
        return "B" if carers else ("U" if {first, then} & {"T", "U"} else "L")
    return "P" if carers else "T"


def settled_placement(
    placement: str, status: str, begin: date, finish: date | None, child: Child
) -> str:
    """The placement as the rules of the year it is reported in allow it (see care_episodes)."""
    if placement in {"H5", "P2"} and (
        begin >= REGISTERED_SUPPORTED_ACCOMMODATION or finish is None or finish >= WITHDRAWN_FROM
    ):
        return "K3"
    if placement == "P1" and status == "V2":
        return "U6"
    if placement == "S1" and begin < add_years(child.born, 4):
        return "U6"
    return placement


def adoption(
    sim: Simulation,
    child: Child,
    start: date,
    end: date,
    ended: bool,
    *,
    order: date | None,
    placed: date,
    placement: str,
) -> None:
    """The decision that the child should be placed for adoption, on or before the placement
    order (rule 554), and for a child adopted, the match, on or before being placed with the
    adopters (331), and who the adopters are, told consistently (335, 511, 514, 524)."""
    decided = start + timedelta(days=sim.rng.randrange(200, 330))
    if order is not None:
        decided = min(decided, order)
    if decided < end and decided < sim.today:
        # Adopted children's decisions do not "cease": that is for decisions reversed.
        sim.table("families.AdoptionPlacement").add(
            child_id=child.person_id, start=decided, end=None, reason_ceased=""
        )
        if ended:
            matched = decided + timedelta(days=sim.rng.randrange(40, 150))
            sim.rng.random()  # once whether the foster carers adopt: now the placement says
            number = sim.rng.choice([1, 2, 2, 2])
            sex = sim.rng.choice(["MF", "MF", "MF", "FF", "MM", "F1"])
            sim.rng.choice(["L0", "L12", "L0"])  # once the legal status: now the couple says
            if number == 1:
                sex = "M1" if sex == "MM" else "F1"
            elif sex == "F1":
                sex = "MF"
            sim.table("families.AdoptionDecision").add(
                child_id=child.person_id,
                decided=decided,
                matched=max(decided, min(matched, placed)),
                foster_carer_adoption=placement == "A5",
                number_of_adopters=number,
                adopter_sex=sex,
                adopter_legal_status="L0" if number == 1 else ("L11" if sex == "MF" else "L12"),
            )


def care_reviews(sim: Simulation, child: Child, start: date, end: date) -> None:
    """Looked-after reviews: 20 days in, three months later, then every six months. A child
    under 4 takes part as a child that age does (PN0), an older child in one of the other ways
    (rules 440 and 441)."""
    review = start + timedelta(days=20)
    reviews = sim.table("families.Review")
    while review < min(end, sim.today):
        drawn = sim.rng.choice(["PN1", "PN1", "PN2", "PN3", "PN0", "PN4"])
        if review < add_years(child.born, 4):
            participation = "PN0"
        else:
            participation = "PN1" if drawn == "PN0" else drawn
        reviews.add(child_id=child.person_id, date=review, participation=participation)
        review += timedelta(days=75 if review == start + timedelta(days=20) else 182)


def missing_episodes(sim: Simulation, child: Child, start: date, end: date) -> None:
    """A few older children go missing, or are away without permission, once or more. One at a
    time (rule 574), back by the end of the care period (577), and never still away across
    the end of a collection year, so that each year's return tells it whole (575)."""
    if sim.rng.random() < 0.1 and (start - child.born).days > 11 * 365:
        times: list[tuple[date, date, str]] = []
        for _ in range(sim.rng.randrange(1, 5)):
            gone = sim.day_in(start, (min(end, sim.today) - start).days)
            back = gone + timedelta(days=sim.rng.randrange(0, 4))
            times.append((gone, back, sim.rng.choice(["M", "M", "A"])))
        latest = date.min
        for gone, back, kind in sorted(times):
            if gone <= latest:
                continue  # still away then: the same time away, not another
            year_end = date(gone.year + (gone.month >= 4), 3, 31)
            back = min(back, year_end, end if end < sim.today else back)
            latest = back
            sim.table("families.MissingEpisode").add(
                child_id=child.person_id,
                kind=kind,
                start=gone,
                end=back if back < sim.today else None,
            )


def choose_placement(sim: Simulation, day: date, child: Child) -> str:
    age = (day - child.born).days // 365
    if age >= 16 and sim.rng.random() < 0.4:
        # Made registered supported accommodation (K3) by `settled_placement`.
        return sim.rng.choice(["H5", "P2"]) if day < REGISTERED_SUPPORTED_ACCOMMODATION else "P2"
    return sim.rng.choices(
        ["U1", "U3", "U4", "U5", "U6", "K2", "P1", "R1", "S1", "U2"],
        weights=[8, 30, 10, 12, 8, 10, 5, 2, 2, 4],
    )[0]


def postcode(sim: Simulation, district: str) -> str:
    """A real postcode in the district (see `postcodes`), chosen by three draws as the made-up
    postcodes of the first demo councils were, so that the rest of the council is unchanged."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    number = sim.rng.randrange(1, 9)
    first, second = sim.rng.choice(letters), sim.rng.choice(letters)
    _, known = POSTCODES[district]
    return known[(number * 400 + letters.index(first) * 20 + letters.index(second)) % len(known)]
