"""The network as a dynamical system: iterate ``x ← φ(W x)``, find its fixed points and basins.

* :func:`mesh` — starting states: the n×…×n grid on ``[low, high]^N`` for N ≤ 3 (the paper uses
  n = 5 on [0, 1]³: 125 points), seeded uniform random starts for N > 3. Shape (P, N).
* :func:`iterate` — trajectories, shape (steps + 1, P, N), vectorised over all starts.
* :func:`fixed_points` — isolated fixed points from ``scipy.optimize.root`` over many starts,
  de-duplicated, each with the eigenvalues of the Jacobian ``J = diag(φ'(W x)) W`` and a stability
  class. A linear network whose W has eigenvalue 1 has a *continuum* of fixed points; that is
  described by :func:`fixed_subspace` (dimension, orthonormal basis, off-plane eigenvalues), never
  as a cloud of points.
* :func:`basins` — which fixed point (or the fixed subspace) each start converges to.

Stability uses the moduli |λ| of the Jacobian's eigenvalues with a tolerance ``tol``:
``attracting`` (all < 1), ``repelling`` (all > 1), ``saddle`` (some above, some below, none ≈ 1),
``marginal`` (some ≈ 1: linearisation decides nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from .activations import Activation, get_activation

__all__ = [
    "Basins",
    "FixedPoint",
    "FixedSubspace",
    "basins",
    "classify",
    "default_starts",
    "fixed_points",
    "fixed_subspace",
    "iterate",
    "jacobian",
    "mesh",
]

Stability = Literal["attracting", "saddle", "repelling", "marginal"]


@dataclass(frozen=True)
class FixedPoint:
    """An isolated fixed point ``x = φ(W x)``: ``x`` (N,), Jacobian ``eigenvalues`` (N,, complex
    sorted by decreasing modulus) and its ``stability``."""

    x: NDArray[np.float64]
    eigenvalues: NDArray[np.complex128]
    stability: Stability


@dataclass(frozen=True)
class FixedSubspace:
    """The fixed points of a linear map x ↦ W x: the eigenspace of eigenvalue 1.

    ``basis`` (N, d) is orthonormal; ``other_eigenvalues`` are W's remaining eigenvalues; the
    subspace attracts every start iff all of them have modulus < 1 (``attracting``).
    """

    dimension: int
    basis: NDArray[np.float64]
    other_eigenvalues: NDArray[np.complex128]
    attracting: bool

    def contains(self, x: ArrayLike, atol: float = 1e-6) -> NDArray[np.bool_]:
        """Whether each point (…, N) lies in the subspace (distance ≤ atol)."""
        x = np.asarray(x, dtype=float)
        proj = x @ self.basis @ self.basis.T
        return np.linalg.norm(x - proj, axis=-1) <= atol


@dataclass(frozen=True)
class Basins:
    """Where each start ends: ``labels`` (P,) index into ``names`` (−1: not converged),
    ``endpoints`` (P, N) after the iteration, and the fixed points / subspace used as targets."""

    labels: NDArray[np.int64]
    endpoints: NDArray[np.float64]
    names: list[str]
    fixed_points: list[FixedPoint]
    subspace: FixedSubspace | None

    def counts(self) -> dict[str, int]:
        """Number of starts per target (and ``"not converged"``)."""
        out = {name: int(np.sum(self.labels == k)) for k, name in enumerate(self.names)}
        out["not converged"] = int(np.sum(self.labels < 0))
        return out


def _check_W(W: ArrayLike) -> NDArray[np.float64]:
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] == 0:
        raise ValueError(f"W must be a square N×N matrix, got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise ValueError("W has non-finite entries (a diverged network?)")
    return W


def mesh(
    n: int = 5, low: float = 0.0, high: float = 1.0, N: int = 3, seed: int = 0
) -> NDArray[np.float64]:
    """Starting states: the regular grid with n points per axis for N ≤ 3, else n³ random points."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if not high > low:
        raise ValueError(f"need low < high, got [{low}, {high}]")
    if N < 1:
        raise ValueError(f"N must be >= 1, got {N}")
    if N <= 3:
        axis = np.linspace(low, high, n)
        grids = np.meshgrid(*([axis] * N), indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1)
    return np.random.default_rng(seed).uniform(low, high, (n**3, N))


def iterate(
    W: ArrayLike, x0: ArrayLike, activation: str | Activation = "linear", steps: int = 25
) -> NDArray[np.float64]:
    """Trajectories of ``x ← φ(W x)`` from each start: shape (steps + 1, P, N); index 0 is x0."""
    W = _check_W(W)
    phi = get_activation(activation)
    x = np.atleast_2d(np.asarray(x0, dtype=float))
    if x.shape[-1] != W.shape[0]:
        raise ValueError(f"starts have length {x.shape[-1]}, W is {W.shape[0]}×{W.shape[0]}")
    out = np.empty((steps + 1, *x.shape))
    out[0] = x
    for n in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            out[n + 1] = phi(out[n] @ W.T)
    return out


def jacobian(W: ArrayLike, activation: str | Activation, x: ArrayLike) -> NDArray[np.float64]:
    """Jacobian of x ↦ φ(W x) at x: ``diag(φ'(W x)) W``, shape (N, N)."""
    W = _check_W(W)
    phi = get_activation(activation)
    return phi.derivative(W @ np.asarray(x, dtype=float))[:, None] * W


def classify(eigenvalues: ArrayLike, tol: float = 1e-6) -> Stability:
    """Stability class from Jacobian eigenvalues (see module docstring)."""
    mod = np.abs(np.asarray(eigenvalues))
    if np.any(np.abs(mod - 1.0) <= tol):
        return "marginal"
    if np.all(mod < 1.0):
        return "attracting"
    if np.all(mod > 1.0):
        return "repelling"
    return "saddle"


def fixed_subspace(
    W: ArrayLike, activation: str | Activation = "linear", tol: float = 1e-6
) -> FixedSubspace:
    """The subspace of fixed points of a linear network (eigenspace of W for eigenvalue 1)."""
    W = _check_W(W)
    phi = get_activation(activation)
    if phi.name != "linear" or phi.shift or phi.gain != 1.0:
        raise ValueError(
            "fixed_subspace describes linear networks; use fixed_points for φ = " + phi.label
        )
    N = W.shape[0]
    _, s, vt = np.linalg.svd(W - np.eye(N))
    null = vt[s <= tol * max(1.0, s.max(initial=0.0))].T  # (N, d)
    d = null.shape[1]
    eig = np.linalg.eigvals(W)
    # remove d eigenvalues closest to 1
    order = np.argsort(np.abs(eig - 1.0))
    others = np.sort_complex(eig[order[d:]])[::-1]
    return FixedSubspace(d, null, others, bool(np.all(np.abs(others) < 1.0 - 1e-12)))


def _dedupe(points: list[NDArray[np.float64]], atol: float) -> list[NDArray[np.float64]]:
    kept: list[NDArray[np.float64]] = []
    for p in points:
        if all(np.max(np.abs(p - q)) > atol for q in kept):
            kept.append(p)
    return kept


def default_starts(
    W: ArrayLike,
    activation: str | Activation,
    *,
    n_grid: int = 5,
    n_random: int = 64,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Starting points for :func:`fixed_points`, shape (P, N): the ``n_grid``-point grid on
    [−1.5, 1.5]^N (N ≤ 3; ``n_grid``³ random points beyond), where 200 iterations from the 3^N grid
    on [0, 1]^N end (duplicates removed), and ``n_random`` seeded uniform points in [−1.5, 1.5]^N.
    The defaults are thorough; the live widgets use ``n_grid=3, n_random=16``."""
    W = _check_W(W)
    phi = get_activation(activation)
    N = W.shape[0]
    grid = mesh(n_grid, -1.5, 1.5, N) if N <= 3 else mesh(n_grid, -1.5, 1.5, N, seed)
    ends = iterate(W, mesh(3, 0.0, 1.0, N, seed), phi, 200)[-1]
    ends = np.unique(np.round(ends[np.all(np.isfinite(ends), axis=1)], 9), axis=0)
    rnd = np.random.default_rng(seed).uniform(-1.5, 1.5, (n_random, N))
    return np.vstack([grid, ends, rnd])


def fixed_points(
    W: ArrayLike,
    activation: str | Activation,
    starts: ArrayLike | None = None,
    *,
    tol: float = 1e-10,
    dedupe_atol: float = 1e-6,
    stability_tol: float = 1e-6,
    seed: int = 0,
) -> list[FixedPoint]:
    """Isolated fixed points of ``x ↦ φ(W x)``, sorted lexicographically by x.

    Roots of ``φ(W x) − x`` are sought with ``scipy.optimize.root`` (hybrid Powell, analytic
    Jacobian) from ``starts`` (default :func:`default_starts`: the grid on [−1.5, 1.5]^N, where
    the iteration from [0, 1]^N ends, and 64 seeded random points). A linear network with a continuum of fixed
    points raises ``ValueError`` (use :func:`fixed_subspace`).
    """
    W = _check_W(W)
    phi = get_activation(activation)
    N = W.shape[0]
    if phi.name == "linear" and phi.shift == 0:
        sub = fixed_subspace(W)
        if sub.dimension > 0:
            raise ValueError(
                f"this linear network has a {sub.dimension}-dimensional subspace of fixed points; "
                "describe it with fixed_subspace(W)"
            )
        x = np.zeros(N)
        eig = np.linalg.eigvals(jacobian(W, phi, x))
        return [FixedPoint(x, _sorted_eig(eig), classify(eig, stability_tol))]
    if starts is None:
        starts = default_starts(W, phi, seed=seed)
    starts = np.atleast_2d(np.asarray(starts, dtype=float))

    def F(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return phi(W @ x) - x

    def J(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return jacobian(W, phi, x) - np.eye(N)

    found = []
    for x0 in starts:
        sol = optimize.root(F, x0, jac=J, method="hybr", tol=tol * 1e-2)
        if np.all(np.isfinite(sol.x)) and np.max(np.abs(F(sol.x))) <= tol:
            # polish: a Newton step or two on the analytic Jacobian
            x = sol.x
            for _ in range(3):
                try:
                    x = x - np.linalg.solve(J(x), F(x))
                except np.linalg.LinAlgError:
                    break
            found.append(x if np.max(np.abs(F(x))) <= np.max(np.abs(F(sol.x))) else sol.x)
    points = sorted(_dedupe(found, dedupe_atol), key=lambda p: tuple(np.round(p, 6)))
    out = []
    for x in points:
        eig = np.linalg.eigvals(jacobian(W, phi, x))
        out.append(FixedPoint(x, _sorted_eig(eig), classify(eig, stability_tol)))
    return out


def _sorted_eig(eig: NDArray) -> NDArray[np.complex128]:
    eig = np.asarray(eig, dtype=complex)
    eig = np.where(np.abs(eig.imag) < 1e-12, eig.real + 0j, eig)
    return eig[np.lexsort((-eig.real, -np.abs(eig)))]


def basins(
    W: ArrayLike,
    activation: str | Activation,
    x0: ArrayLike,
    *,
    steps: int = 500,
    atol: float = 1e-4,
    points: list[FixedPoint] | None = None,
) -> Basins:
    """Label each start by the fixed point (or, for linear networks, the fixed subspace) that
    ``steps`` iterations bring it to within ``atol``; −1 if none (not converged or diverged)."""
    W = _check_W(W)
    phi = get_activation(activation)
    ends = iterate(W, x0, phi, steps)[-1]
    labels = np.full(len(ends), -1, dtype=np.int64)
    subspace = None
    if phi.name == "linear" and phi.shift == 0 and fixed_subspace(W).dimension > 0:
        subspace = fixed_subspace(W)
        still = np.max(np.abs(ends @ W.T - ends), axis=1) <= atol
        finite = np.all(np.isfinite(ends), axis=1)
        labels[finite & still & subspace.contains(np.where(finite[:, None], ends, 0.0), atol)] = 0
        return Basins(labels, ends, [f"fixed subspace (dim {subspace.dimension})"], [], subspace)
    fps = fixed_points(W, phi) if points is None else points
    for k, fp in enumerate(fps):
        hit = np.max(np.abs(ends - fp.x), axis=1) <= atol
        labels[hit & (labels < 0)] = k
    names = ["(" + ", ".join(f"{v:.3f}" for v in fp.x) + ")" for fp in fps]
    return Basins(labels, ends, names, fps, None)
