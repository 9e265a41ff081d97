"""How a trained auto-associator treats patterns it never saw, as a few numbers per network.

For a training set ``X`` (shape ``(K, N)``) the patterns worth testing are fixed by the theory of
chapter 1 (:mod:`itemsrel.symmetry`):

* the unseen binary patterns in ``span(X)``, which every *linear* auto-associator on X reproduces
  exactly (the relation it provably keeps);
* the unseen *symmetry-consistent* patterns, those fixed by every element of Σ_X — the book calls
  them **Σ_X-fixed** (equivalently: X ∪ {y} keeps *at least* the symmetries of X). The paper's
  §3.1.2 wording, "X ∪ {y} also has the symmetry group Σ_X", read literally asks that the group be
  *exactly* Σ_X (**Σ_X-exact** patterns, a subset: a pattern that enlarges the group is excluded).

:func:`generalisation_metrics` measures, for each of B networks ``y = φ(W x)`` (``W`` of shape
``(B, N, N)`` or ``(N, N)``), with the loss of eq. 7 (mean squared error over the N units):

``train_loss``
    mean loss over the K training items;
``span_loss`` / ``consistent_loss``
    mean loss over the unseen span / symmetry-consistent patterns (NaN when the training set has
    no such pattern: there is nothing to generalise to);
``mean_abs_preactivation``
    mean of ``|(W x)_i − c|`` over items and units, with ``c`` the activation's centre (its
    ``shift``): how far from the origin of φ the network operates on its own items (small values:
    the near-linear regime of tanh and sigmoid);
``invariance_distance``
    Frobenius distance of W to the Σ_X-invariant matrices (0: W has the symmetry of eq. 3).

:func:`plane_loss` measures what a plane attractor is about — continuous states: the mean loss
over the points of a regular grid of the cube that lie in span(X) (see :func:`plane_points`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sympy.combinatorics import PermutationGroup

from .activations import Activation, get_activation
from .patterns import as_training_set
from .symmetry import (
    distance_to_invariant,
    span_patterns,
    symmetry_consistent_patterns,
    symmetry_group,
)
from .training import pattern_loss

__all__ = ["METRICS", "TestPatterns", "generalisation_metrics", "plane_loss", "plane_points"]

#: Names of the metrics returned by :func:`generalisation_metrics`, in display order.
METRICS = (
    "train_loss",
    "span_loss",
    "consistent_loss",
    "mean_abs_preactivation",
    "invariance_distance",
)


@dataclass(frozen=True)
class TestPatterns:
    """A training set with the pattern sets and the group the metrics need (computed once).

    ``X`` (K, N) items; ``span`` (S, N) unseen binary patterns in span(X); ``consistent``
    (C, N) unseen patterns fixed by Σ_X; ``group`` Σ_X.
    """

    __test__ = False  # not a pytest test class

    X: NDArray[np.int8]
    span: NDArray[np.int8]
    consistent: NDArray[np.int8]
    group: PermutationGroup

    @classmethod
    def of(cls, X: ArrayLike) -> TestPatterns:
        """Validate ``X`` and compute its unseen span and symmetry-consistent patterns and Σ_X."""
        Xn = as_training_set(X)
        return cls(Xn, span_patterns(Xn), symmetry_consistent_patterns(Xn), symmetry_group(Xn))


def _mean_loss(W: NDArray, P: NDArray, phi: Activation) -> NDArray[np.float64]:
    if len(P) == 0:
        return np.full(W.shape[0], np.nan)
    return pattern_loss(W, P, phi).mean(axis=-1)


def generalisation_metrics(
    W: ArrayLike, X: ArrayLike | TestPatterns, activation: str | Activation
) -> dict[str, NDArray[np.float64]]:
    """The metrics of the module docstring for each network: name → array of shape (B,).

    ``W`` has shape (B, N, N) or (N, N) (then B = 1); it must be finite (a diverged network has
    no metrics: ``ValueError``). ``X`` is a training set or a precomputed :class:`TestPatterns`.
    """
    tp = X if isinstance(X, TestPatterns) else TestPatterns.of(X)
    phi = get_activation(activation)
    W = np.asarray(W, dtype=float)
    W = W[None] if W.ndim == 2 else W
    N = tp.X.shape[1]
    if W.ndim != 3 or W.shape[1:] != (N, N):
        raise ValueError(f"W must have shape (B, {N}, {N}) or ({N}, {N}), got {W.shape}")
    if W.shape[0] == 0:
        raise ValueError("W holds no network: a batch needs at least one (B >= 1)")
    if not np.all(np.isfinite(W)):
        raise ValueError("W has non-finite entries (diverged networks have no metrics)")
    pre = np.einsum("bij,kj->bki", W, tp.X.astype(float)) - phi.shift
    dist = distance_to_invariant(W, tp.group)
    return {
        "train_loss": pattern_loss(W, tp.X, phi).mean(axis=-1),
        "span_loss": _mean_loss(W, tp.span, phi),
        "consistent_loss": _mean_loss(W, tp.consistent, phi),
        "mean_abs_preactivation": np.abs(pre).mean(axis=(1, 2)),
        "invariance_distance": np.atleast_1d(np.asarray(dist, dtype=float)),
    }


#: Largest number of cube-grid points ``grid**N`` that :func:`plane_points` enumerates.
MAX_GRID_POINTS = 5_000_000


def plane_points(X: ArrayLike, grid: int = 11, atol: float = 1e-9) -> NDArray[np.float64]:
    """The points of span(X) ∩ [0,1]^N on the regular grid {0, 1/(grid−1), …, 1}^N, shape (P, N).

    A grid point g is kept when its distance to span(X) (``|g − P_X g|``, max norm) is at most
    ``atol``. The set contains the zero pattern, the items and every binary pattern of the span;
    for the paper's X' = {010, 001} and ``grid=11`` it is the 121 points (0, i/10, j/10).
    ``grid**N`` points are enumerated (at most :data:`MAX_GRID_POINTS`: use a coarser grid for
    long patterns).
    """
    Xn = as_training_set(X, max_n=None).astype(float)
    if isinstance(grid, bool) or not isinstance(grid, int | np.integer) or grid < 2:
        raise ValueError(f"grid must be an integer >= 2, got {grid!r}")
    N = Xn.shape[1]
    if grid**N > MAX_GRID_POINTS:
        raise ValueError(
            f"grid**N = {grid}**{N} exceeds {MAX_GRID_POINTS} points; choose a smaller grid"
        )
    Q, s, _ = np.linalg.svd(Xn.T, full_matrices=False)
    Q = Q[:, s > 1e-10 * s.max()]  # orthonormal basis of span(X), (N, r)
    ticks = np.linspace(0.0, 1.0, grid)
    kept = []
    # enumerate the cube grid in slabs over the first coordinate (bounded memory)
    rest = np.stack(np.meshgrid(*[ticks] * (N - 1), indexing="ij"), axis=-1).reshape(-1, N - 1)
    for t in ticks:
        G = np.concatenate([np.full((len(rest), 1), t), rest], axis=1)
        off = G - (G @ Q) @ Q.T
        kept.append(G[np.max(np.abs(off), axis=1) <= atol])
    return np.concatenate(kept)


def plane_loss(
    W: ArrayLike,
    X: ArrayLike,
    activation: str | Activation = "linear",
    grid: int = 11,
    chunk: int = 4096,
) -> NDArray[np.float64] | float:
    """Mean eq.-7 loss ``mean_i (φ(W y)_i − y_i)²`` over the points y of :func:`plane_points`.

    ``W`` (N, N) → a float; (B, N, N) → shape (B,). ``X`` (K, N) is the training set whose span
    is tested; ``grid`` the number of grid values per axis. 0 means the network keeps every
    tested point of the plane exactly (e.g. the projector onto span(X) with the linear
    activation). Points are processed ``chunk`` at a time (bounded memory for large batches).
    """
    phi = get_activation(activation)
    Wa = np.asarray(W, dtype=float)
    single = Wa.ndim == 2
    Wb = Wa[None] if single else Wa
    Xn = as_training_set(X, max_n=None)
    N = Xn.shape[1]
    if Wb.ndim != 3 or Wb.shape[1:] != (N, N):
        raise ValueError(f"W must have shape (B, {N}, {N}) or ({N}, {N}), got {Wa.shape}")
    if not np.all(np.isfinite(Wb)):
        raise ValueError("W has non-finite entries (diverged networks have no plane loss)")
    pts = plane_points(Xn, grid)
    total = np.zeros(Wb.shape[0])
    for start in range(0, len(pts), chunk):
        total += pattern_loss(Wb, pts[start : start + chunk], phi).sum(axis=-1)
    out = total / len(pts)
    return float(out[0]) if single else out
