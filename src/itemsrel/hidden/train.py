"""Training the hidden-layer classifiers of chapter 6: :func:`train_hidden`, :class:`HiddenResult`.

B networks (:class:`~itemsrel.hidden.model.HiddenClassifier`) train as ONE tensor program
through the engine (:func:`itemsrel.engine.fit`: SGD, the loop, the thread policy and the
divergence rule: a diverged network's weights are NaN); networks may differ in task (their own
cluster centres), activation, training noise σ and seed. Every step draws a fresh batch of
``batch_per_cluster`` samples per cluster (:class:`~itemsrel.hidden.task.NoisyBatches`). By
default the readout is frozen at ±1 (first half of the units +1, second half −1), so only W
learns; ``readout="random"`` freezes a ~ N(0, 1) and ``readout="trainable"`` also trains it (the
paper's Appendix B controls). A network's initial weights, readout and noise come from its own
seed alone: the same (task, activation, σ, seed) gives the same network whether trained alone or
in a batch (up to floating-point rounding of the batched products).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import torch
from numpy.typing import NDArray

from ..activations import Activation, get_activation
from ..engine import Optimiser, check_dtype, fit, flag_diverged, resolve_device, thread_policy
from ..geometry import ClusterTask
from ..runs import Runs
from .model import READOUTS, HiddenClassifier, initial_hidden_weights, readout_weights
from .task import NoisyBatches

__all__ = ["HiddenResult", "train_hidden"]


@dataclass
class HiddenResult:
    """Outcome of :func:`train_hidden` for B networks with H hidden units on inputs in R^N.

    ``W`` (B, H, N) final input weights; ``readout`` (B, H) final readout a; ``W_history``
    (R, len(recorded), H, N) input weights of the networks ``recorded`` (indices into B) after
    ``history_steps[r]`` updates; ``loss_history`` (R, B) cross-entropy of the batch drawn at that
    step; ``final_loss`` (B,) and ``final_accuracy`` (B,) on a fresh noisy batch after training.
    ``activations``, ``seeds``, ``sigma_train`` and ``tasks`` describe each network.
    """

    W: NDArray[np.float64]
    readout: NDArray[np.float64]
    W_history: NDArray[np.float64]
    history_steps: NDArray[np.int64]
    recorded: NDArray[np.int64]
    loss_history: NDArray[np.float64]
    final_loss: NDArray[np.float64]
    final_accuracy: NDArray[np.float64]
    activations: tuple[Activation, ...]
    seeds: NDArray[np.int64]
    sigma_train: NDArray[np.float64]
    tasks: tuple[ClusterTask, ...]
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def B(self) -> int:
        return int(self.W.shape[0])

    @property
    def design(self) -> pd.DataFrame:
        """One row per network: task (its name), activation, σ_train, seed (labels for selection)."""
        return pd.DataFrame(
            {
                "task": [t.name or f"task {k}" for k, t in enumerate(self.tasks)],
                "activation": [
                    a.name if (a.shift == 0 and a.gain == 1) else a.label for a in self.activations
                ],
                "sigma_train": self.sigma_train,
                "seed": self.seeds,
            }
        )

    @property
    def runs(self) -> Runs:
        """The networks as labelled :class:`~itemsrel.runs.Runs` (final W, readout, loss, accuracy)."""
        return Runs(
            self.design,
            {
                "W": self.W,
                "readout": self.readout,
                "final_loss": self.final_loss,
                "final_accuracy": self.final_accuracy,
            },
        )

    def weights_at(self, step: int) -> NDArray[np.float64]:
        """Input weights of the recorded networks after ``step`` updates, (len(recorded), H, N)."""
        hits = np.flatnonzero(self.history_steps == step)
        if hits.size == 0:
            raise ValueError(
                f"step {step} was not recorded; recorded: {self.history_steps.tolist()}"
            )
        return self.W_history[hits[0]]


def _as_list(value: Any, B: int, name: str) -> list[Any]:
    if isinstance(value, str | Activation) or np.ndim(value) == 0:
        return [value] * B
    out = list(value)
    if len(out) != B:
        raise ValueError(f"{name} must be one value or one per network ({B}), got {len(out)}")
    return out


def train_hidden(
    tasks: ClusterTask | Sequence[ClusterTask],
    activations: str | Activation | Sequence[str | Activation],
    seeds: int | Sequence[int],
    *,
    hidden: int = 64,
    steps: int = 1000,
    lr: float = 1.0,
    batch_per_cluster: int = 8,
    sigma_train: float | Sequence[float] = 1.0,
    readout: Literal["binary", "random", "trainable"] = "binary",
    init_scale: float = 1.0,
    record_steps: Sequence[int] | None = None,
    recorded: Sequence[int] | None = None,
    device: str | torch.device | None = None,
    dtype: torch.dtype = torch.float64,
) -> HiddenResult:
    """Train B one-hidden-layer networks at once; B is the length of ``seeds`` (or of ``tasks``).

    ``tasks``, ``activations`` and ``sigma_train`` are one value for all networks or one per
    network; every task needs the same P and N and one binary target. ``hidden`` H (even for the
    binary readout); ``steps`` full SGD steps of learning rate ``lr`` on fresh batches of
    ``batch_per_cluster`` samples per cluster; initial weights N(0, init_scale²/N).
    ``record_steps`` (default: 0 and ``steps``) lists after how many updates the input weights of
    the networks ``recorded`` (default: all) are stored. Networks with the same activation should
    be contiguous (each run of equal activations is one tensor operation). Small problems run on
    one CPU thread (the engine's :func:`~itemsrel.engine.thread_policy`).
    """
    if np.ndim(seeds) == 1:
        seed_list = list(seeds)  # type: ignore[arg-type]
    else:
        seed_list = _as_list(seeds, len(tasks) if isinstance(tasks, Sequence) else 1, "seeds")
    B = len(seed_list)
    if B == 0:
        raise ValueError("need at least one network")
    seed_arr = np.asarray(seed_list)
    if not np.issubdtype(seed_arr.dtype, np.integer) or np.any(seed_arr < 0):
        raise ValueError(f"seeds must be non-negative integers, got {seeds!r}")
    task_list: list[ClusterTask] = _as_list(tasks, B, "tasks")
    acts = [get_activation(a) for a in _as_list(activations, B, "activations")]
    sig = np.asarray(_as_list(sigma_train, B, "sigma_train"), dtype=float)
    if not np.all(np.isfinite(sig)) or np.any(sig < 0):
        raise ValueError(f"sigma_train must be finite and >= 0, got {sigma_train!r}")
    P, N = task_list[0].P, task_list[0].N
    for t in task_list:
        if (t.P, t.N) != (P, N):
            raise ValueError(f"all tasks need the same (P, N); got {(t.P, t.N)} and {(P, N)}")
        if t.targets.shape[1] != 1:
            raise ValueError("train_hidden trains one binary output: tasks need exactly one target")
    H = int(hidden)
    if H != hidden or H < 2 or (readout == "binary" and H % 2):
        raise ValueError(
            f"hidden must be an integer >= 2 (even for the binary readout), got {hidden}"
        )
    if readout not in READOUTS:
        raise ValueError(f"unknown readout {readout!r}; choose one of {', '.join(READOUTS)}")
    if int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    steps = int(steps)
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be a positive number, got {lr}")
    if int(batch_per_cluster) != batch_per_cluster or batch_per_cluster < 1:
        raise ValueError(f"batch_per_cluster must be a positive integer, got {batch_per_cluster}")
    if not (np.isfinite(init_scale) and init_scale > 0):
        raise ValueError(f"init_scale must be a positive number, got {init_scale}")
    rec_steps = np.unique(
        np.asarray([0, steps] if record_steps is None else record_steps, dtype=int)
    )
    if rec_steps.size == 0 or rec_steps.min() < 0 or rec_steps.max() > steps:
        raise ValueError(f"record_steps must lie in 0..{steps}")
    rec = np.arange(B) if recorded is None else np.unique(np.asarray(recorded, dtype=int))
    if rec.size and (rec.min() < 0 or rec.max() >= B):
        raise ValueError(f"recorded must index networks 0..{B - 1}")

    dev = resolve_device(device)
    dtype = check_dtype(dtype)
    batches = NoisyBatches(task_list, seed_arr, sig, int(batch_per_cluster), steps, dtype, dev)
    y = torch.as_tensor(
        np.stack([t.labels[batches.ids] for t in task_list]), dtype=dtype, device=dev
    )
    W0 = np.stack([initial_hidden_weights(int(s), H, N, init_scale) for s in seed_arr])
    A0 = np.stack([readout_weights(int(s), H, readout) for s in seed_arr])
    W = torch.as_tensor(W0, dtype=dtype, device=dev).clone()
    A = torch.as_tensor(A0, dtype=dtype, device=dev).clone()
    model = HiddenClassifier(W, A, acts, y, batches, trainable_readout=readout == "trainable")
    opt = Optimiser(model.params, "sgd", lr=lr)

    hist_W: list[np.ndarray] = []
    hist_loss: list[np.ndarray] = []
    rec_set = set(rec_steps.tolist())

    def observe(step: int, u: torch.Tensor) -> None:
        if step in rec_set:
            hist_W.append(W[rec].cpu().numpy().copy())
            hist_loss.append(model.loss_of(u).cpu().numpy())

    with thread_policy(B * batches.S * H * N, dev):
        fit(model, opt, steps, observe=observe)
        with torch.no_grad():
            _, _, u = model.forward(batches(steps))  # a fresh noisy batch after training
            observe(steps, u)
            final_loss = model.loss_of(u).cpu().numpy()
            final_acc = ((u > 0).to(dtype) == y).to(dtype).mean(dim=1).cpu().numpy()

    W_out = W.cpu().numpy().astype(float)
    A_out = A.cpu().numpy().astype(float)
    diverged = flag_diverged([W_out, A_out], [final_loss], lr=lr)
    W_out[diverged] = np.nan
    A_out[diverged] = np.nan
    final_loss = np.where(diverged, np.nan, final_loss)
    return HiddenResult(
        W=W_out,
        readout=A_out,
        W_history=np.stack(hist_W).astype(float),
        history_steps=rec_steps.astype(np.int64),
        recorded=rec.astype(np.int64),
        loss_history=np.stack(hist_loss).astype(float),
        final_loss=final_loss.astype(float),
        final_accuracy=final_acc.astype(float),
        activations=tuple(acts),
        seeds=seed_arr.astype(np.int64),
        sigma_train=sig,
        tasks=tuple(task_list),
        config={
            "hidden": H,
            "steps": steps,
            "lr": lr,
            "batch_per_cluster": int(batch_per_cluster),
            "readout": readout,
            "init_scale": init_scale,
            "device": str(dev),
            "dtype": str(dtype),
        },
    )
