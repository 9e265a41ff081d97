"""itemsrel.paper: the printed numbers are the paper's, and consistent with its own formulas."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from itemsrel import paper
from itemsrel.linear_theory import projector


def test_printed_matrices_solve_wx_equals_x_to_printing_precision():
    for name, W in paper.W_READ.items():
        W = np.array(W)
        assert np.abs(W @ paper.X.T - paper.X.T).max() < 2e-3, name
    # the misprint: as printed, W_0^ADAM's first row breaks the (2 3) symmetry of the others
    printed = np.array(paper.W_PRINTED["W_0^ADAM"])
    assert np.abs(printed @ paper.X.T - paper.X.T).max() == pytest.approx(3.6e-4, abs=1e-12)
    read = paper.W_READ["W_0^ADAM"]
    assert read[0][1] == read[0][2] and printed[0, 1] != printed[0, 2]


def test_reading_changes_only_the_documented_entry():
    assert list(paper.W_READ) == [k for k in paper.W_PRINTED if k != "EW_0^SGD"]
    for k, W in paper.W_READ.items():
        diff = np.array(W) != np.array(paper.W_PRINTED[k])
        assert diff.sum() == (1 if k == "W_0^ADAM" else 0)
    assert paper.W_PRINTED["W_0^ADAM"][0][1] == 0.45004 and paper.W_READ["W_0^ADAM"][0][1] == 0.4504
    assert "W_0^ADAM[0][1]" in paper.MISPRINTS


def test_ew0_is_the_projector_and_table1_linear_losses():
    assert np.allclose(paper.W_PRINTED["EW_0^SGD"], projector(paper.X), atol=5e-5)
    assert paper.TABLE1_PATTERNS.shape == (8, 3)
    assert all(len(v) == 8 for v in paper.TABLE1.values())
    # the linear network's loss on 1/x/y patterns: 0.4251 for all four, as printed
    P = projector(paper.X_PRIME)
    loss = ((paper.TABLE1_PATTERNS @ P.T - paper.TABLE1_PATTERNS) ** 2).mean(axis=1)
    assert np.allclose(loss[4:], 1 / 3, atol=1e-12)  # the projector's loss; the paper's W differs
    assert np.allclose(loss[:4], 0.0) and paper.TABLE1["id"][:4] == [0, 0, 0, 0]


def test_printed_spectrum_and_its_misprint():
    a, b = sp.symbols("a b")
    assert paper.spectrum_printed("X'", a, b) == [a, 1, 1]
    W = paper.paper_eq6("X").W
    third = sp.simplify(W.trace() - 2)  # the eigenvalues are {λ3, 1, 1}
    syms = sorted(W.free_symbols, key=str)
    assert sp.simplify(third - (1 - syms[0] + 2 * syms[1])) == 0
    assert sp.simplify(third - paper.spectrum_printed("X", syms[0], syms[1])[0]) != 0
    with pytest.raises(ValueError, match="which"):
        paper.spectrum_printed("Y", a, b)


def test_quotes_and_scalars():
    assert paper.TANH_ORIGIN_EIGENVALUES == (2.43, 2.43)
    assert set(paper.QUOTED_AB) == {"W_0^SGD", "W_1^SGD", "W_0^ADAM", "W_1^ADAM"}
    assert paper.SIGMA_X_ORDER == 2 and paper.EQ5_FREE_PARAMETERS == 5
