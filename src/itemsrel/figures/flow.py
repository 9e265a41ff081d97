"""3-D flow fields of ``x ← φ(W x)`` in the paper's Figure 1 convention.

Trajectories from a mesh of starts are drawn from dark blue (step n = 0) to light blue
(n = ``shown_steps``, 6 in the paper); where each start is after ``end_steps`` (25) iterations is
marked as an end point. Training items, fixed points (by stability) and, for linear networks,
the attracting plane of fixed points can be overlaid.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from ..activations import Activation
from ..dynamics import FixedPoint, FixedSubspace, iterate, mesh
from .style import BLUES, COLORS, style

__all__ = ["STABILITY_SYMBOLS", "flow_figure", "flow_traces", "trajectory_subset"]

STABILITY_SYMBOLS = {
    "attracting": ("circle", COLORS["vermillion"]),
    "saddle": ("diamond-open", COLORS["orange"]),
    "repelling": ("x", COLORS["purple"]),
    "marginal": ("square-open", COLORS["grey"]),
}


def trajectory_subset(n_points: int, shown: int = 18) -> np.ndarray:
    """Indices of the ``shown`` trajectories drawn (evenly spaced through the mesh order)."""
    if shown >= n_points:
        return np.arange(n_points)
    return np.unique(np.linspace(0, n_points - 1, shown).round().astype(int))


def flow_traces(
    W: ArrayLike,
    activation: str | Activation,
    starts: ArrayLike | None = None,
    *,
    shown: int = 18,
    shown_steps: int = 6,
    end_steps: int = 25,
) -> list[go.Scatter3d]:
    """Trajectory and end-point traces for a flow field (no layout): reusable in animations."""
    x0 = mesh() if starts is None else np.asarray(starts, dtype=float)
    traj = iterate(W, x0, activation, max(shown_steps, end_steps))
    idx = trajectory_subset(len(x0), shown)
    xs, ys, zs, cs = [], [], [], []
    for p in idx:
        seg = traj[: shown_steps + 1, p]
        xs += [*seg[:, 0], None]
        ys += [*seg[:, 1], None]
        zs += [*seg[:, 2], None]
        cs += [*range(shown_steps + 1), shown_steps]
    scale = [[k / (len(BLUES) - 1), c] for k, c in enumerate(BLUES)]
    ends = traj[end_steps]
    finite = np.all(np.isfinite(ends), axis=1)
    return [
        go.Scatter3d(
            x=xs,
            y=ys,
            z=zs,
            mode="lines",
            name=f"trajectories (n = 0…{shown_steps})",
            line={"color": cs, "colorscale": scale, "cmin": 0, "cmax": shown_steps, "width": 4},
            hoverinfo="skip",
        ),
        go.Scatter3d(
            x=ends[finite, 0],
            y=ends[finite, 1],
            z=ends[finite, 2],
            mode="markers",
            name=f"all {len(x0)} starts after n = {end_steps}",
            marker={"size": 3, "color": COLORS["black"]},
            hovertemplate="(%{x:.3f}, %{y:.3f}, %{z:.3f})<extra>n = " + str(end_steps) + "</extra>",
        ),
    ]


def _plane_trace(sub: FixedSubspace, lim: tuple[float, float]) -> go.Mesh3d | None:
    if sub.dimension != 2:
        return None
    u, v = sub.basis[:, 0], sub.basis[:, 1]
    s = np.linspace(-2.0, 2.0, 21)
    S, T = np.meshgrid(s, s)
    pts = S.ravel()[:, None] * u + T.ravel()[:, None] * v
    inside = np.all((pts >= lim[0] - 1e-9) & (pts <= lim[1] + 1e-9), axis=1)
    pts = pts[inside]
    if len(pts) < 3:
        return None
    return go.Mesh3d(
        x=pts[:, 0],
        y=pts[:, 1],
        z=pts[:, 2],
        opacity=0.25,
        color=COLORS["sky"],
        name="plane of fixed points",
        showlegend=True,
        hoverinfo="skip",
        alphahull=0,
    )


def flow_figure(
    W: ArrayLike,
    activation: str | Activation,
    *,
    training_set: ArrayLike | None = None,
    fixed: Sequence[FixedPoint] | None = None,
    subspace: FixedSubspace | None = None,
    starts: ArrayLike | None = None,
    title: str | None = None,
    shown: int = 18,
    height: int = 520,
) -> go.Figure:
    """The paper's Figure 1 panel for one network (N = 3), as an interactive 3-D plotly figure."""
    W = np.asarray(W, dtype=float)
    if W.shape != (3, 3):
        raise ValueError(f"flow_figure draws 3-D state spaces; W has shape {W.shape}")
    fig = go.Figure(flow_traces(W, activation, starts, shown=shown))
    lim = (-0.1, 1.1)
    if subspace is not None:
        plane = _plane_trace(subspace, (-0.25, 1.25))
        if plane is not None:
            fig.add_trace(plane)
    if training_set is not None:
        X = np.asarray(training_set, dtype=float)
        fig.add_trace(
            go.Scatter3d(
                x=X[:, 0],
                y=X[:, 1],
                z=X[:, 2],
                mode="markers",
                name="training items",
                marker={
                    "size": 8,
                    "symbol": "diamond",
                    "color": COLORS["green"],
                    "line": {"width": 1, "color": "black"},
                },
                hovertemplate="item (%{x:.0f}, %{y:.0f}, %{z:.0f})<extra></extra>",
            )
        )
    for kind, (symbol, color) in STABILITY_SYMBOLS.items():
        pts = [fp for fp in (fixed or []) if fp.stability == kind]
        if not pts:
            continue
        P = np.array([fp.x for fp in pts])
        text = [", ".join(f"{abs(e):.3f}" for e in fp.eigenvalues) for fp in pts]
        fig.add_trace(
            go.Scatter3d(
                x=P[:, 0],
                y=P[:, 1],
                z=P[:, 2],
                mode="markers",
                name=f"{kind} fixed point",
                marker={"size": 7, "symbol": symbol, "color": color},
                text=text,
                hovertemplate="(%{x:.3f}, %{y:.3f}, %{z:.3f})<br>|λ| = %{text}<extra>"
                + kind
                + "</extra>",
            )
        )
    axis = {"range": list(lim), "tickvals": [0, 0.5, 1]}
    fig.update_layout(
        scene={
            "xaxis": {**axis, "title": "x₁"},
            "yaxis": {**axis, "title": "x₂"},
            "zaxis": {**axis, "title": "x₃"},
            "aspectmode": "cube",
            "camera": {"eye": {"x": 1.6, "y": -1.5, "z": 1.0}},
        },
        legend={"x": 0.0, "y": 1.0, "font": {"size": 11}},
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
    )
    return style(fig, title=title, height=height)
