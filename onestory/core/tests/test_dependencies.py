"""Foreign keys and model imports point one way (docs/decisions/0010-one-way-dependencies.md).

lib -> core -> accounts -> exports -> pods -> families -> stories -> supervision -> audits ->
surveys -> feedback -> preproceedings -> outcomes -> returns -> retention, with demo last: a
model may refer to models of its own app or of an earlier one, never a later one. Pages (views,
forms, page builders) may read anything; only the models are held to the order, because a link
that runs back ties a council's tables together in a way no later migration can untie.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ORDER = [
    "lib",
    "core",
    "accounts",
    "exports",
    "pods",
    "families",
    "stories",
    "supervision",
    "audits",
    "surveys",
    "feedback",
    "preproceedings",
    "outcomes",
    "returns",
    "retention",
    "demo",
]
ROOT = Path(__file__).resolve().parents[2]


def rank(app_label: str) -> int:
    return ORDER.index(app_label)


def our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("onestory.")]


def model_modules() -> list[Path]:
    found = []
    for app in ORDER:
        package = ROOT / app
        found += [package / "models.py"] if (package / "models.py").exists() else []
        found += sorted((package / "models").glob("*.py"))
    return found


def test_the_order_names_every_app_with_models() -> None:
    labels = {m._meta.app_label for m in our_models()}
    assert {"accounts", "pods", "families", "stories", "demo"} <= labels
    assert labels <= set(ORDER)


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_foreign_keys_point_to_the_same_or_an_earlier_app(model: type[models.Model]) -> None:
    here = model._meta.app_label
    backwards = [
        f"{field.name} -> {field.related_model._meta.label}"
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and isinstance(field.related_model, type)
        and field.related_model.__module__.startswith("onestory.")
        and rank(field.related_model._meta.app_label) > rank(here)
    ]
    # Reverse relations are not concrete; many-to-many fields are declared on this model, so
    # they are checked the same way.
    backwards += [
        f"{field.name} -> {field.related_model._meta.label}"
        for field in model._meta.local_many_to_many
        if field.related_model.__module__.startswith("onestory.")
        and rank(field.related_model._meta.app_label) > rank(here)
    ]
    assert backwards == []


@pytest.mark.parametrize("path", model_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_model_modules_import_only_earlier_apps_by_name(path: Path) -> None:
    here = path.relative_to(ROOT).parts[0]
    tree = ast.parse(path.read_text())
    imported = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [n for n in imported if any(alias.name == "*" for alias in n.names)]
    later = [
        n.module
        for n in imported
        if n.module
        and n.module.startswith("onestory.")
        and n.module.split(".")[1] in ORDER
        and rank(n.module.split(".")[1]) > rank(here)
    ]
    assert later == []


def test_the_checks_catch_a_link_that_runs_back() -> None:
    # The test above would pass vacuously if the walk found nothing: show it finds a real
    # cross-app link, and that the order would refuse it were it reversed.
    from onestory.stories.models import Entry

    family = Entry._meta.get_field("family")
    assert family.related_model._meta.app_label == "families"
    assert rank("families") < rank("stories")
    assert len(model_modules()) >= 6
