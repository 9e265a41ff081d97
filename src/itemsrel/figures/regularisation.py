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

from .style import ACTIVATION_COLORS, COLORS, style

__all__ = ["METRIC_LABELS", "PENALTY_STYLE", "gain_figure", "strength_figure", "tradeoff_figure"]

#: Axis titles of the sweep's metrics.
METRIC_LABELS = {
    "train_loss": "training loss (eq. 7)",
    "span_loss": "loss on unseen span patterns",
    "consistent_loss": "loss on unseen symmetry-consistent patterns",
    "mean_abs_preactivation": "mean |W x| on the items",
    "invariance_distance": "distance of W to Σ_X-invariant matrices",
}

#: Colour and dash per penalty (shared by all figures of the chapter).
PENALTY_STYLE = {
    "l1": (COLORS["orange"], "solid", "L1: λ·mean|W|"),
    "l2": (COLORS["sky"], "dash", "L2: λ·mean W²"),
    "rate": (COLORS["purple"], "dot", "rate: λ·mean y²"),
    "level": (COLORS["green"], "dashdot", "level: λ·mean (y − ½)²"),
}


def _rows(summary: pd.DataFrame, training_set: str, init: str) -> pd.DataFrame:
    sel = summary[(summary["training_set"] == training_set) & (summary["init"] == init)]
    if sel.empty:
        raise ValueError(f"no rows for training set {training_set!r} and init {init!r}")
    return sel


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[k : k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


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
    height: int = 380,
) -> go.Figure:
    """``metric`` (mean ± std over seeds) against strength λ, one panel per penalty.

    Lines: one per activation (colours of :data:`ACTIVATION_COLORS`); the horizontal dotted line in
    the same colour is the activation's value without a penalty.
    """
    rows = _rows(summary, training_set, init)
    m, s = f"{metric}_mean", f"{metric}_std"
    if m not in rows:
        raise ValueError(f"summary has no column {m!r}")
    pens = list(penalties or [p for p in rows["penalty"].unique() if p != "none"])
    acts = list(activations or rows["activation"].unique())
    fig = make_subplots(
        rows=1,
        cols=len(pens),
        shared_yaxes=True,
        subplot_titles=[PENALTY_STYLE.get(p, (None, None, p))[2] for p in pens],
        horizontal_spacing=0.03,
    )
    lo = floor if log_y else -np.inf
    for c, pen in enumerate(pens, start=1):
        for act in acts:
            color = ACTIVATION_COLORS.get(act, COLORS["grey"])
            r = rows[(rows["activation"] == act) & (rows["penalty"] == pen)].sort_values("strength")
            base = rows[(rows["activation"] == act) & (rows["penalty"] == "none")]
            x = r["strength"].to_numpy()
            y = np.maximum(r[m].to_numpy(), lo)
            sd = np.nan_to_num(r[s].to_numpy())
            band_hi = np.maximum(r[m].to_numpy() + sd, lo)
            band_lo = np.maximum(r[m].to_numpy() - sd, lo)
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([x, x[::-1]]),
                    y=np.concatenate([band_hi, band_lo[::-1]]),
                    fill="toself",
                    fillcolor=_rgba(color, 0.15),
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=act,
                ),
                row=1,
                col=c,
            )
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines+markers",
                    name=act,
                    legendgroup=act,
                    showlegend=c == 1,
                    line={"color": color},
                    marker={"size": 6},
                    customdata=np.stack([r[m], sd], axis=1),
                    hovertemplate="λ = %{x:g}<br>mean %{customdata[0]:.3g} ± %{customdata[1]:.2g}"
                    f"<extra>{act}, {pen}</extra>",
                ),
                row=1,
                col=c,
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
                    row=1,
                    col=c,
                )
        fig.update_xaxes(type="log", title_text="strength λ", row=1, col=c)
    ylab = METRIC_LABELS.get(metric, metric)
    if log_y:
        ylab += f" (< {floor:g} drawn at {floor:g})"
    fig.update_yaxes(type="log" if log_y else "linear", title_text=ylab, row=1, col=1)
    fig.update_layout(legend={"title": {"text": "activation (dotted: no penalty)"}})
    return style(fig, title=title, height=height)


def tradeoff_figure(
    summary: pd.DataFrame,
    *,
    training_set: str,
    init: str,
    metric: str = "span_loss",
    activations: Sequence[str] | None = None,
    floor: float = 1e-6,
    title: str | None = None,
    height: int = 400,
) -> go.Figure:
    """Mean training loss (x) against mean ``metric`` (y), one panel per activation.

    Each penalty is a curve through its strengths (hover shows λ); the unpenalised network is a
    black star. Points below and to the left of the star would be improvements on both counts.
    """
    rows = _rows(summary, training_set, init)
    m = f"{metric}_mean"
    acts = list(activations or rows["activation"].unique())
    fig = make_subplots(
        rows=1, cols=len(acts), subplot_titles=acts, shared_yaxes=True, horizontal_spacing=0.03
    )
    for c, act in enumerate(acts, start=1):
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
                    showlegend=c == 1,
                    line={"color": color, "dash": dash},
                    marker={"size": 7},
                    customdata=np.stack([r["strength"], r["train_loss_mean"], r[m]], axis=1),
                    hovertemplate="λ = %{customdata[0]:g}<br>training %{customdata[1]:.3g}"
                    "<br>unseen %{customdata[2]:.3g}" + f"<extra>{act}, {pen}</extra>",
                ),
                row=1,
                col=c,
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
                    showlegend=c == 1,
                    marker={"symbol": "star", "size": 14, "color": COLORS["black"]},
                    hovertemplate="no penalty<br>training %{x:.3g}<br>unseen %{y:.3g}<extra></extra>",
                ),
                row=1,
                col=c,
            )
        fig.update_xaxes(type="log", title_text="training loss", row=1, col=c)
    fig.update_yaxes(
        type="log",
        title_text=f"{METRIC_LABELS.get(metric, metric)} (< {floor:g} at {floor:g})",
        row=1,
        col=1,
    )
    return style(fig, title=title, height=height)


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
