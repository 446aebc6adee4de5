"""The shared fixtures: the cast (made once per test module), more of Pod Harbour, the small
demo council (made once per run) and the browser. The helpers are in onestory/test.py.

Made once, used by many: the cast and the council are made in an outer transaction that each
test's own transaction nests in, and rolled back when their last test has ended (`MadeOnce`),
so every test starts from the same data and leaves nothing behind. The order of the tests keeps
that true (`pytest_collection_modifyitems` below):

- The tests of the small council run first, before any other module's, and the council is
  rolled back as soon as the last of them ends: its transaction must be the outermost, and no
  other module, nor a transactional test's flush, may come in between. They cannot use the
  cast.
- Within a module, the tests that do not use the cast run before those that do, so none of
  them sees a cast it did not ask for (`seed_demo`, say, needs an empty database). The cast is
  rolled back when pytest leaves the module. The same holds for any module-scoped fixture
  named `module_...` that makes data once (onestory/families/tests/test_need_to_know.py has
  its `module_world`); a module uses one of them at most.

A transactional test (`django_db(transaction=True)`, `live_server`) cannot nest in an outer
transaction: it makes its own cast with `make_cast()`.
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from pytest_django.fixtures import validate_django_db

from onestory.demo.load import load_demo_council
from onestory.test import (
    SMALL_COUNCIL_SEED,
    SMALL_COUNCIL_TODAY,
    Cast,
    Harbour,
    MadeOnce,
    made_once,
    make_cast,
    make_harbour,
)

CHROMIUM = os.environ.get("ONESTORY_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def module_cast(django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast]:
    """The cast, made once for the test module and rolled back after its last test."""
    with made_once(django_db_blocker, make_cast) as cast:
        yield cast


@pytest.fixture
def cast(module_cast: Cast, db: None) -> Cast:
    """The cast, for one test: the rows are the module's, and what the test writes is rolled
    back as it ends; the objects are the test's own copies (as Django's setUpTestData gives),
    so nothing a test changes in memory reaches the next one."""
    return copy.deepcopy(module_cast)


@pytest.fixture
def harbour(cast: Cast) -> Harbour:
    return make_harbour(cast)


_council: list[MadeOnce[dict[str, int]]] = []


@pytest.fixture(scope="session")
def _small_council(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[MadeOnce[dict[str, int]]]:
    if connection.in_atomic_block:
        raise RuntimeError("The small council's tests must run before any other test's data.")

    def load() -> dict[str, int]:
        return load_demo_council(
            scale="small",
            seed=SMALL_COUNCIL_SEED,
            today=SMALL_COUNCIL_TODAY,
            password="pw-for-tests",  # noqa: S106  (the demo accounts', in a test)
            say=lambda _: None,
        )

    council = MadeOnce(django_db_blocker, load)
    _council.append(council)
    yield council
    council.roll_back()


@pytest.fixture
def small_council(_small_council: MadeOnce[dict[str, int]], db: None) -> dict[str, int]:
    """The small demo council with its stories, loaded once for all the tests that read it
    (they run first) and rolled back after the last of them. Returns the rows per model."""
    assert _small_council.open, "a test of the small council ran after the others"
    return _small_council.data


def _uses(item: pytest.Item | None, fixture: str) -> bool:
    return item is not None and fixture in getattr(item, "fixturenames", ())


def _module_data(item: pytest.Item) -> set[str]:
    return {name for name in getattr(item, "fixturenames", ()) if name.startswith("module_")}


def _transactional(item: pytest.Item) -> bool:
    if _uses(item, "transactional_db") or _uses(item, "live_server"):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return transaction or reset_sequences


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Orders the tests for the data made once (see the top of this file): the small council's
    tests first, then in each module the tests without the cast before those with it. Otherwise
    the order of collection is kept."""
    modules: dict[str, int] = {}
    module_data: dict[str, set[str]] = {}
    for item in items:
        council, shared = _uses(item, "small_council"), _module_data(item)
        if (council or shared) and _transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot use the shared cast or council; "
                "it makes its own with make_cast()."
            )
        if council and shared:
            raise pytest.UsageError(f"{item.nodeid}: the small council's tests have no cast.")
        module = item.nodeid.split("::")[0]
        modules.setdefault(module, len(modules))
        if len(module_data.setdefault(module, set()) | shared) > 1:
            raise pytest.UsageError(f"{module}: one fixture of data made once a module, at most.")
        module_data[module] |= shared

    def order(indexed: tuple[int, pytest.Item]) -> tuple[bool, int, bool, int]:
        index, item = indexed
        module = modules[item.nodeid.split("::")[0]]
        return (not _uses(item, "small_council"), module, bool(_module_data(item)), index)

    items[:] = [item for _, item in sorted(enumerate(items), key=order)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, None, None]:
    """Rolls the small council back as soon as its last test has ended."""
    try:
        return (yield)
    finally:
        if _council and _uses(item, "small_council") and not _uses(nextitem, "small_council"):
            _council[0].roll_back()


# --- The browser tests (marker `browser`) ----------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM}: `make test` installs it.")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # bypass_csp only lets the test inject axe-core; the pages' own scripts obey the CSP.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
