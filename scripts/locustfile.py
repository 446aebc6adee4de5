"""The load test's staff: what ~600 people signed in to One Story do in a working day.

Run by scripts/load.py (`make load`), which seeds or finds the council, signs the staff in and
writes the plan this file reads (LOAD_PLAN: a JSON list, one item per person: their session
cookie, what they may open, and the families they may write in). Each simulated person is one
of the council's real staff, with a real session, so every request goes through the real
middleware (sign-in, MFA, session timeout, access checks, the access log).

The mix, per person, between pauses of 15 to 45 seconds (a person reads a page before the next):
the family page and the story's next page, the child's story, search, What's due, their home,
their pod's page and its What's due, the outcomes dashboard and report (for the roles that
have them), and writing: open "Add to the story", save a draft, autosave every 10 seconds
while typing, then finalise. Every request carries the header X-Load-Page with its page's
name, so the server's access log can be grouped by page (server time against client time).
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import random
import re
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

# The day a worker would type into the form: the service's own time zone (TIME_ZONE).
COUNCIL_TIME = ZoneInfo("Europe/London")

PLAN: list[dict[str, Any]] = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
_next_person = itertools.count()
PROBLEM = re.compile(r'<li><a href="#[^"]*">([^<]+)</a></li>')
VERSION = re.compile(r'name="version" value="(\d+)"')
WORDS = (  # noqa: SIM905
    "We talked about school and the teacher who helps with reading. You showed me your room "
    "and the drawing of the dog. Mum said the mornings are easier now that the bus comes at "
    "eight. We agreed that I will ring the school on Tuesday and visit again in two weeks."
).split()
# A real autosave fires a few seconds after typing stops; writers here save every 10 s.
AUTOSAVE_EVERY = 10.0
SEARCHES = ("school teacher", "swimming badge", "contact with dad", "health visitor", "housing")


# The load generator's own pauses: a full garbage collection in this process, with 600 users'
# sessions in it, stops every request in flight at once and counts as their time. Each pause is
# recorded (LOAD_GC_LOG, for load.py's report), and once everyone has arrived what is alive is
# frozen, as the web processes do (onestory/core/apps.py), so that only new objects are walked.
_gc_started: list[float] = []
_gc_pauses: list[float] = []


def _gc_timer(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _gc_started[:] = [time.perf_counter()]
    elif _gc_started and info.get("generation") == 2:
        _gc_pauses.append(time.perf_counter() - _gc_started[0])


gc.callbacks.append(_gc_timer)


def _freeze(user_count: int, **kwargs: Any) -> None:
    if os.environ.get("LOAD_GC_FREEZE", "1") == "1":  # 0: to measure the pauses without it
        gc.collect()
        gc.freeze()


def _write_pauses(environment: Any, **kwargs: Any) -> None:
    if path := os.environ.get("LOAD_GC_LOG"):
        with open(path, "w") as out:
            json.dump(_gc_pauses, out)


events.spawning_complete.add_listener(_freeze)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_write_pauses)  # type: ignore[no-untyped-call]


class Staff(HttpUser):
    wait_time = between(15, 45)

    def on_start(self) -> None:
        self.me = PLAN[next(_next_person) % len(PLAN)]
        self.rng = random.Random(self.me["user"])  # noqa: S311  (what to do next, not a secret)
        # No Secure flag: the load runs over plain HTTP on 127.0.0.1 with demo mode's cookies.
        self.client.cookies.set(self.me["cookie"], self.me["session"])
        self.client.cookies.set("csrftoken", self.me["csrf"])

    def get(self, page: str, url: str) -> Any:
        # Redirects are not followed: a page that sends the person to sign in has failed.
        with self.client.get(
            url,
            name=page,
            headers={"X-Load-Page": page},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{page}: status {response.status_code}")
            return response

    def post(self, page: str, url: str, data: dict[str, Any], expect: int) -> Any:
        headers = {"X-Load-Page": page, "X-CSRFToken": self.me["csrf"], "Referer": url}
        with self.client.post(
            url,
            data=data,
            name=page,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                # The form's own error messages, when it was shown again.
                said = "; ".join(PROBLEM.findall(response.text or ""))[:200]
                response.failure(f"{page}: status {response.status_code} {said}")
            return response

    # --- reading ---------------------------------------------------------------------------

    @task(12)
    def family_page(self) -> None:
        if self.me["families"]:
            family = self.rng.choice(self.me["families"])
            self.get("family page", f"/families/{family}/")
            if self.rng.random() < 0.3:
                self.get("family story, next page", f"/families/{family}/story/?page=2")

    @task(6)
    def child_story(self) -> None:
        if self.me["children"]:
            self.get("child's story", f"/people/{self.rng.choice(self.me['children'])}/story/")

    @task(4)
    def search(self) -> None:
        q = self.rng.choice(SEARCHES).replace(" ", "+")
        self.get("search", f"/stories/search/?q={q}")

    @task(4)
    def whats_due(self) -> None:
        self.get("what's due", "/due/")

    @task(5)
    def home(self) -> None:
        self.get("home", "/")

    @task(2)
    def pod_pages(self) -> None:
        if self.me["pods"]:
            self.get("pod page", f"/pods/{self.rng.choice(self.me['pods'])}/")
        if self.me["own_pods"]:
            self.get("pod's what's due", f"/due/pods/{self.rng.choice(self.me['own_pods'])}/")

    @task(2)
    def outcomes(self) -> None:
        if self.me["outcomes"]:
            self.get("outcomes dashboard", "/outcomes/")
        if self.me["report"] and self.rng.random() < 0.3:
            self.get("outcomes report", "/outcomes/report/")

    # --- writing -----------------------------------------------------------------------------

    @task(4)
    def write_entry(self) -> None:
        """A visit written up: the form, a first save, autosaves while typing, then final."""
        if not self.me["writable"]:
            return
        family, child = self.rng.choice(self.me["writable"])
        new = f"/families/{family}/story/new/"
        self.get("add to the story", new)
        today = datetime.now(COUNCIL_TIME).date()
        text = "Load test: " + " ".join(self.rng.sample(WORDS, 12))
        data: dict[str, Any] = {
            "kind": "visit",
            "occurred_on_day": today.day,
            "occurred_on_month": today.month,
            "occurred_on_year": today.year,
            "story": text,
        }
        if child:
            data["concerns"] = data["seen"] = child
        saved = self.post("save a new draft", new, data, 302)
        location = saved.headers.get("Location", "")
        if not location:
            return
        page = self.get("draft entry", location)
        found = VERSION.search(page.text or "")
        if not found:
            return
        data["version"] = found[1]
        for _ in range(self.rng.randint(2, 5)):
            time.sleep(AUTOSAVE_EVERY)  # cooperative under locust's gevent
            data["story"] += " " + " ".join(self.rng.sample(WORDS, 8))
            response = self.post("autosave", location + "autosave/", data, 200)
            found = VERSION.search(response.text or "")
            if not found:
                return
            data["version"] = found[1]
        self.post("finalise", location + "finalise/", {}, 302)
