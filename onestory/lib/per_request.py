"""What one request works out once and every feature on its page shares.

A home is built from six or seven features, and several ask for the same thing: the
need-to-know list filter (`families.access.families_for`), the supervision standards. Each
feature asks for what it needs and stays unaware of the others; `once` makes the second
asking free. What is kept lives for one request (`OncePerRequestMiddleware`) and is never
shared between requests, users or threads: a ContextVar, reset when the request ends.

Keep only what cannot go stale within a request in a way that matters: a lazy queryset (its
SQL runs afresh each time it is used) or a row the request itself would change through the
same object. Outside a request (commands, the task worker, tests calling functions directly)
nothing is kept and each call works it out afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.http import HttpRequest

T = TypeVar("T")

_kept: ContextVar[dict[Hashable, Any] | None] = ContextVar("per_request", default=None)


@contextmanager
def one_request() -> Iterator[None]:
    """Within the block, `once` keeps what it makes."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


class OncePerRequestMiddleware:
    """Every request in `one_request`."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        with one_request():
            return self.get_response(request)


def once(key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, kept under `key` for the rest of the request. Name the key after the module
    that owns it, with whatever the value depends on: ("families_for", user.pk, action)."""
    kept = _kept.get()
    if kept is None:
        return make()
    if key not in kept:
        kept[key] = make()
    return cast(T, kept[key])
