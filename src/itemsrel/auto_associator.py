"""The auto-associator model ``y = φ(W x)`` or ``y = φ(W₂ ψ(W₁ x))``: parameters, loss, gradient.

The model of :func:`itemsrel.training.train` as an engine :class:`~itemsrel.engine.Model`.
B networks with N inputs and outputs (no biases) learn targets T from items X, one shared
training set (K, N) or one per network (B, K, N):

    z_k = W x_k,   y_k = φ(z_k),   L = 1/(K N) Σ_k |y_k − t_k|² + penalties
    ∂L/∂W = 2/(K N) Σ_k [(y_k − t_k) ⊙ φ'(z_k)] x_kᵀ         (closed form, the fast path)

Penalties (strengths λ_b per network): ``l1`` λ mean|W|, ``l2`` λ mean W², ``rate`` λ mean y²,
``level`` λ mean (y − level_target)²; with a hidden layer ``l1``/``l2`` penalise both matrices.
:meth:`AutoAssociator.loss` is the same objective written plainly (autograd pins the closed
form against it). Initial weights per seed: :func:`initial_weights` (one layer) and
:func:`hidden_weights` (W₁ then W₂ from ``default_rng(seed)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray

from .activations import Activation
from .engine import Model, Stepper

__all__ = ["INITS", "AutoAssociator", "hidden_weights", "initial_weights"]

INITS = ("zeros", "ones", "uniform", "normal")


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


def hidden_weights(
    seeds: Sequence[int], H: int, N: int, sigma: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Initial layers of hidden-layer networks: W₁ (B, H, N), W₂ (B, N, H), entries N(0, σ²),
    W₁ then W₂ from ``default_rng(seed)``."""
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive number, got {sigma}")
    W1 = np.empty((len(seeds), H, N))
    W2 = np.empty((len(seeds), N, H))
    for b, s in enumerate(seeds):
        rng = np.random.default_rng(int(s))
        W1[b] = rng.normal(0.0, sigma, (H, N))
        W2[b] = rng.normal(0.0, sigma, (N, H))
    return W1, W2


class AutoAssociator(Model):
    """B auto-associators on items ``tX`` (K, N) or (B, K, N) with targets ``tT`` (same shape).

    ``params``: ``[W]`` (B, N, N), or ``[W1, W2]`` (B, H, N), (B, N, H) with a hidden layer of
    activation ``psi``. ``penalties``: name → strengths (B,). ``indices`` (optional): the
    engine's mini-batch stepper (:meth:`~itemsrel.engine.BatchIndices.stepper`), ``step`` →
    (B, batch_size) item indices; without it every step is full batch.
    :meth:`gradient` is the closed form; :meth:`full_gradient` the gradient of the full-batch
    objective with the error ``Y − T`` (B, N, K) (history, convergence, the final state).
    """

    def __init__(
        self,
        params: list[torch.Tensor],
        tX: torch.Tensor,
        tT: torch.Tensor,
        phi: Activation,
        psi: Activation | None = None,
        penalties: Mapping[str, NDArray[np.float64]] | None = None,
        level_target: float = 0.5,
        indices: Callable[[int], torch.Tensor] | None = None,
    ) -> None:
        self.params = params
        self.tX, self.tT, self.phi, self.psi = tX, tT, phi, psi
        self.level_target = level_target
        self.indices = indices
        self.per_network = tX.dim() == 3
        K, N = tX.shape[-2:]
        B = int(params[0].shape[0])
        H = int(params[0].shape[1]) if psi is not None else N
        self.B, self.K, self.N, self.H = B, int(K), int(N), H
        dtype, dev = tX.dtype, tX.device
        lam = dict(penalties or {})
        self.lam = lam
        self.tXs = tX * (2.0 / (K * N))  # the gradient's factor 2/(K N), folded into the inputs
        col = {k: torch.as_tensor(v, dtype=dtype, device=dev).view(B, 1, 1) for k, v in lam.items()}
        self.lam_rate, self.lam_level = col.get("rate"), col.get("level")
        n_w = (H * N) if psi is not None else N * N
        self.l1 = col["l1"] / n_w if "l1" in col else None
        self.l2 = col["l2"] * (2.0 / n_w) if "l2" in col else None
        self.no_decay = self.l1 is None and self.l2 is None
        # Transposed layout: column k of Z_b is z_k = W_b x_k. Stacking the B weight matrices as
        # one (B·N, N) matrix turns the forward pass and the gradient into one matrix product
        # each. With per-network sets the same two products are batched matrix products.
        self.XT = tX.transpose(-1, -2).contiguous()  # (N, K) or (B, N, K)
        self.TT = tT.transpose(-1, -2).contiguous()  # like XT
        self.identity = phi.name == "linear" and phi.gain == 1.0 and phi.shift == 0.0  # φ' = 1
        self.rows = torch.arange(B, device=dev).unsqueeze(1)
        if psi is None:
            # the fast paths (one layer), bound directly: the loop calls them per step, the
            # history and the convergence check the full-batch one
            self.full_gradient = self._fast_path()  # type: ignore[method-assign]
            if indices is None:
                self.gradient = self.full_gradient  # type: ignore[method-assign]
            elif isinstance(indices, Stepper):
                self.gradient = self._fast_batch_path(indices)  # type: ignore[method-assign]

    # --- the objective, written plainly (autograd's reference) ----------------------------------

    def loss(self, params: Sequence[torch.Tensor], step: int | None = None) -> torch.Tensor:
        """Full-batch objective (B,): eq. 7's mean over items and units plus the penalties."""
        X = self.tX if self.per_network else self.tX.expand(self.B, -1, -1)
        if self.psi is None:
            Ws = [params[0]]
            Z = torch.bmm(X, params[0].transpose(1, 2))
        else:
            Ws = [params[0], params[1]]
            A = self.psi.torch(torch.bmm(X, params[0].transpose(1, 2)))
            Z = torch.bmm(A, params[1].transpose(1, 2))
        Y = self.phi.torch(Z)
        total = ((Y - self.tT) ** 2).mean(dim=(1, 2))
        lam = {k: torch.as_tensor(v, dtype=Y.dtype, device=Y.device) for k, v in self.lam.items()}
        if "l1" in lam:
            total = total + lam["l1"] * sum(W.abs().sum(dim=(1, 2)) for W in Ws) / (
                Ws[0].shape[1] * Ws[0].shape[2]
            )
        if "l2" in lam:
            total = total + lam["l2"] * sum(W.pow(2).sum(dim=(1, 2)) for W in Ws) / (
                Ws[0].shape[1] * Ws[0].shape[2]
            )
        if "rate" in lam:
            total = total + lam["rate"] * Y.pow(2).mean(dim=(1, 2))
        if "level" in lam:
            total = total + lam["level"] * (Y - self.level_target).pow(2).mean(dim=(1, 2))
        return total

    # --- the closed form ------------------------------------------------------------------------

    def output_signal(
        self, Z: torch.Tensor, TT: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(∂L/∂Z up to the factor 2/(k N), error Y − T) at the output pre-activation Z."""
        Y, dY = (Z, None) if self.identity else self.phi.torch_value_and_grad(Z)
        E = Y - TT
        signal = E
        if self.lam_rate is not None:
            signal = signal + self.lam_rate * Y
        if self.lam_level is not None:
            signal = signal + self.lam_level * (Y - self.level_target)
        if dY is not None:
            signal = signal * dY
        return signal, E

    def penalised(self, G: torch.Tensor, Wd: torch.Tensor) -> torch.Tensor:
        if self.l1 is not None:
            G = G + self.l1 * torch.sign(Wd)
        if self.l2 is not None:
            G = G + self.l2 * Wd
        return G

    def gradient_on(
        self,
        ps: Sequence[torch.Tensor],
        XT: torch.Tensor,
        TT: torch.Tensor,
        tXs: torch.Tensor,
        per_network: bool,
    ) -> tuple[list[torch.Tensor], torch.Tensor]:
        """Closed-form gradient on the items ``XT`` (…, N, k) with targets ``TT``; ``tXs`` the
        items (…, k, N) times 2/(k N). Returns (grads, error Y − T)."""
        B, N = self.B, self.N
        k = XT.shape[-1]
        if self.psi is None:
            (Wd,) = ps
            if per_network:
                Z = torch.bmm(Wd, XT)
            else:
                Z = torch.mm(Wd.view(B * N, N), XT).view(B, N, k)
            signal, E = self.output_signal(Z, TT)
            if per_network:
                G = torch.bmm(signal, tXs)
            else:
                G = torch.mm(signal.view(B * N, k), tXs).view(B, N, N)
            return [G if self.no_decay else self.penalised(G, Wd)], E
        H = self.H
        W1, W2 = ps
        if per_network:
            Z1 = torch.bmm(W1, XT)
        else:
            Z1 = torch.mm(W1.reshape(B * H, N), XT).view(B, H, k)
        A, dA = self.psi.torch_value_and_grad(Z1)  # (B, H, k)
        signal, E = self.output_signal(torch.bmm(W2, A), TT)  # (B, N, k)
        back = torch.bmm(W2.transpose(1, 2), signal) * dA  # (B, H, k)
        if per_network:
            G1 = torch.bmm(back, tXs)
        else:
            G1 = torch.mm(back.reshape(B * H, k), tXs).view(B, H, N)
        G2 = torch.bmm(signal, A.transpose(1, 2)) * (2.0 / (k * N))
        return [self.penalised(G1, W1), self.penalised(G2, W2)], E

    def full_gradient(self) -> tuple[list[torch.Tensor], torch.Tensor]:
        """Gradient of the full-batch objective and the error Y − T, at the current parameters
        (one layer: :meth:`_fast_path`, whose error has shape (B·N, K) for a shared set; a
        gradient it returns lives until its next call)."""
        return self.gradient_on(self.params, self.XT, self.TT, self.tXs, self.per_network)

    def batch_gradient(self, idx: torch.Tensor) -> list[torch.Tensor]:
        """Gradient of the mini-batch objective; idx (B, b) holds each network's items."""
        if self.per_network:
            Xb, Tb = self.tX[self.rows, idx], self.tT[self.rows, idx]  # (B, b, N)
        else:
            Xb, Tb = self.tX[idx], self.tT[idx]
        G, _ = self.gradient_on(
            self.params,
            Xb.transpose(-1, -2),
            Tb.transpose(-1, -2),
            Xb * (2.0 / (idx.shape[1] * self.N)),
            True,
        )
        return G

    def gradient(self, step: int) -> tuple[list[torch.Tensor], torch.Tensor | None]:
        """This step's gradient (full or mini-batch) and the full-batch error (None for a
        mini-batch step: the history then measures it separately)."""
        if self.indices is None:
            return self.full_gradient()
        return self.batch_gradient(self.indices(step)), None

    def _one_layer_step(
        self, W2: torch.Tensor, G2: torch.Tensor | None
    ) -> Callable[[torch.Tensor, torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
        """``step(XT, TT, tXs)`` → (gradient (B, N, N), error Y − T): :meth:`gradient_on`'s
        one-layer numbers bit for bit in as few tensor operations as possible (for a small
        network a step costs little more than its operations' dispatch): no per-step views, φ
        and φ' in place (:meth:`~itemsrel.activations.Activation.torch_value_and_grad_`), the
        penalties added in place.

        With a buffer ``G2`` (B·N, N) (a shared full training set): W2 is the stacked (B·N, N)
        weights, XT (N, K), the targets TT stacked alike (B·N, K), the gradient goes into G2 and
        comes back as its (B, N, N) view, the error as (B·N, K). Without: W2 is (B, N, N), XT
        (B, N, k), TT like it, tXs (B, k, N) (batched products; the error (B, N, k))."""
        B, N, W_ = self.B, self.N, self.params[0]
        phi, identity, level_target = self.phi, self.identity, self.level_target
        lam_rate, lam_level, l1, l2 = self.lam_rate, self.lam_level, self.l1, self.l2
        shared = G2 is not None
        G3 = None if G2 is None else G2.view(B, N, N)
        if shared:  # the rates' strengths per row b·N + i of the stacked layout

            def rows(lam: torch.Tensor | None) -> torch.Tensor | None:
                return None if lam is None else lam.view(B, 1).repeat_interleave(N, dim=0)

            lam_rate, lam_level = rows(lam_rate), rows(lam_level)
        plain = lam_rate is None and lam_level is None
        one = torch.ones((), dtype=W_.dtype, device=W_.device)

        def step(
            XT: torch.Tensor, TT: torch.Tensor, tXs: torch.Tensor
        ) -> tuple[torch.Tensor, torch.Tensor]:
            Z = torch.mm(W2, XT) if shared else torch.bmm(W2, XT)
            Y, dY = (Z, None) if identity else phi.torch_value_and_grad_(Z, one)
            E = Y - TT
            if plain:
                signal = E if dY is None else dY.mul_(E)  # dY is new: E ⊙ φ'(Z)
            else:
                signal = E
                if lam_rate is not None:
                    signal = signal + lam_rate * Y
                if lam_level is not None:
                    signal = signal + lam_level * (Y - level_target)
                if dY is not None:
                    signal = signal * dY
            if G3 is not None:
                torch.mm(signal, tXs, out=G2)
                G = G3
            else:
                G = torch.bmm(signal, tXs)
            if l1 is not None:
                G.add_(torch.sign(W_).mul_(l1))  # λ₁ sign(W), in the sign's new tensor
            if l2 is not None:
                G.add_(l2 * W_)
            return G, E

        return step

    def _fast_path(self) -> Callable[[int], tuple[list[torch.Tensor], torch.Tensor]]:
        """One layer, full batch: :meth:`_one_layer_step` on the whole training set. The error
        ``Y − T`` it hands on has shape (B·N, K) for a shared set, (B, N, K) for per-network
        sets (both ``.view(B, N, K)``-able)."""
        W_, B, N = self.params[0], self.B, self.N
        if self.per_network:
            step = self._one_layer_step(W_, None)
            XT, TT = self.XT, self.TT
        else:
            # the parameter is updated in place: the stacked view stays valid
            G2 = torch.empty((B * N, N), dtype=W_.dtype, device=W_.device)
            step = self._one_layer_step(W_.view(B * N, N), G2)
            XT, TT = self.XT, self.TT.repeat(B, 1)  # row b·N + i: network b's unit i
        tXs = self.tXs

        def gradient(step_: int = 0) -> tuple[list[torch.Tensor], torch.Tensor]:
            """The full-batch gradient (at any step) and the error Y − T."""
            G, E = step(XT, TT, tXs)
            return [G], E

        return gradient

    def _fast_batch_path(
        self, stepper: Stepper
    ) -> Callable[[int], tuple[list[torch.Tensor], None]]:
        """One layer, mini-batches: :meth:`batch_gradient`'s numbers bit for bit, the items of a
        whole chunk of steps gathered at once (:meth:`~itemsrel.engine.Stepper.chunk_at`) and
        split into per-step views laid out as :meth:`batch_gradient`'s, so a step gathers
        nothing."""
        step = self._one_layer_step(self.params[0], None)
        tX, tT, rows, per_network = self.tX, self.tT, self.rows, self.per_network
        scale = 2.0 / (stepper.batches.b * self.N)  # 2/(b N), b items per batch
        state: dict[str, Any] = {"chunk": None}

        def gradient(step_: int) -> tuple[list[torch.Tensor], None]:
            chunk, j = stepper.chunk_at(step_)
            if chunk is not state["chunk"]:
                # (n, B, b, N): row j holds what tX[idx] (or tX[rows, idx]) gives at that step
                if per_network:
                    Xc, Tc = tX[rows, chunk], tT[rows, chunk]
                else:
                    Xc, Tc = tX[chunk], tT[chunk]
                state["chunk"] = chunk
                state["XT"] = Xc.transpose(-1, -2).unbind(0)
                state["TT"] = Tc.transpose(-1, -2).unbind(0)
                state["tXs"] = (Xc * scale).unbind(0)
            G, _ = step(state["XT"][j], state["TT"][j], state["tXs"][j])
            return [G], None

        return gradient
