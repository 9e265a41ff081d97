"""The gain of a regularised auto-associator that keeps the items' span: ``W = w·P``.

Setting. ``X`` (shape ``(K, N)``) has *orthogonal items with the same number of ones* (one-hot
items such as the paper's X' = {010, 001}, or disjoint blocks); ``P`` is the orthogonal projector
onto span(X); φ has φ(0) = 0 (linear, tanh, ReLU). Then ``P x = x`` for every item, the
gradient of the loss and of the ``l1``, ``l2`` and ``rate`` penalties at ``W = w·P`` is a multiple
of ``P`` (because ``XᵀX ∝ P``), and training from ``W₀ = 0`` never leaves the line ``{w·P}``.
Along it, with ``n₁`` the number of ones in X,

    data loss     L(w) = n₁ (φ(w) − 1)² / (K N)
    l1            R(w) = |w| Σ|P_ij| / N²          l2    R(w) = w² Σ P_ij² / N²
    rate          R(w) = n₁ φ(w)² / (K N)

and the penalised objective ``L + λ R`` is stationary where ``λ = −L'(w) / R'(w)``
(:func:`stationary_strength`). :func:`gain` inverts this: the gain ``w`` a network trained to
convergence with strength λ ends at. For tanh the items' fixed points of ``x ← φ(W x)`` exist only
while ``w > 1`` (``x = tanh(w x)`` has a non-zero solution iff ``w > 1``), so
:func:`critical_strength` — λ at ``w = 1`` — is where the network stops *remembering* its items.
The ``level`` penalty pulls silent units towards 0.5, which moves W off the line: it has no
gain and raises ``ValueError`` here, like training sets or activations outside the setting.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from . import _validate
from .activations import Activation, get_activation
from .linear_theory import projector
from .patterns import as_training_set

__all__ = ["GAIN_PENALTIES", "critical_strength", "gain", "stationary_strength"]

#: Penalties whose optimum stays on the line W = w·P.
GAIN_PENALTIES = ("l1", "l2", "rate")


def _setting(X: ArrayLike, activation: str | Activation, penalty: str):
    Xn = as_training_set(X)
    phi = get_activation(activation)
    if penalty not in GAIN_PENALTIES:
        raise ValueError(
            f"penalty {penalty!r} moves W off the line w·P; the gain is defined for "
            f"{', '.join(GAIN_PENALTIES)}"
        )
    if abs(float(phi(0.0))) > 1e-12:
        raise ValueError(
            f"{phi.label} has φ(0) = {float(phi(0.0)):g} ≠ 0: W = w·P is not a solution path"
        )
    K, N = Xn.shape
    G = Xn.T.astype(float) @ Xn
    P = projector(Xn)
    ones = Xn.sum(axis=1)
    scale = np.trace(G) / np.trace(P)
    if not (np.all(ones == ones[0]) and np.allclose(G, scale * P)):
        raise ValueError(
            "the gain analysis needs orthogonal items with equal numbers of ones (XᵀX ∝ P), "
            "e.g. one-hot items or disjoint blocks"
        )
    return phi, K, N, int(ones.sum()), P


def stationary_strength(
    X: ArrayLike, activation: str | Activation, penalty: str, w: float | ArrayLike
) -> float | np.ndarray:
    """The strength λ for which ``W = w·P`` is a stationary point of loss + λ·penalty (w > 0).

    Negative values mean no λ ≥ 0 puts the optimum there (e.g. a linear network with w > 1).
    """
    phi, K, N, n1, P = _setting(X, activation, penalty)
    w = _validate.finite_array(w, "the gain w")
    if np.any(w <= 0):
        raise ValueError(f"the gain w must be positive, got {w.tolist()}")
    f, d = phi(w), phi.derivative(w)
    if penalty == "rate":  # L' and R' share the factor 2 n1 φ'(w)/(K N): λ = (1 − φ)/φ
        with np.errstate(divide="ignore"):
            lam = np.where(f > 0, (1.0 - f) / np.where(f > 0, f, 1.0), np.inf)
    else:
        dL = 2.0 * n1 * (f - 1.0) * d / (K * N)
        dR = np.abs(P).sum() / N**2 if penalty == "l1" else 2.0 * w * (P**2).sum() / N**2
        lam = -dL / dR
    return float(lam) if lam.ndim == 0 else lam


def gain(
    X: ArrayLike, activation: str | Activation, penalty: str, strength: float, w_max: float = 40.0
) -> float:
    """The gain w of ``W = w·P`` at which loss + ``strength``·penalty is stationary.

    Found with ``scipy.optimize.brentq`` on (0, ``w_max``]. λ(w) decreases in w; for ``l1`` it
    stays finite as w → 0, and a strength above that limit drives every weight to zero (returns
    0.0). ``strength`` must be positive (without a penalty the tanh gain grows without bound).
    """
    if not (np.isfinite(strength) and strength > 0):
        raise ValueError(f"strength must be positive and finite, got {strength}")
    if not (np.isfinite(w_max) and w_max > 1e-9):
        raise ValueError(f"w_max must be a finite number > 1e-9, got {w_max}")
    _setting(X, activation, penalty)  # validate before searching

    def excess(w: float) -> float:
        return float(stationary_strength(X, activation, penalty, w)) - strength

    lo = 1e-9
    if excess(lo) <= 0:
        return 0.0
    if excess(w_max) > 0:
        raise ValueError(f"the gain exceeds w_max = {w_max} at strength {strength}")
    return float(brentq(excess, lo, w_max, xtol=1e-14, rtol=1e-14))


def critical_strength(
    X: ArrayLike, activation: str | Activation, penalty: str, at_gain: float = 1.0
) -> float:
    """λ at which the trained gain is ``at_gain`` (default 1: tanh's items stop being fixed points)."""
    if not (np.isfinite(at_gain) and at_gain > 0):
        raise ValueError(f"at_gain must be a positive finite number, got {at_gain}")
    return float(stationary_strength(X, activation, penalty, at_gain))
