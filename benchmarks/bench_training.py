"""Batched training vs a per-network loop of the same torch code, and scaling with N and B."""

from __future__ import annotations

import time
from unittest import mock

import numpy as np
import torch

from itemsrel import training
from itemsrel.training import train

X_PAPER = np.array([[1, 0, 1], [1, 1, 0]])
STEPS = 5000


def _time(fn, repeat: int = 1) -> float:
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return float(best)


def loop_seconds_per_network(activation: str, n: int) -> float:
    """The peer: the same engine called once per network (B = 1), timed over ``n`` networks."""
    t = time.perf_counter()
    for s in range(n):
        train(X_PAPER, activation, "normal", "sgd", lr=0.1, steps=STEPS, seeds=[s], device="cpu")
    return (time.perf_counter() - t) / n


class _ClassOptimiser:
    """The peer of the engine's optimiser: the same updates through torch.optim's classes."""

    def __init__(self, params, optimizer="sgd", *, lr, momentum=0.0, betas=(0.9, 0.999), eps=1e-8):
        self.ps = [torch.nn.Parameter(p) for p in params]  # share storage: updated in place
        self.opt = (
            torch.optim.SGD(self.ps, lr=lr, momentum=momentum, foreach=False)
            if optimizer == "sgd"
            else torch.optim.Adam(self.ps, lr=lr, betas=betas, eps=eps, foreach=False)
        )

    def step(self, grads):
        for p, g in zip(self.ps, grads, strict=True):
            p.grad = g
        self.opt.step()


def anatomy(quick: bool) -> tuple[list[dict], list[str]]:
    """µs per step of the engine with torch's functional kernels vs the optimiser classes."""
    rows, res = [], []
    steps = 1000 if quick else 3000
    for optimizer in ("sgd", "adam"):
        for B in (1, 1000):
            kw = dict(lr=0.05, steps=steps, seeds=range(B), device="cpu")
            run_once = lambda o=optimizer, kw=kw: train(X_PAPER, "tanh", "normal", o, **kw)  # noqa: E731
            ours = _time(run_once, 3)
            with mock.patch.object(training, "Optimiser", _ClassOptimiser):
                peer = _time(run_once, 3)
            res.append(
                {
                    "optimizer": optimizer,
                    "B": B,
                    "class_us": 1e6 * peer / steps,
                    "kernel_us": 1e6 * ours / steps,
                }
            )
            rows.append(
                f"| {optimizer} | {B} | {1e6 * peer / steps:.1f} | {1e6 * ours / steps:.1f} | "
                f"{peer / ours:.2f}× |"
            )
    return res, rows


GRID = [(act, B) for act in ("linear", "tanh") for B in (1, 10, 100, 1000)]


def grid_seconds(steps: int = STEPS) -> dict[str, float]:
    """Seconds of one call of the batched training grid's points: ``"act B" → s`` (full-batch SGD,
    paper's X, float64, CPU). Run under another checkout's ``src`` to compare engines:
    ``PYTHONPATH=<checkout>/src python benchmarks/bench_training.py --grid``."""
    out = {}
    for act, B in GRID:
        out[f"{act} {B}"] = _time(
            lambda act=act, B=B: train(
                X_PAPER, act, "normal", "sgd", lr=0.1, steps=steps, seeds=range(B), device="cpu"
            )
        )
    return out


def run(quick: bool = False) -> tuple[dict, str]:
    Bs = [1, 10, 100, 1000] if quick else [1, 10, 100, 1000, 10000]
    rows, res = [], {"batched": []}
    for act in ["linear", "tanh"]:
        per_net = loop_seconds_per_network(act, 5 if quick else 20)
        for B in Bs:
            tb = _time(
                lambda B=B, act=act: train(
                    X_PAPER, act, "normal", "sgd", lr=0.1, steps=STEPS, seeds=range(B), device="cpu"
                ),
                1 if B >= 1000 else 2,
            )
            tl = per_net * B
            res["batched"].append(
                {"activation": act, "B": B, "batched_s": tb, "loop_s": tl, "ratio": tl / tb}
            )
            rows.append(f"| {act} | {B} | {tb:.3f} | {tl:.1f} | {tl / tb:.0f}× |")
    md = [
        f"## 1. Batched training ({STEPS} full-batch SGD steps on the paper's X, float64, CPU)\n",
        "The peer is a Python loop calling the same engine once per network (B = 1); its time is "
        f"measured on {5 if quick else 20} networks and scaled to B (the loop's cost is linear in B).\n",
        "| activation | B | batched (s) | loop (s) | ratio |",
        "|---|---|---|---|---|",
        *rows,
    ]
    b1000 = [r for r in res["batched"] if r["B"] == 1000]
    targets = ", ".join(
        f"{r['activation']}: {r['batched_s']:.2f} s, {r['ratio']:.0f}×" for r in b1000
    )
    md.append(f"\nTargets at B = 1000: ≤ 2 s and ≥ 100× — measured {targets}.\n")

    anat, arows = anatomy(quick)
    res["anatomy"] = anat
    md += [
        "\n### What a step costs (tanh, paper's X, best of 3)\n",
        "The engine calls torch's functional update kernels (`torch.optim.sgd.sgd`, "
        "`torch.optim.adam.adam`); its peer is the same engine driven through the optimiser classes "
        "`torch.optim.SGD` / `torch.optim.Adam` (identical updates, checked by a unit test). For small "
        "networks a step is a handful of tensor dispatches, and the classes' per-step bookkeeping "
        "is a large part of it.\n",
        "| optimiser | B | torch.optim class (µs/step) | functional kernel (µs/step) | speed-up |",
        "|---|---|---|---|---|",
        *arows,
    ]

    # scaling with N and B (time per step)
    rng = np.random.default_rng(0)
    Ns = [3, 8, 16, 32] if quick else [3, 4, 8, 16, 32, 64]
    Bs2 = [1, 100, 1000] if quick else [1, 100, 1000, 10000]
    steps = 200
    scal = []
    srows = []
    for N in Ns:
        K = max(2, N // 4)
        X = np.unique(rng.integers(0, 2, (K, N)), axis=0)
        for B in Bs2:
            if N * N * B > 2e7:
                continue
            t = _time(
                lambda X=X, B=B: train(
                    X, "tanh", "normal", "sgd", lr=0.1, steps=steps, seeds=range(B), device="cpu"
                ),
                2,
            )
            scal.append({"N": N, "B": B, "K": len(X), "seconds_per_step": t / steps})
            srows.append(f"| {N} | {len(X)} | {B} | {1e6 * t / steps:.1f} |")
    res["scaling"] = scal
    md += [
        "\n## 5. Scaling with N and B (tanh, SGD; µs per full-batch step)\n",
        "| N | K items | B | µs / step |",
        "|---|---|---|---|",
        *srows,
        "\nAt small N·B the cost per step is flat (dispatching a handful of tensor operations, "
        "≈ 20–40 µs); it grows ∝ B·N²·K once the arithmetic dominates. Problems below "
        "`itemsrel.training.PARALLEL_WORK` (250 000 multiply-adds per product) run on one thread, "
        "larger ones on torch's threads (two here).\n",
    ]
    return res, "\n".join(md)


if __name__ == "__main__":
    import json
    import sys

    if "--grid" in sys.argv:
        print(json.dumps(grid_seconds()))
