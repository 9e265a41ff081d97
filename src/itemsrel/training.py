"""Batched training of auto-associators ``y = φ(W x)`` (N×N weights, no bias) with torch.

Many networks train as ONE tensor program: the weights have shape ``(B, N, N)`` (a leading batch
dimension, one slice per network), every step is a handful of batched tensor operations, and the
gradient of the loss is written in closed form instead of being taped by autograd. All networks
share one training set ``X`` of shape ``(K, N)``, or each has its own: ``X`` of shape
``(B, K, N)`` (same K and N for all, e.g. many generated puzzles at once).

    z_k = W x_k,   y_k = φ(z_k),   L = 1/(K N) Σ_k |y_k − t_k|²          (the paper's eq. 7,
                                                                           averaged over items)
    ∂L/∂W = 2/(K N) Σ_k [(y_k − t_k) ⊙ φ'(z_k)] x_kᵀ

Optional penalties (strengths λ ≥ 0, scalars or one value per network) are added to L:

    ``l1``    λ · mean_ij |W_ij|              ``l2``    λ · mean_ij W_ij²
    ``rate``  λ · mean_ki y_ki²  (firing rate) ``level`` λ · mean_ki (y_ki − level_target)²

The optimiser is torch's SGD (optionally with momentum) or Adam, fed the closed-form gradient: the
functional kernels ``torch.optim.sgd.sgd`` and ``torch.optim.adam.adam`` that ``torch.optim.SGD``
and ``torch.optim.Adam`` call, so the update rules are torch's own, without the optimiser
classes' per-step bookkeeping (half the cost of a step for small networks; see benchmarks/). Each network's initial weights come
from its own seed, so a batch of networks gives bit-identical results to the same networks
trained one at a time, and the same call always gives the same numbers.

Small problems (fewer than :data:`PARALLEL_WORK` multiply-adds per matrix product, B·N²·K) run
on one CPU thread: their tensor operations are too small to gain from parallel threads, and on a
busy machine the threads' synchronisation can stall a step for milliseconds. Larger ones use
torch's thread setting. The caller's setting is restored afterwards.

Mini-batches (``batch_size`` items per step instead of all K): ``sampling="iid"`` draws each
step's items independently with replacement; ``sampling="epoch"`` reshuffles the K items once per
epoch (a seeded permutation) and takes consecutive slices of ``batch_size`` from the concatenated
permutations (an epoch boundary may fall inside a batch when ``batch_size`` does not divide K).
The loss of a step is the mean over the batch's items. Each network draws its batches from its own
stream, ``SeedSequence([data_seed, seed])`` (``data_seed=None`` means 0), so its batches do not
depend on which other networks train beside it (batched equals looped). A batch's indices are
sorted before use, so a batch's gradient depends only on which items it holds: with
``sampling="epoch"`` and ``batch_size == K`` every step is exactly the full-batch step. History,
final loss and gradient are always measured on the full training set.

A network whose loss or weights become non-finite is reported as diverged: its weights are
returned as NaN and a warning names how many diverged — never silently as a result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray
from torch.optim.adam import adam as adam_kernel
from torch.optim.sgd import sgd as sgd_kernel

from .activations import Activation, get_activation
from .patterns import as_training_set

__all__ = [
    "INITS",
    "OPTIMIZERS",
    "PARALLEL_WORK",
    "PENALTIES",
    "SAMPLINGS",
    "TrainResult",
    "default_device",
    "initial_weights",
    "objective",
    "pattern_loss",
    "train",
]

INITS = ("zeros", "ones", "uniform", "normal")
#: Multiply-adds per matrix product (B·N²·K) below which training uses a single CPU thread.
PARALLEL_WORK = 250_000
OPTIMIZERS = ("sgd", "adam")
SAMPLINGS = ("iid", "epoch")
#: Steps of mini-batch indices drawn at once per network.
_INDEX_CHUNK = 256
PENALTIES = ("l1", "l2", "rate", "level")


@dataclass
class TrainResult:
    """Outcome of :func:`train` for B networks on K items of length N.

    ``W`` (B, N, N): trained weights (NaN for diverged networks); ``loss_history`` (R, B): data
    loss (eq. 7, mean over items) at the steps ``history_steps`` (R,); ``final_loss`` (B,);
    ``grad_max`` (B,): largest absolute entry of the objective's gradient at the end;
    ``converged`` (B,): finite and ``grad_max <= grad_tol``; ``diverged`` (B,); ``steps_run``.
    """

    W: NDArray[np.float64]
    loss_history: NDArray[np.float64]
    history_steps: NDArray[np.int64]
    final_loss: NDArray[np.float64]
    grad_max: NDArray[np.float64]
    converged: NDArray[np.bool_]
    diverged: NDArray[np.bool_]
    steps_run: int
    seeds: NDArray[np.int64]
    activation: Activation
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def B(self) -> int:
        return int(self.W.shape[0])

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Networks that did not diverge."""
        return ~self.diverged

    def mean_W(self) -> NDArray[np.float64]:
        """Average weight matrix over the networks that did not diverge, shape (N, N)."""
        if not self.ok.any():
            raise ValueError("every network diverged: there is no weight matrix to average")
        return self.W[self.ok].mean(axis=0)


def default_device() -> torch.device:
    """``cuda`` when a GPU is present, else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def initial_weights(
    init: str, N: int, seeds: Sequence[int], sigma: float = 0.05
) -> NDArray[np.float64]:
    """Initial weights, shape (B, N, N): ``zeros``, ``ones``, ``uniform`` U(0,1), ``normal`` N(0, σ).

    Network b draws from ``numpy.random.default_rng(seeds[b])`` alone.
    """
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    B = len(seeds)
    if init == "zeros":
        return np.zeros((B, N, N))
    if init == "ones":
        return np.ones((B, N, N))
    if init == "normal" and not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive number, got {sigma}")
    out = np.empty((B, N, N))
    for b, s in enumerate(seeds):
        rng = np.random.default_rng(int(s))
        out[b] = (
            rng.uniform(0.0, 1.0, (N, N)) if init == "uniform" else rng.normal(0.0, sigma, (N, N))
        )
    return out


def _training_sets(X: ArrayLike) -> NDArray[np.int8]:
    """``X`` validated as one set (K, N) or one set per network (B, K, N), as int8."""
    arr = np.asarray(X)
    if arr.ndim == 3:
        if arr.shape[0] == 0:
            raise ValueError("a batch of training sets must not be empty")
        return np.stack([as_training_set(x, max_n=None) for x in arr])
    return as_training_set(X, max_n=None)


def _seeds(seeds: int | Sequence[int]) -> NDArray[np.int64]:
    arr = np.atleast_1d(np.asarray(seeds))
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"seeds must be an int or a non-empty sequence of ints, got {seeds!r}")
    if np.any(arr < 0):
        raise ValueError("seeds must be non-negative")
    return arr.astype(np.int64)


def data_streams(seeds: Sequence[int], data_seed: int | None = None) -> list[np.random.Generator]:
    """One generator per network for mini-batch draws: ``SeedSequence([data_seed, seed])``.

    Independent of the initial-weight stream (``default_rng(seed)``) and of the other networks.
    """
    ds = 0 if data_seed is None else int(data_seed)
    return [np.random.default_rng(np.random.SeedSequence([ds, int(s)])) for s in seeds]


class _BatchIndices:
    """Sorted mini-batch indices, shape (steps, B, batch_size), drawn in chunks per network."""

    def __init__(
        self, K: int, batch_size: int, sampling: str, seeds: Sequence[int], data_seed: int | None
    ) -> None:
        self.K, self.b, self.sampling = K, batch_size, sampling
        self.rngs = data_streams(seeds, data_seed)
        self.left = [np.empty(0, dtype=np.int64) for _ in self.rngs]  # unused epoch indices

    def chunk(self, n_steps: int) -> NDArray[np.int64]:
        out = np.empty((n_steps, len(self.rngs), self.b), dtype=np.int64)
        need = n_steps * self.b
        for j, rng in enumerate(self.rngs):
            if self.sampling == "iid":
                draw = rng.integers(0, self.K, size=(n_steps, self.b))
            else:
                have = self.left[j]
                epochs = -(-(need - have.size) // self.K)
                if epochs > 0:
                    perms = rng.permuted(np.tile(np.arange(self.K), (epochs, 1)), axis=1)
                    have = np.concatenate([have, perms.ravel()])
                draw, self.left[j] = have[:need].reshape(n_steps, self.b), have[need:]
            out[:, j, :] = draw
        out.sort(axis=-1)
        return out


@contextmanager
def _threads_for(work: int, device: torch.device) -> Iterator[None]:
    """One CPU thread for small problems (see the module docstring); restores the setting."""
    before = torch.get_num_threads()
    if device.type != "cpu" or work >= PARALLEL_WORK or before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _optimizer_step(
    W: torch.Tensor,
    optimizer: str,
    *,
    lr: float,
    momentum: float,
    betas: tuple[float, float],
    eps: float,
) -> Callable[[torch.Tensor], None]:
    """``update(G)``: one in-place step of torch's SGD or Adam on W with gradient G.

    Calls the functional kernels behind ``torch.optim.SGD`` / ``torch.optim.Adam`` (single-tensor
    path, no weight decay) with state kept here as those classes keep it.
    """
    if optimizer == "sgd":
        buffers: list[torch.Tensor | None] = [None]  # momentum buffer, created at the first step

        def sgd_step(G: torch.Tensor) -> None:
            sgd_kernel(
                [W],
                [G],
                buffers,
                foreach=False,
                weight_decay=0.0,
                momentum=momentum,
                lr=lr,
                dampening=0.0,
                nesterov=False,
                maximize=False,
            )

        return sgd_step
    exp_avg, exp_avg_sq = torch.zeros_like(W), torch.zeros_like(W)
    step_count = torch.tensor(0.0)  # on the CPU, like torch.optim.Adam's non-capturable state

    def adam_step(G: torch.Tensor) -> None:
        adam_kernel(
            [W],
            [G],
            [exp_avg],
            [exp_avg_sq],
            [],
            [step_count],
            foreach=False,
            amsgrad=False,
            beta1=betas[0],
            beta2=betas[1],
            lr=lr,
            weight_decay=0.0,
            eps=eps,
            maximize=False,
        )

    return adam_step


def _strengths(
    regularization: Mapping[str, ArrayLike] | None, B: int
) -> dict[str, NDArray[np.float64]]:
    out: dict[str, NDArray[np.float64]] = {}
    for key, value in (regularization or {}).items():
        if key not in PENALTIES:
            raise ValueError(f"unknown penalty {key!r}; choose from {', '.join(PENALTIES)}")
        lam = (
            np.broadcast_to(np.asarray(value, dtype=float), (B,))
            if np.ndim(value) == 0
            else np.asarray(value, dtype=float)
        )
        if lam.shape != (B,):
            raise ValueError(
                f"strength of {key!r} must be a scalar or have one value per network ({B}), got shape {lam.shape}"
            )
        if not np.all(np.isfinite(lam)) or np.any(lam < 0):
            raise ValueError(f"strength of {key!r} must be finite and >= 0, got {value!r}")
        if np.any(lam > 0):
            out[key] = lam.copy()
    return out


def objective(
    W: ArrayLike,
    X: ArrayLike,
    activation: str | Activation = "linear",
    regularization: Mapping[str, ArrayLike] | None = None,
    targets: ArrayLike | None = None,
    level_target: float = 0.5,
) -> NDArray[np.float64]:
    """The training objective (data loss + penalties) of each network, numpy, shape (B,).

    Reference implementation of what :func:`train` minimises (used to check its gradients).
    ``X`` is one training set (K, N) or one per network (B, K, N), as in :func:`train`.
    """
    phi = get_activation(activation)
    W = np.asarray(W, dtype=float)
    W = W[None] if W.ndim == 2 else W
    X = np.asarray(X, dtype=float)
    T = X if targets is None else np.asarray(targets, dtype=float)
    Y = phi(np.einsum("bij,bkj->bki" if X.ndim == 3 else "bij,kj->bki", W, X))
    total = ((Y - T) ** 2).mean(axis=(1, 2))
    lam = _strengths(regularization, W.shape[0])
    if "l1" in lam:
        total = total + lam["l1"] * np.abs(W).mean(axis=(1, 2))
    if "l2" in lam:
        total = total + lam["l2"] * (W**2).mean(axis=(1, 2))
    if "rate" in lam:
        total = total + lam["rate"] * (Y**2).mean(axis=(1, 2))
    if "level" in lam:
        total = total + lam["level"] * ((Y - level_target) ** 2).mean(axis=(1, 2))
    return total


def pattern_loss(
    W: ArrayLike, patterns: ArrayLike, activation: str | Activation = "linear"
) -> NDArray[np.float64]:
    """Eq. 7 for each pattern: ``mean_i (φ(W x)_i − x_i)²``; W (N,N) → (P,), W (B,N,N) → (B,P)."""
    phi = get_activation(activation)
    W = np.asarray(W, dtype=float)
    P = np.atleast_2d(np.asarray(patterns, dtype=float))
    Y = phi(np.einsum("...ij,pj->...pi", W, P))
    return ((Y - P) ** 2).mean(axis=-1)


def train(
    X: ArrayLike,
    activation: str | Activation = "linear",
    init: str = "zeros",
    optimizer: str = "sgd",
    lr: float = 0.1,
    steps: int = 5000,
    seeds: int | Sequence[int] = 0,
    regularization: Mapping[str, ArrayLike] | None = None,
    targets: ArrayLike | None = None,
    *,
    sigma: float = 0.05,
    momentum: float = 0.0,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    level_target: float = 0.5,
    W0: ArrayLike | None = None,
    grad_tol: float = 1e-7,
    stop_when_converged: bool = False,
    check_every: int = 100,
    record_every: int | None = None,
    device: str | torch.device | None = None,
    dtype: torch.dtype = torch.float64,
    batch_size: int | None = None,
    sampling: str = "iid",
    data_seed: int | None = None,
) -> TrainResult:
    """Train ``len(seeds)`` networks ``y = φ(W x)`` on the training set X, all at once.

    X: (K, N) binary items shared by all networks, or (B, K, N), one training set per network.
    ``targets`` (same shape as X) defaults to X (auto-association). ``init`` names the
    initial weights (or pass ``W0``, shape (N, N) or (B, N, N)). ``lr`` and ``steps`` are the
    optimiser's learning rate and number of full-batch steps. ``regularization`` maps penalty names
    (``l1``, ``l2``, ``rate``, ``level``) to strengths. ``stop_when_converged`` ends early once every
    network's gradient is below ``grad_tol`` (checked every ``check_every`` steps).
    ``batch_size`` (None: full batch) items per step, drawn by ``sampling`` (``iid`` with
    replacement, ``epoch`` reshuffled per epoch) from each network's stream seeded by
    ``data_seed`` and its seed (see the module docstring).
    """
    Xn = _training_sets(X)
    K, N = Xn.shape[-2:]
    phi = get_activation(activation)
    seed_arr = _seeds(seeds)
    B = len(seed_arr)
    per_network = Xn.ndim == 3
    if per_network and Xn.shape[0] != B:
        raise ValueError(f"X holds {Xn.shape[0]} training sets but there are {B} networks (seeds)")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be a positive number, got {lr}")
    if int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
    steps = int(steps)
    if sampling not in SAMPLINGS:
        raise ValueError(f"unknown sampling {sampling!r}; choose one of {', '.join(SAMPLINGS)}")
    if batch_size is not None and (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or not 1 <= batch_size <= K
    ):
        raise ValueError(
            f"batch_size must be None (full batch) or an integer in [1, K={K}], got {batch_size!r}"
        )
    if data_seed is not None and (
        isinstance(data_seed, bool) or not isinstance(data_seed, (int, np.integer)) or data_seed < 0
    ):
        raise ValueError(f"data_seed must be None or a non-negative integer, got {data_seed!r}")
    lam = _strengths(regularization, B)
    dev = torch.device(device) if device is not None else default_device()

    T = Xn.astype(float) if targets is None else np.asarray(targets, dtype=float)
    if T.shape != Xn.shape or not np.all(np.isfinite(T)):
        raise ValueError(f"targets must be a finite array of shape {Xn.shape}, got shape {T.shape}")
    if W0 is None:
        W_init = initial_weights(init, N, seed_arr, sigma)
    else:
        W_init = np.broadcast_to(np.asarray(W0, dtype=float), (B, N, N)).copy()
        if not np.all(np.isfinite(W_init)):
            raise ValueError("W0 must be finite")
        init = "given"

    tX = torch.as_tensor(Xn, dtype=dtype, device=dev)  # (K, N) or (B, K, N)
    tT = torch.as_tensor(T, dtype=dtype, device=dev)  # like tX
    W = torch.as_tensor(W_init, dtype=dtype, device=dev).clone()
    update = _optimizer_step(W, optimizer, lr=lr, momentum=momentum, betas=betas, eps=eps)

    scale = 2.0 / (K * N)
    tXs = tX * scale  # the gradient's factor 2/(K N), folded into the constant inputs
    col = {k: torch.as_tensor(v, dtype=dtype, device=dev).view(B, 1, 1) for k, v in lam.items()}
    lam_rate, lam_level = col.get("rate"), col.get("level")
    l1 = col["l1"] / (N * N) if "l1" in col else None
    l2 = col["l2"] * (2.0 / (N * N)) if "l2" in col else None

    record_every = record_every or max(1, steps // 500)
    hist_steps: list[int] = []
    hist: list[torch.Tensor] = []
    # Transposed layout: column k of Z_b is z_k = W_b x_k. Stacking the B weight matrices as one
    # (B·N, N) matrix turns the forward pass and the gradient into one matrix product each.
    # With per-network sets the same two products are batched matrix products.
    XT = tX.transpose(-1, -2).contiguous()  # (N, K) or (B, N, K)
    TT = tT.transpose(-1, -2).contiguous()  # like XT

    identity = phi.name == "linear" and phi.gain == 1.0 and phi.shift == 0.0  # φ' = 1: skip it

    def gradient(
        Wd: torch.Tensor,
        XT: torch.Tensor = XT,
        TT: torch.Tensor = TT,
        tXs: torch.Tensor = tXs,
        per_network: bool = per_network,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        k = XT.shape[-1]
        if per_network:
            Z = torch.bmm(Wd, XT)
        else:
            Z = torch.mm(Wd.view(B * N, N), XT).view(B, N, k)
        Y, dY = (Z, None) if identity else phi.torch_value_and_grad(Z)
        E = Y - TT
        signal = E
        if lam_rate is not None:
            signal = signal + lam_rate * Y
        if lam_level is not None:
            signal = signal + lam_level * (Y - level_target)
        if dY is not None:
            signal = signal * dY
        if per_network:
            G = torch.bmm(signal, tXs)
        else:
            G = torch.mm(signal.view(B * N, k), tXs).view(B, N, N)
        if l1 is not None:
            G = G + l1 * torch.sign(Wd)
        if l2 is not None:
            G = G + l2 * Wd
        return G, E

    def batch_gradient(Wd: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        """Gradient of the mini-batch objective; idx (B, b) holds each network's items."""
        if per_network:
            rows = torch.arange(B, device=dev).unsqueeze(1)
            Xb, Tb = tX[rows, idx], tT[rows, idx]  # (B, b, N)
        else:
            Xb, Tb = tX[idx], tT[idx]
        G, _ = gradient(
            Wd,
            Xb.transpose(-1, -2),
            Tb.transpose(-1, -2),
            Xb * (2.0 / (idx.shape[1] * N)),
            True,
        )
        return G

    minibatch = batch_size is not None and not (sampling == "epoch" and batch_size == K)
    batches = (
        _BatchIndices(K, int(batch_size), sampling, seed_arr, data_seed) if minibatch else None
    )
    idx_chunk: torch.Tensor | None = None

    steps_run = 0
    with torch.no_grad(), _threads_for(B * N * N * K, dev):
        for step in range(steps):
            if batches is None:
                G, E = gradient(W)
                if step % record_every == 0:
                    hist_steps.append(step)
                    hist.append(E.pow(2).mean(dim=(1, 2)))
            else:
                if step % record_every == 0:
                    _, E = gradient(W)
                    hist_steps.append(step)
                    hist.append(E.pow(2).mean(dim=(1, 2)))
                j = step % _INDEX_CHUNK
                if j == 0:
                    n = min(_INDEX_CHUNK, steps - step)
                    idx_chunk = torch.as_tensor(batches.chunk(n), device=dev)
                assert idx_chunk is not None
                G = batch_gradient(W, idx_chunk[j])
            update(G)
            steps_run = step + 1
            if stop_when_converged and steps_run % check_every == 0:
                Gc, _ = gradient(W)
                if bool((Gc.abs().amax(dim=(1, 2)) <= grad_tol).all()):
                    break
        G, E = gradient(W)
        final = E.pow(2).mean(dim=(1, 2))
        hist_steps.append(steps_run)
        hist.append(final)

    W_out = W.cpu().numpy().copy()
    final_loss = final.cpu().numpy()
    grad_max = G.abs().amax(dim=(1, 2)).cpu().numpy()
    finite = np.isfinite(final_loss) & np.isfinite(W_out).all(axis=(1, 2)) & np.isfinite(grad_max)
    diverged = ~finite
    if diverged.any():
        W_out[diverged] = np.nan
        final_loss[diverged] = np.nan
        grad_max[diverged] = np.nan
        warnings.warn(
            f"{int(diverged.sum())} of {B} networks diverged (non-finite loss or weights; "
            f"lr={lr} is probably too large); their weights are returned as NaN",
            RuntimeWarning,
            stacklevel=2,
        )
    with np.errstate(invalid="ignore"):
        converged = finite & (grad_max <= grad_tol)
    return TrainResult(
        W=W_out,
        loss_history=torch.stack(hist).cpu().numpy(),
        history_steps=np.asarray(hist_steps, dtype=np.int64),
        final_loss=final_loss,
        grad_max=grad_max,
        converged=converged,
        diverged=diverged,
        steps_run=steps_run,
        seeds=seed_arr,
        activation=phi,
        config={
            "init": init,
            "optimizer": optimizer,
            "lr": lr,
            "steps": steps,
            "momentum": momentum,
            "betas": betas,
            "sigma": sigma,
            "regularization": {k: v.tolist() for k, v in lam.items()},
            "level_target": level_target,
            "device": str(dev),
            "batch_size": batch_size,
            "sampling": sampling,
            "data_seed": data_seed,
        },
    )
