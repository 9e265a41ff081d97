"""Chapter 4's regularisation sweep measured on continuous in-plane points.

:func:`itemsrel.sweep.run_sweep` keeps metrics on binary patterns only, not the weights. A plane
attractor is about continuous states, so :func:`sweep_plane_loss` re-trains exactly the same
networks (the sweep's own batch builder, same initial weights, seeds and settings) and measures
:func:`itemsrel.generalisation.plane_loss` for each: the mean eq.-7 loss over the grid points of
span(X) ∩ [0,1]^N. One row per network, with the sweep's key columns and seed, so the frame can be
joined to the sweep's and summarised with :func:`itemsrel.sweep.summarise`. Cached.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from tqdm.auto import tqdm

from .cache import cached
from .generalisation import plane_loss
from .patterns import as_training_set
from .sweep import KEYS, SweepConfig, _train_batch

__all__ = ["default_grid", "sweep_plane_loss", "with_plane_loss"]


def default_grid(N: int) -> int:
    """Grid values per axis used for patterns of length N: 11 up to N = 4, else 5 (the grid has
    grid**N points to enumerate)."""
    return 11 if N <= 4 else 5


@cached("sweep-plane-loss", ignore=("progress",))
def sweep_plane_loss(
    training_sets: Mapping[str, ArrayLike],
    config: SweepConfig | None = None,
    *,
    grids: Mapping[str, int] | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """``plane_loss`` of every network of the sweep; columns ``KEYS``, ``seed``, ``plane_loss``
    (NaN for diverged networks) and ``grid``. ``grids`` maps a training set's name to its grid
    (default :func:`default_grid`)."""
    cfg = config or SweepConfig()
    sets = {str(k): as_training_set(v) for k, v in training_sets.items()}
    if not sets:
        raise ValueError("sweep_plane_loss needs at least one training set")
    grid = {k: int((grids or {}).get(k, default_grid(X.shape[1]))) for k, X in sets.items()}

    def compute() -> pd.DataFrame:
        frames = []
        jobs = [(name, act) for name in sets for act in cfg.activations]
        for name, act in tqdm(jobs, desc="plane loss of the sweep", disable=not progress):
            frame, res = _train_batch(sets[name], act, cfg)
            values = np.full(res.B, np.nan)
            ok = res.ok
            if ok.any():
                values[ok] = plane_loss(res.W[ok], sets[name], act, grid=grid[name])
            frame.insert(0, "training_set", name)
            frame["plane_loss"] = values
            frame["grid"] = grid[name]
            frames.append(frame[[*KEYS, "seed", "plane_loss", "grid"]])
        return pd.concat(frames, ignore_index=True)

    return compute()


def with_plane_loss(df: pd.DataFrame, planes: pd.DataFrame) -> pd.DataFrame:
    """The sweep's frame ``df`` with the ``plane_loss`` column of ``planes`` joined on the keys
    and seed (``ValueError`` if a network of ``df`` has no plane loss row)."""
    on = [*KEYS, "seed"]
    out = df.merge(planes[[*on, "plane_loss"]], on=on, how="left", validate="one_to_one")
    missing = out["plane_loss"].isna() & ~out["diverged"]
    if missing.any():
        raise ValueError(f"{int(missing.sum())} networks of the sweep have no plane loss")
    return out
