"""Rows of the bad-input table (issue 18) for modules other branches fix.

Training and activation validation (engine helper), cache keys (cache helper) and one line in
``grokking.train_split`` are fixed on other branches. Each row here encodes the behaviour the issue
demands; rows marked ``pending_merge`` fail until those branches are merged — the integrator then
removes the marker (``PENDING`` below) and they must pass. The other rows (modules whose bad
inputs are already handled) pass today and guard against regressions.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_bad_inputs import VE, VTE, Case, assert_case, bad, good, print_summary

from itemsrel import (
    activations,
    cache,
    geometry,
    grokking,
    groups,
    hidden,
    linear_theory,
    sweep,
    training,
    verdicts,
)
from itemsrel.analytic import PAPER_X, PAPER_X_PRIME

X = PAPER_X
Z7 = groups.cyclic(7)


def _train(**kw):
    return training.train(X, "tanh", steps=2, **kw)


CASES: list[Case] = [
    # ---------------------------------------------------------------- activations (engine helper)
    bad("Activation class unknown name", "activations", lambda: activations.Activation("Tanh"), VE, "unknown activation"),
    bad("Activation NaN gain", "activations", lambda: activations.Activation("tanh", gain=float("nan")), VE, "gain"),
    bad("get_activation NaN shift", "activations", lambda: activations.get_activation("tanh", shift=float("nan")), VE, "shift"),
    bad("shifted_tanh NaN gain", "activations", lambda: activations.get_activation("shifted_tanh", gain=float("nan")), VE, "gain"),
    bad("get_activation unknown", "activations", lambda: activations.get_activation("swish"), VE, "unknown activation"),
    bad("get_activation zero gain", "activations", lambda: activations.get_activation("tanh", gain=0.0), VE, "gain"),
    # ---------------------------------------------------------------- training (engine helper)
    bad("adam beta1 >= 1", "training", lambda: _train(optimizer="adam", betas=(1.5, 0.999)), VE, "beta"),
    bad("adam negative eps", "training", lambda: _train(optimizer="adam", eps=-1.0), VE, "eps"),
    bad("momentum NaN", "training", lambda: _train(momentum=float("nan")), VE, "momentum"),
    bad("complex dtype", "training", lambda: _train(dtype=torch.complex128), VTE, "dtype"),
    bad("unknown optimizer", "training", lambda: _train(optimizer="lbfgs"), VE, "unknown optimizer"),
    bad("negative lr", "training", lambda: _train(lr=-1.0), VE, "learning rate"),
    bad("steps 0", "training", lambda: training.train(X, steps=0), VE, "steps"),
    bad("targets shape", "training", lambda: _train(targets=np.ones((3, 3))), VE, "targets"),
    bad("unknown init", "training", lambda: _train(init="he"), VE, "unknown init"),
    bad("negative seeds", "training", lambda: _train(seeds=[-1]), VE, "non-negative"),
    bad("W0 NaN", "training", lambda: _train(W0=np.full((3, 3), np.nan)), VE, "finite"),
    bad("pattern_loss shape", "training", lambda: training.pattern_loss(np.eye(3), np.ones((2, 4))), VE, "shape"),
    # ---------------------------------------------------------------- cache (cache helper)
    good("cache key nan vs 'nan'", "cache", lambda: cache.cache_key("f", {"a": float("nan")}) != cache.cache_key("f", {"a": "nan"}), bool),
    good("cache key 1 vs '1'", "cache", lambda: cache.cache_key("f", {"a": 1}) != cache.cache_key("f", {"a": "1"}), bool),
    bad("cache key object", "cache", lambda: cache.cache_key("f", {"a": object()}), TypeError, "cache parameters must be"),
    # ---------------------------------------------------------------- grokking
    bad("train_split negative fraction", "grokking", lambda: grokking.train_split(3, -0.5, 0), VE, "fraction"),
    bad("train_split fraction > 1", "grokking", lambda: grokking.train_split(3, 1.5, 0), VE, "fraction"),
    bad("WordTask fraction", "grokking", lambda: grokking.WordTask(Z7, fraction=0.0), VE, "fraction"),
    bad("WordTask bad word", "grokking", lambda: grokking.WordTask(Z7, word="x*z"), VE, "only the letters"),
    bad("predict unknown activation", "grokking", lambda: grokking.predict(np.zeros((7, 4)), np.zeros((7, 4)), np.zeros((4, 7)), "swish"), VE, "activation"),
    bad("train_words no tasks", "grokking", lambda: grokking.train_words([]), VE, "at least one task"),
    bad("train_words width", "grokking", lambda: grokking.train_words([grokking.WordTask(Z7)], width=0), VE, "width"),
    bad("neuron_irreps NaN", "grokking", lambda: grokking.neuron_irreps(Z7, np.full((7, 4), np.nan), np.zeros((7, 4)), np.zeros((4, 7))), VE, "finite"),
    # ---------------------------------------------------------------- linear_theory
    bad("projector bad X", "linear_theory", lambda: linear_theory.projector([[0, 2]]), VE, "binary"),
    bad("gd_limit shape", "linear_theory", lambda: linear_theory.gd_limit(X, np.eye(4)), VE, "shape"),
    bad("loss_level_curve negative", "linear_theory", lambda: linear_theory.loss_level_curve(-1.0), VE, "level"),
    bad("loss_level_curve NaN", "linear_theory", lambda: linear_theory.loss_level_curve(float("nan")), VE, "level"),
    good("projector X'", "linear_theory", lambda: linear_theory.projector(PAPER_X_PRIME), lambda P: np.allclose(P, np.diag([0.0, 1.0, 1.0]))),
    # ---------------------------------------------------------------- geometry
    bad("kernel_alignment NaN", "geometry", lambda: geometry.kernel_alignment(np.full((3, 2), np.nan), np.ones((3, 2))), VE, "NaN"),
    bad("kernel_alignment rows", "geometry", lambda: geometry.kernel_alignment(np.ones((3, 2)), np.ones((4, 2))), VE, "same number of rows"),
    bad("parallelism one factor", "geometry", lambda: geometry.parallelism_score(np.eye(4), [[0], [0], [1], [1]]), VE, "two factors"),
    bad("balanced_dichotomies odd", "geometry", lambda: geometry.balanced_dichotomies(3), VE, "even"),
    bad("balanced_dichotomies huge", "geometry", lambda: geometry.balanced_dichotomies(100), VE, "too many"),
    bad("random_cluster_task N", "geometry", lambda: geometry.random_cluster_task(1, 0), VE, "N"),
    # ---------------------------------------------------------------- hidden / sweep
    bad("train_hidden negative steps", "hidden", lambda: hidden.train_hidden(geometry.random_cluster_task(4, 0), "relu", 0, steps=-1), VE, "steps"),
    bad("train_hidden unknown activation", "hidden", lambda: hidden.train_hidden(geometry.random_cluster_task(4, 0), "swish", 0, steps=2), VE, "unknown activation"),
    bad("train_hidden seeds mismatch", "hidden", lambda: hidden.train_hidden([geometry.random_cluster_task(4, 0)] * 2, "relu", [0, 1, 2], steps=2), VE, "one per network"),
    bad("SweepConfig negative strength", "sweep", lambda: sweep.SweepConfig(strengths=(-1.0,)), VE, "strengths"),
    bad("SweepConfig unknown penalty", "sweep", lambda: sweep.SweepConfig(penalties=("l3",)), VE, "unknown penalties"),
    bad("SweepConfig zero seeds", "sweep", lambda: sweep.SweepConfig(n_seeds=0), VE, "n_seeds"),
    bad("run_sweep no sets", "sweep", lambda: sweep.run_sweep({}, progress=False, use_cache=False), VE, ""),
    bad("claim_verdict empty", "verdicts", lambda: verdicts.across_settings("c", "m", []), VE, "at least one setting"),
    # ---------------------------------------------------------------- claims / report
    bad("paired_claim NaN", "verdicts", lambda: verdicts.paired_claim("c", "m", "a", [1.0, np.nan], "b", [0.0, 0.0], min_effect=0.1), VE, "finite"),
    bad("paired_claim one seed", "verdicts", lambda: verdicts.paired_claim("c", "m", "a", [1.0], "b", [0.0], min_effect=0.1), VE, "two seeds"),
    bad("paired_claim negative effect", "verdicts", lambda: verdicts.paired_claim("c", "m", "a", [1.0, 2.0], "b", [0.0, 0.0], min_effect=-1), VE, "min_effect"),
    bad("compare NaN", "verdicts", lambda: verdicts.compare("q", 1.0, np.nan, 0.1), VE, "not finite"),
    bad("compare negative tol", "verdicts", lambda: verdicts.compare("q", 1.0, 1.0, -0.1), VE, "tolerance"),
    bad("compare NaN tol", "verdicts", lambda: verdicts.compare("q", 1.0, 1.0, float("nan")), VE, "tolerance"),
]

#: Rows that fail until the engine, cache and grokking fixes are merged (see the module docstring).
PENDING: set[str] = set()  # every row passes since the engine, verdict and cache work merged


def _param(case: Case):
    marks = [pytest.mark.pending_merge, pytest.mark.xfail(strict=True, reason="pending merge")]
    return pytest.param(case, id=f"{case.area}: {case.id}", marks=marks if case.id in PENDING else [])


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_other_modules(case: Case) -> None:
    assert_case(case)


if __name__ == "__main__":
    print_summary(CASES)
