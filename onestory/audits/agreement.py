"""Agreement between auditor and moderator on the ordered scale: % agreement and Cohen's kappa
with linear weights.

Why linear: the four grades are ordered, and moderation samples are small. Linear weights credit
a pair by 1 - |i - j| / 3: one step apart 2/3, two steps 1/3, three steps nothing. Quadratic
weights would forgive one step more (8/9) and let a few far-apart pairs dominate, which in a
sample of a dozen moderated audits overstates agreement when most disagreements are one step.

kappa_w = 1 - sum(w_ij * observed_ij) / sum(w_ij * expected_ij), w_ij = |i - j| / (k - 1) the
disagreement weight, expected from the two raters' own marginal totals. None when it is
undefined (no pairs, or both raters gave one and the same grade to everything).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GRADES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Agreement:
    pairs: int
    agreed: int
    kappa: float | None

    @property
    def percent(self) -> float | None:
        return round(100 * self.agreed / self.pairs, 1) if self.pairs else None


def weighted_kappa(pairs: Iterable[tuple[int, int]], *, categories: int = 4) -> Agreement:
    """Agreement over (auditor's grade, moderator's grade) pairs, grades 1 to `categories`."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return Agreement(0, 0, None)
    k = categories
    observed = [[0] * k for _ in range(k)]
    for a, b in pairs:
        observed[a - 1][b - 1] += 1
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = [[abs(i - j) / (k - 1) for j in range(k)] for i in range(k)]
    seen = sum(weight[i][j] * observed[i][j] for i in range(k) for j in range(k)) / n
    chance = sum(weight[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k)) / (n * n)
    agreed = sum(observed[i][i] for i in range(k))
    kappa = None if chance == 0 else round(1 - seen / chance, 3)
    return Agreement(n, agreed, kappa)
