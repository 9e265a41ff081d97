"""What the hidden-layer classifiers learned: representation metrics and selectivity.

:func:`representation_metrics` measures trained networks on held-out samples
(:func:`~itemsrel.geometry.four_cluster_metrics`); :func:`project_on_class_axes` gives each
neuron's inter- and intra-class selectivity, :func:`intra_class_fraction` the share of neurons
more selective within their class; :func:`expected_gradient_field` is the expected weight update
of one neuron in the inter-/intra-class plane (the paper's Fig. 1C, D).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..activations import Activation, get_activation
from ..geometry import ClusterTask, class_axes, four_cluster_metrics
from .model import hidden_activity
from .task import held_out_samples
from .train import HiddenResult

__all__ = [
    "expected_gradient_field",
    "intra_class_fraction",
    "project_on_class_axes",
    "representation_metrics",
]


def representation_metrics(
    result: HiddenResult,
    *,
    step: int | None = None,
    networks: Sequence[int] | None = None,
    decoders: bool = True,
    n_test: int = 16,
    sigma_test: float = 1.0,
) -> dict[str, NDArray[np.float64]]:
    """:func:`~itemsrel.geometry.four_cluster_metrics` of trained networks, one value per network.

    ``step`` None uses the final weights, else the weights after ``step`` updates (a recorded
    step; ``networks`` must then be recorded ones). ``networks`` are indices into the batch
    (default: all, or all recorded). The representation is measured on ``n_test`` held-out
    samples per cluster at noise ``sigma_test`` (:func:`held_out_samples`, the seed's test
    stream: the same samples for every step and activation of a seed). Returns metric → (n,).
    """
    if step is None:
        idx = np.arange(result.B) if networks is None else np.asarray(networks, dtype=int)
        weights = result.W[idx]
    else:
        idx = result.recorded if networks is None else np.asarray(networks, dtype=int)
        pos = {int(b): k for k, b in enumerate(result.recorded)}
        missing = [int(b) for b in idx if int(b) not in pos]
        if missing:
            raise ValueError(f"networks {missing[:5]} were not recorded during training")
        weights = result.weights_at(step)[[pos[int(b)] for b in idx]]
    if idx.size and (idx.min() < 0 or idx.max() >= result.B):
        raise ValueError(f"networks must index 0..{result.B - 1}")
    rows = []
    for W, b in zip(weights, idx, strict=True):
        task = result.tasks[b]
        X, ids = held_out_samples(task, int(result.seeds[b]), n_test, sigma_test)
        Z = hidden_activity(W, result.activations[b], X)
        rows.append(four_cluster_metrics(Z, X, ids, task, decoders=decoders))
    keys = rows[0].keys() if rows else []
    return {k: np.array([r[k] for r in rows]) for k in keys}


def project_on_class_axes(
    W: ArrayLike, readout: ArrayLike, task: ClusterTask
) -> NDArray[np.float64]:
    """Each neuron's input weights on its own class axes: W (..., H, N), readout (H,) → (..., H, 2).

    A neuron with readout a_j > 0 is driven towards class 1, one with a_j < 0 towards class 0;
    column 0 is w_j·û (inter-class selectivity, positive = towards its preferred class) and
    column 1 is w_j·v̂ (intra-class selectivity between the two preferred-class clusters), with
    û, v̂ from :func:`~itemsrel.geometry.class_axes` for that preferred class.
    """
    Wa = np.asarray(W, dtype=float)
    a = np.asarray(readout, dtype=float)
    if Wa.ndim < 2 or a.shape != (Wa.shape[-2],) or Wa.shape[-1] != task.N:
        raise ValueError(
            f"W must be (..., H, {task.N}) and readout (H,); got {Wa.shape} and {a.shape}"
        )
    if np.any(a == 0):
        raise ValueError("a neuron with readout 0 has no preferred class")
    out = np.empty((*Wa.shape[:-1], 2))
    for pref in (0, 1):
        sel = (a > 0) if pref == 1 else (a < 0)
        u, v = class_axes(task, pref)
        out[..., sel, 0] = Wa[..., sel, :] @ u
        out[..., sel, 1] = Wa[..., sel, :] @ v
    return out


def intra_class_fraction(
    result: HiddenResult, networks: Sequence[int], step: int | None = None
) -> NDArray[np.float64]:
    """Per network: the fraction of hidden neurons more selective within their preferred class
    than between the classes, ``|w·v̂| > |w·û|`` (:func:`project_on_class_axes`) — the neurons
    that specialise in one cluster, an item, rather than the class. After training, or after
    ``step`` updates for networks that were recorded. Shape ``(len(networks),)``."""
    out = []
    recorded = list(result.recorded)
    for b in networks:
        if step is None:
            W = result.W[b]
        else:
            if b not in recorded:
                raise ValueError(f"network {b} was not recorded; recorded: {recorded}")
            W = result.weights_at(step)[recorded.index(b)]
        p = project_on_class_axes(W, result.readout[b], result.tasks[b])
        out.append(np.mean(np.abs(p[:, 1]) > np.abs(p[:, 0])))
    return np.asarray(out, dtype=float)


def expected_gradient_field(
    task: ClusterTask,
    activation: str | Activation,
    inter: ArrayLike,
    intra: ArrayLike,
    *,
    preferred: int = 1,
    sigma: float = 1.0,
    n_quad: int = 32,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Expected update direction of one neuron's input weights, projected on the class axes.

    For w = α û + β v̂ (û, v̂ the unit inter-/intra-class axes of :func:`~itemsrel.geometry.class_axes`
    for the neuron's ``preferred`` class), with the paper's equal-error assumption (every cluster's
    error has the same size, sign +1 for the preferred class and −1 for the other):

        Δw ∝ Σ_i ε_i E_ξ[φ'(w·(x_i + σξ)) (x_i + σξ)]
           = Σ_i ε_i (E[φ'(m_i + s g)] x_i + σ E[φ'(m_i + s g) g] w/‖w‖),  m_i = w·x_i, s = σ‖w‖,

    the expectations over g ~ N(0, 1) by Gauss–Hermite quadrature. ``inter`` (G1,) and ``intra``
    (G2,) are the grid values α and β; returns (dα, dβ), each (G2, G1) (rows: β).
    """
    phi = get_activation(activation)
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma must be a finite number >= 0, got {sigma}")
    u, v = class_axes(task, preferred)
    al = np.asarray(inter, dtype=float)
    be = np.asarray(intra, dtype=float)
    if al.ndim != 1 or be.ndim != 1 or al.size < 1 or be.size < 1:
        raise ValueError("inter and intra must be 1-D grids")
    eps = np.where(task.labels == preferred, 1.0, -1.0)  # (P,)
    g, wq = np.polynomial.hermite_e.hermegauss(int(n_quad))
    wq = wq / wq.sum()
    Al, Be = np.meshgrid(al, be)  # (G2, G1)
    Wg = Al[..., None] * u + Be[..., None] * v  # (G2, G1, N)
    norm = np.linalg.norm(Wg, axis=-1)  # (G2, G1)
    m = Wg @ task.centers.T  # (G2, G1, P)
    s = sigma * norm
    arg = m[..., None] + s[..., None, None] * g  # (G2, G1, P, Q)
    d = phi.derivative(arg)
    Ed = d @ wq  # (G2, G1, P)
    Edg = (d * g) @ wq  # (G2, G1, P)
    mean_part = (eps * Ed) @ task.centers  # (G2, G1, N)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit_w = np.where(norm[..., None] > 0, Wg / norm[..., None], 0.0)
    noise_part = sigma * (eps * Edg).sum(axis=-1)[..., None] * unit_w
    dW = mean_part + noise_part
    return dW @ u, dW @ v
