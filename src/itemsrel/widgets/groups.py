"""Live explorer for learning a word in a group: retrain one network on every change.

:func:`grokking_view` is the pure computation (train one network, find its grokking steps and the
irrep content of its neurons); :func:`grokking_explorer` wires group, word, training fraction,
weight decay, width and a few optimiser knobs to it with :func:`~itemsrel.widgets.controls.live_panel`
and redraws the accuracy curves. A bad word or setting shows a message, never a silent NaN.
"""

from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import numpy as np

from ..figures.groups import curves_figure
from ..grokking import (
    HIDDEN_ACTIVATIONS,
    GrokResult,
    TripletSummary,
    WordTask,
    neuron_irreps,
    train_words,
    triplet_summary,
)
from ..groups import group_by_name
from .controls import live_panel

__all__ = [
    "EXPLORER_GROUPS",
    "EXPLORER_WORDS",
    "GrokkingView",
    "grokking_explorer",
    "grokking_view",
]

#: Groups offered by the explorer (order 12 trains about eight times faster than order 24).
EXPLORER_GROUPS = ("Z_12", "Z_24", "D_6", "D_12", "S_4")
#: Suggested words (any word in x and y can be typed).
EXPLORER_WORDS = ("x*y", "x*y*x^-1", "x*y*x^-1*y^-1", "x^2*y", "y*x^-1")

_STYLE = {"description_width": "120px"}
_LAYOUT = w.Layout(width="360px")


@dataclass
class GrokkingView:
    """One trained network and what the explorer reports about it."""

    result: GrokResult
    train_step: float
    test_step: float
    purity: float
    triplets: TripletSummary
    seconds: float

    def text(self) -> str:
        r = self.result
        steps = r.config["steps"]
        train = f"{self.train_step:.0f}" if np.isfinite(self.train_step) else f"not within {steps}"
        test = f"{self.test_step:.0f}" if np.isfinite(self.test_step) else f"not within {steps}"
        t = self.triplets
        return (
            f"train accuracy 100 % at step {train}; test accuracy ≥ 95 % at step {test}\n"
            f"final accuracy: train {100 * r.train_acc[-1, 0]:.1f} %, "
            f"test {100 * r.test_acc[-1, 0]:.1f} %\n"
            f"median neuron purity {self.purity:.2f}; {t.n_active} active neurons, "
            f"{100 * t.allowed_share:.0f} % on fusion-allowed irrep triplets "
            f"(chance {100 * t.chance:.0f} %)\n"
            f"trained in {self.seconds:.1f} s"
        )


def grokking_view(
    group: str = "D_12",
    word: str = "x*y",
    fraction: float = 0.8,
    weight_decay: float = 1.0,
    width: int = 128,
    *,
    steps: int = 1500,
    lr: float = 2e-2,
    activation: str = "relu",
    seed: int = 0,
) -> GrokkingView:
    """Train one network (``group`` by name, e.g. ``"D_12"``) and summarise it.

    Raises ``ValueError`` with a readable message for a bad group, word or setting, and when
    training diverges.
    """
    G = group_by_name(group)
    task = WordTask(G, word, float(fraction), float(weight_decay), int(seed))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            res = train_words([task], width=width, lr=lr, steps=steps, activation=activation)
        except RuntimeWarning as exc:
            raise ValueError(f"training diverged: {exc}") from None
    seconds = time.perf_counter() - t0
    ni = neuron_irreps(G, *res.weights(0))
    return GrokkingView(
        res,
        float(res.first_step("train", 1.0)[0]),
        float(res.first_step("test", 0.95)[0]),
        float(np.median(ni.purity("x")[ni.active])),
        triplet_summary(G, word, ni),
        seconds,
    )


#: Longest word the panel accepts, and the largest exponent (|k|) in it.
MAX_WORD_LENGTH, MAX_EXPONENT = 40, 999


def check_word(word: str) -> str:
    """Check a typed word before anything is computed: characters ``x y * ^ - ( )`` and digits,
    at most :data:`MAX_WORD_LENGTH` characters and exponents up to :data:`MAX_EXPONENT`.
    Raises ``ValueError`` saying what is wrong (the panel shows it and keeps its last result)."""
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__}")
    w_ = word.replace(" ", "")
    if not w_:
        raise ValueError("type a word in x and y, e.g. x*y*x^-1")
    if len(w_) > MAX_WORD_LENGTH:
        raise ValueError(f"the word has {len(w_)} characters; at most {MAX_WORD_LENGTH} are allowed")
    bad = sorted(set(re.sub(r"[xy*^()\-0-9]", "", w_)))
    if bad:
        raise ValueError(
            f"the word contains {''.join(bad)!r}; use x, y, *, ^ and integer exponents"
        )
    big = [int(k) for k in re.findall(r"\^\(?(-?\d+)", w_) if abs(int(k)) > MAX_EXPONENT]
    if big:
        raise ValueError(f"exponent {big[0]} is too large: |exponent| ≤ {MAX_EXPONENT} allowed")
    return w_


def grokking_explorer(
    group: str = "D_12",
    word: str = "x*y*x^-1",
    fraction: float = 0.8,
    weight_decay: float = 1.0,
    width: int = 128,
    *,
    steps: int = 1500,
    lr: float = 2e-2,
    activation: str = "relu",
) -> w.Box:
    """Widget panel: group, word, fraction, weight decay, width, steps, learning rate,
    activation and seed; redraws train/test accuracy and a summary after every change."""

    def slider(cls, **kw):
        return cls(style=_STYLE, layout=_LAYOUT, continuous_update=False, **kw)

    c_group = w.Dropdown(
        options=list(EXPLORER_GROUPS),
        value=group,
        description="group",
        style=_STYLE,
        layout=_LAYOUT,
    )
    c_word = w.Combobox(
        options=list(EXPLORER_WORDS),
        value=word,
        description="word",
        placeholder="e.g. x*y*x^-1",
        ensure_option=False,
        style=_STYLE,
        layout=_LAYOUT,
        continuous_update=False,
    )
    c_frac = slider(
        w.FloatSlider, value=fraction, min=0.1, max=0.95, step=0.05, description="training fraction"
    )
    c_wd = slider(
        w.FloatSlider, value=weight_decay, min=0.0, max=3.0, step=0.1, description="weight decay λ"
    )
    c_width = slider(w.IntSlider, value=width, min=8, max=256, step=8, description="width")
    c_steps = slider(w.IntSlider, value=steps, min=100, max=4000, step=100, description="steps")
    c_lr = slider(
        w.FloatLogSlider, value=lr, base=10, min=-3, max=-1, step=0.1, description="learning rate"
    )
    c_act = w.Dropdown(
        options=list(HIDDEN_ACTIVATIONS),
        value=activation,
        description="activation",
        style=_STYLE,
        layout=_LAYOUT,
    )
    c_seed = w.BoundedIntText(
        value=0, min=0, max=10_000, description="seed", style=_STYLE, layout=_LAYOUT
    )
    controls = [c_group, c_word, c_frac, c_wd, c_width, c_steps, c_lr, c_act, c_seed]

    def items() -> list[Any]:
        check_word(c_word.value)
        view = grokking_view(
            c_group.value,
            c_word.value,
            c_frac.value,
            c_wd.value,
            c_width.value,
            steps=c_steps.value,
            lr=c_lr.value,
            activation=c_act.value,
            seed=c_seed.value,
        )
        t = view.result.tasks[0]
        title = f"{t.group.name}: {t.word}, fraction {t.fraction:g}, λ = {t.weight_decay:g}"
        settings = (
            f"width {c_width.value}, {c_act.value}, {c_steps.value} steps at learning rate "
            f"{c_lr.value:.3g}, seed {c_seed.value}"
        )
        return [curves_figure(view.result, title=title), settings + "\n" + view.text()]

    return live_panel(controls, items)
