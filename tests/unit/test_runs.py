"""Tests of itemsrel.runs: the design grid, selection by label, training a design."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X
from itemsrel.runs import Runs, design, train_grid
from itemsrel.training import train


def test_design_is_the_full_grid_last_factor_fastest() -> None:
    d = design(activation=["linear", "tanh"], penalty="l2", seed=range(3))
    assert list(d.columns) == ["activation", "penalty", "seed"]
    assert len(d) == 6
    assert d["activation"].tolist() == ["linear"] * 3 + ["tanh"] * 3
    assert d["seed"].tolist() == [0, 1, 2, 0, 1, 2]
    assert (d["penalty"] == "l2").all()
    with pytest.raises(ValueError, match="factor"):
        design(seed=[])
    with pytest.raises(ValueError):
        design()


def test_sel_by_label_and_lists_and_errors() -> None:
    d = design(activation=["linear", "tanh"], seed=range(4))
    runs = Runs(d, {"x": np.arange(8) * 10})
    one = runs.sel(activation="tanh", seed=0)
    assert len(one) == 1 and one["x"].tolist() == [40]
    two = runs.sel(activation="tanh", seed=[1, 3])
    assert two["x"].tolist() == [50, 70] and two.design["seed"].tolist() == [1, 3]
    assert runs.sel(seed=2)["x"].tolist() == [20, 60]
    with pytest.raises(ValueError, match="no run matches"):
        runs.sel(activation="Tanh")
    with pytest.raises(ValueError, match="unknown label"):
        runs.sel(activaton="tanh")
    with pytest.raises(ValueError, match="first axis"):
        Runs(d, {"x": np.arange(7)})
    groups = dict(runs.groupby("activation"))
    assert groups[("linear",)]["x"].tolist() == [0, 10, 20, 30]
    assert runs.table("x")["x"].tolist() == list(range(0, 80, 10))


def test_train_grid_equals_separate_calls() -> None:
    grid = design(
        activation=["linear", "tanh"], penalty=["none", "l2"], strength=[0.1], seed=[0, 1]
    )
    runs = train_grid(PAPER_X, grid, init="normal", steps=50, lr=0.2, device="cpu")
    assert len(runs) == 8 and runs["W"].shape == (8, 3, 3)
    for act in ("linear", "tanh"):
        ref = train(PAPER_X, act, init="normal", steps=50, lr=0.2, seeds=[0, 1], device="cpu",
                    regularization={"l2": 0.1})  # fmt: skip
        got = runs.sel(activation=act, penalty="l2")
        np.testing.assert_array_equal(got["W"], ref.W)
        plain = train(PAPER_X, act, init="normal", steps=50, lr=0.2, seeds=[1], device="cpu")
        np.testing.assert_array_equal(
            runs.sel(activation=act, penalty="none", seed=1)["W"], plain.W
        )


def test_a_result_carries_its_design() -> None:
    res = train(PAPER_X, "tanh", init="normal", steps=20, seeds=[3, 4, 5], device="cpu",
                regularization={"l1": [0.0, 0.1, 0.2]})  # fmt: skip
    assert res.design["seed"].tolist() == [3, 4, 5]
    assert res.design["l1"].tolist() == [0.0, 0.1, 0.2]
    assert (res.design["activation"] == "tanh").all()
    picked = res.runs.sel(seed=4)
    np.testing.assert_array_equal(picked["W"][0], res.W[1])
    hid = train(PAPER_X, init="normal", hidden=2, steps=5, seeds=[0], device="cpu")
    assert hid.design["hidden"].tolist() == [2] and hid.runs["W1"].shape == (1, 2, 3)
