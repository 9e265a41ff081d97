"""Where the tanh switch sits at each training noise: chapter 7's "noise moves the switch" measured.

Chapter 7 trains hidden-layer networks on the δ family of four-cluster tasks
(:func:`itemsrel.geometry.xor_task`) and finds that a tanh layer switches from an input-like to
a class code over a narrow range of the separability δ. This module locates that switch for
each training noise σ_train, per seed, from a curve of target alignment over a δ grid:

* :func:`switch_points`: the δ at which each seed's curve has made ``fraction`` of its rise from
  the first to the last grid point (:func:`itemsrel.geometry.rise_points`, linear interpolation);
* :func:`level_crossings`: the δ at which each seed's curve first reaches a fixed ``level``
  (a check that does not depend on the curve's end points, which noise moves too);
* :func:`shift_table`: one row per σ with the mean and sd of both over seeds, and the paired
  shift against a reference σ.

Curves have shape (len(grid), seeds): one column per seed, as the chapter's ``over_delta``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .geometry import rise_points

__all__ = ["level_crossings", "shift_table", "switch_points"]


def _curves(grid: ArrayLike, curves: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = np.asarray(grid, dtype=float)
    y = np.asarray(curves, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    if x.ndim != 1 or y.ndim != 2 or y.shape[0] != x.size:
        raise ValueError(
            f"curves must have shape (len(grid), seeds) = ({x.size}, S), got {np.shape(curves)}"
        )
    return x, y


def switch_points(grid: ArrayLike, curves: ArrayLike, fraction: float = 0.5) -> NDArray[np.float64]:
    """Per seed (S,): the grid value at which the curve has made ``fraction`` of its rise from
    ``grid[0]`` to ``grid[-1]`` (NaN for a seed whose curve does not rise)."""
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction!r}")
    x, y = _curves(grid, curves)
    return np.array([rise_points(x, y[:, s], (fraction,))[0] for s in range(y.shape[1])])


def level_crossings(grid: ArrayLike, curves: ArrayLike, level: float) -> NDArray[np.float64]:
    """Per seed (S,): the first grid value at which the curve reaches ``level``, by linear
    interpolation between grid points; the first grid point if it starts at or above the level,
    NaN if it never reaches it."""
    x, y = _curves(grid, curves)
    if np.any(np.diff(x) <= 0) or not np.all(np.isfinite(y)):
        raise ValueError("grid must be increasing and the curves finite")
    out = np.full(y.shape[1], np.nan)
    for s in range(y.shape[1]):
        c = y[:, s]
        hit = np.flatnonzero(c >= level)
        if hit.size == 0:
            continue
        k = int(hit[0])
        out[s] = (
            x[0]
            if k == 0
            else x[k - 1] + (level - c[k - 1]) / (c[k] - c[k - 1]) * (x[k] - x[k - 1])
        )
    return out


def shift_table(
    grid: ArrayLike,
    curves: Mapping[float, ArrayLike],
    *,
    reference: float,
    fraction: float = 0.5,
    level: float = 0.75,
) -> pd.DataFrame:
    """One row per σ (sorted): mean and sd over seeds of the switch point (``fraction`` of the
    rise) and of the ``level`` crossing, the mean ± sd of the paired shift of the switch point
    against σ = ``reference`` (same seeds), and the seeds whose switch lies above / below the
    reference's by more than 0.005. Numbers, not text; NaN where undefined."""
    if reference not in curves:
        raise ValueError(f"the reference σ = {reference} has no curves")
    ref = switch_points(grid, curves[reference], fraction)
    rows = []
    for sigma in sorted(curves):
        sw = switch_points(grid, curves[sigma], fraction)
        lv = level_crossings(grid, curves[sigma], level)
        d = sw - ref
        rows.append(
            {
                "sigma": float(sigma),
                "switch mean": float(np.nanmean(sw)),
                "switch sd": float(np.nanstd(sw, ddof=1)) if sw.size > 1 else np.nan,
                "level mean": float(np.nanmean(lv)) if np.isfinite(lv).any() else np.nan,
                "level sd": float(np.nanstd(lv, ddof=1)) if np.isfinite(lv).sum() > 1 else np.nan,
                "shift mean": float(np.nanmean(d)),
                "shift sd": float(np.nanstd(d, ddof=1)) if d.size > 1 else np.nan,
                "seeds above": int(np.sum(d > 0.005)),
                "seeds below": int(np.sum(d < -0.005)),
                "seeds": int(sw.size),
            }
        )
    return pd.DataFrame(rows)

