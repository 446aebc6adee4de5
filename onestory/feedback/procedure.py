"""Writing to the log: what arrives, and the complaint stages of the Children Act 1989
representations procedure.

Each write is one keyword-only function in one transaction (`recorded`). Bad input raises
`ValidationError` keyed by the argument at fault, in words the user can act on, and nothing is
saved. Changes to a stage carry the version the user read: a conditional UPDATE on it means two
people answering the same stage at once cannot both win, and the loser is told and keeps what
they typed (`Conflict`).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Family
from onestory.feedback.models import Channel, Item, Kind, Outcome, PublicSubmission, Stage
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.lib.working_days import add_working_days, working_days_between
from onestory.pods.models import Pod


@dataclass(frozen=True)
class Limit:
    """A stage's statutory limit in working days, and how far it may be extended."""

    days: int
    longest: int


LIMITS = {1: Limit(10, 20), 2: Limit(25, 65), 3: Limit(30, 30)}
# Compliments and comments that ask for a reply get one in the time of a stage 1 response.
REPLY_DAYS = LIMITS[1].days
# Easy to read aloud on the phone: no 0/O, 1/I/L.
REFERENCE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

CONFLICT = (
    "Someone else changed this stage while you were working on it. Check what it says now; "
    "what you typed is still here."
)


def new_reference(rng: random.Random | None = None) -> str:
    """A random reference (seeded for the demo council)."""
    pick = rng.choice if rng is not None else secrets.choice
    return "FB-" + "".join(pick(REFERENCE_LETTERS) for _ in range(7))


def due_date(number: int, started: date) -> date:
    """When a stage's response is due, in working days from the day it started."""
    return add_working_days(started, LIMITS[number].days)


def reply_by(kind: str, received: date) -> date:
    """The date the public page promises: a stage 1 response, or a reply, by then."""
    return add_working_days(received, LIMITS[1].days if kind == Kind.COMPLAINT else REPLY_DAYS)


def _not_in_future(field: str, day: date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"The {what} must be today or in the past."})


def _create_item(**values: object) -> Item:
    item = Item(reference=new_reference(), **values)
    item.full_clean(exclude=["reference"])
    item.save()
    if item.kind == Kind.COMPLAINT:
        # A complaint starts at stage 1 on the day it arrives: the clock runs from then.
        Stage.objects.create(
            item=item, number=1, started=item.received, due=due_date(1, item.received)
        )
    return item


def log_item(
    *,
    by: User,
    kind: str,
    source: str,
    channel: str,
    received: date,
    summary: str,
    reply_wanted: bool = False,
    contact: str = "",
    pod: Pod | None = None,
    worker: User | None = None,
    family: Family | None = None,
) -> Item:
    """Logs what arrived by phone, email, letter, in person or on the online form. A complaint
    starts at stage 1 on the day it was received."""
    _not_in_future("received", received, "date received")
    if reply_wanted and not contact.strip():
        raise ValidationError({"contact": "Enter the contact details: a reply was asked for."})
    with recorded(by, "feedback.log_item"):
        return _create_item(
            kind=kind,
            source=source,
            channel=channel,
            received=received,
            summary=summary.strip(),
            reply_wanted=reply_wanted,
            contact=contact.strip(),
            pod=pod,
            worker=worker,
            family=family,
            logged_by=by,
        )


class Public:
    """Who writes what the public page receives (the history's `user` is empty)."""

    pk = None


# At most this many submissions from one address in an hour, and in a day: more than any
# family needs, and a flood stops there.
PER_HOUR = 5
PER_DAY = 20


class Flooded(Exception):
    """Too many submissions from one address: the sender is asked to try later or phone."""


def address_key(address: str) -> str:
    """The address as the rate limit keeps it: a keyed hash, never the address itself."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"feedback:{address}".encode(), hashlib.sha256).hexdigest()


def receive_from_public(
    *,
    address: str,
    kind: str,
    source: str,
    summary: str,
    reply_wanted: bool,
    contact: str,
    received: date,
) -> Item:
    """What a member of the public sent through /feedback/: an item arrived by online form,
    from the source they stated, about no record (nothing they type is looked up). Raises
    `Flooded`, with nothing saved, past the limits for the address."""
    key = address_key(address)
    now = timezone.now()
    with recorded(Public(), "feedback.receive_from_public"):
        # Two submissions from one address at the same moment must be counted one after the
        # other, or a burst could pass the limit together.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        # Addresses are forgotten after a day, even as hashes.
        PublicSubmission.objects.filter(at__lt=now - timedelta(days=1)).delete()
        counts = PublicSubmission.objects.filter(address=key).aggregate(
            day=Count("pk"), hour=Count("pk", filter=Q(at__gte=now - timedelta(hours=1)))
        )
        if counts["hour"] >= PER_HOUR or counts["day"] >= PER_DAY:
            raise Flooded
        PublicSubmission.objects.create(address=key, at=now)
        return _create_item(
            kind=kind,
            source=source,
            channel=Channel.ONLINE,
            received=received,
            summary=summary.strip(),
            reply_wanted=reply_wanted,
            contact=contact.strip() if reply_wanted else "",
        )


def start_stage(*, by: User, item: Item, number: int, started: date) -> Stage:
    """Starts stage `number` of a complaint: stage 1 on its own, stage 2 or 3 when the
    complainant asks for it after the stage before has been answered."""
    if item.kind != Kind.COMPLAINT:
        raise ValidationError({"number": "Only a complaint has stages."})
    _not_in_future("started", started, "date the stage started")
    with recorded(by, "feedback.start_stage"):
        # Two officers escalating the same complaint at once must go one after the other, or
        # both would see no stage 2 and the second would fail on the unique constraint.
        lock(Item.objects.filter(pk=item.pk))
        stages = {stage.number: stage for stage in item.stages.all()}
        if number in stages:
            raise ValidationError({"number": f"This complaint already has a stage {number}."})
        previous = stages.get(number - 1)
        if number > 1 and previous is None:
            raise ValidationError(
                {
                    "number": f"Stage {number} needs a stage {number - 1} first: start stage "
                    f"{number - 1}, and escalate when it has been answered."
                }
            )
        if previous is not None and previous.responded is None:
            raise ValidationError(
                {
                    "number": f"Stage {number - 1} has not been answered yet. Record its "
                    f"response before starting stage {number}."
                }
            )
        floor = previous.responded if previous is not None else item.received
        if floor is not None and started < floor:
            then = "the stage before was answered" if previous else "the complaint arrived"
            raise ValidationError(
                {
                    "started": f"The date the stage started cannot be before {long_date(floor)}: "
                    f"{then} then."
                }
            )
        return Stage.objects.create(
            item=item,
            number=number,
            previous=previous,
            started=started,
            due=due_date(number, started),
        )


def _conditional_update(stage: Stage, version: int, **values: object) -> Stage:
    updated = Stage.objects.filter(pk=stage.pk, version=version).update(
        **values, version=F("version") + 1
    )
    if not updated:
        raise ValidationError(CONFLICT)
    stage.refresh_from_db()
    return stage


def extend_stage(
    *, by: User, stage: Stage, version: int, extended_due: date, extension_reason: str
) -> Stage:
    """Extends a stage 1 (to at most 20 working days) or stage 2 (to at most 65), with the
    reason given."""
    reason = extension_reason.strip()
    limit = LIMITS[stage.number]
    if limit.longest == limit.days:
        raise ValidationError(
            {
                "extended_due": "A stage 3 review panel cannot be extended: it meets within 30 "
                "working days of the request."
            }
        )
    if stage.responded is not None:
        raise ValidationError(
            {"extended_due": "This stage has been answered: there is nothing to extend."}
        )
    if not reason:
        raise ValidationError(
            {
                "extension_reason": "Enter the reason for the extension: the complainant is told "
                "why their response will take longer."
            }
        )
    latest = add_working_days(stage.started, limit.longest)
    if extended_due <= stage.due:
        raise ValidationError(
            {
                "extended_due": f"The new date due must be after {long_date(stage.due)}, the date "
                "it is due now."
            }
        )
    if extended_due > latest:
        raise ValidationError(
            {
                "extended_due": f"Stage {stage.number} can be extended to {limit.longest} working "
                f"days at most: the latest date due is {long_date(latest)}."
            }
        )
    with recorded(by, "feedback.extend_stage"):
        return _conditional_update(
            stage, version, extended_due=extended_due, extension_reason=reason
        )


def respond(
    *,
    by: User,
    stage: Stage,
    version: int,
    responded: date | None,
    outcome: str = "",
    learning: str = "",
) -> Stage:
    """Records the response to a stage: its date, the outcome (upheld, partly upheld or not
    upheld) and what the service learned. An outcome comes with the response date."""
    if outcome and responded is None:
        raise ValidationError(
            {
                "responded": "Enter the date of the response: an outcome is recorded with the "
                "response, not before it."
            }
        )
    if responded is None:
        if not learning.strip():
            raise ValidationError({"responded": "Enter the date of the response."})
    else:
        _not_in_future("responded", responded, "date of the response")
        if responded < stage.started:
            raise ValidationError(
                {
                    "responded": f"The date of the response cannot be before the stage started, "
                    f"on {long_date(stage.started)}."
                }
            )
    if outcome and outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome from the list."})
    with recorded(by, "feedback.respond"):
        return _conditional_update(
            stage, version, responded=responded, outcome=outcome, learning=learning.strip()
        )


def working_days_taken(stage: Stage) -> int | None:
    if stage.responded is None:
        return None
    return working_days_between(stage.started, stage.responded)
