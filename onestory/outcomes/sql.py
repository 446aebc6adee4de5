"""Raw SQL for the measures, written with named parameters and run with positional ones.

The demo council is seeded inside `pgtrigger.ignore()`, which prefixes every statement with a
positional parameter of its own; psycopg refuses a statement that mixes the two styles. So the
named placeholders are turned into positional ones, in order, before the statement is run.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection

_NAMED = re.compile(r"%\((\w+)\)s")


def positional(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """ "a = %(x)s OR b = %(x)s" with {"x": 1} -> ("a = %s OR b = %s", [1, 1])."""
    names = _NAMED.findall(sql)
    return _NAMED.sub("%s", sql), [params[name] for name in names]


def rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """All the rows of one statement."""
    text, values = positional(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(text, values)
        return list(cursor.fetchall())
