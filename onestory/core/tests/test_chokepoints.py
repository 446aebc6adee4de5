"""Every access decision goes through a chokepoint (CONTRIBUTING.md).

Pages never compare a user's role themselves: they ask `families.access` or `pods.access`,
where the table and the named role sets live, so that one change of rule changes every page
and the tests generated from the table. A page that decided by itself would drift from them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The homes table decides which parts each role's home has, as TABLE does for records.
CHOKEPOINTS = {
    ROOT / "families" / "access.py",
    ROOT / "pods" / "access.py",
    ROOT / "core" / "homes.py",
}
PAGES = sorted(
    path
    for pattern in ("*/*views*.py", "*/context_processors.py", "*/overview.py", "*/forms.py")
    for path in ROOT.glob(pattern)
    if path not in CHOKEPOINTS
)


def role_comparisons(source: str) -> list[str]:
    """`x.role == ...`, `x.role in ...` and the like, where x is a user or request.user."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        for side in (node.left, *node.comparators):
            if (
                isinstance(side, ast.Attribute)
                and side.attr == "role"
                and "user" in ast.unparse(side.value)
            ):
                found.append(ast.unparse(node))
        if (
            isinstance(node.left, ast.Call)
            and ast.unparse(node.left.func) == "getattr"
            and "'role'" in ast.unparse(node.left)
        ):
            found.append(ast.unparse(node))
    return found


def test_the_pages_are_found() -> None:
    names = {str(p.relative_to(ROOT)) for p in PAGES}
    assert {"stories/views.py", "core/views.py", "families/access_views.py"} <= names


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_ask_a_chokepoint_instead_of_comparing_roles(path: Path) -> None:
    assert role_comparisons(path.read_text()) == []


def test_the_check_finds_a_page_deciding_by_role() -> None:
    page = "def home(request):\n    if request.user.role in {Role.POD_MANAGER}:\n        pass\n"
    assert role_comparisons(page) == ["request.user.role in {Role.POD_MANAGER}"]
    assert role_comparisons("ok = getattr(user, 'role', None) == 'x'") != []
    assert role_comparisons("ok = member.role == PodRole.POD_MANAGER") == []
