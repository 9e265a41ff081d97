"""The symmetry lab of chapter 6: type any training set up to N = 10, see Σ_X, its orbits, the
invariant weight structure and which unseen patterns trained networks reproduce."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
from IPython.display import HTML
from numpy.typing import NDArray

from ..figures.generality import structure_figure
from ..generality import MAX_N, consistent_patterns, describe, returns
from ..patterns import as_training_set
from ..symmetry import index_orbits, pair_orbit_labels, span_patterns, symmetry_group
from .controls import live_panel

__all__ = ["LAB_ACTIVATIONS", "lab_view", "parse_patterns", "symmetry_lab"]

LAB_ACTIVATIONS = ("linear", "tanh", "sigmoid", "relu")
_MAX_ITEMS = 16


def parse_patterns(text: str) -> NDArray[np.int8]:
    """Patterns typed one per line as 0/1 strings (spaces and commas ignored) → (K, N) int8.

    Raises ``ValueError`` naming the line for anything but 0 and 1, lines of unequal length,
    N > 10, more than 16 items, duplicates or an empty set.
    """
    rows = []
    for k, line in enumerate(str(text).splitlines(), start=1):
        bits = line.replace(" ", "").replace(",", "")
        if not bits:
            continue
        if set(bits) - {"0", "1"}:
            raise ValueError(f"line {k} ({line.strip()!r}) has characters other than 0 and 1")
        rows.append([int(b) for b in bits])
    if not rows:
        raise ValueError("type at least one pattern, one per line (e.g. 101)")
    if len({len(r) for r in rows}) != 1:
        raise ValueError("every pattern must have the same length")
    if len(rows[0]) > MAX_N:
        raise ValueError(f"patterns longer than N = {MAX_N}: the lab handles N ≤ {MAX_N}")
    if len(rows) > _MAX_ITEMS:
        raise ValueError(f"at most {_MAX_ITEMS} patterns")
    return as_training_set(rows, max_n=MAX_N)


def _trained(X: NDArray[np.int8], activation: str, hidden: int, steps: int) -> Any:
    from ..training import train

    kw: dict[str, Any] = {"optimizer": "adam", "lr": 0.02, "steps": steps, "seeds": [0]}
    if hidden:
        return train(
            X,
            activation,
            init="normal",
            sigma=0.1,
            hidden=hidden,
            hidden_activation=activation,
            **kw,
        )
    return train(X, activation, init="zeros", **kw)


def lab_view(
    X: NDArray[np.int8], activation: str = "tanh", hidden: int = 0, steps: int = 1500
) -> list[Any]:
    """What the lab shows for training set X: facts, orbits, the invariant structure (a heat map
    numbering the free parameters) and a table of the unseen patterns each kind of network
    reproduces (one linear and one ``activation`` network, zero init, or N → H → N with H =
    ``hidden`` from a small random init)."""
    if activation not in LAB_ACTIVATIONS:
        raise ValueError(f"activation must be one of {LAB_ACTIVATIONS}, got {activation!r}")
    X = as_training_set(X, max_n=MAX_N)
    N = X.shape[1]
    d = describe(X)
    group = symmetry_group(X)
    orbits = " ".join("{" + ",".join(str(i + 1) for i in o) + "}" for o in index_orbits(group, N))
    numbered = pair_orbit_labels(group, N)
    facts = (
        f"N = {N}, K = {d['K']} items, rank {d['rank']};  |Σ_X| = {d['group_order']};  "
        f"unit orbits {orbits};  free parameters of an invariant W: {d['free_parameters']} "
        f"(of {N * N})"
    )
    tests = {
        "in span(X)": span_patterns(X),
        "fixed by Σ_X": consistent_patterns(X, "fixed"),
        "exactly Σ_X": consistent_patterns(X, "exact"),
    }
    rows = []
    for act in dict.fromkeys(("linear", activation)):
        res = _trained(X, act, hidden, steps)
        ok_train = returns(res.predict(X)[0], X)
        row = {
            "network": act + (f", hidden H={hidden}" if hidden else ""),
            "training items": f"{int(ok_train.sum())}/{len(X)}",
        }
        for name, P in tests.items():
            if len(P) == 0:
                row[name] = "—"
                continue
            ok = returns(res.predict(P)[0], P)
            shown = ", ".join("".join(str(int(v)) for v in p) for p in P[ok][:4])
            more = "…" if ok.sum() > 4 else ""
            row[name] = f"{int(ok.sum())}/{len(P)}" + (f" ({shown}{more})" if ok.any() else "")
        rows.append(row)
    table = pd.DataFrame(rows).set_index("network")
    return [
        facts,
        structure_figure(numbered, "Σ_X-invariant W: entries with one number are equal"),
        HTML(table.to_html(classes="itemsrel-table")),
    ]


def symmetry_lab(text: str = "101\n110") -> w.VBox:
    """The lab panel: a text box of patterns, an activation menu and a hidden-layer width."""
    patterns = w.Textarea(
        value=text,
        description="patterns",
        rows=5,
        placeholder="one pattern per line, e.g. 0110",
        continuous_update=False,
    )
    activation = w.Dropdown(options=LAB_ACTIVATIONS, value="tanh", description="activation")
    hidden = w.IntSlider(value=0, min=0, max=20, description="hidden H", continuous_update=False)
    note = w.HTML("<small>H = 0: no hidden layer (y = φ(Wx)); H > 0: y = φ(W₂ φ(W₁x)).</small>")

    def items() -> list[Any]:
        return lab_view(parse_patterns(patterns.value), activation.value, hidden.value)

    panel = live_panel([patterns, activation, hidden, note], items)
    return panel
