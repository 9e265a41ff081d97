"""Figures for the representational-geometry chapter (hidden layers of tanh / ReLU networks).

* :func:`metric_panels` — one panel per measure, mean ± sd over seeds against a swept quantity
  (training step, δ, training noise), one line per activation (or per any other key).
* :func:`trajectory_figure` — first-layer weights of the neurons of one network projected on the
  inter- and intra-class axes over training, over the expected-gradient direction field (the
  paper's Fig. 1D), one panel per activation.
* :func:`series_color` — the colour of a series key: the book's activation colours, plus the
  activations only this chapter uses (two-sided ``clip``, shifted ReLUs).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike, NDArray
from plotly.subplots import make_subplots

from .style import ACTIVATION_COLORS, COLORS, band_trace, style

__all__ = ["SERIES_COLORS", "metric_panels", "series_color", "trajectory_figure"]

#: Colours of the series of this chapter (Okabe–Ito; tanh and ReLU as in every chapter).
SERIES_COLORS = {
    "tanh": ACTIVATION_COLORS["tanh"],
    "relu": ACTIVATION_COLORS["relu"],
    "clip": COLORS["sky"],
    "relu(z+1)": COLORS["green"],
    "relu(z−1)": COLORS["orange"],
    "linear": ACTIVATION_COLORS["linear"],
}
_DASHES = {"relu(z+1)": "dash", "relu(z−1)": "dot"}


def series_color(key: str) -> str:
    """Colour of a series: :data:`SERIES_COLORS` by key (case-insensitive prefix before a space)."""
    k = key.lower().split(" ")[0]
    return SERIES_COLORS.get(k, COLORS["black"])


def _plot_x(xs: NDArray[np.float64], log_x: bool) -> NDArray[np.float64]:
    """Where the x values are drawn: on a log axis, 0 goes to half the smallest positive x."""
    xp = xs.copy()
    if log_x:
        if np.any(xs < 0):
            raise ValueError("log_x needs x >= 0")
        pos = xs[xs > 0]
        xp[xs == 0] = (pos.min() if pos.size else 1.0) / 2
    return xp


def metric_panels(
    x: ArrayLike | Mapping[str, ArrayLike],
    values: Mapping[str, Mapping[str, ArrayLike]],
    metric_labels: Mapping[str, str],
    *,
    x_title: str,
    log_x: bool = False,
    zero_label: str = "init",
    ranges: Mapping[str, tuple[float, float]] | None = None,
    dashes: Mapping[str, str] | None = None,
    columns: int = 3,
    height: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Panels of mean ± sd over seeds: ``values[series][metric]`` has shape (len(x), n_seeds).

    One panel per key of ``metric_labels`` (its label is the panel's y-axis title), one line with
    a shaded ± 1 sd band per series, coloured by :func:`series_color` (line dash from ``dashes``
    by series name). ``x`` is one 1-D grid for all panels or a mapping metric → grid. With
    ``log_x`` the x value 0 is drawn at half the smallest positive x and labelled ``zero_label``.
    Traces per series and panel, in order: band, mean line (the legend shows each series once).
    """
    metrics = list(metric_labels)
    if not metrics or not values:
        raise ValueError("need at least one metric and one series")
    grids: dict[str, NDArray[np.float64]] = {}
    for metric in metrics:
        g = np.asarray(x[metric] if isinstance(x, Mapping) else x, dtype=float)
        if g.ndim != 1 or g.size == 0:
            raise ValueError(f"the x grid of {metric!r} must be a non-empty 1-D array")
        grids[metric] = g
    rows = int(np.ceil(len(metrics) / columns))
    cols = min(columns, len(metrics))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        horizontal_spacing=0.09,
        vertical_spacing=0.16 if rows > 1 else 0.1,
    )
    for series, per_metric in values.items():
        color = series_color(series)
        dash = (dashes or {}).get(series, _DASHES.get(series.lower().split(" ")[0], "solid"))
        for m_i, metric in enumerate(metrics):
            if metric not in per_metric:
                continue
            xs = grids[metric]
            xp = _plot_x(xs, log_x)
            v = np.asarray(per_metric[metric], dtype=float)
            if v.ndim == 1:
                v = v[:, None]
            if v.shape[0] != xs.size:
                raise ValueError(
                    f"values[{series!r}][{metric!r}] has {v.shape[0]} rows, x has {xs.size}"
                )
            if not np.all(np.isfinite(v)):
                raise ValueError(f"values[{series!r}][{metric!r}] contains NaN or inf")
            mean = v.mean(axis=1)
            sd = v.std(axis=1, ddof=1) if v.shape[1] > 1 else np.zeros_like(mean)
            r, c = m_i // cols + 1, m_i % cols + 1
            fig.add_trace(
                band_trace(xp, mean - sd, mean + sd, color, legendgroup=series), row=r, col=c
            )
            fig.add_trace(
                go.Scatter(
                    x=xp,
                    y=mean,
                    mode="lines+markers",
                    name=series,
                    line={"color": color, "width": 2, "dash": dash},
                    marker={"size": 5},
                    legendgroup=series,
                    showlegend=m_i == 0,
                    customdata=np.stack([xs, sd], axis=1),
                    hovertemplate=(
                        f"{series}<br>{x_title}: %{{customdata[0]:g}}<br>"
                        f"{metric_labels[metric]}: %{{y:.3f}} ± %{{customdata[1]:.3f}}<extra></extra>"
                    ),
                ),
                row=r,
                col=c,
            )
    for m_i, metric in enumerate(metrics):
        r, c = m_i // cols + 1, m_i % cols + 1
        fig.update_yaxes(title_text=metric_labels[metric], row=r, col=c, title_font={"size": 12})
        if ranges and metric in ranges:
            fig.update_yaxes(range=list(ranges[metric]), row=r, col=c)
        kw: dict = {"title_text": x_title, "title_font": {"size": 12}}
        if log_x:
            xs = np.unique(grids[metric])
            kw |= {
                "type": "log",
                "tickvals": _plot_x(xs, True).tolist(),
                "ticktext": [zero_label if v == 0 else f"{v:g}" for v in xs],
            }
        fig.update_xaxes(row=r, col=c, **kw)
    fig.update_layout(legend={"orientation": "h", "y": -0.12 if rows > 1 else -0.25, "x": 0})
    return style(fig, title=title, height=height or 290 * rows + 80)


def _arrows(
    X: NDArray[np.float64],
    Y: NDArray[np.float64],
    U: NDArray[np.float64],
    V: NDArray[np.float64],
    length: float,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Unit-direction arrows of the given length as line segments: a shaft and two head strokes
    per arrow, each segment followed by a NaN (a gap). float32 arrays: plotly stores them as
    compact binary, which keeps the figure small."""
    norm = np.hypot(U, V).ravel()
    keep = np.isfinite(norm) & (norm > 1e-12)
    x0, y0 = X.ravel()[keep], Y.ravel()[keep]
    dx, dy = length * U.ravel()[keep] / norm[keep], length * V.ravel()[keep] / norm[keep]
    x1, y1 = x0 + dx, y0 + dy
    gap = np.full_like(x0, np.nan)
    segs_x, segs_y = [x0, x1, gap], [y0, y1, gap]
    for ang in (2.6, -2.6):  # head strokes at ±150° from the shaft
        ca, sa = np.cos(ang), np.sin(ang)
        segs_x += [x1, x1 + 0.35 * (ca * dx - sa * dy), gap]
        segs_y += [y1, y1 + 0.35 * (sa * dx + ca * dy), gap]
    return (
        np.stack(segs_x, axis=1).ravel().astype(np.float32),
        np.stack(segs_y, axis=1).ravel().astype(np.float32),
    )


def _polylines(traj: NDArray[np.float64]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Trajectories (R, n, 2) as one NaN-separated polyline per neuron (float32)."""
    R, n, _ = traj.shape
    out = np.full((n, R + 1, 2), np.nan, dtype=np.float32)
    out[:, :R] = np.swapaxes(traj, 0, 1)
    flat = out.reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


def trajectory_figure(
    panels: Mapping[str, tuple[ArrayLike, tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike]]],
    *,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    height: int = 420,
    title: str | None = None,
) -> go.Figure:
    """Weight trajectories over the expected-gradient field, one panel per key of ``panels``.

    ``panels[name] = (traj, (alpha, beta, d_alpha, d_beta))``: ``traj`` (R, n_neurons, 2) the
    neurons' (inter-class, intra-class) coordinates at R recorded steps (first = initial);
    ``alpha`` (G1,), ``beta`` (G2,) the field's grid and ``d_alpha``, ``d_beta`` (G2, G1) its
    components, drawn as unit-length direction arrows. Traces per panel, in order: field arrows,
    trajectories (one trace, NaN-separated), initial points (circles), final points. Coordinates
    are stored as float32 (compact in the page and in widget messages).
    """
    if not panels:
        raise ValueError("need at least one panel")
    names = list(panels)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names, horizontal_spacing=0.07)
    for k, name in enumerate(names):
        traj_in, (al, be, da, db) = panels[name]
        traj = np.asarray(traj_in, dtype=float)
        if traj.ndim != 3 or traj.shape[2] != 2 or traj.shape[0] < 2:
            raise ValueError(
                f"{name}: traj must have shape (R >= 2, n_neurons, 2), got {traj.shape}"
            )
        al, be = np.asarray(al, dtype=float), np.asarray(be, dtype=float)
        A, Bm = np.meshgrid(al, be)
        step = min(
            np.diff(al).min() if al.size > 1 else 1.0, np.diff(be).min() if be.size > 1 else 1.0
        )
        ax, ay = _arrows(
            A, Bm, np.asarray(da, dtype=float), np.asarray(db, dtype=float), 0.7 * step
        )
        color = series_color(name)
        fig.add_trace(
            go.Scatter(
                x=ax,
                y=ay,
                mode="lines",
                line={"color": COLORS["grey"], "width": 1},
                hoverinfo="skip",
                name="expected gradient (direction)",
                showlegend=k == 0,
                legendgroup="field",
            ),
            row=1,
            col=k + 1,
        )
        lx, ly = _polylines(traj)
        fig.add_trace(
            go.Scatter(
                x=lx,
                y=ly,
                mode="lines",
                line={"color": color, "width": 1.3},
                name=f"{name}: neuron trajectories",
                hoverinfo="skip",
            ),
            row=1,
            col=k + 1,
        )
        fig.add_trace(
            go.Scatter(
                x=traj[0, :, 0].astype(np.float32),
                y=traj[0, :, 1].astype(np.float32),
                mode="markers",
                marker={"symbol": "circle-open", "size": 6, "color": COLORS["black"]},
                name="initial weights",
                showlegend=k == 0,
                legendgroup="start",
                hovertemplate="start: (%{x:.2f}, %{y:.2f})<extra></extra>",
            ),
            row=1,
            col=k + 1,
        )
        fig.add_trace(
            go.Scatter(
                x=traj[-1, :, 0].astype(np.float32),
                y=traj[-1, :, 1].astype(np.float32),
                mode="markers",
                marker={"symbol": "circle", "size": 6, "color": color},
                name=f"{name}: end of training",
                hovertemplate="end: (%{x:.2f}, %{y:.2f})<extra></extra>",
            ),
            row=1,
            col=k + 1,
        )
        fig.update_xaxes(title_text="inter-class selectivity w·û", row=1, col=k + 1)
        if x_range is not None:
            fig.update_xaxes(range=list(x_range), row=1, col=k + 1)
        if y_range is not None:
            fig.update_yaxes(range=list(y_range), row=1, col=k + 1)
    fig.update_yaxes(title_text="intra-class selectivity w·v̂", row=1, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.22, "x": 0})
    return style(fig, title=title, height=height)
