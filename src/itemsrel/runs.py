"""Labelled runs: a grid of networks as a design table beside its stacked arrays.

A :class:`Runs` holds a ``design`` (pandas DataFrame, one row per network: activation, init,
optimiser, penalty, strength, seed, …) and arrays whose first axis is the network (weights,
losses, flags…), in the same order. Select by label instead of by hand-made slices:

    grid = design(activation=["linear", "tanh"], penalty=["none", "l1"], strength=[0.01],
                  seed=range(20))
    runs = train_grid(X, grid, steps=2000, lr=0.1)
    runs.sel(activation="tanh", seed=0)["W"]            # (1, N, N)
    runs.sel(activation="tanh", penalty=["l1"]).design   # the matching rows

:func:`design` builds the full grid (every combination, the last factor varying fastest);
:func:`train_grid` trains a design with :func:`itemsrel.training.train`, one batched call per
group of rows that share everything but the seed and the penalty strength.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = ["Runs", "design", "runs_of", "train_grid"]


def _values(name: str, v: Any) -> list[Any]:
    if isinstance(v, str) or not isinstance(v, Iterable):
        return [v]
    out = list(v)
    if not out:
        raise ValueError(f"factor {name!r} has no values")
    return out


def design(**factors: Any) -> pd.DataFrame:
    """Every combination of the factors, one row per network; a factor is one value or a sequence.

    Columns in the order given; the last factor varies fastest (``np.repeat``/``np.tile`` order).
    ``design(activation=["linear", "tanh"], seed=range(3))`` has 6 rows.
    """
    if not factors:
        raise ValueError("design needs at least one factor, e.g. design(seed=range(10))")
    cols = {k: _values(k, v) for k, v in factors.items()}
    rows = list(itertools.product(*cols.values()))
    return pd.DataFrame(rows, columns=list(cols))


@dataclass
class Runs:
    """Networks labelled by a design table: ``design`` (B rows) and ``arrays`` name → (B, …)."""

    design: pd.DataFrame
    arrays: dict[str, NDArray[Any]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.design = self.design.reset_index(drop=True)
        B = len(self.design)
        for k, a in self.arrays.items():
            if np.shape(a)[:1] != (B,):
                raise ValueError(
                    f"array {k!r} has shape {np.shape(a)}; its first axis must be the {B} networks"
                )

    def __len__(self) -> int:
        return len(self.design)

    def __getitem__(self, name: str) -> NDArray[Any]:
        if name not in self.arrays:
            raise KeyError(f"no array {name!r}; arrays: {', '.join(self.arrays)}")
        return self.arrays[name]

    def mask(self, **labels: Any) -> NDArray[np.bool_]:
        """Rows whose columns equal the labels (a list of values: any of them), shape (B,)."""
        keep = np.ones(len(self.design), dtype=bool)
        for col, value in labels.items():
            if col not in self.design.columns:
                raise ValueError(
                    f"unknown label {col!r}; the design has {', '.join(map(str, self.design.columns))}"
                )
            allowed = _values(col, value)
            keep &= self.design[col].isin(allowed).to_numpy()
        return keep

    def sel(self, **labels: Any) -> Runs:
        """The runs whose labels match, e.g. ``runs.sel(activation="tanh", seed=[0, 1])``.

        Raises ``ValueError`` when nothing matches (a misspelt value never passes silently).
        """
        keep = self.mask(**labels)
        if not keep.any():
            raise ValueError(f"no run matches {labels}")
        return self.isel(np.flatnonzero(keep))

    def isel(self, index: ArrayLike) -> Runs:
        """The runs at positions ``index`` (ints or a boolean mask)."""
        idx = np.asarray(index)
        idx = np.flatnonzero(idx) if idx.dtype == bool else idx.astype(int)
        return Runs(
            self.design.iloc[idx].reset_index(drop=True),
            {k: np.asarray(a)[idx] for k, a in self.arrays.items()},
            dict(self.info),
        )

    def groupby(self, *columns: str) -> Iterable[tuple[tuple[Any, ...], Runs]]:
        """``(labels, runs)`` for each combination of ``columns`` present, in first-seen order."""
        for key, rows in self.design.groupby(list(columns), sort=False).indices.items():
            yield (key if isinstance(key, tuple) else (key,)), self.isel(rows)

    def table(self, *names: str) -> pd.DataFrame:
        """The design with the named per-network scalars (arrays of shape (B,)) as columns."""
        out = self.design.copy()
        for n in names:
            a = self[n]
            if a.ndim != 1:
                raise ValueError(
                    f"array {n!r} has shape {a.shape}: only (B,) arrays become columns"
                )
            out[n] = a
        return out


_PER_NETWORK = ("seed", "strength")


def train_grid(X: ArrayLike, grid: pd.DataFrame, **common: Any) -> Runs:
    """Train every row of ``grid`` with :func:`itemsrel.training.train`; returns labelled :class:`Runs`.

    Columns are ``train`` keywords (``activation``, ``init``, ``optimizer``, ``lr``, ``hidden``,
    ``batch_size``, …) plus ``seed`` (default 0) and ``penalty`` (``none``/``l1``/``l2``/``rate``/
    ``level``) with its ``strength``. Rows sharing every column but seed and strength train as
    one batch; ``common`` keywords apply to all. Arrays: ``W``, ``final_loss``, ``grad_max``,
    ``converged``, ``diverged`` (and ``W1``, ``W2`` for hidden-layer rows when every row has one).
    """
    from .training import train

    if not isinstance(grid, pd.DataFrame) or len(grid) == 0:
        raise ValueError("grid must be a non-empty DataFrame (see design())")
    g = grid.reset_index(drop=True)
    if "strength" in g.columns and "penalty" not in g.columns:
        raise ValueError("a strength column needs a penalty column")
    group_cols = [c for c in g.columns if c not in _PER_NETWORK]
    parts: dict[int, dict[str, Any]] = {}
    groups = (
        g.groupby(group_cols, sort=False, dropna=False).indices
        if group_cols
        else {(): np.arange(len(g))}
    )
    for key, rows in groups.items():
        key = key if isinstance(key, tuple) else (key,)
        kw: dict[str, Any] = dict(common)
        kw.update(
            {
                c: (v.item() if isinstance(v, np.generic) else v)
                for c, v in zip(group_cols, key, strict=True)
            }
        )
        penalty = kw.pop("penalty", "none")
        seeds = g.loc[rows, "seed"].astype(int).tolist() if "seed" in g.columns else [0] * len(rows)
        if penalty not in (None, "none"):
            strength = (
                g.loc[rows, "strength"].astype(float).to_numpy() if "strength" in g.columns else 0.0
            )
            kw["regularization"] = {penalty: strength}
        res = train(X, seeds=seeds, **kw)
        for j, r in enumerate(rows):
            parts[int(r)] = {
                "W": res.W[j],
                "final_loss": res.final_loss[j],
                "grad_max": res.grad_max[j],
                "converged": res.converged[j],
                "diverged": res.diverged[j],
                **(
                    {"W1": res.W1[j], "W2": res.W2[j]}
                    if res.W1 is not None and res.W2 is not None
                    else {}
                ),
            }
    names = set.intersection(*(set(p) for p in parts.values()))
    order = ["W", "W1", "W2", "final_loss", "grad_max", "converged", "diverged"]
    arrays = {n: np.stack([parts[i][n] for i in range(len(g))]) for n in order if n in names}
    return Runs(g, arrays, {"common": dict(common)})


def runs_of(result: Any, arrays: Mapping[str, NDArray[Any]] | None = None) -> Runs:
    """A training result's networks as :class:`Runs` (its ``design`` beside its per-network arrays)."""
    if getattr(result, "design", None) is None:
        raise ValueError("this result carries no design table")
    default = {
        k: getattr(result, k)
        for k in ("W", "W1", "W2", "final_loss", "grad_max", "converged", "diverged")
        if getattr(result, k, None) is not None
    }
    return Runs(result.design, dict(arrays) if arrays is not None else default)
