"""The group-word network of chapter 7 as an engine model: parameters, loss, closed-form gradient.

    pre    = E[x] + E[n + y]     E (2n, width): rows 0…n-1 embed x, rows n…2n-1 embed y
    h      = φ(pre)              φ: ReLU by default (also GELU, tanh, quadratic z²)
    logits = h · U               U (width, n): one read-out vector per group element z

i.e. a two-layer perceptron on the concatenated one-hot codes of x and y, without biases (a
constant offset is the trivial-irrep part of the embeddings), trained on the cross-entropy
averaged over a task's training pairs. M networks are one :class:`WordNetwork` (E (M, 2n, width),
U (M, width, n)) with the gradient in closed form:

    G = (softmax(logits) − onehot(z)) / P_m                 (M, P, n), P_m = training pairs of task m
    ∂L/∂U = hᵀ G,   ∂L/∂pre = (G Uᵀ) ⊙ φ'(pre),   ∂L/∂E = Σ over pairs of ∂L/∂pre at rows x and n+y

Initial weights per task (:func:`initial_weights`): ``torch.nn.Linear``'s uniform ±1/√fan-in,
times ``init_scale``, from ``default_rng([seed, 1])``. :func:`predict` answers every pair.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import NDArray

from ..activations import get_activation
from ..engine import Model
from .task import TrainingPairs, WordTask

__all__ = ["HIDDEN_ACTIVATIONS", "WordNetwork", "initial_weights", "predict"]

#: Hidden-layer activations φ of the word network (names of :mod:`itemsrel.activations`).
HIDDEN_ACTIVATIONS = ("relu", "gelu", "tanh", "quadratic")


def predict(
    emb_x: NDArray, emb_y: NDArray, readout: NDArray, activation: str = "relu"
) -> NDArray[np.intp]:
    """Answer (argmax of the logits) of one network for every pair, shape (n, n)."""
    if activation not in HIDDEN_ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(HIDDEN_ACTIVATIONS)}"
        )
    pre = torch.as_tensor(np.asarray(emb_x, float)[:, None, :] + np.asarray(emb_y, float)[None])
    h = get_activation(activation).torch(pre).numpy()
    return np.argmax(h @ np.asarray(readout, float), axis=-1)


def initial_weights(
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


#: The old private name of :func:`initial_weights`.
_initial_weights = initial_weights


class WordNetwork(Model):
    """M word networks: ``E`` (M, 2n, width) and ``U`` (M, width, n) (updated in place) on the
    training ``pairs`` of their tasks, hidden activation ``activation``.

    :meth:`gradient` writes the closed form into reused buffers (large fresh allocations would
    page-fault each step); :meth:`loss` is the objective written plainly; :meth:`metrics` the
    accuracy and loss on the training and test pairs and the weight norm.
    """

    def __init__(
        self, E: torch.Tensor, U: torch.Tensor, pairs: TrainingPairs, activation: str
    ) -> None:
        M, two_n, width = E.shape
        n = two_n // 2
        dtype, dev = E.dtype, E.device
        P = pairs.xi.shape[1]

        def T(a: NDArray, dt: torch.dtype = dtype) -> torch.Tensor:
            return torch.as_tensor(a, dtype=dt, device=dev)

        self.E, self.U, self.params = E, U, [E, U]
        self.M, self.n, self.width, self.P = M, n, width, P
        self.phi = get_activation(activation)
        self.act = self.phi.torch_forward
        self.xs, self.ys = T(pairs.xi.reshape(-1), torch.long), T(pairs.yi.reshape(-1), torch.long)
        self.target = torch.nn.functional.one_hot(T(pairs.zi, torch.long), n).to(dtype)  # (M, P, n)
        self.weight = T(pairs.weight).unsqueeze(-1)  # (M, P, 1)
        self.tab = T(pairs.tables, torch.long)  # (M, n²)
        self.tmask = T(pairs.masks.reshape(M, n * n), torch.bool)
        self.n_train = self.tmask.sum(dim=1).to(dtype)
        self.n_test = (~self.tmask).sum(dim=1).to(dtype)
        self.gE_buf, self.gU = torch.zeros_like(E), torch.zeros_like(U)  # gradients, in place
        self.Eflat = E.view(M * 2 * n, width)
        # work buffers, reused every step
        self.pre_buf = torch.empty(M * P, width, dtype=dtype, device=dev)
        self.tmp_buf = torch.empty(M * P, width, dtype=dtype, device=dev)
        self.g_buf = torch.empty(M, P, n, dtype=dtype, device=dev)

    def loss(self, params: Sequence[torch.Tensor], step: int | None = None) -> torch.Tensor:
        """Mean cross-entropy over each task's training pairs (M,) at ``params`` = (E, U)."""
        E, U = params
        Ef = E.reshape(self.M * 2 * self.n, self.width)
        pre = (Ef[self.xs] + Ef[self.ys]).view(self.M, self.P, self.width)
        logp = torch.log_softmax(torch.bmm(self.phi.torch(pre), U), dim=-1)
        return -((logp * self.target).sum(-1) * self.weight[..., 0]).sum(1)

    def gradient(self, step: int) -> tuple[list[torch.Tensor], None]:
        """Closed-form gradient of the mean cross-entropy, into the buffers (gE, gU)."""
        M, P, n, width = self.M, self.P, self.n, self.width
        Eflat, tmp_buf = self.Eflat, self.tmp_buf
        pre = torch.index_select(Eflat, 0, self.xs, out=self.pre_buf)
        pre.add_(torch.index_select(Eflat, 0, self.ys, out=tmp_buf))
        h, backward = self.act(pre.view(M, P, width))
        G = torch.bmm(h, self.U, out=self.g_buf)  # logits (M, P, n), turned in place into ∂L/∂logits:
        G.sub_(G.amax(dim=-1, keepdim=True)).exp_()
        G.div_(G.sum(dim=-1, keepdim=True)).sub_(self.target).mul_(self.weight)
        torch.bmm(h.transpose(1, 2), G, out=self.gU)
        dpre = backward(torch.bmm(G, self.U.transpose(1, 2), out=tmp_buf.view(M, P, width)))
        dpre = dpre.view(M * P, width)
        gE = self.gE_buf.view(M * 2 * n, width)
        gE.zero_()
        gE.index_add_(0, self.xs, dpre).index_add_(0, self.ys, dpre)
        return [self.gE_buf, self.gU], None

    def metrics(self) -> list[torch.Tensor]:
        """Training and test accuracy, training and test loss (mean cross-entropy) and the
        Frobenius norm of all weights, each (M,), at the current parameters."""
        E, U, n, M = self.E, self.U, self.n, self.M
        pre = E[:, :n, None, :] + E[:, None, n:, :]  # (M, n, n, w): every pair
        logits = torch.bmm(self.act(pre)[0].view(M, n * n, self.width), U)  # (M, n², n)
        logp = torch.log_softmax(logits, dim=-1)
        nll = -logp.gather(-1, self.tab.unsqueeze(-1)).squeeze(-1)  # (M, n²)
        correct = (logits.argmax(dim=-1) == self.tab).to(E.dtype)
        tmask = self.tmask
        return [
            (correct * tmask).sum(1) / self.n_train,
            (correct * ~tmask).sum(1) / self.n_test,
            (nll * tmask).sum(1) / self.n_train,
            (nll * ~tmask).sum(1) / self.n_test,
            torch.sqrt(E.pow(2).sum((1, 2)) + U.pow(2).sum((1, 2))),
        ]
