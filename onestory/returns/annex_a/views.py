"""The page that asks for Ofsted's Annex A: the day the lists are for, then the workbook is
made in the background by onestory/exports, whose progress page follows."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.exports import views as exports
from onestory.lib.dates import long_date
from onestory.returns.access import Action, require
from onestory.returns.annex_a import exports as annex_a
from onestory.returns.annex_a.forms import AnnexAForm


def make(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.MAKE)
    form = AnnexAForm(posted(request), initial={"on": timezone.localdate()})
    if form.is_valid():
        day = form.cleaned_data["on"]
        return exports.start(
            request,
            kind=annex_a.KIND,
            parameters=annex_a.parameters_for(day),
            title=f"Ofsted Annex A for {long_date(day)} (xlsx)",
        )
    return render(request, "returns/annex_a.html", {"form": form})
