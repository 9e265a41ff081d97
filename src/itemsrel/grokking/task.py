"""The group-word task of chapter 7: which pairs (x, y) a network learns ``w(x, y)`` from.

A :class:`WordTask` is one network to train: group G of order n, word w (e.g. ``"x*y"``), the
training ``fraction`` of the n² pairs, AdamW's weight decay and a seed. Task m draws its training
pairs from ``default_rng([seed, 0])`` (:func:`train_split`); the other pairs are its test set.
:func:`training_pairs` lays out the training pairs of M tasks as one padded batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..groups import Group, parse_word, word_table

__all__ = [
    "TrainingPairs",
    "WordTask",
    "grid_tasks",
    "n_train_pairs",
    "train_split",
    "training_pairs",
]


@dataclass(frozen=True)
class WordTask:
    """One network to train: learn ``word`` in ``group`` from a ``fraction`` of all pairs.

    ``weight_decay`` is AdamW's decoupled decay λ; ``seed`` fixes the split and the initial weights.
    """

    group: Group
    word: str = "x*y"
    fraction: float = 0.5
    weight_decay: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        parse_word(self.word)  # raises ValueError for a malformed word
        n2 = self.group.order**2
        if not (isinstance(self.fraction, int | float) and 0 < self.fraction < 1):
            raise ValueError(f"fraction must lie strictly between 0 and 1, got {self.fraction!r}")
        k = n_train_pairs(self.group.order, self.fraction)
        if not 1 <= k <= n2 - 1:
            raise ValueError(
                f"fraction {self.fraction} of the {n2} pairs of {self.group.name} leaves no "
                "training or no test pair"
            )
        if not (np.isfinite(self.weight_decay) and self.weight_decay >= 0):
            raise ValueError(f"weight decay must be finite and >= 0, got {self.weight_decay!r}")
        if isinstance(self.seed, bool) or int(self.seed) != self.seed or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")

    @property
    def label(self) -> str:
        return (
            f"{self.group.name} {self.word} f={self.fraction:g} λ={self.weight_decay:g} "
            f"seed={self.seed}"
        )


def n_train_pairs(order: int, fraction: float) -> int:
    """Number of training pairs: ``round(fraction · order²)``."""
    return round(float(fraction) * order * order)


def train_split(order: int, fraction: float, seed: int) -> NDArray[np.bool_]:
    """Training mask over the pairs, shape (order, order): ``mask[x, y]`` is True for training.

    Exactly ``round(fraction · order²)`` pairs, drawn by ``default_rng([seed, 0])``.
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must lie in [0, 1], got {fraction!r}")
    n2 = order * order
    k = n_train_pairs(order, fraction)
    chosen = np.random.default_rng([int(seed), 0]).permutation(n2)[:k]
    mask = np.zeros(n2, dtype=bool)
    mask[chosen] = True
    return mask.reshape(order, order)


def grid_tasks(
    groups: Sequence[Group],
    words: Sequence[str] = ("x*y",),
    fractions: Sequence[float] = (0.5,),
    weight_decays: Sequence[float] = (1.0,),
    seeds: Sequence[int] = (0,),
) -> list[WordTask]:
    """Every combination, in the nested order group → word → fraction → weight decay → seed."""
    return [
        WordTask(g, w, f, wd, s)
        for g in groups
        for w in words
        for f in fractions
        for wd in weight_decays
        for s in seeds
    ]


@dataclass
class TrainingPairs:
    """The training pairs of M tasks of group order n, padded to the largest training set P.

    ``masks`` (M, n, n) training pairs; ``tables`` (M, n²) the answer of every pair; ``xi``,
    ``yi`` (M, P): rows of the flattened (M·2n, width) embedding, x at m·2n + x and y at
    m·2n + n + y; ``zi`` (M, P) the answers; ``weight`` (M, P): 1/P_m per pair, 0 for padding.
    """

    masks: NDArray[np.bool_]
    tables: NDArray[np.intp]
    xi: NDArray[np.int64]
    yi: NDArray[np.int64]
    zi: NDArray[np.int64]
    weight: NDArray[np.float64]


def training_pairs(tasks: Sequence[WordTask]) -> TrainingPairs:
    """Every task's training pairs (:func:`train_split`), padded to the largest training set."""
    M, n = len(tasks), tasks[0].group.order
    n2 = n * n
    masks = np.stack([train_split(n, t.fraction, t.seed) for t in tasks])  # (M, n, n)
    tables = np.stack([word_table(t.group, t.word) for t in tasks]).reshape(M, n2)  # (M, n²)
    P = int(masks.reshape(M, -1).sum(axis=1).max())
    xi = np.zeros((M, P), dtype=np.int64)
    yi = np.zeros((M, P), dtype=np.int64)
    zi = np.zeros((M, P), dtype=np.int64)
    wt = np.zeros((M, P))
    for m in range(M):
        pairs = np.flatnonzero(masks[m].reshape(-1))
        k = len(pairs)
        xi[m, :k] = m * 2 * n + pairs // n
        yi[m, :k] = m * 2 * n + n + pairs % n
        zi[m, :k] = tables[m, pairs]
        wt[m, :k] = 1.0 / k
        xi[m, k:], yi[m, k:] = m * 2 * n, m * 2 * n + n  # padding: weight 0
    return TrainingPairs(masks, tables, xi, yi, zi, wt)
