"""Numeric theory of the *linear* auto-associator ``y = W x`` trained by gradient descent.

Conventions as in :mod:`itemsrel.training`: ``X`` has shape ``(K, N)`` (one item per row), ``W`` is
``N × N`` and acts on columns; the loss is eq. 7 averaged over items,
``L(W) = 1/(K N) Σ_k |W x_k − x_k|²``.

Why full-batch gradient descent has a closed-form limit: the gradient
``∂L/∂W = 2/(K N) (W − I) Xᵀ X`` has every row in span(X) (the row space of X), so it is annihilated
by ``I − P``, where ``P`` is the orthogonal projector onto span(X). Hence ``W (I − P)`` never
changes during training, and (for a stable learning rate) the part ``W P`` converges to ``P``:

    W_∞ = P + W₀ (I − P)                                            (:func:`gd_limit`)

From ``W₀ = 0`` this is the projector itself; averaging over zero-mean random ``W₀`` also gives P.

* :func:`projector` — ``P`` (N, N) onto span(X).
* :func:`gd_limit` — the limit above, for one ``W₀`` (N, N) or a batch (B, N, N).
* :func:`symbolic_pattern_loss` — eq. 7 for one pattern as a sympy function of a family's
  parameters (e.g. ``((a − 1)² + 2 b²)/3`` for the off-plane patterns of X' in eq. 6).
* :func:`loss_level_curve` — the (a, b) of eq. 6's ``W'_{a,b}`` whose off-plane loss equals a level.

Training one item at a time (the setting that breaks the symmetry of full-batch training) is the
engine's: ``train(X, W0=W0, steps=epochs * K, batch_size=1, sampling="cycle")``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from .analytic import SolutionFamily
from .patterns import as_training_set

__all__ = [
    "gd_limit",
    "loss_level_curve",
    "projector",
    "symbolic_pattern_loss",
    "xprime_offplane_loss",
]


def projector(X: ArrayLike, rtol: float = 1e-12) -> NDArray[np.float64]:
    """Orthogonal projector onto span(X) (the span of the items), shape (N, N), symmetric.

    Built from an orthonormal basis of X's row space (SVD), so dependent items are fine.
    """
    Xf = as_training_set(X).astype(float)
    _, s, vt = np.linalg.svd(Xf, full_matrices=False)
    U = vt[s > rtol * max(1.0, s.max(initial=0.0))]  # (r, N) orthonormal rows
    return U.T @ U


def gd_limit(X: ArrayLike, W0: ArrayLike) -> NDArray[np.float64]:
    """Limit of full-batch gradient descent on eq. 7 from ``W0``: ``P + W0 (I − P)``.

    ``W0`` has shape (N, N) or (B, N, N); the result has the same shape. Valid for plain gradient
    descent (no momentum, no penalty) with a learning rate small enough to converge.
    """
    P = projector(X)
    W0 = np.asarray(W0, dtype=float)
    if W0.shape[-2:] != P.shape:
        raise ValueError(f"W0 must have shape (..., {P.shape[0]}, {P.shape[0]}), got {W0.shape}")
    return P + W0 @ (np.eye(P.shape[0]) - P)


def symbolic_pattern_loss(family: SolutionFamily, pattern: ArrayLike) -> sp.Expr:
    """Eq. 7 for one pattern x under the family's ``W(p)``: ``mean_i ((W(p) x)_i − x_i)²``, simplified.

    ``pattern`` may contain sympy symbols (e.g. ``(1, y, z)``) to treat several patterns at once.
    """
    x = sp.Matrix(list(pattern))
    if x.shape != (family.N, 1):
        raise ValueError(f"pattern must have length {family.N}, got {x.shape[0]}")
    r = family.W * x - x
    return sp.factor(sp.simplify(sum(e**2 for e in r) / family.N))


def xprime_offplane_loss(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Per-pattern loss of every pattern ``(1, y, z)`` under eq. 6's ``W'_{a,b}``: ((a−1)² + 2b²)/3.

    (Derived by :func:`symbolic_pattern_loss`; the patterns with x₁ = 0 lie in span(X') and have
    loss 0 for every a, b.)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return ((a - 1.0) ** 2 + 2.0 * b**2) / 3.0


def loss_level_curve(level: float, n: int = 181) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points (a, b) with ``xprime_offplane_loss(a, b) == level``: the ellipse
    ``(a − 1)² + 2 b² = 3·level``, centre (1, 0), sampled at ``n`` angles. Arrays of shape (n,)."""
    if not level >= 0:
        raise ValueError(f"level must be >= 0, got {level}")
    t = np.linspace(0.0, 2.0 * np.pi, n)
    r = np.sqrt(3.0 * level)
    return 1.0 + r * np.cos(t), r / np.sqrt(2.0) * np.sin(t)
