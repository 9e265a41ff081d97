"""Live panels of the static book: the chapter's Python computes the starting state, the reader's
browser recomputes everything after each change with ``book/_static/live/itemsrel_live.mjs``.

:func:`live_panel` returns a :class:`LivePanel` whose HTML is a placeholder ``<div
class="itemsrel-live" data-state='…'>``: the state (training set, controls, the initial weights
numpy drew, and the numbers the package computed for that state) is JSON. On the built site the
Sphinx extension ``book/_ext/offline_assets.py`` loads the live script (``panels.mjs`` with the
modules it imports, bundled by :func:`itemsrel.live_assets.book_script`) on pages that hold such a
div; it draws the controls, retrains in float64 JavaScript on every change (no kernel) and draws
the figures as SVG (``figures.mjs``, ``draw.mjs``). In JupyterLab the ipywidgets explorers stay
the live path; there the placeholder shows the starting numbers as text.

Kinds: ``"train"`` (train one network: activation, initialisation, optimiser, learning rate,
steps, penalty; mirrors :func:`itemsrel.widgets.network.network_view`), ``"family"`` (drag the
free parameters (a, b) of a two-parameter linear solution family, e.g. eq. 6), ``"symmetry"``
(edit the training set; Σ_X, orbits, the invariant weight pattern and the span).
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from .activations import ACTIVATIONS
from .analytic import SolutionFamily
from .patterns import all_patterns, as_training_set
from .symmetry import (
    cycle_notation,
    group_elements,
    orbits,
    span_patterns,
    symmetry_consistent_patterns,
    symmetry_group,
)
from .training import INITS, OPTIMIZERS, PENALTIES, initial_weights, pattern_loss

__all__ = ["KINDS", "LivePanel", "family_parts", "live_panel"]

KINDS = ("train", "family", "symmetry")


@dataclass(frozen=True)
class LivePanel:
    """A live panel's starting state (``state``, JSON-serialisable); renders as its placeholder."""

    state: dict[str, Any]

    @property
    def panel_id(self) -> str:
        blob = json.dumps(self.state, sort_keys=True).encode()
        return "itemsrel-live-" + hashlib.sha1(blob).hexdigest()[:10]

    def _repr_html_(self) -> str:
        data = html.escape(json.dumps(self.state, separators=(",", ":")), quote=True)
        py = self.state["python"]
        lines = [f"live panel ({self.state['kind']}): starting state computed by the chapter"]
        if "final_loss" in py:
            lines.append(f"training loss {py['final_loss']:.3e} after {py['steps_run']} steps")
        return (
            f'<div class="itemsrel-live" id="{self.panel_id}" data-kind="{self.state["kind"]}" '
            f'data-state="{data}"><p class="itemsrel-live-fallback">{html.escape("; ".join(lines))}'
            " (the interactive version runs on the book's HTML pages).</p></div>"
        )


def _fp_state(fixed: list, subspace: Any) -> dict[str, Any]:
    if subspace is not None:
        return {"continuum": int(subspace.dimension), "points": []}
    return {
        "continuum": None,
        "points": [{"x": fp.x.tolist(), "stability": fp.stability} for fp in fixed],
    }


def family_parts(family: SolutionFamily) -> dict[str, Any]:
    """An affine two-parameter family ``W(a, b) = W0 + a A + b B`` as nested lists.

    Raises ``ValueError`` unless the family has exactly two parameters and is affine in them.
    """
    if len(family.params) != 2:
        raise ValueError(f"a live family panel needs 2 free parameters, got {len(family.params)}")
    p, q = family.params
    M = family.W
    A, B = M.diff(p), M.diff(q)
    if any(sp.simplify(e).free_symbols for e in [*A, *B]):
        raise ValueError("the family is not affine in its parameters")
    W0 = M.subs({p: 0, q: 0})
    to = lambda m: np.array(m.evalf(), dtype=float).tolist()  # noqa: E731
    return {"W0": to(W0), "A": to(A), "B": to(B), "names": [str(p), str(q)]}


def live_panel(
    X: ArrayLike,
    kind: str = "train",
    *,
    activation: str = "linear",
    init: str = "zeros",
    optimizer: str = "sgd",
    lr: float = 0.1,
    steps: int = 3000,
    penalty: str | None = None,
    strength: float = 1e-3,
    seed: int = 0,
    sigma: float = 0.05,
    family: SolutionFamily | None = None,
    a: float = 0.5,
    b: float = 0.0,
    title: str = "",
) -> LivePanel:
    """The starting state of a live panel on the training set X (K, N), computed with the package.

    ``kind="train"``: one network trained as :func:`~itemsrel.widgets.network.network_view` trains
    it (``steps`` at most, stopping once converged); ``kind="family"``: ``family`` (two free
    parameters, affine) at ``(a, b)``, linear activation; ``kind="symmetry"``: Σ_X and its
    consequences. The state holds the numpy initial weights, so the browser retrains from exactly
    the chapter's start, and the package's results (``state["python"]``) for the page's tests.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown panel kind {kind!r}; choose one of {', '.join(KINDS)}")
    Xn = as_training_set(X)
    N = Xn.shape[1]
    penalty = None if penalty in (None, "none") else penalty
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
    if penalty is not None and penalty not in PENALTIES:
        raise ValueError(
            f"unknown penalty {penalty!r}; choose none or one of {', '.join(PENALTIES)}"
        )
    state: dict[str, Any] = {"kind": kind, "title": title, "X": Xn.tolist()}
    if kind == "train":
        from .widgets.network import network_view  # the explorer's own computation

        W0 = initial_weights(init, N, [seed], sigma)[0]
        reg = {penalty: float(strength)} if penalty else None
        view = network_view(
            Xn, activation, init, optimizer, lr, reg, steps=steps, seed=seed, sigma=sigma
        )
        state.update(
            activation=activation,
            init=init,
            seed=int(seed),
            sigma=float(sigma),
            optimizer=optimizer,
            lr=float(lr),
            steps=int(steps),
            penalty=penalty or "none",
            strength=float(strength),
            W0=W0.tolist(),
            python={
                "W": view.W.tolist(),
                "final_loss": float(view.result.final_loss[0]),
                "steps_run": int(view.result.steps_run),
                "pattern_losses": view.losses.tolist(),
                **_fp_state(view.fixed, view.subspace),
            },
        )
    elif kind == "family":
        if family is None:
            raise ValueError("kind='family' needs family= (a SolutionFamily with 2 parameters)")
        parts = family_parts(family)
        W = np.array(parts["W0"]) + a * np.array(parts["A"]) + b * np.array(parts["B"])
        state.update(
            activation="linear",
            family=parts,
            a=float(a),
            b=float(b),
            python={
                "W": W.tolist(),
                "pattern_losses": pattern_loss(W, all_patterns(N), "linear").tolist(),
            },
        )
    else:
        G = symmetry_group(Xn)
        state.update(
            python={
                "group": [cycle_notation(g, N) for g in group_elements(G)],
                "orbits": [[list(i) for i in o] for o in orbits(Xn, G)],
                "span": span_patterns(Xn).tolist(),
                "consistent": symmetry_consistent_patterns(Xn).tolist(),
            }
        )
    return LivePanel(state)
