"""Figure of chapter 7's noise study: where the tanh switch sits at each training noise.

:func:`switch_figure` draws two panels: left, the mean target alignment over the δ grid, one line
per training noise σ_train (light to dark with growing σ); right, the δ of the switch (half of
each seed's rise, mean ± sd over seeds) against σ_train, with the δ at which target alignment
reaches a fixed level as a check.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from numpy.typing import ArrayLike
from plotly.subplots import make_subplots

from .style import COLORS, style

__all__ = ["switch_figure"]

_SHADES = ["#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704"]


def switch_figure(
    grid: ArrayLike,
    curves: Mapping[float, ArrayLike],
    table: pd.DataFrame,
    *,
    level: float,
    title: str | None = None,
) -> go.Figure:
    """``curves[σ]`` (len(grid), seeds): target alignment per δ and seed; ``table``: the rows of
    :func:`itemsrel.noise_shift.shift_table` (columns ``sigma``, ``switch mean``/``sd``,
    ``level mean``/``sd``); ``level``: the fixed level of the check."""
    x = np.asarray(grid, dtype=float)
    sigmas = sorted(curves)
    if len(sigmas) > len(_SHADES):
        raise ValueError(f"at most {len(_SHADES)} noise levels, got {len(sigmas)}")
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12)
    for k, s in enumerate(sigmas):
        v = np.asarray(curves[s], dtype=float)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=v.mean(axis=1),
                mode="lines+markers",
                name=f"σ_train = {s:g}",
                line={"color": _SHADES[k + len(_SHADES) - len(sigmas)], "width": 2},
                marker={"size": 5},
                hovertemplate=f"σ_train = {s:g}<br>δ = %{{x:g}}<br>TA = %{{y:.3f}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    t = table.sort_values("sigma")
    for col, name, color, symbol in (
        ("switch", "δ at half the rise", COLORS["vermillion"], "circle"),
        ("level", f"δ where TA reaches {level:g}", COLORS["grey"], "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=t["sigma"],
                y=t[f"{col} mean"],
                error_y={"type": "data", "array": t[f"{col} sd"], "visible": True},
                mode="lines+markers",
                name=f"{name} (mean ± sd over seeds)",
                line={"color": color, "width": 2, "dash": "solid" if col == "switch" else "dot"},
                marker={"size": 7, "symbol": symbol},
                hovertemplate=f"{name}<br>σ_train = %{{x:g}}<br>δ = %{{y:.3f}}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    fig.update_xaxes(title_text="separability δ", row=1, col=1)
    fig.update_yaxes(title_text="tanh target alignment C(K_Z, K_Y)", range=[0, 1.03], row=1, col=1)
    fig.update_xaxes(
        title_text="training noise σ_train (σ_test = 1)",
        type="log",
        tickvals=sigmas,
        ticktext=[f"{s:g}" for s in sigmas],
        row=1,
        col=2,
    )
    fig.update_yaxes(title_text="δ at the tanh switch", row=1, col=2)
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0})
    return style(fig, title=title, height=440)
