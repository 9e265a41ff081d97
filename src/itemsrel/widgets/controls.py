"""Reusable ipywidgets controls and the one mechanism that wires them to a redraw.

:class:`TrainingControls` holds the knobs every chapter offers (activation, initialisation,
optimiser, learning rate, regularisation); :func:`live_panel` redraws an ``ipywidgets.Output``
whenever any control changes. Figures are ordinary ``go.Figure`` objects shown inside the
Output, which works both in JupyterLab and (with its saved state) in the static book.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from ..activations import ACTIVATIONS
from ..training import INITS, OPTIMIZERS, PENALTIES

__all__ = ["TrainingControls", "live_panel"]

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


def live_panel(
    controls: Sequence[w.Widget], render: Callable[[], None], *, layout: str = "column"
) -> w.Box:
    """A panel that calls ``render()`` inside an Output now and after every control change.

    ``render`` displays whatever it wants (figures, tables); errors are shown in the panel, not
    swallowed. Returns the panel (controls + output) to display.
    """
    out = w.Output(layout=w.Layout(min_height="200px"))

    def redraw(_: Any = None) -> None:
        with out:
            out.clear_output(wait=True)
            render()

    for c in controls:
        c.observe(redraw, names="value")
    redraw()
    ctrl = w.VBox(list(controls))
    return w.VBox([ctrl, out]) if layout == "column" else w.HBox([ctrl, out])
