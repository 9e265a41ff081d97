"""Tests of itemsrel.figures.geometry: the figures carry exactly the data they were given."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.figures.geometry import SERIES_COLORS, metric_panels, series_color, trajectory_figure
from itemsrel.figures.style import ACTIVATION_COLORS


def test_metric_panels_draw_mean_and_band() -> None:
    x = np.array([0, 1, 10])
    v = np.array([[0.1, 0.3], [0.5, 0.7], [0.9, 0.9]])  # (len(x), seeds)
    fig = metric_panels(
        x,
        {"tanh": {"a": v, "b": v}, "relu": {"a": 1 - v}},
        {"a": "A", "b": "B"},
        x_title="step",
        log_x=True,
    )
    assert len(fig.data) == 6  # (band, mean) × (tanh a, tanh b, relu a)
    mean = fig.data[1]
    np.testing.assert_allclose(mean.y, [0.2, 0.6, 0.9])
    np.testing.assert_allclose(mean.x, [0.5, 1, 10])  # 0 drawn at half the smallest positive x
    assert mean.line.color == ACTIVATION_COLORS["tanh"]
    band = fig.data[0]
    sd = v.std(axis=1, ddof=1)
    np.testing.assert_allclose(band.y[:3], np.array([0.2, 0.6, 0.9]) + sd)
    assert fig.layout.xaxis.ticktext == ("init", "1", "10")
    assert fig.data[5].line.color == ACTIVATION_COLORS["relu"]
    with pytest.raises(ValueError, match="NaN"):
        metric_panels(x, {"tanh": {"a": v * np.nan}}, {"a": "A"}, x_title="s")
    with pytest.raises(ValueError, match="rows"):
        metric_panels(x[:2], {"tanh": {"a": v}}, {"a": "A"}, x_title="s")


def test_metric_panels_per_metric_grids() -> None:
    fig = metric_panels(
        {"a": [0, 1], "b": [0, 0.5, 1]},
        {"clip": {"a": [[1.0], [2.0]], "b": [[1.0], [2.0], [3.0]]}},
        {"a": "A", "b": "B"},
        x_title="δ",
    )
    np.testing.assert_allclose(fig.data[3].x, [0, 0.5, 1])
    assert fig.data[1].line.color == SERIES_COLORS["clip"]


def test_trajectory_figure() -> None:
    traj = np.zeros((3, 2, 2))
    traj[:, 0] = [[0, 0], [1, 0], [2, 0]]
    traj[:, 1] = [[0, 0], [0, 1], [0, 2]]
    al, be = np.linspace(-1, 1, 3), np.linspace(-1, 1, 2)
    da, db = np.ones((2, 3)), np.zeros((2, 3))
    fig = trajectory_figure({"tanh": (traj, (al, be, da, db)), "relu": (traj, (al, be, da, db))})
    assert len(fig.data) == 8
    lines = fig.data[1]
    np.testing.assert_array_equal(lines.x, [0, 1, 2, np.nan, 0, 0, 0, np.nan])
    np.testing.assert_array_equal(lines.y, [0, 0, 0, np.nan, 0, 1, 2, np.nan])
    np.testing.assert_allclose(fig.data[2].x, [0, 0])  # start points
    np.testing.assert_allclose(fig.data[3].y, [0, 2])  # end points
    # 6 arrows pointing along +α, each a shaft and two head strokes, NaN-separated
    arrows = fig.data[0]
    assert len(arrows.x) == 6 * 9
    assert arrows.x[1] - arrows.x[0] == pytest.approx(0.7)  # 0.7 of the grid spacing
    assert arrows.y[1] - arrows.y[0] == pytest.approx(0.0)
    assert np.isnan(arrows.x[2])
    assert arrows.x.dtype == np.float32  # stored compactly
    with pytest.raises(ValueError, match="traj"):
        trajectory_figure({"tanh": (traj[:1], (al, be, da, db))})


def test_series_color() -> None:
    assert series_color("tanh δ=0.4") == ACTIVATION_COLORS["tanh"]
    assert series_color("relu(z+1)") == SERIES_COLORS["relu(z+1)"]
    assert series_color("something else") == "#000000"
