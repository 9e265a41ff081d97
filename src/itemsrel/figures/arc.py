"""Binary patterns drawn as polygons with coloured edges (the paper's Figure 2, for any N ≤ 8).

A pattern x of length N is a regular N-gon; edge i (1-based on the page) joins vertex i to
vertex i+1, going clockwise from the top, and is drawn

* **1** — thick, solid, vermillion (the paper uses red);
* **0** — thin, dashed, sky blue (the paper uses green).

The blue/orange-red pair stays distinct for the common colour-vision deficiencies, and the line
style carries the bit a second time. :func:`polygon_row` lays out polygons left to right with a
caption under each and optional connector texts (such as ``→ (2 3) →``) between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from ..patterns import as_pattern
from .style import COLORS, style

__all__ = ["BIT_STYLE", "Panel", "polygon_row"]

#: Line colour, width and dash for bit 1 and bit 0.
BIT_STYLE = {
    1: {"color": COLORS["vermillion"], "width": 7, "dash": "solid"},
    0: {"color": COLORS["sky"], "width": 3, "dash": "dash"},
}
_STEP = 2.9  # horizontal distance between polygon centres, in radii


@dataclass(frozen=True)
class Panel:
    """One polygon of a row: the ``pattern``, a ``caption`` under it (HTML allowed) and an
    optional ``frame`` colour drawn as a rounded box around it (e.g. to mark a correct answer)."""

    pattern: ArrayLike
    caption: str = ""
    frame: str | None = None


def _vertices(N: int, cx: float, cy: float) -> np.ndarray:
    angles = np.pi / 2 - 2 * np.pi * np.arange(N) / N - (np.pi / N if N % 2 == 0 else 0.0)
    return np.stack([cx + np.cos(angles), cy + np.sin(angles)], axis=1)


def polygon_row(
    items: Sequence[Panel | str],
    *,
    title: str | None = None,
    edge_numbers: bool = True,
    height: int = 260,
) -> go.Figure:
    """Polygons (``Panel``) and connector texts (``str``) left to right, in one figure.

    All patterns must have the same length N (3 ≤ N ≤ 8). Edge numbers 1..N are written next to
    the first polygon's edges when ``edge_numbers`` is true.
    """
    panels = [it for it in items if isinstance(it, Panel)]
    if not panels:
        raise ValueError("polygon_row needs at least one Panel")
    N = len(np.ravel(panels[0].pattern))
    if not 3 <= N <= 8:
        raise ValueError(f"polygons are drawn for 3 <= N <= 8, got N = {N}")
    segs: dict[int, tuple[list, list]] = {1: ([], []), 0: ([], [])}
    annotations, shapes = [], []
    x = 0.0
    first = True
    for it in items:
        if isinstance(it, str):
            annotations.append(
                {
                    "x": x - _STEP / 2 + 0.35,
                    "y": 0.0,
                    "text": it,
                    "showarrow": False,
                    "font": {"size": 15},
                    "xanchor": "center",
                }
            )
            x += 0.7
            continue
        bits = as_pattern(it.pattern, N)
        V = _vertices(N, x, 0.0)
        for i, b in enumerate(bits):
            a, c = V[i], V[(i + 1) % N]
            xs, ys = segs[int(b)]
            xs += [a[0], c[0], None]
            ys += [a[1], c[1], None]
            if edge_numbers and first:
                mid = (a + c) / 2
                out = (mid - (x, 0.0)) / np.linalg.norm(mid - (x, 0.0))
                annotations.append(
                    {
                        "x": mid[0] + 0.28 * out[0],
                        "y": mid[1] + 0.28 * out[1],
                        "text": str(i + 1),
                        "showarrow": False,
                        "font": {"size": 11, "color": "#555"},
                    }
                )
        annotations.append(
            {
                "x": x,
                "y": -1.35,
                "text": it.caption,
                "showarrow": False,
                "yanchor": "top",
                "font": {"size": 12},
            }
        )
        if it.frame:
            shapes.append(
                {
                    "type": "rect",
                    "x0": x - 1.3,
                    "x1": x + 1.3,
                    "y0": -1.3,
                    "y1": 1.3,
                    "line": {"color": it.frame, "width": 2},
                    "layer": "below",
                }
            )
        first = False
        x += _STEP
    fig = go.Figure()
    for bit, label in ((1, "1 (paper: red edge)"), (0, "0 (paper: green edge)")):
        xs, ys = segs[bit]
        st = BIT_STYLE[bit]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"bit {label}",
                hoverinfo="skip",
                line={"color": st["color"], "width": st["width"], "dash": st["dash"]},
            )
        )
    fig.update_layout(
        annotations=annotations,
        shapes=shapes,
        legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
    )
    fig.update_xaxes(visible=False, range=[-1.5, x - _STEP + 1.5])
    fig.update_yaxes(visible=False, range=[-2.1, 1.4], scaleanchor="x")
    return style(fig, title=title, height=height)
