"""Chapter 5's live panel (:func:`itemsrel.widgets.arc.arc_explorer`): the kernel's compute per change.

The panel's controls are changed 20 times, cycling through them in the order and the way the
JupyterLab latency test (``tests/browser/test_lab_widgets.py``) operates them: the optimiser
menu (next option), the sliders N (edges), learning rate and max steps (one key press: right
on even changes, left on odd ones, inwards at an end), the seed (+1) and the first button of the
training polygons (toggled). Each change's compute is the panel's own timing mark
(``LivePanel.timing["compute_ms"]``: the answers and the figure, not the send).

Two panels take the same changes, interleaved change by change: ``before`` answers with the
former path (:func:`itemsrel.arc.network_answers` once per activation, the full step budget,
nothing kept), ``after`` with the panel's own (:meth:`ArcExplorer.network_answers`). Both must
show the same answers. Besides the times (inflated on a loaded machine), the work: the training
steps each change runs (steps of the engine's loop, one per batched program; the former path
runs one program per activation). Rows: path, changes, median and max compute (ms), total
training steps.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from itemsrel import engine, training
from itemsrel.arc import NetworkAnswers, Puzzle, network_answers
from itemsrel.widgets.arc import NETWORKS, ArcExplorer

CHANGES = 20
#: Target of issue 16 for this panel's kernel compute (median per change).
TARGET_MS = 120


def _former(self: ArcExplorer, puzzle: Puzzle) -> list[NetworkAnswers]:
    """The panel's answers as computed before: one full-budget training per activation."""
    return [
        network_answers(
            [puzzle],
            name,
            optimizer=self.optimizer.value,
            lr=float(self.lr.value),
            steps=int(self.steps.value),
            seed=int(self.seed.value),
        )
        for name in NETWORKS
    ]


class _Former(ArcExplorer):
    network_answers = _former


@contextmanager
def _counting_steps() -> Iterator[list[int]]:
    """Count the steps of every training loop run inside (``engine.fit``'s return values)."""
    counts: list[int] = []
    fit = engine.fit

    def counted(*args, **kwargs) -> int:
        n = fit(*args, **kwargs)
        counts.append(n)
        return n

    engine.fit = training.fit = counted
    try:
        yield counts
    finally:
        engine.fit = training.fit = fit


def _slide(slider, step: int) -> None:
    """One key press on a slider, as the browser test does (inwards at an end)."""
    if hasattr(slider, "options"):  # SelectionSlider: by index
        values, i = list(slider.options), list(slider.options).index(slider.value)
        lo, hi = 0, len(values) - 1
    elif hasattr(slider, "base"):  # FloatLogSlider: by exponent
        i = round(math.log10(slider.value) / slider.step)
        lo, hi = round(slider.min / slider.step), round(slider.max / slider.step)
    else:
        i, lo, hi = slider.value, slider.min, slider.max
    left = i == hi or (i != lo and step % 2 == 1)
    j = i - 1 if left else i + 1
    if hasattr(slider, "options"):
        slider.value = values[j]
    elif hasattr(slider, "base"):
        slider.value = slider.base ** (j * slider.step)
    else:
        slider.value = j


def change(e: ArcExplorer, step: int) -> str:
    """Apply change ``step`` of the cycle to the panel; returns what changed."""
    k = step % 6
    if k == 0:
        opts = list(e.optimizer.options)
        e.optimizer.value = opts[(opts.index(e.optimizer.value) + 1) % len(opts)]
        return f"optimiser → {e.optimizer.value}"
    if k in (1, 2, 3):
        slider = (e.N, e.lr, e.steps)[k - 1]
        _slide(slider, step)
        return f"{slider.description} → {slider.value:.3g}"
    if k == 4:
        e.seed.value += 1
        return f"seed → {e.seed.value}"
    button = e.items.grid.children[0].children[1]
    button.value = not button.value
    return "item 1, edge 1 toggled"


def _answers(e: ArcExplorer) -> list[str]:
    return [a.text for a in e.live.figures[0].layout.annotations]


def run(quick: bool = False) -> tuple[list[dict], list[str]]:
    """Time the changes on both paths, interleaved; returns (results, report lines)."""
    panels = {"before": _Former(), "after": ArcExplorer()}
    times: dict[str, list[float]] = {k: [] for k in panels}
    work: dict[str, list[int]] = {k: [] for k in panels}
    lines = []
    for step in range(CHANGES):
        for name, e in panels.items():
            with _counting_steps() as counts:
                what = change(e, step)
            times[name].append(e.live.timing["compute_ms"])
            work[name].append(sum(counts))
            if e.live.message:
                raise RuntimeError(f"{name}, {what}: {e.live.message}")
        same = _answers(panels["before"]) == _answers(panels["after"])
        if not same:
            raise AssertionError(f"change {step} ({what}): the two paths answer differently")
        lines.append(
            f"  {step:2d} {what:26s} before {times['before'][-1]:6.1f} ms "
            f"{work['before'][-1]:5d} steps, after {times['after'][-1]:6.1f} ms "
            f"{work['after'][-1]:5d} steps"
        )
    res = [
        {
            "path": name,
            "changes": CHANGES,
            "median_ms": float(np.median(t)),
            "max_ms": float(np.max(t)),
            "training_steps": int(sum(work[name])),
        }
        for name, t in times.items()
    ]
    lines += [
        f"{r['path']:6s}: {r['changes']} changes, median {r['median_ms']:.1f} ms, "
        f"max {r['max_ms']:.1f} ms, {r['training_steps']} training steps "
        f"(target: median ≤ {TARGET_MS} ms)"
        for r in res
    ]
    return res, lines


if __name__ == "__main__":
    _, report = run("--quick" in sys.argv)
    print("\n".join(report))
