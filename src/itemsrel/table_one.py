"""Table 1 of the paper as an inverse problem: which untrained first column explains it?

Table 1 lists the loss (eq. 7) of networks trained on X' = {010, 001} on all eight patterns of
length 3. Training on X' never touches column 1 of W (the weights *from* unit 1: x₁ = 0 in both
items), so the four rows with x₁ = 1 are set by the initial column ``c = W0[:, 0]``. Columns 2 and
3, trained by gradient descent from zero, are fixed by one number, the *gain* g, which grows with
the training budget (:func:`trained_columns`):

    linear   [[0, 0], [1, 0], [0, 1]]                    (converged: the projector part)
    tanh     g · [[0, 0], [1, 0], [0, 1]]
    sigmoid  g · [[−1, −1], [1, −1], [−1, 1]]

:func:`model_table` gives the eight losses of ``W = [c | columns(g)]``; :func:`fit_column` finds
``c`` (shared by the activations fitted together) and one gain per non-linear activation by
least squares (``scipy.optimize.least_squares``, residuals in units of the tolerance, several
seeded starts). Rows are in the paper's order, :data:`TABLE1_PATTERNS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import least_squares, minimize

from . import paper
from .activations import get_activation
from .analytic import PAPER_X_PRIME
from .cache import cached
from .dynamics import basins, fixed_points, mesh
from .paper import TABLE1_PATTERNS
from .training import pattern_loss, train

__all__ = [
    "TABLE1",
    "TABLE1_PATTERNS",
    "TOLERANCE",
    "ColumnFit",
    "fit_column",
    "gain_from_train_loss",
    "model_table",
    "model_weights",
    "retrain",
    "table_one_study",
    "trained_columns",
]

#: The printed values per activation (:data:`itemsrel.paper.TABLE1`, whose ``"id"`` is the linear
#: network, here ``"linear"``), rows in the order of :data:`TABLE1_PATTERNS`.
TABLE1: dict[str, NDArray[np.float64]] = {
    ("linear" if k == "id" else k): np.asarray(v, dtype=float) for k, v in paper.TABLE1.items()
}
#: Half a unit in the last printed digit (4 decimals).
TOLERANCE = 5e-5

_SHAPES = {
    "linear": np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]),
    "tanh": np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]),
    "sigmoid": np.array([[-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]),
}


def trained_columns(activation: str, gain: float = 1.0) -> NDArray[np.float64]:
    """Columns 2 and 3 (shape (3, 2)) of W after gradient descent from zero on X' (module
    docstring); the linear network ignores ``gain`` (it converges to the projector)."""
    if activation not in _SHAPES:
        raise ValueError(f"activation must be one of {', '.join(_SHAPES)}, got {activation!r}")
    return _SHAPES[activation] * (1.0 if activation == "linear" else float(gain))


def model_weights(c: ArrayLike, activation: str, gain: float = 1.0) -> NDArray[np.float64]:
    """``W = [c | trained_columns(activation, gain)]``, shape (3, 3)."""
    c = np.asarray(c, dtype=float)
    if c.shape != (3,):
        raise ValueError(f"c must have shape (3,), got {c.shape}")
    return np.column_stack([c, trained_columns(activation, gain)])


def model_table(c: ArrayLike, activation: str, gain: float = 1.0) -> NDArray[np.float64]:
    """The eight losses of Table 1 (rows :data:`TABLE1_PATTERNS`) for ``model_weights``."""
    return pattern_loss(model_weights(c, activation, gain), TABLE1_PATTERNS, activation)


@dataclass(frozen=True)
class ColumnFit:
    """A least-squares fit: the shared column ``c``, ``gains`` per activation, the model tables,
    ``max_misfit`` (largest |model − printed| over the fitted entries) and ``within`` (≤ tol)."""

    c: NDArray[np.float64]
    gains: dict[str, float]
    tables: dict[str, NDArray[np.float64]]
    misfit: dict[str, NDArray[np.float64]]
    max_misfit: float
    tol: float

    @property
    def within(self) -> bool:
        return self.max_misfit <= self.tol


def fit_column(
    activations: Sequence[str],
    table: Mapping[str, ArrayLike] | None = None,
    *,
    rows: Sequence[int] = tuple(range(8)),
    tol: float = TOLERANCE,
    c: ArrayLike | None = None,
    starts: int = 20,
    seed: int = 0,
    minimax: bool = True,
) -> list[ColumnFit]:
    """Fit one column ``c`` shared by ``activations`` (and one gain per non-linear one) to the
    printed ``table`` (default :data:`TABLE1`) on the given ``rows``.

    Pass ``c`` to keep the column fixed and fit only the gains. Returns the distinct local
    optima found from ``starts`` seeded starts, best first (two fits count as the same when
    their parameters agree to 1e-4). With ``minimax`` each least-squares optimum is refined to
    minimise the largest misfit (Nelder–Mead), the criterion the tolerance states.
    """
    table = {k: np.asarray(v, dtype=float) for k, v in (table or TABLE1).items()}
    acts = list(activations)
    if not acts:
        raise ValueError("activations must not be empty")
    for a in acts:
        if a not in _SHAPES:
            raise ValueError(f"activation must be one of {', '.join(_SHAPES)}, got {a!r}")
        if a not in table:
            raise ValueError(f"table has no column for {a!r}")
    rows = list(rows)
    nonlin = [a for a in acts if a != "linear"]
    fixed_c = None if c is None else np.asarray(c, dtype=float)
    for a in acts:
        get_activation(a)

    def unpack(p: NDArray) -> tuple[NDArray, dict[str, float]]:
        cc = fixed_c if fixed_c is not None else p[:3]
        g = p[0 if fixed_c is not None else 3 :]
        return cc, dict(zip(nonlin, g, strict=True))

    def residuals(p: NDArray) -> NDArray:
        cc, gains = unpack(p)
        out = [(model_table(cc, a, gains.get(a, 1.0))[rows] - table[a][rows]) / tol for a in acts]
        return np.concatenate(out)

    rng = np.random.default_rng(seed)
    n_c = 0 if fixed_c is not None else 3
    fits: list[ColumnFit] = []
    params: list[NDArray] = []
    for _ in range(starts):
        p0 = np.concatenate([rng.normal(0.0, 1.0, n_c), rng.uniform(1.5, 5.0, len(nonlin))])
        sol = least_squares(residuals, p0, method="lm", xtol=1e-15, ftol=1e-15, max_nfev=5000)
        if any(np.allclose(sol.x, q, atol=1e-4) for q in params):
            continue
        params.append(sol.x)
        x = sol.x
        if minimax:
            ref = minimize(
                lambda p: float(np.abs(residuals(p)).max()),
                x,
                method="Nelder-Mead",
                options={"xatol": 1e-10, "fatol": 1e-6, "maxiter": 4000},
            )
            if np.abs(residuals(ref.x)).max() < np.abs(residuals(x)).max():
                x = ref.x
        cc, gains = unpack(x)
        tables = {a: model_table(cc, a, gains.get(a, 1.0)) for a in acts}
        misfit = {a: tables[a] - table[a] for a in acts}
        worst = max(float(np.abs(misfit[a][rows]).max()) for a in acts)
        fits.append(ColumnFit(np.array(cc, dtype=float), gains, tables, misfit, worst, tol))
    fits.sort(key=lambda f: f.max_misfit)
    return fits


def gain_from_train_loss(activation: str, loss: ArrayLike) -> NDArray[np.float64]:
    """The gain of columns 2, 3 (trained from zero on X') from the training loss L (eq. 7, mean
    over the two items): tanh ``L = (1 − tanh g)²/3``; sigmoid ``L = σ(−g)²``."""
    L = np.asarray(loss, dtype=float)
    if activation == "tanh":
        return np.arctanh(1.0 - np.sqrt(3.0 * L))
    if activation == "sigmoid":
        r = np.sqrt(L)
        return np.log((1.0 - r) / r)
    raise ValueError(f"activation must be 'tanh' or 'sigmoid', got {activation!r}")


def retrain(
    c: ArrayLike,
    activation: str,
    gain: float | None = None,
    lr: float = 0.1,
    max_steps: int = 60_000,
) -> tuple[int, NDArray[np.float64]]:
    """Train on X' with plain full-batch SGD (learning rate ``lr``) from ``W0 = [c | 0]`` for the
    number of steps at which columns 2, 3 reach ``gain`` (first step at or above it; the linear
    network trains ``max_steps`` steps). Returns ``(steps, W)``, W of shape (3, 3)."""
    c = np.asarray(c, dtype=float)
    W0 = np.column_stack([c, np.zeros((3, 2))])
    if activation == "linear":
        return max_steps, train(
            PAPER_X_PRIME, "linear", optimizer="sgd", lr=lr, steps=max_steps, W0=W0, device="cpu"
        ).W[0]
    if gain is None:
        raise ValueError("gain is required for tanh and sigmoid")
    probe = train(
        PAPER_X_PRIME,
        activation,
        optimizer="sgd",
        lr=lr,
        steps=max_steps,
        W0=W0,
        record_every=1,
        device="cpu",
    )
    g = gain_from_train_loss(activation, probe.loss_history[:, 0])
    reached = np.flatnonzero(g >= gain)
    if len(reached) == 0:
        raise ValueError(f"gain {gain} not reached in {max_steps} steps at lr {lr}")
    steps = int(probe.history_steps[reached[0]])
    return steps, train(
        PAPER_X_PRIME, activation, optimizer="sgd", lr=lr, steps=steps, W0=W0, device="cpu"
    ).W[0]


def _reach_counts(W: NDArray[np.float64]) -> dict[str, int]:
    """How many of the paper's 125 starts on [0,1]^3 reach each fixed point in 25 steps."""
    fps = fixed_points(W, "tanh")
    b = basins(W, "tanh", mesh(), steps=25, points=fps)
    return {k: v for k, v in b.counts().items() if v}


@cached("table-one-study")
def table_one_study(lr: float = 0.1, sigmoid_lr: float = 0.3) -> dict[str, object]:
    """Everything chapter 3 shows about the inverse problem, cached.

    Keys: ``fits`` (activation group → list of :class:`ColumnFit`: "linear+tanh", "tanh",
    "sigmoid" (all rows but 0/1/1), "sigmoid, all rows", "linear+tanh+sigmoid", "sigmoid with the
    linear+tanh column"); ``c`` (the best linear+tanh column); ``retrained`` (activation →
    (steps, W) from ``W0 = [c | 0]``, sigmoid from its own column); ``tables`` (activation → the
    eight losses of the retrained network); ``zero_column`` (the tanh network with column 1 set to
    0); ``reach`` ("table-consistent" / "zero column" → basin counts of the 125 starts).
    """

    def compute() -> dict[str, object]:
        fits = {
            "linear+tanh": fit_column(["linear", "tanh"]),
            "tanh": fit_column(["tanh"]),
            "sigmoid": fit_column(["sigmoid"], rows=[0, 1, 2, 4, 5, 6, 7]),
            "sigmoid, all rows": fit_column(["sigmoid"]),
            "linear+tanh+sigmoid": fit_column(["linear", "tanh", "sigmoid"]),
        }
        c = fits["linear+tanh"][0].c
        fits["sigmoid with the linear+tanh column"] = fit_column(["sigmoid"], c=c, starts=5)
        sig = fits["sigmoid"][0]
        retrained = {
            "linear": retrain(c, "linear", lr=lr, max_steps=20_000),
            "tanh": retrain(
                c, "tanh", fits["linear+tanh"][0].gains["tanh"], lr=lr, max_steps=20_000
            ),
            "sigmoid": retrain(
                sig.c, "sigmoid", sig.gains["sigmoid"], lr=sigmoid_lr, max_steps=40_000
            ),
        }
        tables = {a: pattern_loss(W, TABLE1_PATTERNS, a) for a, (_, W) in retrained.items()}
        Wt = retrained["tanh"][1]
        zero = Wt.copy()
        zero[:, 0] = 0.0
        return {
            "fits": fits,
            "c": c,
            "retrained": retrained,
            "tables": tables,
            "zero_column": zero,
            "reach": {"table-consistent": _reach_counts(Wt), "zero column": _reach_counts(zero)},
        }

    return compute()
