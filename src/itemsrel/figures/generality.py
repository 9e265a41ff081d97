"""Figures of chapter 6 (beyond three units): reproduced shares against |Σ_X|, the span's share
of the cube and N, the invariant weight structure of a training set, and the hidden-layer
experiment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from numpy.typing import ArrayLike
from plotly.subplots import make_subplots

from .style import ACTIVATION_COLORS, style

__all__ = [
    "binned_shares",
    "gallery_figure",
    "generalisation_figure",
    "hidden_figure",
    "reproduced_by_size_figure",
    "structure_figure",
]

_SHARES = (
    ("span_frac", "unseen patterns in span(X)"),
    ("fixed_frac", "unseen patterns fixed by Σ_X"),
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


#: The three test sets of the sweep: column of the sweep's table → panel title.
TESTS = (
    ("span_frac", "unseen patterns in span(X)"),
    ("fixed_frac", "consistent: fixed by Σ_X"),
    ("exact_frac", "consistent: exactly Σ_X"),
)
#: x-axes of :func:`generalisation_figure`: column → (axis title, bin edges).
X_AXES = {
    "group_order": ("|Σ_X| (symmetries of the training set)", 10.0 ** np.arange(0.0, 7.5, 0.5)),
    "span_share": (
        "share of the 2<sup>N</sup> binary patterns in span(X)",
        2.0 ** np.arange(-10.0, 0.5),
    ),
}


def binned_shares(
    df: pd.DataFrame, x: str, metric: str, edges: ArrayLike, min_count: int = 3
) -> pd.DataFrame:
    """Mean and standard error of ``df[metric]`` in bins of ``df[x]``.

    Bins are ``[edges[k], edges[k+1])``, the last one closed. Rows with NaN metric are left out.
    Returns one row per bin holding at least ``min_count`` rows: ``x`` (mean of x in the bin),
    ``mean``, ``sem`` (NaN for a single row) and ``n``.
    """
    e = np.asarray(edges, dtype=float)
    sub = df[[x, metric]].dropna()
    k = np.clip(np.searchsorted(e, sub[x].to_numpy(), side="right") - 1, 0, len(e) - 2)
    inside = (sub[x].to_numpy() >= e[0]) & (sub[x].to_numpy() <= e[-1])
    g = sub[inside].groupby(k[inside])
    out = pd.DataFrame(
        {
            "x": g[x].mean(),
            "mean": g[metric].mean(),
            "sem": g[metric].sem(),
            "n": g[metric].size(),
        }
    )
    return out[out["n"] >= min_count].reset_index(drop=True)


def generalisation_figure(df: pd.DataFrame, x: str = "group_order") -> go.Figure:
    """Share of unseen patterns reproduced against ``x`` (log axis), one line per activation.

    ``df`` is :func:`itemsrel.generality.sweep`'s table (every training set). Three panels: unseen
    patterns in span(X), and symmetry-consistent ones in the two readings. Networks started from
    zero weights; ReLU networks (which never move from zeros) from U(0, 1), dashed. Binned
    (:data:`X_AXES`): mean ± standard error over the sets of a bin.
    """
    title, edges = X_AXES[x]
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=[t for _, t in TESTS],
        horizontal_spacing=0.06,
        shared_yaxes=True,
    )
    for col, (metric, _) in enumerate(TESTS, start=1):
        for act in ("linear", "tanh", "sigmoid", "relu"):
            init = "uniform" if act == "relu" else "zeros"
            sub = df[(df["activation"] == act) & (df["init"] == init)]
            b = binned_shares(sub, x, metric, edges)
            name = "ReLU, U(0,1) start" if act == "relu" else act
            fig.add_trace(
                go.Scatter(
                    x=b["x"],
                    y=b["mean"] * 100,
                    error_y={"array": b["sem"].fillna(0) * 100, "thickness": 1, "width": 2},
                    mode="lines+markers",
                    name=name,
                    legendgroup=act,
                    showlegend=col == 1,
                    line={
                        "color": ACTIVATION_COLORS.get(act, "#444444"),
                        "dash": "dash" if act == "relu" else "solid",
                    },
                    customdata=b["n"],
                    hovertemplate=f"{name}<br>x=%{{x:.3g}}<br>%{{y:.1f}} % "
                    "(%{customdata} sets)<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(type="log", row=1, col=col, title_text=title if col == 2 else None)
    fig.update_yaxes(title_text="reproduced (%)", range=[-3, 103], row=1, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0.5, "xanchor": "center"})
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


def gallery_figure(df: pd.DataFrame, structures: dict[str, np.ndarray]) -> go.Figure:
    """One dropdown over the gallery's training sets (the static book's symmetry lab).

    Left: the Σ_X-invariant structure (``structures[name]``: entries numbered by orbit of index
    pairs). Right: share of unseen patterns reproduced by each activation from zero weights, for
    the span and the two readings of symmetry-consistency (rows of :func:`sweep`'s table ``df``).
    """
    from .switch import switcher

    tests = [
        ("span_frac", "span(X)"),
        ("fixed_frac", "fixed by Σ_X"),
        ("exact_frac", "exactly Σ_X"),
    ]
    figs = {}
    for name, S in structures.items():
        n = S.shape[0]
        fig = make_subplots(
            rows=1,
            cols=2,
            column_widths=[0.42, 0.58],
            horizontal_spacing=0.14,
            subplot_titles=[
                "invariant W (one number per free entry)",
                "unseen patterns reproduced",
            ],
        )
        fig.add_trace(
            go.Heatmap(
                z=S,
                x=list(range(1, n + 1)),
                y=list(range(1, n + 1)),
                colorscale="Viridis",
                showscale=False,
                text=S.astype(int).astype(str),
                texttemplate="%{text}",
                hovertemplate="W[%{y},%{x}]: parameter %{z}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        rows = df[(df["set"] == name) & (df["init"] == "zeros")].set_index("activation")
        for metric, label in tests:
            vals = rows[metric].reindex(["linear", "tanh", "sigmoid", "relu"]) * 100
            fig.add_trace(
                go.Bar(
                    x=vals.index,
                    y=vals.values,
                    name=label,
                    showlegend=name == next(iter(structures)),
                    legendgroup=label,
                    hovertemplate=f"{label}: %{{y:.0f}} %<extra></extra>",
                ),
                row=1,
                col=2,
            )
        d = rows.iloc[0]
        fig.update_layout(
            title_text=f"{name}: N = {d['N']}, K = {d['K']}, |Σ_X| = {d['group_order']}, "
            f"{d['free_parameters']} free parameters"
        )
        figs[name] = fig
    out = switcher(figs, label="training set")
    # the menu on the left, above the panels: clear of the mode bar and of the panel titles
    out.layout.updatemenus[0].update(x=0.0, xanchor="left", y=1.2, yanchor="bottom")
    out.layout.annotations = [a for a in out.layout.annotations if a.text != "training set"]
    # the switcher keeps the subplot layout but not plotly's grid: address the axes by name
    out.update_layout(
        yaxis={"autorange": "reversed", "title_text": "row i", "dtick": 1},
        xaxis={"title_text": "column j", "dtick": 1},
        margin={"t": 120},
        title={"y": 0.97, "yanchor": "top"},
        yaxis2={"title_text": "reproduced (%)", "range": [0, 103]},
        barmode="group",
        height=430,
        legend={"orientation": "h", "y": -0.32},
    )
    return out
