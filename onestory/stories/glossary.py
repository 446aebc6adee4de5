"""Hints for jargon and acronyms, from the glossary kept beside this file (glossary.txt)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).with_name("glossary.txt")


@dataclass(frozen=True)
class Hint:
    term: str
    advice: str


@cache
def _terms() -> list[tuple[re.Pattern[str], Hint]]:
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or " = " not in line:
            continue
        term, advice = (part.strip() for part in line.split(" = ", 1))
        # An acronym in capitals matches only in capitals: "CP" is jargon, "cp" is not a word.
        flags = 0 if term.isupper() else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)
        terms.append((pattern, Hint(term=term, advice=advice)))
    return terms


def hints(text: str) -> list[Hint]:
    """The glossary's terms found in the text, in glossary order, each once."""
    return [hint for pattern, hint in _terms() if pattern.search(text)]
