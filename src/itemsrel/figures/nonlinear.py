"""Figures for the non-linear auto-associators (paper §3.2).

* :func:`near_linear_interval` — where φ' stays within a fraction of its peak (the "linear regime").
* :func:`operating_regime_figure` — φ and φ' of each activation with the trained networks'
  operating points (pre-activations ``W x`` for binary patterns) marked on the curves.
* :func:`loss_table_figure` — per-pattern losses (Table 1) as grouped bars, the paper's printed
  values as markers on the same bars.
* :func:`line_distance` / :func:`collapse_figure` — how fast iterates fall onto the line through two
  training items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike, NDArray
from plotly.subplots import make_subplots
from scipy.optimize import brentq

from ..activations import Activation, get_activation
from .style import ACTIVATION_COLORS, COLORS, style

__all__ = [
    "collapse_figure",
    "line_distance",
    "loss_table_figure",
    "near_linear_interval",
    "operating_regime_figure",
]


def _key(phi: Activation, given: str | Activation) -> str:
    return given if isinstance(given, str) else phi.name


def near_linear_interval(activation: str | Activation, rel_tol: float = 0.1) -> tuple[float, float]:
    """Interval of pre-activations z around the centre (z = shift) where φ'(z) ≥ (1 − rel_tol)·max φ'.

    tanh: |z − c| ≤ artanh(√rel_tol) (0.3274 for 10 %); sigmoid: σ(1−σ) ≥ (1−rel_tol)/4
    (|z| ≤ 0.6549 for 10 %); linear: the whole axis. Other activations raise ``ValueError``.
    """
    phi = get_activation(activation)
    if not 0 < rel_tol < 1:
        raise ValueError(f"rel_tol must lie in (0, 1), got {rel_tol}")
    if phi.name == "linear":
        return (-np.inf, np.inf)
    if phi.name not in ("tanh", "sigmoid"):
        raise ValueError(f"no smooth peak of φ' for {phi.label}")
    c = phi.shift
    peak = float(phi.derivative(c))
    u = brentq(lambda d: float(phi.derivative(c + d)) - (1 - rel_tol) * peak, 0.0, 100.0)
    return (c - u, c + u)


def operating_regime_figure(
    activations: Sequence[str | Activation],
    preactivations: Mapping[str, ArrayLike],
    *,
    rel_tol: float = 0.1,
    z_range: tuple[float, float] = (-8.0, 8.0),
    height: int = 380,
) -> go.Figure:
    """φ (solid) and φ' (dotted) per activation, one panel each, with operating points.

    ``preactivations[name]`` (any shape, flattened) are the values ``(W x)_i`` a trained network
    produces for binary inputs; each is marked on φ. The interval where φ' is within ``rel_tol`` of
    its peak is shaded. Traces per panel, in order: φ, φ', operating points (3 per activation).
    """
    acts = [get_activation(a) for a in activations]
    keys = [_key(p, a) for p, a in zip(acts, activations, strict=True)]
    fig = make_subplots(
        rows=1, cols=len(acts), subplot_titles=[p.label for p in acts], horizontal_spacing=0.08
    )
    z = np.linspace(*z_range, 801)
    for k, (phi, key) in enumerate(zip(acts, keys, strict=True)):
        col = k + 1
        color = ACTIVATION_COLORS.get(key, ACTIVATION_COLORS.get(phi.name, COLORS["black"]))
        fig.add_trace(
            go.Scatter(x=z, y=phi(z), mode="lines", name=f"φ = {phi.label}", line={"color": color}),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=z,
                y=phi.derivative(z),
                mode="lines",
                name=f"φ' ({key})",
                line={"color": color, "dash": "dot"},
            ),
            row=1,
            col=col,
        )
        pre = np.ravel(np.asarray(preactivations.get(key, []), dtype=float))
        fig.add_trace(
            go.Scatter(
                x=pre,
                y=phi(pre),
                mode="markers",
                name=f"operating points ({key})",
                marker={"size": 9, "color": color, "line": {"width": 1, "color": "black"}},
                hovertemplate="z = %{x:.3f}<br>φ(z) = %{y:.4f}<extra>" + key + "</extra>",
            ),
            row=1,
            col=col,
        )
        lo, hi = near_linear_interval(phi, rel_tol)
        fig.add_vrect(
            x0=max(lo, z_range[0]),
            x1=min(hi, z_range[1]),
            fillcolor=COLORS["sky"],
            opacity=0.25,
            line_width=0,
            row=1,
            col=col,
        )
        fig.update_xaxes(
            title_text="pre-activation z = (W x)ᵢ", range=list(z_range), row=1, col=col
        )
    fig.update_yaxes(title_text="φ(z) (solid), φ'(z) (dotted)", row=1, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return style(fig, height=height)


def loss_table_figure(
    patterns: Sequence[str],
    ours: Mapping[str, ArrayLike],
    paper: Mapping[str, ArrayLike] | None = None,
    *,
    height: int = 380,
) -> go.Figure:
    """Per-pattern loss (eq. 7) as grouped bars, one group per pattern, one bar per network.

    ``ours[name]`` and ``paper[name]`` have one value per pattern. The paper's values are drawn as
    black markers on the matching bar. Traces: one bar per key of ``ours``, then one marker trace
    per key of ``paper``.
    """
    labels = list(patterns)
    fig = go.Figure()
    for name, vals in ours.items():
        v = np.asarray(vals, dtype=float)
        if v.shape != (len(labels),):
            raise ValueError(
                f"{name}: {v.shape[0] if v.ndim else 0} values for {len(labels)} patterns"
            )
        fig.add_trace(
            go.Bar(
                x=labels,
                y=v,
                name=f"{name} (this book)",
                offsetgroup=name,
                marker_color=ACTIVATION_COLORS.get(name, COLORS["grey"]),
                hovertemplate="%{x}: %{y:.4f}<extra>" + name + "</extra>",
            )
        )
    for name, vals in (paper or {}).items():
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=np.asarray(vals, dtype=float),
                mode="markers",
                name=f"{name} (paper)",
                offsetgroup=name,
                marker={
                    "symbol": "line-ew-open",
                    "size": 18,
                    "color": "black",
                    "line": {"width": 3},
                },
                hovertemplate="%{x}: paper %{y:.4f}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(barmode="group", scattermode="group", bargap=0.25)
    fig.update_xaxes(title_text="pattern x (x₁/x₂/x₃)")
    fig.update_yaxes(title_text="loss (eq. 7)", rangemode="tozero")
    return style(fig, height=height)


def line_distance(points: ArrayLike, p: ArrayLike, q: ArrayLike) -> NDArray[np.float64]:
    """Euclidean distance of points (..., N) to the straight line through p and q (N,)."""
    x = np.asarray(points, dtype=float)
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    u = (q - p) / np.linalg.norm(q - p)
    d = x - p
    return np.linalg.norm(d - (d @ u)[..., None] * u, axis=-1)


def collapse_figure(
    distances: Mapping[str, ArrayLike],
    *,
    what: str = "line through the training items",
    height: int = 340,
) -> go.Figure:
    """Median and largest distance to a set over all starts, per iteration step.

    ``distances[name]`` has shape (steps + 1, P) (e.g. :func:`line_distance` of a trajectory from
    :func:`itemsrel.dynamics.iterate`). Two traces per network: largest (solid), median (dashed).
    """
    fig = go.Figure()
    for name, dist in distances.items():
        d = np.asarray(dist, dtype=float)
        n = np.arange(d.shape[0])
        color = ACTIVATION_COLORS.get(name, COLORS["grey"])
        fig.add_trace(
            go.Scatter(
                x=n,
                y=d.max(axis=1),
                mode="lines+markers",
                name=f"{name}: largest",
                line={"color": color},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=n,
                y=np.median(d, axis=1),
                mode="lines+markers",
                name=f"{name}: median",
                line={"color": color, "dash": "dash"},
            )
        )
    fig.update_xaxes(title_text="iteration step n", dtick=1)
    fig.update_yaxes(title_text=f"distance to the {what}", rangemode="tozero")
    return style(fig, height=height)
