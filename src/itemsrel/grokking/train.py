"""Training group-word networks (chapter 7): :func:`train_words`, :class:`GrokResult`.

A batch of M tasks (:class:`~itemsrel.grokking.task.WordTask`: same group order n, any groups,
words, training fractions, weight decays and seeds) trains as one tensor program
(:class:`~itemsrel.grokking.model.WordNetwork`) full batch through the engine
(:func:`itemsrel.engine.fit`): AdamW through torch's fused Adam kernel, as
``torch.optim.AdamW(fused=True)``; each task's weight decay λ_m is applied as AdamW's own
decoupled factor ``θ ← θ (1 − lr λ_m)`` before the Adam update (exactly what ``AdamW`` does with
``weight_decay = λ_m``; a test checks the equivalence), so tasks with different λ share one batch.
Adam normalises each weight separately, so a task trained in a batch gets the same numbers as
the task trained alone. Tasks that differ only in group, word or weight decay share their
training pairs and their initial weights, so comparisons between them are paired.

Accuracy and loss on the training and test pairs are evaluated every ``eval_every`` steps, so every
"step at which …" is known to that resolution. Training runs in float64 on one CPU thread by
default; the result does not depend on the number of threads.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
from numpy.typing import NDArray

from ..engine import (
    Optimiser,
    check_dtype,
    fit,
    flag_diverged,
    resolve_device,
    thread_policy,
    validate_optimiser,
)
from ..runs import Runs
from .model import HIDDEN_ACTIVATIONS, WordNetwork, initial_weights, predict
from .task import WordTask, training_pairs

__all__ = ["GrokResult", "train_words"]


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
    dev = resolve_device(device)

    pairs = training_pairs(tasks)
    init = [initial_weights(t, width, init_scale) for t in tasks]

    with torch.no_grad(), thread_policy(M * pairs.xi.shape[1] * width * n, dev, threads):
        E = torch.as_tensor(np.stack([e for e, _ in init]), dtype=dtype, device=dev)  # (M, 2n, w)
        U = torch.as_tensor(np.stack([u for _, u in init]), dtype=dtype, device=dev)  # (M, w, n)
        model = WordNetwork(E, U, pairs, activation)
        opt = Optimiser(
            [E, U],
            "adamw",
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=[t.weight_decay for t in tasks],
            fused=dev.type in ("cpu", "cuda"),
        )
        snap_set = {int(s) for s in snapshot_steps if 0 <= int(s) <= steps}
        snap_idx = list(range(M)) if snapshot_tasks is None else [int(i) for i in snapshot_tasks]
        snapshots: dict[int, tuple[NDArray[np.floating], NDArray[np.floating]]] = {}
        records: list[tuple[int, list[torch.Tensor]]] = []

        def evaluate(step: int) -> None:
            records.append((step, model.metrics()))

        def snapshot(step: int) -> None:
            snapshots[step] = (
                E[snap_idx].cpu().numpy().copy(),
                U[snap_idx].cpu().numpy().copy(),
            )

        def observe(step: int, _: None) -> None:
            if step % eval_every == 0:
                evaluate(step)
            if step in snap_set:
                snapshot(step)

        t0 = time.perf_counter()
        fit(model, opt, steps, observe=observe, progress=progress, desc=f"training {M} networks")
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
        train_masks=pairs.masks,
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
