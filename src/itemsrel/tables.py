"""Printed tables in the book's one house style: HTML that wraps to the column, stable plain text.

``table(df)`` returns an object that Jupyter and myst-nb show as an HTML table (class
``itemsrel-table``, styled by ``book/_static/itemsrel.css``: cells wrap, numbers in tabular
figures, no horizontal scrolling at 1280 px) and whose ``text/plain`` form is
``DataFrame.to_string`` of the same rounded numbers — what nbval compares, so a checked cell's
stored text stays stable whatever the HTML looks like.

Example (the last line of a cell)::

    table(verdicts, caption="Claims of §3.2", digits=4)
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable

import pandas as pd

CSS_CLASS = "itemsrel-table"
# Verdict words of the book (exact vocabulary); cells that start with one get a colour class.
VERDICT_CLASSES = {
    "reproduced exactly": "verdict-ok",
    "reproduced in distribution": "verdict-ok",
    "consistent only with": "verdict-partial",
    "partly": "verdict-partial",
    "not reproduced": "verdict-bad",
    "contradicted": "verdict-bad",
}


def _verdict_class(value: object) -> str:
    text = str(value).strip().lower()
    for word, cls in VERDICT_CLASSES.items():
        if text.startswith(word):
            return cls
    return ""


class Table:
    """A DataFrame shown as a house-style HTML table; ``repr`` is its plain text."""

    def __init__(
        self,
        df: pd.DataFrame,
        caption: str | None = None,
        digits: int | None = None,
        index: bool = True,
        classes: Iterable[str] = (),
    ) -> None:
        if not isinstance(df, pd.DataFrame | pd.Series):
            raise TypeError(
                f"table: df must be a pandas DataFrame or Series, got {type(df).__name__}"
            )
        if digits is not None and (not isinstance(digits, int) or digits < 0):
            raise ValueError(f"table: digits must be a non-negative int or None, got {digits!r}")
        frame = df.to_frame() if isinstance(df, pd.Series) else df
        self.df = frame.round(digits) if digits is not None else frame
        self.caption = caption
        self.index = index
        self.classes = (CSS_CLASS, *classes)

    def __repr__(self) -> str:
        text = self.df.to_string(index=self.index)
        return f"{self.caption}\n{text}" if self.caption else text

    def _shown(self) -> pd.DataFrame:
        """Cells as text, floats printed exactly as ``to_string`` prints their column."""
        shown = self.df.astype(object).copy()
        for i in range(self.df.shape[1]):
            if pd.api.types.is_float_dtype(self.df.iloc[:, i]):
                lines = self.df.iloc[:, [i]].to_string(index=False, header=False).splitlines()
                shown.iloc[:, i] = [line.strip() for line in lines]
        return shown

    def _repr_html_(self) -> str:
        shown = self._shown()
        # the element ids derive from the content, so stored outputs stay the same on re-execution
        uid = hashlib.sha1(repr(self).encode()).hexdigest()[:8]
        styler = shown.style.set_uuid(uid).set_table_attributes(f'class="{" ".join(self.classes)}"')
        if not self.index:
            styler = styler.hide(axis="index")
        if self.caption:
            styler = styler.set_caption(html.escape(self.caption))
        cell_classes = shown.map(_verdict_class)
        if (cell_classes != "").to_numpy().any():
            styler = styler.set_td_classes(cell_classes)
        return styler.to_html()


def table(
    df: pd.DataFrame | pd.Series,
    caption: str | None = None,
    digits: int | None = None,
    index: bool = True,
) -> Table:
    """``df`` as a :class:`Table` (house-style HTML, plain-text ``repr``); ``digits`` rounds."""
    return Table(df, caption=caption, digits=digits, index=index)
