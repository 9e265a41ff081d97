"""An editable list of binary patterns: one row of toggle buttons per pattern (pressed = 1).

:class:`PatternEditor` is the input of the explorers of chapters 1 and 5. It holds
``patterns`` (a list of 0/1 lists of one length N), lets the reader flip bits, add and remove rows
(unless the number of rows is fixed), follows a change of N (rows are cut or padded with zeros)
and calls ``on_change()`` after every edit. ``box`` is the widget to display.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

__all__ = ["PatternEditor"]

_BIT = w.Layout(width="34px", height="30px", padding="0")


class PatternEditor:
    """Rows of bit buttons. ``label`` names a row (``"item"`` → "item 1", "item 2", …; with
    ``fixed_rows`` the label is shown as is); ``max_rows`` caps additions."""

    def __init__(
        self,
        patterns: Sequence[Sequence[int]],
        *,
        label: str = "item",
        max_rows: int = 12,
        fixed_rows: bool = False,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        if not patterns:
            raise ValueError("PatternEditor needs at least one pattern to fix the length N")
        lengths = {len(p) for p in patterns}
        if len(lengths) != 1:
            raise ValueError(
                f"all patterns must have the same length, got lengths {sorted(lengths)}"
            )
        self.patterns: list[list[int]] = [[int(bool(v)) for v in p] for p in patterns]
        self.N = lengths.pop()
        self.label = label
        self.max_rows = max_rows
        self.fixed_rows = fixed_rows
        self.on_change = on_change or (lambda: None)
        self.grid = w.VBox()
        self.add = w.Button(description=f"add {label}", icon="plus", layout=w.Layout(width="130px"))
        self.add.on_click(self._on_add)
        self._build()
        self.box = w.VBox([self.grid] if fixed_rows else [self.grid, self.add])

    # --- edits -------------------------------------------------------------------------------
    def set_length(self, n: int) -> None:
        """Change N: every row is cut or padded with zeros; redraws and notifies."""
        self.N = int(n)
        self.patterns = [(row + [0] * self.N)[: self.N] for row in self.patterns]
        self._build()
        self.on_change()

    def _on_add(self, _: Any = None) -> None:
        if len(self.patterns) >= self.max_rows:
            return
        self.patterns.append([0] * self.N)
        self._build()
        self.on_change()

    def _remove(self, k: int) -> None:
        del self.patterns[k]
        self._build()
        self.on_change()

    def _flip(self, k: int, i: int, value: bool) -> None:
        self.patterns[k][i] = int(value)
        self.on_change()

    # --- view --------------------------------------------------------------------------------
    def _row_label(self, k: int) -> str:
        return self.label if self.fixed_rows else f"{self.label} {k + 1}"

    def _build(self) -> None:
        rows = []
        for k, pattern in enumerate(self.patterns):
            bits = []
            for i, v in enumerate(pattern):
                b = w.ToggleButton(
                    value=bool(v),
                    description=str(v),
                    tooltip=f"{self._row_label(k)}, unit {i + 1}",
                    layout=_BIT,
                    button_style="info" if v else "",
                )

                def flip(
                    change: dict[str, Any], k: int = k, i: int = i, b: w.ToggleButton = b
                ) -> None:
                    b.description = "1" if change["new"] else "0"
                    b.button_style = "info" if change["new"] else ""
                    self._flip(k, i, change["new"])

                b.observe(flip, names="value")
                bits.append(b)
            parts: list[w.Widget] = [
                w.Label(self._row_label(k), layout=w.Layout(width="60px")),
                *bits,
            ]
            if not self.fixed_rows:
                rm = w.Button(description="remove", layout=w.Layout(width="80px"))
                rm.on_click(lambda _, k=k: self._remove(k))
                parts.append(rm)
            rows.append(w.HBox(parts))
        self.grid.children = rows

    def duplicate_message(self) -> str | None:
        """Why the rows are not a valid set (empty, or two equal rows), or None."""
        if not self.patterns:
            article = "an" if self.label[:1] in "aeiou" else "a"
            return f"The set is empty: add {article} {self.label}."
        seen: dict[tuple[int, ...], int] = {}
        for k, row in enumerate(self.patterns):
            key = tuple(row)
            if key in seen:
                return (
                    f"{self.label.capitalize()}s {seen[key] + 1} and {k + 1} are equal "
                    f"({''.join(map(str, row))}): a set contains each {self.label} once. "
                    "Change or remove one of them."
                )
            seen[key] = k
        return None
