"""The regularisation sweep of chapter 4: many networks, one batched program per activation.

A sweep trains auto-associators on each of several training sets for every combination of

    activation × penalty × strength × initialisation × seed

and records the metrics of :mod:`itemsrel.generalisation` for each network. Penalties are those
of :func:`itemsrel.training.train` (``l1``, ``l2``, ``rate``, ``level``) plus ``none``
(strength 0). Because ``train`` accepts one strength *per network* for every penalty, all
penalties, strengths, initialisations and seeds of one (training set, activation) pair are a
single batch: network b gets a non-zero strength for at most one penalty.

:func:`run_sweep` returns one row per network (a tidy ``pandas.DataFrame``), shows a progress bar
(``tqdm.auto``) and stores its result with :func:`itemsrel.cache.cached`, keyed on the training
sets, the :class:`SweepConfig` and the package source. :func:`summarise` averages over seeds;
:func:`penalty_benefit` decides, per training set, activation, initialisation and penalty,
whether some strength improves generalisation (criterion in its docstring);
:func:`helps_in_settings` collects that per setting for a verdict of
:func:`itemsrel.verdicts.across_settings`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from tqdm.auto import tqdm

from .cache import cached
from .generalisation import METRICS, TestPatterns, generalisation_metrics
from .patterns import as_training_set
from .training import INITS, PENALTIES, initial_weights, train

__all__ = [
    "KEYS",
    "SweepConfig",
    "decreasing_in_strength",
    "helps_in_settings",
    "penalty_benefit",
    "run_sweep",
    "summarise",
]

#: Columns that identify a configuration (besides the seed).
KEYS = ("training_set", "activation", "penalty", "strength", "init")


@dataclass(frozen=True)
class SweepConfig:
    """What to sweep and how to train (defaults: the book's chapter 4).

    ``strengths`` are used for every penalty in ``penalties``; ``none`` (strength 0) is always
    included. ``inits`` name :func:`itemsrel.training.initial_weights` schemes (``normal`` uses
    ``sigma``). Network seeds are ``0 … n_seeds − 1`` for every configuration, so the same seed
    starts from the same weights whatever the penalty.
    """

    activations: tuple[str, ...] = ("linear", "tanh", "sigmoid", "relu")
    penalties: tuple[str, ...] = PENALTIES
    strengths: tuple[float, ...] = (1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0)
    inits: tuple[str, ...] = ("normal", "uniform")
    n_seeds: int = 20
    optimizer: str = "sgd"
    lr: float = 0.5
    steps: int = 2000
    sigma: float = 0.05
    level_target: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)  # passed on to train()

    def __post_init__(self) -> None:
        bad = [p for p in self.penalties if p not in PENALTIES]
        if bad:
            raise ValueError(f"unknown penalties {bad}; choose from {', '.join(PENALTIES)}")
        bad = [i for i in self.inits if i not in INITS]
        if bad:
            raise ValueError(f"unknown inits {bad}; choose from {', '.join(INITS)}")
        if not self.strengths or not all(np.isfinite(s) and s > 0 for s in self.strengths):
            raise ValueError(f"strengths must be positive and finite, got {self.strengths}")
        if self.n_seeds < 1:
            raise ValueError(f"n_seeds must be >= 1, got {self.n_seeds}")
        if not self.activations:
            raise ValueError("activations must not be empty")

    def configurations(self) -> list[tuple[str, float]]:
        """(penalty, strength) pairs of one batch, ``("none", 0.0)`` first."""
        return [("none", 0.0)] + [(p, float(s)) for p in self.penalties for s in self.strengths]


def _train_batch(X: np.ndarray, activation: str, cfg: SweepConfig) -> tuple[pd.DataFrame, Any]:
    """Train every (penalty, strength, init, seed) for one training set and activation."""
    N = X.shape[1]
    configs = cfg.configurations()
    seeds = list(range(cfg.n_seeds))
    W0 = np.concatenate(
        [initial_weights(init, N, seeds, cfg.sigma) for _ in configs for init in cfg.inits]
    )
    per = len(cfg.inits) * cfg.n_seeds  # networks per (penalty, strength)
    penalty = np.repeat([p for p, _ in configs], per)
    strength = np.repeat([s for _, s in configs], per)
    reg = {p: np.where(penalty == p, strength, 0.0) for p in cfg.penalties}
    res = train(
        X,
        activation,
        optimizer=cfg.optimizer,
        lr=cfg.lr,
        steps=cfg.steps,
        seeds=range(len(W0)),
        W0=W0,
        regularization=reg,
        level_target=cfg.level_target,
        **cfg.extra,
    )
    init = np.tile(np.repeat(list(cfg.inits), cfg.n_seeds), len(configs))
    seed = np.tile(seeds, len(configs) * len(cfg.inits))
    frame = pd.DataFrame(
        {
            "activation": activation,
            "penalty": penalty,
            "strength": strength,
            "init": init,
            "seed": seed,
            "converged": res.converged,
            "diverged": res.diverged,
        }
    )
    return frame, res


def run_sweep(
    training_sets: Mapping[str, ArrayLike],
    config: SweepConfig | None = None,
    *,
    progress: bool = True,
    use_cache: bool = True,
) -> pd.DataFrame:
    """Train and measure every network of the sweep; one row per network.

    Columns: ``training_set``, ``activation``, ``penalty``, ``strength``, ``init``, ``seed``,
    ``converged``, ``diverged`` and the :data:`~itemsrel.generalisation.METRICS` (NaN for
    diverged networks, which are also reported by ``train``'s warning).
    """
    cfg = config or SweepConfig()
    sets = {str(k): as_training_set(v) for k, v in training_sets.items()}
    if not sets:
        raise ValueError("run_sweep needs at least one training set")

    run = _sweep if use_cache else _sweep.uncached
    return run(sets, cfg, progress=progress)


@cached("regularisation-sweep", ignore=("progress",))
def _sweep(sets: dict[str, np.ndarray], cfg: SweepConfig, progress: bool = True) -> pd.DataFrame:
    """The sweep itself (cached on the training sets, the configuration and the source)."""
    frames = []
    jobs = [(name, act) for name in sets for act in cfg.activations]
    for name, act in tqdm(jobs, desc="sweep", leave=False, disable=not progress):
        X = sets[name]
        frame, res = _train_batch(X, act, cfg)
        metrics = {m: np.full(res.B, np.nan) for m in METRICS}
        ok = res.ok
        if ok.any():
            values = generalisation_metrics(res.W[ok], TestPatterns.of(X), res.activation)
            for m in METRICS:
                metrics[m][ok] = values[m]
        frame.insert(0, "training_set", name)
        frames.append(frame.assign(**metrics))
    return pd.concat(frames, ignore_index=True)


def summarise(df: pd.DataFrame, metrics: tuple[str, ...] = METRICS) -> pd.DataFrame:
    """Mean, standard deviation and count over seeds for each configuration of :data:`KEYS`.

    Returns a frame with columns ``KEYS`` + ``<metric>_mean``, ``<metric>_std`` and ``n`` (the
    number of networks that did not diverge). Configurations keep the sweep's order.
    """
    ok = df[~df["diverged"]]
    g = ok.groupby(list(KEYS), sort=False)
    out = g[list(metrics)].agg(["mean", "std"])
    out.columns = [f"{m}_{s}" for m, s in out.columns]
    out["n"] = g.size()
    return out.reset_index()


def penalty_benefit(
    summary: pd.DataFrame,
    *,
    metric: str = "span_loss",
    min_relative_drop: float = 0.2,
    min_absolute_drop: float = 1e-3,
    max_train_loss: float = 0.01,
    n_se: float = 2.0,
) -> pd.DataFrame:
    """Does some strength of a penalty improve ``metric`` over no penalty? One row per
    (training set, activation, init, penalty).

    A strength *helps* when, at that strength, the mean ``metric`` over seeds is at least
    ``min_relative_drop`` (20 %) below its value without a penalty, the drop exceeds ``n_se``
    standard errors of the difference and ``min_absolute_drop`` (10⁻³, so that a change between two
    practically perfect values does not count), and the network still learns its items: mean
    training loss ≤ ``max_train_loss`` (0.01: a root-mean-square error of 0.1 per unit). Columns: the keys,
    ``none`` (metric without penalty), ``best_strength`` and ``best`` (the helping strength with
    the lowest metric, else the strength with the lowest metric among those that keep the training
    loss under the cap, NaN if none does), ``train_loss`` at that strength, ``relative_change``
    (best / none − 1; NaN when ``none`` is below ``min_absolute_drop``) and ``helps`` (bool).
    """
    m, s = f"{metric}_mean", f"{metric}_std"
    rows = []
    keys = ["training_set", "activation", "init"]
    for (tset, act, init), grp in summary.groupby(keys, sort=False):
        base = grp[grp["penalty"] == "none"]
        if len(base) != 1:
            raise ValueError(f"no single 'none' row for {tset}, {act}, {init}")
        b = base.iloc[0]
        for pen, pg in grp[grp["penalty"] != "none"].groupby("penalty", sort=False):
            se = np.sqrt(pg[s] ** 2 / pg["n"] + b[s] ** 2 / b["n"])
            drop = b[m] - pg[m]
            usable = pg["train_loss_mean"] <= max_train_loss
            large = (drop >= min_relative_drop * b[m]) & (drop >= min_absolute_drop)
            helps = usable & large & (drop > n_se * se)
            pick = pg[helps] if helps.any() else pg[usable]
            if len(pick):
                best = pick.loc[pick[m].idxmin()]
                best_s, best_v, best_t = best["strength"], best[m], best["train_loss_mean"]
            else:
                best_s = best_v = best_t = np.nan
            rel = best_v / b[m] - 1.0 if b[m] >= min_absolute_drop else np.nan
            rows.append(
                {
                    "training_set": tset,
                    "activation": act,
                    "init": init,
                    "penalty": pen,
                    "none": b[m],
                    "best_strength": best_s,
                    "best": best_v,
                    "train_loss": best_t,
                    "relative_change": rel,
                    "helps": bool(helps.any()),
                }
            )
    return pd.DataFrame(rows)


def decreasing_in_strength(
    summary: pd.DataFrame, metric: str, *, rtol: float = 1e-9
) -> pd.DataFrame:
    """Whether the mean ``metric`` falls (weakly) with every step up in strength, starting from
    no penalty (λ = 0). One row per (training set, activation, init, penalty) with ``none``,
    ``at_max`` (value at the largest strength), ``ratio`` (at_max / none) and ``decreasing``.
    A rise of at most ``rtol`` (relative) counts as flat.
    """
    m = f"{metric}_mean"
    rows = []
    for (tset, act, init), grp in summary.groupby(
        ["training_set", "activation", "init"], sort=False
    ):
        base = float(grp.loc[grp["penalty"] == "none", m].iloc[0])
        for pen, pg in grp[grp["penalty"] != "none"].groupby("penalty", sort=False):
            values = np.concatenate([[base], pg.sort_values("strength")[m].to_numpy()])
            steps = np.diff(values)
            rows.append(
                {
                    "training_set": tset,
                    "activation": act,
                    "init": init,
                    "penalty": pen,
                    "none": base,
                    "at_max": values[-1],
                    "ratio": values[-1] / base if base else np.nan,
                    "decreasing": bool(np.all(steps <= rtol * np.abs(values[:-1]))),
                }
            )
    return pd.DataFrame(rows)


def helps_in_settings(
    benefit: pd.DataFrame, activation: str, penalties: Sequence[str]
) -> pd.Series:
    """For one activation: does any of ``penalties`` help, per (training set, init)?

    ``benefit`` is a :func:`penalty_benefit` table; returns a boolean Series indexed by
    (training_set, init), one entry per setting of the sweep.
    """
    sel = benefit[(benefit["activation"] == activation) & benefit["penalty"].isin(list(penalties))]
    if sel.empty:
        raise ValueError(f"no rows for activation {activation!r} and penalties {list(penalties)}")
    return sel.groupby(["training_set", "init"], sort=False)["helps"].any()
