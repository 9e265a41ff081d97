"""Group-word networks with an embedding bottleneck, and irrep shares against irrep sizes.

Chapter 8's network (:mod:`itemsrel.grokking`) feeds the one-hot codes of x and y straight into
a hidden layer of width w. The *bottleneck* variant first embeds each element in d dimensions
and then projects to the hidden layer (the embed-then-MLP design of Chughtai et al. 2023):

    pre    = (A[x] + A[n + y]) · P     A (2n, d): rows 0…n-1 embed x, rows n…2n-1 embed y
    h      = φ(pre)                    P (d, w): the projection, shared by x and y
    logits = h · U                     U (w, n)

Its effective first layer ``E = A P`` (2n, w) is the wide network's embedding, restricted to
rank ≤ d: the x-embedding of every hidden neuron lies in the d-dimensional column space of
``A[:n]``. A real function on G splits into isotypic components whose dimensions add up to
|G|; with ``d < |G| − 1`` the embedding cannot hold every non-trivial component in full, so
the network must choose what to keep, and how the irreps share the embedding's power becomes a
property of the solution rather than of the random start (:func:`irrep_sizes`,
:func:`size_comparison`).

Training is the word network's: full-batch AdamW (decoupled weight decay λ per task, through the
engine's :class:`~itemsrel.engine.Optimiser` and :func:`~itemsrel.engine.fit`), the mean
cross-entropy over the training pairs ``train_split(order, fraction, seed)``, gradients by
a closed form
(:func:`bottleneck_gradient`, checked against autograd in the unit tests). Initial weights are ``torch.nn.Linear``'s
uniform ±1/√fan-in (fan-in 2n for A, d for P, w for U) times ``init_scale``, drawn from
``default_rng([seed, 1])``. The result is a :class:`~itemsrel.grokking.GrokResult` whose
``emb`` is the effective ``A P``, so every analysis of :mod:`itemsrel.grokking` applies
unchanged; the factors A and P are kept as well.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray

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
from .grokking import HIDDEN_ACTIVATIONS, GrokResult, WordTask, train_split
from .groups import Group, word_table
from .irreps import isotypic_projectors, real_irreps

__all__ = [
    "BottleneckResult",
    "SizeComparison",
    "bottleneck_gradient",
    "bottleneck_weights",
    "irrep_sizes",
    "size_comparison",
    "train_bottleneck",
]


@dataclass
class BottleneckResult(GrokResult):
    """A :class:`~itemsrel.grokking.GrokResult` (``emb`` = the effective ``A P``, (M, 2n, w))
    with the factors kept: ``emb_low`` A (M, 2n, d) and ``proj`` P (M, d, w)."""

    emb_low: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0, 0)))
    proj: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0, 0)))


def bottleneck_weights(
    task: WordTask, dim: int, width: int, init_scale: float = 1.0
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Initial ``(A (2n, d), P (d, w), U (w, n))`` of one task: uniform ±init_scale/√fan-in,
    drawn from ``default_rng([seed, 1])`` in that order."""
    n = task.group.order
    rng = np.random.default_rng([int(task.seed), 1])
    k_a = init_scale / math.sqrt(2 * n)
    k_p = init_scale / math.sqrt(dim)
    k_u = init_scale / math.sqrt(width)
    A = rng.uniform(-k_a, k_a, (2 * n, dim))
    P = rng.uniform(-k_p, k_p, (dim, width))
    U = rng.uniform(-k_u, k_u, (width, n))
    return A, P, U


def _check(
    tasks: Sequence[WordTask], dim: int, width: int, steps: int, eval_every: int, activation: str
) -> None:
    if not tasks:
        raise ValueError("need at least one task")
    if len({t.group.order for t in tasks}) != 1:
        raise ValueError("all tasks of one batch need the same group order")
    for name, v in (("dim", dim), ("width", width), ("steps", steps), ("eval_every", eval_every)):
        if isinstance(v, bool) or int(v) != v or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if activation not in HIDDEN_ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(HIDDEN_ACTIVATIONS)}"
        )


def bottleneck_gradient(
    params: Sequence[torch.Tensor],
    rows: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor,
    activation: str = "relu",
) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Closed-form gradient of the weighted cross-entropy of M bottleneck networks.

    ``params`` = (A (M, 2n, d), P (M, d, w), U (M, w, n)); ``rows`` (M, K, 2): the rows of A
    (x, n + y) of each network's K pairs; ``target`` (M, K) the right answers; ``weight`` (M, K)
    each pair's weight in the loss (1/|training set| for the pairs, 0 for padding). Returns
    ``([∂L/∂A, ∂L/∂P, ∂L/∂U], L)`` with L (M,) = Σ_k weight_k · (−log softmax(logits_k)[target_k]).
    """
    A, P, U = params
    M, n2_, d = A.shape
    n = U.shape[2]
    K = rows.shape[1]
    offset = (torch.arange(M, device=A.device) * n2_).view(M, 1)
    ix, iy = (rows[..., 0] + offset).reshape(-1), (rows[..., 1] + offset).reshape(-1)
    flat = A.reshape(M * n2_, d)
    low = (flat[ix] + flat[iy]).view(M, K, d)
    h, dphi = get_activation(activation).torch_value_and_grad(torch.bmm(low, P))
    logits = torch.bmm(h, U)  # (M, K, n)
    logp = torch.log_softmax(logits, dim=-1)
    loss = -(logp.gather(-1, target.unsqueeze(-1)).squeeze(-1) * weight).sum(dim=1)
    G = (logp.exp() - torch.nn.functional.one_hot(target, n).to(A.dtype)) * weight.unsqueeze(-1)
    gU = torch.bmm(h.transpose(1, 2), G)
    dpre = torch.bmm(G, U.transpose(1, 2)) * dphi  # (M, K, w)
    gP = torch.bmm(low.transpose(1, 2), dpre)
    dlow = torch.bmm(dpre, P.transpose(1, 2)).reshape(M * K, d)
    gA = torch.zeros_like(flat).index_add_(0, ix, dlow).index_add_(0, iy, dlow)
    return [gA.view(M, n2_, d), gP, gU], loss


def train_bottleneck(
    tasks: Sequence[WordTask],
    *,
    dim: int,
    width: int = 128,
    activation: str = "relu",
    lr: float = 2e-2,
    steps: int = 1500,
    eval_every: int = 10,
    betas: tuple[float, float] = (0.9, 0.98),
    eps: float = 1e-8,
    init_scale: float = 1.0,
    device: str | torch.device | None = "cpu",
    dtype: torch.dtype = torch.float64,
    threads: int | None = 1,
) -> BottleneckResult:
    """Train one bottleneck network (embedding width ``dim``) per task, all as one program.

    Settings as :func:`itemsrel.grokking.train_words` (full batch, AdamW, each task's own weight
    decay, split and seed; the gradient in closed form, :func:`bottleneck_gradient`); accuracy
    and loss on the training and test pairs every ``eval_every`` steps. A task's numbers do not
    depend on the other tasks of the batch.
    """
    tasks = tuple(tasks)
    _check(tasks, dim, width, steps, eval_every, activation)
    validate_optimiser("adamw", lr, betas=betas, eps=eps)
    if not (np.isfinite(init_scale) and init_scale > 0):
        raise ValueError(f"init_scale must be a positive number, got {init_scale!r}")
    dev, dtype = resolve_device(device), check_dtype(dtype)
    M, n = len(tasks), tasks[0].group.order
    n2 = n * n
    masks = np.stack([train_split(n, t.fraction, t.seed) for t in tasks])  # (M, n, n)
    tables = np.stack([word_table(t.group, t.word) for t in tasks]).reshape(M, n2)
    K = int(masks.reshape(M, -1).sum(axis=1).max())
    rows = np.zeros((M, K, 2), dtype=np.int64)
    rows[..., 1] = n  # padding: the pair (0, 0) with weight 0
    zi = np.zeros((M, K), dtype=np.int64)
    wt = np.zeros((M, K))
    for m in range(M):
        pairs = np.flatnonzero(masks[m].reshape(-1))
        rows[m, : len(pairs), 0] = pairs // n
        rows[m, : len(pairs), 1] = n + pairs % n
        zi[m, : len(pairs)] = tables[m, pairs]
        wt[m, : len(pairs)] = 1.0 / len(pairs)
    every = np.stack([np.repeat(np.arange(n), n), n + np.tile(np.arange(n), n)], axis=-1)
    init = [bottleneck_weights(t, dim, width, init_scale) for t in tasks]

    def T(a: ArrayLike, dt: torch.dtype = dtype) -> torch.Tensor:
        return torch.as_tensor(np.asarray(a), dtype=dt, device=dev)

    with torch.no_grad(), thread_policy(M * K * width * max(n, dim), dev, threads):
        params = [T(np.stack([w[k] for w in init])).clone() for k in range(3)]
        train_rows, target, weight = T(rows, torch.long), T(zi, torch.long), T(wt)
        ex, ey = T(every[:, 0], torch.long), T(every[:, 1], torch.long)
        tab = T(tables, torch.long)
        tmask = T(masks.reshape(M, n2), torch.bool)
        n_train = tmask.sum(dim=1).to(dtype)
        n_test = (~tmask).sum(dim=1).to(dtype)
        opt = Optimiser(
            params,
            "adamw",
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=[t.weight_decay for t in tasks],
            fused=dev.type in ("cpu", "cuda"),
        )
        records: list[tuple[int, list[torch.Tensor]]] = []
        phi = get_activation(activation).torch

        def evaluate(step: int) -> None:
            A, P, U = params
            low = A[:, ex] + A[:, ey]  # (M, n², d): every pair
            logits = torch.bmm(phi(torch.bmm(low, P)), U)
            nll = -torch.log_softmax(logits, dim=-1).gather(-1, tab.unsqueeze(-1)).squeeze(-1)
            correct = (logits.argmax(dim=-1) == tab).to(dtype)
            records.append(
                (
                    step,
                    [
                        (correct * tmask).sum(1) / n_train,
                        (correct * ~tmask).sum(1) / n_test,
                        (nll * tmask).sum(1) / n_train,
                        (nll * ~tmask).sum(1) / n_test,
                        torch.sqrt(sum(p.pow(2).sum((1, 2)) for p in params)),
                    ],
                )
            )

        def gradient(step: int) -> tuple[list[torch.Tensor], None]:
            grads, _ = bottleneck_gradient(params, train_rows, target, weight, activation)
            return grads, None

        def observe(step: int, _: None) -> None:
            if step % eval_every == 0:
                evaluate(step)

        t0 = time.perf_counter()
        fit(gradient, opt, steps, observe=observe)
        seconds = time.perf_counter() - t0
        evaluate(steps)
        A_out, P_out, U_out = (p.cpu().numpy().astype(np.float64) for p in params)

    eval_steps = np.array([s for s, _ in records], dtype=np.int64)
    stacked = [torch.stack([r[k] for _, r in records]).cpu().numpy() for k in range(5)]
    diverged = flag_diverged([A_out, P_out, U_out], [stacked[2]], lr=lr, optimizer="adamw", eps=eps)
    for arr in (A_out, P_out, U_out):
        arr[diverged] = np.nan
    for arr in stacked:
        arr[:, diverged] = np.nan
    return BottleneckResult(
        tasks=tasks,
        eval_steps=eval_steps,
        train_acc=stacked[0],
        test_acc=stacked[1],
        train_loss=stacked[2],
        test_loss=stacked[3],
        weight_norm=stacked[4],
        emb=A_out @ P_out,
        readout=U_out,
        train_masks=masks,
        diverged=diverged,
        config={
            "dim": int(dim),
            "width": int(width),
            "activation": activation,
            "lr": lr,
            "steps": int(steps),
            "eval_every": int(eval_every),
            "betas": tuple(betas),
            "eps": eps,
            "init_scale": init_scale,
            "dtype": str(dtype).replace("torch.", ""),
            "device": str(dev),
        },
        seconds=seconds,
        emb_low=A_out,
        proj=P_out,
    )


# --- irrep shares against irrep sizes ------------------------------------------------------------


def irrep_sizes(group: Group) -> NDArray[np.float64]:
    """Share of each real irrep's isotypic component in the functions on G, shape (K,).

    ``tr(P_ρ) / |G|`` in the order of :func:`~itemsrel.irreps.real_irreps`: ``d_ρ² / |G|`` for an
    irrep of real type, ``2 d_ρ² / |G|`` for a conjugate pair joined into one real irrep (the
    frequencies of a cyclic group). Sums to 1; a random vector's power splits in these shares
    on average.
    """
    P = isotypic_projectors(group)
    return np.einsum("kii->k", P) / group.order


@dataclass(frozen=True)
class SizeComparison:
    """Non-trivial irrep shares ``share`` against the sizes ``size`` (both (K−1,), each summing to
    1, in the order of ``names``): ``ratio`` = share / size per irrep, ``tv`` the total variation
    distance ½ Σ |share − size| (0: exactly in proportion; 1: disjoint)."""

    names: list[str]
    share: NDArray[np.float64]
    size: NDArray[np.float64]
    ratio: NDArray[np.float64]
    tv: float

    def within(self, factor: float) -> bool:
        """Whether every irrep's share lies within ``factor`` of its size (1/f ≤ ratio ≤ f)."""
        return bool(np.all((self.ratio >= 1 / factor) & (self.ratio <= factor)))


def size_comparison(group: Group, share: ArrayLike) -> SizeComparison:
    """Compare the power shares of all K real irreps (shape (K,), as from
    :meth:`~itemsrel.grokking.NeuronIrreps.share`; the trivial entry is ignored) with the sizes
    of the non-trivial isotypic components, both renormalised over the non-trivial irreps."""
    reps = real_irreps(group)
    s = np.asarray(share, dtype=float)
    if s.shape != (len(reps),) or not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError(f"share must hold {len(reps)} finite non-negative numbers, got {share!r}")
    keep = np.array([not r.is_trivial for r in reps])
    s = s[keep]
    if s.sum() <= 0:
        raise ValueError("the shares have no non-trivial power")
    s = s / s.sum()
    q = irrep_sizes(group)[keep]
    q = q / q.sum()
    return SizeComparison(
        [r.name for r, k in zip(reps, keep, strict=True) if k],
        s,
        q,
        s / q,
        float(0.5 * np.abs(s - q).sum()),
    )
