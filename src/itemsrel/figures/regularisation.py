"""Figures of the regularisation sweep (chapter 4), drawn from :func:`itemsrel.sweep.summarise`.

* :func:`strength_figure` — a metric against penalty strength, one panel per penalty, one line
  (mean over seeds, band ± one standard deviation) per activation, the unpenalised value dotted.
* :func:`tradeoff_figure` — training loss against generalisation loss, one panel per activation,
  one curve per penalty through its strengths, the unpenalised network as a star.
* :func:`gain_figure` — the gain w of ``W = w·P`` against strength (:mod:`itemsrel.gain`), with
  trained networks as markers and the line w = 1 below which tanh forgets its items.

Losses span many decades and can be exactly 0 (linear networks on their span), so log axes draw
every value below ``floor`` at ``floor``; the axis titles say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .style import ACTIVATION_COLORS, COLORS, band_trace, style

__all__ = ["METRIC_LABELS", "PENALTY_STYLE", "gain_figure", "strength_figure", "tradeoff_figure"]

#: Axis titles of the sweep's metrics.
METRIC_LABELS = {
    "train_loss": "training loss",
    "span_loss": "unseen span loss",
    "consistent_loss": "unseen consistent loss",
    "mean_abs_preactivation": "mean |W x| on the items",
    "invariance_distance": "distance to invariant W",
}

#: Colour and dash per penalty (shared by all figures of the chapter).
PENALTY_STYLE = {
    "l1": (COLORS["orange"], "solid", "L1: λ·mean|W|"),
    "l2": (COLORS["sky"], "dash", "L2: λ·mean W²"),
    "rate": (COLORS["purple"], "dot", "rate: λ·mean y²"),
    "level": (COLORS["green"], "dashdot", "level: λ·mean (y − ½)²"),
}


_TICKS = {"tickvals": [1e-3, 1e-2, 1e-1, 1.0], "ticktext": ["10⁻³", "10⁻²", "10⁻¹", "1"]}


def _grid(titles: Sequence[str], *, shared_y: bool = True) -> go.Figure:
    """Subplots for ``titles`` in at most two columns (the book's text column is ~600 px wide);
    each panel's title is written inside its top-left corner, clear of menus above the plot."""
    cols = min(2, len(titles))
    rows = -(-len(titles) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_yaxes=shared_y,
        shared_xaxes=True,
        horizontal_spacing=0.06,
        vertical_spacing=0.08 if rows > 1 else 0.0,
    )
    for k, t in enumerate(titles):
        r, c = _cell(k, len(titles))
        fig.add_annotation(
            text=f"<b>{t}</b>",
            x=0.02,
            y=0.98,
            xref="x domain",
            yref="y domain",
            xanchor="left",
            yanchor="top",
            showarrow=False,
            bgcolor="rgba(255,255,255,0.75)",
            row=r,
            col=c,
        )
    return fig


def _cell(k: int, n: int) -> tuple[int, int]:
    cols = min(2, n)
    return k // cols + 1, k % cols + 1


def _rows(summary: pd.DataFrame, training_set: str, init: str) -> pd.DataFrame:
    sel = summary[(summary["training_set"] == training_set) & (summary["init"] == init)]
    if sel.empty:
        raise ValueError(f"no rows for training set {training_set!r} and init {init!r}")
    return sel


def strength_figure(
    summary: pd.DataFrame,
    metric: str,
    *,
    training_set: str,
    init: str,
    penalties: Sequence[str] | None = None,
    activations: Sequence[str] | None = None,
    log_y: bool = True,
    floor: float = 1e-6,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """``metric`` (mean ± std over seeds) against strength λ, one panel per penalty (two columns).

    Lines: one per activation (colours of :data:`ACTIVATION_COLORS`); the horizontal dotted line in
    the same colour is the activation's value without a penalty.
    """
    rows = _rows(summary, training_set, init)
    m, s = f"{metric}_mean", f"{metric}_std"
    if m not in rows:
        raise ValueError(f"summary has no column {m!r}")
    pens = list(penalties or [p for p in rows["penalty"].unique() if p != "none"])
    acts = list(activations or rows["activation"].unique())
    fig = _grid([PENALTY_STYLE.get(p, (None, None, p))[2] for p in pens])
    lo = floor if log_y else -np.inf
    for k, pen in enumerate(pens):
        r_, c_ = _cell(k, len(pens))
        for act in acts:
            color = ACTIVATION_COLORS.get(act, COLORS["grey"])
            r = rows[(rows["activation"] == act) & (rows["penalty"] == pen)].sort_values("strength")
            base = rows[(rows["activation"] == act) & (rows["penalty"] == "none")]
            x = r["strength"].to_numpy()
            y = np.maximum(r[m].to_numpy(), lo)
            sd = np.nan_to_num(r[s].to_numpy())
            band_hi = np.maximum(r[m].to_numpy() + sd, lo)
            band_lo = np.maximum(r[m].to_numpy() - sd, lo)
            fig.add_trace(band_trace(x, band_lo, band_hi, color, legendgroup=act), row=r_, col=c_)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines+markers",
                    name=act,
                    legendgroup=act,
                    showlegend=k == 0,
                    line={"color": color},
                    marker={"size": 6},
                    customdata=np.stack([r[m], sd], axis=1),
                    hovertemplate="λ = %{x:g}<br>mean %{customdata[0]:.3g} ± %{customdata[1]:.2g}"
                    f"<extra>{act}, {pen}</extra>",
                ),
                row=r_,
                col=c_,
            )
            if len(base):
                b = max(float(base[m].iloc[0]), lo)
                fig.add_trace(
                    go.Scatter(
                        x=[x.min(), x.max()] if len(x) else [],
                        y=[b, b],
                        mode="lines",
                        line={"color": color, "dash": "dot", "width": 1.5},
                        name=f"{act}, no penalty",
                        legendgroup=act,
                        showlegend=False,
                        hovertemplate=f"no penalty: {float(base[m].iloc[0]):.3g}<extra>{act}</extra>",
                    ),
                    row=r_,
                    col=c_,
                )
        fig.update_xaxes(type="log", **_TICKS, row=r_, col=c_)
    n_rows = _cell(len(pens) - 1, len(pens))[0]
    for c_ in range(1, min(2, len(pens)) + 1):
        fig.update_xaxes(title_text="strength λ", row=n_rows, col=c_)
    ylab = METRIC_LABELS.get(metric, metric)
    if log_y:
        fig.update_yaxes(type="log", exponentformat="power", dtick=1)
    for r_ in range(1, n_rows + 1):
        fig.update_yaxes(title_text=ylab if n_rows == 1 else "", row=r_, col=1)
    if n_rows > 1:
        fig.add_annotation(
            text=ylab,
            textangle=-90,
            x=-0.13,
            xref="paper",
            y=0.5,
            yref="paper",
            showarrow=False,
            font={"size": 13},
        )
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "y": -0.14 if n_rows > 1 else -0.28,
            "yanchor": "top",
            "title": {"text": "dotted: no penalty  "},
        },
        margin={"t": 100, "l": 80},
    )
    return style(fig, title=title, height=height or (380 if n_rows == 1 else 640))


def tradeoff_figure(
    summary: pd.DataFrame,
    *,
    training_set: str,
    init: str,
    metric: str = "span_loss",
    activations: Sequence[str] | None = None,
    floor: float = 1e-6,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Mean training loss (x) against mean ``metric`` (y), one panel per activation (two columns).

    Each penalty is a curve through its strengths (hover shows λ); the unpenalised network is a
    black star. Points below and to the left of the star would be improvements on both counts.
    Both axes are logarithmic, with values below ``floor`` drawn at ``floor``.
    """
    rows = _rows(summary, training_set, init)
    m = f"{metric}_mean"
    acts = list(activations or rows["activation"].unique())
    fig = _grid(acts, shared_y=True)
    for k, act in enumerate(acts):
        r_, c_ = _cell(k, len(acts))
        ra = rows[rows["activation"] == act]
        for pen in [p for p in ra["penalty"].unique() if p != "none"]:
            color, dash, label = PENALTY_STYLE.get(pen, (COLORS["grey"], "solid", pen))
            r = ra[ra["penalty"] == pen].sort_values("strength")
            fig.add_trace(
                go.Scatter(
                    x=np.maximum(r["train_loss_mean"], floor),
                    y=np.maximum(r[m], floor),
                    mode="lines+markers",
                    name=label,
                    legendgroup=pen,
                    showlegend=k == 0,
                    line={"color": color, "dash": dash},
                    marker={"size": 7},
                    customdata=np.stack([r["strength"], r["train_loss_mean"], r[m]], axis=1),
                    hovertemplate="λ = %{customdata[0]:g}<br>training %{customdata[1]:.3g}"
                    "<br>unseen %{customdata[2]:.3g}" + f"<extra>{act}, {pen}</extra>",
                ),
                row=r_,
                col=c_,
            )
        base = ra[ra["penalty"] == "none"]
        if len(base):
            fig.add_trace(
                go.Scatter(
                    x=np.maximum(base["train_loss_mean"], floor),
                    y=np.maximum(base[m], floor),
                    mode="markers",
                    name="no penalty",
                    legendgroup="none",
                    showlegend=k == 0,
                    marker={"symbol": "star", "size": 14, "color": COLORS["black"]},
                    hovertemplate="no penalty<br>training %{x:.3g}<br>unseen %{y:.3g}<extra></extra>",
                ),
                row=r_,
                col=c_,
            )
    n_rows = _cell(len(acts) - 1, len(acts))[0]
    fig.update_xaxes(
        type="log", exponentformat="power", dtick=1, range=[np.log10(floor) - 0.3, 0.2]
    )
    fig.update_yaxes(
        type="log", exponentformat="power", dtick=1, range=[np.log10(floor) - 0.3, 0.2]
    )
    for c_ in range(1, min(2, len(acts)) + 1):
        fig.update_xaxes(title_text="training loss", row=n_rows, col=c_)
    for r_ in range(1, n_rows + 1):
        fig.update_yaxes(title_text="unseen loss", row=r_, col=1)
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "y": -0.14, "yanchor": "top"},
        margin={"t": 100},
    )
    return style(fig, title=title, height=height or (380 if n_rows == 1 else 680))


def gain_figure(
    strengths: np.ndarray,
    theory: Mapping[str, np.ndarray],
    trained: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    critical: Mapping[str, float] | None = None,
    *,
    title: str | None = None,
    height: int = 380,
) -> go.Figure:
    """Gain w against strength λ per penalty: ``theory[pen]`` (same length as ``strengths``) as
    lines, ``trained[pen] = (λ, w)`` as markers, ``critical[pen]`` (λ at w = 1) as open circles,
    and the dashed line w = 1."""
    fig = go.Figure()
    for pen, w in theory.items():
        color, dash, label = PENALTY_STYLE.get(pen, (COLORS["grey"], "solid", pen))
        fig.add_trace(
            go.Scatter(
                x=strengths,
                y=w,
                mode="lines",
                name=f"{label} (theory)",
                legendgroup=pen,
                line={"color": color, "dash": dash, "width": 2.5},
                hovertemplate="λ = %{x:.3g}: w = %{y:.4f}<extra>" + pen + "</extra>",
            )
        )
        if trained and pen in trained:
            lam, wt = trained[pen]
            fig.add_trace(
                go.Scatter(
                    x=lam,
                    y=wt,
                    mode="markers",
                    name=f"{pen}: trained network",
                    legendgroup=pen,
                    marker={"color": color, "size": 9, "line": {"width": 1, "color": "black"}},
                    hovertemplate="λ = %{x:.3g}: trained w = %{y:.4f}<extra>" + pen + "</extra>",
                )
            )
        if critical and pen in critical:
            fig.add_trace(
                go.Scatter(
                    x=[critical[pen]],
                    y=[1.0],
                    mode="markers",
                    legendgroup=pen,
                    showlegend=False,
                    marker={
                        "symbol": "circle-open",
                        "size": 14,
                        "color": color,
                        "line": {"width": 3},
                    },
                    hovertemplate=f"λ* = {critical[pen]:.4f}<extra>{pen}</extra>",
                )
            )
    fig.add_hline(
        y=1.0,
        line={"color": COLORS["grey"], "dash": "dash"},
        annotation_text="w = 1: below, tanh keeps no item as a fixed point",
        annotation_position="bottom left",
    )
    fig.update_xaxes(type="log", title_text="strength λ")
    fig.update_yaxes(title_text="gain w  (W = w·P)", rangemode="tozero")
    return style(fig, title=title, height=height)
