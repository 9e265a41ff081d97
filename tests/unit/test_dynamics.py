"""Tests of itemsrel.dynamics: iteration, fixed points, stability classes and basins."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from itemsrel.activations import get_activation
from itemsrel.dynamics import (
    basins,
    classify,
    fixed_points,
    fixed_subspace,
    iterate,
    jacobian,
    mesh,
)

# Orthogonal projector onto the plane spanned by the items (1,0,1) and (1,1,0).
_ITEMS = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
_Q, _ = np.linalg.qr(_ITEMS.T)
PROJECTOR = _Q @ _Q.T


# --- linear maps: a plane of fixed points -------------------------------------------------------
def test_projector_has_an_attracting_plane_of_fixed_points() -> None:
    sub = fixed_subspace(PROJECTOR)
    assert sub.dimension == 2
    assert sub.basis.shape == (3, 2)
    np.testing.assert_allclose(sub.basis.T @ sub.basis, np.eye(2), atol=1e-12)
    # the basis spans exactly the items: each item is its own projection, the normal is not
    assert sub.contains(_ITEMS).all()
    normal = np.cross(_ITEMS[0], _ITEMS[1])
    assert not sub.contains(normal)
    np.testing.assert_allclose(sub.other_eigenvalues, [0.0], atol=1e-12)
    assert sub.attracting


def test_fixed_points_refuses_a_continuum_and_names_fixed_subspace() -> None:
    with pytest.raises(ValueError, match="fixed_subspace"):
        fixed_points(PROJECTOR, "linear")


def test_linear_map_without_eigenvalue_one_has_only_the_origin() -> None:
    W = np.diag([0.5, -0.2, 2.0])
    (fp,) = fixed_points(W, "linear")
    np.testing.assert_array_equal(fp.x, np.zeros(3))
    np.testing.assert_allclose(np.abs(fp.eigenvalues), [2.0, 0.5, 0.2])
    assert fp.stability == "saddle"
    assert fixed_subspace(W).dimension == 0


def test_fixed_subspace_rejects_nonlinear_activations() -> None:
    with pytest.raises(ValueError, match="fixed_points"):
        fixed_subspace(np.eye(3), "tanh")


# --- a hand-built tanh network: x = tanh(2x) in every coordinate --------------------------------
def test_tanh_network_fixed_points_locations_and_stability() -> None:
    w = 2.0
    W = w * np.eye(3)
    xstar = brentq(lambda x: np.tanh(w * x) - x, 0.5, 1.0)
    assert xstar == pytest.approx(0.9575, abs=1e-4)
    assert w * (1.0 - xstar**2) < 1.0  # the nonzero root attracts along its axis

    fps = fixed_points(W, "tanh")
    # each coordinate is one of {-x*, 0, x*}: 27 fixed points
    assert len(fps) == 27
    for fp in fps:
        assert set(np.round(np.abs(fp.x), 8)) <= {0.0, round(xstar, 8)}
        n_zero = int(np.sum(np.abs(fp.x) < 1e-8))
        expected = {0: "attracting", 3: "repelling"}.get(n_zero, "saddle")
        assert fp.stability == expected, fp.x
        # Jacobian eigenvalues are those of diag(φ'(W x*)) W
        J = np.diag(1.0 - np.tanh(W @ fp.x) ** 2) @ W
        np.testing.assert_allclose(
            np.sort(np.abs(fp.eigenvalues)), np.sort(np.abs(np.linalg.eigvals(J))), atol=1e-10
        )
    corner = next(fp for fp in fps if np.all(fp.x > 0))
    np.testing.assert_allclose(corner.x, [xstar] * 3, atol=1e-9)
    np.testing.assert_allclose(corner.eigenvalues.real, [w * (1 - xstar**2)] * 3, atol=1e-9)
    origin = next(fp for fp in fps if np.all(np.abs(fp.x) < 1e-12))
    np.testing.assert_allclose(origin.eigenvalues.real, [2.0, 2.0, 2.0])
    assert origin.stability == "repelling"


def test_jacobian_is_diag_phi_prime_times_W() -> None:
    rng = np.random.default_rng(3)
    W = rng.normal(size=(3, 3))
    x = rng.uniform(-1, 1, 3)
    for name in ("tanh", "sigmoid", "linear"):
        phi = get_activation(name)
        expected = np.diag(phi.derivative(W @ x)) @ W
        np.testing.assert_allclose(jacobian(W, name, x), expected, atol=1e-14)
    # and it is the derivative of x ↦ tanh(W x): central differences
    h = 1e-6
    fd = np.column_stack(
        [(np.tanh(W @ (x + h * e)) - np.tanh(W @ (x - h * e))) / (2 * h) for e in np.eye(3)]
    )
    np.testing.assert_allclose(jacobian(W, "tanh", x), fd, atol=1e-8)


# --- stability classes ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("eigenvalues", "expected"),
    [
        ([0.5, -0.3, 0.1], "attracting"),
        ([0.6 + 0.6j, 0.6 - 0.6j, 0.2], "attracting"),  # |λ| ≈ 0.85
        ([2.43, 2.43, 0.0], "saddle"),
        ([-1.5, 0.2, 0.0], "saddle"),
        ([1.5, -2.0, 1.01], "repelling"),
        ([1.0, 0.2, 0.1], "marginal"),
        ([-1.0, 3.0, 0.1], "marginal"),
        ([np.exp(0.4j), 0.5, 0.5], "marginal"),  # on the unit circle
    ],
)
def test_classify(eigenvalues: list[complex], expected: str) -> None:
    assert classify(eigenvalues) == expected


def test_classify_tolerance_decides_near_one() -> None:
    assert classify([1.0 + 1e-3, 0.5]) == "saddle"
    assert classify([1.0 + 1e-3, 0.5], tol=1e-2) == "marginal"


# --- iteration and starts ------------------------------------------------------------------------
def test_iterate_agrees_with_a_plain_loop() -> None:
    rng = np.random.default_rng(11)
    W = rng.normal(size=(3, 3))
    x0 = rng.uniform(0, 1, (7, 3))
    traj = iterate(W, x0, "sigmoid", steps=12)
    assert traj.shape == (13, 7, 3)
    for p in range(7):
        x = x0[p].copy()
        np.testing.assert_array_equal(traj[0, p], x)
        for n in range(12):
            x = 1.0 / (1.0 + np.exp(-(W @ x)))
            np.testing.assert_allclose(traj[n + 1, p], x, rtol=1e-12, atol=1e-15)


def test_iterate_accepts_a_single_start() -> None:
    traj = iterate(0.5 * np.eye(2), [1.0, -2.0], "linear", steps=3)
    np.testing.assert_allclose(traj[:, 0], [[1, -2], [0.5, -1], [0.25, -0.5], [0.125, -0.25]])


def test_mesh_is_the_papers_125_point_grid() -> None:
    pts = mesh(5)
    assert pts.shape == (125, 3)
    assert pts.min() == 0.0 and pts.max() == 1.0
    np.testing.assert_array_equal(np.unique(pts), [0.0, 0.25, 0.5, 0.75, 1.0])
    assert len(np.unique(pts, axis=0)) == 125


def test_mesh_for_large_N_is_seeded_random() -> None:
    a, b, c = mesh(4, N=6, seed=1), mesh(4, N=6, seed=1), mesh(4, N=6, seed=2)
    assert a.shape == (64, 6)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert a.min() >= 0.0 and a.max() <= 1.0


def test_mesh_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        mesh(0)
    with pytest.raises(ValueError):
        mesh(5, low=1.0, high=0.0)


# --- basins of a two-attractor sigmoid network -----------------------------------------------------
def _two_attractor_sigmoid(a: float = 5.0) -> np.ndarray:
    """The structure SGD learns on X' = {(0,1,0), (0,0,1)} from zeros: mutual inhibition."""
    return np.array([[0.0, -a, -a], [0.0, a, -a], [0.0, -a, a]])


def test_two_attractor_sigmoid_fixed_points() -> None:
    a = 5.0
    fps = fixed_points(_two_attractor_sigmoid(a), "sigmoid")
    assert len(fps) == 3
    by_kind = {fp.stability: [] for fp in fps}
    for fp in fps:
        by_kind[fp.stability].append(fp)
    assert sorted(by_kind) == ["attracting", "saddle"]
    (saddle,) = by_kind["saddle"]
    s = 1.0 / (1.0 + np.exp(a))  # σ(−a)
    np.testing.assert_allclose(saddle.x, [s, 0.5, 0.5], atol=1e-9)
    # on the line x2 + x3 = 1 the map is u ↦ σ(a (2u − 1)): slope a/2 at u = 1/2
    assert abs(saddle.eigenvalues[0]) == pytest.approx(a / 2)
    for fp in by_kind["attracting"]:
        assert fp.x[1] + fp.x[2] == pytest.approx(1.0)
        assert max(fp.x[1], fp.x[2]) > 0.99


def test_two_attractor_sigmoid_basins_split_the_mesh() -> None:
    W = _two_attractor_sigmoid()
    starts = mesh()
    b = basins(W, "sigmoid", starts, steps=25)
    names = b.names
    near_010 = names.index(
        next(n for n, fp in zip(names, b.fixed_points, strict=True) if fp.x[1] > 0.99)
    )
    near_001 = names.index(
        next(n for n, fp in zip(names, b.fixed_points, strict=True) if fp.x[2] > 0.99)
    )
    saddle = next(k for k, fp in enumerate(b.fixed_points) if fp.stability == "saddle")
    above, below, diag = (
        starts[:, 1] > starts[:, 2],
        starts[:, 1] < starts[:, 2],
        starts[:, 1] == starts[:, 2],
    )
    assert (above.sum(), below.sum(), diag.sum()) == (50, 50, 25)
    assert np.all(b.labels[above] == near_010)
    assert np.all(b.labels[below] == near_001)
    assert np.all(b.labels[diag] == saddle)  # the diagonal is the saddle's stable manifold
    counts = b.counts()
    assert counts[names[near_010]] == 50 and counts[names[near_001]] == 50
    assert counts[names[saddle]] == 25 and counts["not converged"] == 0


def test_basins_of_a_linear_network_use_the_fixed_subspace() -> None:
    b = basins(PROJECTOR, "linear", mesh(3), steps=5)
    assert b.subspace is not None and b.subspace.dimension == 2
    assert b.counts() == {"fixed subspace (dim 2)": 27, "not converged": 0}


def test_diverging_starts_are_not_converged() -> None:
    W = 2.0 * np.eye(3)
    (origin,) = fixed_points(W, "linear")
    b = basins(W, "linear", np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), steps=40)
    np.testing.assert_array_equal(b.labels, [0, -1])
    assert origin.stability == "repelling"


def test_default_starts_shapes_and_the_reduced_search() -> None:
    from itemsrel.dynamics import default_starts

    W = np.diag([0.0, 2.4815, 2.4815])  # chapter 3's tanh network on X'
    full = default_starts(W, "tanh")
    quick = default_starts(W, "tanh", n_grid=3, n_random=16)
    assert full.shape[1] == quick.shape[1] == 3
    assert len(full) > 125 + 64 and 27 + 16 < len(quick) < len(full)
    # the reduced search (live widgets) finds the same nine fixed points as the thorough one
    a = fixed_points(W, "tanh")
    b = fixed_points(W, "tanh", starts=quick)
    assert len(a) == len(b) == 9
    np.testing.assert_allclose([p.x for p in a], [p.x for p in b], atol=1e-9)
