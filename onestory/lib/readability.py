"""How easy a piece of writing is to read: the Flesch reading ease score.

206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words). 60 to 70 is plain English
(what a 13 to 15 year old reads easily); below 50 is hard going for many families. Syllables are
counted by a rule of thumb (groups of vowels, less a silent final "e"), as most tools do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    word = word.lower().strip("'\u2019-")
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    return max(1, len(VOWEL_GROUPS.findall(word)))


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    score: float

    @property
    def verdict(self) -> str:
        if self.words == 0:
            return "Nothing to score yet."
        if self.score >= 60:
            return "Plain English: easy for most people to read."
        if self.score >= 50:
            return "Fairly hard to read. Try shorter sentences and everyday words."
        return "Hard to read. Try shorter sentences and everyday words."


def flesch(text: str) -> Readability:
    words = WORD.findall(text)
    if not words:
        return Readability(words=0, sentences=0, score=0.0)
    sentences = max(1, len(SENTENCE_END.findall(text.strip() + " ")))
    total = sum(syllables(w) for w in words)
    score = 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (total / len(words))
    return Readability(words=len(words), sentences=sentences, score=round(score, 1))
