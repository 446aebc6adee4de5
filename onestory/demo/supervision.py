"""The demo council's history of supervision: written after the records are loaded.

- **Who supervises whom**: each worker's time in a pod is one supervision arrangement with the
  pod's manager at its end (today for those still there; the head of service when the pod has
  no manager); pod managers are supervised by the head of service. About one in five social
  workers who join after the model started begin in their newly qualified year (ASYE).
- **1:1 sessions** from October 2015, when the model began: irregular in its first year (every
  four to ten weeks, often short), then regular (every three to five weeks, 75 to 120
  minutes; weekly and fortnightly in an ASYE). Who was there: the two of them.
- **Casework records**: in every session of the last year, and in all of the demo social
  worker's (Sam's) since the model began, the worker's families least recently discussed, up
  to three, each child rated (ratings get better over the years), with an action, mostly done.
  Sam's records are final, with their decisions and actions on the family's story.
- **Group supervision** monthly in Sam's pod, with two or three of its families.
- **Reflective Practice Groups** monthly from January 2016, one for every four pods, run by the
  demo practice lead, with themes that follow what the service was learning.
- **Today**: Sam's 1:1 with Priya is overdue, one of Sam's families has waited more than six
  weeks to be discussed, Sam has actions due and one overdue, and Priya has a session booked.

Deterministic (`random.Random(seed)`, every query ordered) and written with bulk_create.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Allocation, Family, FamilyMember, MemberRole
from onestory.pods.models import PodMembership, PodRole
from onestory.stories.models import Entry, Kind, Status, refresh_search_vectors
from onestory.supervision.models import (
    Action,
    Arrangement,
    CaseworkRecord,
    ChildRating,
    GroupSession,
    PersonalNotes,
    ReflectiveGroup,
    Session,
    Standards,
)

MODEL_STARTED = date(2015, 10, 1)
REGULAR_FROM = date(2016, 10, 1)
RPG_FROM = date(2016, 1, 1)
WORKER_ROLES = (
    PodRole.SOCIAL_WORKER,
    PodRole.SENIOR_SOCIAL_WORKER,
    PodRole.SOCIAL_WORKER_IN_TRAINING,
)

THEMES = [
    ("Holding hope when change is slow", 2016, 2026),
    ("Writing to the family, not about them", 2016, 2020),
    ("Working with fathers and male carers", 2017, 2024),
    ("Neglect: seeing what has become normal", 2017, 2022),
    ("Our own feelings in the work: fear, anger, tiredness", 2016, 2026),
    ("Contextual safeguarding: risk outside the home", 2019, 2026),
    ("Trauma-informed practice with teenagers", 2020, 2026),
    ("Relationships that last: endings and handovers", 2018, 2026),
    ("Cultural humility and difference", 2021, 2026),
]
LEARNING = [
    "Slow down the first visit: families remember how we arrived.",
    "Name the worry plainly, and the strengths as plainly.",
    "Ask about the people who matter to the child before the plan is written.",
    "Notice our own reactions: they tell us something about the family's experience.",
    "Bring the question to the pod early; the pod holds the family with you.",
]
REFLECTIONS = [
    "The family are engaging more since the plan was rewritten with them.",
    "Worries about school attendance remain; the network is stronger than it was.",
    "Mum describes feeling judged; we talked about how to build trust.",
    "The children's words show they feel safer at home than six weeks ago.",
    "Drift is a risk here: we agreed what would tell us things are changing.",
]
DECISIONS = [
    "We will keep the plan as it is and review it in six weeks.",
    "We will hold a family network meeting before the next review.",
    "We will ask for a health assessment for the youngest child.",
    "We will step down to a child in need plan if the next visits go well.",
    "We will see the children alone at school this month.",
]
ACTIONS = [
    "Arrange the family network meeting",
    "See the children alone at school",
    "Write the case summary record",
    "Talk to the health visitor",
    "Update the plan with the family, in their words",
]


def _add_days_until(rng: random.Random, day: date, asye: date | None) -> int:
    if asye is not None and day >= asye:
        if day < asye + timedelta(weeks=6):
            return rng.randint(6, 8)
        if day < asye + timedelta(days=182):
            return rng.randint(12, 16)
    if day < REGULAR_FROM:
        return rng.randint(28, 70)
    return rng.randint(21, 35)


def _minutes(rng: random.Random, day: date) -> int:
    if day < REGULAR_FROM:
        return rng.choice([30, 45, 45, 60, 60, 90])
    return rng.choice([75, 90, 90, 90, 100, 120])


def _rating(rng: random.Random, day: date) -> int:
    better = min(1.0, max(0.0, (day.year - 2015) / 10))
    weights = [0.15 - 0.1 * better, 0.25 - 0.1 * better, 0.35, 0.25 + 0.2 * better]
    return rng.choices([1, 2, 3, 4], weights=weights)[0]


class _Periods:
    """(start, end, value) periods by key, for 'which value on day d' look-ups."""

    def __init__(self) -> None:
        self.by: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)

    def add(self, key: int, start: date, end: date | None, value: int) -> None:
        self.by[key].append((start, end, value))

    def on(self, key: int, day: date) -> list[int]:
        return [v for s, e, v in self.by.get(key, ()) if s <= day and (e is None or e > day)]


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the history; returns the number of rows written per model label."""
    rng = random.Random(f"supervision-{seed}")
    Standards.objects.get_or_create(pk=1)
    users = dict(User.objects.filter(is_demo=True).values_list("username", "pk"))
    head = users.get("demo-head-of-service")
    sam, priya = users.get("demo-social-worker"), users.get("demo-pod-manager")
    lead = users.get("demo-practice-lead", head)
    if head is None or lead is None:
        return {}
    memberships = list(
        PodMembership.objects.filter(role__in=(*WORKER_ROLES, PodRole.POD_MANAGER))
        .exclude(end__lte=MODEL_STARTED)
        .order_by("pk")
        .values_list(
            "pk", "staff_id", "staff__user_id", "pod_id", "role", "start", "end", "staff__start"
        )
    )
    managers = _Periods()
    for _, _, user_id, pod_id, role, start, end, _ in memberships:
        if role == PodRole.POD_MANAGER and user_id:
            managers.add(pod_id, start, end, user_id)

    arrangements: list[Arrangement] = []
    for _, staff_id, user_id, pod_id, role, start, end, staff_start in memberships:
        begin = max(start, MODEL_STARTED)
        last_day = min(end - timedelta(days=1), today) if end else today
        if role == PodRole.POD_MANAGER:
            supervisor = head
        else:
            found = managers.on(pod_id, last_day) or managers.on(pod_id, begin)
            supervisor = found[0] if found else head
        if supervisor == user_id:
            continue
        asye = None
        if role == PodRole.SOCIAL_WORKER and staff_start >= MODEL_STARTED and rng.random() < 0.2:
            asye = begin
        arrangements.append(
            Arrangement(
                supervisee_id=staff_id,
                supervisor_id=supervisor,
                start=begin,
                end=end,
                asye_start=asye,
            )
        )
    Arrangement.objects.bulk_create(arrangements, batch_size=2000)
    supervisee_user = {sid: uid for _, sid, uid, *_ in memberships}

    # Who holds which families, for the casework records.
    families = {
        pk: (opened, closed, pod, name)
        for pk, opened, closed, pod, name in Family.objects.order_by("pk").values_list(
            "pk", "opened", "closed", "pod_id", "name"
        )
    }
    child_family = _Periods()
    for person, family, start, end in (
        FamilyMember.objects.filter(role=MemberRole.CHILD)
        .order_by("pk")
        .values_list("person_id", "family_id", "start", "end")
    ):
        child_family.add(person, start, end, family)
    allocated = _Periods()  # worker -> child
    for child, worker, start, end in Allocation.objects.order_by("pk").values_list(
        "child_id", "worker_id", "start", "end"
    ):
        allocated.add(worker, start, end, child)
    sam_staff = next((sid for sid, uid in supervisee_user.items() if uid == sam), None)
    casework_from = today - timedelta(days=365)

    sessions: list[Session] = []
    planned: list[tuple[Arrangement, date, bool]] = []  # session, with casework?
    for a in arrangements:
        end = min(a.end - timedelta(days=1), today) if a.end else today
        is_sam = a.supervisee_id == sam_staff and a.supervisor_id == priya
        day = a.start + timedelta(days=rng.randint(3, 30))
        while day <= end:
            if is_sam and (today - day).days < 33:
                break  # Sam's 1:1 is overdue today (the standard is monthly)
            if day < REGULAR_FROM and rng.random() < 0.25:
                day += timedelta(days=_add_days_until(rng, day, a.asye_start))
                continue  # before the model bedded in, sessions were often missed
            sessions.append(
                Session(
                    arrangement=a,
                    scheduled_for=day,
                    held_on=day,
                    minutes=_minutes(rng, day),
                    recorded_on=min(day + timedelta(days=rng.randint(0, 2)), today),
                )
            )
            planned.append((a, day, day >= casework_from or a.supervisee_id == sam_staff))
            day += timedelta(days=_add_days_until(rng, day, a.asye_start))
    # Priya has a session booked this week with someone she supervises.
    booked = next(
        (
            a
            for a in arrangements
            if a.supervisor_id == priya and a.end is None and a.supervisee_id != sam_staff
        ),
        None,
    )
    if booked is not None:
        sessions.append(Session(arrangement=booked, scheduled_for=today + timedelta(days=3)))
    Session.objects.bulk_create(sessions, batch_size=5000)
    Present = Session.present.through
    Present.objects.bulk_create(
        (
            Present(session_id=s.pk, user_id=uid)
            for s in sessions
            if s.held_on
            for uid in (
                s.arrangement.supervisor_id,
                supervisee_user.get(s.arrangement.supervisee_id),
            )
            if uid
        ),
        batch_size=10000,
    )

    # Casework records.
    last_discussed: dict[int, date] = {}
    records: list[CaseworkRecord] = []
    rated: list[list[int]] = []
    sam_overdue_family: int | None = None
    for session, (a, day, with_casework) in zip(sessions, planned, strict=False):
        if not with_casework:
            continue
        holding: dict[int, list[int]] = defaultdict(list)
        for child in allocated.on(a.supervisee_id, day):
            for family in child_family.on(child, day)[:1]:
                holding[family].append(child)
        if a.supervisee_id == sam_staff and holding and sam_overdue_family is None:
            current = {f for c in allocated.on(sam_staff, today) for f in child_family.on(c, today)}
            sam_overdue_family = min(current) if current else None
        chosen = sorted(holding, key=lambda f: (last_discussed.get(f, date.min), f))[:3]
        for family in chosen:
            if family == sam_overdue_family and (today - day).days < 50:
                continue  # one of Sam's families has waited too long to be discussed
            last_discussed[family] = day
            records.append(
                CaseworkRecord(
                    session=session,
                    family_id=family,
                    discussed_on=day,
                    reflection=rng.choice(REFLECTIONS),
                    decisions=rng.choice(DECISIONS),
                    written_by_id=a.supervisor_id,
                )
            )
            rated.append(holding[family])
    # Group supervision in Sam's pod, monthly from the model's start.
    groups: list[GroupSession] = []
    group_families: list[list[int]] = []
    sam_pod = next((pod for _, sid, _, pod, *_ in memberships if sid == sam_staff), None)
    if sam_pod is not None:
        pod_families = [f for f, (_, _, pod, _) in families.items() if pod == sam_pod]
        day = date(2015, 10, 15)
        while day < today - timedelta(days=3):
            led = (managers.on(sam_pod, day) or [head])[0]
            groups.append(
                GroupSession(
                    pod_id=sam_pod, led_by_id=led, held_on=day, minutes=120, recorded_on=day
                )
            )
            open_then = [
                f
                for f in pod_families
                if _open_on(families[f][0], families[f][1], day) and f != sam_overdue_family
            ]
            group_families.append(rng.sample(open_then, min(len(open_then), rng.randint(2, 3))))
            day += timedelta(days=rng.randint(26, 35))
        GroupSession.objects.bulk_create(groups)
        for group, chosen in zip(groups, group_families, strict=True):
            for family in chosen:
                records.append(
                    CaseworkRecord(
                        group=group,
                        family_id=family,
                        discussed_on=group.held_on,
                        reflection=rng.choice(REFLECTIONS),
                        decisions=rng.choice(DECISIONS),
                        written_by_id=group.led_by_id,
                    )
                )
                rated.append([])
    CaseworkRecord.objects.bulk_create(records, batch_size=5000)
    ratings = [
        ChildRating(record=r, child_id=child, rating=_rating(rng, r.discussed_on))
        for r, children in zip(records, rated, strict=True)
        for child in children
    ]
    ChildRating.objects.bulk_create(ratings, batch_size=10000)
    actions = []
    for r in records:
        supervisee = r.session.arrangement.supervisee_id if r.session is not None else None
        owner = sam if supervisee == sam_staff else None
        owner = owner or supervisee_user.get(supervisee or 0) or r.written_by_id
        due = r.discussed_on + timedelta(days=rng.randint(7, 28))
        done = due < today and rng.random() < (0.7 if r.discussed_on < REGULAR_FROM else 0.9)
        done_at = timezone.make_aware(
            datetime.combine(due - timedelta(days=rng.randint(0, 5)), time(15))
        )
        actions.append(
            Action(
                record=r,
                text=rng.choice(ACTIONS),
                owner_id=owner,
                set_on=r.discussed_on,
                due=due,
                done_at=done_at if done else None,
            )
        )
    # Today Sam has one action overdue and one due this week.
    sams = [x for x in actions if x.owner_id == sam and x.record.session_id]
    if len(sams) >= 2:
        sams[-1].due, sams[-1].done_at = today + timedelta(days=4), None
        sams[-2].due, sams[-2].done_at = max(today - timedelta(days=3), sams[-2].set_on), None
    Action.objects.bulk_create(actions, batch_size=10000)
    final = _finalise(records, actions, sam_staff, today)
    say(f"Supervision: {final} of Sam's casework records final, on the families' stories")
    sams_sessions = [s for s in sessions if s.held_on and s.arrangement.supervisee_id == sam_staff]
    notes = [
        PersonalNotes(
            session=s,
            wellbeing="Feeling settled in the pod; court work is heavy this month.",
            workload="Caseload manageable; two families need more time.",
            learning="Wants to go on the life story work course.",
        )
        for s in sams_sessions[-6:]
    ]
    PersonalNotes.objects.bulk_create(notes)
    rpgs = _rpgs(rng, today, lead, memberships, len({m[3] for m in memberships}))
    say(f"Supervision: {len(sessions)} sessions, {len(records)} casework records, {len(rpgs)} RPGs")
    return {
        "supervision.Arrangement": len(arrangements),
        "supervision.Session": len(sessions),
        "supervision.GroupSession": len(groups),
        "supervision.CaseworkRecord": len(records),
        "supervision.ChildRating": len(ratings),
        "supervision.Action": len(actions),
        "supervision.PersonalNotes": len(notes),
        "supervision.ReflectiveGroup": len(rpgs),
    }


def _open_on(opened: date, closed: date | None, day: date) -> bool:
    return opened <= day and (closed is None or closed > day)


def _finalise(
    records: list[CaseworkRecord], actions: list[Action], sam_staff: int | None, today: date
) -> int:
    """Sam's 1:1 casework records before this month are final, with an entry on the story."""
    by_record = {a.record.pk: a for a in actions}
    mine = [
        r
        for r in records
        if r.session is not None
        and r.session.arrangement.supervisee_id == sam_staff
        and (today - r.discussed_on).days > 14
    ]
    entries = []
    for r in mine:
        action = by_record[r.pk]
        when = timezone.make_aware(datetime.combine(r.discussed_on, time(12)))
        entries.append(
            Entry(
                family_id=r.family_id,
                kind=Kind.SUPERVISION,
                occurred_at=when,
                author_id=r.written_by_id,
                story=f"In supervision on {r.discussed_on:%-d %B %Y} we decided:\n\n{r.decisions}",
                next_steps=f"- {action.text} (by {action.due:%-d %B %Y})",
                status=Status.FINAL,
                created_at=when,
                updated_at=when,
                finalised_at=when,
            )
        )
    Entry.objects.bulk_create(entries, batch_size=2000)
    for r, entry in zip(mine, entries, strict=True):
        r.entry, r.finalised_at = entry, entry.finalised_at
    CaseworkRecord.objects.bulk_update(mine, ["entry", "finalised_at"], batch_size=2000)
    if entries:
        refresh_search_vectors("e.kind = 'supervision'")
    return len(entries)


def _rpgs(
    rng: random.Random, today: date, lead: int, memberships: list[Any], pods: int
) -> list[ReflectiveGroup]:
    groups: list[ReflectiveGroup] = []
    attendance: list[list[int]] = []
    workers = [(uid, start, end) for _, _, uid, _, role, start, end, _ in memberships if uid]
    per_month = max(1, pods // 4)
    day = RPG_FROM
    while day < today:
        themes = [t for t, first, last in THEMES if first <= day.year <= last]
        in_post = [uid for uid, s, e in workers if s <= day and (e is None or e > day)]
        for i in range(per_month):
            held = day + timedelta(days=7 + 5 * i)
            if held >= today:
                break
            groups.append(
                ReflectiveGroup(
                    facilitator_id=lead,
                    held_on=held,
                    minutes=rng.choice([90, 120]),
                    themes=rng.choice(themes),
                    learning=rng.choice(LEARNING),
                    recorded_on=held,
                )
            )
            attendance.append(rng.sample(in_post, min(len(in_post), rng.randint(6, 12))))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    ReflectiveGroup.objects.bulk_create(groups)
    Attendee = ReflectiveGroup.attendees.through
    Attendee.objects.bulk_create(
        (
            Attendee(reflectivegroup_id=g.pk, user_id=uid)
            for g, people in zip(groups, attendance, strict=True)
            for uid in set(people)
        ),
        batch_size=10000,
    )
    return groups
