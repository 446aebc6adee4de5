"""Raw SQL for the measures, written with named parameters and run with positional ones.

The demo council is seeded inside `pgtrigger.ignore()`, which prefixes every statement with a
positional parameter of its own; psycopg refuses a statement that mixes the two styles. So the
named placeholders are turned into positional ones, in order, before the statement is run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
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


# --- Many days at once: events in a window, and the workers in the pods ---------------------
#
# The model's processes (supervision, audit, compliments and complaints) are measured over a
# window to each day: the 28 days to it, the month to it, the financial year to it. A snapshot
# rebuild asks for years of months and every pod, so each measure gives all of them in one
# query; the function for one day asks the same query for that day, so there is one
# definition of each measure, not two. A window is (since, day), both days included.

Windows = Sequence[tuple[date, date]]
Counted = dict[tuple[date, int | None], tuple[int, int]]

_EVENTS = """
WITH w(day, since) AS (SELECT * FROM unnest(%(days)s::date[], %(since)s::date[]))
SELECT w.day, e.pod_id, GROUPING(e.pod_id) AS total, count(*), count(*) FILTER (WHERE e.hit)
FROM w JOIN ({events}) e(at, pod_id, hit) ON e.at BETWEEN w.since AND w.day
GROUP BY GROUPING SETS ((w.day, e.pod_id), (w.day))
"""


def events_in(events: str, windows: Windows, params: dict[str, Any] | None = None) -> Counted:
    """`events` is a SELECT of (day it happened, pod or NULL, whether it is a hit). For each
    window, the events in it and the hits among them, for the service (pod None) and each pod
    with an event: one query. Windows with no event are left out."""
    found: Counted = {}
    if not windows:
        return found
    query = _EVENTS.format(events=events)
    every = {"days": [day for _, day in windows], "since": [since for since, _ in windows]}
    for day, pod_id, total, n, hits in rows(query, {**(params or {}), **every}):
        found[(day, None if total else pod_id)] = (n, hits)
    return found


# Members of a pod on each day in a social-work post, with a value each (`per_worker`, an SQL
# expression on w.day, w.since, m.staff_id and s.user_id): a worker in two pods counts once
# for the service and once in each pod.
_WORKERS = """
WITH w(day, since) AS (SELECT * FROM unnest(%(days)s::date[], %(since)s::date[])),
posts AS (
    SELECT DISTINCT w.day, m.pod_id, m.staff_id, ({per_worker})::int AS x
    FROM w
    JOIN pods_podmembership m
      ON m.start <= w.day AND (m."end" IS NULL OR m."end" > w.day) AND m.role = ANY(%(posts)s)
    JOIN pods_staff s ON s.id = m.staff_id
)
SELECT day, NULL, count(*), sum(x) FROM (SELECT DISTINCT day, staff_id, x FROM posts) one
GROUP BY day
UNION ALL
SELECT day, pod_id, count(*), sum(x) FROM posts GROUP BY day, pod_id
"""


def over_workers(
    per_worker: str, windows: Windows, posts: Sequence[str], params: dict[str, Any] | None = None
) -> Counted:
    """For each window's day, the workers in `posts` and the sum of their `per_worker` values,
    for the service (pod None) and each pod with workers: one query."""
    found: Counted = {}
    if not windows:
        return found
    query = _WORKERS.format(per_worker=per_worker)
    every = {
        "days": [day for _, day in windows],
        "since": [since for since, _ in windows],
        "posts": list(posts),
    }
    for day, pod_id, n, total in rows(query, {**(params or {}), **every}):
        found[(day, pod_id)] = (int(n), int(total or 0))
    return found
