"""Figures of chapter 6 (beyond three units): reproduced shares against N and |Σ_X|, the
invariant weight structure of a training set, and the hidden-layer experiment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from numpy.typing import ArrayLike
from plotly.subplots import make_subplots

from .style import ACTIVATION_COLORS, style

__all__ = ["hidden_figure", "reproduced_by_size_figure", "structure_figure"]

_SHARES = (
    ("span_frac", "unseen patterns in span(X)"),
    ("fixed_frac", "symmetry-consistent patterns (fixed by Σ_X)"),
)


def reproduced_by_size_figure(df: pd.DataFrame, init: str = "zeros") -> go.Figure:
    """Mean share (%) of unseen patterns reproduced against N, one line per activation.

    ``df`` is :func:`itemsrel.generality.sweep`'s table; only the random training sets and the
    networks started from ``init`` are used (mean over sets; error bars: standard error).
    """
    sub = df[(df["family"] == "random") & (df["init"] == init)]
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=[t for _, t in _SHARES], horizontal_spacing=0.12
    )
    for col, (metric, _) in enumerate(_SHARES, start=1):
        for act, g in sub.groupby("activation", sort=False):
            stats = g.groupby("N")[metric].agg(["mean", "sem"]) * 100
            fig.add_trace(
                go.Scatter(
                    x=stats.index,
                    y=stats["mean"],
                    error_y={"array": stats["sem"].fillna(0), "thickness": 1},
                    mode="lines+markers",
                    name=act,
                    legendgroup=act,
                    showlegend=col == 1,
                    line={"color": ACTIVATION_COLORS.get(act, "#444444")},
                    hovertemplate=f"{act}<br>N=%{{x}}<br>%{{y:.1f}} %<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(title_text="pattern length N (units)", row=1, col=col)
        fig.update_yaxes(title_text="reproduced (%)", range=[-3, 103], row=1, col=col)
    fig.update_layout(legend={"orientation": "h", "y": -0.22, "x": 0.5, "xanchor": "center"})
    return style(fig, height=400)


def structure_figure(W: ArrayLike, title: str) -> go.Figure:
    """Heat map of an N×N matrix (e.g. the free parameters of a Σ_X-invariant W, numbered)."""
    W = np.asarray(W, dtype=float)
    n = W.shape[0]
    labels = [str(i + 1) for i in range(n)]
    fig = go.Figure(
        go.Heatmap(
            z=W,
            x=labels,
            y=labels,
            colorscale="Viridis",
            colorbar={"title": "parameter"},
            text=W.astype(int).astype(str) if np.all(W == np.round(W)) else None,
            texttemplate="%{text}" if np.all(W == np.round(W)) else None,
            hovertemplate="W[%{y},%{x}] = %{z}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title_text="unit i (row)")
    fig.update_xaxes(title_text="unit j (column)", side="top")
    return style(fig, title=title, height=360, width=420)


def hidden_figure(df: pd.DataFrame) -> go.Figure:
    """Hidden-layer networks: share of unseen span patterns reproduced against H / rank X, one
    line per architecture (ψ/φ), small initial scale only; mean over sets and seeds."""
    small = df[df["sigma"] == df["sigma"].min()].copy()
    small["H_over_rank"] = small["H"] / small["rank"]
    small["where"] = np.select(
        [small["H"] < small["rank"], small["H"] == small["rank"]],
        ["H < rank X", "H = rank X"],
        "H = 2N",
    )
    order = ["H < rank X", "H = rank X", "H = 2N"]
    fig = go.Figure()
    for (psi, phi), g in small.groupby(["hidden_activation", "activation"], sort=False):
        stats = g.groupby("where")["span_frac"].mean().reindex(order) * 100
        fig.add_trace(
            go.Bar(
                x=order,
                y=stats.values,
                name=f"ψ = {psi}, φ = {phi}",
                marker_color=ACTIVATION_COLORS.get(phi, "#444444"),
                hovertemplate="%{x}: %{y:.1f} %<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(title_text="unseen span patterns reproduced (%)", range=[0, 103])
    fig.update_xaxes(title_text="width of the hidden layer")
    return style(fig, height=380)
