"""The load test's verdict (scripts/load.py, `make load`), read from locust's own CSV."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]
HEADER = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%\n"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_script", ROOT / "scripts" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_page_nobody_opened_is_reported_not_a_crash_and_the_rest_decide(
    tmp_path: Path,
) -> None:
    stats = tmp_path / "stats.csv"
    stats.write_text(
        HEADER
        + "GET,family page,900,0,5.0,80,300,450\n"
        + "GET,outcomes report,0,0,0.0,N/A,N/A,N/A\n"
        + ",Aggregated,900,0,5.0,80,300,450\n"
    )
    log = tmp_path / "access.log"
    log.write_text("x 81000 family page\nx 120000 family page\n")
    ok, worst, lines = load_script().report(stats, log, 180)
    assert ok and worst == "family page"
    assert any("outcomes report" in line and "no requests" in line for line in lines)
    family = next(line for line in lines if line.startswith("family page"))
    assert "300" in family and "over budget" not in family


def test_a_page_over_the_budget_fails_the_run(tmp_path: Path) -> None:
    stats = tmp_path / "stats.csv"
    stats.write_text(
        HEADER + "GET,pod page,150,0,0.8,170,520,640\n" + ",Aggregated,150,0,0.8,170,520,640\n"
    )
    ok, worst, lines = load_script().report(stats, tmp_path / "none.log", 180)
    assert not ok and worst == "pod page"
    assert any(line.startswith("pod page") and "over budget" in line for line in lines)


def test_server_times_cover_the_steady_state_only(tmp_path: Path) -> None:
    """The arrival, each worker's first requests among them, is left out of the server
    columns as locust leaves it out of its own."""
    stats = tmp_path / "stats.csv"
    stats.write_text(HEADER + "GET,home,2,0,1.0,90,95,95\n" + ",Aggregated,2,0,1.0,90,95,95\n")
    log = tmp_path / "access.log"
    arrival = "x 900000 home\n" * 5
    log.write_text(arrival + "x 80000 home\nx 100000 home\n")
    script = load_script()
    _, _, lines = script.report(stats, log, 180, len(arrival.encode()))
    home = next(line for line in lines if line.startswith("home")).split()
    assert home[-2] == "90"  # server p50 of the two steady requests
    assert "900" not in home
    _, _, lines = script.report(stats, log, 180)
    assert next(line for line in lines if line.startswith("home")).split()[-1] == "900"
