"""Widget latency: the kernel's share of a redraw, and input-to-redraw in the browser.

1. Round trip in Python: retrain one network until converged, analyse it, build what the
   panel sends (the SVG figures' data; the static page's plotly figures timed beside it).
2. In JupyterLab (headless Chromium, offline): every live panel of every chapter, 20 changes of
   its controls (cycling through all of them), each timed from the input event to the panel
   fully redrawn (no busy line, no DOM change or plotly redraw for 200 ms afterwards; the time of
   the last change counts), with the kernel's share of each change (computing the panel's items;
   sending the changed figure data) read from the panel's timing mark — the rest is the
   message round trip and the browser redrawing. Runs ``tests/browser/test_lab_widgets.py``
   with ``ITEMSREL_LATENCY_CHANGES=20`` and reads the latencies it writes. Rows: chapter, panel,
   changes, median and max input-to-redraw (ms), median kernel compute and send (ms).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import plotly.io as pio

from itemsrel.widgets.network import network_figures, network_items, network_view

X_PRIME = np.array([[0, 1, 0], [0, 0, 1]])
REPO = Path(__file__).resolve().parents[1]
CHANGES = 20
#: Target of the issue: median input-to-redraw for chapters 1–5.
TARGET_MS = 250


def round_trip(quick: bool) -> tuple[list[dict], list[str]]:
    """What one change of the chapter 2–4 explorer costs in the kernel: retrain one network
    (until converged or 3000 steps), analyse it, and build what the panel sends (the SVG
    figures' data, :func:`itemsrel.widgets.network.network_items`) — and, for comparison, the
    plotly figures the static page shows instead."""
    reps = 5 if quick else 15
    res, rows = [], []
    for act, lr in [("linear", 0.1), ("tanh", 0.5), ("sigmoid", 1.0)]:
        split = {"train": [], "analyse": [], "figure": [], "total": [], "plotly": []}
        for r in range(reps + 1):
            t0 = time.perf_counter()
            view = network_view(X_PRIME, act, "normal", "sgd", lr=lr, seed=r)
            t1 = time.perf_counter()
            items = network_items(view, act)
            json.dumps(items[0].spec)  # the data a redraw ships to the browser
            t2 = time.perf_counter()
            for fig in network_figures(view, act):
                pio.to_json(fig)
            t3 = time.perf_counter()
            if r == 0:
                continue  # warm-up
            split["train"].append(view.timings["train"])
            split["analyse"].append(view.timings["analyse"])
            split["figure"].append(t2 - t1)
            split["total"].append(t2 - t0)
            split["plotly"].append(t3 - t2)
        med = {k: float(np.median(v)) for k, v in split.items()}
        res.append({"activation": act, **med, "steps": int(view.result.steps_run)})
        rows.append(
            f"| {act} | {1e3 * med['train']:.0f} | {1e3 * med['analyse']:.0f} | "
            f"{1e3 * med['figure']:.0f} | **{1e3 * med['total']:.0f}** | {1e3 * med['plotly']:.0f} |"
        )
    return res, rows


def browser_latency(quick: bool) -> tuple[list[dict], str]:
    """Run the JupyterLab test with latency recording; rows per panel (ms)."""
    if not Path(os.environ.get("ITEMSREL_CHROMIUM", "/usr/bin/chromium")).exists():
        return [], "chromium not found: browser latency not measured"
    with tempfile.TemporaryDirectory(prefix="itemsrel-latency-") as tmp:
        env = {
            **os.environ,
            "ITEMSREL_LATENCY_CHANGES": str(5 if quick else CHANGES),
            "ITEMSREL_LATENCY_DIR": tmp,
            "ITEMSREL_SCREENSHOT_DIR": tmp,
        }
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
               "tests/browser/test_lab_widgets.py", "-k", "every_control"]
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        rows = []
        for f in sorted(Path(tmp).glob("latency-*.json")):
            chapter = f.stem.removeprefix("latency-")
            for panel, rec in json.loads(f.read_text()).items():
                rows.append({"chapter": chapter, "panel": panel, **latency_row(rec)})
        note = "" if proc.returncode == 0 else (
            f"(the browser run reported failures, exit code {proc.returncode}; "
            "the latencies it recorded are shown)"
        )
        return rows, note


def latency_row(rec: dict[str, list]) -> dict[str, float | int]:
    """Median and max input-to-redraw of one panel's changes, and the medians of the kernel's
    share (``compute_ms``: the panel's items; ``sync_ms``: sending the changes; None where a
    change showed a message instead of redrawing)."""
    v = np.asarray(rec["latency_ms"], dtype=float)

    def med(key: str) -> float:
        x = np.asarray([a for a in rec.get(key, []) if a is not None], dtype=float)
        return float(np.median(x)) if x.size else float("nan")

    return {
        "changes": int(v.size),
        "median_ms": float(np.median(v)),
        "max_ms": float(v.max()),
        "kernel_compute_median_ms": med("compute_ms"),
        "kernel_send_median_ms": med("sync_ms"),
    }


def run(quick: bool = False) -> tuple[dict, str]:
    res, rows = round_trip(quick)
    lat, note = browser_latency(quick)
    md = [
        "## 2. Widget latency\n",
        f"Round trip in Python (median of {5 if quick else 15}; one network on X', retrained "
        "until converged or 3000 steps; what the explorer sends for its SVG figures built). The "
        "split shows where the kernel's share of a redraw goes; the last column is what building "
        "the plotly figures of the static page instead would add.\n",
        "| activation | train (ms) | fixed points / subspace (ms) | figure data (ms) | total (ms) "
        "| plotly figures instead (ms) |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Input to redraw in JupyterLab (headless Chromium, no GPU), {CHANGES} changes per panel "
        "cycling through its controls, each timed from the input event recorded in the page. "
        "Chapters 1–5 draw their figures as SVG (itemsrel.widgets.svg), chapters 6–8 as plotly "
        f"FigureWidgets. Target: median ≤ {TARGET_MS} ms for chapters 1–5. "
        + note + "\n",
        "| chapter | panel | changes | median (ms) | max (ms) | kernel: compute (ms) | "
        "kernel: send (ms) |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['chapter']} | {r['panel']} | {r['changes']} | {r['median_ms']:.0f} | "
            f"{r['max_ms']:.0f} | {r['kernel_compute_median_ms']:.0f} | "
            f"{r['kernel_send_median_ms']:.0f} |"
            for r in lat
        ],
    ]
    return {"round_trip": res, "browser_latency": lat, "browser_note": note}, "\n".join(md)
