from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from onestory.lib.readability import flesch, syllables


def test_plain_words_score_higher_than_jargon() -> None:
    plain = flesch("We went to the park. You told me you like the swings. It was fun.")
    hard = flesch(
        "Intergenerational vulnerabilities necessitate comprehensive multidisciplinary "
        "safeguarding interventions, notwithstanding parental ambivalence."
    )
    assert plain.score > 80 > 20 > hard.score
    assert plain.sentences == 3 and plain.words == 15
    assert "Plain English" in plain.verdict and "Hard to read" in hard.verdict


def test_syllables() -> None:
    assert [syllables(w) for w in ("cat", "table", "family", "safeguarding")] == [1, 2, 3, 4]


def test_empty_text() -> None:
    assert flesch("").words == 0 and flesch("  ...  ").verdict == "Nothing to score yet."


@given(st.text(max_size=500))
def test_any_text_gets_a_score(text: str) -> None:
    result = flesch(text)
    assert result.words >= 0 and isinstance(result.score, float)
