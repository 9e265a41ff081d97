"""Numbers next to the paper's: the names chapters 1–3 import, kept as thin re-exports.

The claim record, its verdict rules and its table live in :mod:`itemsrel.verdicts`.
"""

from __future__ import annotations

from .verdicts import ROUNDING, Claim, compare, fmt, rounding_text, verdict_table

__all__ = ["ROUNDING", "Claim", "compare", "fmt", "rounding_text", "verdict_table"]
