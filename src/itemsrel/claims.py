"""Verdicts on qualitative claims: one module, one rule per kind of evidence.

* Paired comparisons over seeds (chapter 6): :func:`paired_claim`, verdicts **clear** / **weak** /
  **not reproduced**, rule below.
* A measured value against a stated criterion (chapter 7): :func:`threshold_verdict`, same words.
* A claim tested in several settings (chapter 4): :func:`claim_verdict`, verdicts **supported** /
  **partly supported** / **not supported**.

Paired comparisons.

Many statements of the representational-geometry paper are qualitative ("tanh networks are more
target-aligned than ReLU networks"). We test such a claim "A > B" on values a_s and b_s measured
on networks that share seed s (same task instance, initial weights and noise), so the difference
d_s = a_s − b_s isolates what A and B change. A seed *agrees* when d_s > τ, *contradicts* when
d_s < −τ and is a *tie* otherwise (τ = :data:`TIE` = 0.005: both at a ceiling, say). The rule,
stated once for every chapter table:

* **clear** — the mean of d is in the claimed direction and at least ``min_effect``, and at most
  10 % of the seeds contradict;
* **weak** — the mean of d is positive, more seeds agree than contradict and at most a third
  contradict, but the claim is not clear (e.g. a consistent but small effect);
* **not reproduced** — otherwise.

:func:`paired_claim` builds one :class:`PairedClaim`; :func:`claims_table` formats claims as a
``pandas.DataFrame`` of rounded text (stable under re-execution, so nbval can check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CLEAR",
    "NOT_REPRODUCED",
    "NOT_SUPPORTED",
    "PARTLY",
    "SUPPORTED",
    "WEAK",
    "PairedClaim",
    "claim_verdict",
    "claims_table",
    "paired_claim",
    "threshold_verdict",
]

CLEAR = "clear"
WEAK = "weak"
NOT_REPRODUCED = "not reproduced"
SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
TIE = 0.005
CLEAR_CONTRADICTING = 0.1
WEAK_CONTRADICTING = 1 / 3


@dataclass(frozen=True)
class PairedClaim:
    """The claim "``a_label`` > ``b_label`` in ``measure``", with per-seed values a, b (n_seeds,)."""

    claim: str
    measure: str
    a_label: str
    b_label: str
    a: NDArray[np.float64]
    b: NDArray[np.float64]
    min_effect: float
    note: str = ""

    @property
    def difference(self) -> NDArray[np.float64]:
        """d_s = a_s − b_s, shape (n_seeds,)."""
        return self.a - self.b

    @property
    def agreeing(self) -> int:
        """Number of seeds with a_s − b_s > τ."""
        return int(np.sum(self.difference > TIE))

    @property
    def contradicting(self) -> int:
        """Number of seeds with a_s − b_s < −τ."""
        return int(np.sum(self.difference < -TIE))

    @property
    def verdict(self) -> str:
        d = self.difference
        against = self.contradicting / d.size
        if d.mean() >= self.min_effect and against <= CLEAR_CONTRADICTING:
            return CLEAR
        if d.mean() > 0 and self.agreeing > self.contradicting and against <= WEAK_CONTRADICTING:
            return WEAK
        return NOT_REPRODUCED


def paired_claim(
    claim: str,
    measure: str,
    a_label: str,
    a: ArrayLike,
    b_label: str,
    b: ArrayLike,
    *,
    min_effect: float,
    note: str = "",
) -> PairedClaim:
    """The claim "A > B in ``measure``" from per-seed values ``a``, ``b`` (same seeds, same order)."""
    av = np.asarray(a, dtype=float).ravel()
    bv = np.asarray(b, dtype=float).ravel()
    if av.shape != bv.shape or av.size < 2:
        raise ValueError(
            f"{claim}: a and b need one value per seed, at least two seeds, same length; "
            f"got {av.size} and {bv.size}"
        )
    if not (np.all(np.isfinite(av)) and np.all(np.isfinite(bv))):
        raise ValueError(f"{claim}: the per-seed values must be finite (a NaN is not a result)")
    if not (np.isfinite(min_effect) and min_effect >= 0):
        raise ValueError(f"min_effect must be a finite number >= 0, got {min_effect}")
    return PairedClaim(claim, measure, a_label, b_label, av, bv, float(min_effect), note)


def _mean_sd(x: NDArray[np.float64], digits: int) -> str:
    m, s = float(np.mean(x)), float(np.std(x, ddof=1))
    m = 0.0 if abs(m) < 0.5 * 10**-digits else m
    return f"{m:.{digits}f} ± {s:.{digits}f}"


def claims_table(claims: Sequence[PairedClaim], digits: int = 2) -> pd.DataFrame:
    """One row per claim: claim, measure, A and B as mean ± sd over seeds, A − B, the numbers of
    agreeing and contradicting seeds, verdict."""
    rows = [
        {
            "claim": c.claim,
            "measure": c.measure,
            "A": f"{c.a_label}: {_mean_sd(c.a, digits)}",
            "B": f"{c.b_label}: {_mean_sd(c.b, digits)}",
            "A − B": _mean_sd(c.difference, digits),
            "seeds A > B / A < B": f"{c.agreeing} / {c.contradicting}",
            "verdict": c.verdict,
        }
        for c in claims
    ]
    return pd.DataFrame(rows).set_index("claim")


def threshold_verdict(clear: bool, weak: bool) -> str:
    """**clear** if the clear criterion holds, else **weak** if the weak one does, else **not
    reproduced** (the criteria are stated next to the measured value, e.g. "≥ 95 %")."""
    return CLEAR if clear else WEAK if weak else NOT_REPRODUCED


def claim_verdict(holds: Sequence[bool] | np.ndarray) -> str:
    """Verdict on a claim tested in several settings (e.g. training sets × initialisations).

    ``holds[k]`` says whether the claim held in setting k: all → ``supported``, some →
    ``partly supported`` (name the condition next to it), none → ``not supported``.
    """
    flags = np.asarray(holds, dtype=bool).ravel()
    if flags.size == 0:
        raise ValueError("a claim needs at least one setting in which it was tested")
    if flags.all():
        return SUPPORTED
    return PARTLY if flags.any() else NOT_SUPPORTED
