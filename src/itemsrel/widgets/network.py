"""Live explorer for one auto-associator: retrain on every change, show what it learned.

:func:`network_view` is the pure computation (train one network to convergence, its per-pattern
losses over all 2^N patterns, its fixed points or plane of fixed points, its flow field);
:func:`network_explorer` wires :class:`~itemsrel.widgets.controls.TrainingControls` to it and
redraws a weight heat map, the per-pattern losses and (N = 3) the 3-D flow field.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike, NDArray
from plotly.subplots import make_subplots

from ..activations import get_activation
from ..analytic import PAPER_X, PAPER_X_PRIME, paper_eq6
from ..dynamics import FixedPoint, FixedSubspace, default_starts, fixed_points, fixed_subspace
from ..figures.flow import flow_figure
from ..figures.matrices import matrix_trace
from ..figures.style import COLORS, style
from ..gain import critical_strength, gain
from ..generalisation import plane_points
from ..linear_theory import projector
from ..patterns import all_patterns, as_training_set, format_pattern
from ..plane_sweep import default_grid
from ..training import TrainResult, pattern_loss, train
from .controls import TRAINING_SETS, LivePanel, TrainingControls, live_panel
from .svg import SvgItem, network_spec

__all__ = ["NetworkView", "network_explorer", "network_figures", "network_items", "network_view"]


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
    dead_units: list[int] = field(default_factory=list)
    readouts: dict[str, str] = field(default_factory=dict)
    settings: str = ""

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

    def status(self) -> str:
        """What happened in training, in one word or phrase: ``converged``, ``dead units``,
        ``still moving`` (or ``diverged``, which :func:`network_view` reports as an error)."""
        r = self.result
        if r.diverged[0]:
            return "diverged"
        if self.dead_units:
            return "dead units"
        return "converged" if r.converged[0] else "still moving"

    def summary(self) -> str:
        r = self.result
        st = self.status()
        why = {
            "converged": f"max |gradient| {r.grad_max[0]:.1e} ≤ tolerance; stopped early",
            "still moving": f"max |gradient| {r.grad_max[0]:.1e} after the budget: raise max steps",
            "dead units": (
                f"unit(s) {', '.join(str(i + 1) for i in self.dead_units)} never active on an item "
                f"(zero gradient, loss stuck at {r.final_loss[0]:.3f}): not a converged fit"
            ),
        }[st]
        lines = [
            *([f"settings: {self.settings}"] if self.settings else []),
            f"status: {st} ({why}); {r.steps_run} steps, training loss {r.final_loss[0]:.2e}",
        ]
        lines += [f"{k}: {v}" for k, v in self.readouts.items()]
        if self.subspace is not None:
            ev = ", ".join(f"{e.real:.3f}" for e in self.subspace.other_eigenvalues)
            kind = {1: "line", 2: "plane"}.get(self.subspace.dimension, "subspace")
            lines.append(
                f"fixed points: a {kind} ({self.subspace.dimension}-dimensional; "
                f"{'attracting' if self.subspace.attracting else 'not attracting'}; other eigenvalues {ev})"
            )
        else:
            for fp in self.fixed:
                mods = ", ".join(f"{abs(e):.3f}" for e in fp.eigenvalues)
                lines.append(
                    f"fixed point {format_pattern(np.round(fp.x, 3))}: {fp.stability} (|λ| = {mods})"
                )
        return "\n".join(lines)


def _dead_units(W: NDArray[np.float64], X: NDArray[np.int8], activation: str) -> list[int]:
    """Units whose activation has zero slope on every training item (they never learn)."""
    phi = get_activation(activation)
    d = np.asarray(phi.derivative(X.astype(float) @ W.T))
    return [int(i) for i in np.flatnonzero(np.all(np.abs(d) < 1e-12, axis=0))]


@lru_cache(maxsize=2)
def _eq6_affine(which: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Eq. 6's family as vec W(a, b) = w0 + D (a, b), in numbers (the symbolic work of
    :func:`itemsrel.analytic.identify`, done once)."""
    fam = paper_eq6(which)
    w0 = np.array(fam.W.subs(dict.fromkeys(fam.params, 0)).evalf(), dtype=float).ravel()
    D = np.column_stack(
        [np.array(fam.W.diff(p).evalf(), dtype=float).ravel() for p in fam.params]
    )
    return w0, D


def _eq6_point(which: str, W: NDArray[np.float64]) -> tuple[tuple[float, float], float]:
    """(a, b) of the member of eq. 6's family closest to W (least squares) and the distance."""
    w0, D = _eq6_affine(which)
    coef, *_ = np.linalg.lstsq(D, W.ravel() - w0, rcond=None)
    return (float(coef[0]), float(coef[1])), float(np.linalg.norm(W.ravel() - w0 - D @ coef))


@lru_cache(maxsize=8)
def _span_grid(key: bytes, shape: tuple[int, int]) -> NDArray[np.float64]:
    """The grid points of span(X) ∩ [0,1]^N that chapter 4's plane loss averages over (grid
    :func:`~itemsrel.plane_sweep.default_grid`), computed once per training set."""
    X = np.frombuffer(key, dtype=np.int8).reshape(shape)
    return plane_points(X, default_grid(shape[1]))


def plane_loss_readout(
    X: NDArray[np.int8], W: NDArray[np.float64], activation: str
) -> tuple[float, int]:
    """Chapter 4's plane loss of W (:func:`itemsrel.generalisation.plane_loss`: the mean eq.-7
    loss over the grid points of span(X) in the cube, same grid) and the number of points."""
    Xn = np.ascontiguousarray(X, dtype=np.int8)
    pts = _span_grid(Xn.tobytes(), Xn.shape)
    return float(np.mean(pattern_loss(W, pts, activation))), len(pts)


def _readouts(
    X: NDArray[np.int8], W: NDArray[np.float64], activation: str, reg: dict[str, float] | None
) -> dict[str, str]:
    """The numbers chapters 2 and 4 argue with, where they are defined for this setting: the
    (a, b) point of eq. 6's family (linear networks on X or X'), the gain w of W = w·P and its
    prediction, λ* (the strength at which tanh's trained gain reaches 1) and the plane loss
    (chapter 4: how far the network is from keeping every point of span(X) in the cube)."""
    out: dict[str, str] = {}
    for name, ref in (("X", PAPER_X), ("X'", PAPER_X_PRIME)):
        if activation == "linear" and X.shape == ref.shape and np.array_equal(X, ref):
            (a, b), residual = _eq6_point(name, W)
            out["eq. 6 family"] = (
                f"(a, b) = ({a:.3f}, {b:.3f}), distance from the family {residual:.1e}"
            )
    P = projector(X)
    w_fit = float(np.sum(W * P) / np.sum(P * P))
    off = float(np.linalg.norm(W - w_fit * P))
    text = f"W ≈ w·P with w = {w_fit:.3f} (distance {off:.1e})"
    if reg and len(reg) == 1:
        (pen, lam), = reg.items()
        try:
            text += f"; predicted w = {gain(X, activation, pen, lam):.3f} at λ = {lam:g}"
            if activation == "tanh":
                out["λ*"] = (
                    f"{critical_strength(X, activation, pen):.4f} ({pen}: above it the gain "
                    "falls below 1 and the items stop being fixed points)"
                )
        except ValueError:
            pass  # outside the gain analysis's setting (set, activation or penalty)
    out["gain"] = text
    loss, n_pts = plane_loss_readout(X, W, activation)
    out["plane loss"] = (
        f"{loss:.2e} (eq. 7 over {n_pts} points of span(X) ∩ [0,1]^{X.shape[1]}, "
        f"grid {default_grid(X.shape[1])}; 0 = plane kept)"
    )
    return out


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
    **train_kw: Any,
) -> NetworkView:
    """Train one network (stopping early once converged) and analyse it.

    ``train_kw`` goes to :func:`itemsrel.training.train` (e.g. mini-batch sampling). A diverged
    run raises ``ValueError`` (the panel shows it and keeps the last valid result).
    """
    Xn = as_training_set(X)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # divergence is reported below
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
            **train_kw,
        )
    t1 = time.perf_counter()
    if res.diverged[0]:
        raise ValueError(
            f"training diverged (learning rate {lr:g}, optimiser {optimizer}"
            + (f", penalty {regularization}" if regularization else "")
            + "): choose a smaller learning rate or strength"
        )
    W = res.W[0]
    pats = all_patterns(Xn.shape[1])
    losses = pattern_loss(W, pats, activation)
    sub: FixedSubspace | None = None
    fps: list[FixedPoint] = []
    if activation == "linear" and fixed_subspace(W).dimension > 0:
        sub = fixed_subspace(W)
    elif Xn.shape[1] <= 3:
        # the live view searches from fewer starts than the chapters (same points for tanh,
        # sigmoid and linear networks in a check of ~270 trained networks; 3x faster)
        fps = fixed_points(
            W, activation, starts=default_starts(W, activation, n_grid=3, n_random=16)
        )
    dead = _dead_units(W, Xn, activation) if res.final_loss[0] > 1e-6 else []
    t2 = time.perf_counter()
    return NetworkView(
        Xn, res, W, pats, losses, fps, sub, {"train": t1 - t0, "analyse": t2 - t1},
        dead_units=dead, readouts=_readouts(Xn, W, activation, regularization),
        settings=(
            f"items {{{', '.join(''.join(map(str, r)) for r in Xn.tolist())}}}; {activation}; "
            f"init {init} (σ = {sigma:g}); {optimizer}, learning rate {lr:.3g}; "
            f"at most {steps} steps; seed {seed}; "
            + (
                f"mini-batches of {train_kw['batch_size']} ({train_kw.get('sampling', 'iid')}); "
                if train_kw.get("batch_size")
                else "full batch; "
            )
            + (", ".join(f"{k} λ = {v:g}" for k, v in regularization.items())
               if regularization else "no penalty")
        ),
    )


@lru_cache(maxsize=16)
def _weights_losses_layout(N: int) -> str:
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.4, 0.6],
        subplot_titles=("weights W", "loss per pattern"),
        horizontal_spacing=0.12,
    )
    fig.update_xaxes(title_text="from unit j", dtick=1, showgrid=False, row=1, col=1)
    fig.update_yaxes(
        title_text="to unit i", dtick=1, autorange="reversed", showgrid=False, row=1, col=1
    )
    fig.update_yaxes(title_text="loss (eq. 7)", rangemode="tozero", row=1, col=2)
    fig.update_xaxes(title_text="pattern (green: training item)", row=1, col=2)
    fig.update_layout(showlegend=False)
    return json.dumps(style(fig, height=320).layout.to_plotly_json())


def network_figures(view: NetworkView, activation: str) -> list[go.Figure]:
    """The explorer's figures as plotly figures (the static page's snapshot): W and the
    per-pattern losses side by side, and the flow field (N = 3)."""
    N = view.W.shape[0]
    zmax = float(np.max(np.abs(view.W))) or 1.0
    heat = matrix_trace(view.W, zmax, 2, showscale=False).to_plotly_json()
    # numeric unit axes (row 1 on top), as the layout expects
    units = list(range(1, N + 1))
    heat.update(x=units, y=units, z=view.W.tolist())
    if heat.get("text") is not None:
        heat["text"] = np.vectorize(lambda v: f"{v:.2f}")(view.W).tolist()
    train_set = {tuple(r) for r in view.X.tolist()}
    bar = {
        "type": "bar",
        "x": [format_pattern(p, "/") for p in view.patterns],
        "y": view.losses,
        "marker": {
            "color": [
                COLORS["green"] if tuple(p) in train_set else COLORS["blue"]
                for p in view.patterns.tolist()
            ]
        },
        "hovertemplate": "%{x}: loss %{y:.4f}<extra></extra>",
        "name": "loss",
        "xaxis": "x2",
        "yaxis": "y2",
    }
    # one validated layout per N; the traces go in without per-trace validation
    figs = [go.Figure(data=[heat, bar], layout=json.loads(_weights_losses_layout(N)), _validate=False)]
    if N == 3:
        figs.append(
            flow_figure(
                view.W,
                activation,
                training_set=view.X,
                fixed=view.fixed,
                subspace=view.subspace,
                title=f"flow field, φ = {activation}",
                fixed_slots=True,
            )
        )
    return figs


def network_items(view: NetworkView, activation: str) -> list[Any]:
    """What the explorer shows for one trained network: W, the per-pattern losses and the flow
    field (N = 3) as one :class:`~.svg.SvgItem` (SVG in JupyterLab, plotly figures on the static
    page), then the status, readouts and fixed points as text."""
    t0 = time.perf_counter()
    spec = network_spec(view.W, view.X, activation, view.losses, view.fixed, view.subspace)
    item = SvgItem(spec, lambda: network_figures(view, activation))
    return [
        item,
        view.summary(),
        f"timing: train {1e3 * view.timings['train']:.0f} ms, analyse "
        f"{1e3 * view.timings['analyse']:.0f} ms, figure data {1e3 * (time.perf_counter() - t0):.0f} ms",
    ]


def network_explorer(
    X: ArrayLike, controls: TrainingControls | None = None, **defaults: Any
) -> LivePanel:
    """Widget panel: the controls, then W, per-pattern losses and the flow field, redrawn live.

    ``X`` is the training set shown first: one of :data:`~.controls.TRAINING_SETS` (chosen in
    the training-set menu) or, if it is none of them, added to the menu as "this chapter's X".
    ``defaults`` go to :class:`~.controls.TrainingControls`.
    """
    Xn = as_training_set(X)
    if controls is None:
        sets = dict(TRAINING_SETS)
        name = next(
            (k for k, v in sets.items() if v.shape == Xn.shape and np.array_equal(v, Xn)), None
        )
        if name is None:
            name = "this chapter's X"
            sets = {name: Xn, **sets}
        controls = TrainingControls(training_sets=sets, training_set=name, **defaults)
    ctl = controls

    def items() -> list[Any]:
        vals = ctl.values()
        return network_items(network_view(ctl.training_set(), **vals), vals["activation"])

    return live_panel(ctl.widgets, items)
