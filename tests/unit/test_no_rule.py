"""Tests of itemsrel.no_rule: equivariance of invariant auto-associators, stable answers."""

from __future__ import annotations

import numpy as np
import pytest
from sympy.combinatorics import Permutation

from itemsrel.arc import generate_puzzles, network_answers
from itemsrel.no_rule import (
    binary_answers,
    end_states,
    equivariance_gaps,
    no_rule_check,
    rule_powers,
)
from itemsrel.patterns import all_patterns
from itemsrel.symmetry import act, act_on_matrix


def test_end_states_by_hand():
    W = np.array([[0.5, 0.0], [0.0, 2.0]])
    end, moved = end_states(W, [[1.0, 1.0]], "linear", iterations=3)
    np.testing.assert_allclose(end, [[0.125, 8.0]])
    np.testing.assert_allclose(moved, [4.0])
    with pytest.raises(ValueError):
        end_states(W, [[1.0, 1.0, 1.0]], "linear")


def test_rule_powers():
    assert [p.tolist() for p in rule_powers(Permutation([1, 2, 0]))] == [[1, 2, 0], [2, 0, 1]]
    assert [p.tolist() for p in rule_powers([0, 2, 1])] == [[0, 2, 1]]
    assert rule_powers([0, 1, 2]) == []


def test_invariant_weights_are_equivariant_and_others_are_not():
    rng = np.random.default_rng(1)
    s = [1, 0, 3, 2]  # (1 2)(3 4)
    A = rng.normal(size=(4, 4))
    W = (A + act_on_matrix(s, A)) / 2  # s·W = W
    gap, fixed = equivariance_gaps(W, "tanh", [s], iterations=30)
    assert gap.shape == (1, 16) and fixed.shape == (1, 16)
    assert gap.max() < 1e-12
    assert fixed[0].tolist() == [np.array_equal(act(s, x), x) for x in all_patterns(4)]
    gap_a, _ = equivariance_gaps(A, "tanh", [s], iterations=30)
    assert gap_a.max() > 1e-3


def test_a_rule_map_breaks_stability_not_equivariance():
    # x ↦ s·x is equivariant under s but never settles on a binary answer from a moved start
    s = [1, 0, 2]
    W = np.eye(3)[s]
    gap, _ = equivariance_gaps(W, "linear", [s], iterations=7)
    assert gap.max() == 0.0
    ans = binary_answers(W, [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], "linear", iterations=7)
    assert ans[0].tolist() == [-1, -1, -1]  # it oscillates between 100 and 010
    assert ans[1].tolist() == [1, 1, 0]  # fixed by s: settled


def test_binary_answers_readout():
    W = np.diag([1.0, 0.0, 0.5])
    out = binary_answers(W, [[1.0, 1.0, 1.0]], "linear", iterations=60)
    assert out.tolist() == [[1, 0, 0]]
    undecided = binary_answers(np.diag([1.0, 1.0]), [[0.5, 1.0]], "linear", iterations=3)
    assert undecided.tolist() == [[-1, -1]]


def test_check_reuses_the_scored_networks():
    puzzles = generate_puzzles(8, sizes=[3, 4], seed=7)
    df = no_rule_check(puzzles, "sigmoid", init="zeros", steps=200)
    ref = network_answers(puzzles, "sigmoid", init="zeros", steps=200)
    text = ["none" if a[0] < 0 else "".join(str(int(v)) for v in a) for a in ref.answers]
    assert df["answer"].tolist() == text
    assert df["kind"].tolist() == ref.kinds.tolist()
    np.testing.assert_allclose(df["asymmetry"], ref.rule_asymmetry, atol=1e-15)
    assert df["asymmetry"].max() < 1e-12  # zero start: the rule is written in exactly
    assert df["gap test"].max() < 1e-9
    assert not df["applies_rule"].any()
    assert set(df.columns) >= {"gap moved", "gap fixed", "stable", "N"}
