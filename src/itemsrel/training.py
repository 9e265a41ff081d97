"""Auto-associators ``y = φ(W x)`` and ``y = φ(W₂ ψ(W₁ x))`` (no biases), trained many at once.

The model of the book: N inputs, N outputs, trained to reproduce its K binary items (or given
targets). :func:`train` translates its arguments onto the model
(:class:`itemsrel.auto_associator.AutoAssociator`: parameters, loss and the closed-form gradient,
pinned by tests against autograd) and the engine (:func:`itemsrel.engine.fit`), and packs a
:class:`TrainResult`. Many networks train as ONE tensor program: the weights have shape
``(B, N, N)`` (a leading network dimension) and every step is a handful of batched tensor
operations. All networks share one training set ``X`` of shape ``(K, N)``, or each has its own:
``X`` of shape ``(B, K, N)`` (same K and N for all, e.g. many generated puzzles at once).

    z_k = W x_k,   y_k = φ(z_k),   L = 1/(K N) Σ_k |y_k − t_k|²          (the paper's eq. 7,
                                                                           averaged over items)
    ∂L/∂W = 2/(K N) Σ_k [(y_k − t_k) ⊙ φ'(z_k)] x_kᵀ

Optional penalties (strengths λ ≥ 0, scalars or one value per network) are added to L:

    ``l1``    λ · mean_ij |W_ij|              ``l2``    λ · mean_ij W_ij²
    ``rate``  λ · mean_ki y_ki²  (firing rate) ``level`` λ · mean_ki (y_ki − level_target)²

**Hidden layer** (``hidden=H``): ``y = φ(W₂ ψ(W₁ x))`` with W₁ (H, N), W₂ (N, H), ψ the
``hidden_activation``; initial entries N(0, σ²) (``init="normal"``, σ = ``sigma``, small by
default), W₁ then W₂ from ``default_rng(seed)``; ``l1``/``l2`` penalise both matrices (the sum
of their means). A linear N→H→N network from a small start learns the projector onto span(X)
when H ≥ rank X (the plane attractor) and cannot when H < rank X.

The optimiser (SGD with momentum or Adam: torch's functional kernels), mini-batches, seeding,
the thread policy and the divergence rule are the engine's (:mod:`itemsrel.engine`). Each
network's initial weights come from its own seed, so a batch of networks gives bit-identical
results to the same networks trained one at a time, and the same call always gives the same
numbers.

Mini-batches (``batch_size`` items per step instead of all K): ``sampling="iid"`` draws each
step's items independently with replacement; ``sampling="epoch"`` reshuffles the K items once per
epoch (a seeded permutation) and takes consecutive slices of ``batch_size`` from the concatenated
permutations (an epoch boundary may fall inside a batch when ``batch_size`` does not divide K);
``sampling="cycle"`` visits the items in their fixed order 0, 1, …, K−1, 0, … (with
``batch_size=1``: the paper's item-by-item training; permute the rows of X for another order).
The loss of a step is the mean over the batch's items. Each network draws its batches from its own
stream, ``SeedSequence([data_seed, seed])`` (``data_seed=None`` means 0), so its batches do not
depend on which other networks train beside it (batched equals looped). A batch's indices are
sorted before use, so a batch's gradient depends only on which items it holds: with
``sampling="epoch"`` or ``"cycle"`` and ``batch_size == K`` every step is exactly the full-batch
step. History,
final loss and gradient are always measured on the full training set.

A network whose loss or weights become non-finite (or blow up, |W| ≥ 1e100) is reported as
diverged: its weights are returned as NaN and a warning names how many diverged and the likely
cause — never silently as a result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
from numpy.typing import ArrayLike, NDArray

from .activations import Activation, get_activation
from .auto_associator import INITS, AutoAssociator, hidden_weights, initial_weights
from .engine import (
    PARALLEL_WORK,
    SAMPLINGS,
    BatchIndices,
    Optimiser,
    check_dtype,
    default_device,
    fit,
    flag_diverged,
    resolve_device,
    thread_policy,
    validate_optimiser,
)
from .patterns import as_training_set
from .runs import Runs, runs_of

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

OPTIMIZERS = ("sgd", "adam")
#: Entries of the error Y − T (B·N·K) up to which the loss history is computed after the run.
HISTORY_KEEP = 4096
PENALTIES = ("l1", "l2", "rate", "level")


@dataclass
class TrainResult:
    """Outcome of :func:`train` for B networks on K items of length N.

    ``W`` (B, N, N): trained weights (NaN for diverged networks; with a hidden layer the product
    W₂ W₁, which is the network's map only when ψ is linear); ``W1`` (B, H, N) and ``W2``
    (B, N, H): the layers of a hidden-layer network (None without one); ``loss_history`` (R, B):
    data loss (eq. 7, mean over items) at the steps ``history_steps`` (R,); ``final_loss`` (B,);
    ``grad_max`` (B,): largest absolute entry of the objective's gradient at the end;
    ``converged`` (B,): finite and ``grad_max <= grad_tol``, unless the gradient is exactly zero
    with loss left over (a dead network, e.g. ReLU from zeros); ``diverged`` (B,); ``steps_run``;
    ``design``: one row per network (its labels: activation, init, optimiser, penalties, seed…).
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
    W1: NDArray[np.float64] | None = None
    W2: NDArray[np.float64] | None = None
    hidden_activation: Activation | None = None
    design: pd.DataFrame | None = None

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

    @property
    def runs(self) -> Runs:
        """The networks as labelled :class:`~itemsrel.runs.Runs`: ``res.runs.sel(seed=0)["W"]``."""
        return runs_of(self)

    def predict(self, patterns: ArrayLike) -> NDArray[np.float64]:
        """Outputs of every network for every pattern: (P, N) or (N,) → shape (B, P, N).

        ``φ(W x)``, or ``φ(W₂ ψ(W₁ x))`` with a hidden layer (NaN for diverged networks).
        """
        P = np.asarray(patterns, dtype=float)
        P = P[None] if P.ndim == 1 else P
        N = self.W.shape[-1]
        if P.ndim != 2 or P.shape[1] != N:
            raise ValueError(
                f"patterns must have shape (P, {N}) or ({N},), got {np.shape(patterns)}"
            )
        if self.W1 is None:
            return self.activation(np.einsum("bij,pj->bpi", self.W, P))
        assert self.W2 is not None and self.hidden_activation is not None
        h = self.hidden_activation(np.einsum("bhj,pj->bph", self.W1, P))
        return self.activation(np.einsum("bih,bph->bpi", self.W2, h))


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


def _label(phi: Activation) -> str:
    """An activation's design label: its name, or its formula when shifted or scaled."""
    return phi.name if (phi.shift == 0 and phi.gain == 1) else phi.label


def _given_hidden_weights(
    W0: Any, B: int, H: int, N: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``W0 = (W1, W2)`` of a hidden-layer network, shapes (H, N) and (N, H) or with a leading B,
    broadcast to (B, H, N) and (B, N, H); finite."""
    if not isinstance(W0, tuple | list) or len(W0) != 2:
        raise ValueError("with a hidden layer, W0 must be a pair (W1, W2)")
    out = []
    for name, arr, shape in (("W1", W0[0], (H, N)), ("W2", W0[1], (N, H))):
        a = np.asarray(arr, dtype=float)
        if a.shape not in (shape, (B, *shape)):
            raise ValueError(f"{name} must have shape {shape} or {(B, *shape)}, got {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must be finite")
        out.append(np.broadcast_to(a, (B, *shape)).copy())
    return out[0], out[1]


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
    hidden: int | None = None,
    hidden_activation: str | Activation = "linear",
) -> TrainResult:
    """Train ``len(seeds)`` networks ``y = φ(W x)`` on the training set X, all at once.

    X: (K, N) binary items shared by all networks, or (B, K, N), one training set per network.
    ``targets`` (same shape as X) defaults to X (auto-association). ``init`` names the
    initial weights (or pass ``W0``, shape (N, N) or (B, N, N); with a hidden layer the pair
    ``(W1, W2)`` of shapes (H, N) and (N, H), each optionally with a leading B). ``lr`` and ``steps`` are the
    optimiser's learning rate and number of steps. ``regularization`` maps penalty names
    (``l1``, ``l2``, ``rate``, ``level``) to strengths. ``stop_when_converged`` ends early once every
    network's gradient is below ``grad_tol`` (checked every ``check_every`` steps).
    ``batch_size`` (None: full batch) items per step, drawn by ``sampling`` (``iid`` with
    replacement, ``epoch`` reshuffled per epoch, ``cycle`` in fixed order) from each network's stream seeded by
    ``data_seed`` and its seed (see the module docstring). ``hidden`` H adds a hidden layer with
    activation ``hidden_activation``: ``y = φ(W₂ ψ(W₁ x))`` (``init`` must then be ``normal``).
    """
    Xn = _training_sets(X)
    K, N = Xn.shape[-2:]
    phi = get_activation(activation)
    seed_arr = _seeds(seeds)
    B = len(seed_arr)
    per_network = Xn.ndim == 3
    if per_network and Xn.shape[0] != B:
        raise ValueError(f"X holds {Xn.shape[0]} training sets but there are {B} networks (seeds)")
    validate_optimiser(optimizer, lr, momentum=momentum, betas=betas, eps=eps, allowed=OPTIMIZERS)
    if isinstance(steps, bool) or int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    steps = int(steps)
    if sampling not in SAMPLINGS:
        raise ValueError(f"unknown sampling {sampling!r}; choose one of {', '.join(SAMPLINGS)}")
    if batch_size is not None and (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int | np.integer)
        or not 1 <= batch_size <= K
    ):
        raise ValueError(
            f"batch_size must be None (full batch) or an integer in [1, K={K}], got {batch_size!r}"
        )
    if data_seed is not None and (
        isinstance(data_seed, bool) or not isinstance(data_seed, int | np.integer) or data_seed < 0
    ):
        raise ValueError(f"data_seed must be None or a non-negative integer, got {data_seed!r}")
    psi: Activation | None = None
    if hidden is not None:
        if isinstance(hidden, bool) or not isinstance(hidden, int | np.integer) or hidden < 1:
            raise ValueError(f"hidden must be None or a positive integer, got {hidden!r}")
        if W0 is None and init != "normal":
            raise ValueError(
                f"a hidden-layer network starts from init='normal' (N(0, sigma²) entries) or from "
                f"W0=(W1, W2), got init={init!r}; zeros would never learn"
            )
        psi = get_activation(hidden_activation)
    lam = _strengths(regularization, B)
    dev = resolve_device(device)
    dtype = check_dtype(dtype)

    T = Xn.astype(float) if targets is None else np.asarray(targets, dtype=float)
    if T.shape != Xn.shape or not np.all(np.isfinite(T)):
        raise ValueError(f"targets must be a finite array of shape {Xn.shape}, got shape {T.shape}")

    def tensor(a: NDArray) -> torch.Tensor:
        return torch.as_tensor(a, dtype=dtype, device=dev).clone()

    if psi is not None:
        H = int(hidden)  # type: ignore[arg-type]
        if W0 is None:
            W1_init, W2_init = hidden_weights(seed_arr, H, N, sigma)
        else:
            W1_init, W2_init = _given_hidden_weights(W0, B, H, N)
            init = "given"
        params = [tensor(W1_init), tensor(W2_init)]
    elif W0 is None:
        params = [tensor(initial_weights(init, N, seed_arr, sigma))]
    else:
        W_init = np.broadcast_to(np.asarray(W0, dtype=float), (B, N, N)).copy()
        if not np.all(np.isfinite(W_init)):
            raise ValueError("W0 must be finite")
        init = "given"
        params = [tensor(W_init)]

    tX = torch.as_tensor(Xn, dtype=dtype, device=dev)  # (K, N) or (B, K, N)
    tT = torch.as_tensor(T, dtype=dtype, device=dev)  # like tX
    opt = Optimiser(params, optimizer, lr=lr, momentum=momentum, betas=betas, eps=eps)
    minibatch = batch_size is not None and not (sampling in ("epoch", "cycle") and batch_size == K)
    model = AutoAssociator(
        params,
        tX,
        tT,
        phi,
        psi,
        lam,
        level_target,
        BatchIndices(K, int(batch_size), sampling, seed_arr, data_seed).stepper(steps, dev)  # type: ignore[arg-type]
        if minibatch
        else None,
    )

    record_every = record_every or max(1, steps // 500)
    hist_steps: list[int] = []
    hist: list[torch.Tensor] = []
    defer = B * N * K <= HISTORY_KEEP

    def observe(step: int, E: torch.Tensor | None) -> None:
        if step % record_every == 0:
            if E is None:
                _, E = model.full_gradient()
            hist_steps.append(step)
            # a small run keeps the errors and reduces them after the run, all at once
            hist.append(E if defer else E.view(B, N, -1).pow(2).mean(dim=(1, 2)))

    def converged_all(steps_run: int) -> bool:
        if steps_run % check_every:
            return False
        Gc, _ = model.full_gradient()
        return bool(all((g.abs().amax(dim=(1, 2)) <= grad_tol).all() for g in Gc))

    work = B * N * K * (N if psi is None else 2 * H)
    with thread_policy(work, dev):
        steps_run = fit(
            model,
            opt,
            steps,
            observe=observe,
            stop=converged_all if stop_when_converged else None,
        )
        with torch.no_grad():
            G, E = model.full_gradient()
            final = E.view(B, N, -1).pow(2).mean(dim=(1, 2))
    hist_steps.append(steps_run)
    if defer and hist:
        # every record has the same shape (the same gradient path made it)
        hist = list(torch.stack(hist).view(len(hist), B, N, -1).pow(2).mean(dim=(2, 3)))
    history = torch.stack([*hist, final])

    outs = [p.cpu().numpy().copy() for p in params]
    final_loss = final.cpu().numpy()
    grad_max = np.max([g.abs().amax(dim=(1, 2)).cpu().numpy() for g in G], axis=0)
    diverged = flag_diverged(
        outs,
        [final_loss, grad_max],
        lr=lr,
        penalties=lam,
        optimizer=optimizer,
        eps=eps,
    )
    for o in outs:
        o[diverged] = np.nan
    final_loss[diverged] = np.nan
    grad_max[diverged] = np.nan
    with np.errstate(invalid="ignore"):
        # A gradient of exactly zero with loss left over is a dead network (e.g. ReLU units that
        # never fire from a zero start), not a converged fit.
        dead = ~diverged & (grad_max == 0.0) & (final_loss > 0.0)
        converged = ~diverged & (grad_max <= grad_tol) & ~dead
    W_out = outs[0] if psi is None else np.einsum("bih,bhj->bij", outs[1], outs[0])
    design = pd.DataFrame(
        {
            "activation": _label(phi),
            "hidden": 0 if psi is None else H,
            "hidden_activation": "" if psi is None else _label(psi),
            "init": init,
            "optimizer": optimizer,
            "lr": lr,
            **{k: v for k, v in lam.items()},  # penalty strengths, one column per penalty
            "batch_size": K if batch_size is None else int(batch_size),
            "sampling": "full" if batch_size is None else sampling,
            "seed": seed_arr,
        }
    )
    return TrainResult(
        W=W_out,
        loss_history=history.cpu().numpy(),
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
            "hidden": hidden,
            "hidden_activation": None if psi is None else psi.label,
        },
        W1=None if psi is None else outs[0],
        W2=None if psi is None else outs[1],
        hidden_activation=psi,
        design=design,
    )
