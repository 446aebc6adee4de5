"""The demo council's stories: about one entry per open child per week, written to the family.

Each child's allocated worker writes while the child is allocated to them: mostly visits and
direct work, a case summary record every fourth week, now and then a meeting; an assessment
and a plan when a child's involvement begins, a review every six months and the plan brought
up to date after it, significant events (a birth among them), and a closure summary when the
family's involvement ends. Assessments and plans are signed off by the pod manager, a few
entries are amended, and the last week's entries are partly still drafts. The demo pod has
work due today (`demo_pod_work`). The words are put together from plain-English pieces, so
the demo reads like a real service without a language model.

The `large` council has about ten million entries, too many to build as Python rows, so they
are generated inside PostgreSQL from the allocations already loaded (`docs/decisions/0008`).
Every choice comes from `hashint8extended` of the allocation, the week and the seed: the same
seed gives the same stories on any machine. Entries are written in the order they happened,
as a real service writes them, so a family's entries are spread through the table as they
would be after years of use, rather than side by side.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

from onestory.families.models import Allocation, Person
from onestory.pods.models import PodMembership, Staff
from onestory.stories.models import SEEING_KINDS, Entry, Kind, refresh_search_vectors
from onestory.stories.visiting import ChildStatus, next_visit, statuses

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
SUMMARIES = [
    "This month {name} has settled into a better routine, and school says the same.",
    "Over the last few weeks there have been ups and downs, but the family have kept going.",
    "Since the last summary, the plan has moved on: most of the actions are done.",
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
ASSESSMENTS = [
    "This is our assessment, written with you, of how life is for {name} and what would help.",
    "We have put together what you, school and the health visitor told us, to understand how "
    "things are for {name}.",
    "This assessment brings together what we have seen and heard since we first met, {name}.",
]
FAMILY_PLANS = [
    "This is the family's plan: what we are all working towards, and who will do what.",
    "We made this plan together at the kitchen table. It says what is going well, what we are "
    "worried about and what needs to happen.",
    "The plan has been updated after the review: here is what has changed and what comes next.",
]
CHILD_PLANS = [
    "This is your plan, {name}: Me and My World. It is about where you live, school, health "
    "and the people who matter to you.",
    "We wrote your plan together, {name}, in your own words where we could.",
    "Your plan has been updated after your review, {name}: here is what has changed.",
]
REVIEWS = [
    "Everyone met to review the plan: you, your family, school and me.",
    "At the review we looked at what has changed since the plan was made.",
    "The review meeting was held today, and your views were read out, {name}.",
]
EVENTS = [
    "Something important happened this week, and I want it on your record, {name}.",
    "School rang to tell me about an incident today, and I came to see you straight away.",
    "There was a change at home this week that matters for {name}.",
]
BIRTHS = [
    "{name} was born this week. Congratulations: mum and baby are home and well.",
    "{name} has arrived safely. I visited you and the new baby at home.",
]
PREGNANCY_ENDED = [
    "The pregnancy has ended. We talked about what has happened, and what support you would "
    "like now.",
    "I am very sorry that the pregnancy has ended. We talked about who can be with you, and "
    "the help that is there for you.",
]
CLOSINGS = [
    "This is the closing summary of our work with you: where things started, what changed, "
    "and why we are closing.",
    "We are closing our work with the family. Here is what we did together and what is in "
    "place now.",
    "Our work together is coming to an end, {name}. This summary says what has changed and "
    "who to contact if things get hard again.",
]
# Amendments: a reason and its corrected text, by the same number.
AMENDMENT_REASONS = [
    "The date of the school meeting was wrong.",
    "Mum asked us to correct how her words were recorded.",
    "A name was spelt wrong.",
    "Information added after checking with the health visitor.",
]
AMENDMENT_TEXTS = [
    "The meeting with school was on Thursday, not Tuesday.",
    "Mum said she felt tired, not angry, after contact: that is what she meant.",
    "Your nan's name is spelt Maureen.",
    "The health visitor confirmed the next check is booked for next month.",
]
# The first piece of each entry's story, by the list it comes from (`topic` below).
FIRSTS = {
    "summary": SUMMARIES,
    "opening": OPENINGS,
    "assessment": ASSESSMENTS,
    "family_plan": FAMILY_PLANS,
    "child_plan": CHILD_PLANS,
    "review": REVIEWS,
    "event": EVENTS,
    "born": BIRTHS,
    "ended": PREGNANCY_ENDED,
    "closing": CLOSINGS,
}
PIECES = {
    **FIRSTS,
    "middle": MIDDLES,
    "words": WORDS,
    "reflection": REFLECTIONS,
    "next": NEXT_STEPS,
    "amend_reason": AMENDMENT_REASONS,
    "amend_text": AMENDMENT_TEXTS,
}
# Kinds by week: a case summary record every fourth week, otherwise one of these.
WEEKLY_KINDS = (["visit"] * 6) + (["direct_work"] * 3) + ["meeting"]
# One entry in this many of the ordinary weeks is a significant event instead.
EVENT_EVERY = 40
# One final entry in this many is amended.
AMEND_EVERY = 300

# One row per week of each allocation, with every choice drawn by `_pick(salt, n)`: a number
# in 0..n-1 from the seeded hash of the allocation, the week and the salt. `hashint8extended`
# is the hash PostgreSQL keeps stable across platforms for hash partitioning. The SQL takes no
# parameters (they are in the one-row `story_param` table) and uses `mod()` rather than `%`,
# so it reads the same whether or not pgtrigger adds a placeholder of its own.
#
# What each week's entry is (its `topic`, the list its first piece comes from), first match:
# - a significant event the week after a pregnancy ended, or after a baby was born;
# - the closure summary, in the last week of the allocation that ends when the family closes;
# - the demo pod's assessment waiting for sign-off (`story_demo`, see `demo_pod_work`);
# - in a child's first allocation, the assessment in week 1 and the plan in week 5;
# - a review every 26 weeks (week 13), and the plan brought up to date the week after;
# - a case summary record every fourth week;
# - now and then a significant event; otherwise a visit, direct work or a meeting.
# Plans are Strengthening Families, or Me and My World for a child in care that day. Nobody
# sees a child not yet born, or sees them alone: those weeks are meetings.
WEEKS = """
WITH week AS (
    SELECT a.id AS allocation_id, a.child_id, a.start, a.pod_id, a.change_reason,
           s.user_id AS author_id, fm.family_id, p.first_name, p.date_of_birth AS born,
           p.date_of_birth IS NULL AND fm."end" IS NOT NULL AS ended, fm."end" AS left_on,
           f.closed IS NOT NULL AND a."end" IS NOT NULL AND a."end" >= f.closed AS closes,
           q.assess_from,
           k, sp.seed, sp.draft_from, sp.weekly,
           LEAST(COALESCE(a."end", sp.today), sp.today) AS last,
           (a.id::bigint << 12) + k AS h
    FROM families_allocation a
    CROSS JOIN story_param sp
    JOIN pods_staff s ON s.id = a.worker_id
    JOIN families_person p ON p.id = a.child_id
    JOIN families_familymember fm ON fm.person_id = a.child_id AND fm.role = 'child'
    JOIN families_family f ON f.id = fm.family_id
    LEFT JOIN story_demo q ON q.child_id = a.child_id
    CROSS JOIN LATERAL generate_series(
        0, (LEAST(COALESCE(a."end", sp.today), sp.today) - a.start) / 7
    ) AS k
    WHERE a.start < sp.today
), drawn AS (
    SELECT w.*,
           w.start + 3 + 7 * w.k + {pick_jitter} - 2 AS day,
           w.start + 3 + 7 * (w.k + 1) + {pick_next_jitter} - 2 AS next_day,
           w.weekly[1 + {pick_kind}] AS weekly_kind
    FROM week w
), topic AS (
    SELECT d.*,
           CASE WHEN d.ended AND d.left_on > d.start AND d.k = (d.left_on - d.start) / 7 + 1
                THEN 'ended'
                WHEN d.born > d.start AND d.k = (d.born - d.start) / 7 + 1 THEN 'born'
                WHEN d.closes AND d.next_day >= d.last THEN 'closing'
                WHEN d.day >= d.assess_from AND d.day < d.assess_from + 7 THEN 'assessment'
                WHEN d.change_reason = 'FCONTA' AND d.k = 1 THEN 'assessment'
                WHEN (d.change_reason = 'FCONTA' AND d.k = 5) OR mod(d.k, 26) = 14 THEN
                    CASE WHEN EXISTS (
                        SELECT 1 FROM families_careepisode ce
                        WHERE ce.child_id = d.child_id AND ce.start <= d.day
                        AND (ce."end" IS NULL OR ce."end" > d.day)
                        AND ce.legal_status NOT IN ('V3', 'V4')
                    ) THEN 'child_plan' ELSE 'family_plan' END
                WHEN mod(d.k, 26) = 13 THEN 'review'
                WHEN mod(d.k + 1, 4) = 0 THEN 'summary'
                WHEN {pick_event} = 0 THEN 'event'
                ELSE 'opening' END AS topic
    FROM drawn d
    WHERE d.day < d.last
)
SELECT t.*,
       CASE t.topic
            WHEN 'summary' THEN 'case_summary'
            WHEN 'assessment' THEN 'assessment'
            WHEN 'family_plan' THEN 'strengthening_families'
            WHEN 'child_plan' THEN 'me_and_my_world'
            WHEN 'review' THEN 'review'
            WHEN 'closing' THEN 'closure_summary'
            WHEN 'opening' THEN
                CASE WHEN t.weekly_kind IN ('visit', 'direct_work')
                          AND (t.born IS NULL OR t.day < t.born)
                     THEN 'meeting'
                     ELSE t.weekly_kind END
            ELSE 'significant_event' END AS kind,
       COALESCE(t.topic = 'assessment' AND t.day >= t.assess_from, false) AS waits,
       (t.day + make_time(9 + {pick_hour}, 15 * {pick_quarter}, 0)) AT TIME ZONE 'UTC' AS at,
       t.day < t.draft_from OR {pick_final} = 0 AS final
FROM topic t
"""


def _pick(salt: int, n: int, h: str = "w.h", row: str = "") -> str:
    # `row`: the row holding the seed, when `h` is an expression (the next week's hash is
    # this week's plus one).
    row = row or h.split(".")[0]
    return f"mod(hashint8extended({h}, {row}.seed * 64 + {salt}) & 2147483647, {n})::int"


def _first_n(h: str) -> str:
    """The number of the first piece, within the length of the topic's list."""
    cases = " ".join(
        f"WHEN '{topic}' THEN {_pick(10 if topic == 'summary' else 11, len(texts), h)}"
        for topic, texts in FIRSTS.items()
    )
    return f"CASE t.topic {cases} END"


GENERATE = f"""
CREATE TEMPORARY TABLE story_week ON COMMIT DROP AS
SELECT (SELECT coalesce(max(id), 0) FROM stories_entry)
       + row_number() OVER (ORDER BY x.at, x.allocation_id, x.k) AS id, x.*
FROM (
    SELECT t.allocation_id, t.child_id, t.family_id, t.pod_id, t.author_id, t.first_name, t.k,
           t.kind, t.at, t.final, t.waits, t.h, t.seed,
           md5(t.seed || '/' || t.allocation_id || '/' || t.k)::uuid AS uuid,
           t.topic AS first,
           {_first_n("t.h")} AS first_n,
           -- Fewer middles for the rarer kinds: each distinct text is indexed once (PARTS).
           CASE WHEN t.topic IN ('opening', 'summary') THEN {_pick(12, len(MIDDLES), "t.h")}
                ELSE {_pick(12, 3, "t.h")} END AS middle_n,
           CASE WHEN t.kind IN ('visit', 'direct_work') THEN {_pick(13, len(WORDS), "t.h")}
                ELSE -1 END AS words_n,
           {_pick(14, len(REFLECTIONS), "t.h")} AS reflection_n,
           {_pick(15, len(NEXT_STEPS), "t.h")} AS next_n,
           {_pick(16, 100, "t.h")} = 0 AS not_for_sharing,
           t.kind IN ('visit', 'direct_work') AND {_pick(17, 10, "t.h")} < 6 AS alone,
           {_pick(18, 4, "t.h")} AS finalised_after_days
    FROM ({
    WEEKS.format(
        pick_jitter=_pick(1, 5),
        pick_next_jitter=_pick(1, 5, "w.h + 1", "w"),
        pick_kind=_pick(2, len(WEEKLY_KINDS)),
        pick_event=_pick(6, EVENT_EVERY, "d.h"),
        pick_hour=_pick(3, 9, "t.h"),
        pick_quarter=_pick(4, 4, "t.h"),
        pick_final=_pick(5, 2, "t.h"),
    )
}) t
) x
ORDER BY id
"""  # noqa: S608  (built from constants: no input reaches it)

# Each distinct piece of text is put together, and turned into its tsvector, once: the three
# weighted parts that `stories.models.SEARCH_VECTOR` concatenates (a new entry has no
# amendments), at a fraction of the cost of doing it per entry.
PARTS = """
CREATE TEMPORARY TABLE story_a ON COMMIT DROP AS
SELECT first, first_n, middle_n, first_name, t,
       setweight(to_tsvector('english', t), 'A') AS v
FROM (SELECT DISTINCT w.first, w.first_n, w.middle_n, w.first_name,
             replace(f.text, '{name}', w.first_name) || ' ' || m.text AS t
      FROM story_week w
      JOIN story_piece f ON f.list = w.first AND f.n = w.first_n
      JOIN story_piece m ON m.list = 'middle' AND m.n = w.middle_n) d;
CREATE TEMPORARY TABLE story_b ON COMMIT DROP AS
SELECT words_n, next_n, words, next,
       setweight(to_tsvector('english', words || ' ' || next), 'B') AS v
FROM (SELECT DISTINCT w.words_n, w.next_n, coalesce(wd.text, '') AS words, nx.text AS next
      FROM story_week w
      LEFT JOIN story_piece wd ON wd.list = 'words' AND wd.n = w.words_n
      JOIN story_piece nx ON nx.list = 'next' AND nx.n = w.next_n) d;
CREATE TEMPORARY TABLE story_c ON COMMIT DROP AS
SELECT reflection_n, first_name, t,
       setweight(to_tsvector('english', t || ' ' || '' || ' ' || ''), 'C') AS v
FROM (SELECT DISTINCT w.reflection_n, w.first_name,
             replace(r.text, '{name}', w.first_name) AS t
      FROM story_week w
      JOIN story_piece r ON r.list = 'reflection' AND r.n = w.reflection_n) d;
ANALYZE story_a;
ANALYZE story_b;
ANALYZE story_c;
"""

INSERT = """
INSERT INTO stories_entry (
    id, uuid, family_id, kind, occurred_at, author_id, story, child_words, reflection,
    next_steps, third_party, not_for_sharing, status, version, created_at, updated_at,
    finalised_at, search_vector
)
SELECT w.id, w.uuid, w.family_id, w.kind, w.at, w.author_id, a.t, b.words, c.t, b.next, '',
       w.not_for_sharing,
       CASE WHEN w.final THEN 'final' ELSE 'draft' END,
       CASE WHEN w.final THEN 2 ELSE 1 END,
       w.at, w.at,
       CASE WHEN w.final
            THEN LEAST(w.at + make_interval(days => w.finalised_after_days),
                       (SELECT now FROM story_param)) END,
       CASE WHEN w.final THEN a.v || b.v || c.v END
FROM story_week w
JOIN story_a a ON (a.first, a.first_n, a.middle_n, a.first_name)
                = (w.first, w.first_n, w.middle_n, w.first_name)
JOIN story_b b ON (b.words_n, b.next_n) = (w.words_n, w.next_n)
JOIN story_c c ON (c.reflection_n, c.first_name) = (w.reflection_n, w.first_name)
ORDER BY w.id
"""
PEOPLE = [
    f"INSERT INTO stories_entry_{field} (entry_id, person_id) "  # noqa: S608  (constants)
    f"SELECT id, child_id FROM story_week WHERE {where} ORDER BY id"
    for field, where in (
        ("concerns", "true"),
        ("seen", "kind IN ('visit', 'direct_work')"),
        ("seen_alone", "alone"),
    )
]


# The pod manager's sign-off of each final assessment and plan: a few days after it was
# finalised, by the pod's manager in post that day (or, while the post was empty, the next
# one, on their first morning). Those that would be signed after now are still waiting, and
# so is the demo pod's assessment kept for the demo pod manager (`waits`).
SIGN_OFFS = f"""
WITH needing AS MATERIALIZED (
    SELECT w.id, w.pod_id, w.author_id,
           LEAST(w.at + make_interval(days => w.finalised_after_days), sp.now)
           + make_interval(days => {_pick(19, 10)}, hours => {_pick(20, 6)}) AS asked
    FROM story_week w
    CROSS JOIN story_param sp
    WHERE w.final AND NOT w.waits
    AND w.kind IN ('assessment', 'strengthening_families', 'me_and_my_world')
), managers AS MATERIALIZED (
    SELECT pm.id, pm.pod_id, pm.start, pm."end", s.user_id
    FROM pods_podmembership pm
    JOIN pods_staff s ON s.id = pm.staff_id
    WHERE pm.role = 'pod_manager'
)
INSERT INTO stories_signoff (entry_id, by_id, at)
SELECT n.id, m.user_id, m.at
FROM needing n
CROSS JOIN story_param sp
CROSS JOIN LATERAL (
    SELECT pm.user_id, GREATEST(n.asked, (pm.start + time '10:00') AT TIME ZONE 'UTC') AS at
    FROM managers pm
    WHERE pm.pod_id = n.pod_id AND pm.user_id <> n.author_id
    AND (pm."end" IS NULL OR pm."end" > (n.asked AT TIME ZONE 'UTC')::date)
    ORDER BY pm.start, pm.id
    LIMIT 1
) m
WHERE m.at < sp.now
ORDER BY n.id
"""  # noqa: S608  (built from constants: no input reaches it)

# Now and then a final entry is corrected by its writer, with the reason, a few weeks later.
AMENDMENTS = f"""
INSERT INTO stories_amendment (entry_id, reason, text, author_id, created_at)
SELECT w.id, r.text, c.text, w.author_id, x.at
FROM story_week w
CROSS JOIN story_param sp
CROSS JOIN LATERAL (
    SELECT {_pick(21, len(AMENDMENT_REASONS))} AS n,
           LEAST(w.at + make_interval(days => w.finalised_after_days), sp.now)
           + make_interval(days => 1 + {_pick(22, 30)}, hours => {_pick(23, 6)}) AS at
) x
JOIN story_piece r ON r.list = 'amend_reason' AND r.n = x.n
JOIN story_piece c ON c.list = 'amend_text' AND c.n = x.n
WHERE w.final AND {_pick(24, AMEND_EVERY)} = 0 AND x.at < sp.now
ORDER BY w.id
"""  # noqa: S608  (built from constants: no input reaches it)


@dataclass(frozen=True)
class DemoWork:
    """What the demo pod's story shows for one child today: a visit overdue, or due this week
    (`visit`), and an assessment from `assess_from` waiting for sign-off."""

    child: Person
    status: ChildStatus
    visit: str = ""  # "overdue", "due" or ""
    assess_from: date | None = None

    @property
    def child_id(self) -> int:
        return int(self.child.pk)


def demo_pod_work(*, seed: int, today: date) -> list[DemoWork]:
    """The demo pod's work due today: of the demo social worker's children, two with a visit
    overdue, two with a visit due this week and one with an assessment finalised last week and
    waiting for the demo pod manager's sign-off; of the pod's other children, about one in
    seven with a visit overdue and one in five due this week. The rest are visited every week."""
    sam = Staff.objects.filter(user__username="demo-social-worker").order_by("-start").first()
    membership = PodMembership.objects.open_on(today).filter(staff=sam).first() if sam else None
    if sam is None or membership is None:
        return []
    allocations = [
        a
        for a in Allocation.objects.open_on(today)
        .filter(pod=membership.pod_id, child__date_of_birth__isnull=False)
        .select_related("child")
        .order_by("child_id")
        # Settled: seen every week for a while, so their last visit can be chosen.
        if a.start < today - timedelta(days=120)
    ]
    status = statuses([a.child for a in allocations], today)
    rng = random.Random(f"{seed}:demo-pod")
    sams = [a for a in allocations if a.worker_id == sam.pk and a.child_id in status]
    rng.shuffle(sams)
    work: dict[int, DemoWork] = {}
    for index, allocation in enumerate(sams[:4]):
        child = allocation.child
        work[child.pk] = DemoWork(child, status[child.pk], "overdue" if index < 2 else "due")
    if sams:
        child = (sams[4] if len(sams) > 4 else sams[0]).child
        held = work.get(child.pk, DemoWork(child, status[child.pk]))
        work[child.pk] = replace(held, assess_from=today - timedelta(days=14))
    for allocation in allocations:
        child = allocation.child
        if child.pk in work or child.pk not in status or allocation.worker_id == sam.pk:
            continue
        draw = rng.random()
        if draw < 0.35:
            work[child.pk] = DemoWork(child, status[child.pk], "overdue" if draw < 0.15 else "due")
    return list(work.values())


def last_seen_as_planned(demo: list[DemoWork], today: date) -> None:
    """Makes each chosen child's last visit the latest one that leaves their next visit
    overdue (by three days or more), or due this week, by the visiting standards: the visits and
    direct work after it become meetings, where nobody was seen."""
    week = today + timedelta(days=7)
    chosen = {work.child_id: work for work in demo if work.visit}
    # One query for all of them: the seen tables' indexes are set aside while loading.
    seen: dict[int, list[tuple[int, datetime]]] = {child: [] for child in chosen}
    for entry_id, child, at in (
        Entry.seen.through.objects.filter(person__in=list(chosen), entry__kind__in=SEEING_KINDS)
        .order_by("-entry__occurred_at", "-entry_id")
        .values_list("entry_id", "person_id", "entry__occurred_at")
    ):
        seen[child].append((entry_id, at))
    later: list[int] = []
    for child, work in chosen.items():
        after: list[int] = []
        for entry_id, at in seen[child]:
            found = next_visit(work.status, at.date())
            if found is not None and (
                found[0] <= today - timedelta(days=3)
                if work.visit == "overdue"
                else today <= found[0] < week
            ):
                later += after
                break
            after.append(entry_id)
    if not later:
        return
    Entry.objects.filter(pk__in=later).update(kind=Kind.MEETING, child_words="")
    Entry.seen.through.objects.filter(entry_id__in=later).delete()
    Entry.seen_alone.through.objects.filter(entry_id__in=later).delete()
    refresh_search_vectors("e.id = ANY(%s)", [later])


def generate(*, seed: int, today: date) -> int:
    """Writes every allocated child's weekly entries, the sign-offs of assessments and plans,
    and the amendments; returns how many entries. Runs inside the loader's transaction, after
    staff, people, memberships and allocations are loaded. The loader (`load.bulk_loading`)
    sets aside the indexes, foreign keys and history triggers of the tables written here, and
    restores them after."""
    demo = demo_pod_work(seed=seed, today=today)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE story_param (seed int, today date, draft_from date, "
            "now timestamptz, weekly text[]) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE story_piece (list text, n int, text text, "
            "PRIMARY KEY (list, n)) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE story_demo (child_id int PRIMARY KEY, assess_from date) "
            "ON COMMIT DROP"
        )
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy("COPY story_param FROM STDIN") as copy:
            now = datetime.combine(today, time(18, 0), tzinfo=UTC)
            copy.write_row([seed, today, today - timedelta(days=7), now, WEEKLY_KINDS])
        with raw.copy("COPY story_piece (list, n, text) FROM STDIN") as copy:
            for name, texts in PIECES.items():
                for n, text in enumerate(texts):
                    copy.write_row([name, n, text])
        with raw.copy("COPY story_demo FROM STDIN") as copy:
            for work in demo:
                if work.assess_from:
                    copy.write_row([work.child_id, work.assess_from])
        cursor.execute(GENERATE)
        cursor.execute("ANALYZE story_week")
        cursor.execute(PARTS)
        cursor.execute(INSERT)
        for statement in PEOPLE:
            cursor.execute(statement)
        last_seen_as_planned(demo, today)
        # Their keys and history triggers set aside while they go in, like the entries'.
        from onestory.demo.load import bulk_loading  # here: load imports this module

        with bulk_loading(["stories_signoff", "stories_amendment"]):
            cursor.execute(SIGN_OFFS)
            cursor.execute(AMENDMENTS)
        # The amended entries' search includes the corrections, as `Entry.amend` makes it.
        refresh_search_vectors("e.id IN (SELECT entry_id FROM stories_amendment)")
        cursor.execute("SELECT count(*) FROM story_week")
        (written,) = cursor.fetchone()
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('stories_entry', 'id'), "
            "(SELECT COALESCE(MAX(id), 1) FROM stories_entry))"
        )
        cursor.execute(
            "DROP TABLE story_param, story_piece, story_demo, story_week, story_a, story_b, story_c"
        )
    return int(written)
