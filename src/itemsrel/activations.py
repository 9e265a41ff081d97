"""Activation functions φ of the auto-associator ``y = φ(W x)``, in one table.

Each :class:`Activation` carries the same function three ways: for torch tensors (training), for
numpy arrays (dynamics, figures) and as a sympy expression (analytic solution families), together
with its derivative and its inverse on the open range. The paper uses the identity, the logistic
sigmoid ``1/(1+exp(-g z))`` and ``tanh(z - c)``; ReLU and the two-sided saturating ``clip``
``min(max(z, 0), 1)`` are added for later chapters.

Build one with :func:`get_activation`, e.g. ``get_activation("tanh", shift=0.5)`` for
``tanh(z - 0.5)`` or ``get_activation("sigmoid", gain=2.0)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
import torch

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]

#: Names accepted by :func:`get_activation` (``shifted_tanh`` is ``tanh`` with a default shift 0.5;
#: ``clip`` is ReLU saturating at 1, ``min(max(z, 0), 1)``).
ACTIVATIONS = ("linear", "tanh", "sigmoid", "relu", "shifted_tanh", "clip")


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
        }.get(self.name, f"{self.name}({inner})")

    @property
    def output_range(self) -> tuple[float, float]:
        return {
            "linear": (-np.inf, np.inf),
            "tanh": (-1.0, 1.0),
            "sigmoid": (0.0, 1.0),
            "relu": (0.0, np.inf),
            "clip": (0.0, 1.0),
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
        y = torch.relu(a)
        return y, self.gain * (a > 0).to(z.dtype)

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
        return self.gain * (a > 0).astype(float)

    def inverse(self, t: Any) -> np.ndarray:
        """Pre-activation z with φ(z) = t; raises ``ValueError`` outside the open range."""
        t = np.asarray(t, dtype=float)
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
    if key == "shifted_tanh":
        return Activation("tanh", shift=0.5 if shift is None else float(shift), gain=float(gain))
    if not np.isfinite(gain) or gain <= 0:
        raise ValueError(f"gain must be a positive finite number, got {gain}")
    return Activation(key, shift=0.0 if shift is None else float(shift), gain=float(gain))
