"""The gain of regularised networks on the line W = w·P: closed forms and trained networks."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X, PAPER_X_PRIME
from itemsrel.gain import critical_strength, gain, stationary_strength
from itemsrel.linear_theory import projector
from itemsrel.patterns import disjoint_blocks
from itemsrel.training import train


def test_l2_critical_strength_of_tanh_on_xprime_closed_form():
    # X' = {010, 001}: K = 2, N = 3, n1 = 2, P = diag(0, 1, 1).
    # λ(w) = -L'(w)/R'(w) with L = (tanh w - 1)²/3 and R = 2 w²/9 gives
    # λ(w) = 3 (1 - tanh w) sech² w / (2 w); at w = 1: 0.150186506...
    t = np.tanh(1.0)
    expected = 1.5 * (1 - t) * (1 - t**2)
    assert critical_strength(PAPER_X_PRIME, "tanh", "l2") == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.1501865061, abs=1e-10)


def test_rate_penalty_fixes_the_output_level():
    # rate: λ = (1 - φ(w)) / φ(w), so the stored output is φ(w) = 1/(1 + λ) for any activation.
    for lam in (0.05, 0.5, 2.0):
        w = gain(PAPER_X_PRIME, "tanh", "rate", lam)
        assert np.tanh(w) == pytest.approx(1 / (1 + lam), rel=1e-10)
        assert gain(PAPER_X_PRIME, "linear", "rate", lam) == pytest.approx(1 / (1 + lam), rel=1e-10)


def test_linear_gain_is_below_one_for_any_penalty():
    for penalty in ("l1", "l2", "rate"):
        assert gain(PAPER_X_PRIME, "linear", penalty, 1e-3) < 1.0
        assert critical_strength(PAPER_X_PRIME, "linear", penalty) == pytest.approx(0.0, abs=1e-15)


def test_strong_l1_switches_every_weight_off():
    # For l1, λ(w → 0) is finite: 2 n1/(K N) / (Σ|P|/N²) = (2·2/6)/(2/9) = 3 for X'.
    assert stationary_strength(PAPER_X_PRIME, "linear", "l1", 1e-12) == pytest.approx(3.0)
    assert gain(PAPER_X_PRIME, "linear", "l1", 3.5) == 0.0


@pytest.mark.parametrize("X", [PAPER_X_PRIME, disjoint_blocks(3, 2)], ids=["Xprime", "pairs"])
@pytest.mark.parametrize("penalty", ["l1", "l2", "rate"])
@pytest.mark.parametrize("strength", [0.05, 0.4])
def test_trained_zero_init_tanh_networks_sit_at_the_predicted_gain(X, penalty, strength):
    res = train(
        X,
        "tanh",
        "zeros",
        "sgd",
        lr=1.0,
        steps=10_000,
        seeds=[0],
        regularization={penalty: strength},
        device="cpu",
    )
    assert res.grad_max[0] < 1e-9  # trained to convergence
    w = gain(X, "tanh", penalty, strength)
    np.testing.assert_allclose(res.W[0], w * projector(X), atol=1e-8)


def test_items_stop_being_fixed_points_below_the_critical_strength():
    from itemsrel.dynamics import fixed_points

    lam_c = critical_strength(PAPER_X_PRIME, "tanh", "l2")
    for lam, expected in ((0.8 * lam_c, 9), (1.2 * lam_c, 1)):
        w = gain(PAPER_X_PRIME, "tanh", "l2", lam)
        fps = fixed_points(np.diag([0.0, w, w]), "tanh")
        assert len(fps) == expected  # 3 x 3 combinations of {-x*, 0, x*} in units 2, 3; or 0 only


@pytest.mark.parametrize(
    ("X", "activation", "penalty", "message"),
    [
        (PAPER_X, "tanh", "l2", "orthogonal items"),
        (PAPER_X_PRIME, "sigmoid", "l2", "φ\\(0\\)"),
        (PAPER_X_PRIME, "tanh", "level", "off the line"),
    ],
)
def test_outside_the_setting_raises(X, activation, penalty, message):
    with pytest.raises(ValueError, match=message):
        gain(X, activation, penalty, 0.1)


def test_bad_strength_and_gain_raise():
    with pytest.raises(ValueError, match="strength"):
        gain(PAPER_X_PRIME, "tanh", "l2", 0.0)
    with pytest.raises(ValueError, match="positive"):
        stationary_strength(PAPER_X_PRIME, "tanh", "l2", -1.0)
