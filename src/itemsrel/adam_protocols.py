"""The paper's Adam runs (§3.1.1) under a grid of training protocols, compared entry by entry.

The paper prints W₀^ADAM and W₁^ADAM (linear network on X = {101, 110}, Adam from the all-zeros
and all-ones matrix) without its batching, learning rate or number of steps. :data:`PROTOCOLS`
is the grid tried here: full batch, and mini-batches of 1 or 2 items drawn ``iid`` (with
replacement) or per ``epoch`` (a seeded reshuffle), at learning rates 10⁻³ and 10⁻². With K = 2
items, ``epoch`` sampling with batch 2 *is* the full batch (each step sees both items), so it is
not listed twice. Every stochastic protocol runs ``n_seeds`` networks per initial matrix, each
with its own data stream (seeds 0…n−1, ``data_seed`` 0), as one batch.

:func:`entry_table` sets each printed entry beside the distribution over seeds: mean, standard
deviation, and ``z = (printed − mean) / sd_eff`` with ``sd_eff = sqrt(sd² + r²)``, where
``r = 10⁻⁴/√12`` is the standard deviation of rounding to 4 decimals (so a deterministic protocol,
sd = 0, is judged by the printing precision alone). :func:`protocol_verdict` states the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from tqdm.auto import tqdm

from .analytic import PAPER_X
from .cache import cached
from .paper import PRINTED_ADAM
from .training import train

__all__ = [
    "PRINTED_ADAM",
    "PROTOCOLS",
    "ROUNDING_SD",
    "Z_LIMIT",
    "Protocol",
    "adam_protocol_study",
    "entry_table",
    "protocol_verdict",
]

#: Standard deviation of the error of rounding to 4 decimals (uniform on ±0.5·10⁻⁴).
ROUNDING_SD = 1e-4 / np.sqrt(12.0)
#: |z| above this for any of the 18 printed entries rules a protocol out (two-sided p ≈ 6·10⁻⁵
#: per entry, about 10⁻³ for 18 entries).
Z_LIMIT = 4.0


@dataclass(frozen=True)
class Protocol:
    """One training protocol: ``batch_size`` (None: full batch), ``sampling``, ``lr``, ``steps``."""

    batch_size: int | None
    sampling: str
    lr: float
    steps: int

    @property
    def name(self) -> str:
        what = (
            "full batch" if self.batch_size is None else f"batch {self.batch_size} {self.sampling}"
        )
        return f"{what}, lr {self.lr:g}"

    @property
    def stochastic(self) -> bool:
        return self.batch_size is not None


def _grid() -> tuple[Protocol, ...]:
    out = []
    for lr, steps in ((1e-3, 30_000), (1e-2, 10_000)):
        out.append(Protocol(None, "iid", lr, steps))
        for b, s in ((1, "iid"), (1, "epoch"), (2, "iid")):
            out.append(Protocol(b, s, lr, steps))
    return tuple(out)


#: The grid (steps: 30 000 at lr 10⁻³, 10 000 at lr 10⁻²; enough for the loss to reach < 10⁻¹²).
PROTOCOLS: tuple[Protocol, ...] = _grid()


@cached("adam-protocols")
def adam_protocol_study(
    protocols: Sequence[Protocol] = PROTOCOLS, n_seeds: int = 40, X: ArrayLike = PAPER_X
) -> dict[str, dict[str, NDArray[np.float64]]]:
    """Train Adam from zeros and from ones under each protocol; cached.

    Returns ``{protocol name: {"zeros": W (n, 3, 3), "ones": W (n, 3, 3), "final_loss": (2n,)}}``
    (deterministic protocols train one network per initial matrix, n = 1)."""
    if n_seeds < 2:
        raise ValueError(f"n_seeds must be >= 2, got {n_seeds}")
    Xa = np.asarray(X)
    N = Xa.shape[1]

    def compute() -> dict[str, dict[str, NDArray[np.float64]]]:
        out = {}
        for p in tqdm(list(protocols), desc="Adam protocols"):
            n = n_seeds if p.stochastic else 1
            W0 = np.concatenate([np.zeros((n, N, N)), np.ones((n, N, N))])
            res = train(
                Xa,
                "linear",
                optimizer="adam",
                lr=p.lr,
                steps=p.steps,
                W0=W0,
                seeds=list(range(n)) * 2,
                batch_size=p.batch_size,
                sampling=p.sampling,
                data_seed=0,
                device="cpu",
            )
            out[p.name] = {"zeros": res.W[:n], "ones": res.W[n:], "final_loss": res.final_loss}
        return out

    return compute()


def entry_table(samples: ArrayLike, printed: ArrayLike) -> pd.DataFrame:
    """One row per entry (i, j) (1-based): printed value, mean and sd over the samples (n, N, N),
    and z (module docstring)."""
    S = np.asarray(samples, dtype=float)
    P = np.asarray(printed, dtype=float)
    mean = S.mean(axis=0)
    sd = S.std(axis=0, ddof=1) if len(S) > 1 else np.zeros_like(mean)
    z = (P - mean) / np.sqrt(sd**2 + ROUNDING_SD**2)
    rows = [
        {
            "entry": f"w{i + 1}{j + 1}",
            "printed": P[i, j],
            "mean": mean[i, j],
            "sd": sd[i, j],
            "z": z[i, j],
        }
        for i in range(P.shape[0])
        for j in range(P.shape[1])
    ]
    return pd.DataFrame(rows).set_index("entry")


def protocol_verdict(max_abs_z: float) -> str:
    """ "ruled out" when some printed entry lies more than :data:`Z_LIMIT` effective standard
    deviations from the protocol's mean, else "consistent"."""
    return "ruled out" if max_abs_z > Z_LIMIT else "consistent"
