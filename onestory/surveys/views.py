"""Your Voice pages: the survey's home, answering, running waves and the question set, and the
results (per wave, across waves, CSV, and free text for the quality lead once a wave closes).

Every page asks `access.py`; a page the user may not use answers 404."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.lib.spreadsheets import safe_cell
from onestory.pods.forms import ActionForm
from onestory.surveys import forms
from onestory.surveys.access import Action, can, can_read_free_text, require
from onestory.surveys.charts import Series, bar_chart
from onestory.surveys.models import Kind, Response, Wave
from onestory.surveys.responding import already_answered, has_answered, respond
from onestory.surveys.results import (
    ALL,
    GROUP_LABELS,
    GROUPS,
    Figure,
    across_waves,
    wave_results,
)
from onestory.surveys.waves import (
    close_wave,
    fingerprint,
    open_wave,
    open_wave_now,
    question_set,
    save_questions,
    waves,
)


def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (can(user, Action.RESPOND) or can(user, Action.SEE_RESULTS)):
        raise Http404("No such page")
    wave = open_wave_now()
    context: dict[str, Any] = {
        "wave": wave,
        "responds": can(user, Action.RESPOND),
        "answered": wave is not None and can(user, Action.RESPOND) and has_answered(user, wave),
        "manages": can(user, Action.MANAGE_WAVES),
        "sees_results": can(user, Action.SEE_RESULTS),
        "waves": list(waves()) if can(user, Action.MANAGE_WAVES) else [],
    }
    return render(request, "surveys/index.html", context)


def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Action.RESPOND)
    wave = get_object_or_404(Wave, pk=pk)
    form = forms.AnswerForm(posted(request), questions=list(wave.questions.all()))
    # On a GET, say at once why the form is not offered; on a POST, the write refuses with
    # the same words and the form keeps what was typed.
    refused = ""
    if request.method == "GET":
        if not wave.is_open:
            refused = "closed"
        elif has_answered(request.user, wave):
            refused = already_answered(wave)
    if form.is_bound and form.is_valid():
        saved = form.run(lambda **_: respond(by=request.user, wave=wave, **form.answers()))
        if saved is not None:
            messages.success(request, f"Thank you: your answers to {wave.title} are saved.")
            return redirect("surveys:index")
    return render(request, "surveys/answer.html", {"wave": wave, "form": form, "refused": refused})


def open_new_wave(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_WAVES)
    form = forms.OpenWaveForm(posted(request))
    if form.is_bound and form.is_valid() and form.run(open_wave, by=request.user) is not None:
        messages.success(request, f"{form.cleaned_data['title']} is open")
        return redirect("surveys:index")
    return render(request, "surveys/form.html", _form(form, "Open a wave", "Open the wave"))


def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_WAVES)
    wave = get_object_or_404(Wave, pk=pk)
    form = forms.CloseWaveForm(posted(request), initial={"closed": timezone.localdate()})
    closing = form.is_bound and form.is_valid()
    if closing and form.run(close_wave, by=request.user, wave=wave) is not None:
        messages.success(request, f"{wave.title} is closed")
        return redirect("surveys:index")
    intro = "Once it is closed nobody can answer it, and it cannot be opened again."
    return render(
        request,
        "surveys/form.html",
        _form(form, f"Close {wave.title}", "Close the wave", intro=intro),
    )


def _form(form: ActionForm, title: str, button: str, **extra: Any) -> dict[str, Any]:
    return {"form": form, "title": title, "button": button, **extra}


def questions(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.EDIT_QUESTIONS)
    current = question_set()
    form = forms.QuestionsForm(
        posted(request), questions=current, initial={"seen": fingerprint(current)}
    )
    if form.is_bound and form.is_valid():
        saved = form.run(
            lambda **data: save_questions(
                by=request.user,
                time_use=form.pairs("time_use"),
                statements=form.pairs("statements"),
                seen=data["seen"],
            )
        )
        if saved is not None:
            messages.success(request, "The questions are saved. The next wave will ask them.")
            return redirect("surveys:index")
    context = {
        "form": form,
        "current": current,
        "open_wave": open_wave_now(),
        "time_fields": form.group("time_use"),
        "statement_fields": form.group("statements"),
    }
    return render(request, "surveys/questions.html", context)


def results(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.SEE_RESULTS)
    closed = wave_results(Wave.objects.filter(closed__isnull=False))
    group = request.GET.get("role", ALL)
    group = group if group in GROUP_LABELS else ALL
    time_rows = across_waves(closed, Kind.TIME_USE, group)
    agree_rows = across_waves(closed, Kind.AGREEMENT)
    names = [r.wave.title for r in closed]
    charts = {
        "time": bar_chart(
            "time-chart",
            f"Mean percentage of time, by wave: {GROUP_LABELS[group]}",
            [row.label for row in time_rows],
            [Series(n, [row.figures[i].value for row in time_rows]) for i, n in enumerate(names)],
        ),
        "agree": bar_chart(
            "agree-chart",
            "Percentage agreeing, by wave",
            [row.label for row in agree_rows],
            [Series(n, [row.figures[i].value for row in agree_rows]) for i, n in enumerate(names)],
        ),
    }
    context = {
        "closed": closed,
        "group": group,
        "group_label": GROUP_LABELS[group],
        "groups": [(g, GROUP_LABELS[g]) for g in [ALL, *GROUPS]],
        "time_rows": time_rows,
        "agree_rows": agree_rows,
        "charts": charts,
    }
    return render(request, "surveys/results.html", context)


def wave_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Action.SEE_RESULTS)
    result = _result(pk)
    if result.wave.is_open:
        # Figures that move with each answer would give each answer away: compare the page
        # before and after someone says they have answered.
        return render(request, "surveys/wave_open.html", {"wave": result.wave})
    groups = [*GROUPS, ALL]
    time_chart = bar_chart(
        "time-chart",
        f"Mean percentage of time by role, {result.wave.title}",
        [q.text for q in result.time_questions],
        [
            Series(GROUP_LABELS[g], [result.time_use[q.pk][g].value for q in result.time_questions])
            for g in groups
        ],
    )
    agree_chart = bar_chart(
        "agree-chart",
        f"Percentage agreeing, {result.wave.title}",
        [q.text for q in result.statements],
        [Series("All respondents", [result.agreement[q.pk].value for q in result.statements])],
    )
    context = {
        "result": result,
        "groups": [(g, GROUP_LABELS[g]) for g in groups],
        "respondent_row": [*(result.group_respondents[g] for g in GROUPS), result.respondents],
        "time_rows": [
            (q, [result.time_use[q.pk][g] for g in groups]) for q in result.time_questions
        ],
        "agree_rows": [(q, result.agreement[q.pk]) for q in result.statements],
        "time_chart": time_chart,
        "agree_chart": agree_chart,
        "reads_free_text": (
            can_read_free_text(request.user, result.wave) and not result.respondents.suppressed
        ),
    }
    return render(request, "surveys/wave_results.html", context)


def _result(pk: int, *, closed_only: bool = False) -> Any:
    waves = Wave.objects.filter(pk=pk)
    found = wave_results(waves.filter(closed__isnull=False) if closed_only else waves)
    if not found:
        raise Http404("No such wave")
    return found[0]


def free_text(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave, pk=pk)
    if not can_read_free_text(request.user, wave):
        raise Http404("No such page")
    result = _result(pk)
    # Only when the wave's own figures may be shown: a handful of comments could name them.
    texts = (
        list(
            Response.objects.filter(wave=wave)
            .exclude(free_text="")
            .values_list("free_text", flat=True)
        )
        if not result.respondents.suppressed
        else []
    )
    context = {"wave": wave, "texts": texts, "suppressed": result.respondents.suppressed}
    return render(request, "surveys/free_text.html", context)


def results_csv(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """The tables as shown: suppressed figures are "c" here too, as on the page."""
    require(request.user, Action.SEE_RESULTS)
    # Closed waves only: an open wave's figures change with each answer (see wave_detail).
    closed = Wave.objects.filter(closed__isnull=False)
    found = wave_results(closed.filter(pk=pk) if pk else closed)
    if pk and not found:
        raise Http404("No such wave")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"your-voice-{found[0].wave.opened.year}" if pk else "your-voice"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Wave", "Table", "Question", "Role group", "Respondents", "Value"])
    for r in found:
        rows: list[tuple[str, str, str, Figure]] = [
            ("Response rate (%)", f"Staff in post: {r.staff_in_post}", "", r.response_rate)
        ]
        for q in r.time_questions:
            rows += [
                ("Mean percentage of time", q.text, GROUP_LABELS[g], r.time_use[q.pk][g])
                for g in [*GROUPS, ALL]
            ]
        rows += [
            ("Percentage agreeing", q.text, GROUP_LABELS[ALL], r.agreement[q.pk])
            for q in r.statements
        ]
        for table, question, group, figure in rows:
            writer.writerow(
                [safe_cell(v) for v in (r.wave.title, table, question, group)]
                + [_shown(figure.respondents), _shown(figure.value)]
            )
    return response


def _shown(value: object) -> str:
    return "c" if value is None else str(value)


def wave_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return results_csv(request, pk)
