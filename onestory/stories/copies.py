"""The family's copy of their story: a PDF made by the task worker, not in the web request.

`request_copy` records the request and enqueues `make_family_copy`, which renders the PDF with
WeasyPrint and keeps it on the request until it expires (stories/models.py, `FamilyCopy`).
The rendering, and the rule that WeasyPrint reads nothing but our own built static files, are
in onestory/lib/pdf.py, shared with every other PDF.
"""

from __future__ import annotations

import logging

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timezone import localdate
from django_tasks import task

from onestory.accounts.models import User
from onestory.families.access import Action, can
from onestory.families.models import Family
from onestory.lib.history import recorded
from onestory.lib.pdf import render_pdf
from onestory.stories.models import COPY_KEPT_FOR, CopyStatus, FamilyCopy

logger = logging.getLogger(__name__)


def copy_html(family: Family) -> str:
    """Final entries only, leaving out whatever is marked not for sharing; the third-party
    passages are never in the template."""
    entries = (
        family.entries.final()
        .filter(not_for_sharing=False)
        .order_by("occurred_at", "id")
        .prefetch_related("amendments", "concerns")
    )
    return render_to_string(
        "stories/family_copy.html", {"family": family, "entries": entries, "today": localdate()}
    )


def request_copy(*, family: Family, by: User) -> FamilyCopy:
    """The user's copy of the family's story that is being made or is ready, or a new request
    for one, enqueued for the task worker. Asking twice (a double click, a second tab) gives
    the same request rather than a second PDF."""
    now = timezone.now()
    with recorded(by=by, action="stories.request_copy"):
        current = (
            FamilyCopy.objects.filter(family=family, requested_by=by, expires_at__gt=now)
            .exclude(status=CopyStatus.FAILED)
            .first()
        )
        if current is not None:
            return current
        copy = FamilyCopy.objects.create(
            family=family, requested_by=by, requested_at=now, expires_at=now + COPY_KEPT_FOR
        )
        # In the same transaction as the request: the worker never sees one without the other.
        make_family_copy.enqueue(copy.pk)
    return copy


@task()
def make_family_copy(copy_id: int) -> str:
    """Render the PDF for one request and keep it until it expires."""
    forget_expired_copies()
    copy = (
        FamilyCopy.objects.select_related("family", "requested_by")
        .filter(pk=copy_id, status=CopyStatus.WAITING)
        .first()
    )
    if copy is None:
        return "gone"
    # Access is checked again when the copy is downloaded; this saves making one nobody may have.
    if not copy.requested_by.is_active or not can(copy.requested_by, copy.family, Action.PRINT):
        FamilyCopy.objects.filter(pk=copy.pk).update(status=CopyStatus.FAILED)
        return "refused"
    try:
        pdf = render_pdf(copy_html(copy.family))
    except Exception:
        logger.exception("The family's copy %s could not be made", copy.pk)
        FamilyCopy.objects.filter(pk=copy.pk).update(status=CopyStatus.FAILED)
        return "failed"
    finished = timezone.now()
    FamilyCopy.objects.filter(pk=copy.pk).update(
        status=CopyStatus.READY, pdf=pdf, finished_at=finished, expires_at=finished + COPY_KEPT_FOR
    )
    return "ready"


def forget_expired_copies() -> int:
    """Empty the PDFs of expired copies: the request stays, the story does not."""
    return (
        FamilyCopy.objects.filter(expires_at__lte=timezone.now())
        .filter(~Q(pdf=b""))
        .update(pdf=b"")
    )
