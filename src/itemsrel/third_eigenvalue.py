"""The third eigenvalue λ₃ of a trained linear auto-associator, and averages over initialisations.

For a training set X (K, N) whose span has dimension r = N − 1 (the paper's X: a plane in R³),
let Q (N, r) be an orthonormal basis of span(X) and u the unit normal. Every exact solution of
``W x = x`` on X satisfies ``W Q = Q``; in the basis [Q, u] it is block triangular,

    W ≅ [[I_r, Qᵀ W u], [0, uᵀ W u]],

so its eigenvalues are 1 (r times, eigenvectors spanning the plane) and ``λ₃ = uᵀ W u``, with
eigenvector ``Q y + u``, ``y = Qᵀ W u / (λ₃ − 1)``. Its angle θ with the plane obeys
``tan θ = |1 − λ₃| / |Qᵀ W u|`` (90°: orthogonal to the plane, one step lands on it).

Full-batch gradient descent ends at ``W∞ = P + W0 (I − P)`` (chapter 2), hence

    λ₃ = uᵀ W0 u,     Qᵀ W∞ u = Qᵀ W0 u,     E[W∞] = P + E[W0] (I − P).

For W0 with i.i.d. N(0, σ²) entries, ``uᵀ W0 u ~ N(0, σ²)`` exactly (Σ u_i² u_j² = 1) and is
independent of ``Qᵀ W0 u ~ N(0, σ² I_r)``: the plane is unstable (|λ₃| ≥ 1) with probability
``2 Φ(−1/σ)`` — 31.7 % for σ = 1. :func:`plane_spectrum` measures λ₃ and θ for trained
weights, :func:`gd_lambda3_normal` gives the closed form, :func:`lambda3_study` trains
many networks per initialisation (cached).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2, norm

from .cache import cached
from .linear_theory import projector
from .patterns import as_training_set
from .training import initial_weights, train

__all__ = [
    "INIT_LAWS",
    "PlaneSpectrum",
    "gd_lambda3_normal",
    "gd_mean_limit",
    "lambda3_study",
    "normal_draw_plausibility",
    "plane_basis",
    "plane_spectrum",
    "solves_to_precision",
]

#: The initial distributions of chapter 2: name → (init scheme of ``initial_weights``, sigma).
INIT_LAWS: dict[str, tuple[str, float]] = {
    "zeros": ("zeros", 0.05),
    "ones": ("ones", 0.05),
    "U(0,1)": ("uniform", 0.05),
    "N(0,0.05)": ("normal", 0.05),
    "N(0,1)": ("normal", 1.0),
}


def plane_basis(X: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(Q, u)``: orthonormal basis (N, N−1) of span(X) and its unit normal (N,), first nonzero
    entry of u positive. ``ValueError`` unless span(X) has dimension N − 1."""
    Xn = as_training_set(X, max_n=None).astype(float)
    N = Xn.shape[1]
    U, s, _ = np.linalg.svd(Xn.T, full_matrices=True)
    r = int(np.sum(s > 1e-10 * s.max()))
    if r != N - 1:
        raise ValueError(f"span(X) must have dimension N - 1 = {N - 1} (a plane), got {r}")
    Q, u = U[:, :r], U[:, r]
    return Q, u * np.sign(u[np.flatnonzero(np.abs(u) > 1e-12)[0]])


@dataclass(frozen=True)
class PlaneSpectrum:
    """Per network (shapes (B,)): ``lambda3`` = uᵀWu; ``angle_deg`` θ of its eigenvector with the
    plane (90 = orthogonal); ``residual`` max |W x − x| over the items (0 for exact solutions)."""

    lambda3: NDArray[np.float64]
    angle_deg: NDArray[np.float64]
    residual: NDArray[np.float64]

    @property
    def unstable(self) -> NDArray[np.bool_]:
        """|λ₃| ≥ 1: the plane does not attract."""
        return np.abs(self.lambda3) >= 1.0


def plane_spectrum(W: ArrayLike, X: ArrayLike) -> PlaneSpectrum:
    """λ₃, the angle of its eigenvector with span(X) and the residual, for W (N,N) or (B,N,N)."""
    Q, u = plane_basis(X)
    Wa = np.asarray(W, dtype=float)
    Wb = Wa[None] if Wa.ndim == 2 else Wa
    N = len(u)
    if Wb.ndim != 3 or Wb.shape[1:] != (N, N):
        raise ValueError(f"W must have shape (B, {N}, {N}) or ({N}, {N}), got {Wa.shape}")
    Wu = Wb @ u  # (B, N)
    lam = Wu @ u
    tilt = np.linalg.norm(Wu @ Q, axis=-1)
    angle = np.degrees(np.arctan2(np.abs(1.0 - lam), tilt))
    Xn = as_training_set(X, max_n=None).astype(float)
    res = np.abs(np.einsum("bij,kj->bki", Wb, Xn) - Xn[None]).max(axis=(1, 2))
    return PlaneSpectrum(lam, angle, res)


def gd_lambda3_normal(sigma: float) -> dict[str, float]:
    """Closed form under full-batch GD from i.i.d. N(0, σ²) weights: λ₃ ~ N(0, σ²).

    Returns ``sd`` (= σ), ``p_unstable`` = P(|λ₃| ≥ 1) = 2Φ(−1/σ), and the median angle θ of
    the third eigenvector with the plane (from 200 000 seeded draws of the exact joint law
    λ₃ ~ N(0, σ²), Qᵀ W0 u ~ N(0, σ² I_2), independent; N = 3)."""
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive number, got {sigma}")
    rng = np.random.default_rng(0)
    lam = rng.normal(0.0, sigma, 200_000)
    tilt = np.linalg.norm(rng.normal(0.0, sigma, (200_000, 2)), axis=1)
    angle = np.degrees(np.arctan2(np.abs(1.0 - lam), tilt))
    return {
        "sd": float(sigma),
        "p_unstable": float(2.0 * norm.cdf(-1.0 / sigma)),
        "median_angle_deg": float(np.median(angle)),
    }


def gd_mean_limit(X: ArrayLike, mean_W0: ArrayLike) -> NDArray[np.float64]:
    """E[W∞] = P + E[W0](I − P) under full-batch GD (W∞ is affine in W0), shape (N, N)."""
    P = projector(X)
    return P + np.asarray(mean_W0, dtype=float) @ (np.eye(len(P)) - P)


def solves_to_precision(W: ArrayLike, X: ArrayLike, decimals: int = 4) -> tuple[float, float]:
    """``(residual, bound)`` for a matrix printed with ``decimals`` decimals: the largest
    |W x − x| over the items, and the most that rounding every entry by half a unit can explain
    (half a unit times the largest number of ones in an item). residual ≤ bound: W can be the
    rounding of an exact solution."""
    Xn = as_training_set(X, max_n=None).astype(float)
    Wa = np.asarray(W, dtype=float)
    res = float(np.abs(Xn @ Wa.T - Xn).max())
    return res, 0.5 * 10.0 ** (-decimals) * float(Xn.sum(axis=1).max())


@cached("lambda3-study")
def lambda3_study(
    X: ArrayLike,
    n: int = 1000,
    laws: Sequence[str] = tuple(INIT_LAWS),
    adam_lr: float = 1e-2,
    adam_steps: int = 3000,
) -> dict[tuple[str, str], dict[str, NDArray[np.float64]]]:
    """Train ``n`` networks per initial law (seeds 0…n−1) with full-batch GD (lr 1, 300 steps)
    and full-batch Adam (``adam_lr``, ``adam_steps``), one batch per optimiser; cached.

    Returns ``{(optimiser, law): {"lambda3", "angle_deg", "residual", "mean_W", "W0_mean"}}``
    (arrays of shape (n,) and (N, N))."""
    Xn = as_training_set(X, max_n=None)
    laws = tuple(laws)
    for law in laws:
        if law not in INIT_LAWS:
            raise ValueError(f"unknown law {law!r}; choose from {', '.join(INIT_LAWS)}")
    if n < 2:
        raise ValueError(f"n must be >= 2, got {n}")
    N = Xn.shape[1]

    def compute() -> dict[tuple[str, str], dict[str, NDArray[np.float64]]]:
        seeds = list(range(n))
        W0 = np.concatenate(
            [initial_weights(INIT_LAWS[k][0], N, seeds, INIT_LAWS[k][1]) for k in laws]
        )
        out = {}
        for opt, kw in (
            ("SGD", {"optimizer": "sgd", "lr": 1.0, "steps": 300}),
            ("Adam", {"optimizer": "adam", "lr": adam_lr, "steps": adam_steps}),
        ):
            res = train(Xn, W0=W0, seeds=range(len(W0)), device="cpu", **kw)
            for j, law in enumerate(laws):
                Wj = res.W[j * n : (j + 1) * n]
                sp = plane_spectrum(Wj, Xn)
                out[opt, law] = {
                    "lambda3": sp.lambda3,
                    "angle_deg": sp.angle_deg,
                    "residual": sp.residual,
                    "mean_W": Wj.mean(axis=0),
                    "W0_mean": W0[j * n : (j + 1) * n].mean(axis=0),
                }
        return out

    return compute()


def normal_draw_plausibility(W: ArrayLike, X: ArrayLike, sigma: float = 1.0) -> dict[str, float]:
    """How plausible a gradient-descent solution W is as coming from i.i.d. N(0, σ²) initial
    weights: W u = W0 u (u the unit normal; P u = 0) is then an N(0, σ² I_N) vector, so
    ``|W u|² / σ²`` follows χ²_N. Returns ``norm2`` (|W u|²/σ²) and the lower and upper tail
    probabilities ``p_below`` = P(χ²_N ≤ norm2) and ``p_above``."""
    _, u = plane_basis(X)
    v = np.asarray(W, dtype=float) @ u
    q = float(v @ v) / sigma**2
    return {"norm2": q, "p_below": float(chi2.cdf(q, len(u))), "p_above": float(chi2.sf(q, len(u)))}
