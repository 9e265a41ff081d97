"""plane_loss and plane_points (itemsrel.generalisation), and the sweep's plane loss."""

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X, PAPER_X_PRIME
from itemsrel.generalisation import plane_loss, plane_points
from itemsrel.linear_theory import projector
from itemsrel.patterns import cyclic_shifts
from itemsrel.plane_sweep import sweep_plane_loss, with_plane_loss
from itemsrel.sweep import SweepConfig, run_sweep


def test_plane_points_of_the_paper_sets():
    pts = plane_points(PAPER_X_PRIME, grid=11)
    assert pts.shape == (121, 3)
    assert np.all(pts[:, 0] == 0)
    pts = plane_points(PAPER_X, grid=11)  # x1 = x2 + x3: pairs (i, j) with i + j <= 10
    assert pts.shape == (66, 3)
    np.testing.assert_allclose(pts[:, 0], pts[:, 1] + pts[:, 2], atol=1e-12)
    # the items and the zero pattern are grid points of the plane
    for x in [*PAPER_X, (0, 0, 0)]:
        assert np.any(np.all(np.isclose(pts, x), axis=1))


def test_plane_points_hexagon_obeys_its_one_constraint():
    X = cyclic_shifts([1, 1, 0, 0, 0, 0])  # span: alternating sum zero
    pts = plane_points(X, grid=3)
    alt = pts @ np.array([1, -1, 1, -1, 1, -1])
    np.testing.assert_allclose(alt, 0.0, atol=1e-12)
    # every grid point with alternating sum zero is found: count them directly
    g = np.stack(np.meshgrid(*[np.linspace(0, 1, 3)] * 6, indexing="ij"), -1).reshape(-1, 6)
    assert len(pts) == int(np.sum(np.isclose(g @ np.array([1, -1, 1, -1, 1, -1]), 0)))


def test_projector_keeps_the_plane_exactly():
    for X in (PAPER_X, PAPER_X_PRIME):
        assert plane_loss(projector(X), X, "linear") < 1e-28


def test_plane_loss_hand_computed_small_case():
    # W = 0, linear, X' and grid 3: points (0, a, b), a, b in {0, 1/2, 1}; loss (a² + b²)/3.
    # mean of a² over {0, 1/4, 1} is 5/12, so the mean loss is 2 (5/12) / 3 = 5/18.
    assert plane_loss(np.zeros((3, 3)), PAPER_X_PRIME, "linear", grid=3) == pytest.approx(5 / 18, abs=1e-15)
    # tanh with W = diag(0, w, w): loss ((tanh(w a) - a)² + (tanh(w b) - b)²)/3, grid 2: a, b in {0, 1}
    w = 2.0
    expected = 2 * (0 + (np.tanh(w) - 1) ** 2) / 2 / 3
    W = np.diag([0.0, w, w])
    assert plane_loss(W, PAPER_X_PRIME, "tanh", grid=2) == pytest.approx(expected, rel=1e-12)


def test_plane_loss_batched_matches_single_and_chunks():
    rng = np.random.default_rng(3)
    Ws = rng.normal(size=(5, 3, 3))
    batched = plane_loss(Ws, PAPER_X, "tanh", grid=7, chunk=5)
    single = [plane_loss(W, PAPER_X, "tanh", grid=7) for W in Ws]
    np.testing.assert_allclose(batched, single, rtol=1e-12)
    assert batched.shape == (5,)


def test_plane_loss_errors():
    with pytest.raises(ValueError, match="grid"):
        plane_loss(np.eye(3), PAPER_X, grid=1)
    with pytest.raises(ValueError, match="shape"):
        plane_loss(np.eye(4), PAPER_X)
    with pytest.raises(ValueError, match="non-finite"):
        plane_loss(np.full((3, 3), np.nan), PAPER_X)
    with pytest.raises(ValueError, match="smaller grid"):
        plane_points(np.eye(8, dtype=int), grid=11)


def test_sweep_plane_loss_joins_the_sweep(tmp_cache):
    cfg = SweepConfig(activations=("linear", "tanh"), penalties=("l2",), strengths=(0.1,), inits=("normal",),
                      n_seeds=2, steps=300)
    sets = {"X'": PAPER_X_PRIME}
    df = run_sweep(sets, cfg, progress=False)
    planes = sweep_plane_loss(sets, cfg, progress=False)
    joined = with_plane_loss(df, planes)
    assert len(joined) == len(df) == 8
    lin0 = joined[(joined["activation"] == "linear") & (joined["penalty"] == "none")]
    # unpenalised linear GD keeps the plane (up to the small random part outside it, which does not act on it)
    assert lin0["plane_loss"].max() < 1e-6
    pen = joined[(joined["activation"] == "linear") & (joined["penalty"] == "l2")]
    assert pen["plane_loss"].min() > 1e-4  # L2 shrinks W: plane points come out short
