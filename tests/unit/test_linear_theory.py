"""Tests of itemsrel.linear_theory: projector, GD limit, off-plane loss, per-item training."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from itemsrel.analytic import PAPER_X, PAPER_X_PRIME, identify, linear_family, paper_eq6
from itemsrel.linear_theory import (
    gd_limit,
    loss_level_curve,
    projector,
    symbolic_pattern_loss,
    xprime_offplane_loss,
)
from itemsrel.patterns import all_patterns
from itemsrel.training import pattern_loss, train


def test_projector_of_paper_sets() -> None:
    P = projector(PAPER_X)
    np.testing.assert_allclose(P, np.array([[2, 1, 1], [1, 2, -1], [1, -1, 2]]) / 3, atol=1e-15)
    np.testing.assert_allclose(projector(PAPER_X_PRIME), np.diag([0.0, 1.0, 1.0]), atol=1e-15)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_projector_properties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = np.unique(rng.integers(0, 2, (4, 6)), axis=0)
    X = X[X.any(axis=1)]
    P = projector(X)
    np.testing.assert_allclose(P @ P, P, atol=1e-12)
    np.testing.assert_allclose(P, P.T, atol=1e-12)
    np.testing.assert_allclose(X @ P, X, atol=1e-12)  # items are fixed
    assert round(np.trace(P)) == np.linalg.matrix_rank(X)


def test_projector_with_dependent_items() -> None:
    X = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0]])  # rank 2
    np.testing.assert_allclose(projector(X), np.diag([1.0, 1.0, 0.0]), atol=1e-14)


def test_gd_limit_paper_values_and_batch() -> None:
    third = 1 / 3
    np.testing.assert_allclose(gd_limit(PAPER_X, np.zeros((3, 3))), projector(PAPER_X))
    W1 = gd_limit(PAPER_X, np.ones((3, 3)))
    np.testing.assert_allclose(
        W1, [[third, 2 * third, 2 * third], [0, 1, 0], [0, 0, 1]], atol=1e-14
    )
    batch = np.stack([np.zeros((3, 3)), np.ones((3, 3))])
    np.testing.assert_allclose(gd_limit(PAPER_X, batch)[1], W1)
    with pytest.raises(ValueError):
        gd_limit(PAPER_X, np.zeros((2, 2)))


def test_gd_limit_solves_the_task_and_is_in_the_family() -> None:
    rng = np.random.default_rng(5)
    W = gd_limit(PAPER_X, rng.normal(size=(3, 3)))
    np.testing.assert_allclose(PAPER_X @ W.T, PAPER_X, atol=1e-12)
    # member of the full (non-invariant) solution family, exactly
    assert identify(W, linear_family(PAPER_X)).residual < 1e-12
    # but in general not of the Σ_X-invariant one
    assert identify(W, paper_eq6("X")).residual > 1e-2


def test_symbolic_pattern_loss_xprime() -> None:
    F = paper_eq6("X'")
    a, b = F.params
    y, z = sp.symbols("y z")
    off = symbolic_pattern_loss(F, (1, y, z))
    assert sp.simplify(off - ((a - 1) ** 2 + 2 * b**2) / 3) == 0
    assert symbolic_pattern_loss(F, (0, y, z)) == 0
    with pytest.raises(ValueError):
        symbolic_pattern_loss(F, (1, 0))


def test_xprime_offplane_loss_matches_pattern_loss() -> None:
    F = paper_eq6("X'")
    pats = all_patterns(3)
    for a, b in [(0.0, 0.0), (0.3, -0.2), (1.5, 0.7)]:
        W = F.numeric({"a": a, "b": b})
        loss = pattern_loss(W, pats)
        expected = np.where(pats[:, 0] == 1, xprime_offplane_loss(a, b), 0.0)
        np.testing.assert_allclose(loss, expected, atol=1e-14)
    assert xprime_offplane_loss(0.0, 0.0) == pytest.approx(1 / 3)


def test_loss_level_curve() -> None:
    a, b = loss_level_curve(0.4251, n=37)
    assert a.shape == b.shape == (37,)
    np.testing.assert_allclose(xprime_offplane_loss(a, b), 0.4251, rtol=1e-12)
    # at a = 0 (the point on the curve with b > 0): 1 + 2 b² = 3·0.4251
    assert np.sqrt((3 * 0.4251 - 1) / 2) == pytest.approx(0.37101, abs=1e-5)
    with pytest.raises(ValueError):
        loss_level_curve(-1.0)


def _per_item_numpy(X, W0, optimizer, lr, epochs):
    """The book's former numpy loop: one item per step in row order, eq. 7 for that item
    (mean over its N entries), plain SGD or torch's Adam rule written out."""
    Xf = np.asarray(X, float)
    N = Xf.shape[1]
    W, m, v, t = np.array(W0, float), 0.0, 0.0, 0
    for _ in range(epochs):
        for x in Xf:
            g = np.outer((W @ x - x) * 2.0 / N, x)
            if optimizer == "sgd":
                W -= lr * g
                continue
            t += 1
            m = 0.9 * m + (1.0 - 0.9) * g
            v = 0.999 * v + (1.0 - 0.999) * g * g
            W -= (lr / (1 - 0.9**t)) * m / (np.sqrt(v) / np.sqrt(1 - 0.999**t) + 1e-8)
    return W


def _per_item(X, W0, optimizer, lr, epochs):
    K = len(X)
    res = train(X, W0=W0, optimizer=optimizer, lr=lr, steps=epochs * K, batch_size=1,
                sampling="cycle", device="cpu")  # fmt: skip
    return res.W[0]


def test_per_item_training_sgd_and_adam() -> None:
    # per-item SGD also fixes the items (and still preserves W0 (I − P): row space argument)
    W = _per_item(PAPER_X, np.zeros((3, 3)), "sgd", 0.5, 400)
    np.testing.assert_allclose(W, projector(PAPER_X), atol=1e-10)
    np.testing.assert_allclose(
        W, _per_item_numpy(PAPER_X, np.zeros((3, 3)), "sgd", 0.5, 400), atol=1e-13
    )
    # per-item Adam solves the task but lands off the projector, with rows 2 and 3 unequal
    Wa = _per_item(PAPER_X, np.zeros((3, 3)), "adam", 1e-2, 1000)
    np.testing.assert_allclose(
        Wa, _per_item_numpy(PAPER_X, np.zeros((3, 3)), "adam", 1e-2, 1000), atol=1e-12
    )
    np.testing.assert_allclose(PAPER_X @ Wa.T, PAPER_X, atol=2e-3)  # Adam hovers near a solution
    assert Wa[0, 0] == pytest.approx(0.5871, abs=1e-4)
    assert abs(Wa[1, 0] - Wa[2, 0]) > 3e-4
    # the reversed order mirrors rows 2 and 3 (the (2 3) swap of the items)
    Wr = _per_item(PAPER_X[::-1], np.zeros((3, 3)), "adam", 1e-2, 1000)
    np.testing.assert_allclose(Wr[[0, 2, 1]][:, [0, 2, 1]], Wa, atol=1e-12)
