"""`link` gives what `reverse` gives, for every URL in One Story, and takes `reverse`'s own way
for anything it cannot place."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from onestory.lib.urls import link


def _named_patterns() -> list[tuple[str, list[str]]]:
    """(namespaced name, converter of each argument) for every named URL."""
    found: list[tuple[str, list[str]]] = []

    def walk(resolver: URLResolver, namespace: str, converters: list[str]) -> None:
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            mine = [type(c).__name__ for c in getattr(pattern, "converters", {}).values()]
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner, converters + mine)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((namespace + entry.name, converters + mine))

    walk(get_resolver(), "", [])
    return found


VALUES: dict[str, Callable[[], object]] = {
    "UUIDConverter": uuid.uuid4,
    "IntConverter": lambda: 4711,
}


def test_every_url_with_ids_is_the_same_both_ways() -> None:
    checked = 0
    for name, converters in _named_patterns():
        if not converters or not set(converters) <= set(VALUES):
            continue
        args = [VALUES[c]() for c in converters]
        assert link(name, args) == reverse(name, args=args), name
        checked += 1
    assert checked > 80  # the families', stories', pods' and every feature's pages with ids


def test_what_it_cannot_place_goes_to_reverse() -> None:
    family = uuid.uuid4()
    # A string, a negative number and no arguments at all: reverse's own answers.
    assert link("families:detail", [str(family)]) == reverse("families:detail", args=[family])
    with pytest.raises(NoReverseMatch):
        link("pods:detail", [-1])
    assert link("core:home") == reverse("core:home") == "/"
    # A value of the wrong kind is refused, as reverse refuses it.
    with pytest.raises(NoReverseMatch):
        link("families:detail", [7])


def test_the_template_tag_links_as_djangos_does() -> None:
    family, person = uuid.uuid4(), uuid.uuid4()
    html = Template(
        "{% url 'families:detail' family %}|{% url 'families:person' uuid=person %}|"
        "{% url 'pods:detail' 3 as there %}{{ there }}|"
        "{% url 'no:such' as nothing %}[{{ nothing }}]"
    ).render(Context({"family": family, "person": person}))
    assert html == (
        f"/families/{family}/|{reverse('families:person', kwargs={'uuid': person})}|"
        f"{reverse('pods:detail', args=[3])}|[]"
    )
