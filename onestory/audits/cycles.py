"""Opening a cycle, drawing its sample, assigning auditors, closing it, and the domains.

Each write is a keyword-only function in one transaction (`recorded`); bad input raises
`ValidationError` keyed by the form field at fault, in words the user can act on, and nothing
is saved. An assignment opens the auditor's `AuditAccess` to the family (the need-to-know
relation `AUDIT`), and ending it (a new auditor, the audit finished, the cycle closed) closes it.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from onestory.accounts.models import User
from onestory.audits.access import TABLE, Relation
from onestory.audits.access import Action as AuditAction
from onestory.audits.models import (
    DEFAULT_DOMAINS,
    Assignment,
    Audit,
    Cycle,
    CycleDomain,
    CycleStatus,
    Domain,
    DomainGrade,
    Period,
    SampledChild,
    Stratum,
    Theme,
)
from onestory.audits.sampling import Plan, plan_sample, to_moderate
from onestory.families.models import Allocation, AuditAccess
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.pods.models import PodMembership

# Roles whose members audit others' cases by default: from the access table.
AUDITING_ROLES = frozenset(
    role for role, rules in TABLE.items() if AuditAction.AUDIT in rules.get(Relation.AUDITOR, ())
)


def access_reason(cycle: Cycle) -> str:
    """What an auditor's access to a family is for, naming the cycle (its id makes it one of a
    kind, so ending the cycle's access ends no other)."""
    return f"{cycle} (cycle {cycle.pk})"


def ensure_default_domains() -> None:
    """A new council starts with the seven default domains (issue 13)."""
    if not Domain.objects.exists():
        Domain.objects.bulk_create(
            Domain(name=name, description=text, position=i)
            for i, (name, text) in enumerate(DEFAULT_DOMAINS, start=1)
        )


def _check_period(period: str, starts: date) -> date:
    if period not in Period.values:
        raise ValidationError({"period": "Choose a month or a quarter."})
    if period == Period.QUARTER and starts.month not in (1, 4, 7, 10):
        raise ValidationError(
            {"starts": "A quarter starts in January, April, July or October. Choose one of them."}
        )
    return starts.replace(day=1)


def _too_big(plan: Plan) -> ValidationError | None:
    if not plan.strata:
        return ValidationError(
            {
                "sample_per_pod": "There are no open children to audit today (none with an open "
                "CIN episode, CP plan or care episode who was not audited in the last 6 months)."
            }
        )
    if plan.short_pods:
        name, n = min(plan.short_pods, key=lambda p: p[1])
        others = len(plan.short_pods) - 1
        also = ""
        if others == 1:
            also = " (1 other pod also has too few)"
        elif others > 1:
            also = f" ({others} other pods also have too few)"
        return ValidationError(
            {
                "sample_per_pod": f"The sample size ({plan.per_pod} a pod) is larger than the "
                f"open children who can be audited: {name} has {n}{also}. Choose a sample of "
                f"{n} or fewer a pod."
            }
        )
    return None


def open_cycle(
    *,
    period: str,
    starts: date,
    sample_per_pod: int,
    by: User,
    theme: Theme | None = None,
    new_theme: str = "",
    moderation_share: int = 20,
    seed: int | None = None,
) -> Cycle:
    """Opens a cycle, copies today's domains into it and draws its sample (`draw_sample`).

    The seed is random unless given (the demo and the tests give one); it is recorded."""
    starts = _check_period(period, starts)
    if sample_per_pod < 1:
        raise ValidationError({"sample_per_pod": "The sample size must be 1 or more a pod."})
    with recorded(by, "audits.open_cycle"):
        ensure_default_domains()
        # Lock the domain list: a domain edited while the cycle opens must land wholly before
        # or wholly after the copy, never half in it.
        lock(Domain.objects.all())
        if Cycle.objects.filter(period=period, starts=starts).exists():
            raise ValidationError({"starts": "There is already a cycle for this period."})
        if new_theme.strip():
            theme, _ = Theme.objects.get_or_create(name=new_theme.strip())
        cycle = Cycle.objects.create(
            period=period,
            starts=starts,
            theme=theme,
            sample_per_pod=sample_per_pod,
            moderation_share=moderation_share,
            seed=secrets.randbelow(2**31) if seed is None else seed,
            opened_by=by,
            opened_at=timezone.now(),
        )
        CycleDomain.objects.bulk_create(
            CycleDomain(cycle=cycle, position=i, name=d.name, description=d.description)
            for i, d in enumerate(Domain.objects.filter(in_use=True), start=1)
        )
        _draw(cycle, by=by, day=timezone.localdate())
    return cycle


def draw_sample(*, cycle: Cycle, by: User, day: date | None = None) -> list[SampledChild]:
    """Draws the cycle's sample from its seed (once: a drawn sample is never redrawn)."""
    with recorded(by, "audits.draw_sample"):
        return _draw(cycle, by=by, day=day or timezone.localdate())


def _draw(cycle: Cycle, *, by: User, day: date) -> list[SampledChild]:
    # Lock the cycle: two quality leads pressing "Draw" at once must not draw it twice.
    lock(Cycle.objects.filter(pk=cycle.pk))
    if SampledChild.objects.filter(cycle=cycle).exists():
        raise ValidationError({"sample_per_pod": "This cycle's sample has already been drawn."})
    plan = plan_sample(day=day, seed=cycle.seed, per_pod=cycle.sample_per_pod)
    if (problem := _too_big(plan)) is not None:
        raise problem
    Cycle.objects.filter(pk=cycle.pk).update(drawn_on=day)
    cycle.drawn_on = day
    Stratum.objects.bulk_create(
        Stratum(
            cycle=cycle, pod_id=s.pod_id, status=s.status, eligible=s.eligible, drawn=len(s.drawn)
        )
        for s in plan.strata
    )
    drawn = plan.drawn
    moderated = to_moderate(len(drawn), cycle.moderation_share, cycle.seed)
    samples = SampledChild.objects.bulk_create(
        SampledChild(
            cycle=cycle,
            child_id=c.child_id,
            family_id=c.family_id,
            pod_id=c.pod_id,
            status=c.status,
            to_moderate=i in moderated,
        )
        for i, c in enumerate(drawn)
    )
    audits = Audit.objects.bulk_create(Audit(sample=s) for s in samples)
    domains = list(cycle.domains.all())
    DomainGrade.objects.bulk_create(DomainGrade(audit=a, domain=d) for a in audits for d in domains)
    _assign_defaults(cycle, samples, by=by, day=day)
    return samples


def _assign_defaults(cycle: Cycle, samples: list[SampledChild], *, by: User, day: date) -> None:
    """Each child's case holder is their allocated worker on the day; their auditor is a
    practitioner from another pod, the least busy in this cycle first, in an order shuffled by
    the cycle's seed (so the defaults are reproducible too)."""
    workers = dict(
        Allocation.objects.open_on(day)
        .filter(child__in=[s.child_id for s in samples])
        .values_list("child_id", "worker_id")
    )
    pool = list(
        PodMembership.objects.open_on(day)
        .filter(
            staff__user__is_active=True,
            staff__user__role__in=AUDITING_ROLES,
        )
        .order_by("staff__user_id")
        .values_list("staff__user_id", "pod_id", "staff_id")
    )
    # Not for secrets: a reproducible order anyone can recompute from the recorded seed.
    random.Random(f"{cycle.seed}:auditors").shuffle(pool)  # noqa: S311
    load: Counter[int] = Counter()
    now = timezone.now()
    assignments, access = [], []
    for sample in samples:
        case_holder = workers.get(sample.child_id)
        options = [
            (load[user], i, user)
            for i, (user, pod, staff) in enumerate(pool)
            if pod != sample.pod_id and staff != case_holder
        ]
        if not options:
            continue  # left for the quality lead to assign
        _, _, auditor = min(options)
        load[auditor] += 1
        assignments.append(
            Assignment(
                sample=sample,
                auditor_id=auditor,
                case_holder_id=case_holder,
                assigned_by=by,
                assigned_at=now,
            )
        )
        access.append(
            AuditAccess(
                user_id=auditor,
                family_id=sample.family_id,
                starts_at=now,
                reason=access_reason(cycle),
            )
        )
    Assignment.objects.bulk_create(assignments)
    AuditAccess.objects.bulk_create(access)


def _close_access(sample: SampledChild, user_id: int, now: object) -> None:
    AuditAccess.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        user_id=user_id,
        family_id=sample.family_id,
        reason=access_reason(sample.cycle),
    ).update(ends_at=now)


def assign(*, sample: SampledChild, auditor: User, by: User) -> Assignment:
    """Gives the sampled child this auditor, closing the last auditor's access to the family
    and opening the new one's. Refused once the audit is finished or the cycle closed."""
    with recorded(by, "audits.assign"):
        # Lock the audit: an assignment changing while the audit is finished would leave the
        # new auditor with access to a family whose audit is over.
        lock(Audit.objects.filter(sample=sample))
        cycle = sample.cycle
        if not cycle.is_open:
            raise ValidationError({"auditor": f"{cycle} is closed: its audits are over."})
        if sample.audit.is_finished:
            raise ValidationError({"auditor": "This audit is finished: it keeps its auditor."})
        if auditor.role not in AUDITING_ROLES or not auditor.is_active:
            raise ValidationError({"auditor": f"{auditor} does not audit cases."})
        current = Assignment.objects.filter(sample=sample).first()
        holder = current.case_holder if current else None
        if holder is not None and holder.user_id == auditor.pk:
            raise ValidationError(
                {
                    "auditor": f"{auditor} holds this child's case: choose someone else to audit "
                    "it with them."
                }
            )
        now = timezone.now()
        if current is not None:
            if current.auditor_id == auditor.pk:
                raise ValidationError({"auditor": f"{auditor} is already the auditor."})
            _close_access(sample, current.auditor_id, now)
            current.auditor, current.assigned_by, current.assigned_at = auditor, by, now
            current.save(update_fields=["auditor", "assigned_by", "assigned_at"])
        else:
            worker = (
                Allocation.objects.open_on(cycle.drawn_on or timezone.localdate())
                .filter(child=sample.child_id)
                .values_list("worker_id", flat=True)
                .first()
            )
            current = Assignment.objects.create(
                sample=sample,
                auditor=auditor,
                case_holder_id=worker,
                assigned_by=by,
                assigned_at=now,
            )
        AuditAccess.objects.create(
            user=auditor, family_id=sample.family_id, starts_at=now, reason=access_reason(cycle)
        )
        sample.assignment = current
    return current


def close_cycle(*, cycle: Cycle, by: User) -> Cycle:
    """Closes the cycle: every auditor's access through it ends now. Unfinished audits stay
    as they are, unfinished."""
    with recorded(by, "audits.close_cycle"):
        lock(Cycle.objects.filter(pk=cycle.pk))
        cycle.refresh_from_db()
        if not cycle.is_open:
            raise ValidationError({"cycle": f"{cycle} was closed on {long_date(cycle.closed_at)}."})  # type: ignore[arg-type]
        now = timezone.now()
        cycle.status, cycle.closed_at = CycleStatus.CLOSED, now
        cycle.save(update_fields=["status", "closed_at"])
        AuditAccess.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now), reason=access_reason(cycle)
        ).update(ends_at=now)
    return cycle


def save_domain(
    *, by: User, name: str, description: str = "", in_use: bool = True, domain: Domain | None = None
) -> Domain:
    """Adds or changes a domain. Open cycles keep the list they opened with: the change is for
    the cycles opened after it."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the domain's name."})
    with recorded(by, "audits.save_domain"):
        clash = Domain.objects.filter(name__iexact=name)
        if domain is not None:
            clash = clash.exclude(pk=domain.pk)
        if clash.exists():
            raise ValidationError({"name": f"There is already a domain called {name}."})
        if domain is None:
            last = Domain.objects.order_by("-position").values_list("position", flat=True).first()
            domain = Domain(position=(last or 0) + 1)
        domain.name, domain.description, domain.in_use = name, description.strip(), in_use
        domain.save()
    return domain
