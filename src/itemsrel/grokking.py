"""Learning a group word with a two-layer network: data split, batched AdamW training, grokking.

The network of one task (group G of order n, word w, e.g. ``"x*y"``):

    pre    = E[x] + E[n + y]     E (2n, width): rows 0…n-1 embed x, rows n…2n-1 embed y
    h      = φ(pre)              φ: ReLU by default (also GELU, tanh, quadratic z²)
    logits = h · U               U (width, n): one read-out vector per group element z

i.e. a two-layer perceptron on the concatenated one-hot codes of x and y, without biases (a
constant offset is the trivial-irrep part of the embeddings). It is trained full batch on a
random ``fraction`` of the n² pairs (x, y) to output z = w(x, y) (:func:`itemsrel.groups.word_table`),
with the cross-entropy averaged over the training pairs; the other pairs are the test set.

**Many tasks, one program.** A batch of M tasks (same group order n, any groups, words, training
fractions, weight decays and seeds) trains as one tensor program: E has shape (M, 2n, width), U
(M, width, n), and each step is a few batched matrix products with the gradient written in closed
form:

    G = (softmax(logits) − onehot(z)) / P_m                 (M, P, n), P_m = training pairs of task m
    ∂L/∂U = hᵀ G,   ∂L/∂pre = (G Uᵀ) ⊙ φ'(pre),   ∂L/∂E = Σ over pairs of ∂L/∂pre at rows x and n+y

The loop, the optimiser (AdamW: torch's fused Adam kernel, as ``torch.optim.AdamW(fused=True)``), the
thread policy and the divergence rule are the engine's (:mod:`itemsrel.engine`); each task's weight decay λ_m is applied as AdamW's own
decoupled factor ``θ ← θ (1 − lr λ_m)`` before the Adam update (exactly what ``AdamW`` does with
``weight_decay = λ_m``; a test checks the equivalence), so tasks with different λ share one batch.
Adam normalises each weight separately, so a task trained in a batch gets the same numbers as
the task trained alone. Task m draws its training pairs from ``default_rng([seed, 0])`` and its
initial weights (``torch.nn.Linear``'s uniform ±1/√fan-in, times ``init_scale``) from
``default_rng([seed, 1])``: tasks that differ only in group, word or weight decay share their
training pairs and their initial weights, so comparisons between them are paired.

Accuracy and loss on the training and test pairs are evaluated every ``eval_every`` steps, so every
"step at which …" is known to that resolution. Training runs in float64 on one CPU thread by
default; the result does not depend on the number of threads.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
from numpy.typing import NDArray

from .activations import get_activation
from .engine import (
    Optimiser,
    check_dtype,
    fit,
    flag_diverged,
    resolve_device,
    thread_policy,
    validate_optimiser,
)
from .groups import Group, parse_word, word_table
from .irreps import allowed_triplets, irrep_power, real_irreps
from .runs import Runs

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "GrokResult",
    "NeuronIrreps",
    "TripletSummary",
    "WordTask",
    "grid_tasks",
    "irrep_persistence",
    "n_train_pairs",
    "neuron_irreps",
    "power_over_training",
    "predict",
    "seen_answer_share",
    "structure_over_training",
    "train_split",
    "train_words",
    "triplet_summary",
]

#: Hidden-layer activations φ of the word network (names of :mod:`itemsrel.activations`).
HIDDEN_ACTIVATIONS = ("relu", "gelu", "tanh", "quadratic")


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


def predict(
    emb_x: NDArray, emb_y: NDArray, readout: NDArray, activation: str = "relu"
) -> NDArray[np.intp]:
    """Answer (argmax of the logits) of one network for every pair, shape (n, n)."""
    pre = torch.as_tensor(np.asarray(emb_x, float)[:, None, :] + np.asarray(emb_y, float)[None])
    h = get_activation(activation).torch(pre).numpy()
    return np.argmax(h @ np.asarray(readout, float), axis=-1)


def n_train_pairs(order: int, fraction: float) -> int:
    """Number of training pairs: ``round(fraction · order²)``."""
    return round(float(fraction) * order * order)


def train_split(order: int, fraction: float, seed: int) -> NDArray[np.bool_]:
    """Training mask over the pairs, shape (order, order): ``mask[x, y]`` is True for training.

    Exactly ``round(fraction · order²)`` pairs, drawn by ``default_rng([seed, 0])``.
    """
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
class GrokResult:
    """Outcome of :func:`train_words` for M tasks of group order n and hidden width w.

    ``eval_steps`` (R,): the steps at which the network was evaluated (0, eval_every, …, steps).
    ``train_acc``, ``test_acc``, ``train_loss``, ``test_loss``, ``weight_norm`` (R, M): accuracy,
    mean cross-entropy and the Frobenius norm of all weights at those steps.
    ``emb`` (M, 2n, w) and ``readout`` (M, w, n): final weights (float64; NaN if diverged).
    ``snapshots``: step -> (emb, readout) of the tasks ``snapshot_tasks`` (training dtype).
    ``train_masks`` (M, n, n): the training pairs of each task.
    """

    tasks: tuple[WordTask, ...]
    eval_steps: NDArray[np.int64]
    train_acc: NDArray[np.float64]
    test_acc: NDArray[np.float64]
    train_loss: NDArray[np.float64]
    test_loss: NDArray[np.float64]
    weight_norm: NDArray[np.float64]
    emb: NDArray[np.float64]
    readout: NDArray[np.float64]
    train_masks: NDArray[np.bool_]
    diverged: NDArray[np.bool_]
    snapshots: dict[int, tuple[NDArray[np.floating], NDArray[np.floating]]] = field(
        default_factory=dict
    )
    snapshot_tasks: tuple[int, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def M(self) -> int:
        return len(self.tasks)

    @property
    def order(self) -> int:
        return self.tasks[0].group.order

    @property
    def design(self) -> pd.DataFrame:
        """One row per task: group, word, fraction, weight decay, seed (labels for selection)."""
        return pd.DataFrame(
            {
                "group": [t.group.name for t in self.tasks],
                "word": [t.word for t in self.tasks],
                "fraction": [t.fraction for t in self.tasks],
                "weight_decay": [t.weight_decay for t in self.tasks],
                "seed": [t.seed for t in self.tasks],
            }
        )

    @property
    def runs(self) -> Runs:
        """The tasks as labelled :class:`~itemsrel.runs.Runs` (final weights, final accuracies)."""
        return Runs(
            self.design,
            {
                "emb": self.emb,
                "readout": self.readout,
                "final_train_acc": self.train_acc[-1],
                "final_test_acc": self.test_acc[-1],
                "diverged": self.diverged,
            },
        )

    def select(self, **conditions: Any) -> list[int]:
        """Indices of the tasks whose attributes equal the given values (``group`` by name)."""
        out = []
        for m, t in enumerate(self.tasks):
            ok = True
            for key, value in conditions.items():
                have = t.group.name if key == "group" else getattr(t, key)
                if isinstance(value, float | int) and not isinstance(value, bool):
                    ok &= bool(np.isclose(float(have), float(value)))
                else:
                    ok &= have == value
            if ok:
                out.append(m)
        return out

    def first_step(self, which: str = "test", threshold: float = 0.95) -> NDArray[np.float64]:
        """First evaluated step with accuracy ≥ ``threshold`` per task, shape (M,); NaN if never."""
        acc = {"test": self.test_acc, "train": self.train_acc}[which]
        hit = acc >= threshold - 1e-12
        first = np.where(hit.any(axis=0), self.eval_steps[np.argmax(hit, axis=0)], np.nan)
        return first.astype(float)

    def weights(self, m: int) -> tuple[NDArray, NDArray, NDArray]:
        """``(E_x (n, w), E_y (n, w), U (w, n))`` of task m."""
        n = self.order
        return self.emb[m, :n], self.emb[m, n:], self.readout[m]

    def weights_at(self, m: int, step: int) -> tuple[NDArray, NDArray, NDArray]:
        """``(E_x, E_y, U)`` of task m at a snapshot step (float64 copies)."""
        if step not in self.snapshots:
            raise ValueError(f"no snapshot at step {step}; snapshots: {sorted(self.snapshots)}")
        if m not in self.snapshot_tasks:
            raise ValueError(f"task {m} has no snapshots (snapshot_tasks = {self.snapshot_tasks})")
        k = self.snapshot_tasks.index(m)
        E, U = (a[k].astype(np.float64) for a in self.snapshots[step])
        n = self.order
        return E[:n], E[n:], U

    def predictions(self, m: int, step: int | None = None) -> NDArray[np.intp]:
        """Predicted answer (index) for every pair of task m, shape (n, n); final or at a snapshot."""
        Ex, Ey, U = self.weights(m) if step is None else self.weights_at(m, step)
        return predict(Ex, Ey, U, self.config["activation"])

    def summary(self, train_threshold: float = 1.0, test_threshold: float = 0.95) -> pd.DataFrame:
        """One row per task: its settings, the grokking steps and the final accuracies."""
        st = self.first_step("train", train_threshold)
        se = self.first_step("test", test_threshold)
        rows = []
        for m, t in enumerate(self.tasks):
            rows.append(
                {
                    "group": t.group.name,
                    "word": t.word,
                    "fraction": t.fraction,
                    "weight decay": t.weight_decay,
                    "seed": t.seed,
                    f"train {train_threshold:.0%} at": st[m],
                    f"test {test_threshold:.0%} at": se[m],
                    "final train acc": self.train_acc[-1, m],
                    "final test acc": self.test_acc[-1, m],
                }
            )
        return pd.DataFrame(rows)


def _initial_weights(
    task: WordTask, width: int, init_scale: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``torch.nn.Linear``'s default uniform init (±1/√fan-in) times ``init_scale``, seeded."""
    n = task.group.order
    rng = np.random.default_rng([int(task.seed), 1])
    k1 = init_scale / math.sqrt(2 * n)  # first layer: fan-in = the 2n one-hot inputs
    k2 = init_scale / math.sqrt(width)
    emb = rng.uniform(-k1, k1, (2 * n, width))
    readout = rng.uniform(-k2, k2, (width, n))
    return emb, readout


def _validate(
    tasks: Sequence[WordTask],
    width: int,
    lr: float,
    steps: int,
    eval_every: int,
    activation: str,
    init_scale: float,
    betas: tuple[float, float],
    eps: float,
) -> None:
    if not tasks:
        raise ValueError("need at least one task")
    orders = {t.group.order for t in tasks}
    if len(orders) != 1:
        raise ValueError(f"all tasks of one batch need the same group order, got {sorted(orders)}")
    for name, v in (("width", width), ("steps", steps), ("eval_every", eval_every)):
        if isinstance(v, bool) or int(v) != v or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if activation not in HIDDEN_ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(HIDDEN_ACTIVATIONS)}"
        )
    if not (np.isfinite(init_scale) and init_scale > 0):
        raise ValueError(f"init_scale must be a positive number, got {init_scale!r}")
    validate_optimiser("adamw", lr, betas=betas, eps=eps)
    bad = [t.label for t in tasks if lr * t.weight_decay >= 1]
    if bad:
        raise ValueError(f"lr × weight decay must be < 1 (else AdamW flips the weights): {bad[0]}")


def train_words(
    tasks: Sequence[WordTask],
    *,
    width: int = 128,
    activation: str = "relu",
    lr: float = 1e-2,
    steps: int = 2000,
    eval_every: int = 10,
    betas: tuple[float, float] = (0.9, 0.98),
    eps: float = 1e-8,
    init_scale: float = 1.0,
    snapshot_steps: Sequence[int] = (),
    snapshot_tasks: Sequence[int] | None = None,
    device: str | torch.device | None = None,
    dtype: torch.dtype = torch.float64,
    threads: int | None = 1,
    progress: bool = False,
) -> GrokResult:
    """Train one two-layer network per task, all as one batched program (see the module doc).

    ``snapshot_steps``: steps at which the weights of ``snapshot_tasks`` (default: all) are kept,
    for following what the weights learn over training. ``threads``: torch CPU threads while
    training (``None``: the engine's thread policy, :func:`itemsrel.engine.thread_policy`). The results do not depend on it (a unit test checks
    1 against 2 threads). One thread is the default: for these small tensors two are at most
    twice as fast on an idle machine, and many times slower when other jobs share the cores.
    ``progress`` shows a ``tqdm.auto`` bar.
    """
    tasks = tuple(tasks)
    _validate(tasks, width, lr, steps, eval_every, activation, init_scale, betas, eps)
    dtype = check_dtype(dtype)
    width, steps, eval_every = int(width), int(steps), int(eval_every)
    M, n = len(tasks), tasks[0].group.order
    n2 = n * n
    dev = resolve_device(device)
    act = get_activation(activation).torch_forward

    # --- data: every task's pairs, padded to the largest training set --------------------------
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
        # rows of the flattened (M·2n, w) embedding: x at m·2n + x, y at m·2n + n + y
        xi[m, :k] = m * 2 * n + pairs // n
        yi[m, :k] = m * 2 * n + n + pairs % n
        zi[m, :k] = tables[m, pairs]
        wt[m, :k] = 1.0 / k
        xi[m, k:], yi[m, k:] = m * 2 * n, m * 2 * n + n  # padding: weight 0
    init = [_initial_weights(t, width, init_scale) for t in tasks]

    def T(a: NDArray, dt: torch.dtype = dtype) -> torch.Tensor:
        return torch.as_tensor(a, dtype=dt, device=dev)

    with torch.no_grad(), thread_policy(M * P * width * n, dev, threads):
        E = T(np.stack([e for e, _ in init]))  # (M, 2n, w)
        U = T(np.stack([u for _, u in init]))  # (M, w, n)
        xs, ys = T(xi.reshape(-1), torch.long), T(yi.reshape(-1), torch.long)
        target = torch.nn.functional.one_hot(T(zi, torch.long), n).to(dtype)  # (M, P, n)
        weight = T(wt).unsqueeze(-1)  # (M, P, 1)
        tab = T(tables, torch.long)  # (M, n²)
        tmask = T(masks.reshape(M, n2), torch.bool)
        n_train = tmask.sum(dim=1).to(dtype)
        n_test = (~tmask).sum(dim=1).to(dtype)
        gE_buf, gU = torch.zeros_like(E), torch.zeros_like(U)  # gradients, written in place
        opt = Optimiser(
            [E, U],
            "adamw",
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=[t.weight_decay for t in tasks],
            fused=dev.type in ("cpu", "cuda"),
        )
        Eflat = E.view(M * 2 * n, width)
        # work buffers, reused every step (large fresh allocations would page-fault each time)
        pre_buf = torch.empty(M * P, width, dtype=dtype, device=dev)
        tmp_buf = torch.empty(M * P, width, dtype=dtype, device=dev)
        g_buf = torch.empty(M, P, n, dtype=dtype, device=dev)
        snap_set = {int(s) for s in snapshot_steps if 0 <= int(s) <= steps}
        snap_idx = list(range(M)) if snapshot_tasks is None else [int(i) for i in snapshot_tasks]
        snapshots: dict[int, tuple[NDArray[np.floating], NDArray[np.floating]]] = {}
        records: list[tuple[int, list[torch.Tensor]]] = []

        def evaluate(step: int) -> None:
            pre = E[:, :n, None, :] + E[:, None, n:, :]  # (M, n, n, w): every pair
            logits = torch.bmm(act(pre)[0].view(M, n2, width), U)  # (M, n², n)
            logp = torch.log_softmax(logits, dim=-1)
            nll = -logp.gather(-1, tab.unsqueeze(-1)).squeeze(-1)  # (M, n²)
            correct = (logits.argmax(dim=-1) == tab).to(dtype)
            records.append(
                (
                    step,
                    [
                        (correct * tmask).sum(1) / n_train,
                        (correct * ~tmask).sum(1) / n_test,
                        (nll * tmask).sum(1) / n_train,
                        (nll * ~tmask).sum(1) / n_test,
                        torch.sqrt(E.pow(2).sum((1, 2)) + U.pow(2).sum((1, 2))),
                    ],
                )
            )

        def snapshot(step: int) -> None:
            snapshots[step] = (
                E[snap_idx].cpu().numpy().copy(),
                U[snap_idx].cpu().numpy().copy(),
            )

        def gradient(step: int) -> tuple[list[torch.Tensor], None]:
            """Closed-form gradient of the mean cross-entropy, into the buffers (gE, gU)."""
            pre = torch.index_select(Eflat, 0, xs, out=pre_buf)
            pre.add_(torch.index_select(Eflat, 0, ys, out=tmp_buf))
            h, backward = act(pre.view(M, P, width))
            G = torch.bmm(h, U, out=g_buf)  # logits (M, P, n), turned in place into ∂L/∂logits:
            G.sub_(G.amax(dim=-1, keepdim=True)).exp_()
            G.div_(G.sum(dim=-1, keepdim=True)).sub_(target).mul_(weight)
            torch.bmm(h.transpose(1, 2), G, out=gU)
            dpre = backward(torch.bmm(G, U.transpose(1, 2), out=tmp_buf.view(M, P, width)))
            dpre = dpre.view(M * P, width)
            gE = gE_buf.view(M * 2 * n, width)
            gE.zero_()
            gE.index_add_(0, xs, dpre).index_add_(0, ys, dpre)
            return [gE_buf, gU], None

        def observe(step: int, _: None) -> None:
            if step % eval_every == 0:
                evaluate(step)
            if step in snap_set:
                snapshot(step)

        t0 = time.perf_counter()
        fit(gradient, opt, steps, observe=observe, progress=progress, desc=f"training {M} networks")
        seconds = time.perf_counter() - t0
        evaluate(steps)
        if steps in snap_set:
            snapshot(steps)
        E_out = E.cpu().numpy().astype(np.float64)
        U_out = U.cpu().numpy().astype(np.float64)

    eval_steps = np.array([s for s, _ in records], dtype=np.int64)
    stacked = [torch.stack([r[k] for _, r in records]).cpu().numpy() for k in range(5)]
    diverged = flag_diverged([E_out, U_out], [stacked[2]], lr=lr, optimizer="adamw", eps=eps)
    if diverged.any():
        E_out[diverged] = np.nan
        U_out[diverged] = np.nan
        for arr in stacked:
            arr[:, diverged] = np.nan
    return GrokResult(
        tasks=tasks,
        eval_steps=eval_steps,
        train_acc=stacked[0],
        test_acc=stacked[1],
        train_loss=stacked[2],
        test_loss=stacked[3],
        weight_norm=stacked[4],
        emb=E_out,
        readout=U_out,
        train_masks=masks,
        diverged=diverged,
        snapshots=snapshots,
        snapshot_tasks=tuple(snap_idx),
        config={
            "width": width,
            "activation": activation,
            "lr": lr,
            "steps": steps,
            "eval_every": eval_every,
            "betas": tuple(betas),
            "eps": eps,
            "init_scale": init_scale,
            "dtype": str(dtype).replace("torch.", ""),
            "device": str(dev),
        },
        seconds=seconds,
    )


# --- what the weights learned ------------------------------------------------------------------


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
