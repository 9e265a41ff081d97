"""One-hidden-layer classifiers ``x ↦ σ(aᵀ φ(W x) / √H)``, trained many at once with torch.

The networks of Alleman, Lindsey & Fusi (2024): input x ∈ R^N, H hidden units with activation φ
and input weights W (H×N, no bias), one sigmoid output with readout weights a (H,), and the
cross-entropy loss on binary targets. By default the readout is frozen at ±1 (first half of the
units +1, second half −1), so only W learns; ``readout="random"`` freezes a ~ N(0, 1) and
``readout="trainable"`` also trains it (the paper's Appendix B controls).

B networks train as ONE tensor program: the weights have shape (B, H, N), networks may differ in
task (their own cluster centres), activation, training noise σ and seed, and the gradient is
written in closed form (u = aᵀh/√H, p = sigmoid(u), L = mean BCE):

    ∂L/∂W_j = (1/S) Σ_s (p_s − y_s) a_j φ'(w_j·x_s) x_s / √H        (the paper's eq. 1)

and fed to SGD (the engine's, :mod:`itemsrel.engine`: torch's SGD kernel; the engine also owns the
loop, the thread policy and the divergence rule: a diverged network's weights are NaN). Every step draws a fresh batch of ``batch_per_cluster`` samples
per cluster, centre + σ ξ. A network's initial weights, readout and noise ξ come from its own
seed alone: the same (task, activation, σ, seed) gives the same network whether trained alone or
in a batch (up to floating-point rounding of the batched products), and networks that share a
seed share their noise (paired comparisons).

:func:`hidden_activity` evaluates φ(W x) for stored weights; :func:`project_on_class_axes` gives
each neuron's inter- and intra-class selectivity; :func:`expected_gradient_field` is the expected
weight update of one neuron in the inter-/intra-class plane (the paper's Fig. 1C, D).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import torch
from numpy.typing import ArrayLike, NDArray

from .activations import Activation, get_activation
from .engine import Optimiser, check_dtype, fit, flag_diverged, resolve_device, thread_policy
from .geometry import ClusterTask, class_axes, four_cluster_metrics
from .runs import Runs

__all__ = [
    "READOUTS",
    "HiddenResult",
    "expected_gradient_field",
    "held_out_samples",
    "hidden_activity",
    "initial_hidden_weights",
    "intra_class_fraction",
    "project_on_class_axes",
    "readout_weights",
    "representation_metrics",
    "train_hidden",
]

READOUTS = ("binary", "random", "trainable")
_NOISE_CHUNK = 64  # steps of noise drawn at once per seed


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


def initial_hidden_weights(seed: int, H: int, N: int, init_scale: float) -> NDArray[np.float64]:
    """Initial input weights of one network, (H, N): entries N(0, init_scale² / N), seeded."""
    rng = np.random.default_rng([int(seed), 2])
    return rng.standard_normal((H, N)) * (init_scale / np.sqrt(N))


def readout_weights(seed: int, H: int, readout: str) -> NDArray[np.float64]:
    """Readout a of one network, (H,): ``binary`` ±1 (first half +1), else N(0, 1) seeded."""
    if readout not in READOUTS:
        raise ValueError(f"unknown readout {readout!r}; choose one of {', '.join(READOUTS)}")
    if readout == "binary":
        return np.where(np.arange(H) < H // 2, 1.0, -1.0)
    return np.random.default_rng([int(seed), 3]).standard_normal(H)


def held_out_samples(
    task: ClusterTask, seed: int, n_per_cluster: int, sigma: float = 1.0
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Held-out analysis samples of ``task`` (σ_test = ``sigma``), from the seed's test stream.

    Returns inputs (P·n, N), grouped by cluster, and their cluster ids (P·n,).
    """
    return task.sample(n_per_cluster, sigma, np.random.default_rng([int(seed), 4]))


def _as_list(value: Any, B: int, name: str) -> list[Any]:
    if isinstance(value, str | Activation) or np.ndim(value) == 0:
        return [value] * B
    out = list(value)
    if len(out) != B:
        raise ValueError(f"{name} must be one value or one per network ({B}), got {len(out)}")
    return out


def _runs(keys: Sequence[Any]) -> list[tuple[int, int]]:
    """Maximal runs [start, stop) of equal consecutive keys."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((start, i))
            start = i
    return runs


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
    m = int(batch_per_cluster)
    S = P * m
    ids = np.repeat(np.arange(P), m)
    centers = np.stack([t.centers for t in task_list])  # (B, P, N)
    Xc = torch.as_tensor(centers[:, ids], dtype=dtype, device=dev)  # (B, S, N)
    y = torch.as_tensor(np.stack([t.labels[ids] for t in task_list]), dtype=dtype, device=dev)
    sig_t = torch.as_tensor(sig, dtype=dtype, device=dev).view(B, 1, 1)
    uniq, inverse = np.unique(seed_arr, return_inverse=True)
    inv_t = torch.as_tensor(inverse, device=dev)
    noise_rngs = [np.random.default_rng([int(s), 1]) for s in uniq]

    W0 = np.stack([initial_hidden_weights(int(s), H, N, init_scale) for s in seed_arr])
    A0 = np.stack([readout_weights(int(s), H, readout) for s in seed_arr])
    W = torch.as_tensor(W0, dtype=dtype, device=dev).clone()
    A = torch.as_tensor(A0, dtype=dtype, device=dev).clone()
    opt = Optimiser([W, A] if readout == "trainable" else [W], "sgd", lr=lr)
    runs = _runs([(a.name, a.shift, a.gain) for a in acts])
    inv_sqrt_h = 1.0 / np.sqrt(H)

    def forward(X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        Z = torch.bmm(X, W.transpose(1, 2))  # (B, S, H)
        Hh = torch.empty_like(Z)
        dH = torch.empty_like(Z)
        for lo, hi in runs:
            Hh[lo:hi], dH[lo:hi] = acts[lo].torch_value_and_grad(Z[lo:hi])
        u = (Hh * A.unsqueeze(1)).sum(dim=2) * inv_sqrt_h  # (B, S)
        return Hh, dH, u

    def loss_of(u: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.binary_cross_entropy_with_logits(u, y, reduction="none").mean(
            dim=1
        )

    noise: dict[str, Any] = {"chunk": None}

    def batch(step: int) -> torch.Tensor:
        """This step's inputs: centre + σ ξ, ξ from each seed's noise stream (B, S, N)."""
        if step % _NOISE_CHUNK == 0:
            n = min(_NOISE_CHUNK, steps + 1 - step)
            raw = np.stack([g.standard_normal((n, S, N)) for g in noise_rngs])
            noise["chunk"] = torch.as_tensor(raw, dtype=dtype, device=dev)  # (n_seeds, n, S, N)
        return Xc + sig_t * noise["chunk"][:, step % _NOISE_CHUNK][inv_t]

    def gradient(step: int) -> tuple[list[torch.Tensor], torch.Tensor]:
        """Closed-form gradient of the mean cross-entropy on this step's batch (eq. 1)."""
        X = batch(step)
        Hh, dH, u = forward(X)
        E = (torch.sigmoid(u) - y) / S  # (B, S): ∂L/∂u
        G_Z = E.unsqueeze(2) * A.unsqueeze(1) * inv_sqrt_h * dH  # (B, S, H)
        grads = [torch.bmm(G_Z.transpose(1, 2), X)]
        if readout == "trainable":
            grads.append((Hh * E.unsqueeze(2)).sum(dim=1) * inv_sqrt_h)
        return grads, u

    hist_W: list[np.ndarray] = []
    hist_loss: list[np.ndarray] = []
    rec_set = set(rec_steps.tolist())

    def observe(step: int, u: torch.Tensor) -> None:
        if step in rec_set:
            hist_W.append(W[rec].cpu().numpy().copy())
            hist_loss.append(loss_of(u).cpu().numpy())

    with thread_policy(B * S * H * N, dev):
        fit(gradient, opt, steps, observe=observe)
        with torch.no_grad():
            _, _, u = forward(batch(steps))  # a fresh noisy batch after training
            observe(steps, u)
            final_loss = loss_of(u).cpu().numpy()
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
            "batch_per_cluster": m,
            "readout": readout,
            "init_scale": init_scale,
            "device": str(dev),
            "dtype": str(dtype),
        },
    )


def hidden_activity(
    W: ArrayLike, activation: str | Activation, X: ArrayLike
) -> NDArray[np.float64]:
    """Hidden representation φ(X Wᵀ): W (H, N) or (B, H, N); X (n, N) or (B, n, N) → (…, n, H)."""
    phi = get_activation(activation)
    Wa = np.asarray(W, dtype=float)
    Xa = np.asarray(X, dtype=float)
    if Wa.shape[-1] != Xa.shape[-1]:
        raise ValueError(f"W has input dimension {Wa.shape[-1]} but X has {Xa.shape[-1]}")
    return phi(np.matmul(Xa, np.swapaxes(Wa, -1, -2)))


def representation_metrics(
    result: HiddenResult,
    *,
    step: int | None = None,
    networks: Sequence[int] | None = None,
    decoders: bool = True,
    n_test: int = 16,
    sigma_test: float = 1.0,
) -> dict[str, NDArray[np.float64]]:
    """:func:`~itemsrel.geometry.four_cluster_metrics` of trained networks, one value per network.

    ``step`` None uses the final weights, else the weights after ``step`` updates (a recorded
    step; ``networks`` must then be recorded ones). ``networks`` are indices into the batch
    (default: all, or all recorded). The representation is measured on ``n_test`` held-out
    samples per cluster at noise ``sigma_test`` (:func:`held_out_samples`, the seed's test
    stream: the same samples for every step and activation of a seed). Returns metric → (n,).
    """
    if step is None:
        idx = np.arange(result.B) if networks is None else np.asarray(networks, dtype=int)
        weights = result.W[idx]
    else:
        idx = result.recorded if networks is None else np.asarray(networks, dtype=int)
        pos = {int(b): k for k, b in enumerate(result.recorded)}
        missing = [int(b) for b in idx if int(b) not in pos]
        if missing:
            raise ValueError(f"networks {missing[:5]} were not recorded during training")
        weights = result.weights_at(step)[[pos[int(b)] for b in idx]]
    if idx.size and (idx.min() < 0 or idx.max() >= result.B):
        raise ValueError(f"networks must index 0..{result.B - 1}")
    rows = []
    for W, b in zip(weights, idx, strict=True):
        task = result.tasks[b]
        X, ids = held_out_samples(task, int(result.seeds[b]), n_test, sigma_test)
        Z = hidden_activity(W, result.activations[b], X)
        rows.append(four_cluster_metrics(Z, X, ids, task, decoders=decoders))
    keys = rows[0].keys() if rows else []
    return {k: np.array([r[k] for r in rows]) for k in keys}


def project_on_class_axes(
    W: ArrayLike, readout: ArrayLike, task: ClusterTask
) -> NDArray[np.float64]:
    """Each neuron's input weights on its own class axes: W (..., H, N), readout (H,) → (..., H, 2).

    A neuron with readout a_j > 0 is driven towards class 1, one with a_j < 0 towards class 0;
    column 0 is w_j·û (inter-class selectivity, positive = towards its preferred class) and
    column 1 is w_j·v̂ (intra-class selectivity between the two preferred-class clusters), with
    û, v̂ from :func:`~itemsrel.geometry.class_axes` for that preferred class.
    """
    Wa = np.asarray(W, dtype=float)
    a = np.asarray(readout, dtype=float)
    if Wa.ndim < 2 or a.shape != (Wa.shape[-2],) or Wa.shape[-1] != task.N:
        raise ValueError(
            f"W must be (..., H, {task.N}) and readout (H,); got {Wa.shape} and {a.shape}"
        )
    if np.any(a == 0):
        raise ValueError("a neuron with readout 0 has no preferred class")
    out = np.empty((*Wa.shape[:-1], 2))
    for pref in (0, 1):
        sel = (a > 0) if pref == 1 else (a < 0)
        u, v = class_axes(task, pref)
        out[..., sel, 0] = Wa[..., sel, :] @ u
        out[..., sel, 1] = Wa[..., sel, :] @ v
    return out


def intra_class_fraction(
    result: HiddenResult, networks: Sequence[int], step: int | None = None
) -> NDArray[np.float64]:
    """Per network: the fraction of hidden neurons more selective within their preferred class
    than between the classes, ``|w·v̂| > |w·û|`` (:func:`project_on_class_axes`) — the neurons
    that specialise in one cluster, an item, rather than the class. After training, or after
    ``step`` updates for networks that were recorded. Shape ``(len(networks),)``."""
    out = []
    recorded = list(result.recorded)
    for b in networks:
        if step is None:
            W = result.W[b]
        else:
            if b not in recorded:
                raise ValueError(f"network {b} was not recorded; recorded: {recorded}")
            W = result.weights_at(step)[recorded.index(b)]
        p = project_on_class_axes(W, result.readout[b], result.tasks[b])
        out.append(np.mean(np.abs(p[:, 1]) > np.abs(p[:, 0])))
    return np.asarray(out, dtype=float)


def expected_gradient_field(
    task: ClusterTask,
    activation: str | Activation,
    inter: ArrayLike,
    intra: ArrayLike,
    *,
    preferred: int = 1,
    sigma: float = 1.0,
    n_quad: int = 32,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Expected update direction of one neuron's input weights, projected on the class axes.

    For w = α û + β v̂ (û, v̂ the unit inter-/intra-class axes of :func:`~itemsrel.geometry.class_axes`
    for the neuron's ``preferred`` class), with the paper's equal-error assumption (every cluster's
    error has the same size, sign +1 for the preferred class and −1 for the other):

        Δw ∝ Σ_i ε_i E_ξ[φ'(w·(x_i + σξ)) (x_i + σξ)]
           = Σ_i ε_i (E[φ'(m_i + s g)] x_i + σ E[φ'(m_i + s g) g] w/‖w‖),  m_i = w·x_i, s = σ‖w‖,

    the expectations over g ~ N(0, 1) by Gauss–Hermite quadrature. ``inter`` (G1,) and ``intra``
    (G2,) are the grid values α and β; returns (dα, dβ), each (G2, G1) (rows: β).
    """
    phi = get_activation(activation)
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma must be a finite number >= 0, got {sigma}")
    u, v = class_axes(task, preferred)
    al = np.asarray(inter, dtype=float)
    be = np.asarray(intra, dtype=float)
    if al.ndim != 1 or be.ndim != 1 or al.size < 1 or be.size < 1:
        raise ValueError("inter and intra must be 1-D grids")
    eps = np.where(task.labels == preferred, 1.0, -1.0)  # (P,)
    g, wq = np.polynomial.hermite_e.hermegauss(int(n_quad))
    wq = wq / wq.sum()
    Al, Be = np.meshgrid(al, be)  # (G2, G1)
    Wg = Al[..., None] * u + Be[..., None] * v  # (G2, G1, N)
    norm = np.linalg.norm(Wg, axis=-1)  # (G2, G1)
    m = Wg @ task.centers.T  # (G2, G1, P)
    s = sigma * norm
    arg = m[..., None] + s[..., None, None] * g  # (G2, G1, P, Q)
    d = phi.derivative(arg)
    Ed = d @ wq  # (G2, G1, P)
    Edg = (d * g) @ wq  # (G2, G1, P)
    mean_part = (eps * Ed) @ task.centers  # (G2, G1, N)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit_w = np.where(norm[..., None] > 0, Wg / norm[..., None], 0.0)
    noise_part = sigma * (eps * Edg).sum(axis=-1)[..., None] * unit_w
    dW = mean_part + noise_part
    return dW @ u, dW @ v
