"""What the family page shows of the story: each child's status, worker and what is due, and
the first page of the timeline. A fixed number of queries, whatever the story's length."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict

from onestory.families.models import Family, Person
from onestory.outcomes.continuity import worker_since_sentences
from onestory.stories import visiting
from onestory.stories.timeline import family_story


def story_context(
    family: Family, children: list[Person], params: QueryDict, today: date
) -> dict[str, Any]:
    status = visiting.statuses(children, today)
    sentences = (
        worker_since_sentences(
            children,
            today,
        )
        if children
        else {}
    )
    return {
        "child_rows": [
            (child, status.get(child.pk), sentences.get(child.pk)) for child in children
        ],
        "due": visiting.due_for(children, today, status=status),
        "story": family_story(family, params, children),
    }
