"""Widget round trip: retrain one network to convergence + flow field + new figure data."""

from __future__ import annotations

import time

import numpy as np
import plotly.io as pio

from itemsrel.figures.flow import flow_figure
from itemsrel.widgets.network import network_view

X_PRIME = np.array([[0, 1, 0], [0, 0, 1]])


def run(quick: bool = False) -> tuple[dict, str]:
    reps = 5 if quick else 15
    res, rows = [], []
    for act, lr in [("linear", 0.1), ("tanh", 0.5), ("sigmoid", 1.0)]:
        split = {"train": [], "analyse": [], "figure": [], "total": []}
        for r in range(reps + 1):
            t0 = time.perf_counter()
            view = network_view(X_PRIME, act, "normal", "sgd", lr=lr, seed=r)
            t1 = time.perf_counter()
            fig = flow_figure(
                view.W, act, training_set=X_PRIME, fixed=view.fixed, subspace=view.subspace
            )
            pio.to_json(fig)  # the figure data a redraw ships to the browser
            t2 = time.perf_counter()
            if r == 0:
                continue  # warm-up
            split["train"].append(view.timings["train"])
            split["analyse"].append(view.timings["analyse"])
            split["figure"].append(t2 - t1)
            split["total"].append(t2 - t0)
        med = {k: float(np.median(v)) for k, v in split.items()}
        res.append({"activation": act, **med, "steps": int(view.result.steps_run)})
        rows.append(
            f"| {act} | {1e3 * med['train']:.0f} | {1e3 * med['analyse']:.0f} | {1e3 * med['figure']:.0f} | "
            f"**{1e3 * med['total']:.0f}** |"
        )
    md = [
        "## 2. Widget round trip (median of "
        f"{reps}; one network on X', retrained until converged or 3000 steps)\n",
        "The peer of each part is the total: the split shows where a redraw's time goes. Target: median ≤ 100 ms.\n",
        "| activation | train (ms) | fixed points / subspace (ms) | flow field + figure JSON (ms) | total (ms) |",
        "|---|---|---|---|---|",
        *rows,
    ]
    return {"round_trip": res}, "\n".join(md)
