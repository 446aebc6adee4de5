"""Cohen's kappa with linear weights, against a hand-computed example."""

from __future__ import annotations

from onestory.audits.agreement import weighted_kappa


def test_linear_weighted_kappa_by_hand() -> None:
    # Ten pairs (auditor, moderator) on the 4-point scale:
    pairs = [(1, 1), (2, 2), (2, 2), (2, 3), (3, 3), (3, 3), (3, 2), (4, 4), (2, 2), (1, 2)]
    # Agreed: 7 of 10. Disagreement weights |i-j|/3; the three disagreements are one step
    # each: observed = 3 * (1/3) / 10 = 0.1.
    # Auditor's totals by grade 1..4: 2, 4, 3, 1; moderator's: 1, 5, 3, 1.
    # Expected = sum_ij w_ij r_i c_j / n^2:
    #   i=1 (r=2): c=(1,5,3,1) w=(0,1/3,2/3,1) -> 2*(5/3 + 2 + 1) = 2*14/3 = 28/3
    #   i=2 (r=4): w=(1/3,0,1/3,2/3) -> 4*(1/3 + 1 + 2/3) = 8
    #   i=3 (r=3): w=(2/3,1/3,0,1/3) -> 3*(2/3 + 5/3 + 1/3) = 8
    #   i=4 (r=1): w=(1,2/3,1/3,0) -> 1*(1 + 10/3 + 1) = 16/3
    #   total 28/3 + 8 + 8 + 16/3 = 92/3; / 100 = 0.30667
    # kappa = 1 - 0.1 / 0.30667 = 0.67391
    result = weighted_kappa(pairs)
    assert result.pairs == 10
    assert result.agreed == 7
    assert result.percent == 70.0
    assert result.kappa == 0.674


def test_full_agreement_and_nothing_to_compare() -> None:
    assert weighted_kappa([(1, 1), (2, 2), (4, 4)]).kappa == 1.0
    assert weighted_kappa([]).kappa is None
    assert weighted_kappa([]).percent is None
    # One grade given to everything by both: agreement is total but kappa is undefined.
    assert weighted_kappa([(2, 2), (2, 2)]).kappa is None
