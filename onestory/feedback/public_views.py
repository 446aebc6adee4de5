"""The public page at /feedback/: families send a compliment, a complaint or a comment without
signing in, one question a page (GOV.UK question pages), then check their answers.

What a member of the public meets here is never an error page:

- the answers are kept between pages in the server-side session; a page reached out of order
  goes back to the first question not yet answered;
- every field has a size limit, and a request too big to read gets the same plain page;
- CSRF is checked here, by the middleware's own check, so that an expired form gets a plain page
  asking to start again rather than Django's 403;
- a robot that fills in the hidden field (the honeypot) sees the same confirmation and nothing is
  saved; a flood from one address gets a plain page asking to try later or to phone
  (`receive_from_public` keeps the address only as a keyed hash);
- nothing typed is looked up: the answer is the same whatever is typed, and says nothing about
  any record or whether a family is known.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django import forms as django_forms
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from onestory.accounts.adapters import client_address
from onestory.feedback import forms
from onestory.feedback.models import Kind, Source
from onestory.feedback.procedure import Flooded, new_reference, receive_from_public, reply_by
from onestory.lib.dates import long_date

ANSWERS = "feedback_answers"
SENT = "feedback_sent"
View = Callable[..., HttpResponse]


def _plain(request: HttpRequest, template: str, status: int = 200) -> HttpResponse:
    return render(request, f"feedback/public/{template}", status=status)


def _csrf_refused(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    return check.process_view(request, None, (), {}) is not None  # type: ignore[arg-type]


def public(view: View) -> View:
    """The public pages' guard: the CSRF check and an unreadable request answered with plain
    pages rather than error pages."""

    @csrf_exempt
    @ensure_csrf_cookie
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (read now: too big or too many fields raise here)
            except (RequestDataTooBig, TooManyFieldsSent):
                return _plain(request, "too_big.html", status=413)
            if _csrf_refused(request):
                return _plain(request, "expired.html", status=403)
        elif request.method not in {"GET", "HEAD"}:
            return redirect("public_feedback:start")
        return view(request, *args, **kwargs)

    return guarded


# The questions, in order: (step, form, the answer each form keeps).
STEPS: list[tuple[str, type[django_forms.Form], list[str]]] = [
    ("kind", forms.PublicKindForm, ["kind"]),
    ("who", forms.PublicSourceForm, ["source"]),
    ("about", forms.PublicSummaryForm, ["summary"]),
    ("reply", forms.PublicReplyForm, ["reply_wanted", "contact"]),
]


def _answers(request: HttpRequest) -> dict[str, str]:
    found = request.session.get(ANSWERS)
    return found if isinstance(found, dict) else {}


def _first_unanswered(answers: dict[str, str]) -> str | None:
    for step, form_class, _keys in STEPS:
        if not form_class(data=answers).is_valid():
            return step
    return None


@public
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/public/start.html")


def _question(request: HttpRequest, step: str) -> HttpResponse:
    index = [s for s, _, _ in STEPS].index(step)
    _, form_class, keys = STEPS[index]
    answers = _answers(request)
    missing = _first_unanswered(answers)
    order = [s for s, _, _ in STEPS]
    if missing is not None and order.index(missing) < index:
        return redirect(f"public_feedback:{missing}")
    initial = {key: answers.get(key, "") for key in keys}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        if step == "about" and form.cleaned_data.get("website"):
            request.session["feedback_robot"] = True
        answers.update({key: form.cleaned_data[key] for key in keys})
        request.session[ANSWERS] = answers
        after = _first_unanswered(answers)
        if request.GET.get("change") or after is None:
            return redirect("public_feedback:check")
        return redirect(f"public_feedback:{order[index + 1]}")
    back = "public_feedback:start" if index == 0 else f"public_feedback:{order[index - 1]}"
    return render(
        request,
        f"feedback/public/{step}.html",
        {"form": form, "back": back, "step": index + 1, "steps": len(STEPS)},
    )


@public
def kind(request: HttpRequest) -> HttpResponse:
    return _question(request, "kind")


@public
def who(request: HttpRequest) -> HttpResponse:
    return _question(request, "who")


@public
def about(request: HttpRequest) -> HttpResponse:
    return _question(request, "about")


@public
def reply(request: HttpRequest) -> HttpResponse:
    return _question(request, "reply")


def _promise(kind: str, received: date) -> str:
    return long_date(reply_by(kind, received))


@public
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = _first_unanswered(answers)
    if missing is not None:
        return redirect(f"public_feedback:{missing}")
    today = timezone.localdate()
    if request.method == "POST":
        wants = answers["reply_wanted"] == "yes"
        sent = {
            "kind": answers["kind"],
            "reply_wanted": wants,
            "by": _promise(answers["kind"], today),
        }
        if request.session.pop("feedback_robot", False):
            # The honeypot was filled in: the same confirmation, and nothing saved.
            sent["reference"] = new_reference()
        else:
            try:
                item = receive_from_public(
                    address=client_address(request),
                    kind=answers["kind"],
                    source=answers["source"],
                    summary=answers["summary"],
                    reply_wanted=wants,
                    contact=answers.get("contact", ""),
                    received=today,
                )
            except Flooded:
                return _plain(request, "flooded.html", status=429)
            sent["reference"] = item.reference
        request.session.pop(ANSWERS, None)
        request.session[SENT] = sent
        return redirect("public_feedback:done")
    return render(
        request,
        "feedback/public/check.html",
        {
            "answers": answers,
            "kind_label": Kind(answers["kind"]).label,
            "source_label": Source(answers["source"]).label,
        },
    )


@public
def done(request: HttpRequest) -> HttpResponse:
    sent = request.session.get(SENT)
    if not isinstance(sent, dict):
        return redirect("public_feedback:start")
    return render(request, "feedback/public/done.html", {"sent": sent})
