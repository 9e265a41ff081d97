"""What the group-word networks learned: the irreducible representations in their weights.

:func:`neuron_irreps` gives each hidden neuron's irrep content (:class:`NeuronIrreps`),
:func:`triplet_summary` compares the neurons' (x, y, output) irreps with the fusion rules,
:func:`seen_answer_share` asks whether a network only recalls answers it has seen, and
:func:`structure_over_training`, :func:`power_over_training`, :func:`irrep_persistence` follow
the structure over training (from :class:`~itemsrel.grokking.train.GrokResult` snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..groups import Group, word_table
from ..irreps import allowed_triplets, irrep_power, real_irreps
from .train import GrokResult

__all__ = [
    "NeuronIrreps",
    "TripletSummary",
    "irrep_persistence",
    "neuron_irreps",
    "power_over_training",
    "seen_answer_share",
    "structure_over_training",
    "triplet_summary",
]


@dataclass
class NeuronIrreps:
    """Irrep content of every hidden neuron of one trained network (group with K real irreps).

    ``power_x``, ``power_y``, ``power_out`` (K, w): squared norm of the neuron's x-embedding,
    y-embedding and read-out vector in each isotypic component (:func:`irrep_power`).
    ``dominant(which)`` (w,), ``which`` in ``"x"``, ``"y"``, ``"out"``: index of the largest
    *non-trivial* component (the trivial one is a constant offset: a bias for the inputs,
    irrelevant to the softmax for the read-out). ``purity(which)`` (w,): that component's share
    of the non-trivial power, in [1/(K-1), 1] (NaN for a neuron with no non-trivial part).
    ``size`` (w,): ``|(e_x, e_y)| · |u|``, the neuron's weight through the network; ``active``
    marks neurons with ``size ≥ active_fraction · max(size)``.
    """

    irrep_names: list[str]
    power_x: NDArray[np.float64]
    power_y: NDArray[np.float64]
    power_out: NDArray[np.float64]
    size: NDArray[np.float64]
    active: NDArray[np.bool_]
    trivial: int

    def _nontrivial(self, power: NDArray[np.float64]) -> NDArray[np.float64]:
        p = power.copy()
        p[self.trivial] = 0.0
        return p

    def dominant(self, which: str) -> NDArray[np.intp]:
        return np.argmax(self._nontrivial(getattr(self, f"power_{which}")), axis=0)

    def purity(self, which: str) -> NDArray[np.float64]:
        p = self._nontrivial(getattr(self, f"power_{which}"))
        total = p.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, p.max(axis=0) / total, np.nan)

    def triplets(self) -> NDArray[np.intp]:
        """(w, 3): the dominant (x, y, output) irreps of every neuron."""
        return np.stack([self.dominant("x"), self.dominant("y"), self.dominant("out")], axis=1)

    def share(self, which: str, active_only: bool = True) -> NDArray[np.float64]:
        """Share of the total non-trivial power in each irrep (summed over neurons), shape (K,)."""
        p = self._nontrivial(getattr(self, f"power_{which}"))
        if active_only:
            p = p[:, self.active]
        tot = p.sum()
        return p.sum(axis=1) / tot if tot > 0 else np.full(len(p), np.nan)


def neuron_irreps(
    group: Group,
    emb_x: NDArray,
    emb_y: NDArray,
    readout: NDArray,
    active_fraction: float = 0.1,
) -> NeuronIrreps:
    """Irrep content of each neuron: ``emb_x``, ``emb_y`` (n, w), ``readout`` (w, n)."""
    reps = real_irreps(group)
    trivial = next(k for k, r in enumerate(reps) if r.is_trivial)
    Ex, Ey, U = (np.asarray(a, dtype=float) for a in (emb_x, emb_y, readout))
    size = np.sqrt((Ex**2).sum(0) + (Ey**2).sum(0)) * np.sqrt((U**2).sum(1))
    if not np.all(np.isfinite(size)):
        raise ValueError("the weights are not finite (did training diverge?)")
    active = size >= active_fraction * size.max() if size.max() > 0 else np.zeros_like(size, bool)
    return NeuronIrreps(
        [r.name for r in reps],
        irrep_power(group, Ex),
        irrep_power(group, Ey),
        irrep_power(group, U.T),
        size,
        active,
        trivial,
    )


@dataclass
class TripletSummary:
    """Which (x, y, output) irrep triplets the active neurons carry, against the fusion rules.

    ``counts``: triplet (names) → number of active neurons; ``allowed_share``: share of active
    neurons whose triplet the word allows; ``chance``: the same share if each neuron's three
    irreps were drawn independently from their observed frequencies; ``n_active``.
    """

    counts: dict[tuple[str, str, str], int]
    allowed: dict[tuple[str, str, str], bool]
    allowed_share: float
    chance: float
    n_active: int


def triplet_summary(group: Group, word: str, neurons: NeuronIrreps) -> TripletSummary:
    """Count the dominant-irrep triplets of the active neurons and compare with the fusion rules."""
    ok = allowed_triplets(group, word)
    trip = neurons.triplets()[neurons.active]
    names = neurons.irrep_names
    K = len(names)
    counts: dict[tuple[str, str, str], int] = {}
    allowed: dict[tuple[str, str, str], bool] = {}
    for a, b, c in trip:
        key = (names[a], names[b], names[c])
        counts[key] = counts.get(key, 0) + 1
        allowed[key] = bool(ok[a, b, c])
    n_active = len(trip)
    if n_active == 0:
        return TripletSummary({}, {}, float("nan"), float("nan"), 0)
    share = float(np.mean([ok[a, b, c] for a, b, c in trip]))
    px, py, pz = (np.bincount(trip[:, k], minlength=K) / n_active for k in range(3))
    chance = float(np.einsum("a,b,c,abc->", px, py, pz, ok.astype(float)))
    counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return TripletSummary(counts, allowed, share, chance, n_active)


def seen_answer_share(
    group: Group, word: str, train_mask: NDArray[np.bool_], predictions: NDArray[np.intp]
) -> tuple[float, float]:
    """How a network answers the unseen pairs: (share of its test answers that occur in training
    in the same row x or the same column y, the same share for answers drawn uniformly at random).

    In a group every row and every column of the table holds each element exactly once, so the
    right answer to an unseen pair never occurs in its row or column of the training set: a
    network that only recalls answers it has seen next to x or y gets every test pair wrong.
    """
    tab = word_table(group, word)
    train_mask = np.asarray(train_mask, bool)
    n = group.order
    hits, chance, total = 0, 0.0, 0
    for x, y in zip(*np.nonzero(~train_mask), strict=True):
        seen = set(tab[x, train_mask[x]].tolist()) | set(tab[train_mask[:, y], y].tolist())
        hits += int(predictions[x, y]) in seen
        chance += len(seen) / n
        total += 1
    if total == 0:
        raise ValueError("there are no test pairs")
    return hits / total, chance / total


def structure_over_training(result: GrokResult, m: int) -> pd.DataFrame:
    """Irrep structure of task m at every snapshot: one row per step with the median purity of
    the x-embedding, y-embedding and read-out over the active neurons, the share of active
    neurons whose triplet the word allows, and its chance level."""
    t = result.tasks[m]
    rows = []
    for step in sorted(result.snapshots):
        ni = neuron_irreps(t.group, *result.weights_at(m, step))
        ts = triplet_summary(t.group, t.word, ni)
        rows.append(
            {
                "step": step,
                "purity x": float(np.median(ni.purity("x")[ni.active])),
                "purity y": float(np.median(ni.purity("y")[ni.active])),
                "purity out": float(np.median(ni.purity("out")[ni.active])),
                "allowed share": ts.allowed_share,
                "chance": ts.chance,
            }
        )
    return pd.DataFrame(rows)


def power_over_training(result: GrokResult, m: int, which: str = "x") -> pd.DataFrame:
    """Share of task m's non-trivial embedding power in each irrep, at every snapshot.

    Rows: snapshot steps; columns: the non-trivial irreps; each row sums to 1. ``which`` is
    ``"x"``, ``"y"`` or ``"out"`` (the read-out). Summed over all neurons, so it shows which
    irreps the layer uses, not how they are distributed over neurons (see :class:`NeuronIrreps`).
    """
    t = result.tasks[m]
    rows = {}
    for step in sorted(result.snapshots):
        ni = neuron_irreps(t.group, *result.weights_at(m, step))
        share = ni.share(which, active_only=False)
        rows[step] = {name: share[k] for k, name in enumerate(ni.irrep_names) if k != ni.trivial}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("step")


def irrep_persistence(
    group: Group, early: tuple[NDArray, NDArray, NDArray], late: tuple[NDArray, NDArray, NDArray]
) -> tuple[float, float]:
    """Do neurons keep the irreducible representation they pick early?

    ``early`` and ``late`` are one network's weights at two times (as from
    :meth:`GrokResult.weights_at`). Returns the share of the neurons active at the later time whose
    dominant irrep of the x-embedding is the same at both times, and the share expected by chance,
    Σ_k p_k² with p the distribution of the later dominant irreps over those neurons.
    """
    final = neuron_irreps(group, *late)
    before = neuron_irreps(group, *early)
    act = final.active
    if not act.any():
        raise ValueError("no neuron is active at the later time")
    dom = final.dominant("x")
    same = float(np.mean((before.dominant("x") == dom)[act]))
    p = np.bincount(dom[act], minlength=len(final.irrep_names)) / act.sum()
    return same, float(np.sum(p**2))
