"""The one training engine: the loop, the optimisers, seeding, threads, divergence — for every model.

Every network of the book trains through :func:`fit`: the auto-associators ``y = φ(W x)`` and
``y = φ(W₂ ψ(W₁ x))`` (:mod:`itemsrel.training`), chapter 7's hidden-layer classifier
(:mod:`itemsrel.hidden`) and chapter 8's group-word network (:mod:`itemsrel.grokking`). A model
declares its parameters (torch tensors with a leading network dimension B), their initialisation
per seed and its gradient; the engine owns the rest:

* **models** (:class:`Model`, the protocol): a model holds its parameters ``params`` (tensors of
  shape (B, …), initialised per seed by the model's module), declares its per-network
  objective ``loss(params, step)`` (B,) and may override ``gradient(step)`` with a closed form;
  the default gradient is autograd of ``loss``. The book's models: :mod:`itemsrel.auto_associator`,
  :mod:`itemsrel.hidden.model`, :mod:`itemsrel.grokking.model`;
* **the loop** (:func:`fit`): per step ``model.gradient(step)`` → ``observe(step, aux)``
  (history) → decoupled weight decay → optimiser update → ``stop(steps_run)``; a ``tqdm.auto``
  bar on request;
* **optimisers** (:class:`Optimiser`): SGD with momentum, Adam and AdamW: the tensor operations
  of torch's single-tensor kernels (``torch.optim.sgd``, ``torch.optim.adam``: the update rules
  of ``torch.optim.SGD/Adam/AdamW``, bit for bit) without the classes' per-step bookkeeping or
  the kernels' argument handling; the fused Adam kernel on request; their settings validated as
  ``torch.optim`` validates them; AdamW's decay may differ per network;
* **gradients**: a model may give a closed-form gradient (the fast paths, pinned by tests against
  autograd); :func:`autograd_gradient` is the default for a new model (``torch.func``-style: the
  per-network losses are independent, so the gradient of their sum is every network's own);
* **mini-batches** (:class:`BatchIndices`): i.i.d. with replacement or per-epoch reshuffles;
* **seeding**: every random draw of network b comes from a ``numpy.random.SeedSequence`` of its
  own, one stream per purpose, so a network trained in a batch equals the network trained alone.
  The streams (entropy → purpose):

  =====================  ========================================================
  ``seed``               auto-associator initial weights (``default_rng(seed)``)
  ``[data_seed, seed]``  auto-associator mini-batches (:func:`data_streams`)
  ``[seed, 1]``          classifier training noise; word-network initial weights
  ``[seed, 2]``          classifier initial weights
  ``[seed, 3]``          classifier random readout
  ``[seed, 4]``          classifier held-out samples
  ``[seed, 0]``          word-network training split
  =====================  ========================================================

* **threads** (:func:`thread_policy`, the one policy): small problems (fewer than
  :data:`PARALLEL_WORK` multiply-adds per step's largest product) run on one CPU thread, because
  their tensor operations gain nothing from threads and a busy machine can stall the threads'
  synchronisation for milliseconds; larger ones keep torch's setting; an explicit ``threads``
  wins. The caller's setting is restored afterwards;
* **divergence** (:func:`flag_diverged`): a network whose loss or parameters are non-finite, or
  whose parameters blew up (|θ| ≥ :data:`BLOWUP`), is flagged, its results become NaN, and a warning
  names how many and the likely cause (learning rate, penalty strength, Adam's ε);
* **device and dtype** (:func:`resolve_device`, :func:`check_dtype`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray
from torch.optim.adam import adam as adam_kernel

__all__ = [
    "BLOWUP",
    "OPTIMIZERS",
    "PARALLEL_WORK",
    "SAMPLINGS",
    "BatchIndices",
    "Model",
    "Optimiser",
    "Stepper",
    "autograd_gradient",
    "check_dtype",
    "data_streams",
    "default_device",
    "fit",
    "flag_diverged",
    "resolve_device",
    "thread_policy",
    "validate_optimiser",
]

#: Multiply-adds per step's largest matrix product below which training uses one CPU thread.
PARALLEL_WORK = 250_000
#: Optimisers of :class:`Optimiser` (``adamw`` is Adam with decoupled weight decay).
OPTIMIZERS = ("sgd", "adam", "adamw")
#: Mini-batch samplings of :class:`BatchIndices`.
SAMPLINGS = ("iid", "epoch", "cycle")
#: |parameter| at or above which a still-finite run counts as diverged.
BLOWUP = 1e100
#: Steps of mini-batch indices drawn at once per network.
INDEX_CHUNK = 256

Gradient = Callable[[int], tuple[Sequence[torch.Tensor], Any]]


# --- device, dtype, threads ---------------------------------------------------------------------


def default_device() -> torch.device:
    """``cuda`` when a GPU is present, else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def resolve_device(device: str | torch.device | None) -> torch.device:
    """``device`` as a ``torch.device`` (None: :func:`default_device`)."""
    return torch.device(device) if device is not None else default_device()


def check_dtype(dtype: Any) -> torch.dtype:
    """A real floating torch dtype, else ``TypeError`` (complex weights are rejected)."""
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point or dtype.is_complex:
        raise TypeError(
            f"dtype must be a real floating torch dtype (torch.float64, torch.float32, …), got {dtype!r}"
        )
    return dtype


@contextmanager
def thread_policy(work: int, device: torch.device, threads: int | None = None) -> Iterator[None]:
    """The one thread policy (see the module docstring); restores the caller's setting."""
    before = torch.get_num_threads()
    if device.type != "cpu":
        yield
        return
    if threads is None:
        if work >= PARALLEL_WORK or before == 1:
            yield
            return
        threads = 1
    if isinstance(threads, bool) or int(threads) != threads or threads < 1:
        raise ValueError(f"threads must be None or a positive integer, got {threads!r}")
    torch.set_num_threads(int(threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)


# --- seeding and mini-batches -------------------------------------------------------------------


def data_streams(seeds: Sequence[int], data_seed: int | None = None) -> list[np.random.Generator]:
    """One generator per network for mini-batch draws: ``SeedSequence([data_seed, seed])``.

    ``data_seed=None`` means 0. Independent of the initial-weight stream and of the other networks.
    """
    ds = 0 if data_seed is None else int(data_seed)
    return [np.random.default_rng(np.random.SeedSequence([ds, int(s)])) for s in seeds]


class BatchIndices:
    """Sorted mini-batch indices into K items, shape (steps, B, batch_size), drawn in chunks.

    ``iid``: each step's items independently with replacement; ``epoch``: consecutive slices of
    the concatenation of per-epoch permutations (an epoch boundary may fall inside a batch when
    ``batch_size`` does not divide K); ``cycle``: the items in their fixed order 0, 1, …, K−1, 0, …
    (no random draw; one item per step is the paper's item-by-item training). Each network draws
    from its own :func:`data_streams` generator. Indices are sorted within a batch, so a batch's gradient depends only on which
    items it holds (not on the order of the draws).
    """

    def __init__(
        self, K: int, batch_size: int, sampling: str, seeds: Sequence[int], data_seed: int | None
    ) -> None:
        if sampling not in SAMPLINGS:
            raise ValueError(f"unknown sampling {sampling!r}; choose one of {', '.join(SAMPLINGS)}")
        self.K, self.b, self.sampling = K, batch_size, sampling
        self.rngs = data_streams(seeds, data_seed)
        self.left = [np.empty(0, dtype=np.int64) for _ in self.rngs]  # unused epoch indices
        self.pos = 0  # position in the fixed order (cycle)

    def chunk(self, n_steps: int) -> NDArray[np.int64]:
        out = np.empty((n_steps, len(self.rngs), self.b), dtype=np.int64)
        need = n_steps * self.b
        if self.sampling == "cycle":
            order = (self.pos + np.arange(need)) % self.K
            self.pos = (self.pos + need) % self.K
            out[:] = order.reshape(n_steps, 1, self.b)
            out.sort(axis=-1)
            return out
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

    def stepper(self, steps: int, device: torch.device) -> Stepper:
        """``indices(step)`` → (B, batch_size) tensor; steps must be asked for in order."""
        return Stepper(self, steps, device)


class Stepper:
    """A run's mini-batch indices step by step: ``stepper(step)`` → (B, batch_size) tensor.

    Steps must be asked for in order. The indices are drawn :data:`INDEX_CHUNK` steps at a time
    (:meth:`BatchIndices.chunk`); :meth:`chunk_at` hands out the whole chunk, for a model that
    gathers a chunk's items at once.
    """

    def __init__(self, batches: BatchIndices, steps: int, device: torch.device) -> None:
        self.batches, self.steps, self.device = batches, int(steps), device
        self.chunk: torch.Tensor | None = None

    def chunk_at(self, step: int) -> tuple[torch.Tensor, int]:
        """``(chunk, j)``: the chunk (n, B, batch_size) holding step ``step`` as its row j."""
        j = step % INDEX_CHUNK
        if j == 0 or self.chunk is None:
            n = min(INDEX_CHUNK, self.steps - step + j)
            self.chunk = torch.as_tensor(self.batches.chunk(n), device=self.device)
        return self.chunk, j

    def __call__(self, step: int) -> torch.Tensor:
        chunk, j = self.chunk_at(step)
        return chunk[j]


# --- optimisers ---------------------------------------------------------------------------------


def validate_optimiser(
    optimizer: str,
    lr: float,
    *,
    momentum: float = 0.0,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    allowed: Sequence[str] = OPTIMIZERS,
) -> None:
    """Check an optimiser's settings as ``torch.optim`` does (ValueError naming the argument)."""
    if optimizer not in allowed:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(allowed)}")
    if isinstance(lr, bool) or not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be a positive number, got {lr}")
    if not (np.isfinite(momentum) and 0 <= momentum < 1):
        raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
    try:
        b1, b2 = (float(b) for b in betas)
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair of numbers in [0, 1), got {betas!r}") from None
    if not (0.0 <= b1 < 1.0):
        raise ValueError(
            f"Invalid beta parameter at index 0: betas[0] must lie in [0, 1), got {b1}"
        )
    if not (0.0 <= b2 < 1.0):
        raise ValueError(
            f"Invalid beta parameter at index 1: betas[1] must lie in [0, 1), got {b2}"
        )
    if isinstance(eps, bool) or not (np.isfinite(eps) and eps >= 0):
        raise ValueError(f"eps must be a finite number >= 0, got {eps}")


class Optimiser:
    """In-place SGD (momentum), Adam or AdamW updates of ``params`` (tensors of shape (B, …)).

    ``weight_decay`` (None, a scalar or one value per network): decoupled decay
    ``θ ← θ (1 − lr λ_b)`` before the update, what ``torch.optim.AdamW`` does (and SGD's decoupled
    variant). ``fused`` uses torch's fused Adam kernel (CPU and CUDA), as ``AdamW(fused=True)``.
    """

    def __init__(
        self,
        params: Sequence[torch.Tensor],
        optimizer: str = "sgd",
        *,
        lr: float,
        momentum: float = 0.0,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: ArrayLike | None = None,
        fused: bool = False,
    ) -> None:
        validate_optimiser(optimizer, lr, momentum=momentum, betas=betas, eps=eps)
        self.params = list(params)
        self.kind, self.lr, self.momentum = optimizer, float(lr), float(momentum)
        self.betas, self.eps, self.fused = (float(betas[0]), float(betas[1])), float(eps), fused
        self.keep: list[torch.Tensor] | None = None
        if weight_decay is not None:
            B = int(self.params[0].shape[0])
            wd = np.broadcast_to(np.asarray(weight_decay, dtype=float), (B,))
            if not np.all(np.isfinite(wd)) or np.any(wd < 0) or np.any(self.lr * wd >= 1):
                raise ValueError(
                    f"weight decay must be finite, >= 0 and lr × weight decay < 1, got {weight_decay!r}"
                )
            if np.any(wd > 0):
                keep = torch.as_tensor(
                    1.0 - self.lr * wd, dtype=self.params[0].dtype, device=self.params[0].device
                )
                self.keep = [keep.view(B, *([1] * (p.dim() - 1))) for p in self.params]
        self.t = 0  # updates made
        if optimizer == "sgd":
            self.buffers: list[torch.Tensor | None] = [None] * len(self.params)
        else:
            self.exp_avg = [torch.zeros_like(p) for p in self.params]
            self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]
            # step counters where torch.optim.Adam keeps them: on the CPU, or on the device (float32)
            # for the fused kernel
            self.step_count = [
                torch.zeros((), dtype=torch.float32, device=p.device)
                if fused
                else torch.tensor(0.0)
                for p in self.params
            ]

    def step(self, grads: Sequence[torch.Tensor]) -> None:
        """One update with the gradients ``grads`` (one per parameter).

        SGD and (unfused) Adam run the operations of torch's single-tensor kernels
        (``torch.optim.sgd._single_tensor_sgd``, ``torch.optim.adam._single_tensor_adam``) in
        the same order, so the numbers are theirs bit for bit (a test pins both against
        ``torch.optim``), without the kernels' per-call argument handling (most of a small
        network's step).
        """
        if self.keep is not None:
            for p, k in zip(self.params, self.keep, strict=True):
                p.mul_(k)
        self.t += 1
        lr = self.lr
        if self.kind == "sgd":
            if self.momentum == 0.0:
                for p, g in zip(self.params, grads, strict=True):
                    p.add_(g, alpha=-lr)
                return
            momentum, bufs = self.momentum, self.buffers
            for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
                buf = bufs[i]
                if buf is None:
                    buf = bufs[i] = g.detach().clone()
                else:
                    buf.mul_(momentum).add_(g)  # alpha 1 − dampening = 1: the same sum
                p.add_(buf, alpha=-lr)
            return
        if self.fused:
            adam_kernel(
                self.params,
                grads if isinstance(grads, list) else list(grads),
                self.exp_avg,
                self.exp_avg_sq,
                [],
                self.step_count,
                foreach=False,
                fused=True,
                amsgrad=False,
                beta1=self.betas[0],
                beta2=self.betas[1],
                lr=lr,
                weight_decay=0.0,
                eps=self.eps,
                maximize=False,
            )
            return
        beta1, beta2 = self.betas
        step = float(self.t)  # what the kernel reads from its float32 step counter
        step_size = lr / (1 - beta1**step)
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        eps = self.eps
        for p, g, m, v in zip(self.params, grads, self.exp_avg, self.exp_avg_sq, strict=True):
            m.lerp_(g, 1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            d = v.sqrt().div_(bias_correction2_sqrt).add_(eps)
            p.addcdiv_(m, d, value=-step_size)


# --- gradients ----------------------------------------------------------------------------------


def autograd_gradient(
    loss: Callable[[Sequence[torch.Tensor]], torch.Tensor], params: Sequence[torch.Tensor]
) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Gradient of per-network losses ``loss(params)`` (B,) by autograd: ``(grads, losses)``.

    The networks' losses are independent, so the gradient of their sum is each network's own
    gradient, for all networks at once (the default for a model without a closed form).
    """
    with torch.enable_grad():
        leaves = [p.detach().requires_grad_(True) for p in params]
        value = loss(leaves)
        grads = torch.autograd.grad(value.sum(), leaves)
    return [g.detach() for g in grads], value.detach()


# --- the model protocol -------------------------------------------------------------------------


class Model:
    """What the engine trains: B networks' parameters and their objective.

    Subclasses set ``params`` (tensors of shape (B, …), updated in place by the optimiser) and
    define ``loss(params, step)``, the per-network objective (B,) of step ``step``'s data at the
    parameters ``params``. ``gradient(step)`` returns ``(grads, aux)`` at the current parameters
    (``aux`` is handed to the loop's ``observe``); by default it is autograd of ``loss``
    (:func:`autograd_gradient`, ``aux`` the losses). A model with a closed form overrides it
    (the fast path; a test pins it against autograd of ``loss``).
    """

    params: list[torch.Tensor]

    def loss(self, params: Sequence[torch.Tensor], step: int) -> torch.Tensor:
        """Per-network objective (B,) of step ``step`` at ``params``."""
        raise NotImplementedError(f"{type(self).__name__} declares no loss")

    def gradient(self, step: int) -> tuple[list[torch.Tensor], Any]:
        """``(grads, aux)`` at the current parameters: autograd of :meth:`loss` by default."""
        return autograd_gradient(lambda ps: self.loss(ps, step), self.params)


# --- the loop -----------------------------------------------------------------------------------


def fit(
    model: Model | Gradient,
    optimiser: Optimiser,
    steps: int,
    *,
    observe: Callable[[int, Any], None] | None = None,
    stop: Callable[[int], bool] | None = None,
    progress: bool = False,
    desc: str = "training",
) -> int:
    """THE training loop; returns the number of updates made.

    ``model`` is a :class:`Model` (its ``gradient``) or a bare ``gradient(step)`` callable.
    Each step: ``grads, aux = gradient(step)``; ``observe(step, aux)`` (record the state before
    the update); ``optimiser.step(grads)`` (weight decay, then the update); ``stop(steps_run)``
    ends the run early when it returns True. Runs without autograd taping; ``progress`` shows a
    ``tqdm.auto`` bar.
    """
    gradient = model.gradient if isinstance(model, Model) else model
    iterator: Any = range(int(steps))
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc=desc, leave=False)
    steps_run = 0
    with torch.no_grad():
        for step in iterator:
            grads, aux = gradient(step)
            if observe is not None:
                observe(step, aux)
            optimiser.step(grads)
            steps_run = step + 1
            if stop is not None and stop(steps_run):
                break
    return steps_run


# --- divergence ---------------------------------------------------------------------------------


def flag_diverged(
    params: Sequence[NDArray[np.floating]],
    losses: Sequence[NDArray[np.floating]] = (),
    *,
    lr: float,
    penalties: Mapping[str, ArrayLike] | None = None,
    optimizer: str = "sgd",
    eps: float | None = None,
    what: str = "networks",
    stacklevel: int = 3,
) -> NDArray[np.bool_]:
    """Networks (B,) whose parameters (B, …) or losses (B,) / (R, B) are non-finite or blew up.

    Warns with the count and the likely cause: a penalty strength above 1, Adam's ``eps`` below
    1e-12 (a near-zero denominator), else the learning rate. Callers set the flagged results to NaN.
    """
    B = int(np.asarray(params[0]).shape[0])
    bad = np.zeros(B, dtype=bool)
    blown = np.zeros(B, dtype=bool)
    for p in params:
        a = np.asarray(p).reshape(B, -1)
        finite = np.isfinite(a).all(axis=1)
        bad |= ~finite
        with np.errstate(invalid="ignore"):
            blown |= finite & (np.abs(a).max(axis=1, initial=0.0) >= BLOWUP)
    for loss in losses:
        a = np.asarray(loss)
        a = a.reshape(-1, B) if a.ndim > 1 else a.reshape(1, B)
        bad |= ~np.isfinite(a).all(axis=0)
    diverged = bad | blown
    if diverged.any():
        strong = {
            k: float(np.max(v)) for k, v in (penalties or {}).items() if np.max(np.asarray(v)) > 1
        }
        if strong:
            cause = f"the penalty strength ({strong}) is probably too large"
        elif optimizer in ("adam", "adamw") and eps is not None and eps < 1e-12:
            cause = f"eps={eps} is probably too small (Adam divides by √v + eps)"
        else:
            cause = f"lr={lr} is probably too large"
        kind = []
        if bad.any():
            kind.append("non-finite loss or weights")
        if blown.any():
            kind.append(f"|weights| ≥ {BLOWUP:g}")
        warnings.warn(
            f"{int(diverged.sum())} of {B} {what} diverged ({' or '.join(kind)}; {cause}); "
            "their results are returned as NaN",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
    return diverged
