"""Chapter 1's interactive panel: edit a training set bit by bit and watch Σ_X change.

:func:`symmetry_explorer` shows an IntSlider ``N`` (pattern length, 2..8), one row of toggle
buttons per item (a pressed button is a 1), buttons to add and remove items, and a live output
with Σ_X (1-based cycle notation and order), the orbits, the Σ_X-invariant weight pattern and the
symmetry-consistent / span patterns (figures as SVG in JupyterLab: :mod:`.svg`). Invalid sets (duplicates, no items) show a message.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np
from IPython.display import HTML
from numpy.typing import ArrayLike

from ..figures.symmetry import invariant_pattern_figure, symmetry_summary, training_set_figure
from .controls import LivePanel
from .patterns import PatternEditor
from .svg import SvgItem, symmetry_spec

__all__ = ["SymmetryExplorer", "symmetry_explorer"]

_N_MIN, _N_MAX = 2, 8
_MAX_ITEMS = 12


class SymmetryExplorer:
    """State and widgets of the symmetry explorer; ``.panel`` is the widget to display.

    ``editor`` (:class:`~itemsrel.widgets.patterns.PatternEditor`) holds the training set as a list
    of 0/1 lists (may be invalid while editing); ``N`` is the slider; ``live`` the
    :class:`~.controls.LivePanel` (``live.shown``: what it shows); ``render()`` redraws it. An
    invalid set (duplicates, no items) shows why and keeps the last valid drawing.
    """

    def __init__(self, X0: ArrayLike | None = None) -> None:
        X = np.array([[1, 0, 1], [1, 1, 0]]) if X0 is None else np.asarray(X0, dtype=int)
        if X.ndim != 2 or not _N_MIN <= X.shape[1] <= _N_MAX:
            raise ValueError(f"X0 must have shape (n_items, N) with {_N_MIN} <= N <= {_N_MAX}")
        self.N = w.IntSlider(
            value=X.shape[1],
            min=_N_MIN,
            max=_N_MAX,
            description="N (units)",
            continuous_update=False,
            style={"description_width": "80px"},
        )
        self.editor = PatternEditor(
            X.tolist(), label="item", max_rows=_MAX_ITEMS, on_change=self.render
        )
        self.N.observe(lambda change: self.editor.set_length(change["new"]), names="value")
        help_text = w.HTML(
            "<small>Click a square to flip a bit (dark = 1). Each row is one item.</small>"
        )
        self.live = LivePanel([self.N, help_text, self.editor.box], self.view, observe=False)
        self.live.layout = w.Layout(border="1px solid #ddd", padding="6px")
        self.panel = self.live

    @property
    def items(self) -> list[list[int]]:
        """The current items (rows of 0/1)."""
        return self.editor.patterns

    def message(self) -> str | None:
        """Why the current set is invalid, or None."""
        return self.editor.duplicate_message()

    def view(self) -> list[Any]:
        """What the output shows for the current items: the summary and two figures. An invalid
        set raises ``ValueError`` saying why."""
        msg = self.message()
        if msg is not None:
            raise ValueError(msg)
        s = symmetry_summary(np.array(self.items))
        return [
            HTML(f"<pre style='line-height:1.3'>{s.text()}</pre>"),
            # SVG in JupyterLab; the plotly figures on the static page
            SvgItem(
                symmetry_spec(s.X, s.group),
                lambda: [
                    invariant_pattern_figure(s.group, s.N, height=300),
                    training_set_figure(s.X, height=260),
                ],
            ),
        ]

    def render(self) -> None:
        """Redraw the output for the current items (latest wins)."""
        if hasattr(self, "live"):
            self.live.refresh()


def symmetry_explorer(X0: ArrayLike | None = None) -> LivePanel:
    """The explorer panel, starting from ``X0`` (default: the paper's X = {101, 110})."""
    return SymmetryExplorer(X0).panel
