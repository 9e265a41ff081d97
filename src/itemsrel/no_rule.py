"""Chapter 5's no-rule proposition, checked on trained auto-associators.

The proposition (chapter 5): if W is Σ_X-invariant, φ acts on each unit alike, the answer is
read deterministically from the end state of ``x ← φ(W x)`` by an elementwise readout, and the
answer is *stable* (started at its own answer the network answers the same), then the answer to
a test item t is never ``s·t ≠ t`` for a rule s ∈ Σ_X. The proof uses two facts that this module
measures on the chapter's trained networks:

* **equivariance** of the answer map: ``F(s·x) = s·F(x)`` for every start x and rule s, where F
  is the end state after a fixed number of iterations (:func:`equivariance_gaps`, over all 2^N
  binary starts at once);
* **stability** of the answer at the test item, ``A(A(t)) = A(t)`` (:func:`binary_answers`,
  the readout of :func:`itemsrel.arc.network_answers`: binarise at ½ once settled).

:func:`no_rule_check` trains the networks of a list of puzzles exactly as
:func:`itemsrel.arc.network_answers` does (same batches, seeds and settings, so the same weights)
and returns one row per puzzle. Conventions: 0-based units, ``(s·x)_i = x_{s(i)}``, patterns as
rows, ``x ← φ(W x)`` computed as ``φ(x Wᵀ)`` on rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sympy.combinatorics import Permutation

from .activations import Activation, get_activation
from .arc import Puzzle, classify_answers, puzzle_weights
from .patterns import all_patterns
from .symmetry import act, act_on_matrix

__all__ = [
    "binary_answers",
    "end_states",
    "equivariance_gaps",
    "no_rule_check",
    "rule_powers",
]


def end_states(
    W: ArrayLike, starts: ArrayLike, activation: str | Activation, iterations: int = 200
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(end, moved)``: the states after ``iterations`` steps of ``x ← φ(W x)`` from each start
    (P, N), and each start's largest change in the last step (P,) (NaN if not finite)."""
    W = np.asarray(W, dtype=float)
    x = np.atleast_2d(np.asarray(starts, dtype=float))
    if W.ndim != 2 or W.shape[0] != W.shape[1] or x.shape[1] != W.shape[0]:
        raise ValueError(f"W must be (N, N) and starts (P, N); got {W.shape} and {x.shape}")
    if isinstance(iterations, bool) or int(iterations) != iterations or iterations < 1:
        raise ValueError(f"iterations must be a positive integer, got {iterations!r}")
    phi = get_activation(activation)
    before = x
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(iterations)):
            before, x = x, phi(x @ W.T)
        moved = np.max(np.abs(x - before), axis=1)
    return x, np.where(np.isfinite(moved), moved, np.nan)


def rule_powers(rule: Permutation | Sequence[int]) -> list[NDArray[np.intp]]:
    """The non-identity powers s, s², … of a permutation, as 0-based image arrays (Σ_X = ⟨s⟩
    for a generated puzzle)."""
    g = np.asarray(rule.array_form if isinstance(rule, Permutation) else rule, dtype=np.intp)
    out, p = [], g.copy()
    while not np.array_equal(p, np.arange(len(g))):
        out.append(p)
        p = p[g]
    return out


def _index(patterns: NDArray) -> NDArray[np.int64]:
    """Row index of each binary pattern in :func:`all_patterns` order (first unit most
    significant)."""
    N = patterns.shape[1]
    return (patterns.astype(np.int64) * (1 << np.arange(N - 1, -1, -1))).sum(axis=1)


def equivariance_gaps(
    W: ArrayLike,
    activation: str | Activation,
    rules: Sequence[Permutation | Sequence[int]],
    iterations: int = 200,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``(gap, fixed)``, both (len(rules), 2^N): for every rule s and binary start x (in
    :func:`~itemsrel.patterns.all_patterns` order) the largest entry of ``|F(s·x) − s·F(x)|``,
    F the end state after ``iterations`` steps (NaN where an end state is not finite), and
    whether s fixes x. 0 up to rounding for an s-invariant W, in exact arithmetic; in floating
    point a start fixed by s can leave the s-invariant states when they are unstable."""
    W = np.asarray(W, dtype=float)
    X = all_patterns(W.shape[0])
    F, _ = end_states(W, X, activation, iterations)
    gaps, fixed = [], []
    for s in rules:
        sX = act(s, X)  # rows s·x
        with np.errstate(invalid="ignore"):
            gaps.append(np.max(np.abs(F[_index(sX)] - act(s, F)), axis=1))
        fixed.append(np.all(sX == X, axis=1))
    return np.array(gaps), np.array(fixed)


def binary_answers(
    W: ArrayLike,
    starts: ArrayLike,
    activation: str | Activation,
    iterations: int = 200,
    tol: float = 1e-3,
    undecided: float = 1e-3,
) -> NDArray[np.int8]:
    """The binary answer from each start (P, N), −1 rows where there is none: the readout of
    :func:`itemsrel.arc.network_answers` (settled within ``tol`` in the last step, every unit
    farther than ``undecided`` from ½, then thresholded at ½)."""
    end, moved = end_states(W, starts, activation, iterations)
    ok = np.isfinite(moved) & (moved <= tol) & (np.min(np.abs(end - 0.5), axis=1) > undecided)
    out = np.where(end > 0.5, 1, 0).astype(np.int8)
    out[~ok] = -1
    return out


def no_rule_check(
    puzzles: Sequence[Puzzle],
    activation: str | Activation,
    *,
    init: str = "zeros",
    seed: int = 0,
    optimizer: str = "sgd",
    lr: float = 0.5,
    steps: int = 1500,
    iterations: int = 200,
) -> pd.DataFrame:
    """One row per puzzle for the networks of :func:`itemsrel.arc.network_answers` (same
    arguments, same weights): ``N``, ``asymmetry`` ``max_s ‖s·W − W‖_F / ‖W‖_F`` over the powers
    of the planted rule, ``gap moved`` / ``gap fixed`` (the largest :func:`equivariance_gaps` over those powers and the
    binary starts they move / fix), ``gap test`` (the same at the test item), ``answer`` (text,
    ``"none"`` for no binary answer), ``kind`` (:func:`itemsrel.arc.classify_answers`),
    ``stable`` (the answer A(t) exists and A(A(t)) = A(t)) and ``applies_rule``."""
    phi = get_activation(activation)
    rows: dict[int, dict[str, object]] = {}
    answers: dict[int, NDArray[np.int8] | None] = {}
    weights = puzzle_weights(
        puzzles, phi, init=init, seed=seed, optimizer=optimizer, lr=lr, steps=steps
    )
    for p, W in enumerate(weights):
        pz = puzzles[p]
        powers = rule_powers(pz.rule)
        norm = np.linalg.norm(W)
        asym = max(np.linalg.norm(act_on_matrix(s, W) - W) for s in powers)
        a = binary_answers(W, pz.test[None], phi, iterations)[0]
        stable = bool(
            a[0] >= 0 and np.array_equal(binary_answers(W, a[None], phi, iterations)[0], a)
        )
        answers[p] = a if a[0] >= 0 else None
        gap, fixed = equivariance_gaps(W, phi, powers, iterations)
        t_row = int(_index(pz.test[None])[0])
        rows[p] = {
            "N": pz.N,
            "asymmetry": float(asym / norm) if norm else 0.0,
            "gap moved": float(np.max(np.where(fixed, 0.0, gap))),
            "gap fixed": float(np.max(np.where(fixed, gap, 0.0))),
            "gap test": float(np.max(gap[:, t_row])),
            "answer": "none" if a[0] < 0 else "".join(str(int(v)) for v in a),
            "stable": stable,
        }
    order = sorted(rows)
    kinds = classify_answers([puzzles[p] for p in order], [answers[p] for p in order])
    df = pd.DataFrame([rows[p] for p in order], index=pd.Index(order, name="puzzle"))
    df["kind"] = kinds
    df["applies_rule"] = df["kind"] == "applies a rule"
    return df
