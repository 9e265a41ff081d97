"""The hidden-layer classifier ``x ↦ σ(aᵀ φ(W x) / √H)`` as an engine model.

The networks of Alleman, Lindsey & Fusi (2024): input x ∈ R^N, H hidden units with activation φ
and input weights W (H×N, no bias), one sigmoid output with readout weights a (H,), and the
cross-entropy loss on binary targets. B networks are one :class:`HiddenClassifier` (W (B, H, N),
a (B, H)); networks may differ in activation. Closed-form gradient (u = aᵀh/√H, p = sigmoid(u),
L = mean BCE over the step's S samples):

    ∂L/∂W_j = (1/S) Σ_s (p_s − y_s) a_j φ'(w_j·x_s) x_s / √H        (the paper's eq. 1)

Initialisation per seed: :func:`initial_hidden_weights` (``default_rng([seed, 2])``) and
:func:`readout_weights` (``binary`` ±1, else ``default_rng([seed, 3])``).
:func:`hidden_activity` evaluates φ(W x) for stored weights (numpy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray

from ..activations import Activation, get_activation
from ..engine import Model

__all__ = [
    "READOUTS",
    "HiddenClassifier",
    "hidden_activity",
    "initial_hidden_weights",
    "readout_weights",
]

READOUTS = ("binary", "random", "trainable")


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


def _runs(keys: Sequence[Any]) -> list[tuple[int, int]]:
    """Maximal runs [start, stop) of equal consecutive keys."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((start, i))
            start = i
    return runs


class HiddenClassifier(Model):
    """B classifiers: input weights ``W`` (B, H, N), readout ``A`` (B, H), activations ``acts``
    (one per network; equal ones should be contiguous: each run is one tensor operation),
    targets ``y`` (B, S) and ``batches(step)`` → inputs (B, S, N). ``params``: ``[W]``, or
    ``[W, A]`` when the readout trains."""

    def __init__(
        self,
        W: torch.Tensor,
        A: torch.Tensor,
        acts: Sequence[Activation],
        y: torch.Tensor,
        batches: Callable[[int], torch.Tensor],
        trainable_readout: bool = False,
    ) -> None:
        self.W, self.A, self.acts, self.y, self.batches = W, A, list(acts), y, batches
        self.trainable = trainable_readout
        self.params = [W, A] if trainable_readout else [W]
        self.runs = _runs([(a.name, a.shift, a.gain) for a in self.acts])
        self.inv_sqrt_h = 1.0 / np.sqrt(W.shape[1])
        self.S = int(y.shape[1])

    def forward(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Hidden activity (B, S, H), its derivative φ' (B, S, H) and the logits u (B, S)."""
        Z = torch.bmm(X, self.W.transpose(1, 2))  # (B, S, H)
        Hh = torch.empty_like(Z)
        dH = torch.empty_like(Z)
        for lo, hi in self.runs:
            Hh[lo:hi], dH[lo:hi] = self.acts[lo].torch_value_and_grad(Z[lo:hi])
        u = (Hh * self.A.unsqueeze(1)).sum(dim=2) * self.inv_sqrt_h  # (B, S)
        return Hh, dH, u

    def loss_of(self, u: torch.Tensor) -> torch.Tensor:
        """Mean cross-entropy per network (B,) of the logits u (B, S)."""
        return torch.nn.functional.binary_cross_entropy_with_logits(
            u, self.y, reduction="none"
        ).mean(dim=1)

    def loss(self, params: Sequence[torch.Tensor], step: int) -> torch.Tensor:
        """Mean cross-entropy (B,) of step ``step``'s batch at ``params`` (written plainly)."""
        W = params[0]
        A = params[1] if self.trainable else self.A
        Z = torch.bmm(self.batches(step), W.transpose(1, 2))
        Hh = torch.cat([self.acts[lo].torch(Z[lo:hi]) for lo, hi in self.runs])
        return self.loss_of((Hh * A.unsqueeze(1)).sum(dim=2) * self.inv_sqrt_h)

    def gradient(self, step: int) -> tuple[list[torch.Tensor], Any]:
        """Closed-form gradient of the mean cross-entropy on this step's batch (eq. 1); aux: u."""
        X = self.batches(step)
        Hh, dH, u = self.forward(X)
        E = (torch.sigmoid(u) - self.y) / self.S  # (B, S): ∂L/∂u
        G_Z = E.unsqueeze(2) * self.A.unsqueeze(1) * self.inv_sqrt_h * dH  # (B, S, H)
        grads = [torch.bmm(G_Z.transpose(1, 2), X)]
        if self.trainable:
            grads.append((Hh * E.unsqueeze(2)).sum(dim=1) * self.inv_sqrt_h)
        return grads, u


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
