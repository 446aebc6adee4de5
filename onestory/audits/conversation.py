"""The audit conversation: grading the domains, the family's view, actions, finishing, and the
entry it writes on the family's story; then moderation, which keeps both grades.

Saves are conflict-safe as story drafts are (Entry.save_draft): a save names the version it was
read at and updates only if nobody has saved since; the loser is told who saved, and keeps what
they typed. A finished audit is never changed again, and a moderated one is finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone

from onestory.accounts.models import User
from onestory.audits.models import (
    SCALE_WORDS,
    Audit,
    AuditAction,
    AuditStatus,
    CycleDomain,
    DomainGrade,
    Grade,
    ModeratedGrade,
    Moderation,
    Theme,
)
from onestory.families.models import AuditAccess
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.stories.models import Entry, Kind, Status


class AuditConflict(Exception):
    """Someone saved the audit after this person opened it: nothing of theirs was saved."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        who = audit.updated_by or "Someone else"
        at = timezone.localtime(audit.updated_at).strftime("%H:%M") if audit.updated_at else ""
        super().__init__(
            f"{who} saved this audit{f' at {at}' if at else ''}, after you opened it. Nothing "
            "you typed has been saved: it is still below, and what they saved is shown beside "
            "it. Check both, then save again to keep your version."
        )


@dataclass(frozen=True)
class DomainAnswer:
    grade: int | None
    evidence: str = ""
    better: str = ""


def field(domain: CycleDomain, name: str) -> str:
    """The form field of one domain's answer: grade_3, evidence_3, better_3."""
    return f"{name}_{domain.position}"


def _check_grade(value: int | None, key: str) -> None:
    if value is not None and value not in Grade.values:
        raise ValidationError({key: f"Choose a grade on the scale: {SCALE_WORDS}."})


def why_not_editable(audit: Audit) -> str:
    """Why the audit cannot be changed any more, or '' when it can."""
    if audit.is_finished:
        moderated = getattr(audit, "moderation", None)
        also = (
            f" and moderated by {moderated.moderator} on {long_date(moderated.moderated_at)}"
            if moderated is not None
            else ""
        )
        return (
            f"This audit was finished on {long_date(audit.finished_at)}{also}, so it can no "  # type: ignore[arg-type]
            "longer be changed. Add anything new as an action, or in the next cycle."
        )
    if not audit.sample.cycle.is_open:
        return f"{audit.sample.cycle} is closed, so its audits can no longer be changed."
    return ""


def refuse_if_not_editable(audit: Audit, key: str | None = None) -> None:
    if reason := why_not_editable(audit):
        raise ValidationError({key: reason} if key else reason)


def save_audit(
    *,
    audit: Audit,
    expected_version: int,
    by: User,
    answers: dict[int, DomainAnswer],
    overall_grade: int | None,
    overall_evidence: str = "",
    family_view_possible: bool | None = None,
    family_view: str = "",
    themes: list[Theme] | None = None,
    new_themes: str = "",
    finish: bool = False,
) -> Audit:
    """Saves the audit if nobody has saved it since `expected_version`; with `finish`, also
    checks it is complete, finishes it, writes it on the family's story and ends the auditor's
    access to the family. `answers` is keyed by the cycle domain's id."""
    domains = list(audit.sample.cycle.domains.all())
    for domain in domains:
        _check_grade(answers.get(domain.pk, DomainAnswer(None)).grade, field(domain, "grade"))
    _check_grade(overall_grade, "overall_grade")
    if finish:
        _check_complete(domains, answers, overall_grade, family_view_possible, family_view)
    with recorded(by, "audits.finish_audit" if finish else "audits.save_audit"):
        audit.refresh_from_db()
        refuse_if_not_editable(audit)
        now = timezone.now()
        values = {
            "overall_grade": overall_grade,
            "overall_evidence": overall_evidence.strip(),
            "family_view_possible": family_view_possible,
            "family_view": family_view.strip() if family_view_possible is not False else "",
            "updated_at": now,
            "updated_by": by,
        }
        if finish:
            values |= {"status": AuditStatus.FINISHED, "finished_at": now}
        # The conditional UPDATE is the lock: of two saves read at one version, the database
        # lets one through; the other updates no row and is told (AuditConflict).
        saved = Audit.objects.filter(
            pk=audit.pk, version=expected_version, status=AuditStatus.DRAFT
        ).update(**values, version=F("version") + 1)
        if not saved:
            audit.refresh_from_db()
            raise AuditConflict(audit)
        grades = list(DomainGrade.objects.filter(audit=audit))
        for grade in grades:
            answer = answers.get(grade.domain_id, DomainAnswer(None))
            grade.grade = answer.grade
            grade.evidence, grade.better = answer.evidence.strip(), answer.better.strip()
        DomainGrade.objects.bulk_update(grades, ["grade", "evidence", "better"])
        chosen = list(themes or [])
        for name in {n.strip() for n in new_themes.split(",") if n.strip()}:
            chosen.append(Theme.objects.get_or_create(name=name)[0])
        audit.themes.set(chosen)
        audit.refresh_from_db()
        if finish:
            _write_on_story(audit, by=by)
            AuditAccess.objects.filter(
                Q(ends_at__isnull=True) | Q(ends_at__gt=now),
                family_id=audit.sample.family_id,
                user_id=audit.sample.assignment.auditor_id,
            ).update(ends_at=now)
    return audit


def _check_complete(
    domains: list[CycleDomain],
    answers: dict[int, DomainAnswer],
    overall_grade: int | None,
    family_view_possible: bool | None,
    family_view: str,
) -> None:
    errors: dict[str, str] = {}
    for domain in domains:
        answer = answers.get(domain.pk, DomainAnswer(None))
        if answer.grade is None:
            errors[field(domain, "grade")] = f"Choose a grade for {domain.name.lower()}"
        if not answer.evidence.strip():
            errors[field(domain, "evidence")] = f"Enter the evidence for {domain.name.lower()}"
    if overall_grade is None:
        errors["overall_grade"] = "Choose the overall grade"
    if family_view_possible is None:
        errors["family_view_possible"] = "Say whether a conversation with the family was possible"
    elif family_view_possible and not family_view.strip():
        errors["family_view"] = "Enter the family's view, or say a conversation was not possible"
    if errors:
        raise ValidationError(errors)


def _write_on_story(audit: Audit, *, by: User) -> Entry:
    """The audit's findings and actions as one final entry on the family's story, written to
    the family as every entry is."""
    sample = audit.sample
    grades = DomainGrade.objects.filter(audit=audit).select_related("domain")
    lines = [
        f"{sample.child.known_as}'s record was looked at in a practitioner-led audit "
        f"({sample.cycle.label}): the auditor and the social worker talked it through together.",
        f"Overall: {Grade(audit.overall_grade or 0).label}.",
    ]
    lines += [
        f"{g.domain.name}: {Grade(g.grade).label}. {g.better or ''}".strip()
        for g in grades
        if g.grade
    ]
    if audit.family_view:
        lines.append(f"What the family told us: {audit.family_view}")
    actions = [
        f"{a.what} ({a.owner}, by {long_date(a.due)})"
        for a in audit.actions.select_related("owner").order_by("due", "pk")
    ]
    now = timezone.now()
    entry = Entry.objects.create(
        family_id=sample.family_id,
        kind=Kind.AUDIT,
        occurred_at=now,
        author=by,
        story="\n\n".join(lines),
        reflection=audit.overall_evidence,
        next_steps="\n".join(actions),
        status=Status.FINAL,
        finalised_at=now,
        updated_at=now,
    )
    entry.concerns.set([sample.child_id])
    entry.refresh_search()
    return entry


# --- Actions ------------------------------------------------------------------------------


def add_action(*, audit: Audit, what: str, owner: User, due: date, by: User) -> AuditAction:
    """An action agreed in the conversation, before the audit is finished (it goes on the
    family's story with the findings)."""
    what = what.strip()
    if not what:
        raise ValidationError({"what": "Enter what needs to be done"})
    with recorded(by, "audits.add_action"):
        # Lock the audit: an action added while it is finished would miss the story entry.
        lock(Audit.objects.filter(pk=audit.pk))
        audit.refresh_from_db()
        refuse_if_not_editable(audit, "what")
        if due < timezone.localdate():
            raise ValidationError({"due": "The due date must be today or later."})
        return AuditAction.objects.create(audit=audit, what=what, owner=owner, due=due)


def mark_done(*, item: AuditAction, done_on: date, by: User) -> AuditAction:
    """Marks an audit action done on `done_on` (today or before, not before its cycle)."""
    action = item
    with recorded(by, "audits.mark_done"):
        # Lock the action: two people marking it done at once must not both record it.
        lock(AuditAction.objects.filter(pk=action.pk))
        action.refresh_from_db()
        if action.done_on is not None:
            raise ValidationError(
                {"done_on": f"{action.done_by} marked this done on {long_date(action.done_on)}."}
            )
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": "The date it was done must be today or earlier."})
        created = action.audit.sample.cycle.starts
        if done_on < created:
            raise ValidationError(
                {"done_on": f"The date it was done must be on or after {long_date(created)}."}
            )
        action.done_on, action.done_by = done_on, by
        action.save(update_fields=["done_on", "done_by"])
    return action


# --- Moderation ---------------------------------------------------------------------------


def moderate(
    *,
    audit: Audit,
    by: User,
    grades: dict[int, tuple[int | None, str]],
    overall_grade: int | None,
    note: str = "",
) -> Moderation:
    """The moderator's grades for a finished audit, kept beside the auditor's (which stay as
    they are). Once: a second moderation of the same audit is refused, naming the first."""
    domains = list(audit.sample.cycle.domains.all())
    errors: dict[str, str] = {}
    for domain in domains:
        grade = grades.get(domain.pk, (None, ""))[0]
        if grade not in Grade.values:
            errors[field(domain, "grade")] = (
                f"Choose a grade for {domain.name.lower()} on the scale: {SCALE_WORDS}"
            )
    if overall_grade not in Grade.values:
        errors["overall_grade"] = f"Choose the overall grade on the scale: {SCALE_WORDS}"
    if errors:
        raise ValidationError(errors)
    with recorded(by, "audits.moderate"):
        # Lock the audit: two quality leads moderating it at once would both pass the check
        # below; the second waits, then is told who moderated it.
        lock(Audit.objects.filter(pk=audit.pk))
        done = Moderation.objects.filter(audit=audit).select_related("moderator").first()
        if done is not None:
            raise ValidationError(
                f"{done.moderator} moderated this audit on {long_date(done.moderated_at)}: "
                "a moderation is not redone. Nothing you entered has been saved."
            )
        audit.refresh_from_db()
        if not audit.is_finished:
            raise ValidationError("Only a finished audit can be moderated.")
        if audit.sample.assignment.auditor_id == by.pk:
            raise ValidationError("You audited this case: someone else moderates it.")
        moderation = Moderation.objects.create(
            audit=audit,
            moderator=by,
            overall_grade=int(overall_grade or 0),
            note=note.strip(),
            moderated_at=timezone.now(),
        )
        ModeratedGrade.objects.bulk_create(
            ModeratedGrade(
                moderation=moderation,
                domain=domain,
                grade=int(grades[domain.pk][0] or 0),
                note=grades[domain.pk][1].strip(),
            )
            for domain in domains
        )
    return moderation
