"""Reusable ipywidgets controls and the one mechanism that wires them to a redraw.

:class:`TrainingControls` holds the knobs every chapter offers (training set, activation,
initialisation and its scale, optimiser, learning rate, steps, seed, regularisation). Every
explorer of the book shows its results the same way: a function computes a list of *items* —
text, plotly figures, HTML — and :class:`LivePanel` shows them below the controls, now and after
every change:

* **In place.** In JupyterLab each figure slot is one persistent ``plotly.graph_objects.FigureWidget``
  whose traces and layout are updated in one ``batch_update``: a change sends only the new data,
  the browser restyles the figure it has (no new WebGL context, the camera stays where the reader
  put it). An :class:`~.svg.SvgItem` (the network explorer's figures) goes into one persistent
  :class:`~.svg.SvgFigures` widget: the kernel sends the numbers, the browser draws SVG with the
  static book's figure code (milliseconds; no WebGL). Text goes into persistent ``HTML`` widgets.
* **Latest wins.** A change marks the panel busy (a line inside the panel) and schedules the
  recompute on the kernel's event loop; changes that arrive before it runs supersede it, so a burst
  of changes costs one recompute, for the final values.
* **Bad input** (``ValueError``) shows a short message in the panel and keeps the last valid
  drawing; any other error of the *first* draw propagates (a broken panel fails the notebook's
  execution), later ones are shown in one line with the traceback folded away.
* **Static book.** Executed without a JupyterLab session (book build, nbval) the panel draws its
  figures once into an ``Output`` (plain figures, which the static page shows) under a note that
  the controls are live only in JupyterLab (``make lab``); the first change in a live kernel swaps
  them for FigureWidgets. (A FigureWidget cannot render in the static page and would add ~5 MB of
  widget state to it.)
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import os
import re
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go
from numpy.typing import NDArray
from plotly.utils import PlotlyJSONEncoder

from ..activations import ACTIVATIONS
from ..analytic import PAPER_X, PAPER_X_PRIME
from ..engine import SAMPLINGS
from ..figures.style import FIGURE_CONFIG
from ..patterns import as_training_set, cyclic_shifts, disjoint_blocks
from ..training import INITS, OPTIMIZERS, PENALTIES
from .svg import SvgFigures, SvgItem

__all__ = [
    "STATIC_NOTE",
    "STEP_CHOICES",
    "TRAINING_SETS",
    "LivePanel",
    "TrainingControls",
    "as_outputs",
    "live_panel",
    "show",
    "sync_figure",
]

#: Shown above every panel in the static book (hidden in a live JupyterLab session).
STATIC_NOTE = (
    "<div class='itemsrel-static-note' style='border-left:4px solid #E69F00;"
    "background:#fff8e6;padding:4px 8px;margin:2px 0 6px 0;font-size:90%'>"
    "<b>Live in JupyterLab</b> (<code>make lab</code>): on this web page no Python runs, so "
    "these controls do nothing and the figures below are a snapshot at the values shown.</div>"
)
_TIMING_MARK = re.compile(r"<span class='itemsrel-timing'[^>]*></span>")
_BUSY = "<span style='color:#E69F00'>⏳ recomputing for the new values…</span>"


def _in_lab_session() -> bool:
    """True in a kernel started by a Jupyter server for a notebook (JupyterLab, Notebook 7):
    jupyter_server names the session in ``JPY_SESSION_NAME``; nbclient (book build, nbval)
    does not."""
    return bool(os.environ.get("JPY_SESSION_NAME"))


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_STYLE = {"description_width": "120px"}
_LAYOUT = w.Layout(width="360px")


#: Training sets offered by the chapter 2–4 explorer (chapter 4's four sets).
TRAINING_SETS: dict[str, NDArray[np.int8]] = {
    "X' = {010, 001}": PAPER_X_PRIME,
    "X = {101, 110}": PAPER_X,
    "hexagon (6 rotations of 110000)": cyclic_shifts([1, 1, 0, 0, 0, 0]),
    "pairs (4 disjoint pairs, N = 8)": disjoint_blocks(4, 2),
}
#: Step budgets: training stops earlier once converged (chapter 3 uses 20 000 steps).
STEP_CHOICES = (100, 300, 1000, 3000, 10000, 20000)


class TrainingControls:
    """Training set, activation, initialisation (and its scale σ), optimiser, learning rate,
    steps, seed and regularisation widgets.

    ``values()`` returns keyword arguments for :func:`itemsrel.widgets.network.network_view`
    (``activation``, ``init``, ``optimizer``, ``lr``, ``regularization``, ``steps``, ``seed``,
    ``sigma``, and for mini-batches ``batch_size``, ``sampling``, ``data_seed``);
    ``training_set()`` the chosen set (K, N). ``training_sets`` maps names to sets
    (default :data:`TRAINING_SETS`; ``X`` of the explorer is added when it is not one of them).
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
        steps: int = 3000,
        seed: int = 0,
        sigma: float = 0.05,
        activations: Sequence[str] = ACTIVATIONS,
        inits: Sequence[str] = INITS,
        training_sets: dict[str, Any] | None = None,
        training_set: str | None = None,
    ) -> None:
        sets = dict(TRAINING_SETS if training_sets is None else training_sets)
        if not sets:
            raise ValueError("training_sets must name at least one training set")
        if steps not in STEP_CHOICES:
            raise ValueError(f"steps must be one of {STEP_CHOICES}, got {steps}")
        self.training_sets = {k: as_training_set(v) for k, v in sets.items()}
        self.training = w.Dropdown(
            options=list(self.training_sets),
            value=training_set or next(iter(self.training_sets)),
            description="training set",
            style=_STYLE,
            layout=_LAYOUT,
        )
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
        self.sigma = w.FloatLogSlider(
            value=sigma,
            base=10,
            min=-3,
            max=0,
            step=0.25,
            description="init scale σ",
            style=_STYLE,
            layout=_LAYOUT,
            continuous_update=False,
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
        self.steps = w.SelectionSlider(
            options=list(STEP_CHOICES),
            value=steps,
            description="max steps",
            style=_STYLE,
            layout=_LAYOUT,
            continuous_update=False,
        )
        self.seed = w.BoundedIntText(
            value=seed, min=0, max=9999, description="seed", style=_STYLE, layout=_LAYOUT
        )
        self.batch = w.Dropdown(
            options=[("all items (full batch)", 0), ("1 item", 1), ("2 items", 2), ("4 items", 4)],
            value=0,
            description="mini-batch",
            style=_STYLE,
            layout=_LAYOUT,
        )
        self.sampling = w.Dropdown(
            options=list(SAMPLINGS),
            value="iid",
            description="batch sampling",
            style=_STYLE,
            layout=_LAYOUT,
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
        return [
            self.training,
            self.activation,
            self.init,
            self.sigma,
            self.optimizer,
            self.lr,
            self.steps,
            self.seed,
            self.batch,
            self.sampling,
            self.penalty,
            self.strength,
        ]

    def training_set(self) -> NDArray[np.int8]:
        """The chosen training set, shape (K, N)."""
        return self.training_sets[self.training.value]

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
            "steps": int(self.steps.value),
            "seed": int(self.seed.value),
            "sigma": float(self.sigma.value),
            # mini-batches: batch_size items a step, drawn with the seed's own data stream
            **(
                {
                    "batch_size": int(self.batch.value),
                    "sampling": self.sampling.value,
                    "data_seed": int(self.seed.value),
                }
                if self.batch.value
                else {}
            ),
        }

    @property
    def box(self) -> w.VBox:
        return w.VBox(self.widgets)


def _static_items(items: Sequence[Any]) -> list[Any]:
    """``items`` as the static page shows them: each :class:`~.svg.SvgItem` replaced by its
    plotly figures (an anywidget cannot render without a kernel)."""
    out: list[Any] = []
    for item in items:
        out.extend(item.static() if isinstance(item, SvgItem) else [item])
    return out


def as_outputs(items: Sequence[Any]) -> tuple[dict[str, Any], ...]:
    """Output-widget entries for ``items``: ``str`` → text, objects with ``_repr_mimebundle_``
    (plotly figures: the current renderer's bundle) or ``_repr_html_`` (``IPython.display.HTML``)
    → rich display, an :class:`~.svg.SvgItem` → its static figures. Anything else raises
    ``TypeError``."""
    outs: list[dict[str, Any]] = []
    for item in _static_items(items):
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


def _plain(value: Any) -> Any:
    """``value`` with numpy arrays and plotly's base64 typed arrays (``{"dtype", "bdata"}``) as
    plain lists: the widget channel sends them as JSON, which every front end reads the same."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                a = a.reshape([int(n) for n in str(value["shape"]).split(",")])
            return a.tolist()
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _fingerprint(value: Any) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


def sync_figure(target: go.FigureWidget, fig: go.Figure) -> None:
    """Make ``target`` show ``fig`` in place, sending only what changed.

    Traces of the same types in the same order are updated property by property (only
    properties whose value changed are set and sent); otherwise the trace list is replaced.
    Of the layout only the top-level entries that changed are sent (a new title does not make
    plotly.js re-lay out the axes or the 3-D scene). The scene camera and zoom the reader chose are kept
    (``uirevision``). What was sent last is remembered on ``target`` (``_itemsrel_sent``).
    """
    fig_json = _plain(fig.to_plotly_json())
    new = fig_json["data"]
    layout = {**fig_json["layout"], "uirevision": "itemsrel-live"}
    sent: dict[str, Any] | None = getattr(target, "_itemsrel_sent", None)
    if sent is None:  # a fresh widget shows what it was created with (if anything)
        made = target.to_plotly_json()
        sent = {
            "data": [{k: _fingerprint(v) for k, v in t.items()} for t in made["data"]],
            "types": [{"type": t.get("type")} for t in made["data"]],
            "layout": {k: _fingerprint(v) for k, v in made["layout"].items()},
        }
    new_fp = [{k: _fingerprint(v) for k, v in t.items()} for t in new]
    old_fp = sent["data"]
    same = [t.get("type") for t in new] == [t.get("type") for t in sent.get("types", [])] and len(
        new_fp
    ) == len(old_fp)
    if not same:
        with target.batch_update():
            target.data = []
        target.add_traces(new)
    layout_fp = {k: _fingerprint(v) for k, v in layout.items()}
    old_layout = sent["layout"] if isinstance(sent["layout"], dict) else {}
    layout_changed = {k: v for k, v in layout.items() if layout_fp[k] != old_layout.get(k)}
    layout_gone = [k for k in old_layout if k not in layout_fp]
    with target.batch_update():
        if same:
            for tr, d, nf, of in zip(target.data, new, new_fp, old_fp, strict=True):
                changed = {k: v for k, v in d.items() if nf[k] != of.get(k)}
                gone = [k for k in of if k not in nf]
                for k in gone:
                    tr[k] = None
                if changed:
                    tr.update(changed, overwrite=True)
        for k in layout_gone:
            target.layout[k] = None
        if layout_changed:
            target.layout.update(layout_changed, overwrite=True)
    target._itemsrel_sent = {
        "data": new_fp,
        "types": [{"type": t.get("type")} for t in new],
        "layout": layout_fp,
    }


def _reopen(fw: go.FigureWidget) -> None:
    """Open ``fw``'s channel to the front end again, so that its first message carries the
    figure. (plotly opens it empty and sends the data in a second message; JupyterLab could
    draw a FigureWidget shown at once from the first and show an empty figure for good.)"""
    fw.close()
    fw.open()


class LivePanel(w.VBox):
    """Controls, a status line and the items of ``items()``, redrawn in place after changes.

    ``controls``: the widgets whose ``value`` changes trigger a redraw (others may call
    :meth:`refresh`). ``items()`` returns text, plotly figures and HTML objects. ``header``: widgets
    shown between the controls and the output (help text). ``delay``: seconds a change waits for
    newer changes before recomputing (latest wins). Attributes: ``status`` (HTML: busy, warnings),
    ``area`` (the output box), ``figures`` (the FigureWidgets in use, in order), ``shown`` (the
    items drawn last), ``svg_figures`` (the :class:`~.svg.SvgFigures` widgets in use, for
    :class:`~.svg.SvgItem` items), ``redraws`` (how many draws so far), ``timing`` (the kernel's share of the
    last live redraw: ``compute_ms`` for the items, ``sync_ms`` for sending the changes; also in
    an empty ``.itemsrel-timing`` element in the status line); ``message`` (the status line's
    text without that mark: "" when all is well).
    """

    def __init__(
        self,
        controls: Sequence[w.Widget],
        items: Callable[[], Sequence[Any]],
        *,
        layout: str = "column",
        header: Sequence[w.Widget] = (),
        observe: bool = True,
        delay: float = 0.02,
    ) -> None:
        self._items = items
        self._delay = delay
        self._gen = 0
        self._live = _in_lab_session()
        self.figures: list[go.FigureWidget] = []
        self.svg_figures: list[SvgFigures] = []
        self._texts: list[w.HTML] = []
        self.redraws = 0
        self.timing: dict[str, float] = {}
        self.note = w.HTML(STATIC_NOTE)
        if self._live:
            self.note.layout.display = "none"
        self.status = w.HTML("", layout=w.Layout(min_height="1.4em"))
        self.status.add_class("itemsrel-status")
        self.area = w.VBox(layout=w.Layout(min_height="200px"))
        self.area.add_class("itemsrel-live-area")
        self.controls = list(controls)
        if observe:
            for c in self.controls:
                c.observe(self.refresh, names="value")
        self._draw(self._items(), first=True)
        ctrl = w.VBox(self.controls)
        ctrl.add_class("itemsrel-controls")
        body = w.VBox([self.note, *(header or ()), self.status, self.area])
        if layout == "column":
            super().__init__([ctrl, body])  # two children: controls, output
        else:
            super().__init__([w.HBox([ctrl, body])])
        self.add_class("itemsrel-live-panel")

    # -- scheduling --------------------------------------------------------------------------
    def refresh(self, _: Any = None) -> None:
        """Recompute for the current control values: at once outside an event loop (tests,
        notebook execution), else after ``delay`` s unless a newer change supersedes it."""
        self._gen += 1
        gen = self._gen
        loop = _running_loop()
        if loop is None:
            self._run(gen)
            return
        self.status.value = _BUSY
        self.area.add_class("itemsrel-busy")
        loop.call_later(self._delay, self._run, gen)

    def _run(self, gen: int) -> None:
        if gen != self._gen:
            return  # superseded by a newer change
        t0 = time.perf_counter()
        try:
            content = self._items()
        except ValueError as exc:  # bad input: say so, keep the last valid drawing
            self._done(f"<b style='color:#D55E00'>⚠ {html.escape(str(exc))}</b> "
                       "<small>(showing the last valid result)</small>")
            return
        except Exception as exc:  # a bug: one line, traceback folded away, nothing raised
            self._failed(exc)
            return
        if gen != self._gen:
            return
        t1 = time.perf_counter()
        try:
            self._draw(content)
        except Exception as exc:
            self._failed(exc)
            return
        t2 = time.perf_counter()
        self.timing = {"compute_ms": 1e3 * (t1 - t0), "sync_ms": 1e3 * (t2 - t1)}
        # an empty (invisible) mark in the status line for the browser test and the benchmark:
        # the kernel's share of this redraw (compute the items, send the changes). (A widget of
        # its own next to the figures kept JupyterLab from drawing FigureWidgets: see the note.)
        self._done(
            f"<span class='itemsrel-timing' data-compute-ms='{self.timing['compute_ms']:.1f}' "
            f"data-sync-ms='{self.timing['sync_ms']:.1f}' data-redraw='{self.redraws}'></span>"
        )

    def _failed(self, exc: Exception) -> None:
        tb = html.escape(traceback.format_exc())
        self._done(
            f"<b style='color:#D55E00'>⚠ the panel failed: {html.escape(repr(exc))}</b>"
            f"<details><summary>traceback</summary><pre>{tb}</pre></details>"
        )

    def _done(self, status: str) -> None:
        self.status.value = status
        self.area.remove_class("itemsrel-busy")

    # -- drawing -------------------------------------------------------------------------------
    def _draw(self, items: Sequence[Any], *, first: bool = False) -> None:
        self.redraws += 1
        self.shown = list(items)
        if first and not self._live:
            out = w.Output()
            show(out, items)
            self.area.children = (out,)
            return
        children: list[w.Widget] = []
        n_fig = n_txt = n_svg = 0
        for item in items:
            if isinstance(item, SvgItem):  # one persistent SVG widget per slot: new numbers only
                if n_svg == len(self.svg_figures):
                    self.svg_figures.append(SvgFigures(spec=item.spec))
                elif self._live and not self.svg_figures[n_svg].answering():
                    # its browser side stopped drawing (anywidget's load timeout): a new one
                    self.svg_figures[n_svg].close()
                    self.svg_figures[n_svg] = SvgFigures(spec=item.spec)
                else:
                    self.svg_figures[n_svg].show(item.spec)
                children.append(self.svg_figures[n_svg])
                n_svg += 1
                continue
            if isinstance(item, go.Figure):
                if n_fig == len(self.figures):
                    # created with its first figure: data and layout arrive together
                    made = _plain(item.to_plotly_json())
                    made["layout"]["uirevision"] = "itemsrel-live"
                    fw = go.FigureWidget(made)
                    fw._config = dict(FIGURE_CONFIG)
                    _reopen(fw)
                    self.figures.append(fw)
                sync_figure(self.figures[n_fig], item)
                children.append(self.figures[n_fig])
                n_fig += 1
                continue
            if isinstance(item, str):
                value = f"<pre style='line-height:1.3;margin:2px 0'>{html.escape(item)}</pre>"
            elif hasattr(item, "_repr_html_"):
                value = item._repr_html_()
            else:
                raise TypeError(f"cannot show an item of type {type(item).__name__} in a panel")
            if n_txt == len(self._texts):
                self._texts.append(w.HTML())
            self._texts[n_txt].value = value
            children.append(self._texts[n_txt])
            n_txt += 1
        if tuple(children) != tuple(self.area.children):
            self.area.children = tuple(children)

    @property
    def message(self) -> str:
        """The status line without the timing mark: "" after a successful redraw, else the
        busy line or the warning shown."""
        return _TIMING_MARK.sub("", self.status.value)

    @property
    def texts(self) -> list[str]:
        """The HTML of the text items shown now (live mode), in order."""
        return [t.value for t in self.area.children if isinstance(t, w.HTML)]


def live_panel(
    controls: Sequence[w.Widget],
    items: Callable[[], Sequence[Any]],
    *,
    layout: str = "column",
    header: Sequence[w.Widget] = (),
    delay: float = 0.02,
) -> LivePanel:
    """A :class:`LivePanel` over ``controls`` and ``items`` (see there)."""
    return LivePanel(controls, items, layout=layout, header=header, delay=delay)
