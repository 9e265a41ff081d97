"""3-D flow fields of ``x ← φ(W x)`` in the paper's Figure 1 convention.

Trajectories from a mesh of starts are drawn from dark blue (step n = 0) to light blue
(n = ``shown_steps``, 6 in the paper); where each start is after ``end_steps`` (25) iterations is
marked as an end point. Training items, fixed points (by stability) and, for linear networks,
the attracting plane of fixed points can be overlaid.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from ..activations import Activation
from ..dynamics import FixedPoint, FixedSubspace, iterate, mesh
from .style import BLUES, COLORS, style

__all__ = [
    "FLOW_HEIGHT",
    "STABILITY_SYMBOLS",
    "box_section",
    "flow_figure",
    "flow_traces",
    "subspace_trace",
    "trajectory_subset",
]

STABILITY_SYMBOLS = {
    "attracting": ("circle", COLORS["vermillion"]),
    "saddle": ("diamond-open", COLORS["orange"]),
    "repelling": ("x", COLORS["purple"]),
    "marginal": ("square-open", COLORS["grey"]),
}


#: Default height of a flow figure (px): the cube stays readable in a 1280 px window with the
#: legend below it.
FLOW_HEIGHT = 580


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
    return [
        go.Scatter3d({k: v for k, v in t.items() if k != "type"})
        for t in _flow_trace_dicts(W, activation, starts, shown, shown_steps, end_steps)
    ]


def _t(kind: str, **kw: object) -> dict:
    """A trace as a plain dict (figures of live panels are built without per-trace validation,
    which costs ~5 ms a trace; the static path's tests validate the same dicts)."""
    return {"type": kind, **kw}


def _flow_trace_dicts(
    W: ArrayLike,
    activation: str | Activation,
    starts: ArrayLike | None,
    shown: int,
    shown_steps: int,
    end_steps: int,
) -> list[dict]:
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
        _t(
            "scatter3d",
            x=xs,
            y=ys,
            z=zs,
            mode="lines",
            name=f"trajectories (n = 0…{shown_steps})",
            line={"color": cs, "colorscale": scale, "cmin": 0, "cmax": shown_steps, "width": 4},
            hoverinfo="skip",
        ),
        _t(
            "scatter3d",
            x=ends[finite, 0],
            y=ends[finite, 1],
            z=ends[finite, 2],
            mode="markers",
            name=f"all {len(x0)} starts after n = {end_steps}",
            marker={"size": 3, "color": COLORS["black"]},
            hovertemplate="(%{x:.3f}, %{y:.3f}, %{z:.3f})<extra>n = " + str(end_steps) + "</extra>",
        ),
    ]


def box_section(basis: ArrayLike, lim: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The part of the subspace spanned by ``basis`` (3, d) inside the cube ``lim``³.

    d = 2 (a plane through 0): returns ``(vertices (P, 3), triangles (T, 3))`` — the polygon where
    the plane cuts the cube (its crossings of the cube's 12 edges, ordered by angle), fanned from
    its centre into explicit triangles, so the mesh is drawn whatever the plane's orientation
    (axis-aligned planes included). d = 1 (a line): the segment's two end points and no triangles.
    Empty arrays when the subspace misses the cube.
    """
    B = np.asarray(basis, dtype=float).reshape(3, -1)
    lo, hi = lim
    corners = np.array([[x, y, z] for x in (lo, hi) for y in (lo, hi) for z in (lo, hi)])
    none = (np.zeros((0, 3)), np.zeros((0, 3), dtype=int))
    if B.shape[1] == 1:
        d = B[:, 0] / np.linalg.norm(B[:, 0])
        if not lo <= 0 <= hi:
            return none
        nz = np.abs(d) > 1e-12
        bounds = np.sort(np.stack([lo / d[nz], hi / d[nz]]), axis=0)
        t0, t1 = float(bounds[0].max()), float(bounds[1].min())
        return np.array([t0 * d, t1 * d]), none[1]
    if B.shape[1] != 2:
        return none
    n = np.cross(B[:, 0], B[:, 1])
    n /= np.linalg.norm(n)
    f = corners @ n
    pts = []
    for a in range(8):
        for b in range(a + 1, 8):
            if np.count_nonzero(corners[a] != corners[b]) != 1:
                continue  # not a cube edge
            fa, fb = f[a], f[b]
            if abs(fa) < 1e-12:
                pts.append(corners[a])
            if abs(fb) < 1e-12:
                pts.append(corners[b])
            if fa * fb < 0:
                t = fa / (fa - fb)
                pts.append(corners[a] + t * (corners[b] - corners[a]))
    if len(pts) < 3:
        return none
    P = np.unique(np.round(np.array(pts), 12), axis=0)
    if len(P) < 3:
        return none
    centre = P.mean(axis=0)
    uv = (P - centre) @ B
    P = P[np.argsort(np.arctan2(uv[:, 1], uv[:, 0]))]
    V = np.vstack([centre, P])
    m = len(P)
    tri = np.array([[0, 1 + k, 1 + (k + 1) % m] for k in range(m)])
    return V, tri


def subspace_trace(sub: FixedSubspace, lim: tuple[float, float]) -> dict | None:
    """The plane (a ``mesh3d`` of explicit triangles) or line (``scatter3d``) of fixed points
    inside the cube ``lim``³, as a trace dict; None if there is none to draw."""
    if sub.dimension not in (1, 2):
        return None
    V, tri = box_section(sub.basis, lim)
    if len(V) == 0:
        return None
    if sub.dimension == 1:
        return _t(
            "scatter3d",
            x=V[:, 0],
            y=V[:, 1],
            z=V[:, 2],
            mode="lines",
            name="line of fixed points",
            line={"color": COLORS["sky"], "width": 8},
            hoverinfo="skip",
        )
    return _t(
        "mesh3d",
        x=V[:, 0],
        y=V[:, 1],
        z=V[:, 2],
        i=tri[:, 0],
        j=tri[:, 1],
        k=tri[:, 2],
        opacity=0.25,
        color=COLORS["sky"],
        name="plane of fixed points",
        showlegend=True,
        hoverinfo="skip",
    )


def _empty_mesh() -> dict:
    return _t(
        "mesh3d",
        x=[],
        y=[],
        z=[],
        i=[],
        j=[],
        k=[],
        opacity=0.25,
        color=COLORS["sky"],
        name="plane of fixed points",
        showlegend=False,
        hoverinfo="skip",
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
    height: int = FLOW_HEIGHT,
    fixed_slots: bool = False,
) -> go.Figure:
    """The paper's Figure 1 panel for one network (N = 3), as an interactive 3-D plotly figure.

    ``fixed_slots``: always the same traces in the same order (an empty, legend-less trace for a
    missing plane or stability kind), so that a live panel can restyle them in place.
    """
    W = np.asarray(W, dtype=float)
    if W.shape != (3, 3):
        raise ValueError(f"flow_figure draws 3-D state spaces; W has shape {W.shape}")
    traces = _flow_trace_dicts(W, activation, starts, shown, 6, 25)
    plane = subspace_trace(subspace, (-0.25, 1.25)) if subspace is not None else None
    if fixed_slots:  # slot for a plane, slot for a line
        is_line = plane is not None and plane["type"] == "scatter3d"
        traces.append(plane if plane is not None and not is_line else _empty_mesh())
        traces.append(
            {**plane, "showlegend": True}
            if is_line
            else _t(
                "scatter3d",
                x=[],
                y=[],
                z=[],
                mode="lines",
                name="line of fixed points",
                line={"color": COLORS["sky"], "width": 8},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    elif plane is not None:
        traces.append(plane)
    if training_set is not None:
        X = np.asarray(training_set, dtype=float)
        traces.append(
            _t(
                "scatter3d",
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
        if not pts and fixed_slots:
            traces.append(
                _t(
                    "scatter3d",
                    x=[],
                    y=[],
                    z=[],
                    mode="markers",
                    name=f"{kind} fixed point",
                    marker={"size": 7, "symbol": symbol, "color": color},
                    text=[],
                    hovertemplate="<extra></extra>",
                    showlegend=False,
                )
            )
            continue
        if not pts:
            continue
        P = np.array([fp.x for fp in pts])
        text = [", ".join(f"{abs(e):.3f}" for e in fp.eigenvalues) for fp in pts]
        traces.append(
            _t(
                "scatter3d",
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
                showlegend=True,
            )
        )
    # built without validation (~5 ms a trace); the layout is the same for every network, built
    # and validated once per title and height
    return go.Figure(data=traces, layout=_flow_layout(title, height), _validate=False)


@lru_cache(maxsize=64)
def _flow_layout_json(title: str | None, height: int) -> str:
    lim = (-0.1, 1.1)
    axis = {"range": list(lim), "tickvals": [0, 0.5, 1]}
    fig = go.Figure()
    fig.update_layout(
        scene={
            "xaxis": {**axis, "title": "x₁"},
            "yaxis": {**axis, "title": "x₂"},
            "zaxis": {**axis, "title": "x₃"},
            "aspectmode": "cube",
            "camera": {"eye": {"x": 1.6, "y": -1.5, "z": 1.0}},
        },
        # below the cube, outside the scene (plotly grows the bottom margin to fit it)
        legend={
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "top",
            "font": {"size": 11},
        },
        margin={"l": 0, "r": 0, "t": 40, "b": 10},
    )
    return json.dumps(style(fig, title=title, height=height).layout.to_plotly_json())


def _flow_layout(title: str | None, height: int) -> dict:
    return json.loads(_flow_layout_json(title, height))
