"""Numbers next to the paper's: one comparison row, one verdict rule, one table format.

Every chapter states a regenerated quantity beside the value the paper prints, with the tolerance
used and a verdict. :func:`compare` makes one row (scalars, vectors or matrices: the difference is
the largest absolute entry-wise difference); :func:`verdict_table` turns rows into a
``pandas.DataFrame`` whose text form is rounded and therefore stable under re-execution (nbval
checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = [
    "AGREES",
    "DIFFERS",
    "NOT_PRINTED",
    "Comparison",
    "compare",
    "fmt",
    "rounding_text",
    "verdict_table",
]

AGREES = "agrees"
DIFFERS = "differs"
NOT_PRINTED = "not in paper"


def fmt(value: ArrayLike | None, digits: int = 4) -> str:
    """Fixed-precision text for a scalar, vector or matrix (rows separated by ``;``); ``-0`` → ``0``."""
    if value is None:
        return "—"
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        v = 0.0 if abs(float(arr)) < 0.5 * 10 ** (-digits) else float(arr)
        return f"{v:.{digits}f}"
    if arr.ndim == 1:
        return "(" + ", ".join(fmt(v, digits) for v in arr) + ")"
    return "; ".join(" ".join(fmt(v, digits) for v in row) for row in arr)


@dataclass(frozen=True)
class Comparison:
    """One regenerated quantity beside the printed one.

    ``paper`` is ``None`` when the paper gives no value; ``tol`` is the largest absolute
    difference still counted as agreement (state it: it usually reflects the paper's 4 printed
    digits, i.e. 5e-5, or the spread over seeds).
    """

    quantity: str
    paper: ArrayLike | None
    ours: ArrayLike
    tol: float
    note: str = ""

    @property
    def difference(self) -> float | None:
        if self.paper is None:
            return None
        a, b = np.asarray(self.paper, dtype=float), np.asarray(self.ours, dtype=float)
        if a.shape != b.shape:
            raise ValueError(f"{self.quantity}: paper shape {a.shape} != ours {b.shape}")
        return float(np.max(np.abs(a - b)))

    @property
    def verdict(self) -> str:
        d = self.difference
        if d is None:
            return NOT_PRINTED
        return AGREES if d <= self.tol else DIFFERS


def compare(
    quantity: str, paper: ArrayLike | None, ours: ArrayLike, tol: float, note: str = ""
) -> Comparison:
    """Build a :class:`Comparison`; ``ours`` must be finite (a NaN never counts as a result)."""
    if not np.all(np.isfinite(np.asarray(ours, dtype=float))):
        raise ValueError(f"{quantity}: the regenerated value is not finite: {ours}")
    if tol < 0:
        raise ValueError("tolerance must be >= 0")
    return Comparison(quantity, paper, ours, float(tol), note)


#: Differences below this are the rounding of float64 arithmetic and print as "< 1e-12" (a printed
#: 3.7e-16 would change with any reordering of the arithmetic, and means 0).
ROUNDING = 1e-12


def rounding_text(d: float | None) -> str:
    """A non-negative difference or size as text: ``< 1e-12`` at the rounding level of float64
    arithmetic, else one significant digit and a half (``9.2e-02``); ``—`` for None."""
    if d is None:
        return "—"
    return f"< {ROUNDING:.0e}" if d < ROUNDING else f"{d:.1e}"


def verdict_table(rows: Sequence[Comparison], digits: int = 4) -> pd.DataFrame:
    """Rows as a table: quantity, paper, this book, max |difference|, tolerance, verdict, note."""
    data = [
        {
            "quantity": r.quantity,
            "paper": fmt(r.paper, digits),
            "this book": fmt(r.ours, digits),
            "max |diff|": rounding_text(r.difference),
            "tolerance": f"{r.tol:.0e}",
            "verdict": r.verdict,
            "note": r.note,
        }
        for r in rows
    ]
    return pd.DataFrame(data).set_index("quantity")
