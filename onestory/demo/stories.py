"""The demo council's stories: about one entry per open child per week, written to the family.

Each child's allocated worker writes while the child is allocated to them: mostly visits and
direct work, a case summary record every fourth week, now and then a meeting. The words are
put together from plain-English pieces, so the demo reads like a real service without a
language model.

The `large` council has about ten million entries, too many to build as Python rows, so they
are generated inside PostgreSQL from the allocations already loaded (`docs/decisions/0007`).
Every choice comes from `hashint8extended` of the allocation, the week and the seed: the same
seed gives the same stories on any machine. Entries are written in the order they happened,
as a real service writes them, so a family's entries are spread through the table as they
would be after years of use, rather than side by side.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

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
PIECES = {
    "opening": OPENINGS,
    "summary": SUMMARIES,
    "middle": MIDDLES,
    "words": WORDS,
    "reflection": REFLECTIONS,
    "next": NEXT_STEPS,
}
# Kinds by week: a case summary record every fourth week, otherwise one of these.
WEEKLY_KINDS = (["visit"] * 6) + (["direct_work"] * 3) + ["meeting"]

# One row per week of each allocation, with every choice drawn by `_pick(salt, n)`: a number
# in 0..n-1 from the seeded hash of the allocation, the week and the salt. `hashint8extended`
# is the hash PostgreSQL keeps stable across platforms for hash partitioning. The SQL takes no
# parameters (they are in the one-row `story_param` table) and uses `mod()` rather than `%`,
# so it reads the same whether or not pgtrigger adds a placeholder of its own.
WEEKS = """
WITH week AS (
    SELECT a.id AS allocation_id, a.child_id, a.start, s.user_id AS author_id,
           fm.family_id, p.first_name, k, sp.seed, sp.draft_from, sp.weekly,
           LEAST(COALESCE(a."end", sp.today), sp.today) AS last,
           (a.id::bigint << 12) + k AS h
    FROM families_allocation a
    CROSS JOIN story_param sp
    JOIN pods_staff s ON s.id = a.worker_id
    JOIN families_person p ON p.id = a.child_id
    JOIN families_familymember fm ON fm.person_id = a.child_id AND fm.role = 'child'
    CROSS JOIN LATERAL generate_series(
        0, (LEAST(COALESCE(a."end", sp.today), sp.today) - a.start) / 7
    ) AS k
    WHERE a.start < sp.today
), drawn AS (
    SELECT w.*,
           w.start + 3 + 7 * w.k + {pick_jitter} - 2 AS day,
           CASE WHEN mod(w.k + 1, 4) = 0 THEN 'case_summary'
                ELSE w.weekly[1 + {pick_kind}] END AS kind
    FROM week w
)
SELECT d.*,
       (d.day + make_time(9 + {pick_hour}, 15 * {pick_quarter}, 0)) AT TIME ZONE 'UTC' AS at,
       d.day < d.draft_from OR {pick_final} = 0 AS final
FROM drawn d
WHERE d.day < d.last
"""


def _pick(salt: int, n: int, h: str = "w.h") -> str:
    table = h.split(".")[0]
    return f"mod(hashint8extended({h}, {table}.seed * 64 + {salt}) & 2147483647, {n})::int"


GENERATE = f"""
CREATE TEMPORARY TABLE story_week ON COMMIT DROP AS
SELECT (SELECT coalesce(max(id), 0) FROM stories_entry)
       + row_number() OVER (ORDER BY x.at, x.allocation_id, x.k) AS id, x.*
FROM (
    SELECT t.allocation_id, t.child_id, t.family_id, t.author_id, t.first_name, t.k, t.kind,
           t.at, t.final,
           md5(t.seed || '/' || t.allocation_id || '/' || t.k)::uuid AS uuid,
           CASE WHEN t.kind = 'case_summary' THEN 'summary' ELSE 'opening' END AS first,
           CASE WHEN t.kind = 'case_summary' THEN {_pick(10, len(SUMMARIES), "t.h")}
                ELSE {_pick(11, len(OPENINGS), "t.h")} END AS first_n,
           {_pick(12, len(MIDDLES), "t.h")} AS middle_n,
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
        pick_kind=_pick(2, len(WEEKLY_KINDS)),
        pick_hour=_pick(3, 9, "d.h"),
        pick_quarter=_pick(4, 4, "d.h"),
        pick_final=_pick(5, 2, "d.h"),
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


def generate(*, seed: int, today: date) -> int:
    """Writes every allocated child's weekly entries; returns how many. Runs inside the
    loader's transaction, after staff, people, memberships and allocations are loaded. The
    loader (`load.bulk_loading`) sets aside the indexes, foreign keys and history triggers of
    the tables written here, and restores them after."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE story_param (seed int, today date, draft_from date, "
            "now timestamptz, weekly text[]) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE story_piece (list text, n int, text text, "
            "PRIMARY KEY (list, n)) ON COMMIT DROP"
        )
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy("COPY story_param FROM STDIN") as copy:
            now = datetime.combine(today, time(18, 0), tzinfo=UTC)
            copy.write_row([seed, today, today - timedelta(days=7), now, WEEKLY_KINDS])
        with raw.copy("COPY story_piece (list, n, text) FROM STDIN") as copy:
            for name, texts in PIECES.items():
                for n, text in enumerate(texts):
                    copy.write_row([name, n, text])
        cursor.execute(GENERATE)
        cursor.execute("ANALYZE story_week")
        cursor.execute(PARTS)
        cursor.execute(INSERT)
        for statement in PEOPLE:
            cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM story_week")
        (written,) = cursor.fetchone()
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('stories_entry', 'id'), "
            "(SELECT COALESCE(MAX(id), 1) FROM stories_entry))"
        )
        cursor.execute("DROP TABLE story_param, story_piece, story_week, story_a, story_b, story_c")
    return int(written)
