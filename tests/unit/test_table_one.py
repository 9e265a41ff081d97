"""Table 1 as an inverse problem (itemsrel.table_one)."""

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X_PRIME
from itemsrel.table_one import (
    TABLE1_PATTERNS,
    fit_column,
    model_table,
    model_weights,
    trained_columns,
)
from itemsrel.training import pattern_loss, train


def test_model_matches_training_from_the_column():
    # gradient descent from [c | 0] keeps c and grows columns 2, 3 as in trained_columns
    c = np.array([0.4, -0.3, 0.7])
    W0 = np.column_stack([c, np.zeros((3, 2))])
    r = train(PAPER_X_PRIME, "tanh", optimizer="sgd", lr=0.1, steps=2000, W0=W0, device="cpu")
    W = r.W[0]
    np.testing.assert_allclose(W[:, 0], c, atol=0)
    np.testing.assert_allclose(W, model_weights(c, "tanh", W[1, 1]), atol=1e-12)
    rs = train(PAPER_X_PRIME, "sigmoid", optimizer="sgd", lr=0.3, steps=2000, W0=W0, device="cpu").W[0]
    np.testing.assert_allclose(rs, model_weights(c, "sigmoid", rs[1, 1]), atol=1e-12)
    np.testing.assert_allclose(model_table(c, "tanh", W[1, 1]), pattern_loss(W, TABLE1_PATTERNS, "tanh"))


def test_inversion_recovers_a_known_column():
    c_true, g_true = np.array([0.3, -0.45, 0.2]), 2.2
    synthetic = {"linear": np.round(model_table(c_true, "linear"), 4),
                 "tanh": np.round(model_table(c_true, "tanh", g_true), 4)}
    fits = fit_column(["linear", "tanh"], synthetic, starts=30)
    assert fits[0].within
    # rounding can leave more than one column within tolerance; the true one must be among them
    hit = [f for f in fits if f.within and np.allclose(f.c, c_true, atol=2e-3)]
    assert hit
    assert hit[0].gains["tanh"] == pytest.approx(g_true, abs=0.05)  # rounded in-plane rows pin it loosely
    # unrounded table: exact recovery
    exact = {"linear": model_table(c_true, "linear"), "tanh": model_table(c_true, "tanh", g_true)}
    best = fit_column(["linear", "tanh"], exact, starts=30, tol=1e-9)[0]
    np.testing.assert_allclose(best.c, c_true, atol=1e-6)


def test_fixed_column_fits_only_the_gain():
    c = np.array([0.1, 0.2, 0.3])
    table = {"sigmoid": model_table(c, "sigmoid", 3.5)}
    best = fit_column(["sigmoid"], table, c=c, starts=5, tol=1e-9)[0]
    assert best.gains["sigmoid"] == pytest.approx(3.5, abs=1e-6)
    np.testing.assert_array_equal(best.c, c)


def test_errors():
    with pytest.raises(ValueError, match="activation"):
        trained_columns("relu")
    with pytest.raises(ValueError, match="shape"):
        model_weights([1, 2], "tanh")
    with pytest.raises(ValueError, match="empty"):
        fit_column([])


def test_retrain_reaches_the_gain():
    from itemsrel.table_one import retrain

    c = np.array([0.2, 0.1, -0.3])
    steps, W = retrain(c, "tanh", gain=1.5, lr=0.1, max_steps=5000)
    np.testing.assert_array_equal(W[:, 0], c)
    assert 1.5 <= W[1, 1] < 1.5 + 1e-3 and steps > 0
    steps2, W2 = retrain(c, "sigmoid", gain=2.0, lr=0.3, max_steps=5000)
    assert 2.0 <= W2[1, 1] < 2.0 + 5e-3 and steps2 > 0
    with pytest.raises(ValueError, match="not reached"):
        retrain(c, "tanh", gain=50.0, lr=0.1, max_steps=100)
