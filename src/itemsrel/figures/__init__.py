"""Figures of the book (plotly), one module per kind of figure, all with one style.

- :mod:`.style` — palette, template and the offline-book renderer (:func:`use_book_renderer`).
- :mod:`.flow` — 3-D flow fields of ``x ← φ(W x)`` (the paper's Figure 1).
- :mod:`.matrices` — heat maps of weight matrices and eigenvalue plots.
- :mod:`.switch` — several precomputed figures behind one dropdown or slider (the static book).
- :mod:`.symmetry`, :mod:`.nonlinear` — chapters 1 and 3; :mod:`.regularisation` — the sweep of
  chapter 4; :mod:`.arc` — patterns as polygons (chapter 5); :mod:`.geometry` — representational
  geometry (chapter 7); :mod:`.groups` — grokking curves, irrep structure, word tables (chapter 8).
"""

from .flow import flow_figure, flow_traces
from .matrices import matrices_row, matrix_heatmap, spectrum_figure
from .style import ACTIVATION_COLORS, COLORS, style, use_book_renderer

__all__ = [
    "ACTIVATION_COLORS",
    "COLORS",
    "flow_figure",
    "flow_traces",
    "matrices_row",
    "matrix_heatmap",
    "spectrum_figure",
    "style",
    "use_book_renderer",
]
