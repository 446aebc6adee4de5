"""The demo council's stories: about one entry per open child per week, written to the family.

Each child's allocated worker writes while the child is allocated to them: mostly visits and
direct work, a case summary record every four weeks or so, now and then a meeting. The words
are put together from plain-English pieces, so the demo reads like a real service without a
language model. Everything comes from the council's seeded random generator, so the same seed
gives the same stories.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from onestory.demo.council import Council, Table

OPENINGS = [
    "We met at home after school, {name}.",
    "I came to see you at home this afternoon.",
    "We met at the family centre, as we planned last time.",
    "I visited you and your mum at home.",
    "We went for a walk to the park together, {name}.",
    "I saw you at school, in the quiet room, {name}.",
    "We had a drink at the café near your school.",
    "I came round after tea, as you asked.",
]
MIDDLES = [
    "We talked about school. You told me maths is getting easier and you like your new teacher.",
    "You showed me your room and the drawings on your wall.",
    "We talked about what a good week looks like at home, and what makes it harder.",
    "You told me you have been sleeping better since the new bedtime routine started.",
    "We made a map of the people who matter to you. Your nan was right in the middle.",
    "We talked about the time you spend with your dad, and how you feel before and after.",
    "Your mum told me the mornings are calmer now that bags are packed the night before.",
    "You told me you had a falling out with a friend, and how you sorted it out.",
    "We looked at the plan together and ticked off what has been done.",
    "We talked about the worries the school shared, and you told me your side of it.",
    "You were quiet today, and said you were tired. We kept it short.",
    "We played a card game while we talked, and you won twice.",
]
WORDS = [
    "I like it when it's calm at home.",
    "School is alright. I've got a new best friend.",
    "I want to see my dad more.",
    "I don't like it when they shout.",
    "My room is my favourite place.",
    "I'm proud of my swimming badge.",
    "I'm worried about mum.",
    "Things are better now.",
    "",
    "",
]
REFLECTIONS = [
    "Things at home seem steadier, and {name} was relaxed and chatty.",
    "The routines are helping. The family are using the plan without prompting.",
    "{name} seemed anxious when we talked about contact. I will keep checking in about this.",
    "School attendance is better, and that matters for how {name} feels about themselves.",
    "There is real warmth between {name} and their mum, and that is a strength to build on.",
    "The worries about the house being cold have not gone away; I will follow this up.",
]
NEXT_STEPS = [
    "I will visit again next week.",
    "I will speak to school about the extra help we talked about.",
    "Your mum will ring the GP this week, and I will check in on Friday.",
    "We will meet with everyone at the review next month.",
    "I will bring the life story book next time so we can carry on.",
    "I will ask about swimming lessons at the leisure centre.",
]
SUMMARIES = [
    "This month {name} has settled into a better routine, and school says the same.",
    "Over the last few weeks there have been ups and downs, but the family have kept going.",
    "Since the last summary, the plan has moved on: most of the actions are done.",
]

# Kinds by week: a case summary record about every four weeks, otherwise a visit or direct work.
WEEKLY_KINDS = (["visit"] * 6) + (["direct_work"] * 3) + ["meeting"]


def build(council: Council) -> dict[str, Table]:
    """Entries and their people, for every child's time with each of their social workers."""
    rng = council.rng
    today = council.today
    t = council.t
    people = t["families.Person"].rows
    family_of = {c.person_id: c.family_id for c in council.children}
    staff_user = {row["id"]: row["user_id"] for row in t["pods.Staff"].rows}
    entries = Table("stories.Entry")
    concerns = Table("stories.Entry_concerns")
    seen = Table("stories.Entry_seen")
    alone = Table("stories.Entry_seen_alone")
    draft_from = today - timedelta(days=7)
    now = datetime.combine(today, time(18, 0), tzinfo=UTC)
    for allocation in t.get("families.Allocation", Table("x")).rows:
        child_id = allocation["child_id"]
        name = people[child_id - 1]["first_name"]
        family_id = family_of[child_id]
        author = staff_user[allocation["worker_id"]]
        day: date = allocation["start"] + timedelta(days=rng.randrange(1, 7))
        last: date = min(allocation["end"] or today, today)
        week = 0
        while day < last:
            week += 1
            kind = "case_summary" if week % 4 == 0 else rng.choice(WEEKLY_KINDS)
            at = datetime.combine(day, time(rng.randrange(9, 18), rng.choice((0, 15, 30, 45))))
            at = at.replace(tzinfo=UTC)
            final = day < draft_from or rng.random() < 0.5
            if kind == "case_summary":
                story = f"{rng.choice(SUMMARIES)} {rng.choice(MIDDLES)}"
            else:
                story = f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)}"
            entry = entries.add(
                uuid=council.uuid(),
                family_id=family_id,
                kind=kind,
                occurred_at=at,
                author_id=author,
                story=story.format(name=name),
                child_words=rng.choice(WORDS) if kind in ("visit", "direct_work") else "",
                reflection=rng.choice(REFLECTIONS).format(name=name),
                next_steps=rng.choice(NEXT_STEPS),
                third_party="",
                not_for_sharing=rng.random() < 0.01,
                status="final" if final else "draft",
                version=2 if final else 1,
                created_at=at,
                updated_at=at,
                finalised_at=min(at + timedelta(days=rng.randrange(0, 4)), now) if final else None,
            )
            concerns.add(entry_id=entry, person_id=child_id)
            if kind in ("visit", "direct_work"):
                seen.add(entry_id=entry, person_id=child_id)
                if rng.random() < 0.6:
                    alone.add(entry_id=entry, person_id=child_id)
            day += timedelta(days=rng.randrange(5, 10))
    tables: dict[str, Any] = {
        "stories.Entry": entries,
        "stories.Entry_concerns": concerns,
        "stories.Entry_seen": seen,
        "stories.Entry_seen_alone": alone,
    }
    return tables
