"""The grid of small trainings pinned by ``engine_reference.json`` (made at commit 0d3c143).

``python tests/unit/data/engine_reference.py`` rewrites the fixture with the current engine;
``python tests/unit/data/engine_reference.py --check`` compares the current engine against it
(largest relative deviation of the trained weights, losses and stop steps). The grid: activations
× optimisers × penalties × batch modes × 2 seeds, one network per call (B = 1, N = 3), plus early
stopping and hidden-layer cases. ``test_engine.py`` runs the same grid.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from itemsrel.training import train

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "engine_reference.json"
X3 = [[1, 0, 1], [1, 1, 0], [0, 1, 1]]
STEPS = 120

ACTIVATIONS: list[dict[str, Any]] = [
    {"activation": "linear"},
    {"activation": "tanh"},
    {"activation": "sigmoid"},
    {"activation": "relu"},
    {"activation": "shifted_tanh"},
]
OPTIMISERS: list[dict[str, Any]] = [
    {"optimizer": "sgd", "lr": 0.3},
    {"optimizer": "sgd", "lr": 0.2, "momentum": 0.9},
    {"optimizer": "adam", "lr": 0.05},
]
PENALTIES: list[dict[str, Any]] = [
    {},
    {"regularization": {"l1": 0.01}},
    {"regularization": {"l2": 0.05}},
    {"regularization": {"rate": 0.1, "level": 0.2}},
]
BATCHES: list[dict[str, Any]] = [
    {},
    {"batch_size": 1, "sampling": "iid", "data_seed": 3},
    {"batch_size": 2, "sampling": "epoch"},
    {"batch_size": 1, "sampling": "cycle"},
    {"per_network": True},
]
EXTRA: list[dict[str, Any]] = [
    {"activation": "linear", "optimizer": "sgd", "lr": 0.5, "steps": 3000,
     "stop_when_converged": True, "grad_tol": 1e-6},
    {"activation": "tanh", "optimizer": "sgd", "lr": 0.5, "steps": 3000,
     "stop_when_converged": True, "grad_tol": 1e-4, "check_every": 7},
    {"activation": "tanh", "optimizer": "adam", "lr": 0.02, "steps": 600,
     "record_every": 1},
    {"activation": "tanh", "optimizer": "sgd", "lr": 0.2, "hidden": 4,
     "hidden_activation": "tanh"},
    {"activation": "linear", "optimizer": "adam", "lr": 0.05, "hidden": 2,
     "batch_size": 1, "sampling": "iid"},
]


def cases() -> list[dict[str, Any]]:
    """Every case's keyword arguments (``per_network``: X given as a (1, K, N) stack)."""
    out = []
    for a, o, p, b in itertools.product(ACTIVATIONS, OPTIMISERS, PENALTIES, BATCHES):
        out.append({**a, **o, **p, **b})
    out += EXTRA
    return [{**c, "seed": s} for c in out for s in (0, 1)]


def run(case: dict[str, Any]) -> dict[str, Any]:
    """Train one case: weights (flattened), history, final loss, steps run."""
    kw = dict(case)
    seed = kw.pop("seed")
    X = np.array(X3)
    if kw.pop("per_network", False):
        X = X[None]
    kw.setdefault("steps", STEPS)
    res = train(X, init="normal", sigma=0.5, seeds=[seed], device="cpu", **kw)
    Ws = [res.W] if res.W1 is None else [res.W1, res.W2]
    return {
        "W": np.concatenate([w.ravel() for w in Ws]).tolist(),
        "loss_history": res.loss_history[::20].ravel().tolist(),  # every 20th record
        "final_loss": res.final_loss.tolist(),
        "steps_run": int(res.steps_run),
    }


def deviation(ref: dict[str, Any], got: dict[str, Any]) -> float:
    """Largest relative deviation |got − ref| / max(|ref|, 1e-300) over the case's numbers
    (inf when the stop steps or the shapes differ)."""
    if ref["steps_run"] != got["steps_run"]:
        return float("inf")
    worst = 0.0
    for key in ("W", "loss_history", "final_loss"):
        a, b = np.asarray(ref[key]), np.asarray(got[key])
        if a.shape != b.shape:
            return float("inf")
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-300))))
    return worst


if __name__ == "__main__":
    all_cases = cases()
    if "--check" in sys.argv:
        ref = json.loads(FIXTURE.read_text())
        worst = max(deviation(r["out"], run(r["case"])) for r in ref)
        print(f"{len(ref)} cases, largest relative deviation {worst:.3g}")
    else:
        FIXTURE.write_text(json.dumps([{"case": c, "out": run(c)} for c in all_cases], indent=0))
        print(f"wrote {len(all_cases)} cases to {FIXTURE}")
