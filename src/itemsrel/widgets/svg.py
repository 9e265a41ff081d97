"""SVG figures for the live explorers in JupyterLab: the kernel computes, the browser draws.

A :class:`~itemsrel.widgets.controls.LivePanel` shows an :class:`SvgItem` through one persistent
:class:`SvgFigures` widget (an anywidget): a change sends the new numbers (``spec``, a few kB of
JSON) and the browser redraws them as SVG with the same code as the static book's live panels
(``book/_static/live/figures.mjs`` and ``draw.mjs``, bundled by :mod:`itemsrel.live_assets`).
That costs milliseconds, where restyling plotly figures cost 50–200 ms per figure (a 3-D scene
in software WebGL the most), and it needs no WebGL context at all.

On the static page (no kernel: the book build, nbval) an anywidget cannot render, so the panel
shows the item's ``static()`` plotly figures instead, under its "live in JupyterLab" note.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any

import anywidget
import numpy as np
import traitlets
from numpy.typing import NDArray

from ..activations import get_activation
from ..dynamics import FixedPoint, FixedSubspace
from ..figures.arc import BIT_STYLE, PolygonLayout
from ..figures.symmetry import orbit_colors, orbit_letters, pair_orbit_labels
from ..live_assets import widget_css, widget_module
from ..patterns import as_training_set
from ..symmetry import orbits, symmetry_group

__all__ = [
    "SvgFigures",
    "SvgItem",
    "flow_data",
    "network_spec",
    "polygons_spec",
    "symmetry_spec",
]


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    return widget_module(), widget_css()


#: Seconds after which a drawing the browser has not confirmed counts as lost (see
#: :meth:`SvgFigures.answering`).
ACK_TIMEOUT_S = 1.5


class SvgFigures(anywidget.AnyWidget):
    """The figures of one ``spec`` (see ``book/_static/live/widget.mjs``), drawn as SVG in the
    browser; :meth:`show` sends a new spec, which redraws them in place.

    Every spec carries a number (``gen``); the browser confirms each drawing with a message
    (``{"drawn": gen}``). anywidget gives up on a widget whose module has not loaded within 2 s
    (a page busy drawing the chapter's figures during Run All): that widget renders once and
    then ignores changes. :meth:`answering` tells, and the panel replaces such a widget.
    """

    spec = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        cls = type(self)
        if not getattr(cls, "_esm", None):  # the bundle, read once, on first use
            cls._esm, cls._css = _assets()
        spec = kwargs.pop("spec", {})
        super().__init__(**kwargs)
        self.sent, self.sent_at, self.drawn = 0, 0.0, 0
        self.on_msg(self._on_msg)
        self.show(spec)

    def show(self, spec: dict[str, Any]) -> None:
        """Send ``spec`` (numbered) to the browser."""
        self.sent += 1
        self.sent_at = time.monotonic()
        self.spec = {**spec, "gen": self.sent}

    def _on_msg(self, _: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and isinstance(content.get("drawn"), int):
            self.drawn = max(self.drawn, content["drawn"])

    def answering(self, timeout: float = ACK_TIMEOUT_S) -> bool:
        """False when the browser has not confirmed the last drawing within ``timeout`` s."""
        return self.drawn >= self.sent or time.monotonic() - self.sent_at < timeout


@dataclass
class SvgItem:
    """A panel item: ``spec`` for the live SVG figures, ``static()`` the plotly figures the
    static page shows in their place (built only there)."""

    spec: dict[str, Any]
    static: Callable[[], list[Any]]


#: The flow field's starts: the 5×5×5 grid on [0, 1]³ in itemsrel_live.mjs's order (first
#: coordinate outermost), 18 of them shown as trajectories of 6 steps, all 125 followed 25 steps.
_GRID = np.array(list(product(np.linspace(0.0, 1.0, 5), repeat=3)))
_SHOWN = sorted({round(k * (len(_GRID) - 1) / 17) for k in range(18)})
_SHOWN_STEPS, _END_STEP = 6, 25


def _finite(q: NDArray[np.float64]) -> list[float | None]:
    """A point as JSON: non-finite coordinates (a diverging trajectory) as null."""
    return [float(v) if np.isfinite(v) else None for v in q]


def flow_data(W: NDArray[np.float64], activation: str) -> dict[str, Any]:
    """The flow field x ← φ(W x) of a 3-unit network as ``figures.mjs`` draws it: ``paths`` (18
    trajectories, 7 points each), ``ends`` (where the 125 starts are after 25 steps: one entry
    per distinct point to 1e-3, ``{"q", "n"}``), ``nStarts``, ``endStep``."""
    W = np.asarray(W, dtype=float)
    if W.shape != (3, 3):
        raise ValueError(f"the flow field is drawn for N = 3 only, got W of shape {W.shape}")
    phi = get_activation(activation)
    x = _GRID.copy()
    traj = [x]
    with np.errstate(all="ignore"):
        for _ in range(_END_STEP):
            x = np.asarray(phi(x @ W.T), dtype=float)
            traj.append(x)
    paths = [[_finite(traj[n][p]) for n in range(_SHOWN_STEPS + 1)] for p in _SHOWN]
    ends: dict[str, dict[str, Any]] = {}
    for q in traj[_END_STEP]:
        if not np.all(np.isfinite(q)):
            continue
        key = ",".join(f"{v:.3f}" for v in q)
        if key in ends:
            ends[key]["n"] += 1
        else:
            ends[key] = {"q": q.tolist(), "n": 1}
    return {"paths": paths, "ends": list(ends.values()), "nStarts": len(_GRID), "endStep": _END_STEP}


def _fixed_json(fixed: list[FixedPoint], subspace: FixedSubspace | None) -> dict[str, Any]:
    """Fixed points in itemsrel_live.mjs's shape: ``points`` ({x, stability, eigenvalues as
    [re, im]}) and ``continuum`` (null or {dimension, basis (N×d)})."""
    return {
        "points": [
            {
                "x": np.asarray(fp.x, dtype=float).tolist(),
                "stability": fp.stability,
                "eigenvalues": [[float(e.real), float(e.imag)] for e in fp.eigenvalues],
            }
            for fp in fixed
        ],
        "continuum": None
        if subspace is None
        else {
            "dimension": int(subspace.dimension),
            "basis": np.asarray(subspace.basis, dtype=float).tolist(),
            "attracting": bool(subspace.attracting),
        },
    }


def network_spec(
    W: NDArray[np.float64],
    X: NDArray[np.int8],
    activation: str,
    pattern_losses: NDArray[np.float64],
    fixed: list[FixedPoint],
    subspace: FixedSubspace | None,
) -> dict[str, Any]:
    """The ``network`` spec: W (N×N), the training set X (K×N), the eq.-7 loss of every pattern
    in lexicographic order (2^N), the flow field and fixed points (N = 3; else no flow)."""
    W = np.asarray(W, dtype=float)
    N = W.shape[0]
    return {
        "kind": "network",
        "W": W.tolist(),
        "X": np.asarray(X, dtype=int).tolist(),
        "patternLosses": np.asarray(pattern_losses, dtype=float).tolist(),
        "flow": flow_data(W, activation) if N == 3 else None,
        "fixed": _fixed_json(fixed, subspace),
        "flowTitle": f"flow field x ← φ(Wx), φ = {activation}",
    }


def symmetry_spec(X: NDArray[np.int8], group: Any | None = None) -> dict[str, Any]:
    """The ``symmetry`` spec of a training set X (K×N): Σ_X's invariant structure (pair-orbit
    numbers, their letters and colours as in :func:`~itemsrel.figures.symmetry.invariant_pattern_figure`)
    and the items grouped by orbit (as in :func:`~itemsrel.figures.symmetry.training_set_figure`).
    ``group``: Σ_X if already computed."""
    X = as_training_set(X)
    N = X.shape[1]
    G = symmetry_group(X) if group is None else group
    L = pair_orbit_labels(G, N)
    k = int(L.max()) + 1
    letters, colors = orbit_letters(k), orbit_colors(k)
    groups = [[list(map(int, item)) for item in orb] for orb in orbits(X, G)]
    return {
        "kind": "symmetry",
        "labels": L.tolist(),
        "letters": [[letters[v] for v in row] for row in L.tolist()],
        "fills": [[colors[v] for v in row] for row in L.tolist()],
        "patternTitle": f"Σ-invariant W: {k} free parameter{'s' * (k != 1)}",
        "groups": groups,
        "itemsTitle": f"{len(X)} items, {len(groups)} orbit{'s' * (len(groups) != 1)} under Σ_X",
    }


def polygons_spec(layout: PolygonLayout, title: str | None = None) -> dict[str, Any]:
    """The ``polygons`` spec of a :func:`~itemsrel.figures.arc.polygon_layout` (chapter 5's
    patterns as polygons): edges in :data:`~itemsrel.figures.arc.BIT_STYLE`, captions, frames,
    and a legend of the two edge styles."""
    lines = [
        {"a": list(a), "b": list(b), "color": BIT_STYLE[bit]["color"],
         "width": BIT_STYLE[bit]["width"] * 0.6, "dash": BIT_STYLE[bit]["dash"]}
        for bit in (0, 1)
        for a, b in layout.segments[bit]
    ]
    return {
        "kind": "polygons",
        "title": title,
        "xRange": list(layout.x_range),
        "yRange": list(layout.y_range),
        "lines": lines,
        "texts": [
            {"x": x, "y": y, "text": text, "size": size, "anchor": anchor, "valign": valign,
             "color": color}
            for x, y, text, size, anchor, valign, color in layout.texts
        ],
        "frames": [
            {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "color": c}
            for x0, y0, x1, y1, c in layout.frames
        ],
        "legend": [
            {"name": name, "color": BIT_STYLE[bit]["color"], "width": BIT_STYLE[bit]["width"] * 0.6,
             "dash": BIT_STYLE[bit]["dash"]}
            for bit, name in ((1, "bit 1 (paper: red edge)"), (0, "bit 0 (paper: green edge)"))
        ],
    }
