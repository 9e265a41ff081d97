"""λ₃, its angle with the plane, and the closed forms under gradient descent."""

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X
from itemsrel.linear_theory import gd_limit, projector
from itemsrel.third_eigenvalue import (
    gd_lambda3_normal,
    gd_mean_limit,
    lambda3_study,
    plane_basis,
    plane_spectrum,
    solves_to_precision,
)
from itemsrel.training import initial_weights


def test_plane_basis_of_X():
    Q, u = plane_basis(PAPER_X)
    np.testing.assert_allclose(u, np.array([1, -1, -1]) / np.sqrt(3), atol=1e-12)
    np.testing.assert_allclose(Q.T @ Q, np.eye(2), atol=1e-12)
    with pytest.raises(ValueError, match="dimension"):
        plane_basis([[1, 0, 0]])


def test_spectrum_matches_eig_and_closed_form():
    W0 = initial_weights("normal", 3, list(range(50)), 1.0)
    W = np.stack([gd_limit(PAPER_X, w) for w in W0])
    sp = plane_spectrum(W, PAPER_X)
    _, u = plane_basis(PAPER_X)
    np.testing.assert_allclose(sp.lambda3, np.einsum("i,bij,j->b", u, W0, u), atol=1e-12)  # λ3 = uᵀW0u
    assert sp.residual.max() < 1e-12
    for b in range(50):
        ev, V = np.linalg.eig(W[b])
        k = np.argmin(np.abs(ev - sp.lambda3[b]))
        assert abs(ev[k] - sp.lambda3[b]) < 1e-9
        v = np.real(V[:, k])
        angle = np.degrees(np.arcsin(min(1.0, abs(v @ u) / np.linalg.norm(v))))
        assert abs(angle - sp.angle_deg[b]) < 1e-6


def test_projector_and_ones():
    sp = plane_spectrum(projector(PAPER_X), PAPER_X)
    assert abs(sp.lambda3[0]) < 1e-12 and sp.angle_deg[0] == pytest.approx(90.0)
    sp1 = plane_spectrum(gd_limit(PAPER_X, np.ones((3, 3))), PAPER_X)
    assert sp1.lambda3[0] == pytest.approx(1 / 3)


def test_normal_closed_form():
    law = gd_lambda3_normal(1.0)
    assert law["p_unstable"] == pytest.approx(0.3173105, abs=1e-6)
    assert gd_lambda3_normal(0.05)["p_unstable"] < 1e-80
    with pytest.raises(ValueError, match="sigma"):
        gd_lambda3_normal(0.0)


def test_mean_limit_and_precision():
    P = projector(PAPER_X)
    np.testing.assert_allclose(gd_mean_limit(PAPER_X, np.zeros((3, 3))), P, atol=1e-15)
    half = gd_mean_limit(PAPER_X, np.full((3, 3), 0.5))
    np.testing.assert_allclose(half @ PAPER_X.T, PAPER_X.T, atol=1e-12)
    res, bound = solves_to_precision(np.round(P, 4), PAPER_X)
    assert res <= bound == pytest.approx(1e-4)
    res, _ = solves_to_precision([[0.6668, 0.3328, 0.3329], [0.3332, 0.6672, -0.3328], [0.3332, -0.3328, 0.6671]],
                                 PAPER_X)
    assert res == pytest.approx(4e-4, abs=1e-12)


def test_study_small(tmp_cache):
    out = lambda3_study(PAPER_X, n=20, laws=("zeros", "N(0,1)"), adam_steps=500)
    np.testing.assert_allclose(out["SGD", "zeros"]["lambda3"], 0.0, atol=1e-10)
    W0 = initial_weights("normal", 3, list(range(20)), 1.0)
    _, u = plane_basis(PAPER_X)
    np.testing.assert_allclose(out["SGD", "N(0,1)"]["lambda3"], np.einsum("i,bij,j->b", u, W0, u), atol=1e-8)
    with pytest.raises(ValueError, match="law"):
        lambda3_study(PAPER_X, n=20, laws=("cauchy",))


def test_normal_draw_plausibility():
    from itemsrel.third_eigenvalue import normal_draw_plausibility

    P = projector(PAPER_X)
    out = normal_draw_plausibility(P, PAPER_X)
    assert out["norm2"] < 1e-24 and out["p_below"] < 1e-30
    W0 = np.diag([1.0, 2.0, 3.0])
    _, u = plane_basis(PAPER_X)
    out = normal_draw_plausibility(gd_limit(PAPER_X, W0), PAPER_X)
    assert out["norm2"] == pytest.approx(float(np.sum((W0 @ u) ** 2)))
    assert out["p_below"] + out["p_above"] == pytest.approx(1.0)
