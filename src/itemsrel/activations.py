"""Activation functions φ of the auto-associator ``y = φ(W x)``, in one table.

Each :class:`Activation` carries the same function three ways: for torch tensors (training), for
numpy arrays (dynamics, figures) and as a sympy expression (analytic solution families), together
with its derivative and its inverse on the open range. The paper uses the identity, the logistic
sigmoid ``1/(1+exp(-g z))`` and ``tanh(z - c)``; ReLU and the two-sided saturating ``clip``
``min(max(z, 0), 1)`` are added for later chapters, GELU ``z Φ(z)`` and the quadratic ``z²`` for
the hidden layer of chapter 8's group-word network. This is the book's one activation registry:
every model builds its activations here, and every name, gain and shift is validated here.

Build one with :func:`get_activation`, e.g. ``get_activation("tanh", shift=0.5)`` for
``tanh(z - 0.5)`` or ``get_activation("sigmoid", gain=2.0)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
import torch
from scipy.special import erf

__all__ = ["ACTIVATIONS", "BASE_NAMES", "Activation", "get_activation"]

#: Names accepted by :func:`get_activation` (``shifted_tanh`` is ``tanh`` with a default shift 0.5;
#: ``clip`` is ReLU saturating at 1, ``min(max(z, 0), 1)``).
ACTIVATIONS = ("linear", "tanh", "sigmoid", "relu", "shifted_tanh", "clip", "gelu", "quadratic")
#: Names an :class:`Activation` itself may carry (``shifted_tanh`` is tanh with a shift).
BASE_NAMES = ("linear", "tanh", "sigmoid", "relu", "clip", "gelu", "quadratic")

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

Backward = Callable[[torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class Activation:
    """A strictly (or weakly, for ReLU and clip) increasing activation with parameters.

    ``shift`` c: the function is evaluated at ``z - c``; ``gain`` g: at ``g (z - c)``.
    ``low``/``high`` is the open output range (targets must lie strictly inside it to be
    reachable with finite weights).
    """

    name: str
    shift: float = 0.0
    gain: float = 1.0

    def __post_init__(self) -> None:
        if self.name not in BASE_NAMES:
            raise ValueError(
                f"unknown activation {self.name!r}; choose one of {', '.join(BASE_NAMES)} "
                f"(or build one with get_activation: {', '.join(ACTIVATIONS)})"
            )
        for key in ("shift", "gain"):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, int | float | np.floating | np.integer):
                raise ValueError(f"{key} must be a real number, got {v!r}")
            if not math.isfinite(float(v)):
                raise ValueError(f"{key} must be finite, got {v!r}")
        if not self.gain > 0:
            raise ValueError(f"gain must be a positive finite number, got {self.gain!r}")

    def _arg(self, z: Any) -> Any:
        return self.gain * (z - self.shift) if (self.shift or self.gain != 1.0) else z

    @property
    def label(self) -> str:
        """Readable formula, e.g. ``tanh(z − 0.5)``."""
        inner = (
            "z"
            if not self.shift
            else f"z − {self.shift:g}"
            if self.shift > 0
            else f"z + {-self.shift:g}"
        )
        if self.gain != 1.0:
            inner = f"{self.gain:g}·({inner})" if self.shift else f"{self.gain:g}·z"
        if self.name == "linear":
            return inner if inner != "z" else "z (linear)"
        return {
            "sigmoid": f"σ({inner})",
            "relu": f"max(0, {inner})",
            "clip": f"min(max(0, {inner}), 1)",
            "quadratic": f"({inner})²",
        }.get(self.name, f"{self.name}({inner})")

    @property
    def output_range(self) -> tuple[float, float]:
        return {
            "linear": (-np.inf, np.inf),
            "tanh": (-1.0, 1.0),
            "sigmoid": (0.0, 1.0),
            "relu": (0.0, np.inf),
            "clip": (0.0, 1.0),
            "gelu": (-0.17, np.inf),  # min of z Φ(z) ≈ −0.170
            "quadratic": (0.0, np.inf),
        }[self.name]

    # --- torch -----------------------------------------------------------------------------
    def torch(self, z: torch.Tensor) -> torch.Tensor:
        a = self._arg(z)
        if self.name == "linear":
            return a if a is not z else z
        if self.name == "tanh":
            return torch.tanh(a)
        if self.name == "sigmoid":
            return torch.sigmoid(a)
        if self.name == "clip":
            return torch.clamp(a, 0.0, 1.0)
        if self.name == "gelu":
            return a * (0.5 * (1.0 + torch.erf(a / _SQRT2)))
        if self.name == "quadratic":
            return a * a
        return torch.relu(a)

    def torch_value_and_grad(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(φ(z), φ'(z))`` computed together (one transcendental call)."""
        a = self._arg(z)
        if self.name == "linear":
            return a, torch.full_like(z, self.gain)
        if self.name == "tanh":
            y = torch.tanh(a)
            return y, self.gain * (1.0 - y * y)
        if self.name == "sigmoid":
            y = torch.sigmoid(a)
            return y, self.gain * y * (1.0 - y)
        if self.name == "clip":
            return torch.clamp(a, 0.0, 1.0), self.gain * ((a > 0) & (a < 1)).to(z.dtype)
        if self.name == "gelu":
            cdf = 0.5 * (1.0 + torch.erf(a / _SQRT2))
            return a * cdf, self.gain * (cdf + a * torch.exp(-0.5 * a * a) * _INV_SQRT_2PI)
        if self.name == "quadratic":
            return a * a, self.gain * (2.0 * a)
        y = torch.relu(a)
        return y, self.gain * (a > 0).to(z.dtype)

    def torch_value_and_grad_(
        self, z: torch.Tensor, one: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """:meth:`torch_value_and_grad` bit for bit, in fewer operations; MAY OVERWRITE z.

        For a work buffer z (the auto-associator's fast path): unshifted, unscaled tanh and
        sigmoid act in place on z (φ' then takes two operations); the others call
        :meth:`torch_value_and_grad`. ``one``: a 0-dim tensor 1 of z's dtype and device (the
        caller's, made once; ``one - t`` is ``1.0 - t`` exactly, in a cheaper call). φ'(z) is
        always a new tensor (the caller may overwrite it).
        """
        if self.shift or self.gain != 1.0 or self.name not in ("tanh", "sigmoid"):
            return self.torch_value_and_grad(z)
        if one is None:
            one = torch.ones((), dtype=z.dtype, device=z.device)
        if self.name == "tanh":
            y = z.tanh_()
            return y, one - y * y  # 1 − y², as 1.0 - y * y
        y = z.sigmoid_()
        return y, (one - y).mul_(y)  # (1 − y) y = y (1 − y): one rounding each

    def torch_forward(self, z: torch.Tensor) -> tuple[torch.Tensor, Backward]:
        """``(φ(z), g ↦ g ⊙ φ'(z))`` for a hand-written backward pass; MAY OVERWRITE z.

        For a work buffer z (the hidden layer of :mod:`itemsrel.grokking`): ReLU and tanh act in
        place, and ReLU's backward is the kernel autograd uses (``threshold_backward``).
        """
        if self.shift or self.gain != 1.0:
            y, dy = self.torch_value_and_grad(z)
            return y, lambda g: g * dy
        if self.name == "relu":
            h = z.relu_()
            return h, lambda g: torch.ops.aten.threshold_backward(g, h, 0.0)
        if self.name == "tanh":
            h = z.tanh_()
            return h, lambda g: g * (1.0 - h * h)
        if self.name == "gelu":
            cdf = 0.5 * (1.0 + torch.erf(z / _SQRT2))
            return z * cdf, lambda g: g * (cdf + z * torch.exp(-0.5 * z * z) * _INV_SQRT_2PI)
        if self.name == "quadratic":
            return z * z, lambda g: g * (2.0 * z)
        y, dy = self.torch_value_and_grad(z)
        return y, lambda g: g * dy

    # --- numpy -----------------------------------------------------------------------------
    def __call__(self, z: Any) -> np.ndarray:
        a = self._arg(np.asarray(z, dtype=float))
        if self.name == "linear":
            return a
        if self.name == "tanh":
            return np.tanh(a)
        if self.name == "sigmoid":
            return 0.5 * (1.0 + np.tanh(0.5 * a))  # overflow-free logistic
        if self.name == "clip":
            return np.clip(a, 0.0, 1.0)
        if self.name == "gelu":
            return a * 0.5 * (1.0 + erf(a / _SQRT2))
        if self.name == "quadratic":
            return a * a
        return np.maximum(a, 0.0)

    def derivative(self, z: Any) -> np.ndarray:
        """φ'(z), elementwise (ReLU: 0 at z = shift; clip: 0 at both corners)."""
        a = self._arg(np.asarray(z, dtype=float))
        if self.name == "linear":
            return np.full_like(a, self.gain)
        if self.name == "tanh":
            return self.gain * (1.0 - np.tanh(a) ** 2)
        if self.name == "sigmoid":
            s = 0.5 * (1.0 + np.tanh(0.5 * a))
            return self.gain * s * (1.0 - s)
        if self.name == "clip":
            return self.gain * ((a > 0) & (a < 1)).astype(float)
        if self.name == "gelu":
            return self.gain * (
                0.5 * (1.0 + erf(a / _SQRT2)) + a * np.exp(-0.5 * a * a) * _INV_SQRT_2PI
            )
        if self.name == "quadratic":
            return self.gain * 2.0 * a
        return self.gain * (a > 0).astype(float)

    def inverse(self, t: Any) -> np.ndarray:
        """Pre-activation z with φ(z) = t; raises ``ValueError`` outside the open range."""
        t = np.asarray(t, dtype=float)
        if self.name in ("gelu", "quadratic"):
            raise ValueError(f"{self.label} is not monotone: it has no inverse")
        lo, hi = self.output_range
        if self.name == "relu":
            if np.any(t <= 0):
                raise ValueError("ReLU is not invertible at targets <= 0")
        elif self.name == "clip":
            if np.any((t <= 0) | (t >= 1)):
                raise ValueError(
                    "clip is flat at 0 and 1 (and cannot leave [0, 1]): it is invertible only at "
                    "targets strictly inside (0, 1)"
                )
        elif np.any((t <= lo) | (t >= hi)):
            raise ValueError(
                f"{self.label} cannot output {t[(t <= lo) | (t >= hi)].tolist()} with finite weights: "
                f"targets must lie strictly inside ({lo:g}, {hi:g})"
            )
        if self.name == "linear":
            pre = t
        elif self.name == "tanh":
            pre = np.arctanh(t)
        elif self.name == "sigmoid":
            pre = np.log(t / (1.0 - t))
        else:  # relu, and clip on its open range (0, 1), are the identity there
            pre = t
        return pre / self.gain + self.shift

    # --- sympy -----------------------------------------------------------------------------
    def sympy(self, z: sp.Expr) -> sp.Expr:
        """The activation as a sympy expression in ``z`` (shift and gain as exact rationals)."""
        c, g = sp.nsimplify(self.shift), sp.nsimplify(self.gain)
        a = g * (z - c)
        if self.name == "linear":
            return a
        if self.name == "tanh":
            return sp.tanh(a)
        if self.name == "sigmoid":
            return 1 / (1 + sp.exp(-a))
        if self.name == "clip":
            return sp.Min(sp.Max(a, 0), 1)
        if self.name == "gelu":
            return a * (1 + sp.erf(a / sp.sqrt(2))) / 2
        if self.name == "quadratic":
            return a**2
        return sp.Max(a, 0)


def get_activation(
    name: str | Activation, *, shift: float | None = None, gain: float = 1.0
) -> Activation:
    """Look up an activation by name (see :data:`ACTIVATIONS`); clear error for unknown names."""
    if isinstance(name, Activation):
        return name
    key = str(name).lower()
    if key == "identity" or key == "id":
        key = "linear"
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    if isinstance(gain, bool) or not np.isfinite(gain) or gain <= 0:
        raise ValueError(f"gain must be a positive finite number, got {gain!r}")
    if shift is not None and (isinstance(shift, bool) or not np.isfinite(shift)):
        raise ValueError(f"shift must be a finite number, got {shift!r}")
    if key == "shifted_tanh":
        return Activation("tanh", shift=0.5 if shift is None else float(shift), gain=float(gain))
    return Activation(key, shift=0.0 if shift is None else float(shift), gain=float(gain))
