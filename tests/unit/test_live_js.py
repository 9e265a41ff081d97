"""The browser module ``book/_static/live/itemsrel_live.mjs`` computes what the package computes.

Cases are generated with itemsrel (seeded): random training sets X and initial weights W0, every
activation, SGD (with and without momentum) and Adam, every penalty, several learning rates and
step counts, N = 3 and N = 5. All cases run in ONE ``node`` process (JSON in, JSON out) and are
compared with the package:

* trained W to 1e-9 relative (plus 1e-12 absolute for entries near 0), loss history to 1e-9;
* trajectories of ``iterate`` to 1e-12;
* fixed points (linear, tanh, shifted tanh, sigmoid): same number, same points (1e-8), same
  Jacobian eigenvalues (1e-8), identical stability; a linear network's plane of fixed points as a
  continuum: same dimension, same projector, same off-plane eigenvalues, same verdict;
  relu/clip: compared only where ``dynamics.fixed_points`` gives isolated points with no
  eigenvalue on the unit circle (a continuum of fixed points in a linear region is not well
  defined as a list of points there; those cases are counted, not compared);
* per-pattern losses over all 2^N patterns to 1e-12; Σ_X (as sets of permutations), item and
  index orbits, span patterns and symmetry-consistent patterns exactly.

Skips only if ``node`` is missing.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from itemsrel.activations import ACTIVATIONS, get_activation
from itemsrel.dynamics import fixed_points, fixed_subspace, iterate
from itemsrel.patterns import all_patterns
from itemsrel.symmetry import (
    index_orbits,
    orbits,
    span_patterns,
    symmetry_consistent_patterns,
    symmetry_group,
)
from itemsrel.training import PENALTIES, pattern_loss, train

MODULE = Path(__file__).resolve().parents[2] / "book" / "_static" / "live" / "itemsrel_live.mjs"
NODE = shutil.which("node")

RUNNER = """
import * as L from %s;
let data = "";
process.stdin.on("data", (c) => (data += c));
process.stdin.on("end", () => {
  const out = JSON.parse(data).map((c) => {
    try {
      switch (c.kind) {
        case "train": return L.train(c.args);
        case "iterate": return L.iterate(c.W, c.x0s, c.activation, c.steps);
        case "fixed": return L.fixedPoints(c.W, c.activation);
        case "losses": return L.patternLosses(c.W, c.activation);
        case "symmetry": return { group: L.sigmaX(c.X), orbits: L.itemOrbits(c.X),
          indexOrbits: L.indexOrbits(c.X), span: L.spanPatterns(c.X),
          consistent: L.symmetryConsistentPatterns(c.X) };
        default: throw new Error("unknown kind " + c.kind);
      }
    } catch (e) { return { error: String(e) }; }
  });
  process.stdout.write(JSON.stringify(out, (k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)));
});
"""

SMOOTH = ("linear", "tanh", "shifted_tanh", "sigmoid")
# Activations with their parameters as the JS takes them ({name, shift, gain}).
# The live module implements the auto-associator activations of chapters 1-5 (gelu and quadratic
# belong to chapter 8's group-word network and are not offered on the static pages).
LIVE_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a not in ("gelu", "quadratic"))
ACT_SPECS = [{"name": a} for a in LIVE_ACTIVATIONS] + [
    {"name": "sigmoid", "gain": 2.0},
    {"name": "tanh", "shift": -0.3, "gain": 1.5},
]


def _phi(spec: dict):
    return get_activation(spec["name"], shift=spec.get("shift"), gain=spec.get("gain", 1.0))


def _random_X(rng: np.random.Generator, N: int, K: int) -> np.ndarray:
    pats = all_patterns(N)[1:]  # no all-zero item
    return pats[np.sort(rng.choice(len(pats), K, replace=False))].astype(int)


def _cases() -> list[dict]:
    rng = np.random.default_rng(20261204)
    cases: list[dict] = []
    lrs = {"sgd": (0.05, 0.3), "adam": (0.01, 0.05)}
    for spec, opt, pen in itertools.product(ACT_SPECS, ("sgd", "adam"), (None, *PENALTIES)):
        for N, steps, lr in ((3, 300, lrs[opt][0]), (5, 60, lrs[opt][1])):
            X = _random_X(rng, N, int(rng.integers(2, N + 1)))
            W0 = rng.normal(0.0, 0.3, (N, N))
            momentum = 0.9 if (opt == "sgd" and N == 5) else 0.0
            strength = float(rng.choice([0.01, 0.1]))
            cases.append(
                {
                    "kind": "train",
                    "args": {
                        "X": X.tolist(),
                        "activation": spec,
                        "W0": W0.tolist(),
                        "optimizer": opt,
                        "lr": lr,
                        "steps": steps,
                        "momentum": momentum,
                        "penalty": pen,
                        "strength": strength,
                    },
                }
            )
    # longer runs, converged networks (their fixed points are compared below), and one step
    for spec, opt in itertools.product(ACT_SPECS, ("sgd", "adam")):
        X = np.array([[1, 0, 1], [1, 1, 0]]) if rng.random() < 0.5 else _random_X(rng, 3, 2)
        for steps in (1, 2000):
            cases.append(
                {
                    "kind": "train",
                    "args": {
                        "X": X.tolist(),
                        "activation": spec,
                        "W0": rng.normal(0.0, 0.05, (3, 3)).tolist(),
                        "optimizer": opt,
                        "lr": 0.1 if opt == "sgd" else 0.02,
                        "steps": steps,
                    },
                }
            )
    return cases


def _py_train(a: dict):
    reg = {a["penalty"]: a["strength"]} if a.get("penalty") else None
    return train(
        np.array(a["X"]),
        _phi(a["activation"]),
        optimizer=a["optimizer"],
        lr=a["lr"],
        steps=a["steps"],
        seeds=[0],
        regularization=reg,
        momentum=a.get("momentum", 0.0),
        W0=np.array(a["W0"]),
        device="cpu",
    )


@pytest.fixture(scope="module")
def node_run():
    if NODE is None:
        pytest.skip("node is not installed (the browser module is tested under Node 20)")

    def run(cases: list[dict]) -> list:
        script = RUNNER % json.dumps(MODULE.as_uri())
        proc = subprocess.run(
            [NODE, "--input-type=module", "-e", script],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        out = json.loads(proc.stdout)
        errors = [
            (c, o) for c, o in zip(cases, out, strict=True) if isinstance(o, dict) and "error" in o
        ]
        assert not errors, errors[:3]
        return out

    return run


@pytest.fixture(scope="module")
def trained(node_run):
    cases = _cases()
    return cases, node_run(cases)


def test_training_matches_torch(trained):
    cases, out = trained
    assert len(cases) == 192  # 8 activations × 2 optimisers × 5 penalties × 2 sizes + 32 longer
    worst = 0.0
    for case, js in zip(cases, out, strict=True):
        res = _py_train(case["args"])
        W = np.array(js["W"], dtype=float)
        assert js["diverged"] == bool(res.diverged[0]), case
        if res.diverged[0]:
            continue
        np.testing.assert_allclose(W, res.W[0], rtol=1e-9, atol=1e-12, err_msg=str(case))
        np.testing.assert_array_equal(js["historySteps"], res.history_steps)
        np.testing.assert_allclose(js["lossHistory"], res.loss_history[:, 0], rtol=1e-9, atol=1e-15)
        assert js["stepsRun"] == res.steps_run
        worst = max(worst, float(np.max(np.abs(W - res.W[0]) / np.maximum(np.abs(res.W[0]), 1e-3))))
    print(f"{len(cases)} training cases; largest relative difference of W: {worst:.2e}")


def test_training_stops_when_converged_like_python(node_run):
    X = [[1, 0, 1], [1, 1, 0]]
    args = {
        "X": X,
        "activation": {"name": "linear"},
        "W0": np.zeros((3, 3)).tolist(),
        "optimizer": "sgd",
        "lr": 0.1,
        "steps": 3000,
        "stopWhenConverged": True,
    }
    (js,) = node_run([{"kind": "train", "args": args}])
    res = train(
        np.array(X),
        "linear",
        lr=0.1,
        steps=3000,
        seeds=[0],
        W0=np.zeros((3, 3)),
        stop_when_converged=True,
        device="cpu",
    )
    assert js["stepsRun"] == res.steps_run < 3000
    assert js["converged"] and bool(res.converged[0])
    np.testing.assert_allclose(js["W"], res.W[0], rtol=1e-9, atol=1e-12)


def test_trajectories_match(node_run):
    rng = np.random.default_rng(7)
    cases, expected = [], []
    for spec in ACT_SPECS:
        for N in (3, 5):
            W = rng.normal(0.0, 0.8 if spec["name"] != "linear" else 0.4, (N, N))
            x0 = rng.uniform(-1, 1, (6, N))
            cases.append(
                {
                    "kind": "iterate",
                    "W": W.tolist(),
                    "x0s": x0.tolist(),
                    "activation": spec,
                    "steps": 25,
                }
            )
            expected.append(iterate(W, x0, _phi(spec), 25))
    out = node_run(cases)
    for case, js, ref in zip(cases, out, expected, strict=True):
        got = np.array(js, dtype=float)
        assert got.shape == ref.shape
        np.testing.assert_allclose(
            got, ref, rtol=1e-12, atol=1e-12, err_msg=str(case["activation"])
        )


def _sorted_eigs(e) -> np.ndarray:
    e = np.asarray(e, dtype=complex)
    return e[np.lexsort((np.round(e.imag, 8), -np.round(e.real, 8), -np.round(np.abs(e), 8)))]


def _isolated_off_kinks(W: np.ndarray, phi, points) -> bool:
    """relu/clip: the package's list is well defined only if no point is marginal (a segment of
    fixed points) and none sits on a kink (pre-activation at 0, or 1 for clip), where φ' jumps."""
    for p in points:
        a = phi.gain * (W @ p.x - phi.shift)
        if p.stability == "marginal" or np.min(np.abs(a)) <= 1e-9:
            return False
        if phi.name == "clip" and np.min(np.abs(a - 1.0)) <= 1e-9:
            return False
    return True


def test_fixed_points_match(trained, node_run):
    cases, out = trained
    rng = np.random.default_rng(11)
    Ws: list[tuple[dict, np.ndarray]] = []
    for case, js in zip(cases, out, strict=True):
        a = case["args"]
        if len(a["X"][0]) == 3 and a["steps"] == 2000 and not js["diverged"]:
            Ws.append((a["activation"], np.array(js["W"], dtype=float)))
    for spec in ACT_SPECS:
        for _ in range(3):
            Ws.append((spec, rng.normal(0.0, 1.0, (3, 3))))
    queries = [{"kind": "fixed", "W": W.tolist(), "activation": spec} for spec, W in Ws]
    res = node_run(queries)
    compared = {"points": 0, "continua": 0, "skipped relu/clip": 0}
    for (spec, W), js in zip(Ws, res, strict=True):
        phi = _phi(spec)
        if phi.name == "linear" and phi.shift == 0 and fixed_subspace(W).dimension > 0:
            sub = fixed_subspace(W)
            cont = js["continuum"]
            assert cont is not None and cont["dimension"] == sub.dimension
            B = np.array(cont["basis"], dtype=float)
            np.testing.assert_allclose(B @ B.T, sub.basis @ sub.basis.T, atol=1e-9)
            other = np.array([complex(r, i) for r, i in cont["otherEigenvalues"]])
            np.testing.assert_allclose(
                _sorted_eigs(other), _sorted_eigs(sub.other_eigenvalues), atol=1e-9
            )
            assert cont["attracting"] == sub.attracting
            compared["continua"] += 1
            continue
        py = fixed_points(W, phi)
        if phi.name in ("relu", "clip") and not _isolated_off_kinks(W, phi, py):
            compared["skipped relu/clip"] += 1
            continue
        assert js["continuum"] is None
        pts = js["points"]
        assert len(pts) == len(py), (spec, W.tolist(), [p.x for p in py], [p["x"] for p in pts])
        for p_js, p_py in zip(pts, py, strict=True):
            np.testing.assert_allclose(p_js["x"], p_py.x, atol=1e-8)
            eig = np.array([complex(r, i) for r, i in p_js["eigenvalues"]])
            np.testing.assert_allclose(
                _sorted_eigs(eig),
                _sorted_eigs(p_py.eigenvalues),
                atol=1e-8,
                err_msg=f"{spec} W={W.tolist()} x={p_py.x.tolist()}",
            )
            assert p_js["stability"] == p_py.stability
            compared["points"] += 1
    print(f"fixed points compared: {compared}")
    assert compared["points"] >= 40 and compared["continua"] >= 2


def test_pattern_losses_match(node_run):
    rng = np.random.default_rng(3)
    cases = []
    for spec in ACT_SPECS:
        for N in (3, 5):
            cases.append(
                {"kind": "losses", "W": rng.normal(0, 1, (N, N)).tolist(), "activation": spec}
            )
    out = node_run(cases)
    for case, js in zip(cases, out, strict=True):
        W = np.array(case["W"])
        ref = pattern_loss(W, all_patterns(W.shape[0]), _phi(case["activation"]))
        np.testing.assert_allclose(js, ref, rtol=1e-12, atol=1e-15)


def test_symmetry_matches(node_run):
    rng = np.random.default_rng(5)
    sets = [
        np.array([[1, 0, 1], [1, 1, 0]]),
        np.array([[0, 1, 0], [0, 0, 1]]),
        np.eye(4, dtype=int),
    ]
    sets += [_random_X(rng, N, int(rng.integers(1, 2**N - 1))) for N in (3, 3, 3, 4, 4, 5, 5)]
    out = node_run([{"kind": "symmetry", "X": X.tolist()} for X in sets])
    for X, js in zip(sets, out, strict=True):
        N = X.shape[1]
        G = symmetry_group(X)
        py_elems = {tuple(p.array_form + list(range(len(p.array_form), N))) for p in G.elements}
        assert {tuple(s) for s in js["group"]} == py_elems
        assert [[tuple(i) for i in o] for o in js["orbits"]] == orbits(X)
        assert js["indexOrbits"] == index_orbits(G, N)
        assert js["span"] == span_patterns(X).tolist()
        assert js["consistent"] == symmetry_consistent_patterns(X).tolist()


def test_chapter_panels_start_from_the_chapters_numbers(node_run):
    """The browser retrains each chapter panel's starting state to the W the chapter computed."""
    from itemsrel.analytic import PAPER_X, PAPER_X_PRIME, linear_family
    from itemsrel.live import live_panel

    panels = [
        live_panel(PAPER_X_PRIME, activation="linear", init="normal", optimizer="adam", lr=0.03),
        live_panel(PAPER_X_PRIME, activation="tanh", lr=0.1),
        live_panel(
            PAPER_X_PRIME, activation="tanh", init="normal", penalty="l2", strength=0.1, lr=0.5
        ),
    ]
    cases = []
    for p in panels:
        s = p.state
        assert 'class="itemsrel-live"' in p._repr_html_()
        cases.append(
            {
                "kind": "train",
                "args": {
                    "X": s["X"],
                    "activation": s["activation"],
                    "W0": s["W0"],
                    "optimizer": s["optimizer"],
                    "lr": s["lr"],
                    "steps": s["steps"],
                    "penalty": s["penalty"],
                    "strength": s["strength"],
                    "stopWhenConverged": True,
                },
            }
        )
    for p, js in zip(panels, node_run(cases), strict=True):
        py = p.state["python"]
        np.testing.assert_allclose(js["W"], py["W"], rtol=1e-9, atol=1e-12)
        assert js["stepsRun"] == py["steps_run"]
    fam = live_panel(
        PAPER_X,
        "family",
        family=linear_family(PAPER_X, invariant=True, names=["a", "b"]),
        a=0.7,
        b=-0.2,
    )
    f = fam.state["family"]
    W = np.array(f["W0"]) + 0.7 * np.array(f["A"]) - 0.2 * np.array(f["B"])
    np.testing.assert_allclose(W, [[0.3, 0.7, 0.7], [0.2, 0.8, -0.2], [0.2, -0.2, 0.8]], atol=1e-12)
    np.testing.assert_allclose(fam.state["python"]["W"], W, atol=1e-12)
    with pytest.raises(ValueError, match="unknown panel kind"):
        live_panel(PAPER_X, "flow")
