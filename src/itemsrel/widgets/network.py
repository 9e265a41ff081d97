"""Live explorer for one auto-associator: retrain on every change, show what it learned.

:func:`network_view` is the pure computation (train one network to convergence, its per-pattern
losses over all 2^N patterns, its fixed points or plane of fixed points, its flow field);
:func:`network_explorer` wires :class:`~itemsrel.widgets.controls.TrainingControls` to it and
redraws a weight heat map, the per-pattern losses and (N = 3) the 3-D flow field.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike, NDArray
from plotly.subplots import make_subplots

from ..dynamics import FixedPoint, FixedSubspace, default_starts, fixed_points, fixed_subspace
from ..figures.flow import flow_figure
from ..figures.matrices import matrix_trace
from ..figures.style import COLORS, style
from ..patterns import all_patterns, as_training_set, format_pattern
from ..training import TrainResult, pattern_loss, train
from .controls import TrainingControls, live_panel

__all__ = ["NetworkView", "network_explorer", "network_items", "network_view"]


@dataclass
class NetworkView:
    """Everything the explorer shows about one trained network (N×N weights ``W``)."""

    X: NDArray[np.int8]
    result: TrainResult
    W: NDArray[np.float64]
    patterns: NDArray[np.int8]
    losses: NDArray[np.float64]
    fixed: list[FixedPoint]
    subspace: FixedSubspace | None
    timings: dict[str, float] = field(default_factory=dict)

    def loss_figure(self) -> go.Figure:
        """Per-pattern loss (eq. 7) over all 2^N patterns; training items highlighted."""
        train_set = {tuple(r) for r in self.X.tolist()}
        names = [format_pattern(p, "/") for p in self.patterns]
        colors = [
            COLORS["green"] if tuple(p) in train_set else COLORS["blue"]
            for p in self.patterns.tolist()
        ]
        fig = go.Figure(
            go.Bar(
                x=names,
                y=self.losses,
                marker_color=colors,
                hovertemplate="%{x}: loss %{y:.4f}<extra></extra>",
                name="loss",
            )
        )
        fig.update_yaxes(title_text="loss (eq. 7)", rangemode="tozero")
        fig.update_xaxes(title_text="pattern (green: training item)")
        return style(fig, height=300)

    def summary(self) -> str:
        r = self.result
        lines = [
            f"trained {r.steps_run} steps; training loss {r.final_loss[0]:.2e}; "
            f"{'converged' if r.converged[0] else 'not converged'} (max |gradient| {r.grad_max[0]:.1e})"
        ]
        if self.subspace is not None:
            ev = ", ".join(f"{e.real:.3f}" for e in self.subspace.other_eigenvalues)
            lines.append(
                f"fixed points: a {self.subspace.dimension}-dimensional subspace "
                f"({'attracting' if self.subspace.attracting else 'not attracting'}; other eigenvalues {ev})"
            )
        else:
            for fp in self.fixed:
                mods = ", ".join(f"{abs(e):.3f}" for e in fp.eigenvalues)
                lines.append(
                    f"fixed point {format_pattern(np.round(fp.x, 3))}: {fp.stability} (|λ| = {mods})"
                )
        return "\n".join(lines)


def network_view(
    X: ArrayLike,
    activation: str = "linear",
    init: str = "zeros",
    optimizer: str = "sgd",
    lr: float = 0.1,
    regularization: dict[str, float] | None = None,
    *,
    steps: int = 3000,
    seed: int = 0,
    sigma: float = 0.05,
) -> NetworkView:
    """Train one network (stopping early once converged) and analyse it."""
    Xn = as_training_set(X)
    t0 = time.perf_counter()
    res = train(
        Xn,
        activation,
        init,
        optimizer,
        lr=lr,
        steps=steps,
        seeds=[seed],
        regularization=regularization,
        sigma=sigma,
        stop_when_converged=True,
        device="cpu",
    )
    t1 = time.perf_counter()
    if res.diverged[0]:
        raise ValueError(f"training diverged with learning rate {lr}: choose a smaller one")
    W = res.W[0]
    pats = all_patterns(Xn.shape[1])
    losses = pattern_loss(W, pats, activation)
    sub: FixedSubspace | None = None
    fps: list[FixedPoint] = []
    if activation == "linear" and fixed_subspace(W).dimension > 0:
        sub = fixed_subspace(W)
    else:
        # the live view searches from fewer starts than the chapters (same points for tanh,
        # sigmoid and linear networks in a check of ~270 trained networks; 3x faster)
        fps = fixed_points(
            W, activation, starts=default_starts(W, activation, n_grid=3, n_random=16)
        )
    t2 = time.perf_counter()
    return NetworkView(Xn, res, W, pats, losses, fps, sub, {"train": t1 - t0, "analyse": t2 - t1})


def network_items(view: NetworkView, activation: str) -> list[Any]:
    """What the explorer shows for one trained network: W and the per-pattern losses, the flow
    field (N = 3), and the fixed points and timings as text."""
    t0 = time.perf_counter()
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.4, 0.6],
        subplot_titles=("weights W", "loss per pattern"),
        horizontal_spacing=0.12,
    )
    N = view.W.shape[0]
    zmax = float(np.max(np.abs(view.W))) or 1.0
    fig.add_trace(matrix_trace(view.W, zmax, 2, showscale=False), row=1, col=1)
    fig.update_xaxes(type="category", title_text="from unit j", row=1, col=1)
    fig.update_yaxes(type="category", title_text="to unit i", row=1, col=1)
    for tr in view.loss_figure().data:
        fig.add_trace(tr, row=1, col=2)
    fig.update_yaxes(title_text="loss", row=1, col=2)
    items: list[Any] = [style(fig, height=320)]
    if N == 3:
        items.append(
            flow_figure(
                view.W,
                activation,
                training_set=view.X,
                fixed=view.fixed,
                subspace=view.subspace,
                title=f"flow field, φ = {activation}",
                height=460,
            )
        )
    items.append(view.summary())
    items.append(
        f"timing: train {1e3 * view.timings['train']:.0f} ms, analyse "
        f"{1e3 * view.timings['analyse']:.0f} ms, figures {1e3 * (time.perf_counter() - t0):.0f} ms"
    )
    return items


def network_explorer(
    X: ArrayLike, controls: TrainingControls | None = None, **defaults: Any
) -> w.Box:
    """Widget panel: the controls, then W, per-pattern losses and the flow field, redrawn live."""
    Xn = as_training_set(X)
    ctl = controls or TrainingControls(**defaults)

    def items() -> list[Any]:
        vals = ctl.values()
        return network_items(network_view(Xn, **vals), vals["activation"])

    return live_panel(ctl.widgets, items)
