"""Shared figure pieces of itemsrel.figures.style."""

from __future__ import annotations

import numpy as np

from itemsrel.figures.style import band_trace, rgba


def test_rgba():
    assert rgba("#D55E00", 0.15) == "rgba(213,94,0,0.15)"


def test_band_is_a_closed_outline_without_markers():
    t = band_trace([1, 2, 3], [0, 1, 2], [2, 3, 4], "#0072B2", legendgroup="tanh")
    # plotly draws markers on short traces unless told otherwise: a band must not show any
    assert t.mode == "lines" and t.line.width == 0 and t.fill == "toself"
    np.testing.assert_array_equal(t.x, [1, 2, 3, 3, 2, 1])
    np.testing.assert_array_equal(t.y, [2, 3, 4, 2, 1, 0])
    assert t.legendgroup == "tanh" and t.showlegend is False
