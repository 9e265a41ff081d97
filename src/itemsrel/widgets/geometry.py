"""Live explorer for the representational-geometry chapter: retrain, measure, redraw.

:func:`geometry_view` is the pure computation: train a few one-hidden-layer networks (one per
seed) on the δ-separable XOR task, measure their hidden representation over training, and project
the first network's weights on its class axes beside the expected-gradient field.
:func:`geometry_explorer` wires an activation dropdown and δ, training-noise and hidden-width
sliders to it; results are cached per setting, so going back to a setting is instant.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import torch
from numpy.typing import NDArray

from ..activations import Activation, get_activation
from ..figures.geometry import metric_panels, trajectory_figure
from ..geometry import METRICS, xor_task
from ..hidden import (
    HiddenResult,
    expected_gradient_field,
    project_on_class_axes,
    representation_metrics,
    train_hidden,
)
from .controls import live_panel

__all__ = [
    "EXPLORER_ACTIVATIONS",
    "GeometryView",
    "geometry_explorer",
    "geometry_panel_items",
    "geometry_view",
]

#: The activations offered by the explorer: name on the page → activation.
EXPLORER_ACTIVATIONS: dict[str, Activation] = {
    "tanh": get_activation("tanh"),
    "relu": get_activation("relu"),
    "clip": get_activation("clip"),
    "relu(z+1)": get_activation("relu", shift=-1.0),
    "relu(z−1)": get_activation("relu", shift=1.0),
}
WIDTHS = (8, 16, 32, 64, 128)
_CHEAP = ("target_alignment", "input_alignment", "parallelism")


@dataclass
class GeometryView:
    """What the explorer shows for one setting.

    ``metrics[m]`` (R, n_seeds): the cheap measures at the recorded ``steps``; ``final[m]``
    (n_seeds,): all measures after training; ``trajectory`` (R, H, 2): network 0's neurons on
    their class axes; ``field`` = (α grid, β grid, dα, dβ) for the trajectory figure.
    """

    name: str
    delta: float
    sigma_train: float
    result: HiddenResult
    steps: NDArray[np.int64]
    metrics: dict[str, NDArray[np.float64]]
    final: dict[str, NDArray[np.float64]]
    trajectory: NDArray[np.float64]
    field: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]
    timings: dict[str, float] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Final measures, mean ± sd over the seeds, as text."""
        rows = [
            {
                "measure": METRICS[k],
                "mean ± sd": f"{v.mean():.2f} ± {v.std(ddof=1) if v.size > 1 else 0.0:.2f}",
            }
            for k, v in self.final.items()
        ]
        return pd.DataFrame(rows).set_index("measure")


def _grid(values: NDArray[np.float64], n: int = 9) -> NDArray[np.float64]:
    lo, hi = float(min(values.min(), -0.2)), float(max(values.max(), 0.2))
    pad = 0.15 * (hi - lo)
    return np.linspace(lo - pad, hi + pad, n)


@lru_cache(maxsize=64)
def geometry_view(
    activation: str = "tanh",
    delta: float = 1.0,
    sigma_train: float = 1.0,
    hidden: int = 32,
    *,
    n_seeds: int = 4,
    N: int = 50,
    steps: int = 300,
    lr: float = 3.0,
) -> GeometryView:
    """Train ``n_seeds`` networks (seeds 0..n_seeds-1) on ``xor_task(delta, N, seed)`` and measure.

    ``activation`` is a key of :data:`EXPLORER_ACTIVATIONS`; the other settings are the chapter's
    (4 samples per cluster and step, initial weights N(0, 0.25/N), frozen ±1 readout).
    """
    if activation not in EXPLORER_ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(EXPLORER_ACTIVATIONS)}"
        )
    if not 0 <= delta <= 1:
        raise ValueError(f"δ must lie in [0, 1], got {delta}")
    if not (np.isfinite(sigma_train) and sigma_train >= 0):
        raise ValueError(f"training noise σ must be a number >= 0, got {sigma_train}")
    if hidden < 2 or hidden % 2:
        raise ValueError(f"the hidden width must be an even number >= 2, got {hidden}")
    t0 = time.perf_counter()
    seeds = list(range(n_seeds))
    record = sorted({0, 1, 2, 5, 10, 20, 50, 100, 200, steps} & set(range(steps + 1)))
    res = train_hidden(
        [xor_task(delta, N, s) for s in seeds],
        EXPLORER_ACTIVATIONS[activation],
        seeds,
        hidden=hidden,
        steps=steps,
        lr=lr,
        batch_per_cluster=4,
        init_scale=0.5,
        sigma_train=sigma_train,
        record_steps=record,
        dtype=torch.float32,
        device="cpu",
    )
    if not np.all(np.isfinite(res.W)):
        raise ValueError(
            f"training diverged for {activation} with hidden width {hidden}: no representation to measure"
        )
    t1 = time.perf_counter()
    per_step = [representation_metrics(res, step=s, decoders=False) for s in record]
    metrics = {k: np.stack([m[k] for m in per_step]) for k in _CHEAP}
    final = representation_metrics(res)
    t2 = time.perf_counter()
    traj = project_on_class_axes(res.W_history[:, 0], res.readout[0], res.tasks[0])
    al, be = _grid(traj[..., 0]), _grid(traj[..., 1])
    da, db = expected_gradient_field(
        res.tasks[0], EXPLORER_ACTIVATIONS[activation], al, be, sigma=sigma_train
    )
    t3 = time.perf_counter()
    return GeometryView(
        name=activation,
        delta=delta,
        sigma_train=sigma_train,
        result=res,
        steps=np.asarray(record, dtype=np.int64),
        metrics=metrics,
        final=final,
        trajectory=traj,
        field=(al, be, da, db),
        timings={"train": t1 - t0, "measure": t2 - t1, "field": t3 - t2},
    )


def geometry_panel_items(
    activation: str,
    delta: float,
    sigma_train: float,
    hidden: int,
    *,
    lr: float = 3.0,
    steps: int = 300,
    n_seeds: int = 4,
) -> list[str | go.Figure]:
    """What the panel shows for one setting: a heading, two figures and the table. A bad
    setting (or a diverged run) raises ``ValueError`` (the panel shows it in one line)."""
    t0 = time.perf_counter()
    view = geometry_view(
        activation,
        round(float(delta), 2),
        float(sigma_train),
        int(hidden),
        n_seeds=int(n_seeds),
        steps=int(steps),
        lr=round(float(lr), 4),
    )
    traj = trajectory_figure(
        {view.name: (view.trajectory, view.field)},
        title=f"network 0: input weights over training (δ = {view.delta:g}, σ = {view.sigma_train:g})",
        height=400,
    )
    curves = metric_panels(
        view.steps,
        {view.name: {k: view.metrics[k] for k in _CHEAP}},
        {k: METRICS[k] for k in _CHEAP},
        x_title="training step",
        log_x=True,
        ranges={k: (-1.05, 1.05) if k == "parallelism" else (0, 1.02) for k in _CHEAP},
        title=f"measures over training, mean ± sd over {view.result.B} seeds",
        height=330,
    )
    heading = (
        f"{view.name}, δ = {view.delta:g}, training noise σ = {view.sigma_train:g}, "
        f"H = {view.result.config['hidden']}: {view.result.B} networks (seeds 0–{view.result.B - 1}), "
        f"{int(steps)} steps at learning rate {float(lr):.3g}\n"
    )
    timing = (
        f"timing: train {1e3 * view.timings.get('train', 0):.0f} ms, measure "
        f"{1e3 * view.timings.get('measure', 0):.0f} ms, field {1e3 * view.timings.get('field', 0):.0f} ms "
        f"(this redraw {1e3 * (time.perf_counter() - t0):.0f} ms; settings seen before are cached)\n"
    )
    return [heading, traj, curves, view.table().to_string() + "\n", timing]


def geometry_explorer(
    activation: str = "tanh",
    delta: float = 0.5,
    sigma_train: float = 1.0,
    hidden: int = 32,
    *,
    lr: float = 3.0,
    steps: int = 300,
    n_seeds: int = 4,
) -> w.Box:
    """Widget panel: activation, δ, training noise σ, hidden width, learning rate, steps and the
    number of seeds → trajectories and measures (:func:`~itemsrel.widgets.controls.live_panel`
    over :func:`geometry_panel_items`)."""
    style = {"description_width": "150px"}
    layout = w.Layout(width="420px")
    act = w.Dropdown(
        options=list(EXPLORER_ACTIVATIONS),
        value=activation,
        description="activation",
        style=style,
        layout=layout,
    )
    dlt = w.FloatSlider(
        value=delta,
        min=0.0,
        max=1.0,
        step=0.1,
        description="separability δ",
        continuous_update=False,
        style=style,
        layout=layout,
    )
    sig = w.FloatSlider(
        value=sigma_train,
        min=0.0,
        max=3.0,
        step=0.25,
        description="training noise σ",
        continuous_update=False,
        style=style,
        layout=layout,
    )
    width = w.SelectionSlider(
        options=list(WIDTHS),
        value=hidden,
        description="hidden units H",
        continuous_update=False,
        style=style,
        layout=layout,
    )
    rate = w.FloatLogSlider(
        value=lr, base=10, min=-1, max=1, step=0.1, description="learning rate",
        continuous_update=False, style=style, layout=layout,
    )
    n_steps = w.SelectionSlider(
        options=[100, 200, 300, 600, 1000], value=steps, description="steps",
        continuous_update=False, style=style, layout=layout,
    )
    seeds = w.IntSlider(
        value=n_seeds, min=2, max=8, description="networks (seeds)",
        continuous_update=False, style=style, layout=layout,
    )
    return live_panel(
        [act, dlt, sig, width, rate, n_steps, seeds],
        lambda: geometry_panel_items(
            act.value, dlt.value, sig.value, width.value,
            lr=rate.value, steps=n_steps.value, n_seeds=seeds.value,
        ),
    )
