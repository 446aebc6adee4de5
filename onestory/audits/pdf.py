"""The audit cycle report as a PDF for the practice learning forum, made in the background by
onestory/exports: the same report as the page (audits/_report_body.html), with the charts
drawn as SVG in the file and each followed by its table of numbers, for print.

Whoever may see the cycle report may ask for it (`Action.SEE_REPORT`), asked again by the
worker and at each download.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from onestory.audits import learning
from onestory.audits.access import Action, may
from onestory.audits.models import Cycle
from onestory.exports import registry
from onestory.exports.models import Export
from onestory.lib.pdf import PDF, render_pdf

KIND = "audits.cycle_report"


def may_ask(user: Any, parameters: dict[str, Any]) -> bool:
    return may(user, Action.SEE_REPORT)


def parameters_for(cycle: Cycle) -> dict[str, Any]:
    return {"cycle": cycle.pk}


def title_for(cycle: Cycle) -> str:
    return f"Audit cycle report, {cycle.label} (PDF)"


def report_html(cycle: Cycle) -> str:
    """The complete HTML handed to WeasyPrint."""
    context = {
        "cycle": cycle,
        "report": learning.cycle_report(cycle),
        "printed": timezone.localdate(),
    }
    return render_to_string("audits/report_pdf.html", context)


def build(export: Export, progress: registry.Progress) -> registry.Made:
    cycle = Cycle.objects.select_related("theme").filter(pk=export.parameters.get("cycle")).first()
    if cycle is None:
        raise registry.CannotMake("The audit cycle this report was for no longer exists.")
    progress(10)
    html = report_html(cycle)
    progress(50)
    content = render_pdf(html)
    return registry.Made(f"audit-cycle-{slugify(cycle.label)}.pdf", PDF, content)


def register() -> None:
    registry.register(KIND, label="Audit cycle report (PDF)", build=build, may_ask=may_ask)
