"""The regularisation sweep: its batches equal single runs, its summaries and verdicts are right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from itemsrel import sweep as sweep_mod
from itemsrel.analytic import PAPER_X_PRIME
from itemsrel.generalisation import generalisation_metrics
from itemsrel.sweep import (
    SweepConfig,
    decreasing_in_strength,
    helps_in_settings,
    penalty_benefit,
    run_sweep,
    summarise,
)
from itemsrel.training import train
from itemsrel.verdicts import settings_text

SMALL = SweepConfig(
    activations=("tanh",),
    penalties=("l2", "rate"),
    strengths=(0.01, 0.3),
    inits=("normal", "uniform"),
    n_seeds=3,
    steps=300,
)


def test_rows_and_labels():
    df = run_sweep({"X'": PAPER_X_PRIME}, SMALL, progress=False, use_cache=False)
    assert len(df) == (1 + 2 * 2) * 2 * 3
    assert df.groupby(["penalty", "strength", "init"]).size().eq(3).all()
    assert set(df["penalty"]) == {"none", "l2", "rate"}
    assert (df.loc[df["penalty"] == "none", "strength"] == 0).all()
    assert not df["diverged"].any()


def test_each_row_equals_the_network_trained_alone():
    df = run_sweep({"X'": PAPER_X_PRIME}, SMALL, progress=False, use_cache=False)
    for pen, lam, init, seed in [
        ("none", 0.0, "normal", 1),
        ("l2", 0.3, "uniform", 2),
        ("rate", 0.01, "normal", 0),
    ]:
        reg = None if pen == "none" else {pen: lam}
        alone = train(
            PAPER_X_PRIME,
            "tanh",
            init,
            "sgd",
            lr=SMALL.lr,
            steps=SMALL.steps,
            seeds=[seed],
            regularization=reg,
            device="cpu",
        )
        expected = generalisation_metrics(alone.W, PAPER_X_PRIME, "tanh")
        row = df[(df.penalty == pen) & (df.strength == lam) & (df.init == init) & (df.seed == seed)]
        assert len(row) == 1
        for name, value in expected.items():
            assert row[name].iloc[0] == pytest.approx(value[0], rel=1e-12, abs=1e-15)


def test_the_cache_returns_the_stored_sweep(tmp_cache, monkeypatch):
    first = run_sweep({"X'": PAPER_X_PRIME}, SMALL, progress=False)
    calls = []
    monkeypatch.setattr(sweep_mod, "_train_batch", lambda *a: calls.append(a))
    again = run_sweep({"X'": PAPER_X_PRIME}, SMALL, progress=False)
    assert not calls
    pd.testing.assert_frame_equal(first, again)
    with pytest.raises(TypeError):  # a changed parameter recomputes (and hits the patched trainer)
        run_sweep(
            {"X'": PAPER_X_PRIME}, SweepConfig(**{**SMALL.__dict__, "steps": 301}), progress=False
        )
    assert calls


def test_summarise_means_and_stds():
    df = pd.DataFrame(
        {
            "training_set": "A",
            "activation": "tanh",
            "penalty": ["none"] * 3 + ["l2"] * 3,
            "strength": [0.0] * 3 + [0.1] * 3,
            "init": "normal",
            "seed": [0, 1, 2] * 2,
            "diverged": [False] * 5 + [True],
            "span_loss": [1.0, 2.0, 3.0, 4.0, 6.0, 99.0],
        }
    )
    s = summarise(df, metrics=("span_loss",))
    assert s["span_loss_mean"].tolist() == [2.0, 5.0]
    assert s["span_loss_std"].tolist() == pytest.approx([1.0, np.sqrt(2.0)])
    assert s["n"].tolist() == [3, 2]  # the diverged network is left out


def _summary(none, at, train_at, std=0.001, n=20):
    rows = [
        {
            "training_set": "A",
            "activation": "tanh",
            "init": "normal",
            "penalty": "none",
            "strength": 0.0,
            "span_loss_mean": none,
            "span_loss_std": std,
            "train_loss_mean": 0.0,
            "n": n,
        }
    ]
    for lam, (v, t) in zip((0.1, 1.0), zip(at, train_at, strict=True), strict=True):
        rows.append(
            {
                "training_set": "A",
                "activation": "tanh",
                "init": "normal",
                "penalty": "l2",
                "strength": lam,
                "span_loss_mean": v,
                "span_loss_std": std,
                "train_loss_mean": t,
                "n": n,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("none", "at", "train_at", "helps", "best"),
    [
        (0.30, (0.20, 0.10), (0.005, 0.05), True, 0.1),  # 1.0 is better but forgets the items
        (0.30, (0.27, 0.10), (0.005, 0.05), False, 0.1),  # only 10 % better where usable
        (0.0008, (0.0005, 0.0), (0.0, 0.0), False, 1.0),  # 100 %, but below the absolute floor
        (0.30, (0.20, 0.25), (0.02, 0.02), False, np.nan),  # never learns its items
    ],
)
def test_penalty_benefit_criterion(none, at, train_at, helps, best):
    out = penalty_benefit(_summary(none, at, train_at))
    assert len(out) == 1
    assert bool(out["helps"].iloc[0]) is helps
    if np.isnan(best):
        assert np.isnan(out["best_strength"].iloc[0])
    else:
        assert out["best_strength"].iloc[0] == best


def test_penalty_benefit_needs_significance():
    out = penalty_benefit(_summary(0.30, (0.20, 0.10), (0.005, 0.05), std=0.5, n=4))
    assert not out["helps"].iloc[0]


def test_bad_configs_raise():
    with pytest.raises(ValueError, match="penalties"):
        SweepConfig(penalties=("l3",))
    with pytest.raises(ValueError, match="strengths"):
        SweepConfig(strengths=(0.0,))
    with pytest.raises(ValueError, match="inits"):
        SweepConfig(inits=("gauss",))
    with pytest.raises(ValueError, match="training set"):
        run_sweep({}, SMALL)


@pytest.mark.parametrize(
    ("values", "expected"), [((0.5, 0.3), True), ((0.3, 0.5), False), ((0.8, 0.1), False)]
)
def test_decreasing_in_strength(values, expected):
    # none = 0.6, then the two strengths
    out = decreasing_in_strength(_summary(0.6, values, (0.0, 0.0)), "span_loss")
    assert bool(out["decreasing"].iloc[0]) is expected
    assert out["ratio"].iloc[0] == pytest.approx(values[1] / 0.6)


def test_helps_in_settings_and_its_text():
    b = pd.DataFrame(
        {
            "training_set": ["A", "A", "A", "A", "B", "B"],
            "activation": ["tanh", "tanh", "tanh", "relu", "tanh", "tanh"],
            "init": ["n", "n", "u", "n", "n", "n"],
            "penalty": ["l1", "l2", "l1", "l1", "l1", "level"],
            "helps": [False, True, False, True, False, True],
        }
    )
    flags = helps_in_settings(b, "tanh", ["l1", "l2"])
    assert flags.to_dict() == {("A", "n"): True, ("A", "u"): False, ("B", "n"): False}
    assert settings_text(flags) == "A (n)"
    assert settings_text(helps_in_settings(b, "tanh", ["l1"])) == "none"
    with pytest.raises(ValueError, match="no rows"):
        helps_in_settings(b, "sigmoid", ["l1"])
