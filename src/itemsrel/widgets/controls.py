"""Reusable ipywidgets controls and the one mechanism that wires them to a redraw.

:class:`TrainingControls` holds the knobs every chapter offers (activation, initialisation,
optimiser, learning rate, regularisation). Every explorer of the book shows its results the same
way: a function computes a list of *items* — text, plotly figures, HTML — and :func:`show`
replaces the contents of an ``ipywidgets.Output`` with them in one piece (:func:`as_outputs`);
:func:`live_panel` does this now and after every control change. Assigning the outputs, rather
than printing inside ``with out:``, keeps notebook execution (book build, nbval) from stalling on
large figures, and keeps the computation testable without a kernel. Figures carry the bundle of
the current plotly renderer, so they work in JupyterLab and (saved) in the static book.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from ..activations import ACTIVATIONS
from ..training import INITS, OPTIMIZERS, PENALTIES

__all__ = ["TrainingControls", "as_outputs", "live_panel", "show"]

_STYLE = {"description_width": "120px"}
_LAYOUT = w.Layout(width="360px")


class TrainingControls:
    """Activation, initialisation, optimiser, learning rate and regularisation widgets.

    ``values()`` returns keyword arguments for :func:`itemsrel.training.train`
    (``activation``, ``init``, ``optimizer``, ``lr``, ``regularization``).
    """

    def __init__(
        self,
        *,
        activation: str = "linear",
        init: str = "zeros",
        optimizer: str = "sgd",
        lr: float = 0.1,
        penalty: str = "none",
        strength: float = 1e-3,
        activations: Sequence[str] = ACTIVATIONS,
        inits: Sequence[str] = INITS,
    ) -> None:
        self.activation = w.Dropdown(
            options=list(activations),
            value=activation,
            description="activation",
            style=_STYLE,
            layout=_LAYOUT,
        )
        self.init = w.Dropdown(
            options=list(inits),
            value=init,
            description="initialisation",
            style=_STYLE,
            layout=_LAYOUT,
        )
        self.optimizer = w.Dropdown(
            options=list(OPTIMIZERS),
            value=optimizer,
            description="optimiser",
            style=_STYLE,
            layout=_LAYOUT,
        )
        self.lr = w.FloatLogSlider(
            value=lr,
            base=10,
            min=-3,
            max=0.5,
            step=0.25,
            description="learning rate",
            style=_STYLE,
            layout=_LAYOUT,
            continuous_update=False,
        )
        self.penalty = w.Dropdown(
            options=["none", *PENALTIES],
            value=penalty,
            description="regularisation",
            style=_STYLE,
            layout=_LAYOUT,
        )
        self.strength = w.FloatLogSlider(
            value=strength,
            base=10,
            min=-4,
            max=0,
            step=0.25,
            description="strength λ",
            style=_STYLE,
            layout=_LAYOUT,
            continuous_update=False,
        )

    @property
    def widgets(self) -> list[w.Widget]:
        return [self.activation, self.init, self.optimizer, self.lr, self.penalty, self.strength]

    def values(self) -> dict[str, Any]:
        reg = (
            None
            if self.penalty.value == "none"
            else {self.penalty.value: float(self.strength.value)}
        )
        return {
            "activation": self.activation.value,
            "init": self.init.value,
            "optimizer": self.optimizer.value,
            "lr": float(self.lr.value),
            "regularization": reg,
        }

    @property
    def box(self) -> w.VBox:
        return w.VBox(self.widgets)


def as_outputs(items: Sequence[Any]) -> tuple[dict[str, Any], ...]:
    """Output-widget entries for ``items``: ``str`` → text, objects with ``_repr_mimebundle_``
    (plotly figures: the current renderer's bundle) or ``_repr_html_`` (``IPython.display.HTML``)
    → rich display. Anything else raises ``TypeError``."""
    outs: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            text = item if item.endswith("\n") else item + "\n"
            outs.append({"output_type": "stream", "name": "stdout", "text": text})
        elif hasattr(item, "_repr_mimebundle_"):
            bundle = item._repr_mimebundle_()
            data = bundle[0] if isinstance(bundle, tuple) else bundle
            outs.append({"output_type": "display_data", "data": data, "metadata": {}})
        elif hasattr(item, "_repr_html_"):
            outs.append(
                {
                    "output_type": "display_data",
                    "data": {"text/html": item._repr_html_(), "text/plain": repr(item)},
                    "metadata": {},
                }
            )
        else:
            raise TypeError(f"cannot show an item of type {type(item).__name__} in a panel")
    return tuple(outs)


def show(out: w.Output, items: Sequence[Any]) -> None:
    """Replace everything ``out`` shows by ``items`` (see :func:`as_outputs`)."""
    out.outputs = as_outputs(items)


def live_panel(
    controls: Sequence[w.Widget],
    items: Callable[[], Sequence[Any]],
    *,
    layout: str = "column",
) -> w.Box:
    """Controls above (or beside) an Output that shows ``items()`` now and after every change.

    ``items()`` returns what to show (text, figures, HTML). A ``ValueError`` (bad input, e.g. a
    diverging learning rate) is shown as a warning line. Any other error of the *first* call
    propagates, so a broken panel fails the notebook's execution instead of being saved into the
    book; later errors (interactive changes) are shown with their traceback in the panel.
    """
    out = w.Output(layout=w.Layout(min_height="200px"))

    def redraw(_: Any = None, *, first: bool = False) -> None:
        try:
            content = items()
        except ValueError as exc:
            content = [f"⚠ {exc}"]
        except Exception:
            if first:
                raise
            content = ["⚠ the panel failed:\n" + traceback.format_exc()]
        show(out, content)

    for c in controls:
        c.observe(redraw, names="value")
    redraw(first=True)
    ctrl = w.VBox(list(controls))
    return w.VBox([ctrl, out]) if layout == "column" else w.HBox([ctrl, out])
