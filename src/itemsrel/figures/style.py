"""One look for every figure of the book, and the renderer that makes figures work offline.

* :data:`COLORS` is the Okabe–Ito palette (safe for the common colour-vision deficiencies);
  :data:`ACTIVATION_COLORS` fixes one colour per activation across all chapters.
* :func:`style` applies the ``itemsrel`` template (fonts, margins, axis lines) to a figure.
* :func:`use_book_renderer` makes ``fig.show()`` emit two representations: the native plotly
  mimetype (JupyterLab renders it interactively) and an HTML ``<div>`` that calls
  ``Plotly.newPlot`` *without* embedding plotly.js (the built book loads one local copy per
  page). Div ids are derived from the figure's content, so re-executing a notebook stores
  byte-identical outputs.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

__all__ = [
    "ACTIVATION_COLORS",
    "BLUES",
    "COLORS",
    "FIGURE_CONFIG",
    "band_trace",
    "rgba",
    "style",
    "use_book_renderer",
]

#: Okabe–Ito colour-blind-safe palette.
COLORS = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

ACTIVATION_COLORS = {
    "linear": COLORS["blue"],
    "tanh": COLORS["vermillion"],
    "sigmoid": COLORS["green"],
    "relu": COLORS["purple"],
    "shifted_tanh": COLORS["orange"],
}

#: Dark-to-light blues for trajectories: step n = 0 is dark, later steps lighter (paper's Fig. 1).
BLUES = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef"]

#: plotly.js config of every figure (static book, JupyterLab mimetype, live panels): no plotly logo,
#: no "send to cloud" button (the book stays offline), figures follow the width of the page.
FIGURE_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio"],
}

#: Mode bar buttons no figure shows (set on each figure by :func:`style`: a template's
#: ``modebar.remove`` is not applied by every front end, e.g. JupyterLab's FigureWidget).
_MODEBAR_REMOVE = ("sendDataToCloud", "editInChartStudio", "lasso2d", "select2d")

_TEMPLATE = go.layout.Template(
    layout=go.Layout(
        # the same in the figure itself, so that live panels (FigureWidget) follow it too
        modebar={"remove": ["sendDataToCloud", "editInChartStudio"]},  # see style()
        font={"family": "Inter, Helvetica, Arial, sans-serif", "size": 13, "color": "#222"},
        title={"font": {"size": 15}, "x": 0.0, "xanchor": "left"},
        colorway=[
            COLORS[k]
            for k in ("blue", "vermillion", "green", "orange", "purple", "sky", "yellow", "black")
        ],
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        xaxis={
            "showline": True,
            "linecolor": "#444",
            "ticks": "outside",
            "gridcolor": "#eee",
            "zeroline": False,
        },
        yaxis={
            "showline": True,
            "linecolor": "#444",
            "ticks": "outside",
            "gridcolor": "#eee",
            "zeroline": False,
        },
        legend={"bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"font": {"family": "monospace"}},
    )
)
pio.templates["itemsrel"] = _TEMPLATE


def rgba(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` as ``rgba(r,g,b,alpha)`` (for translucent fills)."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def band_trace(
    x: Any, lower: Any, upper: Any, color: str, *, legendgroup: str | None = None
) -> go.Scatter:
    """A translucent band between ``lower`` and ``upper`` over ``x`` (e.g. mean ± sd), drawn
    without markers or hover, in the legend group of the line it belongs to."""
    x, lower, upper = (np.asarray(v, dtype=float) for v in (x, lower, upper))
    return go.Scatter(
        x=np.concatenate([x, x[::-1]]),
        y=np.concatenate([upper, lower[::-1]]),
        mode="lines",
        fill="toself",
        fillcolor=rgba(color, 0.15),
        line={"width": 0},
        hoverinfo="skip",
        showlegend=False,
        legendgroup=legendgroup,
    )


def style(
    fig: go.Figure, *, title: str | None = None, height: int | None = None, width: int | None = None
) -> go.Figure:
    """Apply the book's template (and optionally a title and size) to ``fig``; returns ``fig``."""
    fig.update_layout(template="itemsrel", modebar_remove=list(_MODEBAR_REMOVE))
    if title is not None:
        fig.update_layout(title_text=title)
    if height is not None:
        fig.update_layout(height=height)
    if width is not None:
        fig.update_layout(width=width)
    return fig


class _BookHtmlRenderer(MimetypeRenderer):
    """``text/html`` output without plotly.js, with a content-derived div id."""

    def to_mimebundle(self, fig_dict: dict) -> dict[str, str]:
        digest = hashlib.sha1(
            json.dumps(fig_dict, sort_keys=True, default=str).encode()
        ).hexdigest()[:12]
        html = pio.to_html(
            fig_dict,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            div_id=f"fig-{digest}",
            config=FIGURE_CONFIG,
            validate=False,
        )
        return {"text/html": html}


def use_book_renderer() -> None:
    """Set plotly's default renderer to native mimetype + offline-book HTML (idempotent)."""
    pio.renderers["itemsrel_html"] = _BookHtmlRenderer()
    pio.renderers["plotly_mimetype"].config = dict(FIGURE_CONFIG)
    pio.renderers.default = "plotly_mimetype+itemsrel_html"
    pio.templates.default = "itemsrel"
