"""Verdicts: one claim record, one rule per kind of evidence, one table, one vocabulary.

Every chapter states what the paper claims or prints beside what this book measured, the criterion
applied and a verdict. The verdict is always one of the book's words:

* **reproduced exactly** — a deterministic computation gives the printed number within the
  printing precision (the criterion states the tolerance);
* **reproduced in distribution** — over seeds or draws, the measured distribution meets the
  criterion (a paired effect in the claimed direction, an estimate within its standard errors, a
  threshold met by every network, a claim that holds in every setting);
* **consistent only with …** — the printed value agrees only under a stated reading (a misprint
  corrected, a sign restored);
* **partly** — a weaker form of the claim holds (met by the weak criterion, or in some settings
  only: the table names which);
* **not reproduced** — the criterion is not met; this says nothing about the opposite;
* **contradicted** — the measurement shows the opposite: a derivation gives another value than
  the one printed, or the paired effect is clearly in the other direction.

A claim that could not be tested here gets **not tested** (with the reason as its criterion).

Constructors, one per kind of evidence (each returns a :class:`Claim`):

* :func:`compare` — a regenerated number (scalar, vector, matrix) against a printed one;
* :func:`paired_claim` — "A > B" from per-seed values of networks that share a seed;
* :func:`threshold` — a measured value against a stated criterion with a strong and a weak form;
* :func:`across_settings` — a claim tested in several settings (e.g. training sets × inits), its
  verdict by :func:`settings_verdict` (which also judges a claim that an effect does *not* occur);
* :func:`not_tested` — a claim this book does not test.

:func:`verdict_table` renders claims as a ``pandas.DataFrame`` of rounded text (stable under
re-execution, so nbval checks it; ``.to_html()`` gives the page table); :func:`verdict_text` prints
the same table one claim per block, for long measured texts; :func:`verdict_counts` counts verdicts.

Paired rule. For per-seed values a_s, b_s of networks that share seed s, d_s = a_s − b_s; a seed
*agrees* when d_s > τ, *contradicts* when d_s < −τ (τ = :data:`TIE` = 0.005: both at a ceiling,
say). With ``min_effect`` stated per claim:

* reproduced in distribution — mean d ≥ ``min_effect`` and at most 10 % of the seeds contradict;
* contradicted — the mirror image: mean d ≤ −``min_effect`` and at most 10 % of the seeds agree;
* partly — mean d > 0, more seeds agree than contradict and at most a third contradict;
* not reproduced — otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CONSISTENT_ONLY_WITH",
    "CONTRADICTED",
    "NOT_REPRODUCED",
    "NOT_TESTED",
    "NO_CLAIM",
    "PARTLY",
    "REPRODUCED_EXACTLY",
    "REPRODUCED_IN_DISTRIBUTION",
    "VERDICTS",
    "Claim",
    "across_settings",
    "compact_table",
    "compare",
    "fmt",
    "not_tested",
    "paired_claim",
    "rounding_text",
    "settings_text",
    "settings_verdict",
    "threshold",
    "verdict_counts",
    "verdict_table",
    "verdict_text",
]

REPRODUCED_EXACTLY = "reproduced exactly"
REPRODUCED_IN_DISTRIBUTION = "reproduced in distribution"
CONSISTENT_ONLY_WITH = "consistent only with"
PARTLY = "partly"
NOT_REPRODUCED = "not reproduced"
CONTRADICTED = "contradicted"
NOT_TESTED = "not tested"
#: The verdict column of a control row, where the paper makes no claim.
NO_CLAIM = "(no claim)"
#: The verdict words, strongest first (``consistent only with`` is followed by its reading).
VERDICTS = (
    REPRODUCED_EXACTLY,
    REPRODUCED_IN_DISTRIBUTION,
    CONSISTENT_ONLY_WITH,
    PARTLY,
    NOT_REPRODUCED,
    CONTRADICTED,
    NOT_TESTED,
)

TIE = 0.005
CLEAR_CONTRADICTING = 0.1
WEAK_CONTRADICTING = 1 / 3
#: Differences below this are the rounding of float64 arithmetic and print as "< 1e-12".
ROUNDING = 1e-12
#: Kinds of evidence for :func:`compare`.
KINDS = ("exact", "derivation", "distribution")


@dataclass(frozen=True)
class Claim:
    """One claim with its evidence and verdict; every field a short text for the table.

    ``evidence`` holds further columns (name → text) in display order; ``value`` and
    ``paper_value`` keep the numbers behind the texts for code that checks them.
    """

    claim: str
    verdict: str
    criterion: str
    measure: str = ""
    paper: str = ""
    book: str = ""
    note: str = ""
    evidence: Mapping[str, str] = field(default_factory=dict)
    value: Any = None
    paper_value: Any = None

    def __post_init__(self) -> None:
        if not any(self.verdict == v or self.verdict.startswith(v + " ") for v in VERDICTS):
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


# --- number formatting -------------------------------------------------------------------------


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


def rounding_text(d: float | None) -> str:
    """A non-negative difference or size as text: ``< 1e-12`` at the rounding level of float64
    arithmetic, else one significant digit and a half (``9.2e-02``); ``—`` for None."""
    if d is None:
        return "—"
    return f"< {ROUNDING:.0e}" if d < ROUNDING else f"{d:.1e}"


# --- against a printed number ------------------------------------------------------------------


def compare(
    quantity: str,
    paper: ArrayLike | None,
    ours: ArrayLike,
    tol: float,
    note: str = "",
    *,
    kind: str = "exact",
    reading: str | None = None,
    digits: int = 4,
) -> Claim:
    """A regenerated value ``ours`` beside the printed ``paper`` (same shape), agreement when the
    largest absolute entry-wise difference is at most ``tol``.

    ``kind`` says what ``ours`` is: ``"exact"`` (a deterministic run or computation whose settings
    may differ from the paper's: agree → reproduced exactly, differ → not reproduced),
    ``"derivation"`` (the mathematics the printed value claims to state: differ → contradicted) or
    ``"distribution"`` (an estimate over draws; ``tol`` its error allowance: agree → reproduced in
    distribution). ``reading`` names how the printed value was read (e.g. a misprint corrected):
    agreement then is "consistent only with <reading>". ``paper=None`` (nothing printed) gives
    "not tested".
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    b = np.asarray(ours, dtype=float)
    if not np.all(np.isfinite(b)):
        raise ValueError(f"{quantity}: the regenerated value is not finite: {ours}")
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tolerance must be a finite number >= 0, got {tol}")
    if paper is None:
        return Claim(
            quantity,
            NOT_TESTED,
            "the paper prints no value",
            paper="—",
            book=fmt(ours, digits),
            note=note,
            evidence={"max |diff|": "—"},
            value=b,
        )
    a = np.asarray(paper, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"{quantity}: paper shape {a.shape} != ours {b.shape}")
    d = float(np.max(np.abs(a - b))) if a.size else 0.0
    if d <= tol:
        verdict = (
            f"{CONSISTENT_ONLY_WITH} {reading}"
            if reading
            else REPRODUCED_IN_DISTRIBUTION
            if kind == "distribution"
            else REPRODUCED_EXACTLY
        )
    else:
        verdict = CONTRADICTED if kind == "derivation" else NOT_REPRODUCED
    return Claim(
        quantity,
        verdict,
        f"|diff| ≤ {tol:.0e}",
        paper=fmt(paper, digits),
        book=fmt(ours, digits),
        note=note,
        evidence={"max |diff|": rounding_text(d)},
        value=b,
        paper_value=a,
    )


# --- paired over seeds -------------------------------------------------------------------------


def _mean_sd(x: NDArray[np.float64], digits: int) -> str:
    m, s = float(np.mean(x)), float(np.std(x, ddof=1))
    m = 0.0 if abs(m) < 0.5 * 10**-digits else m
    return f"{m:.{digits}f} ± {s:.{digits}f}"


def paired_verdict(d: ArrayLike, min_effect: float) -> str:
    """The paired rule of this module's docstring on the differences d_s, shape (n_seeds,)."""
    d = np.asarray(d, dtype=float).ravel()
    agree, against = int(np.sum(d > TIE)), int(np.sum(d < -TIE))
    if d.mean() >= min_effect and against / d.size <= CLEAR_CONTRADICTING:
        return REPRODUCED_IN_DISTRIBUTION
    if d.mean() <= -min_effect and agree / d.size <= CLEAR_CONTRADICTING:
        return CONTRADICTED
    if d.mean() > 0 and agree > against and against / d.size <= WEAK_CONTRADICTING:
        return PARTLY
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
    digits: int = 2,
) -> Claim:
    """The claim "A > B in ``measure``" from per-seed values ``a``, ``b`` (same seeds, same order).

    Columns: A and B (mean ± sd over seeds), A − B, seeds with A > B / A < B (beyond τ = 0.005).
    """
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
    d = av - bv
    return Claim(
        claim,
        paired_verdict(d, min_effect),
        f"mean A − B ≥ {min_effect:g}, ≤ 10 % of seeds A < B",
        measure=measure,
        note=note,
        evidence={
            "A": f"{a_label}: {_mean_sd(av, digits)}",
            "B": f"{b_label}: {_mean_sd(bv, digits)}",
            "A − B": _mean_sd(d, digits),
            "seeds A > B / A < B": f"{int(np.sum(d > TIE))} / {int(np.sum(d < -TIE))}",
        },
        value=(av, bv),
    )


# --- threshold, settings, not tested -----------------------------------------------------------


def threshold(
    claim: str,
    measure: str,
    value: str,
    criterion: str,
    met: bool,
    partly_met: bool = False,
    *,
    met_verdict: str = REPRODUCED_IN_DISTRIBUTION,
    note: str = "",
) -> Claim:
    """A measured ``value`` (text) against a ``criterion`` with a strong and a weak form:
    ``met`` → ``met_verdict`` (reproduced in distribution when the value summarises several
    networks, reproduced exactly for one deterministic computation), else ``partly_met`` →
    partly, else not reproduced."""
    if met_verdict not in (REPRODUCED_EXACTLY, REPRODUCED_IN_DISTRIBUTION):
        raise ValueError(f"met_verdict must be a 'reproduced' verdict, got {met_verdict!r}")
    verdict = met_verdict if bool(met) else PARTLY if bool(partly_met) else NOT_REPRODUCED
    return Claim(claim, verdict, criterion, measure=measure, book=value, note=note)


def settings_text(flags: pd.Series) -> str:
    """The settings where ``flags`` is true, as ``"X (normal), X (uniform)"`` (``"none"`` if none);
    ``flags`` is indexed by (training set, init) pairs."""
    return ", ".join(f"{s} ({i})" for (s, i), v in flags.items() if v) or "none"


def settings_verdict(holds: ArrayLike, expected: bool | None = True) -> str:
    """The verdict on a claim tested in several settings; ``holds[k]``: the effect held in
    setting k. ``expected=True`` (the paper says it occurs): in all → reproduced in distribution,
    in some → partly, in none → not reproduced. ``expected=False`` (the paper says it does not
    occur): in none → reproduced in distribution, in some → partly, in all → contradicted.
    ``expected=None`` (a control, no claim): :data:`NO_CLAIM`."""
    flags = np.asarray(holds, dtype=bool).ravel()
    if flags.size == 0:
        raise ValueError("a claim needs at least one setting in which it was tested")
    if expected is None:
        return NO_CLAIM
    n, k = flags.size, int(flags.sum())
    if not expected:
        k = n - k  # the settings where the claim (no effect) held
        if k == 0:
            return CONTRADICTED
    return REPRODUCED_IN_DISTRIBUTION if k == n else PARTLY if k else NOT_REPRODUCED


def across_settings(
    claim: str, measured: str, holds: Sequence[bool] | np.ndarray | pd.Series, *, note: str = ""
) -> Claim:
    """A claim tested in several settings: ``holds[k]`` says whether it held in setting k (each a
    criterion on the means over seeds). All → reproduced in distribution, some → partly (the
    ``measured`` text names where), none → not reproduced."""
    flags = np.asarray(holds, dtype=bool).ravel()
    verdict = settings_verdict(flags)
    return Claim(
        claim,
        verdict,
        f"holds in all {flags.size} settings (partly: in some)",
        book=measured,
        note=note,
        value=flags,
    )


def not_tested(claim: str, reason: str) -> Claim:
    """A claim this book does not test; ``reason`` says what a test would need."""
    return Claim(claim, NOT_TESTED, reason, measure="—", book="—")


# --- one table ---------------------------------------------------------------------------------


def verdict_table(claims: Sequence[Claim]) -> pd.DataFrame:
    """Claims as a table of text indexed by claim: measure, paper, this book (each only when some
    row has it), the evidence columns, criterion, verdict, note (only when some row has one)."""
    if not claims:
        raise ValueError("verdict_table needs at least one claim")
    extra: list[str] = []
    for c in claims:
        extra += [k for k in c.evidence if k not in extra]
    rows = []
    for c in claims:
        row = {"claim": c.claim, "measure": c.measure, "paper": c.paper, "this book": c.book}
        row |= {k: c.evidence.get(k, "") for k in extra}
        row |= {"criterion": c.criterion, "verdict": c.verdict, "note": c.note}
        rows.append(row)
    df = pd.DataFrame(rows).set_index("claim")
    optional = ["measure", "paper", "this book", "note"]
    return df.drop(columns=[k for k in optional if not df[k].astype(bool).any()])


def compact_table(claims: Sequence[Claim]) -> pd.DataFrame:
    """The :func:`verdict_table` in four columns that fit a page's text column: ``paper``,
    ``this book`` (prefixed by the measure, when a claim names one), ``criterion`` (followed by
    the measured ``max |diff|``, when a claim has one) and ``verdict``; columns no claim fills are
    left out."""
    df = verdict_table(claims)
    if "measure" in df:
        has = df["measure"] != ""
        df.loc[has, "this book"] = df["measure"][has] + ": " + df["this book"][has]
    if "max |diff|" in df:
        has = df["max |diff|"] != ""
        df.loc[has, "criterion"] = df["criterion"][has] + " (max " + df["max |diff|"][has] + ")"
    return df[[c for c in ("paper", "this book", "criterion", "verdict") if c in df]]


def verdict_text(claims: Sequence[Claim] | pd.DataFrame, *, numbered: bool = True) -> str:
    """The :func:`verdict_table` one claim per block: the claim, then each column on its own line
    (``  column: text``), the verdict last; for measured texts too long for one table row."""
    df = claims if isinstance(claims, pd.DataFrame) else verdict_table(claims)
    blocks = []
    for k, (claim, row) in enumerate(df.iterrows(), start=1):
        head = f"{k}. {claim}" if numbered else f"- {claim}"
        lines = [head] + [
            f"    {col}: {txt}" for col, txt in row.items() if col not in ("verdict",) and txt
        ]
        lines.append(f"    -> {row['verdict']}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def verdict_counts(claims: Sequence[Claim] | pd.DataFrame) -> dict[str, int]:
    """How many claims got each verdict word (``consistent only with …`` counted as one word),
    in the order of :data:`VERDICTS`, words that do not occur left out."""
    verdicts = (
        claims["verdict"]
        if isinstance(claims, pd.DataFrame)
        else pd.Series([c.verdict for c in claims])
    )
    words = [next(v for v in VERDICTS if s == v or s.startswith(v + " ")) for s in verdicts]
    return {v: words.count(v) for v in VERDICTS if v in words}
