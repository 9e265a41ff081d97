"""Tests of itemsrel.claims: the verdict rule on constructed per-seed values, and the table text."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.claims import (
    CLEAR,
    NOT_REPRODUCED,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    WEAK,
    claim_verdict,
    claims_table,
    paired_claim,
    threshold_verdict,
)


def _claim(a, b, min_effect=0.05):
    return paired_claim("A beats B", "score", "A", a, "B", b, min_effect=min_effect)


def test_verdict_rule() -> None:
    b = np.zeros(20)
    assert _claim(np.full(20, 0.2), b).verdict == CLEAR
    # 2 of 20 seeds contradict (10 %) and the mean gap is 0.15: still clear; 3 of 20: weak
    assert _claim(np.r_[np.full(18, 0.2), np.full(2, -0.3)], b).verdict == CLEAR
    assert _claim(np.r_[np.full(17, 0.3), np.full(3, -0.3)], b).verdict == WEAK
    # ties (both at a ceiling) neither agree nor contradict: 9 ties, 11 agree, none against
    ceiling = _claim(np.ones(20), np.r_[np.ones(9), np.full(11, 0.8)])
    assert (ceiling.agreeing, ceiling.contradicting) == (11, 0)
    assert ceiling.verdict == CLEAR
    # consistent but tiny: weak
    assert _claim(np.full(20, 0.01), b).verdict == WEAK
    # 7 of 20 contradict (35 %): not reproduced even with a large mean
    assert _claim(np.r_[np.full(13, 0.5), np.full(7, -0.1)], b).verdict == NOT_REPRODUCED
    # wrong direction, or no effect with as many seeds for as against
    assert _claim(np.full(20, -0.2), b).verdict == NOT_REPRODUCED
    assert _claim(np.r_[np.full(10, 0.02), np.full(10, -0.02)], b).verdict == NOT_REPRODUCED
    assert _claim(np.full(20, 0.004), b).verdict == NOT_REPRODUCED  # all ties


def test_validation() -> None:
    with pytest.raises(ValueError, match="finite"):
        _claim([0.1, np.nan], [0.0, 0.0])
    with pytest.raises(ValueError, match="one value per seed"):
        _claim([0.1, 0.2, 0.3], [0.0, 0.0])
    with pytest.raises(ValueError, match="min_effect"):
        _claim([0.1, 0.2], [0.0, 0.0], min_effect=-1)


def test_table_text() -> None:
    c = _claim([0.9, 0.8, 1.0], [0.5, 0.4, 0.6])
    t = claims_table([c])
    row = t.loc["A beats B"]
    assert row["A"] == "A: 0.90 ± 0.10"
    assert row["B"] == "B: 0.50 ± 0.10"
    assert row["A − B"] == "0.40 ± 0.00"
    assert row["seeds A > B / A < B"] == "3 / 0"
    assert row["verdict"] == CLEAR


@pytest.mark.parametrize(
    ("holds", "verdict"),
    [([True, True], SUPPORTED), ([True, False, False], PARTLY), ([False], NOT_SUPPORTED)],
)
def test_claim_verdict_over_settings(holds, verdict):
    assert claim_verdict(holds) == verdict
    assert claim_verdict(np.array(holds)) == verdict
    with pytest.raises(ValueError, match="at least one"):
        claim_verdict([])


@pytest.mark.parametrize(
    ("clear", "weak", "verdict"),
    [
        (True, True, CLEAR),
        (True, False, CLEAR),
        (False, True, WEAK),
        (False, False, NOT_REPRODUCED),
    ],
)
def test_threshold_verdict(clear, weak, verdict):
    assert threshold_verdict(clear, weak) == verdict
