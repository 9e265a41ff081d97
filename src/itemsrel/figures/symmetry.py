"""Figures of a training set's symmetry: the items, Σ_X, and the Σ_X-invariant weight pattern.

* :func:`symmetry_summary` — the facts about one training set as text (Σ_X in 1-based cycle
  notation, orbits, pair orbits, symmetry-consistent and span patterns), shared by the figures,
  the widget (:mod:`itemsrel.widgets.explorer`) and the chapter.
* :func:`invariant_pattern_figure` — which entries of ``W`` must be equal: one colour and one
  letter per orbit of index pairs, in the style of the paper's eq. 5.
* :func:`training_set_figure` — the items as rows of 0/1 squares, grouped by orbit.
* :func:`static_explorer` — one plotly figure with a dropdown over precomputed examples (for the
  static HTML book, which has no kernel).

Conventions as in :mod:`itemsrel.symmetry`: ``X`` has shape ``(n_items, N)``; rows/columns of
``W`` and units are labelled 1-based on the page.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike, NDArray
from plotly.subplots import make_subplots
from sympy.combinatorics import PermutationGroup

from ..patterns import as_training_set
from ..symmetry import (
    cycle_notation,
    group_elements,
    invariant_basis,
    orbits,
    span_patterns,
    symmetry_consistent_patterns,
    symmetry_group,
)
from ..symmetry import pair_orbit_labels as _numbered_pairs
from .style import COLORS, style
from .switch import switcher

__all__ = [
    "SymmetrySummary",
    "invariant_pattern_figure",
    "orbit_colors",
    "orbit_letters",
    "pair_orbit_labels",
    "paper_overview_figure",
    "static_explorer",
    "symmetry_summary",
    "training_set_figure",
]

#: Light colours (text in black stays readable), colour-blind-safe hues first.
_LIGHT = [
    "#9ecae1",  # sky
    "#fdae6b",  # orange
    "#a1d99b",  # green
    "#fa9fb5",  # purple-pink
    "#fee391",  # yellow
    "#bcbddc",  # lavender
    "#d9d9d9",  # grey
    "#c7e9c0",  # mint
    "#fdd0a2",  # peach
    "#9ebcda",  # steel
]
_ITEM_SCALE = [[0.0, "#f2f2f2"], [1.0, COLORS["blue"]]]


def _word(x: ArrayLike) -> str:
    """Compact pattern text: ``101``."""
    return "".join(str(int(v)) for v in np.ravel(x))


def orbit_letters(k: int) -> list[str]:
    """``k`` labels ``a, b, …, z, aa, ab, …`` (the paper's eq. 5 uses ``a … e``)."""
    out = []
    for m in range(k):
        s, q = "", m
        while True:
            s = chr(ord("a") + q % 26) + s
            q = q // 26 - 1
            if q < 0:
                break
        out.append(s)
    return out


def orbit_colors(k: int) -> list[str]:
    """``k`` distinct light colours (hex): a fixed palette up to 10, evenly spaced hues beyond."""
    if k <= len(_LIGHT):
        return _LIGHT[:k]
    cols = []
    for m in range(k):
        r, g, b = colorsys.hls_to_rgb(m / k, 0.78 - 0.08 * (m % 3), 0.65)
        cols.append(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")
    return cols


def pair_orbit_labels(group: PermutationGroup, N: int) -> NDArray[np.intp]:
    """``L[i, j]`` = 0-based index of the orbit of the pair ``(i, j)`` (order of
    :func:`invariant_basis`): :func:`itemsrel.symmetry.pair_orbit_labels` (1-based, for readers)
    minus one, the figures' colour and letter index.

    Entries with equal labels must be equal in every Σ-invariant ``W``; ``L.max() + 1`` is the
    number of free parameters.
    """
    return (_numbered_pairs(group, N) - 1).astype(np.intp)


@dataclass(frozen=True)
class SymmetrySummary:
    """Everything the chapter says about one training set, as plain values and text.

    ``X``: items (n_items, N); ``group``: Σ_X; ``order``: |Σ_X|; ``generators`` and
    ``elements``: 1-based cycle notation (``elements`` only if the order is ≤ 24, else empty);
    ``orbits``: item orbits as lists of words like ``"101"``; ``n_params``: number of pair
    orbits; ``consistent``/``span``: unseen patterns fixed by Σ_X / in span(X), as words.
    """

    X: NDArray[np.int8]
    group: PermutationGroup
    order: int
    generators: list[str]
    elements: list[str]
    orbits: list[list[str]]
    n_params: int
    consistent: list[str]
    span: list[str]

    @property
    def N(self) -> int:
        return int(self.X.shape[1])

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) rows for a table or a printout."""
        elems = "{" + ", ".join(self.elements) + "}" if self.elements else "(too many to list)"
        return [
            ("items", ", ".join(_word(x) for x in self.X)),
            ("Σ_X generators", ", ".join(self.generators) or "none (only e)"),
            ("|Σ_X|", str(self.order)),
            ("Σ_X elements", elems),
            ("orbits of X", "  ".join("{" + ", ".join(o) + "}" for o in self.orbits)),
            ("free parameters of W", str(self.n_params)),
            ("symmetry-consistent unseen", ", ".join(self.consistent) or "none"),
            ("unseen in span(X)", ", ".join(self.span) or "none"),
        ]

    def text(self) -> str:
        """The rows of :meth:`lines` as aligned plain text."""
        width = max(len(k) for k, _ in self.lines())
        return "\n".join(f"{k:<{width}} : {v}" for k, v in self.lines())


def symmetry_summary(X: ArrayLike) -> SymmetrySummary:
    """Compute Σ_X and everything derived from it for the training set ``X`` (validated)."""
    X = as_training_set(X)
    n = X.shape[1]
    G = symmetry_group(X)
    order = int(G.order())
    gens = sorted({cycle_notation(g, n) for g in G.generators} - {"e"}, key=lambda s: (len(s), s))
    elems = [cycle_notation(s, n) for s in group_elements(G)] if order <= 24 else []
    return SymmetrySummary(
        X=X,
        group=G,
        order=order,
        generators=gens,
        elements=elems,
        orbits=[[_word(x) for x in orb] for orb in orbits(X, G)],
        n_params=len(invariant_basis(G, n)),
        consistent=[_word(x) for x in symmetry_consistent_patterns(X)],
        span=[_word(x) for x in span_patterns(X)],
    )


# --------------------------------------------------------------------------------------------
# traces (shared by the single figures and the explorer)
# --------------------------------------------------------------------------------------------
def _pattern_trace(group: PermutationGroup, N: int) -> go.Heatmap:
    L = pair_orbit_labels(group, N)
    k = int(L.max()) + 1
    cols = orbit_colors(k)
    scale = []
    for m, c in enumerate(cols):
        scale += [[m / k, c], [(m + 1) / k, c]]
    letters = np.array(orbit_letters(k), dtype=object)[L]
    idx = np.arange(1, N + 1)
    return go.Heatmap(
        z=L,
        x=idx,
        y=idx,
        zmin=-0.5,
        zmax=k - 0.5,
        colorscale=scale,
        text=letters,
        texttemplate="%{text}",
        textfont={"size": 16 if N <= 5 else 12},
        showscale=False,
        xgap=2,
        ygap=2,
        hovertemplate="W[%{y},%{x}] = %{text}<extra></extra>",
        name="W pattern",
    )


def _items_trace(X: NDArray[np.int8], orbs: list[list[tuple[int, ...]]]) -> go.Heatmap:
    """Items grouped by orbit; an empty row separates orbits."""
    n = X.shape[1]
    rows: list[list[float]] = []
    labels: list[str] = []
    for k, orb in enumerate(orbs):
        if k:
            rows.append([np.nan] * n)
            labels.append("")
        for item in orb:
            rows.append([float(v) for v in item])
            labels.append(f"orbit {k + 1}")
    Z = np.array(rows)
    text = np.where(np.isnan(Z), "", np.where(Z == 1, "1", "0"))
    custom = np.array([[lab] * n for lab in labels], dtype=object)
    return go.Heatmap(
        z=Z,
        x=np.arange(1, n + 1),
        y=np.arange(1, len(rows) + 1),
        zmin=0,
        zmax=1,
        colorscale=_ITEM_SCALE,
        text=text,
        texttemplate="%{text}",
        customdata=custom,
        showscale=False,
        xgap=2,
        ygap=2,
        hovertemplate="%{customdata}, unit %{x}: %{z}<extra></extra>",
        name="items",
    )


def _table_trace(summary: SymmetrySummary) -> go.Table:
    rows = summary.lines()
    return go.Table(
        columnwidth=[1, 3],
        header={"values": ["", "this training set"], "align": "left", "fill_color": "#eee"},
        cells={
            "values": [[k for k, _ in rows], [v for _, v in rows]],
            "align": "left",
            "height": 22,
        },
        name="summary",
    )


def _square_axes(fig: go.Figure, row: int, col: int, title_x: str, title_y: str) -> None:
    fig.update_xaxes(title_text=title_x, dtick=1, showline=False, ticks="", row=row, col=col)
    fig.update_yaxes(
        title_text=title_y,
        autorange="reversed",
        dtick=1,
        showline=False,
        ticks="",
        row=row,
        col=col,
    )


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def invariant_pattern_figure(
    group: PermutationGroup, N: int, title: str | None = None, height: int = 340
) -> go.Figure:
    """Heat map of the Σ-invariant weight pattern: entry (i, j) coloured and lettered by the orbit
    of the pair (i, j). Equal letters = entries forced equal; number of letters = free parameters.
    Rows/columns are 1-based units; row i is the receiving unit (``y = φ(W x)``)."""
    fig = go.Figure(_pattern_trace(group, N))
    _square_axes_single(fig, "from unit j", "to unit i")
    k = len(invariant_basis(group, N))
    title = f"Σ-invariant W: {k} free parameter{'s' * (k != 1)}" if title is None else title
    fig.update_yaxes(scaleanchor="x")
    return style(fig, title=title, height=height, width=max(300, height))


def _square_axes_single(fig: go.Figure, title_x: str, title_y: str) -> None:
    fig.update_xaxes(title_text=title_x, side="top", dtick=1, showline=False, ticks="")
    fig.update_yaxes(title_text=title_y, autorange="reversed", dtick=1, showline=False, ticks="")


def training_set_figure(
    X: ArrayLike, title: str | None = None, height: int | None = None
) -> go.Figure:
    """The items of ``X`` as rows of squares (dark = 1), grouped by their Σ_X-orbit (blank row
    between orbits; hover names the orbit). Columns are units 1..N."""
    X = as_training_set(X)
    orbs = orbits(X)
    fig = go.Figure(_items_trace(X, orbs))
    _square_axes_single(fig, "unit", "item (grouped by orbit)")
    fig.update_yaxes(showticklabels=False)
    fig.update_yaxes(scaleanchor="x")
    n_rows = len(X) + len(orbs) - 1
    if title is None:
        title = f"{len(X)} items, {len(orbs)} orbit{'s' * (len(orbs) != 1)} under Σ_X"
    h = height or int(min(520, 140 + 34 * n_rows))
    return style(fig, title=title, height=h, width=max(280, 120 + 40 * X.shape[1]))


def paper_overview_figure(sets: Mapping[str, ArrayLike]) -> go.Figure:
    """Items of several training sets side by side, plus the invariant pattern of the first
    set's Σ_X (used when the sets share Σ_X, as the paper's X and X' do)."""
    names = list(sets)
    summaries = [symmetry_summary(sets[k]) for k in names]
    titles = [
        f"{k}: Σ = {{{', '.join(s.elements)}}}" for k, s in zip(names, summaries, strict=True)
    ]
    titles.append(f"invariant W ({summaries[0].n_params} parameters)")
    fig = make_subplots(rows=1, cols=len(names) + 1, subplot_titles=titles, horizontal_spacing=0.08)
    for c, s in enumerate(summaries, start=1):
        fig.add_trace(_items_trace(s.X, orbits(s.X, s.group)), row=1, col=c)
        _square_axes(fig, 1, c, "unit", "item (grouped by orbit)" if c == 1 else "")
        fig.update_yaxes(showticklabels=False, row=1, col=c)
    c = len(names) + 1
    fig.add_trace(_pattern_trace(summaries[0].group, summaries[0].N), row=1, col=c)
    _square_axes(fig, 1, c, "from unit j", "to unit i")
    fig.update_layout(margin={"t": 70})
    return style(fig, height=320)


def static_explorer(examples: Mapping[str, ArrayLike], height: int = 800) -> go.Figure:
    """One figure with a dropdown over precomputed ``examples`` (name → training set).

    For each example: the items (top left), the Σ_X-invariant W pattern (top right), and a table
    with Σ_X (generators, order, elements in 1-based cycle notation), the orbits, the number of
    free parameters and the symmetry-consistent / span patterns. Built with
    :func:`itemsrel.figures.switch.switcher`; everything is precomputed (no kernel needed).
    """
    if not examples:
        raise ValueError("static_explorer needs at least one example")
    figs: dict[str, go.Figure] = {}
    for name, X in examples.items():
        s = symmetry_summary(X)
        fig = make_subplots(
            rows=2,
            cols=2,
            specs=[[{"type": "xy"}, {"type": "xy"}], [{"type": "table", "colspan": 2}, None]],
            row_heights=[0.5, 0.5],
            column_widths=[0.45, 0.55],
            vertical_spacing=0.1,
            horizontal_spacing=0.12,
            subplot_titles=["items, grouped by orbit", "Σ_X-invariant W (equal letters = equal)"],
        )
        fig.add_trace(_items_trace(s.X, orbits(s.X, s.group)), row=1, col=1)
        fig.add_trace(_pattern_trace(s.group, s.N), row=1, col=2)
        fig.add_trace(_table_trace(s), row=2, col=1)
        _square_axes(fig, 1, 1, "unit", "item (grouped by orbit)")
        fig.update_yaxes(showticklabels=False, row=1, col=1)
        _square_axes(fig, 1, 2, "from unit j", "to unit i")
        fig.update_layout(title_text=f"{name}: |Σ_X| = {s.order}, {s.n_params} free parameters")
        figs[name] = fig
    out = switcher(figs, control="dropdown", label="training set")
    out.update_layout(height=height, margin={"t": 110})
    return out
