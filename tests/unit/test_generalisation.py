"""Generalisation metrics on networks whose losses are known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X, PAPER_X_PRIME
from itemsrel.generalisation import METRICS, TestPatterns, generalisation_metrics
from itemsrel.linear_theory import projector


def test_pattern_sets_of_xprime():
    tp = TestPatterns.of(PAPER_X_PRIME)
    assert tp.span.tolist() == [[0, 0, 0], [0, 1, 1]]
    assert tp.consistent.tolist() == [[0, 0, 0], [0, 1, 1], [1, 0, 0], [1, 1, 1]]
    assert tp.group.order() == 2


def test_projector_on_xprime():
    m = generalisation_metrics(projector(PAPER_X_PRIME), PAPER_X_PRIME, "linear")
    assert set(m) == set(METRICS)
    assert m["train_loss"][0] == pytest.approx(0.0, abs=1e-15)
    assert m["span_loss"][0] == pytest.approx(0.0, abs=1e-15)
    # 100 and 111 lose their first unit: loss 1/3 each; 000 and 011 are exact -> mean 1/6
    assert m["consistent_loss"][0] == pytest.approx(1 / 6)
    assert m["mean_abs_preactivation"][0] == pytest.approx(1 / 3)  # one 1 among 3 units per item
    assert m["invariance_distance"][0] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("w", [0.5, 2.0, 4.0])
def test_tanh_on_the_span_costs_twice_the_training_loss(w):
    # W = w P on X': items output tanh(w) on one unit, 011 on two units.
    m = generalisation_metrics(w * projector(PAPER_X_PRIME), PAPER_X_PRIME, "tanh")
    train = (1 - np.tanh(w)) ** 2 / 3
    assert m["train_loss"][0] == pytest.approx(train)
    assert m["span_loss"][0] == pytest.approx(
        (0 + 2 * train * 3 / 3) / 2
    )  # (000: 0, 011: 2·train)/2
    assert m["mean_abs_preactivation"][0] == pytest.approx(w / 3)


def test_sigmoid_cannot_reproduce_the_zero_pattern():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(5, 3, 3)) * 3
    m = generalisation_metrics(W, PAPER_X, "sigmoid")
    # X's only unseen span pattern is 000, whose output is sigmoid(0) = 1/2 on every unit
    np.testing.assert_allclose(m["span_loss"], 0.25)
    assert m["train_loss"].shape == (5,)


def test_invariance_distance_of_a_swap_breaking_matrix():
    W = np.zeros((3, 3))
    W[1, 0] = 1.0  # (2 3) would need W[2, 0] = 1 as well
    m = generalisation_metrics(W, PAPER_X_PRIME, "linear")
    assert m["invariance_distance"][0] == pytest.approx(np.sqrt(0.5))


def test_shift_is_removed_from_the_preactivation():
    from itemsrel.activations import get_activation

    phi = get_activation("tanh", shift=0.5)
    m = generalisation_metrics(np.zeros((3, 3)), PAPER_X_PRIME, phi)
    assert m["mean_abs_preactivation"][0] == pytest.approx(0.5)


def test_bad_weights_raise():
    with pytest.raises(ValueError, match="shape"):
        generalisation_metrics(np.zeros((2, 4, 4)), PAPER_X, "linear")
    with pytest.raises(ValueError, match="non-finite"):
        generalisation_metrics(np.full((3, 3), np.nan), PAPER_X, "linear")
