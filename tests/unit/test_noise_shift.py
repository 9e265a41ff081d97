"""Tests of itemsrel.noise_shift: switch points, level crossings, the shift table."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.noise_shift import level_crossings, shift_table, switch_points

GRID = [0.0, 0.5, 1.0]


def test_switch_points_by_hand():
    curves = np.array([[0.0, 0.2], [0.5, 0.2], [1.0, 1.0]])  # two seeds
    np.testing.assert_allclose(switch_points(GRID, curves), [0.5, 0.75])
    np.testing.assert_allclose(switch_points(GRID, curves, 0.25), [0.25, 0.625])
    assert np.isnan(switch_points(GRID, [1.0, 0.5, 0.2])[0])  # does not rise
    with pytest.raises(ValueError):
        switch_points(GRID, curves, 1.0)
    with pytest.raises(ValueError):
        switch_points([0.0, 1.0], curves)


def test_level_crossings_by_hand():
    curves = np.array([[0.5, 0.8, 0.1], [0.7, 0.9, 0.2], [0.9, 1.0, 0.3]])
    np.testing.assert_allclose(level_crossings(GRID, curves, 0.75), [0.625, 0.0, np.nan])


def test_shift_table():
    low = np.array([[0.2, 0.2], [0.6, 0.7], [1.0, 1.0]])  # switches early
    high = np.array([[0.2, 0.2], [0.3, 0.2], [1.0, 1.0]])  # switches late
    df = shift_table(GRID, {0.5: low, 2.0: high, 1.0: low}, reference=1.0, level=0.6)
    assert df["sigma"].tolist() == [0.5, 1.0, 2.0]
    sw_low = np.array([0.5, 0.5 * 0.4 / 0.5])  # half the rise (0.6) at δ = 0.5 and 0.4
    sw_high = np.array([0.5 + 0.5 * 0.3 / 0.7, 0.5 + 0.5 * 0.4 / 0.8])
    row = df.set_index("sigma")
    assert row.loc[1.0, "switch mean"] == pytest.approx(sw_low.mean())
    assert row.loc[2.0, "shift mean"] == pytest.approx((sw_high - sw_low).mean())
    assert row.loc[2.0, "seeds above"] == 2 and row.loc[2.0, "seeds below"] == 0
    assert row.loc[1.0, "shift mean"] == 0.0
    assert row.loc[2.0, "level mean"] == pytest.approx(np.mean([0.5 + 0.5 * 0.3 / 0.7, 0.75]))
    with pytest.raises(ValueError):
        shift_table(GRID, {0.5: low}, reference=1.0)


def test_switch_figure():
    from itemsrel.figures.noise_shift import switch_figure

    low = np.array([[0.2, 0.2], [0.6, 0.7], [1.0, 1.0]])
    high = np.array([[0.2, 0.2], [0.3, 0.2], [1.0, 1.0]])
    curves = {0.5: low, 1.0: low, 2.0: high}
    tab = shift_table(GRID, curves, reference=1.0, level=0.6)
    fig = switch_figure(GRID, curves, tab, level=0.6, title="t")
    assert [t.name for t in fig.data] == [
        "σ_train = 0.5",
        "σ_train = 1",
        "σ_train = 2",
        "δ at half the rise (mean ± sd over seeds)",
        "δ where TA reaches 0.6 (mean ± sd over seeds)",
    ]
    np.testing.assert_allclose(fig.data[2].y, high.mean(axis=1))
    np.testing.assert_allclose(fig.data[3].y, tab["switch mean"])
    assert fig.layout.xaxis2.title.text.startswith("training noise")
    assert fig.layout.yaxis2.title.text == "δ at the tanh switch"
    with pytest.raises(ValueError):
        switch_figure(GRID, {float(k): low for k in range(7)}, tab, level=0.6)
