"""Weight matrices and spectra as figures: annotated heat maps and eigenvalue plots."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike
from plotly.subplots import make_subplots

from .style import COLORS, style

__all__ = ["matrices_row", "matrix_heatmap", "matrix_trace", "spectrum_figure"]

_DIVERGING = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]]


def matrix_trace(
    W: np.ndarray, zmax: float, text_digits: int = 3, showscale: bool = True
) -> go.Heatmap:
    """Heat-map trace of an N×N matrix: row 1 on top, entries written in (N ≤ 8), colour scale
    symmetric on [−zmax, zmax]. Put it on axes of type ``category`` (labels are unit numbers)."""
    N = W.shape[0]
    labels = [str(i + 1) for i in range(N)]
    return go.Heatmap(
        z=W[::-1],
        x=labels,
        y=labels[::-1],
        zmin=-zmax,
        zmax=zmax,
        colorscale=_DIVERGING,
        text=np.vectorize(lambda v: f"{v:.{text_digits}f}")(W[::-1]) if N <= 8 else None,
        texttemplate="%{text}" if N <= 8 else None,
        showscale=showscale,
        colorbar={"title": {"text": "W<sub>ij</sub>"}, "len": 0.8},
        hovertemplate="W[%{y},%{x}] = %{z:.4f}<extra></extra>",
    )


def matrix_heatmap(
    W: ArrayLike,
    title: str | None = None,
    digits: int = 3,
    zmax: float | None = None,
    height: int = 320,
) -> go.Figure:
    """Heat map of one N×N matrix, entries annotated, row i / column j labelled 1-based."""
    W = np.asarray(W, dtype=float)
    zmax = float(np.max(np.abs(W))) or 1.0 if zmax is None else zmax
    fig = go.Figure(matrix_trace(W, zmax, digits, True))
    fig.update_xaxes(
        title_text="from unit j", side="top", showline=False, ticks="", type="category"
    )
    fig.update_yaxes(
        title_text="to unit i", showline=False, ticks="", scaleanchor="x", type="category"
    )
    return style(fig, title=title, height=height)


def matrices_row(
    mats: Sequence[ArrayLike], titles: Sequence[str], digits: int = 3, height: int = 300
) -> go.Figure:
    """Several N×N matrices side by side on one shared colour scale."""
    arrs = [np.asarray(m, dtype=float) for m in mats]
    zmax = max(float(np.max(np.abs(a))) for a in arrs) or 1.0
    fig = make_subplots(
        rows=1, cols=len(arrs), subplot_titles=list(titles), horizontal_spacing=0.04
    )
    for k, a in enumerate(arrs):
        fig.add_trace(matrix_trace(a, zmax, digits, k == len(arrs) - 1), row=1, col=k + 1)
    fig.update_xaxes(
        showline=False, ticks="", side="bottom", type="category", title_text="from unit j"
    )
    fig.update_yaxes(showline=False, ticks="", type="category")
    fig.update_yaxes(title_text="to unit i", row=1, col=1)
    return style(fig, height=height + 30)


def spectrum_figure(
    eigenvalues: ArrayLike, title: str | None = None, height: int = 320
) -> go.Figure:
    """Eigenvalues in the complex plane with the unit circle (|λ| < 1: attracting direction)."""
    ev = np.asarray(eigenvalues, dtype=complex)
    t = np.linspace(0, 2 * np.pi, 181)
    fig = go.Figure(
        [
            go.Scatter(
                x=np.cos(t),
                y=np.sin(t),
                mode="lines",
                name="|λ| = 1",
                line={"color": COLORS["grey"], "dash": "dot"},
                hoverinfo="skip",
            ),
            go.Scatter(
                x=ev.real,
                y=ev.imag,
                mode="markers",
                name="eigenvalues",
                marker={
                    "size": 11,
                    "color": COLORS["vermillion"],
                    "line": {"width": 1, "color": "black"},
                },
                hovertemplate="λ = %{x:.4f} + %{y:.4f}i<extra></extra>",
            ),
        ]
    )
    r = max(1.2, float(np.max(np.abs(ev))) * 1.1)
    fig.update_xaxes(title_text="Re λ", range=[-r, r], zeroline=True)
    fig.update_yaxes(title_text="Im λ", range=[-r, r], scaleanchor="x", zeroline=True)
    return style(fig, title=title, height=height)
