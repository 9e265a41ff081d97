"""Tests of itemsrel.figures.nonlinear: the figures carry exactly the data they were given."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.figures.nonlinear import (
    collapse_figure,
    line_distance,
    loss_table_figure,
    near_linear_interval,
    operating_regime_figure,
)


def test_near_linear_interval_closed_forms() -> None:
    lo, hi = near_linear_interval("tanh", 0.1)
    assert hi == pytest.approx(np.arctanh(np.sqrt(0.1)), abs=1e-10)
    assert lo == pytest.approx(-hi)
    s = 0.5 * (1 + np.sqrt(1 - 0.9))  # σ(1 − σ) = 0.9/4
    assert near_linear_interval("sigmoid", 0.1)[1] == pytest.approx(np.log(s / (1 - s)), abs=1e-10)
    lo, hi = near_linear_interval("shifted_tanh", 0.1)
    assert (lo + hi) / 2 == pytest.approx(0.5)
    assert near_linear_interval("linear") == (-np.inf, np.inf)
    with pytest.raises(ValueError):
        near_linear_interval("relu")


def test_operating_regime_figure_marks_the_given_preactivations() -> None:
    pre = {"tanh": np.array([[0.0, 2.48], [-2.48, 0.0]]), "sigmoid": np.array([4.7, -4.7, 0.0])}
    fig = operating_regime_figure(["tanh", "sigmoid"], pre)
    assert len(fig.data) == 6
    pts = [tr for tr in fig.data if tr.mode == "markers"]
    assert len(pts) == 2
    np.testing.assert_array_equal(pts[0].x, pre["tanh"].ravel())
    np.testing.assert_allclose(pts[0].y, np.tanh(pre["tanh"].ravel()))
    np.testing.assert_allclose(pts[1].y, 1 / (1 + np.exp(-pre["sigmoid"])))
    # φ' of the sigmoid peaks at 1/4, of tanh at 1
    assert max(fig.data[1].y) == pytest.approx(1.0)
    assert max(fig.data[4].y) == pytest.approx(0.25)
    # one shaded near-linear band per panel, at the right place
    assert len(fig.layout.shapes) == 2
    assert fig.layout.shapes[0].x1 == pytest.approx(np.arctanh(np.sqrt(0.1)))


def test_loss_table_figure_bars_and_paper_markers() -> None:
    pats = ["0/1/0", "0/0/0"]
    ours = {"tanh": [0.0001, 0.0], "sigmoid": [0.0003, 0.25]}
    paper = {"sigmoid": [0.0003, 0.25]}
    fig = loss_table_figure(pats, ours, paper)
    assert [tr.type for tr in fig.data] == ["bar", "bar", "scatter"]
    np.testing.assert_array_equal(fig.data[1].y, ours["sigmoid"])
    assert list(fig.data[0].x) == pats
    assert fig.data[2].offsetgroup == "sigmoid"
    with pytest.raises(ValueError):
        loss_table_figure(pats, {"tanh": [1.0, 2.0, 3.0]})


def test_line_distance_and_collapse_figure() -> None:
    p, q = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])
    pts = np.array([[0.0, 0.5, 0.5], [1.0, 0.5, 0.5], [0.0, 1.0, 1.0]])
    np.testing.assert_allclose(line_distance(pts, p, q), [0.0, 1.0, np.sqrt(0.5)], atol=1e-12)
    d = np.array([[1.0, 3.0, 2.0], [0.1, 0.2, 0.3]])
    fig = collapse_figure({"sigmoid": d})
    assert len(fig.data) == 2
    np.testing.assert_allclose(fig.data[0].y, [3.0, 0.3])
    np.testing.assert_allclose(fig.data[1].y, [2.0, 0.2])
