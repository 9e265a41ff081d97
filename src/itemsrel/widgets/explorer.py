"""Chapter 1's interactive panel: edit a training set bit by bit and watch Σ_X change.

:func:`symmetry_explorer` shows an IntSlider ``N`` (pattern length, 2..8), one row of toggle
buttons per item (a pressed button is a 1), buttons to add and remove items, and a live output
with Σ_X (1-based cycle notation and order), the orbits, the Σ_X-invariant weight pattern and the
symmetry-consistent / span patterns. Invalid sets (duplicates, no items) show a message.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np
from IPython.display import display
from numpy.typing import ArrayLike

from ..figures.symmetry import invariant_pattern_figure, symmetry_summary, training_set_figure

__all__ = ["SymmetryExplorer", "symmetry_explorer"]

_N_MIN, _N_MAX = 2, 8
_MAX_ITEMS = 12
_BIT = w.Layout(width="34px", height="30px", padding="0")


class SymmetryExplorer:
    """State and widgets of the symmetry explorer; ``.panel`` is the widget to display.

    ``items`` is the current training set as a list of 0/1 lists (may be invalid while editing);
    ``N`` is the slider; ``output`` the live Output; ``render()`` redraws it.
    """

    def __init__(self, X0: ArrayLike | None = None) -> None:
        X = np.array([[1, 0, 1], [1, 1, 0]]) if X0 is None else np.asarray(X0, dtype=int)
        if X.ndim != 2 or not _N_MIN <= X.shape[1] <= _N_MAX:
            raise ValueError(f"X0 must have shape (n_items, N) with {_N_MIN} <= N <= {_N_MAX}")
        self.items: list[list[int]] = [[int(v) for v in row] for row in X]
        self.N = w.IntSlider(
            value=X.shape[1],
            min=_N_MIN,
            max=_N_MAX,
            description="N (units)",
            continuous_update=False,
            style={"description_width": "80px"},
        )
        self.add = w.Button(description="add item", icon="plus", layout=w.Layout(width="110px"))
        self.grid = w.VBox()
        self.output = w.Output(layout=w.Layout(min_height="300px"))
        self.N.observe(self._on_n, names="value")
        self.add.on_click(self._on_add)
        self._build_grid()
        self.render()
        help_text = w.HTML(
            "<small>Click a square to flip a bit (dark = 1). Each row is one item.</small>"
        )
        self.panel = w.VBox(
            [self.N, help_text, self.grid, self.add, self.output],
            layout=w.Layout(border="1px solid #ddd", padding="6px"),
        )

    # --- state changes ----------------------------------------------------------------------
    def _on_n(self, change: dict[str, Any]) -> None:
        n = int(change["new"])
        self.items = [(row + [0] * n)[:n] for row in self.items]
        self._build_grid()
        self.render()

    def _on_add(self, _: Any = None) -> None:
        if len(self.items) >= _MAX_ITEMS:
            return
        self.items.append([0] * int(self.N.value))
        self._build_grid()
        self.render()

    def _remove(self, k: int) -> None:
        del self.items[k]
        self._build_grid()
        self.render()

    def _flip(self, k: int, i: int, value: bool) -> None:
        self.items[k][i] = int(value)
        self.render()

    def _build_grid(self) -> None:
        rows = []
        for k, item in enumerate(self.items):
            bits = []
            for i, v in enumerate(item):
                b = w.ToggleButton(
                    value=bool(v),
                    description=str(v),
                    tooltip=f"item {k + 1}, unit {i + 1}",
                    layout=_BIT,
                    button_style="info" if v else "",
                )

                def flip(change: dict[str, Any], k: int = k, i: int = i, b=b) -> None:
                    b.description = "1" if change["new"] else "0"
                    b.button_style = "info" if change["new"] else ""
                    self._flip(k, i, change["new"])

                b.observe(flip, names="value")
                bits.append(b)
            rm = w.Button(description="remove", layout=w.Layout(width="80px"))
            rm.on_click(lambda _, k=k: self._remove(k))
            rows.append(
                w.HBox([w.Label(f"item {k + 1}", layout=w.Layout(width="55px")), *bits, rm])
            )
        self.grid.children = rows

    # --- output -----------------------------------------------------------------------------
    def message(self) -> str | None:
        """Why the current set is invalid, or None."""
        if not self.items:
            return "The training set is empty: add an item."
        seen: dict[tuple[int, ...], int] = {}
        for k, row in enumerate(self.items):
            if tuple(row) in seen:
                return (
                    f"Items {seen[tuple(row)] + 1} and {k + 1} are equal ({''.join(map(str, row))}): "
                    "a set contains each item once. Change or remove one of them."
                )
            seen[tuple(row)] = k
        return None

    def render(self) -> None:
        """Redraw the output for the current items."""
        with self.output:
            self.output.clear_output(wait=True)
            msg = self.message()
            if msg is not None:
                display(w.HTML(f"<b style='color:#D55E00'>{msg}</b>"))
                return
            s = symmetry_summary(np.array(self.items))
            display(w.HTML(f"<pre style='line-height:1.3'>{s.text()}</pre>"))
            invariant_pattern_figure(s.group, s.N, height=300).show()
            training_set_figure(s.X, height=260).show()


def symmetry_explorer(X0: ArrayLike | None = None) -> w.VBox:
    """The explorer panel, starting from ``X0`` (default: the paper's X = {101, 110})."""
    return SymmetryExplorer(X0).panel
